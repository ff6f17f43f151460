/* What the children report, into the parent's state: health results and
 * weight proposals for real servers (handed to the IPVS writer through
 * the effective weight), VRRP state changes per instance.  The caller
 * (proc.c) has checked each message's generation and ids; what must be
 * judged again above (readiness, routes, a handover waiting) is told
 * through main's hooks. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "lvsd/core/ipc.h"
#include "lvsd/core/log.h"
#include "lvsd/core/names.h"
#include "lvsd/drill/drill.h"
#include "lvsd/feedback/feedback.h"
#include "lvsd/lvsd.h"
#include "lvsd/results.h"
#include "lvsd/scripts/notify.h"
#include "lvsd/state/state.h"
#include "lvsd/writer/effective.h"

static bool
results_rs_valid(const struct conf *c, uint32_t svc, uint32_t rs)
{
	return svc < c->n_services && rs < c->services[svc].n_rs;
}

static int
results_judge_health(const struct conf *c, const struct ipc_health *m)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (!results_rs_valid(c, m->rs[i].service_id, m->rs[i].rs_id) ||
		    m->rs[i].state > IPC_HEALTH_DOWN)
			return -EINVAL;
	return 1;
}

static int
results_judge_feedback(const struct conf *c, const struct ipc_feedback *m)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (!results_rs_valid(c, m->rs[i].service_id, m->rs[i].rs_id))
			return -EINVAL;
	return 1;
}

static int
results_judge_wt_state(const struct conf *c, const struct ipc_wt_state *m)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (!results_rs_valid(c, m->rs[i].service_id, m->rs[i].rs_id))
			return -EINVAL;
	return 1;
}

static int
results_judge_weights(const struct conf *c, const struct ipc_weights *m)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (!results_rs_valid(c, m->w[i].service_id, m->w[i].rs_id) ||
		    m->w[i].weight > 65535)
			return -EINVAL;
	return 1;
}

int
results_judge(const struct conf *c, uint64_t generation, enum lvsd_role from,
	      const struct ipc_msg *m)
{
	const struct ipc_vrrp_state *v;

	switch (m->type) {
	case IPC_HEALTH:
		if (from != LVSD_CHECKERS)
			return -EPROTO;
		if (IPC_BODY(m, struct ipc_health)->generation != generation)
			return 0;
		return results_judge_health(c, IPC_BODY(m, struct ipc_health));
	case IPC_WEIGHTS:
		if (from != LVSD_WEIGHT)
			return -EPROTO;
		if (IPC_BODY(m, struct ipc_weights)->generation != generation)
			return 0;
		return results_judge_weights(c, IPC_BODY(m, struct ipc_weights));
	case IPC_FEEDBACK:
		if (from != LVSD_WEIGHT)
			return -EPROTO;
		if (IPC_BODY(m, struct ipc_feedback)->generation != generation)
			return 0;
		return results_judge_feedback(c, IPC_BODY(m, struct ipc_feedback));
	case IPC_WT_STATE:
		if (from != LVSD_WEIGHT)
			return -EPROTO;
		if (IPC_BODY(m, struct ipc_wt_state)->generation != generation)
			return 0;
		return results_judge_wt_state(c, IPC_BODY(m, struct ipc_wt_state));
	case IPC_VRRP_STATE:
		v = IPC_BODY(m, struct ipc_vrrp_state);
		if (from != LVSD_VRRP)
			return -EPROTO;
		if (v->generation != generation)
			return 0;
		return v->instance_id < c->n_vrrp && v->state <= IPC_VRRP_FAULT ? 1 : -EINVAL;
	default:
		return -EPROTO;
	}
}

static void
results_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lvsd *d = arg;

	(void)fd;
	(void)what;
	if (d->hooks.judge)
		d->hooks.judge(d);
}

void
lvsd_ready_soon(struct lvsd *d)
{
	if (!d->ev_ready && d->base)
		d->ev_ready = event_new(d->base, -1, 0, results_ready_cb, d);
	if (!d->ev_ready) { /* no loop yet, or no memory: judge now */
		results_ready_cb(-1, 0, d);
		return;
	}
	/* active already: the callback still runs once */
	event_active(d->ev_ready, EV_TIMEOUT, 0);
}

void
results_apply(struct lvsd *d, const struct ipc_msg *m)
{
	const struct ipc_health *h;
	const struct ipc_weights *w;
	bool changed = false;

	switch (m->type) {
	case IPC_HEALTH:
		h = IPC_BODY(m, struct ipc_health);
		for (uint32_t i = 0; i < h->n; i++) {
			struct eff_view v;

			/* a first result after a restart counts, whatever it says */
			if (eff_get(d, h->rs[i].service_id, h->rs[i].rs_id, &v) &&
			    h->rs[i].state != IPC_HEALTH_UNKNOWN &&
			    (v.restored ||
			     v.health != (h->rs[i].state == IPC_HEALTH_UP ? EFF_HEALTH_UP
									  : EFF_HEALTH_DOWN)))
				changed = true;
			lvsd_health(d, &h->rs[i]);
		}
		/* a first result, or a service that has a server up again, may
		 * make the director ready to preempt (or no longer) */
		if (changed)
			lvsd_ready_soon(d);
		break;
	case IPC_WEIGHTS:
		w = IPC_BODY(m, struct ipc_weights);
		for (uint32_t i = 0; i < w->n; i++)
			lvsd_weight(d, &w->w[i]);
		break;
	case IPC_FEEDBACK:
		fb_apply(d, IPC_BODY(m, struct ipc_feedback));
		break;
	case IPC_WT_STATE:
		state_wt_apply(d, IPC_BODY(m, struct ipc_wt_state));
		break;
	case IPC_VRRP_STATE:
		lvsd_vrrp_state(d, IPC_BODY(m, struct ipc_vrrp_state));
		break;
	}
}

/* An OpenSSL error code (library and reason) as OpenSSL names it. */
static const char *
results_tls_reason(int32_t code)
{
	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
	return ERR_reason_error_string((unsigned long)code);
}

/* "status 503", "refused", "error: Connection timed out" ... */
const char *
lvsd_check_reason(uint8_t reason, int32_t code, char *buf, size_t len)
{
	if (reason == CHK_R_STATUS)
		snprintf(buf, len, "status %d", (int)code);
	else if (reason == CHK_R_ERROR && code > 0)
		snprintf(buf, len, "error: %s", strerror(code));
	else if (reason == CHK_R_SCRIPT_EXIT)
		snprintf(buf, len, "script exit %d", (int)code);
	else if (reason == CHK_R_SCRIPT_SIGNAL)
		snprintf(buf, len, "script killed by signal %d", (int)code);
	else if (reason == CHK_R_TLS && code > 0 && results_tls_reason(code))
		snprintf(buf, len, "TLS failure: %s", results_tls_reason(code));
	else
		snprintf(buf, len, "%s", chk_reason_name(reason));
	return buf;
}

static void
results_log_health(const struct lvsd *d, const struct ipc_health_rs *h)
{
	const struct conf_service *s = &d->conf->services[h->service_id];
	char a[CONF_ADDRSTRLEN + 8], why[160];

	conf_rs_name(&s->rs[h->rs_id], a, sizeof(a));
	if (h->state == IPC_HEALTH_UP)
		log_info("rs %s in %s: up (%u success%s in a row)", a, s->name, h->count,
			 h->count == 1 ? "" : "es");
	else
		log_warn("rs %s in %s: down: %s (%u failure%s in a row)", a, s->name,
			 lvsd_check_reason(h->reason, h->code, why, sizeof(why)), h->count,
			 h->count == 1 ? "" : "s");
}

/* One real server's new health, to the weight child. */
static void
results_forward_health(struct lvsd *d, const struct ipc_health_rs *h)
{
	struct ipc_chan *ch = d->child[LVSD_WEIGHT].ch;
	uint64_t b[(sizeof(struct ipc_health) + sizeof(struct ipc_health_rs) + 7) / 8];
	struct ipc_health *m = (struct ipc_health *)b;

	if (!ch)
		return;
	memset(b, 0, sizeof(b));
	m->generation = d->generation;
	m->n = 1;
	m->rs[0] = *h;
	if (ipc_send(ch, IPC_HEALTH, m, sizeof(*m) + sizeof(m->rs[0])) < 0)
		log_err("weight child: cannot send a health change");
}

/* Health and weight proposals go to the effective weights, which hand a
 * changed weight to the IPVS writer (only that destination).  A change of
 * health is logged once, with its reason; unknown is never applied (a
 * restarted checkers child keeps the last known health). */
void
lvsd_health(struct lvsd *d, const struct ipc_health_rs *h)
{
	struct eff_view v;

	if (h->state == IPC_HEALTH_UNKNOWN || !eff_get(d, h->service_id, h->rs_id, &v))
		return;
	if (v.health != (h->state == IPC_HEALTH_UP ? EFF_HEALTH_UP : EFF_HEALTH_DOWN)) {
		results_log_health(d, h);
		results_forward_health(d, h);
		state_touch(d, true);
	} else if (v.restored) { /* what the state file said, confirmed */
		results_log_health(d, h);
	}
	eff_health(d, h->service_id, h->rs_id, h->state == IPC_HEALTH_UP);
	eff_check_note(d, h->service_id, h->rs_id, h->reason, h->count, h->code);
}

/* A proposal; the history file records it when it changes the weight
 * the kernel gets. */
void
lvsd_weight(struct lvsd *d, const struct ipc_weight *w)
{
	struct eff_view before, after;
	bool known = eff_get(d, w->service_id, w->rs_id, &before);

	eff_propose(d, w->service_id, w->rs_id, w->weight);
	if (known && eff_get(d, w->service_id, w->rs_id, &after) &&
	    after.effective != before.effective)
		fb_history(d, w->service_id, w->rs_id, before.effective, after.effective);
}

void
lvsd_vrrp_state(struct lvsd *d, const struct ipc_vrrp_state *v)
{
	struct lvsd_vrrp *st = &d->vrrp[v->instance_id];

	if (!st->known || st->state != v->state)
		clock_gettime(CLOCK_MONOTONIC, &st->since);
	st->known = true;
	st->state = v->state;
	st->priority = v->priority;
	if (v->reason) /* a transition, not a status answer */
		st->why = v->reason;
	st->last = *v;
	if (v->reason)
		notify_transition(d, v);
	drill_record(d, v);
	if (d->hooks.vrrp_progress)
		d->hooks.vrrp_progress(d);
}

/* The new generation's instances, each with what the vrrp child last said
 * of the instance of the same name: it keeps running across a reload. */
int
lvsd_results_reset(struct lvsd *d, size_t n_old)
{
	const struct conf *c = d->conf;
	struct lvsd_vrrp *v = calloc(c->n_vrrp ? c->n_vrrp : 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_vrrp; i++) {
		for (size_t j = 0; d->vrrp && j < n_old; j++)
			if (!strcmp(d->vrrp[j].name, c->vrrp[i].name))
				v[i] = d->vrrp[j];
		snprintf(v[i].name, sizeof(v[i].name), "%s", c->vrrp[i].name);
	}
	free(d->vrrp);
	d->vrrp = v;
	return 0;
}

void
lvsd_results_free(struct lvsd *d)
{
	free(d->vrrp);
	d->vrrp = NULL;
	if (d->ev_ready)
		event_free(d->ev_ready);
	d->ev_ready = NULL;
}
