/* The child side of the parent <-> child protocol. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/core/child.h"
#include "lvsd/core/log.h"

struct child {
	const struct child_role *role;
	struct event_base *base;
	struct ipc_chan *ch;
	bool staging;
	uint64_t staging_gen;
	uint32_t staged_msgs;
	uint32_t staged_held;
	uint64_t generation; /* installed; 0 before the first */
	uint32_t n_objects;
	int exit_code;
};

static void
child_fatal(struct child *c, const char *why, uint32_t type)
{
	log_err("protocol error from parent: %s (message %s); exiting", why, ipc_type_name(type));
	c->exit_code = 1;
	event_base_loopbreak(c->base);
}

static void
child_conf_end(struct child *c, const struct ipc_conf_end *e)
{
	struct ipc_conf_ack ack;

	if (!c->staging || e->generation != c->staging_gen || e->n_objects != c->staged_msgs) {
		child_fatal(c, "configuration end does not match its begin", IPC_CONF_END);
		return;
	}
	c->role->commit(c->role->state, e->generation);
	c->staging = false;
	c->generation = e->generation;
	c->n_objects = c->staged_held;
	log_info("configuration generation %llu installed: %u objects",
		 (unsigned long long)c->generation, c->n_objects);
	memset(&ack, 0, sizeof(ack));
	ack.generation = c->generation;
	ack.n_objects = c->n_objects;
	ipc_send(c->ch, IPC_CONF_ACK, &ack, sizeof(ack));
}

static void
child_status(struct child *c, const struct ipc_status_req *req)
{
	struct ipc_status st;

	memset(&st, 0, sizeof(st));
	st.cookie = req->cookie;
	st.pid = (int32_t)getpid();
	st.generation = c->generation;
	st.n_objects = c->n_objects;
	ipc_send(c->ch, IPC_STATUS, &st, sizeof(st));
}

static void
child_object(struct child *c, const struct ipc_msg *msg)
{
	int r;

	if (!c->staging || !(c->role->accept & (1u << msg->type))) {
		child_fatal(c, "object outside a configuration or not for this role", msg->type);
		return;
	}
	r = c->role->object(c->role->state, msg);
	if (r < 0) {
		child_fatal(c, strerror(-r), msg->type);
		return;
	}
	c->staged_msgs++;
	c->staged_held += (uint32_t)r;
}

static void
child_on_msg(struct ipc_chan *ch, const struct ipc_msg *msg, void *arg)
{
	struct child *c = arg;

	switch (msg->type) {
	case IPC_CONF_BEGIN:
		if (c->staging) {
			child_fatal(c, "configuration begins twice", msg->type);
			return;
		}
		c->staging = true;
		c->staging_gen = msg->body.conf_begin.generation;
		c->staged_msgs = c->staged_held = 0;
		c->role->begin(c->role->state, c->staging_gen);
		break;
	case IPC_CONF_END:
		child_conf_end(c, &msg->body.conf_end);
		break;
	case IPC_STATUS_REQ:
		child_status(c, &msg->body.status_req);
		break;
	case IPC_CONF_ACK:
	case IPC_STATUS:
		child_fatal(c, "unexpected message", msg->type);
		break;
	default:
		child_object(c, msg);
		break;
	}
}

static void
child_on_close(struct ipc_chan *ch, int err, void *arg)
{
	struct child *c = arg;

	if (err == -EBADMSG) {
		log_err("desync on the channel to the parent; exiting");
		c->exit_code = 1;
	} else if (err) {
		log_err("channel to the parent failed: %s; exiting", strerror(-err));
		c->exit_code = 1;
	} else {
		log_info("parent closed the channel; exiting");
	}
	event_base_loopbreak(c->base);
}

static void
child_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct child *c = arg;

	log_info("%s received; exiting", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	event_base_loopbreak(c->base);
}

int
child_run(const struct child_role *role, int fd)
{
	struct child c = {.role = role};
	struct event *ev_term = NULL, *ev_int = NULL;
	int r;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	c.base = event_base_new();
	if (!c.base) {
		log_err("cannot create an event loop");
		return 1;
	}
	r = ipc_chan_new(c.base, fd, child_on_msg, child_on_close, &c, &c.ch);
	ev_term = evsignal_new(c.base, SIGTERM, child_on_signal, &c);
	ev_int = evsignal_new(c.base, SIGINT, child_on_signal, &c);
	if (r < 0 || !ev_term || !ev_int || evsignal_add(ev_term, NULL) < 0 ||
	    evsignal_add(ev_int, NULL) < 0) {
		log_err("cannot set up the event loop");
		c.exit_code = 1;
	} else {
		log_debug("running");
		event_base_dispatch(c.base);
	}
	if (ev_term)
		event_free(ev_term);
	if (ev_int)
		event_free(ev_int);
	ipc_chan_free(c.ch);
	event_base_free(c.base);
	return c.exit_code;
}
