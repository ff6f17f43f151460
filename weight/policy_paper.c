/* paper-1 and paper-2: equations 2 and 3 of the source paper, generalised
 * from two servers to n.  Each server's excess of available memory over
 * the poorest server, in units of the average memory of one server
 * process (rounded), is its weight (paper-1, at least 1) or is added to
 * the floor K = conns_per_min / the largest excess (paper-2).  Then the
 * paper's scaling: x 1000, and all down together to fit the kernel's
 * range.  For two servers this is the paper exactly; doc/weights.md. */
#include "config.h"

#include <errno.h>

#include "weight/policy_math.h"
#include "weight/policy_paper.h"

/* a / b rounded half up (the paper's "rounded"), b > 0 */
static uint64_t
wt_div_round(uint64_t a, uint64_t b)
{
	return a / b + (a % b >= b - b / 2);
}

int
wt_paper_weights(enum conf_policy type, const uint64_t *avail_kb, size_t n,
		 uint32_t mem_per_proc_kb, uint32_t conns_per_min, uint32_t *out)
{
	uint64_t low, top = 0, k = 0, w;

	if (n == 0 || mem_per_proc_kb == 0 ||
	    (type != CONF_POLICY_PAPER1 && type != CONF_POLICY_PAPER2))
		return -EINVAL;
	low = avail_kb[0];
	for (size_t i = 1; i < n; i++)
		if (avail_kb[i] < low)
			low = avail_kb[i];
	for (size_t i = 0; i < n; i++) {
		w = wt_div_round(avail_kb[i] - low, mem_per_proc_kb);
		if (w > top)
			top = w;
	}
	/* the largest excess is weight_diff; with none, every server is
	 * the poorest and K is conns_per_min as for a difference of 1 */
	if (type == CONF_POLICY_PAPER2)
		k = wt_div_round(conns_per_min, top ? top : 1);
	for (size_t i = 0; i < n; i++) {
		w = k + wt_div_round(avail_kb[i] - low, mem_per_proc_kb);
		out[i] = w < 1 ? 1 : w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
	}
	return 0;
}

void
wt_paper_scale(uint32_t *w, size_t n)
{
	uint64_t top = 0, v;

	for (size_t i = 0; i < n; i++)
		if ((uint64_t)w[i] * 1000 > top)
			top = (uint64_t)w[i] * 1000;
	for (size_t i = 0; i < n; i++) {
		v = (uint64_t)w[i] * 1000;
		if (top > WT_WEIGHT_MAX)
			v = v * WT_WEIGHT_MAX / top;
		w[i] = v < 1 ? 1 : (uint32_t)v;
	}
}

/* The servers the equations see: configured in rotation, reporting
 * memory, and not stale. */
static bool
wt_paper_sees(const struct wt_policy_rs *rs, uint64_t *avail)
{
	uint64_t total;

	if (rs->static_weight == 0 || (rs->state != WT_FB_WARMING && rs->state != WT_FB_TRUSTED))
		return false;
	return wt_mem(&rs->report, rs->capacity_kb, avail, &total);
}

/* Spread the weights of the seen servers, packed at the front of out,
 * to their places; the others get the median of the seen ones (an
 * unknown server is neither the poorest nor the richest) or, when none is
 * seen, their static weight.  Backwards, so that packed values are read
 * before their slots are overwritten. */
static void
wt_paper_spread(struct wt_policy_pool *pool, size_t seen, uint32_t *out)
{
	uint64_t mid = 0, unused;
	size_t j = seen;

	for (size_t k = 0; k < seen; k++)
		pool->scratch[pool->n + k] = out[k];
	if (seen)
		mid = wt_median(pool->scratch + pool->n, seen);
	for (size_t i = pool->n; i-- > 0;) {
		struct wt_policy_rs *rs = &pool->rs[i];

		if (wt_paper_sees(rs, &unused))
			out[i] = out[--j];
		else if (rs->static_weight == 0)
			out[i] = 0;
		else
			out[i] = seen ? (uint32_t)mid : rs->static_weight;
		rs->weight = rs->proposed = out[i];
	}
}

int
wt_round_paper(struct wt_policy_pool *pool, uint32_t *out)
{
	const struct conf_policy_params *p = &pool->params;
	size_t seen = 0;
	int r;

	for (size_t i = 0; i < pool->n; i++)
		seen += wt_paper_sees(&pool->rs[i], &pool->scratch[seen]);
	if (seen) {
		r = wt_paper_weights(p->type, pool->scratch, seen, p->mem_per_proc_kb,
				     p->conns_per_min, out);
		if (r < 0)
			return r;
		wt_paper_scale(out, seen);
	}
	wt_paper_spread(pool, seen, out);
	return 0;
}
