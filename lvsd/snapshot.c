/* Snapshots for the metrics child (see snapshot.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "lvsd/confirm.h"
#include "lvsd/core/clock.h"
#include "lvsd/core/log.h"
#include "lvsd/feedback/feedback.h"
#include "lvsd/lvsd.h"
#include "lvsd/proc.h"
#include "lvsd/snapshot.h"
#include "lvsd/writer/effective.h"
#include "lvsd/writer/writer.h"

#define SNAPSHOT_STATUS_WAIT_MS 500 /* the children's status replies, at most */

struct snapshot {
	struct event *timer;
	uint32_t cookie; /* the metrics child's request; 0 when none waits */
	uint32_t status_cookie;
	union { /* one frame's payload, built in place */
		struct ipc_snap_vrrps v;
		struct ipc_snap_svcs s;
		struct ipc_snap_rss r;
		uint64_t align[IPC_PAYLOAD_MAX / 8];
	} buf;
};

static void
snapshot_procs(const struct lvsd *d, struct ipc_snap_begin *h)
{
	h->n_procs = 1;
	ipc_strset(h->procs[0].name, sizeof(h->procs[0].name), "parent");
	h->procs[0].up = 1;
	for (int i = 0; i < LVSD_N_ROLES && h->n_procs < IPC_SNAP_CHILDREN; i++) {
		const struct lvsd_child *c = &d->child[i];
		struct ipc_snap_proc *p = &h->procs[h->n_procs++];

		ipc_strset(p->name, sizeof(p->name), c->name ? c->name : "?");
		p->up = c->pid > 0;
		p->restarts = c->restarts;
	}
}

static void
snapshot_head(const struct lvsd *d, uint32_t cookie, struct ipc_snap_begin *h)
{
	const struct conf *c = d->conf;
	struct writer_stats st;

	memset(h, 0, sizeof(*h));
	h->cookie = cookie;
	h->n_vrrp = (uint32_t)c->n_vrrp;
	h->n_svc = (uint32_t)c->n_services;
	for (size_t i = 0; i < c->n_services; i++)
		h->n_rs += (uint32_t)c->services[i].n_rs;
	ipc_strset(h->director, sizeof(h->director), c->global.director_id);
	ipc_strset(h->version, sizeof(h->version), PACKAGE_VERSION);
	h->generation = d->generation;
	h->loaded_at = (int64_t)d->loaded_at;
	h->reloads = d->reloads_ok;
	h->reloads_failed = d->reloads_failed;
	h->ready = d->applied;
	h->confirm_pending = confirm_pending(d, &h->confirm_left_ms);
	h->rollbacks = confirm_rollbacks(d);
	writer_stats(d->ipvs, &st);
	h->ipvs_available = st.available;
	h->ipvs_applies = st.applies;
	h->ipvs_batches = st.batches;
	h->ipvs_ops = st.ops_total;
	h->ipvs_refused = st.refused_total;
	h->ipvs_resyncs = st.resyncs;
	h->ipvs_repairs = st.repairs;
	h->ipvs_dumps = st.dumps;
	h->ipvs_weight_changes = st.weight_changes;
	h->ipvs_services = st.services;
	h->ipvs_services_accepted = st.services_accepted;
	h->ipvs_dests = st.dests;
	h->ipvs_dests_accepted = st.dests_accepted;
	fb_counters(d, &h->reports_accepted, h->reports_dropped);
	snapshot_procs(d, h);
}

static int
snapshot_vrrp(struct lvsd *d, struct snapshot *sn, struct ipc_chan *ch)
{
	const struct conf *c = d->conf;
	struct ipc_snap_vrrps *m = &sn->buf.v;
	int r = 0;

	for (size_t i = 0; r == 0 && i < c->n_vrrp; i += m->n) {
		memset(m, 0, sizeof(*m));
		for (; m->n < IPC_SNAP_VRRP_MAX && i + m->n < c->n_vrrp; m->n++) {
			const struct conf_vrrp *cv = &c->vrrp[i + m->n];
			const struct lvsd_vrrp *lv = &d->vrrp[i + m->n];
			struct ipc_snap_vrrp *v = &m->v[m->n];

			memset(v, 0, sizeof(*v));
			ipc_strset(v->name, sizeof(v->name), cv->name);
			ipc_strset(v->interface, sizeof(v->interface), cv->interface);
			v->vrid = cv->vrid;
			v->known = lv->known;
			v->state = lv->known ? lv->state : IPC_VRRP_INIT;
			v->priority = lv->known ? lv->priority : cv->priority;
			v->conf_priority = cv->priority;
			v->transitions = lv->last.transitions;
			v->adverts_sent = lv->last.adverts_sent;
			v->adverts_received = lv->last.adverts_received;
			v->adverts_dropped = lv->last.adverts_dropped;
			memcpy(v->drops, lv->last.drops, sizeof(v->drops));
		}
		r = ipc_send(ch, IPC_SNAP_VRRP, m, sizeof(*m) + m->n * sizeof(m->v[0]));
	}
	return r;
}

static void
snapshot_svc_one(const struct lvsd *d, size_t i, struct ipc_snap_svc *v)
{
	const struct conf_service *s = &d->conf->services[i];
	struct eff_view ev;
	bool lost = false;
	uint64_t alive = 0;

	memset(v, 0, sizeof(*v));
	ipc_strset(v->name, sizeof(v->name), s->name);
	v->n_rs = (uint32_t)s->n_rs;
	for (size_t k = 0; k < s->n_rs; k++)
		if (eff_get(d, i, k, &ev) && ev.health == EFF_HEALTH_UP)
			v->n_up++;
	if (eff_quorum_get(d, i, &lost, &alive)) {
		v->has_quorum = 1;
		v->quorum_lost = lost;
		v->quorum = s->quorum;
		v->alive_weight = alive;
	}
}

static int
snapshot_svcs(struct lvsd *d, struct snapshot *sn, struct ipc_chan *ch)
{
	const struct conf *c = d->conf;
	struct ipc_snap_svcs *m = &sn->buf.s;
	int r = 0;

	for (size_t i = 0; r == 0 && i < c->n_services; i += m->n) {
		memset(m, 0, sizeof(*m));
		for (; m->n < IPC_SNAP_SVC_MAX && i + m->n < c->n_services; m->n++)
			snapshot_svc_one(d, i + m->n, &m->s[m->n]);
		r = ipc_send(ch, IPC_SNAP_SVC, m, sizeof(*m) + m->n * sizeof(m->s[0]));
	}
	return r;
}

static void
snapshot_rs_one(const struct lvsd *d, size_t i, size_t k, uint64_t now_ms, struct ipc_snap_rs *v)
{
	const struct conf_service *s = &d->conf->services[i];
	const struct ipc_feedback_rs *f = fb_get(d, (uint32_t)i, (uint32_t)k);
	struct eff_view ev;

	memset(v, 0, sizeof(*v));
	v->svc = (uint32_t)i;
	conf_rs_endpoint(s, &s->rs[k], v->server, sizeof(v->server));
	v->weight_configured = s->rs[k].weight;
	v->report_age_ms = UINT32_MAX;
	if (eff_get(d, i, k, &ev)) {
		v->health = ev.health == EFF_HEALTH_UP	   ? IPC_HEALTH_UP
			    : ev.health == EFF_HEALTH_DOWN ? IPC_HEALTH_DOWN
							   : IPC_HEALTH_UNKNOWN;
		v->drained = ev.drained;
		v->check_reason = ev.check_reason;
		v->weight_effective = ev.effective;
		v->weight_configured = ev.static_weight;
		v->checks_up = ev.went_up;
		v->checks_down = ev.went_down;
	}
	if (f) {
		v->has_feedback = 1;
		v->fb_state = f->state;
		v->weight_feedback = f->weight;
		v->reports = f->reports;
		if (f->has_report) {
			uint64_t age = now_ms > f->report_mono_ms ? now_ms - f->report_mono_ms : 0;

			v->has_report = 1;
			v->report_age_ms = age < UINT32_MAX ? (uint32_t)age : UINT32_MAX - 1;
		}
	}
}

static int
snapshot_rss(struct lvsd *d, struct snapshot *sn, struct ipc_chan *ch)
{
	const struct conf *c = d->conf;
	struct ipc_snap_rss *m = &sn->buf.r;
	uint64_t now_ms = lvsd_clock_ms(CLOCK_MONOTONIC);
	int r = 0;

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; r == 0 && i < c->n_services; i++)
		for (size_t k = 0; r == 0 && k < c->services[i].n_rs; k++) {
			snapshot_rs_one(d, i, k, now_ms, &m->rs[m->n++]);
			if (m->n == IPC_SNAP_RS_MAX) {
				r = ipc_send(ch, IPC_SNAP_RS, m,
					     sizeof(*m) + m->n * sizeof(m->rs[0]));
				m->n = 0;
			}
		}
	if (r == 0 && m->n)
		r = ipc_send(ch, IPC_SNAP_RS, m, sizeof(*m) + m->n * sizeof(m->rs[0]));
	return r;
}

/* The whole snapshot to the metrics child. */
static void
snapshot_send(struct lvsd *d, struct snapshot *sn)
{
	struct lvsd_child *c = &d->child[LVSD_METRICS];
	struct ipc_snap_begin h;
	struct ipc_snap_end e = {.cookie = sn->cookie};
	int r;

	evtimer_del(sn->timer);
	if (!c->ch) {
		sn->cookie = 0;
		return;
	}
	snapshot_head(d, sn->cookie, &h);
	sn->cookie = 0;
	r = ipc_send(c->ch, IPC_SNAP_BEGIN, &h, sizeof(h));
	if (r == 0)
		r = snapshot_vrrp(d, sn, c->ch);
	if (r == 0)
		r = snapshot_svcs(d, sn, c->ch);
	if (r == 0)
		r = snapshot_rss(d, sn, c->ch);
	if (r == 0)
		r = ipc_send(c->ch, IPC_SNAP_END, &e, sizeof(e));
	if (r < 0)
		log_warn("metrics: cannot send a snapshot to the metrics child: %s; the scrape "
			 "fails",
			 strerror(-r));
}

static void
snapshot_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct lvsd *d = arg;

	if (d->snap && d->snap->cookie)
		snapshot_send(d, d->snap);
}

void
snapshot_request(struct lvsd *d, uint32_t cookie)
{
	struct timeval tv = {0, SNAPSHOT_STATUS_WAIT_MS * 1000};
	struct snapshot *sn = d->snap;

	if (!sn && (sn = d->snap = calloc(1, sizeof(*sn))) &&
	    !(sn->timer = evtimer_new(d->base, snapshot_timeout, d))) {
		free(sn);
		sn = d->snap = NULL;
	}
	if (!sn) {
		log_warn("metrics: out of memory for a snapshot; the scrape fails");
		return;
	}
	if (sn->cookie) { /* a newer request replaces the one waiting */
		sn->cookie = cookie;
		return;
	}
	sn->cookie = cookie;
	sn->status_cookie = proc_status_request(d);
	if (proc_status_complete(d, sn->status_cookie))
		snapshot_send(d, sn);
	else
		evtimer_add(sn->timer, &tv);
}

void
snapshot_progress(struct lvsd *d)
{
	if (d->snap && d->snap->cookie && proc_status_complete(d, d->snap->status_cookie))
		snapshot_send(d, d->snap);
}

void
snapshot_free(struct lvsd *d)
{
	if (!d->snap)
		return;
	if (d->snap->timer)
		event_free(d->snap->timer);
	free(d->snap);
	d->snap = NULL;
}
