/* Weight policies: recording reports, the feedback state machine and the
 * round that ties the policies together.  See policy.h for the round
 * semantic; the policies themselves are in policy_paper.c and
 * policy_damped.c, the arithmetic they share in policy_math.c. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "weight/policy.h"
#include "weight/policy_damped.h"
#include "weight/policy_paper.h"

/* no padding, so that memcmp orders two reports with the same stamp */
_Static_assert(sizeof(struct wt_metrics) == 5 * 8 + 10 * 4, "wt_metrics has padding");

void
wt_policy_rs_init(struct wt_policy_rs *rs, uint32_t static_weight, uint64_t capacity_kb)
{
	memset(rs, 0, sizeof(*rs));
	rs->static_weight = static_weight > WT_WEIGHT_MAX ? WT_WEIGHT_MAX : static_weight;
	rs->capacity_kb = capacity_kb;
	rs->state = WT_FB_UNKNOWN;
	rs->trim = WT_TRIM_NONE;
}

static int
wt_params_valid(const struct conf_policy_params *p)
{
	if (p->type > CONF_POLICY_DAMPED || p->mem_per_proc_kb == 0)
		return -EINVAL;
	if (p->max_step < 1 || p->max_step > 100 || p->smoothing < 1 || p->smoothing > 100)
		return -EINVAL;
	if (p->band < 1 || p->band > 100 || p->write_threshold > 100 ||
	    p->integral > 100)
		return -EINVAL;
	if (p->stale_after_ms == 0 || p->expire_after_ms <= p->stale_after_ms)
		return -EINVAL;
	return 0;
}

uint32_t
wt_policy_unit(const struct wt_policy_rs *rs, size_t n, uint32_t band)
{
	uint64_t top = 0, low = 0, unit, room;

	for (size_t i = 0; i < n; i++) {
		if (rs[i].static_weight > top)
			top = rs[i].static_weight;
		if (rs[i].static_weight && (!low || rs[i].static_weight < low))
			low = rs[i].static_weight;
	}
	if (top == 0 || band == 0)
		return 1;
	/* enough to move the smallest server by 0.1% steps, no more: weights
	 * stay in the configured scale when it has the room (1000 stays 1000) */
	unit = (WT_UNIT_STEPS + low - 1) / low;
	room = WT_WEIGHT_MAX / (top * band);
	if (unit > room)
		unit = room;
	return unit < 1 ? 1 : (uint32_t)unit;
}

int
wt_policy_init(struct wt_policy_pool *pool, const struct conf_policy_params *params,
	       struct wt_policy_rs *rs, size_t n)
{
	int r = wt_params_valid(params);

	if (r < 0)
		return r;
	if (n > 0 && !rs)
		return -EINVAL;
	memset(pool, 0, sizeof(*pool));
	pool->scratch = calloc(2 * n + 1, sizeof(*pool->scratch));
	if (!pool->scratch)
		return -ENOMEM;
	pool->params = *params;
	pool->rs = rs;
	pool->n = n;
	pool->unit = params->type == CONF_POLICY_DAMPED ? wt_policy_unit(rs, n, params->band) : 1;
	for (size_t i = 0; i < n; i++)
		wt_policy_forget(pool, i);
	return 0;
}

void
wt_policy_release(struct wt_policy_pool *pool)
{
	free(pool->scratch);
	pool->scratch = NULL;
}

void
wt_policy_forget(struct wt_policy_pool *pool, size_t idx)
{
	struct wt_policy_rs *rs = &pool->rs[idx];

	wt_policy_rs_init(rs, rs->static_weight, rs->capacity_kb);
	if (pool->params.type == CONF_POLICY_DAMPED)
		rs->weight = rs->proposed = rs->static_weight * pool->unit;
	else
		rs->weight = rs->proposed = rs->static_weight;
}

/* Whether report a comes after report b: the greater stamp, then the
 * greater bytes, so the choice never depends on arrival order. */
static bool
wt_report_after(const struct wt_metrics *a, const struct wt_metrics *b)
{
	if (a->stamp != b->stamp)
		return a->stamp > b->stamp;
	return memcmp(a, b, sizeof(*a)) > 0;
}

int
wt_policy_report(struct wt_policy_pool *pool, size_t idx, const struct wt_metrics *m, uint64_t now)
{
	struct wt_policy_rs *rs;

	if (idx >= pool->n || !m)
		return -EINVAL;
	rs = &pool->rs[idx];
	if (rs->has_report && !wt_report_after(m, &rs->report))
		return -ESTALE;
	rs->report = *m;
	rs->report_ms = now;
	rs->has_report = true;
	rs->fresh = true;
	return 0;
}

/* The report kept is older than limit at now. */
static bool
wt_older(const struct wt_policy_rs *rs, uint64_t now, uint32_t limit)
{
	return !rs->has_report || (now > rs->report_ms && now - rs->report_ms > limit);
}

/* Advance one server's feedback state to now. */
static void
wt_advance(const struct conf_policy_params *p, struct wt_policy_rs *rs, uint64_t now)
{
	if (rs->fresh && (rs->state == WT_FB_UNKNOWN || rs->state == WT_FB_EXPIRED)) {
		rs->state = WT_FB_WARMING;
		rs->state_ms = now;
		rs->smooth_valid = 0;
		rs->trim = WT_TRIM_NONE;
	} else if (rs->fresh && rs->state == WT_FB_STALE) {
		rs->state = WT_FB_TRUSTED;
	}
	if (rs->state == WT_FB_WARMING && now - rs->state_ms >= p->warmup_ms)
		rs->state = WT_FB_TRUSTED;
	if ((rs->state == WT_FB_WARMING || rs->state == WT_FB_TRUSTED) &&
	    wt_older(rs, now, p->stale_after_ms))
		rs->state = WT_FB_STALE;
	if (rs->state == WT_FB_STALE && wt_older(rs, now, p->expire_after_ms)) {
		rs->state = WT_FB_EXPIRED;
		rs->smooth_valid = 0;
		rs->trim = WT_TRIM_NONE;
	}
}

static void
wt_round_static(struct wt_policy_pool *pool, uint32_t *out)
{
	for (size_t i = 0; i < pool->n; i++) {
		struct wt_policy_rs *rs = &pool->rs[i];

		rs->weight = rs->proposed = rs->static_weight;
		out[i] = rs->proposed;
	}
}

int
wt_policy_round(struct wt_policy_pool *pool, uint64_t now, uint32_t *out)
{
	int r = 0;

	if (pool->rounds && now < pool->last_round)
		return -EINVAL;
	if (pool->params.type == CONF_POLICY_STATIC) {
		wt_round_static(pool, out);
	} else {
		for (size_t i = 0; i < pool->n; i++)
			wt_advance(&pool->params, &pool->rs[i], now);
		if (pool->params.type == CONF_POLICY_DAMPED)
			r = wt_round_damped(pool, now, out);
		else
			r = wt_round_paper(pool, out);
	}
	for (size_t i = 0; i < pool->n; i++)
		pool->rs[i].fresh = false;
	pool->last_round = now;
	pool->rounds = true;
	return r;
}
