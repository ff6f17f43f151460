/* damped, the default policy.  Per server and per round:
 *
 *   smooth   each input (free memory per million of capacity, blocked
 *            processes, swap-out, memory PSI) by an EWMA, one sample per
 *            round: the report kept;
 *   trim     the integral part: each new report of a trusted server moves
 *            its trim by integral percent of its free-memory error (its
 *            reported free over the pool's median, less one; unsmoothed),
 *            less a leak of WT_TRIM_LEAK towards none; the trims are kept
 *            centred on 1000 and within the band.  A gap the weights
 *            cannot close keeps moving them, so a lasting imbalance is
 *            corrected, not only shrunk;
 *   factor   q = (free / the pool's median free) x pressure x trim, in
 *            permille: relative to capacity, so that servers of unequal
 *            size compare; pressure (blocked, swap-out, PSI) lowers it,
 *            never below WT_PRESSURE_FLOOR;
 *   band     q clamped to [m / band, m x band], m the median q of the
 *            pool (servers without feedback count as 1000): one lying or
 *            broken agent cannot take the pool;
 *   weight   static x unit x q / 1000, ramped in while warming and
 *            decaying back to static x unit while stale;
 *   step     at most max_step percent (and at least 1) from the last
 *            round's weight;
 *   write    proposed only when it moved write_threshold percent from the
 *            weight last proposed, or lands back on static x unit. */
#include "config.h"

#include "weight/policy_damped.h"
#include "weight/policy_math.h"

#define WT_PPM 1000000u
#define WT_PRESSURE_FLOOR 250u /* permille: pressure alone at most quarters a weight */
#define WT_BLOCKED_HALF 8000u  /* blocked processes x 1000 that halve a weight */
#define WT_SWAPOUT_HALF 1024u  /* swap-out KB/s that halves a weight */
#define WT_TRIM_LEAK 10u /* permille of the trim's distance to none, per report */

static uint64_t
wt_ewma(uint64_t s, uint64_t x, uint32_t alpha, bool valid)
{
	uint64_t n;

	if (!valid)
		return x;
	n = (s * (100 - alpha) + x * alpha + 50) / 100;
	/* rounding alone would leave it short of a steady input for ever */
	if (n == s && x != s)
		n = x > s ? s + 1 : s - 1;
	return n;
}

static void
wt_smooth_one(struct wt_policy_rs *rs, uint32_t bit, uint64_t *s, uint64_t x, uint32_t alpha)
{
	*s = wt_ewma(*s, x, alpha, rs->smooth_valid & bit);
	rs->smooth_valid |= bit;
}

/* Fold the report kept into the smoothed inputs. */
static void
wt_smooth(struct wt_policy_rs *rs, uint32_t alpha)
{
	const struct wt_metrics *m = &rs->report;
	uint64_t avail, total, ppm;

	if (wt_mem(m, rs->capacity_kb, &avail, &total)) {
		ppm = total == 0 || avail >= total ? WT_PPM : avail * WT_PPM / total;
		wt_smooth_one(rs, WT_S_FREE, &rs->s_free_ppm, ppm, alpha);
		rs->free_ppm = ppm;
	}
	if (m->present & WT_M_PROCS)
		wt_smooth_one(rs, WT_S_BLOCKED, &rs->s_blocked_milli,
			      (uint64_t)m->procs_blocked * 1000, alpha);
	if (m->present & WT_M_SWAPOUT)
		wt_smooth_one(rs, WT_S_SWAPOUT, &rs->s_swapout, m->swapout_kb_per_s, alpha);
	if (m->present & WT_M_PSI)
		wt_smooth_one(rs, WT_S_PSI, &rs->s_psi,
			      m->psi_some_avg10_centi > 10000 ? 10000 : m->psi_some_avg10_centi,
			      alpha);
}

static bool
wt_has_feedback(const struct wt_policy_rs *rs)
{
	return rs->static_weight > 0 && (rs->state == WT_FB_WARMING || rs->state == WT_FB_TRUSTED ||
					 rs->state == WT_FB_STALE);
}

/* Pressure in permille: 1000 none, down to WT_PRESSURE_FLOOR. */
static uint64_t
wt_pressure(const struct wt_policy_rs *rs)
{
	uint64_t p = 1000;

	if (rs->smooth_valid & WT_S_BLOCKED)
		p = p * WT_BLOCKED_HALF / (WT_BLOCKED_HALF + rs->s_blocked_milli);
	if (rs->smooth_valid & WT_S_SWAPOUT)
		p = p * WT_SWAPOUT_HALF / (WT_SWAPOUT_HALF + rs->s_swapout);
	if (rs->smooth_valid & WT_S_PSI)
		p = p * (2000 - rs->s_psi / 10) / 2000;
	return p < WT_PRESSURE_FLOOR ? WT_PRESSURE_FLOOR : p;
}

/* The factor q of a server, permille, before the band. */
static uint64_t
wt_factor(const struct wt_policy_rs *rs, uint64_t free_ref)
{
	uint64_t r = 1000;

	if (!wt_has_feedback(rs))
		return 1000;
	if (rs->smooth_valid & WT_S_FREE)
		r = (rs->s_free_ppm + 1) * 1000 / (free_ref + 1);
	return r * wt_pressure(rs) / 1000 * rs->trim / WT_TRIM_NONE;
}

/* The median free memory of the servers with feedback, smoothed or as
 * last reported (raw); false when none has one. */
static bool
wt_free_ref(struct wt_policy_pool *pool, bool raw, uint64_t *ref)
{
	uint64_t *tmp = pool->scratch + pool->n;
	size_t k = 0;

	for (size_t i = 0; i < pool->n; i++)
		if (wt_has_feedback(&pool->rs[i]) && (pool->rs[i].smooth_valid & WT_S_FREE))
			tmp[k++] = raw ? pool->rs[i].free_ppm : pool->rs[i].s_free_ppm;
	if (!k)
		return false;
	*ref = wt_median(tmp, k);
	return true;
}

static uint32_t
wt_clamp_trim(int64_t t, uint32_t band)
{
	/* band is 1 to 100 (wt_params_valid): lo is at least 10 */
	int64_t lo = WT_TRIM_NONE / band, hi = (int64_t)WT_TRIM_NONE * band;

	return (uint32_t)(t < lo ? lo : t > hi ? hi : t);
}

/* What the trim leaks towards none per report: WT_TRIM_LEAK permille of
 * its distance, at least one step, so that it gets there. */
static int64_t
wt_leak(int64_t t)
{
	int64_t d = t - (int64_t)WT_TRIM_NONE, l = d * (int64_t)WT_TRIM_LEAK / 1000;

	if (l == 0 && d != 0)
		l = d > 0 ? 1 : -1;
	return l;
}

/* The integral part: fold each fresh server's free-memory error into its
 * trim (the error of its report as it came: integrating is smoothing
 * enough, and the moving average would only add its lag to the loop's), then centre the trims of the servers with feedback on 1000 (only
 * their ratios matter, and centred they keep the weights in the unit's
 * room).  Runs on the smoothed inputs, after wt_smooth. */
static void
wt_trim(struct wt_policy_pool *pool)
{
	const struct conf_policy_params *p = &pool->params;
	uint64_t ref, *tmp = pool->scratch + pool->n, mid;
	size_t k = 0;

	if (p->integral == 0 || !wt_free_ref(pool, true, &ref))
		return;
	for (size_t i = 0; i < pool->n; i++) {
		struct wt_policy_rs *rs = &pool->rs[i];
		int64_t t = rs->trim, err;

		/* trusted only: a warming server's ramp is not to be overtaken */
		if (!rs->fresh || rs->state != WT_FB_TRUSTED || rs->static_weight == 0 ||
		    !(rs->smooth_valid & WT_S_FREE))
			continue;
		/* permille: +100 is 10% more free memory than the median */
		err = (int64_t)((rs->free_ppm + 1) * 1000 / (ref + 1)) - 1000;
		t += t * err * (int64_t)p->integral / 100000;
		t -= wt_leak(t);
		rs->trim = wt_clamp_trim(t, p->band);
	}
	for (size_t i = 0; i < pool->n; i++)
		if (wt_has_feedback(&pool->rs[i]))
			tmp[k++] = pool->rs[i].trim;
	if (!k)
		return;
	mid = wt_median(tmp, k);
	for (size_t i = 0; i < pool->n; i++)
		if (wt_has_feedback(&pool->rs[i]))
			pool->rs[i].trim = wt_clamp_trim(
			    (int64_t)((uint64_t)pool->rs[i].trim * WT_TRIM_NONE / (mid ? mid : 1)),
			    p->band);
}

/* The median free memory of the servers with feedback, and into
 * scratch[0..n) every server's factor q; returns the median q of the
 * servers in rotation. */
static uint64_t
wt_factors(struct wt_policy_pool *pool)
{
	uint64_t *q = pool->scratch, *tmp = pool->scratch + pool->n, free_ref = 0;
	size_t k = 0;

	wt_free_ref(pool, false, &free_ref);
	for (size_t i = 0; i < pool->n; i++) {
		q[i] = wt_factor(&pool->rs[i], free_ref);
		if (pool->rs[i].static_weight > 0)
			tmp[k++] = q[i];
	}
	return k ? wt_median(tmp, k) : 1000;
}

static uint32_t
wt_clamp_weight(uint64_t w)
{
	return w < 1 ? 1 : w > WT_WEIGHT_MAX ? WT_WEIGHT_MAX : (uint32_t)w;
}

/* The weight a server heads for this round, given its factor q. */
static uint32_t
wt_target(const struct wt_policy_pool *pool, const struct wt_policy_rs *rs, uint64_t q,
	  uint64_t now)
{
	const struct conf_policy_params *p = &pool->params;
	uint32_t base = wt_clamp_weight((uint64_t)rs->static_weight * pool->unit);
	uint32_t fb = wt_clamp_weight((uint64_t)base * q / 1000);
	uint64_t age;

	switch (rs->state) {
	case WT_FB_WARMING:
		return wt_lerp(base, fb, now - rs->state_ms, p->warmup_ms);
	case WT_FB_TRUSTED:
		return fb;
	case WT_FB_STALE:
		age = now > rs->report_ms ? now - rs->report_ms : 0;
		age = age > p->stale_after_ms ? age - p->stale_after_ms : 0;
		return wt_lerp(fb, base, age, p->expire_after_ms - p->stale_after_ms);
	default:
		return base;
	}
}

/* At most max_step percent (at least 1) from the last weight. */
static uint32_t
wt_step(uint32_t cur, uint32_t target, uint32_t max_step)
{
	uint64_t d = (uint64_t)cur * max_step / 100;

	if (d < 1)
		d = 1;
	if (target > cur && target - cur > d)
		return wt_clamp_weight(cur + d);
	if (target < cur && cur - target > d)
		return wt_clamp_weight(cur - d);
	return target;
}

/* Whether moving the proposal from old to w is worth a kernel write. */
static bool
wt_worth_writing(uint32_t old, uint32_t w, uint32_t base, uint32_t threshold)
{
	uint64_t d = w > old ? w - old : old - w;

	if (d == 0)
		return false;
	return w == base || d * 100 >= (uint64_t)old * threshold;
}

int
wt_round_damped(struct wt_policy_pool *pool, uint64_t now, uint32_t *out)
{
	const struct conf_policy_params *p = &pool->params;
	uint64_t m, lo, hi, q;

	for (size_t i = 0; i < pool->n; i++) {
		struct wt_policy_rs *rs = &pool->rs[i];

		if (rs->fresh && (rs->state == WT_FB_WARMING || rs->state == WT_FB_TRUSTED))
			wt_smooth(rs, p->smoothing);
	}
	wt_trim(pool);
	m = wt_factors(pool);
	lo = m / p->band ? m / p->band : 1;
	hi = m * p->band;
	for (size_t i = 0; i < pool->n; i++) {
		struct wt_policy_rs *rs = &pool->rs[i];
		uint32_t base = wt_clamp_weight((uint64_t)rs->static_weight * pool->unit);

		if (rs->static_weight == 0) {
			rs->weight = rs->proposed = out[i] = 0;
			continue;
		}
		q = pool->scratch[i] < lo ? lo : pool->scratch[i] > hi ? hi : pool->scratch[i];
		rs->weight = wt_step(rs->weight, wt_target(pool, rs, q, now), p->max_step);
		if (wt_worth_writing(rs->proposed, rs->weight, base, p->write_threshold))
			rs->proposed = rs->weight;
		out[i] = rs->proposed;
	}
	return 0;
}
