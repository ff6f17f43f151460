/* The weight child: receives the report listener, the agent keys, the
 * services with their weight policy and the real servers.  Receiving
 * reports and computing weights comes later; for now it holds the real
 * servers of the installed generation and answers status. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "lvsd/core/child.h"
#include "lvsd/core/log.h"

struct wt_state {
	uint32_t staged_services;
	uint32_t staged_keys;
	uint32_t staged;
	uint32_t installed;
};

static void
wt_begin(void *state, uint64_t generation)
{
	struct wt_state *s = state;

	s->staged = s->staged_services = s->staged_keys = 0;
}

static int
wt_object(void *state, const struct ipc_msg *msg)
{
	struct wt_state *s = state;

	switch (msg->type) {
	case IPC_CONF_REPORTS:
		return 0;
	case IPC_CONF_KEY:
		if (msg->body.conf_key.id != s->staged_keys)
			return -EINVAL;
		s->staged_keys++;
		return 0;
	case IPC_CONF_SERVICE:
		if (msg->body.conf_service.id != s->staged_services)
			return -EINVAL;
		s->staged_services++;
		return 0;
	default: /* IPC_CONF_RS */
		if (msg->body.conf_rs.service_id >= s->staged_services ||
		    msg->body.conf_rs.key >= (int32_t)s->staged_keys)
			return -EINVAL;
		s->staged++;
		return 1;
	}
}

static void
wt_commit(void *state, uint64_t generation)
{
	struct wt_state *s = state;

	s->installed = s->staged;
}

int
wt_main(int fd)
{
	struct wt_state s = {0};
	const struct child_role role = {
	    .name = "weight",
	    .accept = 1u << IPC_CONF_REPORTS | 1u << IPC_CONF_KEY | 1u << IPC_CONF_SERVICE |
		      1u << IPC_CONF_RS,
	    .state = &s,
	    .begin = wt_begin,
	    .object = wt_object,
	    .commit = wt_commit,
	};

	return child_run(&role, fd);
}
