/* A server's policy state taken into a new pool (a new generation's,
 * or a restarted child's from what the parent kept): the weights
 * rescaled when the static weight or the unit changed. Below wt_gen.c
 * and wt_state.c, which both hand state over. */
#include "config.h"

#include <stdint.h>

#include "weight/wt.h"

/* w x base / obase, rounded, within a weight's range (never 0 unless w is) */
static uint32_t
rescale(uint32_t w, uint64_t base, uint64_t obase)
{
	uint64_t x = ((uint64_t)w * base + obase / 2) / obase;

	if (w && x < 1)
		x = 1;
	return x > WT_WEIGHT_MAX ? WT_WEIGHT_MAX : (uint32_t)x;
}

void
wt_adopt(struct wt_svc *v, uint32_t id, const struct wt_policy_rs *o, uint32_t ostatic,
	 uint32_t ounit)
{
	struct wt_policy_rs *p = &v->prs[id];
	uint64_t base = (uint64_t)p->static_weight * v->pool.unit;
	uint64_t obase = (uint64_t)ostatic * ounit;
	uint32_t w = p->static_weight;
	uint64_t cap = p->capacity_kb;

	*p = *o;
	p->static_weight = w;
	p->capacity_kb = cap;
	/* damped weights are static x unit x the feedback factor: keep the
	 * factor when the unit or the static weight changed (from 0: start
	 * from the static weight) */
	if (v->policy == CONF_POLICY_DAMPED && base != obase) {
		p->weight = obase ? rescale(p->weight, base, obase) : rescale(1, base, 1);
		p->proposed = obase ? rescale(p->proposed, base, obase) : p->weight;
	}
}
