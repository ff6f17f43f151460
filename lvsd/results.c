/* What the children report, into the parent's state: health results and
 * weight proposals for real servers (handed to the IPVS writer through
 * the effective weight), VRRP state changes per instance.  The caller
 * (proc.c) has checked each message's generation and ids. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/core/ipc.h"
#include "lvsd/core/log.h"
#include "lvsd/drill.h"
#include "lvsd/effective.h"
#include "lvsd/lvsd.h"

static const char *const vrrp_state_names[] = {"init", "backup", "master", "fault"};

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

void
results_apply(struct lvsd *d, const struct ipc_msg *m)
{
	const struct ipc_health *h;
	const struct ipc_weights *w;

	switch (m->type) {
	case IPC_HEALTH:
		h = IPC_BODY(m, struct ipc_health);
		for (uint32_t i = 0; i < h->n; i++)
			lvsd_health(d, &h->rs[i]);
		break;
	case IPC_WEIGHTS:
		w = IPC_BODY(m, struct ipc_weights);
		for (uint32_t i = 0; i < w->n; i++)
			lvsd_weight(d, &w->w[i]);
		break;
	case IPC_VRRP_STATE:
		lvsd_vrrp_state(d, IPC_BODY(m, struct ipc_vrrp_state));
		break;
	}
}

/* Health and weight proposals go to the effective weights, which hand a
 * changed weight to the IPVS writer (only that destination). */
void
lvsd_health(struct lvsd *d, const struct ipc_health_rs *h)
{
	if (h->state != IPC_HEALTH_UNKNOWN)
		eff_health(d, h->service_id, h->rs_id, h->state == IPC_HEALTH_UP);
}

void
lvsd_weight(struct lvsd *d, const struct ipc_weight *w)
{
	eff_propose(d, w->service_id, w->rs_id, w->weight);
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
	control_vrrp_progress(d);
}

const char *
lvsd_vrrp_state_name(uint8_t state)
{
	return state < sizeof(vrrp_state_names) / sizeof(vrrp_state_names[0])
		   ? vrrp_state_names[state]
		   : "unknown";
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
}
