/* The child side of the parent <-> child protocol: start-up after exec,
 * then the event loop. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/core/child.h"
#include "lvsd/core/log.h"
#include "lvsd/core/privdrop.h"

#define CHILD_HELLO_WAIT_MS 10000

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
	bool terminating; /* SIGTERM seen: a second one stops at once */
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
	child_send(c, IPC_CONF_ACK, &ack, sizeof(ack));
}

static void
child_status(struct child *c, const struct ipc_status_req *req)
{
	struct ipc_status st;

	if (c->role->status)
		c->role->status(c->role->state);
	memset(&st, 0, sizeof(st));
	st.cookie = req->cookie;
	st.pid = (int32_t)getpid();
	st.generation = c->generation;
	st.n_objects = c->n_objects;
	child_send(c, IPC_STATUS, &st, sizeof(st));
}

static void
child_object(struct child *c, struct ipc_msg *msg)
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
child_on_msg(struct ipc_chan *ch, struct ipc_msg *msg, void *arg)
{
	struct child *c = arg;

	switch (msg->type) {
	case IPC_CONF_BEGIN:
		if (c->staging) {
			child_fatal(c, "configuration begins twice", msg->type);
			return;
		}
		c->staging = true;
		c->staging_gen = IPC_BODY(msg, struct ipc_conf_begin)->generation;
		c->staged_msgs = c->staged_held = 0;
		c->role->begin(c->role->state, c->staging_gen);
		break;
	case IPC_CONF_END:
		child_conf_end(c, IPC_BODY(msg, struct ipc_conf_end));
		break;
	case IPC_STATUS_REQ:
		child_status(c, IPC_BODY(msg, struct ipc_status_req));
		break;
	default:
		if (c->role->accept_msgs & (1u << msg->type) && c->role->message)
			c->role->message(c->role->state, msg);
		else
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

	if (c->terminating || !c->role->term || !c->role->term(c->role->state)) {
		log_info("%s received; exiting", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		event_base_loopbreak(c->base);
	}
	c->terminating = true;
}

void
child_exit(struct child *c, int code)
{
	c->exit_code = code;
	event_base_loopbreak(c->base);
}

int
child_run(const struct child_role *role, int fd)
{
	struct child c = {.role = role};
	struct event *ev_term = NULL, *ev_int = NULL;
	bool started = false;
	int r;

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
	} else if (role->start && (r = role->start(role->state, &c, c.base)) < 0) {
		log_err("cannot start: %s", strerror(-r));
		c.exit_code = 1;
	} else {
		started = true;
		log_debug("running");
		event_base_dispatch(c.base);
	}
	if (started && role->stop)
		role->stop(role->state);
	if (ev_term)
		event_free(ev_term);
	if (ev_int)
		event_free(ev_int);
	ipc_chan_free(c.ch);
	event_base_free(c.base);
	return c.exit_code;
}

int
child_send(struct child *c, uint32_t type, const void *payload, size_t len)
{
	int r = ipc_send(c->ch, type, payload, len);

	if (r < 0)
		log_err("cannot send %s to the parent: %s", ipc_type_name(type), strerror(-r));
	return r;
}

uint64_t
child_generation(const struct child *c)
{
	return c->generation;
}

/* Descriptor 3 must be the channel a parent made: a seqpacket socket. */
static bool
child_fd_ok(void)
{
	int type = 0;
	socklen_t len = sizeof(type);

	return getsockopt(CHILD_FD, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	       type == SOCK_SEQPACKET;
}

/* Read the parent's IPC_HELLO: 0, or -errno with a line on stderr (there
 * is no log yet: the hello says where it goes). */
static int
child_hello(const struct child_entry *e, void *buf, struct ipc_hello *out)
{
	struct ipc_msg m;
	int r = ipc_recv_once(CHILD_FD, buf, CHILD_HELLO_WAIT_MS, &m);

	if (r == 0 && m.type != IPC_HELLO)
		r = -EBADMSG;
	if (r < 0) {
		fprintf(stderr, "lvsd: %s: no greeting from the parent: %s\n", e->name,
			strerror(-r));
		return r;
	}
	*out = *IPC_BODY(&m, struct ipc_hello);
	ipc_strget(out->user, sizeof(out->user));
	return 0;
}

int
child_boot(const struct child_entry *e)
{
	struct ipc_hello h;
	const char *what = NULL;
	void *buf;
	int r;

	if (!child_fd_ok()) {
		fprintf(stderr, "lvsd: %s: not started by lvsd (no channel on descriptor %d)\n",
			e->name, CHILD_FD);
		return 2;
	}
	if (!(buf = malloc(IPC_FRAME_MAX)))
		return 1;
	r = child_hello(e, buf, &h);
	free(buf);
	if (r < 0)
		return 1;
	log_init(e->name, h.foreground, h.debug);
	r = privdrop_role(h.user, e->caps, &what);
	if (r < 0) {
		log_err("cannot drop privileges to user %s: %s: %s", h.user, what, strerror(-r));
		return 1;
	}
	/* after the credentials changed (which clears it): die with the parent,
	 * and make sure the parent is not gone already */
	if (prctl(PR_SET_PDEATHSIG, e->pdeath_sig) < 0 || getppid() != (pid_t)h.parent_pid) {
		log_err("the parent (pid %d) is gone; exiting", (int)h.parent_pid);
		return 1;
	}
	return e->main(CHILD_FD);
}
