/* One report datagram through the receiver's checks, cheapest first:
 * decode (size, magic, version, type, family, reserved bytes), the real
 * servers it names, freshness against what each of them accepted last
 * (replay, skew), the source's rate, and only then the signature, with
 * the keys of those real servers (two while keys rotate).  A dropped
 * report changes nothing; an accepted one updates each real server it
 * names and was signed for, and is recorded for the next round. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "weight/wt.h"
#include "weight/wt_ratelimit.h"

#define WT_KEYS_TRIED 8 /* distinct keys tried per report, at most */

void
wt_metrics_of(const struct rpt_report *r, struct wt_metrics *out)
{
	const struct rpt_metrics *m = &r->m;

	memset(out, 0, sizeof(*out));
	out->stamp = r->time_ns;
	if (m->flags & RPT_HAS_MEM) {
		out->present |= WT_M_MEM;
		out->mem_available_kb = m->mem_available_kb;
		out->mem_total_kb = m->mem_total_kb;
	}
	if (m->flags & RPT_HAS_CG_MEM) {
		out->present |= WT_M_CGROUP_MEM;
		out->cg_mem_current_kb = m->cg_mem_current / 1024;
		out->cg_mem_max_kb = m->cg_mem_max == RPT_UNLIMITED ? 0 : m->cg_mem_max / 1024;
	}
	if (m->flags & RPT_HAS_PROCS) {
		out->present |= WT_M_PROCS;
		out->procs_running = m->procs_running;
		out->procs_blocked = m->procs_blocked;
	}
	if (m->flags & RPT_HAS_SWAPOUT) { /* pages of 4 KiB */
		out->present |= WT_M_SWAPOUT;
		out->swapout_kb_per_s = m->swapout_x100 / 25;
	}
	if (m->flags & RPT_HAS_CPU_IDLE) {
		out->present |= WT_M_CPU_IDLE;
		out->cpu_idle_permille = m->cpu_idle_pm;
	}
	if (m->flags & RPT_HAS_LOAD) {
		out->present |= WT_M_LOAD;
		memcpy(out->load_centi, m->load_x100, sizeof(out->load_centi));
	}
	if (m->flags & RPT_HAS_PSI_MEM) {
		out->present |= WT_M_PSI;
		out->psi_some_avg10_centi = m->psi_mem_x100;
	}
}

static bool
rs_has_key(const struct wt_rs *rs, int32_t key)
{
	return key >= 0 && (rs->key == key || rs->key2 == key);
}

/* Try the keys of the candidates (by_addr[first..first+n) still marked in
 * ok[]) until one verifies: its id, or -ENOKEY / -EKEYREJECTED / -EIO. */
static int
recv_verify(const struct wt_gen *g, size_t first, size_t n, const bool *ok, const void *buf,
	    size_t len)
{
	int32_t tried[WT_KEYS_TRIED];
	size_t n_tried = 0;
	int r = -ENOKEY;

	for (size_t i = 0; i < n; i++) {
		const struct wt_rs *rs = g->by_addr[first + i];
		int32_t keys[2] = {rs->key, rs->key2};

		for (int j = 0; ok[i] && j < 2; j++) {
			int32_t k = keys[j];
			bool seen = false;

			if (k < 0 || !g->keys[k].usable)
				continue;
			for (size_t t = 0; t < n_tried; t++)
				seen |= tried[t] == k;
			if (seen || n_tried == WT_KEYS_TRIED)
				continue;
			tried[n_tried++] = k;
			r = rpt_verify(&g->keys[k].k, buf, len);
			if (r == 0)
				return k;
			if (r != -EKEYREJECTED && r != -EMSGSIZE)
				return r;
			r = -EKEYREJECTED;
		}
	}
	return r;
}

/* Record an accepted report for every candidate signed for with key. */
static void
recv_apply(struct wt_gen *g, size_t first, size_t n, const bool *ok, int32_t key,
	   const struct rpt_report *r, uint64_t now_ms)
{
	struct wt_metrics m;

	wt_metrics_of(r, &m);
	for (size_t i = 0; i < n; i++) {
		struct wt_rs *rs = g->by_addr[first + i];
		struct wt_svc *v = &g->svcs[rs->svc];

		if (!ok[i] || !rs_has_key(rs, key))
			continue;
		rpt_seen_update(&rs->seen, r);
		rs->has_report = true;
		rs->last = r->m;
		rs->last_mono_ms = now_ms;
		rs->reports++;
		rs->dirty = true;
		wt_state_mark(g, rs);
		if (v->pooled)
			(void)wt_policy_report(&v->pool, rs->id, &m, now_ms);
	}
}

int
wt_recv_one(struct wt_gen *g, struct wt_rl *rl, const void *buf, size_t len,
	    const struct sockaddr_storage *src, uint64_t now_ns, uint64_t now_ms)
{
	uint64_t skew_ns = (uint64_t)g->rep.max_skew_ms * 1000000;
	struct rpt_report r;
	size_t first, n, fresh = 0;
	bool ok[64];
	int err = 0, key;

	if ((err = rpt_decode(buf, len, &r)) < 0)
		return err;
	wt_gen_find(g, &r.server, &first, &n);
	if (n == 0)
		return -ENOENT;
	if (n > sizeof(ok) / sizeof(ok[0])) /* one address, many ports: the first 64 */
		n = sizeof(ok) / sizeof(ok[0]);
	for (size_t i = 0; i < n; i++) {
		int e = rpt_fresh(&g->by_addr[first + i]->seen, &r, now_ns, skew_ns);

		ok[i] = e == 0;
		fresh += ok[i];
		err = err ? err : e;
	}
	if (!fresh)
		return err;
	if (rl && !wt_rl_allow(rl, src, now_ms))
		return -EDQUOT;
	if ((key = recv_verify(g, first, n, ok, buf, len)) < 0)
		return key;
	recv_apply(g, first, n, ok, key, &r, now_ms);
	return 0;
}
