/* lvs-agent's loop: a sample every sample_ms into a window of the last
 * window_ms, and every report_ms (or once, when the window is full) a
 * report: encoded, signed and sent to every director. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/rand.h>

#include "lvsd/core/clock.h"
#include "lvsd/core/log.h"
#include "weight/agent.h"
#include "weight/agent_sample.h"

struct agent {
	struct agent_opts *o;
	const struct rpt_key *key; /* NULL: print only, unsigned */
	struct event_base *base;
	struct smp_sample *win; /* oldest first */
	size_t n, cap;
	bool sample_failing;
	uint8_t boot_id[RPT_BOOT_ID_LEN];
	uint64_t seq;
	int fd4, fd6;
	int status;
};

/* Build the report of the current window into buf: its length, or -errno. */
static int
agent_build(struct agent *a, struct rpt_report *r, uint8_t *buf)
{
	int len;

	memset(r, 0, sizeof(*r));
	r->sig = a->key ? (uint8_t)a->key->sig : RPT_SIG_ED25519;
	r->server = a->o->server;
	memcpy(r->boot_id, a->boot_id, sizeof(r->boot_id));
	r->seq = ++a->seq;
	r->time_ns = lvsd_clock_ns(CLOCK_REALTIME);
	r->window_ms = (uint32_t)(a->win[a->n - 1].mono_ms - a->win[0].mono_ms);
	smp_window(a->win, a->n, &r->m);
	len = rpt_encode(r, buf, RPT_MAX_LEN);
	if (len >= 0 && a->key) {
		int e = rpt_sign(a->key, buf, (size_t)len);

		if (e < 0)
			return e;
	}
	return len;
}

static void
agent_send(struct agent *a, const uint8_t *buf, size_t len)
{
	for (unsigned i = 0; i < a->o->n_dirs; i++) {
		struct agent_director *d = &a->o->dirs[i];
		int fd = d->ss.ss_family == AF_INET ? a->fd4 : a->fd6;

		if (sendto(fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&d->ss, d->len) < 0) {
			if (!d->failing)
				log_warn("director %s: cannot send: %s", d->name, strerror(errno));
			d->failing = true;
		} else if (d->failing) {
			log_info("director %s: sending again", d->name);
			d->failing = false;
		}
	}
}

static void
agent_report(struct agent *a)
{
	uint8_t buf[RPT_MAX_LEN];
	struct rpt_report r;
	int len;

	if (a->n == 0)
		return;
	len = agent_build(a, &r, buf);
	if (len < 0) {
		log_err("cannot build report %llu: %s", (unsigned long long)a->seq, strerror(-len));
		a->status = 1;
		return;
	}
	if (a->o->print)
		agent_print(stdout, &r, a->key ? len : 0);
	if (a->key)
		agent_send(a, buf, (size_t)len);
	if (a->o->verbose)
		log_info("report %llu sent to %u directors", (unsigned long long)r.seq,
			 a->o->n_dirs);
}

static void
agent_on_report(evutil_socket_t fd, short what, void *arg)
{
	agent_report(arg);
}

static void
agent_push(struct agent *a, const struct smp_sample *s)
{
	if (a->n == a->cap) {
		memmove(a->win, a->win + 1, (a->cap - 1) * sizeof(*a->win));
		a->n--;
	}
	a->win[a->n++] = *s;
}

static void
agent_on_sample(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	struct smp_sample s;
	int r = smp_take(a->o->proc, a->o->cgroup, lvsd_clock_ms(CLOCK_MONOTONIC), &s);

	if (r < 0) {
		if (!a->sample_failing)
			log_warn("cannot sample %s%s%s: %s", a->o->proc,
				 a->o->cgroup ? " and " : "", a->o->cgroup ? a->o->cgroup : "",
				 strerror(-r));
		a->sample_failing = true;
		return;
	}
	a->sample_failing = false;
	agent_push(a, &s);
	if (a->o->once && a->n == a->cap) {
		agent_report(a);
		event_base_loopbreak(a->base);
	}
}

static void
agent_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct agent *a = arg;

	event_base_loopbreak(a->base);
}

/* One socket per family the directors use. */
static int
agent_sockets(struct agent *a)
{
	for (unsigned i = 0; i < a->o->n_dirs; i++) {
		int fam = a->o->dirs[i].ss.ss_family;
		int *fd = fam == AF_INET ? &a->fd4 : &a->fd6;

		if (*fd >= 0)
			continue;
		*fd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (*fd < 0)
			return -errno;
	}
	return 0;
}

static struct event *
agent_timer(struct agent *a, uint32_t ms, event_callback_fn cb)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
	struct event *ev = event_new(a->base, -1, EV_PERSIST, cb, a);

	if (ev && event_add(ev, &tv) < 0) {
		event_free(ev);
		ev = NULL;
	}
	return ev;
}

/* Run the loop until a signal, or the one report of --once. */
static int
agent_loop(struct agent *a)
{
	struct event *ev[4] = {
	    agent_timer(a, a->o->sample_ms, agent_on_sample),
	    a->o->once ? NULL : agent_timer(a, a->o->report_ms, agent_on_report),
	    evsignal_new(a->base, SIGTERM, agent_on_signal, a),
	    evsignal_new(a->base, SIGINT, agent_on_signal, a),
	};
	int r = 0;

	if (!ev[0] || (!a->o->once && !ev[1]) || !ev[2] || !ev[3] || event_add(ev[2], NULL) < 0 ||
	    event_add(ev[3], NULL) < 0)
		r = -ENOMEM;
	if (r == 0)
		agent_on_sample(-1, 0, a); /* the first sample now, not a period later */
	/* a window of one sample is reported already */
	if (r == 0 && !(a->o->once && a->n == a->cap) && event_base_dispatch(a->base) < 0)
		r = -EIO;
	for (int i = 0; i < 4; i++)
		if (ev[i])
			event_free(ev[i]);
	return r;
}

int
agent_run(struct agent_opts *o, const struct rpt_key *key)
{
	struct agent a = {.o = o, .key = key, .fd4 = -1, .fd6 = -1};
	int r;

	a.cap = o->window_ms / o->sample_ms + 1;
	a.win = calloc(a.cap, sizeof(*a.win));
	a.base = event_base_new();
	if (!a.win || !a.base || RAND_bytes(a.boot_id, sizeof(a.boot_id)) != 1)
		r = -ENOMEM;
	else
		r = agent_sockets(&a);
	if (r == 0) {
		char id[64];

		agent_server_str(&o->server, id, sizeof(id));
		if (!o->once)
			log_info("reporting as %s every %u ms over %u ms to %u directors", id,
				 o->report_ms, o->window_ms, o->n_dirs);
		r = agent_loop(&a);
	}
	if (r < 0)
		log_err("%s", strerror(-r));
	if (a.fd4 >= 0)
		close(a.fd4);
	if (a.fd6 >= 0)
		close(a.fd6);
	if (a.base)
		event_base_free(a.base);
	free(a.win);
	return r < 0 ? 1 : a.status;
}
