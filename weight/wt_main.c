/* The weight child: receives signed load reports on the socket the parent
 * opened and bound, checks them (wt_recv.c), and every round turns them
 * into weight proposals through each service's policy (wt_round.c), sent
 * to the parent with the feedback behind them and the drop counters.  It
 * holds no capability: it parses untrusted datagrams.  A reload builds a
 * new generation beside the running one and takes over what the running
 * one knew of the same real servers (wt_gen.c). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/core/child.h"
#include "lvsd/core/clock.h"
#include "lvsd/core/log.h"
#include "weight/wt.h"
#include "weight/wt_ratelimit.h"

#define WT_RL_SLOTS 4096	       /* sources the rate limit tracks at once */
#define WT_RECV_BURST 256	       /* datagrams read per wakeup, so the loop stays fair */
#define WT_RECV_BATCH 32	       /* datagrams per recvmmsg */
#define WT_RECV_CAP (RPT_MAX_LEN + 64) /* room to see an oversize one */
/* state frames sent per burst or round at most (the rest waits for the
 * next): 64 x 180 servers, 3.7 MB, a quarter of what the channel queues */
#define WT_STATE_FRAMES 64

struct wt_state {
	struct child *child;
	struct event_base *base;
	struct wt_gen staged, run;
	bool have_run;
	struct event *ev_sock, *ev_round;
	struct wt_rl *rl;
	uint32_t rl_rate;
	struct ipc_weight *props; /* room for run.n_rs */
	uint64_t accepted, drops[IPC_WT_DROPS];
	bool counters_changed;
	struct ipc_wt_state *state_msg; /* room for IPC_WT_STATE_MAX */
	/* the receive batch */
	uint64_t rbuf[WT_RECV_BATCH][WT_RECV_CAP / 8]; /* aligned */
	struct sockaddr_storage rsrc[WT_RECV_BATCH];
	struct iovec riov[WT_RECV_BATCH];
	struct mmsghdr rmsg[WT_RECV_BATCH];
};

static void
wt_begin(void *state, uint64_t generation)
{
	struct wt_state *s = state;

	wt_gen_free(&s->staged);
	s->staged.generation = generation;
}

static int
wt_socket(struct wt_state *s, struct ipc_msg *msg)
{
	int type = 0;
	socklen_t len = sizeof(type);

	if (IPC_BODY(msg, struct ipc_conf_socket)->kind != IPC_SOCKET_REPORTS ||
	    s->staged.sock >= 0)
		return -EINVAL;
	if (getsockopt(msg->fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_DGRAM)
		return -EINVAL;
	s->staged.sock = msg->fd;
	msg->fd = -1;
	return 0;
}

static int
wt_object(void *state, struct ipc_msg *msg)
{
	struct wt_state *s = state;
	int r;

	switch (msg->type) {
	case IPC_CONF_REPORTS:
		s->staged.rep = *IPC_BODY(msg, struct ipc_conf_reports);
		return 0;
	case IPC_CONF_SOCKET:
		return wt_socket(s, msg);
	case IPC_CONF_KEY:
		return wt_gen_key(&s->staged, IPC_BODY(msg, struct ipc_conf_key));
	case IPC_CONF_SERVICE:
		return wt_gen_service(&s->staged, IPC_BODY(msg, struct ipc_conf_service));
	case IPC_WT_RESTORE:
		return wt_state_stage(&s->staged, IPC_BODY(msg, struct ipc_wt_state));
	default: /* IPC_CONF_RS */
		r = wt_gen_rs(&s->staged, IPC_BODY(msg, struct ipc_conf_rs));
		return r < 0 ? r : 1;
	}
}

/* ----------------------------------------------------------------- state */

/* What it learnt of the servers whose state moved, to the parent, which
 * keeps it for a restarted child and the state file: at most
 * WT_STATE_FRAMES frames, the rest next time. */
static void
wt_send_state(struct wt_state *s)
{
	struct ipc_wt_state *m = s->state_msg;

	for (int f = 0; f < WT_STATE_FRAMES && s->run.n_sync; f++) {
		memset(m, 0, sizeof(*m));
		m->generation = s->run.generation;
		m->n = (uint32_t)wt_state_take(&s->run, m->rs, IPC_WT_STATE_MAX);
		if (child_send(s->child, IPC_WT_STATE, m, sizeof(*m) + m->n * sizeof(m->rs[0])) <
		    0) {
			wt_state_untake(&s->run, m->rs, m->n);
			break;
		}
	}
}

/* ------------------------------------------------------------- receiving */

static void
wt_count(struct wt_state *s, int r)
{
	if (r == 0)
		s->accepted++;
	else
		s->drops[wt_drop_of(r)]++;
	s->counters_changed = true;
}

/* Up to WT_RECV_BURST datagrams, WT_RECV_BATCH per recvmmsg, the clocks
 * read once per batch: the profile of a flood showed the receiver's time
 * in the kernel's per-call path (syscall entry, fd lookup, socket hooks)
 * and in clock reads more than in decoding. */
static void
wt_readable(evutil_socket_t fd, short what, void *arg)
{
	struct wt_state *s = arg;

	(void)what;
	for (int done = 0; done < WT_RECV_BURST;) {
		uint64_t now_ns, now_ms;
		int n;

		for (int i = 0; i < WT_RECV_BATCH; i++) {
			struct msghdr *h = &s->rmsg[i].msg_hdr;

			s->riov[i].iov_base = s->rbuf[i];
			s->riov[i].iov_len = sizeof(s->rbuf[i]);
			memset(h, 0, sizeof(*h));
			h->msg_name = &s->rsrc[i];
			h->msg_namelen = sizeof(s->rsrc[i]);
			h->msg_iov = &s->riov[i];
			h->msg_iovlen = 1;
		}
		n = recvmmsg(fd, s->rmsg, WT_RECV_BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				wt_count(s, -EIO);
			break;
		}
		now_ns = lvsd_clock_ns(CLOCK_REALTIME);
		now_ms = lvsd_clock_ms(CLOCK_MONOTONIC);
		for (int i = 0; i < n; i++) {
			if (s->rmsg[i].msg_hdr.msg_flags & MSG_TRUNC) {
				wt_count(s, -EMSGSIZE);
				continue;
			}
			wt_count(s, wt_recv_one(&s->run, s->rl, s->rbuf[i], s->rmsg[i].msg_len,
						&s->rsrc[i], now_ns, now_ms));
		}
		if (n < WT_RECV_BATCH) /* drained */
			break;
		done += n;
	}
	/* in the same turn as the acceptance: a child killed now and
	 * restarted refuses every report this one accepted */
	wt_send_state(s);
}

/* ----------------------------------------------------------------- rounds */

static void
wt_send_weights(struct wt_state *s, size_t n)
{
	size_t max = IPC_BATCH_MAX, len;
	struct ipc_weights *m = malloc(sizeof(*m) + max * sizeof(m->w[0]));

	if (!m) {
		log_err("out of memory: %zu weight proposals not sent", n);
		return;
	}
	for (size_t at = 0; at < n; at += max) {
		size_t k = n - at < max ? n - at : max;

		memset(m, 0, sizeof(*m));
		m->generation = s->run.generation;
		m->n = (uint32_t)k;
		memcpy(m->w, s->props + at, k * sizeof(m->w[0]));
		len = sizeof(*m) + k * sizeof(m->w[0]);
		if (child_send(s->child, IPC_WEIGHTS, m, len) < 0)
			break;
	}
	free(m);
}

/* Feedback of the dirty real servers, in chunks, the counters with each;
 * one chunk without servers when only the counters changed. */
static void
wt_send_feedback(struct wt_state *s)
{
	struct ipc_feedback *m = malloc(sizeof(*m) + IPC_FEEDBACK_MAX * sizeof(m->rs[0]));
	size_t i = 0;

	if (!m) {
		log_err("out of memory: feedback not sent");
		return;
	}
	do {
		memset(m, 0, sizeof(*m));
		m->generation = s->run.generation;
		m->accepted = s->accepted;
		memcpy(m->drops, s->drops, sizeof(m->drops));
		for (; i < s->run.n_rs && m->n < IPC_FEEDBACK_MAX; i++)
			if (s->run.rs[i].dirty) {
				wt_feedback_of(&s->run, &s->run.rs[i], &m->rs[m->n++]);
				s->run.rs[i].dirty = false;
			}
		if ((m->n || s->counters_changed) &&
		    child_send(s->child, IPC_FEEDBACK, m, sizeof(*m) + m->n * sizeof(m->rs[0])) < 0)
			break;
		s->counters_changed = false;
	} while (i < s->run.n_rs);
	free(m);
}

static void
wt_round(evutil_socket_t fd, short what, void *arg)
{
	struct wt_state *s = arg;
	size_t n = 0;
	int r;

	(void)fd;
	(void)what;
	if (!s->have_run)
		return;
	if ((r = wt_round_compute(&s->run, lvsd_clock_ms(CLOCK_MONOTONIC), s->props, &n)) < 0)
		log_err("weights: the round failed: %s", strerror(-r));
	wt_send_feedback(s); /* first: the parent's history records it with the weights */
	if (n)
		wt_send_weights(s, n);
	wt_send_state(s);
}

/* ----------------------------------------------------------------- commit */

static int
wt_rate_limit(struct wt_state *s, uint32_t rate)
{
	uint64_t key = 0;
	struct wt_rl *rl;
	int r;

	if (s->rl && s->rl_rate == rate)
		return 0;
	if (getrandom(&key, sizeof(key), 0) != sizeof(key))
		key = lvsd_clock_ns(CLOCK_REALTIME);
	if ((r = wt_rl_new(WT_RL_SLOTS, rate, 2 * rate, key, &rl)) < 0)
		return r;
	wt_rl_free(s->rl);
	s->rl = rl;
	s->rl_rate = rate;
	return 0;
}

static void
wt_log_generation(const struct wt_gen *g)
{
	size_t pooled = 0, unreadable = 0;

	for (size_t i = 0; i < g->n_keys; i++) {
		unreadable += !g->keys[i].readable;
		if (g->keys[i].readable && !g->keys[i].usable)
			log_warn("key %s is not a key of its type: reports signed with it are "
				 "dropped",
				 g->keys[i].name);
	}
	if (unreadable)
		log_warn("%zu of %zu keys could not be read by the parent", unreadable, g->n_keys);
	for (size_t i = 0; i < g->n_svcs; i++)
		pooled += g->svcs[i].pooled;
	if (g->sock >= 0)
		log_info("holding the report socket (descriptor %d): reports for %zu real "
			 "servers, %zu keys; %zu services with a feedback policy, a round every "
			 "%u ms",
			 g->sock, g->n_rs, g->n_keys, pooled, g->rep.round_ms);
}

static int
wt_install(struct wt_state *s)
{
	struct timeval tv = {s->run.rep.round_ms / 1000, (s->run.rep.round_ms % 1000) * 1000};
	struct ipc_weight *props;
	int r;

	if (!(props = calloc(s->run.n_rs ? s->run.n_rs : 1, sizeof(*props))))
		return -ENOMEM;
	free(s->props);
	s->props = props;
	if ((r = wt_rate_limit(s, s->run.rep.rate_limit ? s->run.rep.rate_limit : 50)) < 0)
		return r;
	if (s->ev_sock)
		event_free(s->ev_sock);
	s->ev_sock = NULL;
	if (s->run.sock >= 0 && (!(s->ev_sock = event_new(s->base, s->run.sock,
							  EV_READ | EV_PERSIST, wt_readable, s)) ||
				 event_add(s->ev_sock, NULL) < 0))
		return -ENOMEM;
	if (!tv.tv_sec && !tv.tv_usec)
		tv.tv_sec = 1;
	event_del(s->ev_round);
	return event_add(s->ev_round, &tv) < 0 ? -ENOMEM : 0;
}

static void
wt_commit(void *state, uint64_t generation)
{
	struct wt_state *s = state;
	int r;

	s->staged.generation = generation;
	if ((r = wt_gen_commit(&s->staged, s->have_run ? &s->run : NULL,
			       lvsd_clock_ms(CLOCK_MONOTONIC))) < 0)
		log_err("weights: cannot set up the new generation: %s; its services keep "
			"their static weights",
			strerror(-r));
	if (s->ev_sock)
		event_free(s->ev_sock);
	s->ev_sock = NULL;
	wt_gen_free(&s->run);
	s->run = s->staged;
	s->have_run = true;
	memset(&s->staged, 0, sizeof(s->staged));
	s->staged.sock = -1;
	wt_log_generation(&s->run);
	if ((r = wt_install(s)) < 0)
		log_err("weights: cannot install the generation: %s", strerror(-r));
	s->counters_changed = true;
	wt_send_feedback(s);
	wt_send_state(s);
}

static int
wt_start(void *state, struct child *c, struct event_base *base)
{
	struct wt_state *s = state;

	s->child = c;
	s->base = base;
	s->ev_round = event_new(base, -1, EV_PERSIST, wt_round, s);
	s->state_msg =
	    malloc(sizeof(*s->state_msg) + IPC_WT_STATE_MAX * sizeof(s->state_msg->rs[0]));
	return s->ev_round && s->state_msg ? 0 : -ENOMEM;
}

static void
wt_message(void *state, struct ipc_msg *msg)
{
	struct wt_state *s = state;

	if (msg->type == IPC_HEALTH && s->have_run)
		wt_gen_health(&s->run, IPC_BODY(msg, struct ipc_health));
}

static void
wt_stop(void *state)
{
	struct wt_state *s = state;

	if (s->ev_sock)
		event_free(s->ev_sock);
	if (s->ev_round)
		event_free(s->ev_round);
	s->ev_sock = s->ev_round = NULL;
	wt_gen_free(&s->staged);
	wt_gen_free(&s->run);
	wt_rl_free(s->rl);
	s->rl = NULL;
	free(s->props);
	s->props = NULL;
	free(s->state_msg);
	s->state_msg = NULL;
}

int
wt_main(int fd)
{
	struct wt_state s = {.staged = {.sock = -1}, .run = {.sock = -1}};
	const struct child_role role = {
	    .name = "weight",
	    .accept = 1u << IPC_CONF_REPORTS | 1u << IPC_CONF_SOCKET | 1u << IPC_CONF_KEY |
		      1u << IPC_CONF_SERVICE | 1u << IPC_CONF_RS | 1u << IPC_WT_RESTORE,
	    .state = &s,
	    .start = wt_start,
	    .begin = wt_begin,
	    .object = wt_object,
	    .commit = wt_commit,
	    .stop = wt_stop,
	    .accept_msgs = 1u << IPC_HEALTH,
	    .message = wt_message,
	};

	return child_run(&role, fd);
}
