/* A round of the weight child: every pooled service's policy computes its
 * weights from the reports kept, and what changed becomes proposals for
 * the parent.  A pool that has never had a report proposes nothing: the
 * parent keeps the static weights until feedback exists. */
#include "config.h"

#include <string.h>

#include "weight/wt.h"

static bool
svc_has_reports(const struct wt_gen *g, const struct wt_svc *v)
{
	for (uint32_t i = 0; i < v->n_rs; i++)
		if (g->rs[v->first + i].has_report)
			return true;
	return false;
}

static int
round_svc(struct wt_gen *g, struct wt_svc *v, uint64_t now_ms, struct ipc_weight *props, size_t *n)
{
	bool any = svc_has_reports(g, v);
	int r;

	/* a report the round folds in moves the state the parent keeps */
	for (uint32_t i = 0; i < v->n_rs; i++)
		if (v->prs[i].fresh)
			wt_state_mark(g, &g->rs[v->first + i]);
	if ((r = wt_policy_round(&v->pool, now_ms, v->out)) < 0)
		return r;
	for (uint32_t i = 0; i < v->n_rs; i++) {
		struct wt_rs *rs = &g->rs[v->first + i];
		uint8_t state = (uint8_t)v->prs[i].state;

		if (state != rs->state)
			rs->dirty = true;
		rs->state = state;
		if (!any || (rs->proposed && rs->proposal == v->out[i]))
			continue;
		rs->proposed = true;
		rs->proposal = v->out[i];
		rs->dirty = true;
		props[(*n)++] = (struct ipc_weight){
		    .service_id = rs->svc,
		    .rs_id = rs->id,
		    .weight = v->out[i] > WT_WEIGHT_MAX ? WT_WEIGHT_MAX : v->out[i],
		    .state = state,
		};
	}
	return 0;
}

int
wt_round_compute(struct wt_gen *g, uint64_t now_ms, struct ipc_weight *props, size_t *n)
{
	int r;

	*n = 0;
	for (size_t i = 0; i < g->n_svcs; i++)
		if (g->svcs[i].pooled && (r = round_svc(g, &g->svcs[i], now_ms, props, n)) < 0)
			return r;
	wt_state_mark_moved(g);
	return 0;
}

void
wt_feedback_of(const struct wt_gen *g, const struct wt_rs *rs, struct ipc_feedback_rs *out)
{
	const struct wt_svc *v = &g->svcs[rs->svc];
	const struct rpt_metrics *m = &rs->last;

	memset(out, 0, sizeof(*out));
	out->service_id = rs->svc;
	out->rs_id = rs->id;
	out->state = rs->state;
	out->has_report = rs->has_report;
	out->weight = v->pooled ? v->prs[rs->id].weight : rs->static_weight;
	if (v->pooled && v->params.type == CONF_POLICY_DAMPED)
		out->trim = v->prs[rs->id].trim;
	out->report_mono_ms = rs->last_mono_ms;
	out->reports = rs->reports;
	if (!rs->has_report)
		return;
	out->mem_available_kb = m->mem_available_kb;
	out->mem_total_kb = m->mem_total_kb;
	out->procs_running = m->procs_running;
	out->procs_blocked = m->procs_blocked;
	out->swapout_x100 = m->swapout_x100;
	out->cpu_idle_pm = m->cpu_idle_pm;
	out->load_x100 = m->load_x100[0];
	out->psi_mem_x100 = m->psi_mem_x100;
	out->cg_mem_current = m->cg_mem_current;
	out->cg_mem_max = m->cg_mem_max;
}
