/* The metrics child: serves the Prometheus text format (metrics_text.c)
 * over HTTP on the socket the parent bound, from snapshots the parent
 * sends on request (metrics_snap.c).  It holds no capability and knows no
 * configuration: an HTTP parser exposed to the network runs here, not in
 * the parent.  A scrape is answered from the last snapshot while it is
 * younger than METRICS_FRESH_MS; otherwise it waits for the next one, and
 * every scrape that arrives meanwhile waits for the same. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "lvsd/core/child.h"
#include "lvsd/core/clock.h"
#include "lvsd/core/log.h"
#include "metrics/metrics_snap.h"
#include "metrics/metrics_text.h"

#define METRICS_FRESH_MS 1000	  /* a snapshot this young answers a scrape */
#define METRICS_SNAP_WAIT_MS 5000 /* the parent's answer, at most */
#define METRICS_WAITING_MAX 64	  /* scrapes waiting for a snapshot */
#define METRICS_TIMEOUT_S 10	  /* an HTTP connection's reads and writes */
#define METRICS_HEADERS_MAX 8192

struct metrics_wait {
	struct evhttp_request *req;
	struct evhttp_connection *conn;
};

struct metrics_state {
	struct child *child;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	int staged_fd; /* the listening socket of the generation being staged */
	struct metrics_snap cur, next;
	uint64_t cur_ms; /* CLOCK_MONOTONIC of cur */
	uint32_t cookie; /* of the request in flight; 0 when none */
	struct event *ev_wait;
	struct metrics_wait waiting[METRICS_WAITING_MAX];
	size_t n_waiting;
};

static void
metrics_reply(struct metrics_state *s, struct evhttp_request *req)
{
	struct evbuffer *body = evbuffer_new();

	if (!s->cur.complete) {
		if (body)
			evbuffer_add_printf(body, "lvsd: no snapshot from the parent yet\n");
		evhttp_send_reply(req, 503, "Service Unavailable", body);
	} else if (!body || metrics_text(&s->cur, body) < 0) {
		evhttp_send_error(req, 500, "out of memory");
	} else {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
				  METRICS_CONTENT_TYPE);
		evhttp_send_reply(req, 200, "OK", body);
	}
	if (body)
		evbuffer_free(body);
}

/* Answer every scrape that waits, from whatever cur holds now. */
static void
metrics_answer_all(struct metrics_state *s)
{
	size_t n = s->n_waiting;

	s->n_waiting = 0;
	for (size_t i = 0; i < n; i++) {
		if (!s->waiting[i].req)
			continue; /* its client went away */
		evhttp_connection_set_closecb(s->waiting[i].conn, NULL, NULL);
		metrics_reply(s, s->waiting[i].req);
	}
}

static void
metrics_wait_expired(evutil_socket_t fd, short what, void *arg)
{
	struct metrics_state *s = arg;

	log_warn("metrics: the parent sent no snapshot within %d ms; answering with %s",
		 METRICS_SNAP_WAIT_MS, s->cur.complete ? "the last one" : "an error");
	s->cookie = 0;
	metrics_snap_clear(&s->next);
	metrics_answer_all(s);
}

/* A waiting scrape's client closed: forget its request. */
static void
metrics_conn_closed(struct evhttp_connection *conn, void *arg)
{
	struct metrics_state *s = arg;

	for (size_t i = 0; i < s->n_waiting; i++)
		if (s->waiting[i].conn == conn)
			s->waiting[i].req = NULL;
}

static void
metrics_wait(struct metrics_state *s, struct evhttp_request *req)
{
	struct timeval tv = {METRICS_SNAP_WAIT_MS / 1000, (METRICS_SNAP_WAIT_MS % 1000) * 1000};
	struct ipc_snap_req r = {0};
	struct metrics_wait *w;

	if (s->n_waiting == METRICS_WAITING_MAX) {
		evhttp_send_error(req, 503, "too many scrapes at once");
		return;
	}
	w = &s->waiting[s->n_waiting++];
	w->req = req;
	w->conn = evhttp_request_get_connection(req);
	evhttp_connection_set_closecb(w->conn, metrics_conn_closed, s);
	if (s->cookie)
		return; /* one is on its way */
	s->cookie = r.cookie = (uint32_t)(lvsd_clock_ms(CLOCK_MONOTONIC) | 1);
	if (child_send(s->child, IPC_SNAP_REQ, &r, sizeof(r)) < 0) {
		s->cookie = 0;
		metrics_answer_all(s);
		return;
	}
	evtimer_add(s->ev_wait, &tv);
}

static void
metrics_request(struct evhttp_request *req, void *arg)
{
	struct metrics_state *s = arg;
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	struct evbuffer *body;

	if (path && !strcmp(path, "/metrics")) {
		if (s->cur.complete &&
		    lvsd_clock_ms(CLOCK_MONOTONIC) - s->cur_ms < METRICS_FRESH_MS)
			metrics_reply(s, req);
		else
			metrics_wait(s, req);
		return;
	}
	if (!path || strcmp(path, "/")) {
		evhttp_send_error(req, 404, "no such page: the metrics are at /metrics");
		return;
	}
	body = evbuffer_new();
	if (body)
		evbuffer_add_printf(body, "lvsd: the metrics are at /metrics\n");
	evhttp_send_reply(req, 200, "OK", body);
	if (body)
		evbuffer_free(body);
}

/* A frame of a snapshot; the complete one becomes cur and answers. */
static void
metrics_message(void *state, struct ipc_msg *msg)
{
	struct metrics_state *s = state;
	int r;

	if (msg->type == IPC_SNAP_BEGIN &&
	    IPC_BODY(msg, struct ipc_snap_begin)->cookie != s->cookie) {
		log_debug("metrics: a snapshot nobody waits for; ignored");
		return;
	}
	if (msg->type != IPC_SNAP_BEGIN && !s->next.vrrp)
		return; /* the rest of one ignored, or of one that timed out */
	r = metrics_snap_frame(&s->next, msg);
	if (r < 0)
		log_err("metrics: a bad snapshot from the parent (%s): %s",
			ipc_type_name(msg->type), strerror(-r));
	if (r == 0)
		return;
	if (r > 0) {
		metrics_snap_clear(&s->cur);
		s->cur = s->next;
		memset(&s->next, 0, sizeof(s->next));
		s->cur_ms = lvsd_clock_ms(CLOCK_MONOTONIC);
	}
	s->cookie = 0;
	evtimer_del(s->ev_wait);
	metrics_answer_all(s);
}

static int
metrics_start(void *state, struct child *c, struct event_base *base)
{
	struct metrics_state *s = state;

	s->child = c;
	s->base = base;
	s->http = evhttp_new(base);
	s->ev_wait = evtimer_new(base, metrics_wait_expired, s);
	if (!s->http || !s->ev_wait)
		return -ENOMEM;
	evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_timeout(s->http, METRICS_TIMEOUT_S);
	evhttp_set_max_headers_size(s->http, METRICS_HEADERS_MAX);
	evhttp_set_max_body_size(s->http, 0);
	evhttp_set_gencb(s->http, metrics_request, s);
	return 0;
}

static void
metrics_begin(void *state, uint64_t generation)
{
	struct metrics_state *s = state;

	if (s->staged_fd >= 0)
		close(s->staged_fd);
	s->staged_fd = -1;
}

static int
metrics_object(void *state, struct ipc_msg *msg)
{
	struct metrics_state *s = state;
	int type = 0, listening = 0;
	socklen_t len = sizeof(type), llen = sizeof(listening);

	if (IPC_BODY(msg, struct ipc_conf_socket)->kind != IPC_SOCKET_METRICS || s->staged_fd >= 0)
		return -EINVAL;
	if (getsockopt(msg->fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM ||
	    getsockopt(msg->fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &llen) < 0 || !listening)
		return -EINVAL;
	s->staged_fd = msg->fd;
	msg->fd = -1;
	return 1;
}

/* The generation's socket replaces the one before (the same socket, most
 * often: the parent keeps it bound while the address stays). */
static void
metrics_commit(void *state, uint64_t generation)
{
	struct metrics_state *s = state;
	struct evhttp_bound_socket *old = s->bound;

	s->bound = NULL;
	if (s->staged_fd >= 0) {
		s->bound = evhttp_accept_socket_with_handle(s->http, s->staged_fd);
		if (!s->bound) {
			log_err("metrics: cannot listen on the socket from the parent");
			close(s->staged_fd);
		}
	}
	s->staged_fd = -1;
	if (old)
		evhttp_del_accept_socket(s->http, old);
}

static void
metrics_stop(void *state)
{
	struct metrics_state *s = state;

	metrics_answer_all(s);
	if (s->http)
		evhttp_free(s->http);
	if (s->ev_wait)
		event_free(s->ev_wait);
	if (s->staged_fd >= 0)
		close(s->staged_fd);
	metrics_snap_clear(&s->cur);
	metrics_snap_clear(&s->next);
}

int
metrics_main(int fd)
{
	struct metrics_state s = {.staged_fd = -1};
	const struct child_role role = {
	    .name = "metrics",
	    .accept = 1u << IPC_CONF_SOCKET,
	    .state = &s,
	    .start = metrics_start,
	    .begin = metrics_begin,
	    .object = metrics_object,
	    .commit = metrics_commit,
	    .stop = metrics_stop,
	    .accept_msgs = 1u << IPC_SNAP_BEGIN | 1u << IPC_SNAP_VRRP | 1u << IPC_SNAP_SVC |
			   1u << IPC_SNAP_RS | 1u << IPC_SNAP_END,
	    .message = metrics_message,
	};

	return child_run(&role, fd);
}
