/* The checkers child: receives the services and real servers with their
 * checks.  Running the checks comes later; for now it holds one check per
 * real server of the installed generation and answers status. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "lvsd/core/child.h"
#include "lvsd/core/log.h"

struct chk_state {
	uint32_t staged_services;
	uint32_t staged;
	uint32_t installed;
};

static void
chk_begin(void *state, uint64_t generation)
{
	struct chk_state *s = state;

	s->staged = s->staged_services = 0;
}

static int
chk_object(void *state, struct ipc_msg *msg)
{
	struct chk_state *s = state;

	if (msg->type == IPC_CONF_SERVICE) {
		if (IPC_BODY(msg, struct ipc_conf_service)->id != s->staged_services)
			return -EINVAL;
		s->staged_services++;
		return 0;
	}
	/* a real server must name a service already sent */
	if (IPC_BODY(msg, struct ipc_conf_rs)->service_id >= s->staged_services)
		return -EINVAL;
	s->staged++;
	return 1;
}

static void
chk_commit(void *state, uint64_t generation)
{
	struct chk_state *s = state;

	s->installed = s->staged;
}

int
chk_main(int fd)
{
	struct chk_state s = {0};
	const struct child_role role = {
	    .name = "checkers",
	    .accept = 1u << IPC_CONF_SERVICE | 1u << IPC_CONF_RS,
	    .state = &s,
	    .begin = chk_begin,
	    .object = chk_object,
	    .commit = chk_commit,
	};

	return child_run(&role, fd);
}
