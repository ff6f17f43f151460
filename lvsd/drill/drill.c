/* Drills: the record of VRRP transitions and planned handovers (drill.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "lvsd/core/ipc.h"
#include "lvsd/core/log.h"
#include "lvsd/core/names.h"
#include "lvsd/drill/drill.h"
#include "lvsd/lvsd.h"

#define DRILL_HANDOVER_MARGIN_MS 2000

struct drill_event {
	struct timespec wall; /* CLOCK_REALTIME */
	char name[CONF_NAME_MAX];
	uint8_t from, to, why, priority;
	struct ipc_addr master;
	uint32_t gap_ms;
};

/* One instance of a handover in progress. */
struct drill_target {
	char name[CONF_NAME_MAX];
	bool done;
	struct ipc_addr master; /* the new master, once heard */
	uint32_t gap_ms;
};

struct drill_handover {
	struct drill_handover *next;
	uint32_t cookie;
	size_t n;
	struct drill_target t[];
};

struct drill {
	struct drill_event log[DRILL_LOG];
	size_t next, count;
	uint32_t cookie;
	struct drill_handover *handovers;
};

int
drill_init(struct lvsd *d)
{
	d->drill = calloc(1, sizeof(*d->drill));
	return d->drill ? 0 : -ENOMEM;
}

void
drill_free(struct lvsd *d)
{
	if (!d->drill)
		return;
	while (d->drill->handovers) {
		struct drill_handover *h = d->drill->handovers;

		d->drill->handovers = h->next;
		free(h);
	}
	free(d->drill);
	d->drill = NULL;
}

static const char *
drill_addr(const struct ipc_addr *a, char *buf, size_t len)
{
	static const uint8_t zero[16];
	struct conf_addr c = {.family = a->family, .prefix = a->family == AF_INET ? 32 : 128};

	if ((a->family != AF_INET && a->family != AF_INET6) || !memcmp(a->addr, zero, 16))
		return "-";
	memcpy(&c.u, a->addr, a->family == AF_INET ? 4 : 16);
	return conf_addr_str(&c, buf, len);
}

/* A handover waiting on this instance: it completed. */
static void
drill_handover_mark(struct drill *dr, const char *name, const struct ipc_vrrp_state *v)
{
	for (struct drill_handover *h = dr->handovers; h; h = h->next) {
		if (h->cookie != v->handover_cookie)
			continue;
		for (size_t i = 0; i < h->n; i++)
			if (!strcmp(h->t[i].name, name)) {
				h->t[i].done = true;
				h->t[i].master = v->master;
				h->t[i].gap_ms = v->gap_ms;
			}
	}
}

void
drill_record(struct lvsd *d, const struct ipc_vrrp_state *v)
{
	struct drill *dr = d->drill;
	struct drill_event *e;
	const char *name = d->conf->vrrp[v->instance_id].name;

	if (!dr || v->reason == VRRP_WHY_NONE) /* a status answer, not a transition */
		return;
	e = &dr->log[dr->next];
	dr->next = (dr->next + 1) % DRILL_LOG;
	if (dr->count < DRILL_LOG)
		dr->count++;
	clock_gettime(CLOCK_REALTIME, &e->wall);
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->from = v->prev;
	e->to = v->state;
	e->why = v->reason;
	e->priority = v->priority;
	e->master = v->master;
	e->gap_ms = v->gap_ms;
	if (v->reason == VRRP_WHY_HANDED_OVER && v->handover_cookie)
		drill_handover_mark(dr, name, v);
}

static void
drill_report_one(const struct drill_event *e, struct evbuffer *out)
{
	char t[32], a[CONF_ADDRSTRLEN];
	struct tm tm;

	localtime_r(&e->wall.tv_sec, &tm);
	strftime(t, sizeof(t), "%H:%M:%S", &tm);
	evbuffer_add_printf(out, "  %s.%03ld  %-12s %-7s -> %-7s %s", t, e->wall.tv_nsec / 1000000,
			    e->name, vrrp_st_name((enum vrrp_st)e->from),
			    vrrp_st_name((enum vrrp_st)e->to), vrrp_why_name((enum vrrp_why)e->why));
	if (e->gap_ms != UINT32_MAX && e->why == VRRP_WHY_HANDED_OVER)
		evbuffer_add_printf(out, "; the new master %s was heard %u ms after the resign",
				    drill_addr(&e->master, a, sizeof(a)), e->gap_ms);
	else if (e->gap_ms != UINT32_MAX && e->to == VRRP_MASTER)
		evbuffer_add_printf(out, "; %u ms after the last advertisement of the old master",
				    e->gap_ms);
	else if (e->to == VRRP_BACKUP && strcmp(drill_addr(&e->master, a, sizeof(a)), "-"))
		evbuffer_add_printf(out, "; master %s", a);
	evbuffer_add_printf(out, "\n");
}

void
drill_report(const struct lvsd *d, struct evbuffer *out)
{
	const struct drill *dr = d->drill;
	size_t first;

	if (!dr || !dr->count) {
		evbuffer_add_printf(out, "no VRRP transition since lvsd started\n");
		return;
	}
	evbuffer_add_printf(out, "the last %zu VRRP transitions, oldest first:\n", dr->count);
	first = (dr->next + DRILL_LOG - dr->count) % DRILL_LOG;
	for (size_t i = 0; i < dr->count; i++)
		drill_report_one(&dr->log[(first + i) % DRILL_LOG], out);
}

/* The instances a handover of name (NULL: all) concerns: the masters. */
static int
drill_targets(struct lvsd *d, const char *name, struct drill_handover **out, uint32_t *wait_ms,
	      char *err, size_t len)
{
	const struct conf *c = d->conf;
	struct drill_handover *h = calloc(1, sizeof(*h) + c->n_vrrp * sizeof(h->t[0]));
	bool found = false;

	if (!h)
		return -ENOMEM;
	*wait_ms = 0;
	for (size_t i = 0; i < c->n_vrrp; i++) {
		uint32_t w = 3 * c->vrrp[i].advert_interval_ms + 1000;

		if (name && strcmp(name, c->vrrp[i].name))
			continue;
		found = true;
		if (!d->vrrp[i].known || d->vrrp[i].state != IPC_VRRP_MASTER)
			continue;
		snprintf(h->t[h->n++].name, sizeof(h->t[0].name), "%s", c->vrrp[i].name);
		if (w > *wait_ms)
			*wait_ms = w;
	}
	if (!h->n) {
		free(h);
		if (name && !found) {
			snprintf(err, len, "no vrrp instance %s", name);
			return -ENOENT;
		}
		if (name)
			snprintf(err, len, "%s is not master here: hand over from the master", name);
		else
			snprintf(err, len, "no instance is master here: hand over from the master");
		return -EAGAIN;
	}
	*wait_ms += DRILL_HANDOVER_MARGIN_MS;
	*out = h;
	return 0;
}

int
drill_handover(struct lvsd *d, const char *name, uint32_t *cookie, uint32_t *wait_ms, char *err,
	       size_t len)
{
	struct lvsd_child *vc = &d->child[LVSD_VRRP];
	struct ipc_handover m;
	struct drill_handover *h;
	int r;

	if (!d->drill || !vc->ch) {
		snprintf(err, len, "the vrrp child is not running");
		return -ENOTCONN;
	}
	if ((r = drill_targets(d, name, &h, wait_ms, err, len)) < 0)
		return r;
	memset(&m, 0, sizeof(m));
	m.generation = d->generation;
	m.instance_id = UINT32_MAX;
	for (size_t i = 0; name && i < d->conf->n_vrrp; i++)
		if (!strcmp(name, d->conf->vrrp[i].name))
			m.instance_id = (uint32_t)i;
	m.cookie = ++d->drill->cookie ? d->drill->cookie : ++d->drill->cookie;
	if ((r = ipc_send(vc->ch, IPC_HANDOVER, &m, sizeof(m))) < 0) {
		free(h);
		snprintf(err, len, "cannot reach the vrrp child: %s", strerror(-r));
		return r;
	}
	h->cookie = m.cookie;
	h->next = d->drill->handovers;
	d->drill->handovers = h;
	*cookie = m.cookie;
	log_notice("handover of %s asked over the control socket", name ? name : "every instance");
	return 0;
}

static void
drill_handover_lines(const struct drill_handover *h, struct evbuffer *out, bool *ok)
{
	char a[CONF_ADDRSTRLEN];

	*ok = true;
	for (size_t i = 0; i < h->n; i++) {
		if (h->t[i].done)
			evbuffer_add_printf(out, "%s: handed over to %s; heard %u ms after the resign\n",
					    h->t[i].name, drill_addr(&h->t[i].master, a, sizeof(a)),
					    h->t[i].gap_ms);
		else
			evbuffer_add_printf(out, "%s: no new master heard: still master\n",
					    h->t[i].name);
		*ok &= h->t[i].done;
	}
}

bool
drill_handover_done(struct lvsd *d, uint32_t cookie, bool final, struct evbuffer *out, bool *ok)
{
	struct drill_handover **pp, *h;
	bool all = true;

	if (!d->drill)
		return true;
	for (pp = &d->drill->handovers; *pp && (*pp)->cookie != cookie; pp = &(*pp)->next)
		;
	if (!(h = *pp)) {
		*ok = false;
		return true;
	}
	for (size_t i = 0; i < h->n; i++)
		all &= h->t[i].done;
	if (!all && !final)
		return false;
	drill_handover_lines(h, out, ok);
	*pp = h->next;
	free(h);
	return true;
}
