/* The weight child: receives the report listener (its socket opened and
 * bound by the parent), the agent keys (as the bytes the parent read),
 * the services with their weight policy and the real servers.  Receiving
 * reports and computing weights comes later; for now it holds the socket,
 * the keys and the real servers of the installed generation and answers
 * status. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lvsd/core/child.h"
#include "lvsd/core/log.h"

struct wt_state {
	uint32_t staged_services;
	uint32_t staged_keys;
	uint32_t staged_unreadable; /* keys the parent could not read */
	uint32_t staged;
	uint32_t installed;
	int staged_sock; /* the report socket of the staged generation, or -1 */
	int sock;	 /* of the installed one */
};

static void
wt_begin(void *state, uint64_t generation)
{
	struct wt_state *s = state;

	s->staged = s->staged_services = s->staged_keys = s->staged_unreadable = 0;
	if (s->staged_sock >= 0)
		close(s->staged_sock);
	s->staged_sock = -1;
}

static int
wt_socket(struct wt_state *s, struct ipc_msg *msg)
{
	int type = 0;
	socklen_t len = sizeof(type);

	if (IPC_BODY(msg, struct ipc_conf_socket)->kind != IPC_SOCKET_REPORTS ||
	    s->staged_sock >= 0)
		return -EINVAL;
	if (getsockopt(msg->fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_DGRAM)
		return -EINVAL;
	s->staged_sock = msg->fd;
	msg->fd = -1;
	return 0;
}

static int
wt_key(struct wt_state *s, const struct ipc_conf_key *k)
{
	if (k->id != s->staged_keys)
		return -EINVAL;
	s->staged_keys++;
	if (k->len == 0)
		s->staged_unreadable++;
	return 0;
}

static int
wt_object(void *state, struct ipc_msg *msg)
{
	struct wt_state *s = state;
	const struct ipc_conf_rs *rs;

	switch (msg->type) {
	case IPC_CONF_REPORTS:
		return 0;
	case IPC_CONF_SOCKET:
		return wt_socket(s, msg);
	case IPC_CONF_KEY:
		return wt_key(s, IPC_BODY(msg, struct ipc_conf_key));
	case IPC_CONF_SERVICE:
		if (IPC_BODY(msg, struct ipc_conf_service)->id != s->staged_services)
			return -EINVAL;
		s->staged_services++;
		return 0;
	default: /* IPC_CONF_RS */
		rs = IPC_BODY(msg, struct ipc_conf_rs);
		if (rs->service_id >= s->staged_services || rs->key >= (int32_t)s->staged_keys ||
		    rs->key2 >= (int32_t)s->staged_keys)
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
	if (s->sock >= 0)
		close(s->sock);
	s->sock = s->staged_sock;
	s->staged_sock = -1;
	if (s->sock >= 0)
		log_info("holding the report socket (descriptor %d); reports are not processed "
			 "yet",
			 s->sock);
	if (s->staged_unreadable)
		log_warn("%u of %u keys could not be read by the parent", s->staged_unreadable,
			 s->staged_keys);
}

static void
wt_stop(void *state)
{
	struct wt_state *s = state;

	wt_begin(s, 0);
	if (s->sock >= 0)
		close(s->sock);
	s->sock = -1;
}

int
wt_main(int fd)
{
	struct wt_state s = {.staged_sock = -1, .sock = -1};
	const struct child_role role = {
	    .name = "weight",
	    .accept = 1u << IPC_CONF_REPORTS | 1u << IPC_CONF_SOCKET | 1u << IPC_CONF_KEY |
		      1u << IPC_CONF_SERVICE | 1u << IPC_CONF_RS,
	    .state = &s,
	    .begin = wt_begin,
	    .object = wt_object,
	    .commit = wt_commit,
	    .stop = wt_stop,
	};

	return child_run(&role, fd);
}
