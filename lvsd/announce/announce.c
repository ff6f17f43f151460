/* The announce policy: which VIP routes the director keeps, from the
 * running configuration's announce sections and the parent's state; see
 * announce.h.  Every transition is logged once, with the service and the
 * reason that decided it. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "lvsd/announce/announce.h"
#include "lvsd/announce/announce_calc.h"
#include "lvsd/announce/announce_kernel.h"
#include "lvsd/core/clock.h"
#include "lvsd/core/json.h"
#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/writer/effective.h"
#include "lvsd/writer/writer.h"

#define ANN_TICK_S 1	   /* judge again: IPVS appearing, a kernel error to retry */
#define ANN_REPAIR_TICKS 5 /* and this often, put back a route removed by hand */
#define ANN_REASON_MAX (CONF_NAME_MAX + 128)

struct ann_vip {
	struct conf_addr addr;
	uint32_t table;
	bool present;		     /* in the kernel, as far as lvsd knows */
	bool judged;		     /* a judgement was logged */
	enum ann_why why;	     /* the last judgement */
	char reason[ANN_REASON_MAX]; /* "service web: 3 of 3 real servers up" */
	struct timespec since;	     /* CLOCK_MONOTONIC, of the last change of present */
	int err;		     /* the kernel's last refusal, logged once; 0 none */
};

struct announce {
	struct ann_nl *nl;
	int nl_err; /* why nl could not be opened (logged once) */
	struct ann_vip *vips;
	size_t n;
	bool draining;
	struct timespec drain_since;
	struct event *tick;
	unsigned ticks;
};

static const char *
ann_vip_name(const struct ann_vip *v, char *buf, size_t len)
{
	char a[CONF_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u table %u", conf_addr_str(&v->addr, a, sizeof(a)),
		 v->addr.family == AF_INET ? 32 : 128, v->table);
	return buf;
}

/* What the judgement of service i reads. */
static void
ann_input(const struct lvsd *d, size_t i, struct ann_input *in)
{
	const struct conf_service *s = &d->conf->services[i];
	struct writer_stats st = {0};
	struct eff_view v;

	memset(in, 0, sizeof(*in));
	if (d->ipvs)
		writer_stats(d->ipvs, &st);
	in->stopping = d->stopping;
	in->draining = d->ann && d->ann->draining;
	in->ipvs = st.available;
	in->applied = d->applied;
	in->programmed = st.services_accepted >= st.services;
	in->n_rs = (uint32_t)s->n_rs;
	in->min_up = s->announce.min_up;
	for (size_t j = 0; j < s->n_rs; j++) {
		const struct conf_rs *rs = &s->rs[j];
		bool unchecked =
		    (rs->has_check ? rs->check.type : s->check.type) == CONF_CHECK_NONE;

		if (!eff_get(d, i, j, &v) || v.drained)
			continue;
		if (!eff_health_first_known(&v) && !unchecked)
			in->unknown++;
		else if (v.health != EFF_HEALTH_DOWN && v.effective > 0)
			in->up++;
	}
}

/* The judgement of a VIP: the first service that withdraws it decides,
 * else the first that waits, else the first (fit). */
static enum ann_why
ann_judge_vip(const struct lvsd *d, const struct ann_vip *vip, char *reason, size_t len)
{
	enum ann_why best = ANN_FIT;
	int rank = -1;

	for (size_t i = 0; i < d->conf->n_services; i++) {
		const struct conf_service *s = &d->conf->services[i];
		struct ann_input in;
		enum ann_why w;
		bool keep, want;
		char why[128];
		int r;

		if (!s->has_announce || !conf_addr_same(&s->addr, &vip->addr))
			continue;
		ann_input(d, i, &in);
		w = ann_judge(&in);
		want = ann_wants(w, &keep);
		r = want ? 0 : keep ? 1 : 2;
		if (r <= rank)
			continue;
		rank = r;
		best = w;
		snprintf(reason, len, "service %s: %s", s->name,
			 ann_why_str(w, &in, why, sizeof(why)));
	}
	return best;
}

static void
ann_set(struct lvsd *d, struct ann_vip *v, bool present, enum ann_why w, const char *reason)
{
	char name[CONF_ADDRSTRLEN + 32];
	int r = d->ann->nl ? ann_nl_set(d->ann->nl, v->table, &v->addr, present) : -ENOTCONN;

	ann_vip_name(v, name, sizeof(name));
	if (r < 0) {
		if (r != v->err)
			log_err("announce %s: cannot %s the route: %s (trying again)", name,
				present ? "add" : "remove", strerror(-r));
		v->err = r;
		return;
	}
	if (v->err)
		log_notice("announce %s: the kernel takes the route change again", name);
	v->err = 0;
	if (v->present != present) {
		clock_gettime(CLOCK_MONOTONIC, &v->since);
		if (present)
			log_notice("announce %s: announced: %s", name, reason);
		else
			log_warn("announce %s: withdrawn: %s", name, reason);
	}
	v->present = present;
	v->why = w;
	v->judged = true;
}

void
announce_update(struct lvsd *d)
{
	struct announce *a = d->ann;

	for (size_t i = 0; a && i < a->n; i++) {
		struct ann_vip *v = &a->vips[i];
		char reason[ANN_REASON_MAX], name[CONF_ADDRSTRLEN + 32];
		enum ann_why w = ann_judge_vip(d, v, reason, sizeof(reason));
		bool keep, want = ann_wants(w, &keep);

		if (!keep && (want != v->present || v->err)) {
			ann_set(d, v, want, w, reason);
		} else if (v->why != w || !v->judged) {
			/* same route, another reason: said once */
			ann_vip_name(v, name, sizeof(name));
			if (keep)
				log_debug("announce %s: %s, waiting: %s", name,
					  v->present ? "announced" : "not announced", reason);
			else
				log_info("announce %s: %s: %s", name,
					 v->present ? "announced" : "not announced", reason);
			v->why = w;
			v->judged = true;
		}
		snprintf(v->reason, sizeof(v->reason), "%s", reason);
	}
}

/* A route lvsd announces that someone removed (ip route del, a flush)
 * is put back, as the IPVS resync repairs the table. */
static void
ann_repair(struct lvsd *d)
{
	struct announce *a = d->ann;
	char name[CONF_ADDRSTRLEN + 32];

	for (size_t i = 0; a && a->nl && i < a->n; i++) {
		struct ann_vip *v = &a->vips[i];

		if (v->present && !v->err && ann_nl_ensure(a->nl, v->table, &v->addr) == 1)
			log_warn("announce %s: the route was gone from the kernel; put back",
				 ann_vip_name(v, name, sizeof(name)));
	}
}

static void
ann_tick(evutil_socket_t fd, short what, void *arg)
{
	struct lvsd *d = arg;

	announce_update(d);
	if (d->ann && ++d->ann->ticks % ANN_REPAIR_TICKS == 0)
		ann_repair(d);
}

struct ann_adopt {
	struct lvsd *d;
	struct announce *a;
};

/* A route of lvsd's in the kernel: adopt it when wanted, else remove it. */
static void
ann_found(void *arg, uint32_t table, const struct conf_addr *dst)
{
	struct ann_adopt *ad = arg;
	struct ann_vip stale = {.addr = *dst, .table = table};
	char name[CONF_ADDRSTRLEN + 32];
	int r;

	for (size_t i = 0; i < ad->a->n; i++) {
		struct ann_vip *v = &ad->a->vips[i];

		if (v->table == table && conf_addr_same(&v->addr, dst)) {
			if (!v->present)
				clock_gettime(CLOCK_MONOTONIC, &v->since);
			v->present = true;
			return;
		}
	}
	r = ann_nl_set(ad->a->nl, table, dst, false);
	if (r < 0)
		log_err("announce %s: cannot remove this route, no longer announced: %s",
			ann_vip_name(&stale, name, sizeof(name)), strerror(-r));
	else
		log_notice("announce %s: removed: no longer announced",
			   ann_vip_name(&stale, name, sizeof(name)));
}

/* The VIPs of c with an announce section, once each, carrying what old
 * knew of them. */
static int
ann_build(const struct conf *c, const struct announce *old, struct announce *a)
{
	a->vips = calloc(c->n_services ? c->n_services : 1, sizeof(*a->vips));
	if (!a->vips)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_services; i++) {
		const struct conf_service *s = &c->services[i];
		struct ann_vip *v = &a->vips[a->n];
		bool dup = false;

		if (!s->has_announce)
			continue;
		for (size_t k = 0; k < a->n && !dup; k++)
			dup = conf_addr_same(&a->vips[k].addr, &s->addr);
		if (dup)
			continue;
		v->addr = s->addr;
		v->table = s->announce.table;
		v->why = ANN_WAIT_APPLY;
		for (size_t k = 0; old && k < old->n; k++)
			if (old->vips[k].table == v->table &&
			    conf_addr_same(&old->vips[k].addr, &v->addr))
				*v = old->vips[k];
		a->n++;
	}
	return 0;
}

int
announce_reset(struct lvsd *d)
{
	struct announce *old = d->ann, *a = calloc(1, sizeof(*a));
	struct ann_adopt ad;
	int r;

	if (!a || ann_build(d->conf, old, a) < 0) {
		free(a);
		log_err("announce: out of memory: routes stay as they are");
		return -ENOMEM;
	}
	if (old) {
		a->nl = old->nl;
		a->nl_err = old->nl_err;
		a->draining = old->draining;
		a->drain_since = old->drain_since;
		a->tick = old->tick;
		free(old->vips);
		free(old);
	}
	/* the first reset, or the one after announce_restore */
	if (!a->nl && !a->nl_err && (r = ann_nl_open(&a->nl)) < 0)
		a->nl_err = r;
	d->ann = a;
	if (!a->nl && a->n)
		log_err("announce: cannot open rtnetlink: %s: no route is announced",
			strerror(-a->nl_err));
	ad.d = d;
	ad.a = a;
	if (a->nl && (r = ann_nl_list(a->nl, ann_found, &ad)) < 0)
		log_err("announce: cannot read the kernel's routes: %s", strerror(-r));
	if (!a->tick && d->base && (a->tick = event_new(d->base, -1, EV_PERSIST, ann_tick, d)))
		event_add(a->tick, &(struct timeval){ANN_TICK_S, 0});
	announce_update(d);
	return 0;
}

size_t
announce_drain(struct lvsd *d, bool drain)
{
	struct announce *a = d->ann;
	size_t n = 0;

	if (!a)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		n += a->vips[i].present;
	if (drain && !a->draining)
		clock_gettime(CLOCK_MONOTONIC, &a->drain_since);
	if (a->draining != drain)
		log_notice("director %s by the operator: %zu routes to withdraw",
			   drain ? "drained" : "undrained", drain ? n : (size_t)0);
	a->draining = drain;
	announce_update(d);
	if (!drain)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		n -= a->vips[i].present; /* those the kernel refused to remove */
	return n;
}

bool
announce_draining(const struct lvsd *d)
{
	return d->ann && d->ann->draining;
}

double
announce_drained_for(const struct lvsd *d)
{
	return announce_draining(d) ? lvsd_since(&d->ann->drain_since) : 0;
}

int
announce_restore(struct lvsd *d, bool draining, double since_s)
{
	struct timespec now;

	if (!draining)
		return 0;
	if (!d->ann && !(d->ann = calloc(1, sizeof(*d->ann))))
		return -ENOMEM;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since_s < 0 || since_s > (double)now.tv_sec)
		since_s = 0;
	now.tv_sec -= (time_t)since_s;
	d->ann->draining = true;
	d->ann->drain_since = now;
	return 0;
}

void
announce_free(struct lvsd *d)
{
	struct announce *a = d->ann;

	if (!a)
		return;
	d->stopping = true;
	announce_update(d);
	if (a->tick)
		event_free(a->tick);
	ann_nl_close(a->nl);
	free(a->vips);
	free(a);
	d->ann = NULL;
}

void
announce_status_text(const struct lvsd *d, struct evbuffer *out)
{
	const struct announce *a = d->ann;
	char name[CONF_ADDRSTRLEN + 32], t[32];

	if (!a || (!a->n && !a->draining))
		return;
	if (a->draining)
		evbuffer_add_printf(out, "announce: director draining for %.0fs\n",
				    lvsd_since(&a->drain_since));
	else
		evbuffer_add_printf(out, "announce: director serving\n");
	for (size_t i = 0; i < a->n; i++) {
		const struct ann_vip *v = &a->vips[i];

		snprintf(t, sizeof(t), v->since.tv_sec ? " for %.0fs" : "", lvsd_since(&v->since));
		evbuffer_add_printf(out, "  %s: %s%s: %s%s%s\n",
				    ann_vip_name(v, name, sizeof(name)),
				    v->present ? "announced" : "withdrawn", t, v->reason,
				    v->err ? "; kernel: " : "", v->err ? strerror(-v->err) : "");
	}
}

void
announce_status_json(const struct lvsd *d, struct json *j)
{
	const struct announce *a = d->ann;
	char addr[CONF_ADDRSTRLEN];

	json_object_begin(j, "announce");
	json_bool(j, "draining", a && a->draining);
	if (a && a->draining)
		json_double(j, "draining_s", lvsd_since(&a->drain_since));
	json_array_begin(j, "routes");
	for (size_t i = 0; a && i < a->n; i++) {
		const struct ann_vip *v = &a->vips[i];

		json_object_begin(j, NULL);
		json_string(j, "vip", conf_addr_str(&v->addr, addr, sizeof(addr)));
		json_uint(j, "prefix", v->addr.family == AF_INET ? 32 : 128);
		json_uint(j, "table", v->table);
		json_bool(j, "announced", v->present);
		json_string(j, "why", ann_why_name(v->why));
		json_string(j, "reason", v->reason);
		if (v->since.tv_sec)
			json_double(j, "since_s", lvsd_since(&v->since));
		if (v->err)
			json_string(j, "kernel_error", strerror(-v->err));
		else
			json_null(j, "kernel_error");
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}
