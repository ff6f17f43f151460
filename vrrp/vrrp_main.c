/* The vrrp child: receives its VRRP instances from the parent.  The state
 * machine, VIPs and packet I/O come in later; for now it holds the
 * instances of the installed generation and answers status. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "lvsd/core/child.h"
#include "lvsd/core/log.h"

struct vrrp_state {
	uint32_t staged;
	uint32_t installed;
};

static void
vrrp_begin(void *state, uint64_t generation)
{
	struct vrrp_state *s = state;

	s->staged = 0;
}

static int
vrrp_object(void *state, struct ipc_msg *msg)
{
	struct vrrp_state *s = state;
	struct ipc_conf_vrrp *v = IPC_BODY(msg, struct ipc_conf_vrrp);

	if (v->vrid == 0 || (v->version != 2 && v->version != 3))
		return -EINVAL;
	log_debug("instance %u %s on %s: vrid %u, %u VIPs", v->id,
		  ipc_strget(v->name, sizeof(v->name)),
		  ipc_strget(v->interface, sizeof(v->interface)), v->vrid, v->n_vips);
	s->staged++;
	return 1;
}

static void
vrrp_commit(void *state, uint64_t generation)
{
	struct vrrp_state *s = state;

	s->installed = s->staged;
}

int
vrrp_main(int fd)
{
	struct vrrp_state s = {0};
	const struct child_role role = {
	    .name = "vrrp",
	    .accept = 1u << IPC_CONF_VRRP,
	    .state = &s,
	    .begin = vrrp_begin,
	    .object = vrrp_object,
	    .commit = vrrp_commit,
	};

	return child_run(&role, fd);
}
