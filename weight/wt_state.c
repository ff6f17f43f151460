/* What the weight child learnt of each real server, as the parent keeps
 * it (struct ipc_wt_rs of lvsd/core/ipc.h): exported after a burst of
 * reports and after a round, handed back to a restarted child.  The
 * policies are pure functions of this state and the reports, so a child
 * that takes it back proposes what the old one would have. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "weight/wt.h"

static void
wt_state_metrics_out(const struct rpt_metrics *m, struct ipc_wt_metrics *o)
{
	o->flags = m->flags;
	o->mem_available_kb = m->mem_available_kb;
	o->mem_total_kb = m->mem_total_kb;
	o->cg_mem_current = m->cg_mem_current;
	o->cg_mem_max = m->cg_mem_max;
	o->cg_inactive_file = m->cg_inactive_file;
	o->procs_running = m->procs_running;
	o->procs_blocked = m->procs_blocked;
	o->swapout_x100 = m->swapout_x100;
	o->cpu_idle_pm = m->cpu_idle_pm;
	memcpy(o->load_x100, m->load_x100, sizeof(o->load_x100));
	o->psi_mem_x100 = m->psi_mem_x100;
	o->psi_cpu_x100 = m->psi_cpu_x100;
	o->cg_cpu_pm = m->cg_cpu_pm;
}

static void
wt_state_metrics_in(const struct ipc_wt_metrics *o, struct rpt_metrics *m)
{
	memset(m, 0, sizeof(*m));
	m->flags = o->flags;
	m->mem_available_kb = o->mem_available_kb;
	m->mem_total_kb = o->mem_total_kb;
	m->cg_mem_current = o->cg_mem_current;
	m->cg_mem_max = o->cg_mem_max;
	m->cg_inactive_file = o->cg_inactive_file;
	m->procs_running = o->procs_running;
	m->procs_blocked = o->procs_blocked;
	m->swapout_x100 = o->swapout_x100;
	m->cpu_idle_pm = o->cpu_idle_pm;
	memcpy(m->load_x100, o->load_x100, sizeof(m->load_x100));
	m->psi_mem_x100 = o->psi_mem_x100;
	m->psi_cpu_x100 = o->psi_cpu_x100;
	m->cg_cpu_pm = o->cg_cpu_pm;
}

static void
wt_state_kept_out(const struct wt_metrics *m, struct ipc_wt_kept *o)
{
	o->stamp = m->stamp;
	o->mem_available_kb = m->mem_available_kb;
	o->mem_total_kb = m->mem_total_kb;
	o->cg_mem_current_kb = m->cg_mem_current_kb;
	o->cg_mem_max_kb = m->cg_mem_max_kb;
	o->present = m->present;
	o->procs_running = m->procs_running;
	o->procs_blocked = m->procs_blocked;
	o->swapout_kb_per_s = m->swapout_kb_per_s;
	o->cpu_idle_permille = m->cpu_idle_permille;
	memcpy(o->load_centi, m->load_centi, sizeof(o->load_centi));
	o->psi_some_avg10_centi = m->psi_some_avg10_centi;
}

static void
wt_state_kept_in(const struct ipc_wt_kept *o, struct wt_metrics *m)
{
	memset(m, 0, sizeof(*m));
	m->stamp = o->stamp;
	m->mem_available_kb = o->mem_available_kb;
	m->mem_total_kb = o->mem_total_kb;
	m->cg_mem_current_kb = o->cg_mem_current_kb;
	m->cg_mem_max_kb = o->cg_mem_max_kb;
	m->present = o->present;
	m->procs_running = o->procs_running;
	m->procs_blocked = o->procs_blocked;
	m->swapout_kb_per_s = o->swapout_kb_per_s;
	m->cpu_idle_permille = o->cpu_idle_permille;
	memcpy(m->load_centi, o->load_centi, sizeof(m->load_centi));
	m->psi_some_avg10_centi = o->psi_some_avg10_centi;
}

static void
wt_state_policy_out(const struct wt_svc *v, const struct wt_policy_rs *p, struct ipc_wt_policy *o)
{
	wt_state_kept_out(&p->report, &o->report);
	o->policy = v->policy;
	o->has_report = p->has_report;
	o->fresh = p->fresh;
	o->state = (uint8_t)p->state;
	o->smooth_valid = p->smooth_valid;
	o->static_weight = p->static_weight;
	o->unit = v->pool.unit;
	o->trim = p->trim;
	o->weight = p->weight;
	o->proposed = p->proposed;
	o->report_ms = p->report_ms;
	o->state_ms = p->state_ms;
	o->s_free_ppm = p->s_free_ppm;
	o->free_ppm = p->free_ppm;
	o->s_blocked_milli = p->s_blocked_milli;
	o->s_swapout = p->s_swapout;
	o->s_psi = p->s_psi;
}

/* The policy's state as it was, in p (whose static weight and capacity
 * are the configuration's: kept). */
static void
wt_state_policy_in(const struct ipc_wt_policy *o, struct wt_policy_rs *p)
{
	wt_state_kept_in(&o->report, &p->report);
	p->has_report = o->has_report;
	p->fresh = o->fresh;
	p->state = o->state <= WT_FB_EXPIRED ? (enum wt_feedback)o->state : WT_FB_UNKNOWN;
	p->smooth_valid = o->smooth_valid;
	p->trim = o->trim;
	p->weight = o->weight;
	p->proposed = o->proposed;
	p->report_ms = o->report_ms;
	p->state_ms = o->state_ms;
	p->s_free_ppm = o->s_free_ppm;
	p->free_ppm = o->free_ppm;
	p->s_blocked_milli = o->s_blocked_milli;
	p->s_swapout = o->s_swapout;
	p->s_psi = o->s_psi;
}

void
wt_state_export(const struct wt_gen *g, const struct wt_rs *rs, struct ipc_wt_rs *out)
{
	const struct wt_svc *v = &g->svcs[rs->svc];

	memset(out, 0, sizeof(*out));
	out->service_id = rs->svc;
	out->rs_id = rs->id;
	out->seen_valid = rs->seen.valid;
	memcpy(out->seen_boot_id, rs->seen.boot_id, sizeof(out->seen_boot_id));
	out->seen_seq = rs->seen.seq;
	out->seen_time_ns = rs->seen.time_ns;
	out->has_report = rs->has_report;
	out->state = rs->state;
	out->last_mono_ms = rs->last_mono_ms;
	out->reports = rs->reports;
	wt_state_metrics_out(&rs->last, &out->last);
	if (v->pooled) {
		out->pooled = 1;
		wt_state_policy_out(v, &v->prs[rs->id], &out->policy);
	}
}

void
wt_state_import(struct wt_gen *g, struct wt_rs *rs, const struct ipc_wt_rs *in)
{
	struct wt_svc *v = &g->svcs[rs->svc];

	rs->seen.valid = in->seen_valid;
	memcpy(rs->seen.boot_id, in->seen_boot_id, sizeof(rs->seen.boot_id));
	rs->seen.seq = in->seen_seq;
	rs->seen.time_ns = in->seen_time_ns;
	rs->has_report = in->has_report;
	rs->last_mono_ms = in->last_mono_ms;
	rs->reports = in->reports;
	wt_state_metrics_in(&in->last, &rs->last);
	if (in->pooled && v->pooled && in->policy.policy == v->policy) {
		struct wt_policy_rs p = v->prs[rs->id];

		wt_state_policy_in(&in->policy, &p);
		wt_adopt(v, rs->id, &p, in->policy.static_weight, in->policy.unit);
		rs->state = (uint8_t)v->prs[rs->id].state;
	}
}

void
wt_state_mark(struct wt_gen *g, struct wt_rs *rs)
{
	if (rs->sync || !g->sync)
		return;
	rs->sync = true;
	g->sync[(g->sync_head + g->n_sync) % g->n_rs] = (uint32_t)(rs - g->rs);
	g->n_sync++;
}

void
wt_state_mark_moved(struct wt_gen *g)
{
	for (size_t i = 0; i < g->n_svcs; i++) {
		const struct wt_svc *v = &g->svcs[i];

		for (uint32_t j = 0; v->pooled && j < v->n_rs; j++) {
			struct wt_rs *rs = &g->rs[v->first + j];
			const struct wt_policy_rs *p = &v->prs[j];

			if (p->weight != rs->sent_weight || p->trim != rs->sent_trim ||
			    p->proposed != rs->sent_proposed || (uint8_t)p->state != rs->sent_state)
				wt_state_mark(g, rs);
		}
	}
}

size_t
wt_state_take(struct wt_gen *g, struct ipc_wt_rs *out, size_t max)
{
	size_t n = 0;

	while (n < max && g->n_sync) {
		struct wt_rs *rs = &g->rs[g->sync[g->sync_head]];
		const struct wt_svc *v = &g->svcs[rs->svc];

		g->sync_head = (g->sync_head + 1) % g->n_rs;
		g->n_sync--;
		rs->sync = false;
		wt_state_export(g, rs, &out[n++]);
		if (v->pooled) {
			rs->sent_weight = v->prs[rs->id].weight;
			rs->sent_trim = v->prs[rs->id].trim;
			rs->sent_proposed = v->prs[rs->id].proposed;
			rs->sent_state = (uint8_t)v->prs[rs->id].state;
		}
	}
	return n;
}

void
wt_state_untake(struct wt_gen *g, const struct ipc_wt_rs *taken, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wt_state_mark(g, &g->rs[g->svcs[taken[i].service_id].first + taken[i].rs_id]);
}

int
wt_state_stage(struct wt_gen *g, const struct ipc_wt_state *m)
{
	struct ipc_wt_rs *r;

	if (m->generation != g->generation)
		return -EINVAL;
	if (!m->n)
		return 0;
	if (g->n_restore + m->n > g->cap_restore) {
		size_t cap = g->cap_restore ? 2 * g->cap_restore : 1024;

		while (cap < g->n_restore + m->n)
			cap *= 2;
		if (!(r = realloc(g->restore, cap * sizeof(*r))))
			return -ENOMEM;
		g->restore = r;
		g->cap_restore = cap;
	}
	memcpy(g->restore + g->n_restore, m->rs, m->n * sizeof(*r));
	g->n_restore += m->n;
	return 0;
}
