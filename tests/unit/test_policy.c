/* Weight policies: the paper's equations for two servers and for n, the
 * damped policy's states (warming, trusted, stale, expired), its band,
 * step, write threshold, pressure and capacities, and the same weights
 * whatever order reports arrive in within a round. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "weight/policy.h"
#include "weight/policy_paper.h"

#define S 1000u /* one second in ms */
#define GB (1024ull * 1024)

/* the defaults of lvsd.yaml(5) */
static struct conf_policy_params
params(enum conf_policy type)
{
	struct conf_policy_params p = {
	    .type = type,
	    .mem_per_proc_kb = 3500,
	    .conns_per_min = 0,
	    .max_step = 10,
	    .smoothing = 30,
	    .band = 4,
	    .write_threshold = 5,
	    .integral = 50,
	    .warmup_ms = 60 * S,
	    .stale_after_ms = 180 * S,
	    .expire_after_ms = 600 * S,
	};

	return p;
}

static struct wt_metrics
mem(uint64_t stamp, uint64_t avail_kb, uint64_t total_kb)
{
	struct wt_metrics m = {.stamp = stamp, .present = WT_M_MEM};

	m.mem_available_kb = avail_kb;
	m.mem_total_kb = total_kb;
	return m;
}

/* A pool of n servers with these static weights (capacity unknown). */
static void
pool_new(struct wt_policy_pool *pool, struct wt_policy_rs *rs, const uint32_t *w, size_t n,
	 const struct conf_policy_params *p)
{
	for (size_t i = 0; i < n; i++)
		wt_policy_rs_init(&rs[i], w[i], 0);
	assert_int_equal(wt_policy_init(pool, p, rs, n), 0);
}

/* Every server of the pool reports free[i] per thousand of 4 GB at t. */
static void
report_all(struct wt_policy_pool *pool, const uint32_t *free_permille, uint64_t t)
{
	for (size_t i = 0; i < pool->n; i++) {
		struct wt_metrics m = mem(t, 4 * GB * free_permille[i] / 1000, 4 * GB);

		assert_int_equal(wt_policy_report(pool, i, &m, t), 0);
	}
}

/* Equations 2 and 3 for two servers give the paper's numbers. */
static void
test_paper_two_servers(void **state)
{
	uint32_t w[2];
	/* the WLC run's mean gap (Table 2): 16,194 KB is 4.6 processes */
	const uint64_t wlc[2] = {145874, 129680};
	/* method 1's and method 2's mean memory (Table 2) */
	const uint64_t m1[2] = {132280, 143608}, m2[2] = {134531, 141353};
	const uint64_t gap3[2] = {100000, 110500}, gap23[2] = {100000, 180500};

	(void)state;
	/* equation 2: the poorer server 1, the other the rounded gap */
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER1, wlc, 2, 3500, 0, w), 0);
	assert_int_equal(w[0], 5);
	assert_int_equal(w[1], 1);
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER1, m1, 2, 3500, 0, w), 0);
	assert_int_equal(w[0], 1);
	assert_int_equal(w[1], 3);
	/* equation 3 with 2,000 connections per minute: the paper's 405/400
	 * after one minute and 667/670 after eight; its range 87 .. 1000 */
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER2, wlc, 2, 3500, 2000, w), 0);
	assert_int_equal(w[0], 405);
	assert_int_equal(w[1], 400);
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER2, gap3, 2, 3500, 2000, w), 0);
	assert_int_equal(w[0], 667);
	assert_int_equal(w[1], 670);
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER2, m2, 2, 3500, 2000, w), 0);
	assert_int_equal(w[0], 1000);
	assert_int_equal(w[1], 1002);
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER2, gap23, 2, 3500, 2000, w), 0);
	assert_int_equal(w[0], 87);
	assert_int_equal(w[1], 110);
	/* the paper's code: x 1000, then scaled down together to fit */
	w[0] = 405;
	w[1] = 400;
	wt_paper_scale(w, 2);
	assert_int_equal(w[0], 65535);
	assert_int_equal(w[1], 400000ull * 65535 / 405000);
	w[0] = 5;
	w[1] = 1;
	wt_paper_scale(w, 2);
	assert_int_equal(w[0], 5000);
	assert_int_equal(w[1], 1000);
}

/* For n servers: each one's excess over the poorest, and the floor K
 * from the largest excess; equal memory gives equal weights. */
static void
test_paper_n_servers(void **state)
{
	const uint64_t avail[5] = {107000, 100000, 117500, 205000, 100000};
	const uint64_t same[3] = {5000, 5000, 5000};
	uint32_t w[5];

	(void)state;
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER1, avail, 5, 3500, 0, w), 0);
	assert_int_equal(w[0], 2);
	assert_int_equal(w[1], 1);
	assert_int_equal(w[2], 5);
	assert_int_equal(w[3], 30);
	assert_int_equal(w[4], 1);
	/* K = 2000 / 30 = 66.7 -> 67 */
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER2, avail, 5, 3500, 2000, w), 0);
	assert_int_equal(w[0], 69);
	assert_int_equal(w[1], 67);
	assert_int_equal(w[2], 72);
	assert_int_equal(w[3], 97);
	assert_int_equal(w[4], 67);
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER2, same, 3, 3500, 2000, w), 0);
	assert_int_equal(w[0], 2000);
	assert_int_equal(w[1], 2000);
	assert_int_equal(w[2], 2000);
	/* the floor K = 0 (conns_per_min's default): never a weight of 0 */
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER2, same, 3, 3500, 0, w), 0);
	assert_int_equal(w[0], 1);
	assert_int_equal(wt_paper_weights(CONF_POLICY_DAMPED, same, 3, 3500, 0, w), -EINVAL);
	assert_int_equal(wt_paper_weights(CONF_POLICY_PAPER1, same, 0, 3500, 0, w), -EINVAL);
}

/* The paper policies through rounds: scaled, and a server without a
 * report is given the median, neither the poorest nor the richest. */
static void
test_paper_rounds(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_PAPER1);
	const uint32_t stat[4] = {1, 1, 1, 0};
	struct wt_policy_rs rs[4];
	struct wt_policy_pool pool;
	struct wt_metrics m;
	uint32_t out[4];

	(void)state;
	pool_new(&pool, rs, stat, 4, &p);
	assert_int_equal(wt_policy_round(&pool, 0, out), 0);
	assert_int_equal(out[0], 1); /* no report yet: static */
	assert_int_equal(out[3], 0);
	m = mem(1, 100000, GB);
	assert_int_equal(wt_policy_report(&pool, 0, &m, 1 * S), 0);
	m = mem(1, 100000 + 7 * 3500, GB);
	assert_int_equal(wt_policy_report(&pool, 1, &m, 1 * S), 0);
	assert_int_equal(wt_policy_report(&pool, 3, &m, 1 * S), 0);
	assert_int_equal(wt_policy_round(&pool, 2 * S, out), 0);
	assert_int_equal(out[0], 1000);
	assert_int_equal(out[1], 7000);
	assert_int_equal(out[2], 4000); /* the median of 1000 and 7000 */
	assert_int_equal(out[3], 0);	/* configured 0 stays 0 */
	/* stale reports leave the equations: static again */
	assert_int_equal(wt_policy_round(&pool, 200 * S, out), 0);
	assert_int_equal(rs[0].state, WT_FB_STALE);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 1);
	wt_policy_release(&pool);
}

/* static: the YAML weight whatever the reports say. */
static void
test_static_ignores_reports(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_STATIC);
	const uint32_t stat[3] = {5, 6, 0};
	const uint32_t free_pm[3] = {900, 10, 500};
	struct wt_policy_rs rs[3];
	struct wt_policy_pool pool;
	uint32_t out[3];

	(void)state;
	pool_new(&pool, rs, stat, 3, &p);
	for (uint64_t t = 0; t < 10; t++) {
		report_all(&pool, free_pm, t * 10 * S + 1);
		assert_int_equal(wt_policy_round(&pool, t * 10 * S + 2, out), 0);
		assert_int_equal(out[0], 5);
		assert_int_equal(out[1], 6);
		assert_int_equal(out[2], 0);
	}
	wt_policy_release(&pool);
}

/* Bring a two-server damped pool to trusted with free memory a and b
 * (per thousand), rounds every 10 s from t; returns the next time. */
static uint64_t
run_rounds(struct wt_policy_pool *pool, const uint32_t *free_pm, uint64_t t, int rounds,
	   uint32_t *out)
{
	for (int i = 0; i < rounds; i++, t += 10 * S) {
		if (free_pm)
			report_all(pool, free_pm, t);
		assert_int_equal(wt_policy_round(pool, t + 1, out), 0);
	}
	return t;
}

/* A new server ramps in from its static weight over warmup; a server
 * without reports keeps its static weight ("unknown" is not "low"). */
static void
test_warming_ramps(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_DAMPED);
	const uint32_t stat[3] = {1, 1, 1};
	const uint32_t free_pm[3] = {800, 200, 0};
	struct wt_policy_rs rs[3];
	struct wt_policy_pool pool;
	uint32_t out[3], prev = 1000;
	struct wt_metrics m;

	(void)state;
	p.max_step = 100; /* let the ramp, not the step, shape the start */
	pool_new(&pool, rs, stat, 3, &p);
	assert_int_equal(pool.unit, 1000);
	for (uint64_t t = 0; t < 60 * S; t += 10 * S) {
		for (size_t i = 0; i < 2; i++) {
			m = mem(t, 4 * GB * free_pm[i] / 1000, 4 * GB);
			assert_int_equal(wt_policy_report(&pool, i, &m, t), 0);
		}
		assert_int_equal(wt_policy_round(&pool, t, out), 0);
		assert_int_equal(rs[0].state, WT_FB_WARMING);
		assert_int_equal(rs[2].state, WT_FB_UNKNOWN);
		assert_int_equal(out[2], 1000);
		assert_true(rs[0].weight >= prev);
		assert_true(rs[0].weight < 1000 + (uint32_t)(t / S) * 1000 / 60 + 1);
		prev = rs[0].weight;
	}
	assert_true(prev > 1000);
	run_rounds(&pool, NULL, 60 * S, 1, out);
	assert_int_equal(rs[0].state, WT_FB_TRUSTED);
	assert_true(out[0] > out[2] && out[2] > out[1]);
	wt_policy_release(&pool);
}

/* Reports stop: stale after stale_after, back to the static weight by
 * expire_after, then expired (forgotten); a new report warms up again. */
static void
test_stale_decays_to_static(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_DAMPED);
	const uint32_t stat[2] = {2, 2};
	const uint32_t free_pm[2] = {700, 300};
	struct wt_policy_rs rs[2];
	struct wt_policy_pool pool;
	uint32_t out[2], prev;
	uint64_t t, last;

	(void)state;
	p.integral = 0; /* the proportional part alone: a fixed gap, no loop */
	p.warmup_ms = 0;
	p.stale_after_ms = 30 * S;
	p.expire_after_ms = 90 * S;
	pool_new(&pool, rs, stat, 2, &p);
	t = run_rounds(&pool, free_pm, 0, 20, out);
	assert_int_equal(rs[0].state, WT_FB_TRUSTED);
	assert_int_equal(pool.unit, 500); /* weight 2: 1000 steps */
	assert_true(out[0] > 2 * 500 && out[1] < 2 * 500);
	last = t - 10 * S;
	prev = rs[0].weight;
	for (; t < last + 30 * S; t += 10 * S) {
		assert_int_equal(wt_policy_round(&pool, t + 1, out), 0);
		assert_int_equal(rs[0].state, WT_FB_TRUSTED);
		assert_int_equal(rs[0].weight, prev);
	}
	for (; t < last + 90 * S; t += 10 * S) {
		assert_int_equal(wt_policy_round(&pool, t + 1, out), 0);
		assert_int_equal(rs[0].state, WT_FB_STALE);
		assert_true(rs[0].weight <= prev && rs[1].weight >= 2 * 500 - (prev - 2 * 500));
		prev = rs[0].weight;
	}
	assert_true(prev < 2 * 500 + 500 / 4);
	for (int i = 0; i < 10; i++, t += 10 * S)
		assert_int_equal(wt_policy_round(&pool, t + 1, out), 0);
	assert_int_equal(rs[0].state, WT_FB_EXPIRED);
	assert_int_equal(out[0], 2 * 500);
	assert_int_equal(out[1], 2 * 500);
	/* a report after expiry: warming from the static weight */
	p.warmup_ms = 60 * S;
	pool.params.warmup_ms = 60 * S;
	report_all(&pool, free_pm, t);
	assert_int_equal(wt_policy_round(&pool, t + 1, out), 0);
	assert_int_equal(rs[0].state, WT_FB_WARMING);
	assert_true(rs[0].weight - 2 * 500 <= 2 * 500 / 10);
	wt_policy_release(&pool);
}

/* One agent reporting absurd free memory gets at most band times the
 * pool's median weight; the honest servers keep their traffic. */
static void
test_band_clamps_liar(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_DAMPED);
	struct wt_policy_rs rs[5];
	struct wt_policy_pool pool;
	struct wt_metrics m;
	uint32_t out[5];
	uint64_t t = 0;

	(void)state;
	p.warmup_ms = 0;
	for (uint32_t band = 1; band <= 4; band++) {
		p.band = band;
		for (size_t i = 0; i < 5; i++)
			wt_policy_rs_init(&rs[i], 1, 4 * GB); /* the model's capacity */
		assert_int_equal(wt_policy_init(&pool, &p, rs, 5), 0);
		for (int r = 0; r < 60; r++, t += 10 * S) {
			for (size_t i = 0; i < 5; i++) {
				m = mem(t, i == 2 ? 1000 * 4 * GB : GB, i == 2 ? 4 * GB : GB);
				assert_int_equal(wt_policy_report(&pool, i, &m, t), 0);
			}
			assert_int_equal(wt_policy_round(&pool, t + 1, out), 0);
		}
		assert_int_equal(out[0], out[1]);
		assert_true(out[2] <= band * out[0]);
		assert_true(out[2] >= out[0]);
		wt_policy_release(&pool);
	}
}

/* A weight moves at most max_step percent per round. */
static void
test_bounded_step(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_DAMPED);
	const uint32_t stat[2] = {1, 1};
	const uint32_t free_pm[2] = {900, 100};
	struct wt_policy_rs rs[2];
	struct wt_policy_pool pool;
	uint32_t out[2], before[2];

	(void)state;
	p.integral = 0; /* the proportional part alone: a fixed gap, no loop */
	p.warmup_ms = 0;
	p.smoothing = 100;
	p.write_threshold = 0;
	pool_new(&pool, rs, stat, 2, &p);
	for (int r = 0; r < 30; r++) {
		before[0] = rs[0].weight;
		before[1] = rs[1].weight;
		run_rounds(&pool, free_pm, (uint64_t)r * 10 * S, 1, out);
		for (size_t i = 0; i < 2; i++) {
			uint32_t d = out[i] > before[i] ? out[i] - before[i] : before[i] - out[i];

			assert_true(d <= before[i] / 10);
		}
		if (r == 0) {
			assert_int_equal(out[0], 1100);
			assert_int_equal(out[1], 900);
		}
	}
	/* then it gets there: free 90% vs 10%, q 1800 and 200 clamped to 250 */
	assert_int_equal(out[0], 1800);
	assert_int_equal(out[1], 250);
	wt_policy_release(&pool);
}

/* Changes below write_threshold are not proposed; landing back on the
 * static weight always is. */
static void
test_write_threshold(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_DAMPED);
	const uint32_t stat[2] = {1, 1};
	const uint32_t even[2] = {500, 500}, near[2] = {510, 490}, far[2] = {600, 400};
	struct wt_policy_rs rs[2];
	struct wt_policy_pool pool;
	uint32_t out[2];
	uint64_t t;

	(void)state;
	p.integral = 0; /* the proportional part alone: a fixed gap, no loop */
	p.warmup_ms = 0;
	p.smoothing = 100;
	pool_new(&pool, rs, stat, 2, &p);
	t = run_rounds(&pool, even, 0, 3, out);
	assert_int_equal(out[0], 1000);
	t = run_rounds(&pool, near, t, 5, out);
	assert_int_equal(rs[0].weight, 1020);
	assert_int_equal(rs[1].weight, 980);
	assert_int_equal(out[0], 1000); /* 2%: not worth a write */
	assert_int_equal(out[1], 1000);
	t = run_rounds(&pool, far, t, 1, out);
	assert_int_equal(out[0], 1122);
	assert_int_equal(out[1], 882);
	t = run_rounds(&pool, far, t, 5, out);
	assert_int_equal(out[0], 1200);
	assert_int_equal(out[1], 800);
	/* back to even: the last small step onto static is proposed */
	run_rounds(&pool, even, t, 10, out);
	assert_int_equal(out[0], 1000);
	assert_int_equal(out[1], 1000);
	wt_policy_release(&pool);
}

/* A toy pair of web servers behind the weights: each holds a process of
 * cost[i] KB per connection it carries, the connections split by weight,
 * and its report shows the split of the round before (the lag from a
 * weight to the memory).  Runs rounds of 10 s; returns the last gap of
 * free memory in KB. */
static uint64_t
plant_run(uint32_t integral, int rounds, uint32_t *w_out)
{
	struct conf_policy_params p = params(CONF_POLICY_DAMPED);
	const uint32_t stat[2] = {1, 1};
	const uint64_t cap = 64 * 1024, base = 8 * 1024, conns = 16, cost[2] = {2500, 4200};
	struct wt_policy_rs rs[2];
	struct wt_policy_pool pool;
	uint32_t out[2] = {1000, 1000};
	uint64_t free_kb[2] = {0, 0};
	struct wt_metrics m;

	p.warmup_ms = 0;
	p.integral = integral;
	pool_new(&pool, rs, stat, 2, &p);
	for (int r = 0; r < rounds; r++) {
		uint64_t t = (uint64_t)r * 10 * S;

		for (size_t i = 0; i < 2; i++) {
			m = mem(t, free_kb[i] ? free_kb[i] : cap - base, cap);
			assert_int_equal(wt_policy_report(&pool, i, &m, t), 0);
		}
		assert_int_equal(wt_policy_round(&pool, t + 1, out), 0);
		for (size_t i = 0; i < 2; i++) {
			assert_true(out[i] > 0);
			free_kb[i] = cap - base - conns * out[i] * cost[i] / (out[0] + out[1]);
		}
	}
	assert_true(out[0] <= 4 * out[1] && out[1] <= 4 * out[0]); /* the band */
	if (w_out)
		memcpy(w_out, out, sizeof(out));
	wt_policy_release(&pool);
	return free_kb[0] > free_kb[1] ? free_kb[0] - free_kb[1] : free_kb[1] - free_kb[0];
}

/* The trim corrects a lasting gap the proportional part only shrinks:
 * equal weights leave the heavier server 13.6 MB poorer; the factor alone
 * narrows that by a few MB, the trim closes it to within a process. */
static void
test_trim_closes_lasting_gap(void **state)
{
	uint64_t equal, prop, integ;
	uint32_t w[2];

	(void)state;
	equal = 16 * 4200 / 2 - 16 * 2500 / 2; /* weights 1/1: 13,600 KB */
	prop = plant_run(0, 100, w);
	assert_true(prop < equal && prop > equal / 2);
	integ = plant_run(50, 100, w);
	assert_true(integ < 2500);
	assert_true(integ * 4 < prop);
	/* the split that balances: 4200 / 2500 */
	assert_true(w[0] * 100 / w[1] >= 150 && w[0] * 100 / w[1] <= 185);
}

/* A gap no weight can close (the memory is not the traffic's) winds the
 * trim only to the band; when the gap goes, the leak takes it back, and
 * a forgotten server's trim is none. */
static void
test_trim_bounded(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_DAMPED);
	const uint32_t stat[3] = {1, 1, 1};
	const uint32_t gap[3] = {900, 500, 100}, even[3] = {500, 500, 500};
	struct wt_policy_rs rs[3];
	struct wt_policy_pool pool;
	uint32_t out[3], before;
	uint64_t t;

	(void)state;
	p.warmup_ms = 0;
	pool_new(&pool, rs, stat, 3, &p);
	t = run_rounds(&pool, gap, 0, 200, out);
	assert_int_equal(rs[1].trim, WT_TRIM_NONE); /* the median */
	assert_true(rs[0].trim > WT_TRIM_NONE && rs[0].trim <= 4 * WT_TRIM_NONE);
	assert_true(rs[2].trim < WT_TRIM_NONE && rs[2].trim >= WT_TRIM_NONE / 4);
	assert_true(out[0] <= 4 * out[1] && out[2] * 4 >= out[1] && out[2] > 0);
	before = rs[2].trim;
	t = run_rounds(&pool, even, t, 50, out);
	assert_true(rs[2].trim > before && rs[2].trim < WT_TRIM_NONE);
	assert_true(rs[0].trim < 4 * WT_TRIM_NONE && rs[0].trim > WT_TRIM_NONE);
	run_rounds(&pool, even, t, 600, out);
	assert_true(out[0] == out[1] && out[2] == out[1]);
	wt_policy_forget(&pool, 0);
	assert_int_equal(rs[0].trim, WT_TRIM_NONE);
	wt_policy_release(&pool);
}

/* Blocked processes, swap-out and memory PSI lower a weight, never to 0. */
static void
test_pressure_lowers_never_zeroes(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_DAMPED);
	const uint32_t stat[3] = {1, 1, 1};
	struct wt_policy_rs rs[3];
	struct wt_policy_pool pool;
	struct wt_metrics m;
	uint32_t out[3];
	uint64_t t = 0;

	(void)state;
	p.warmup_ms = 0;
	p.smoothing = 100;
	pool_new(&pool, rs, stat, 3, &p);
	for (int r = 0; r < 40; r++, t += 10 * S) {
		for (size_t i = 0; i < 3; i++) {
			m = mem(t, GB, 2 * GB);
			m.present |= WT_M_PROCS | WT_M_SWAPOUT | WT_M_PSI;
			if (i == 1)
				m.procs_blocked = 8; /* halves */
			if (i == 2) {
				m.procs_blocked = 100000;
				m.swapout_kb_per_s = 4000000;
				m.psi_some_avg10_centi = 10000;
			}
			assert_int_equal(wt_policy_report(&pool, i, &m, t), 0);
		}
		assert_int_equal(wt_policy_round(&pool, t + 1, out), 0);
		for (size_t i = 0; i < 3; i++)
			assert_true(out[i] > 0);
	}
	assert_int_equal(rs[0].weight, 1000);
	assert_int_equal(rs[1].weight, 500);
	assert_int_equal(rs[2].weight, 250); /* the pressure floor */
	assert_true(out[2] >= 250 && out[2] < 250 + 250 / 20);
	wt_policy_release(&pool);
}

/* Free memory counts relative to capacity: a big and a small server at
 * the same use keep the ratio of their static weights; the model's
 * capacity, when given, replaces what the agent reports. */
static void
test_unequal_capacities(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_DAMPED);
	struct wt_policy_rs rs[2];
	struct wt_policy_pool pool;
	struct wt_metrics big = mem(0, 8 * GB, 16 * GB), small = mem(0, 2 * GB, 4 * GB);
	uint32_t out[2];

	(void)state;
	p.warmup_ms = 0;
	wt_policy_rs_init(&rs[0], 4, 0);
	wt_policy_rs_init(&rs[1], 1, 0);
	assert_int_equal(wt_policy_init(&pool, &p, rs, 2), 0);
	for (uint64_t t = 0; t < 600 * S; t += 10 * S) {
		big.stamp = small.stamp = t;
		assert_int_equal(wt_policy_report(&pool, 0, &big, t), 0);
		assert_int_equal(wt_policy_report(&pool, 1, &small, t), 0);
		assert_int_equal(wt_policy_round(&pool, t + 1, out), 0);
		assert_int_equal(out[0], 4 * out[1]);
	}
	wt_policy_release(&pool);
	/* the small one is an 8 GB server by the model: 25% free, not 50% */
	wt_policy_rs_init(&rs[0], 1, 0);
	wt_policy_rs_init(&rs[1], 1, 8 * GB);
	big = mem(0, 4 * GB, 8 * GB);
	assert_int_equal(wt_policy_init(&pool, &p, rs, 2), 0);
	for (uint64_t t = 0; t < 600 * S; t += 10 * S) {
		big.stamp = small.stamp = t;
		assert_int_equal(wt_policy_report(&pool, 0, &big, t), 0);
		assert_int_equal(wt_policy_report(&pool, 1, &small, t), 0);
		assert_int_equal(wt_policy_round(&pool, t + 1, out), 0);
	}
	assert_true(out[0] > out[1] * 3 / 2);
	wt_policy_release(&pool);
}

/* A cgroup with a limit is measured by its own memory, not the host's. */
static void
test_cgroup_memory(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_PAPER1);
	struct wt_policy_rs rs[2];
	struct wt_policy_pool pool;
	struct wt_metrics m = mem(1, 900000, 1000000);
	uint32_t out[2];

	(void)state;
	pool_new(&pool, rs, (const uint32_t[]){1, 1}, 2, &p);
	m.present |= WT_M_CGROUP_MEM;
	m.cg_mem_max_kb = 200000;
	m.cg_mem_current_kb = 100000;
	assert_int_equal(wt_policy_report(&pool, 0, &m, 1), 0);
	m.cg_mem_current_kb = 100000 + 10 * 3500;
	assert_int_equal(wt_policy_report(&pool, 1, &m, 1), 0);
	assert_int_equal(wt_policy_round(&pool, 2, out), 0);
	assert_int_equal(out[0], 10000);
	assert_int_equal(out[1], 1000);
	wt_policy_release(&pool);
}

/* Errors leave everything as it was. */
static void
test_errors(void **state)
{
	struct conf_policy_params p = params(CONF_POLICY_DAMPED);
	struct wt_policy_rs rs[1];
	struct wt_policy_pool pool;
	struct wt_metrics m = mem(5, 1, 2);
	uint32_t out[1];

	(void)state;
	wt_policy_rs_init(&rs[0], 1, 0);
	p.expire_after_ms = p.stale_after_ms;
	assert_int_equal(wt_policy_init(&pool, &p, rs, 1), -EINVAL);
	p = params(CONF_POLICY_DAMPED);
	p.band = 0;
	assert_int_equal(wt_policy_init(&pool, &p, rs, 1), -EINVAL);
	p = params(CONF_POLICY_DAMPED);
	assert_int_equal(wt_policy_init(&pool, &p, rs, 1), 0);
	assert_int_equal(wt_policy_report(&pool, 1, &m, 0), -EINVAL);
	assert_int_equal(wt_policy_report(&pool, 0, &m, 0), 0);
	m.stamp = 4;
	assert_int_equal(wt_policy_report(&pool, 0, &m, 0), -ESTALE);
	assert_int_equal(rs[0].report.stamp, 5);
	assert_int_equal(wt_policy_round(&pool, 10, out), 0);
	assert_int_equal(wt_policy_round(&pool, 9, out), -EINVAL);
	assert_string_equal(wt_feedback_name(rs[0].state), "warming");
	wt_policy_release(&pool);
}

/* next permutation of idx[0..n) in lexicographic order; false after the last */
static bool
next_perm(size_t *idx, size_t n)
{
	size_t i = n - 1, j = n - 1, tmp;

	while (i > 0 && idx[i - 1] >= idx[i])
		i--;
	if (i == 0)
		return false;
	while (idx[j] <= idx[i - 1])
		j--;
	tmp = idx[i - 1];
	idx[i - 1] = idx[j];
	idx[j] = tmp;
	for (j = n - 1; i < j; i++, j--) {
		tmp = idx[i];
		idx[i] = idx[j];
		idx[j] = tmp;
	}
	return true;
}

#define ORD_RS 4
#define ORD_REPORTS 6
#define ORD_ROUNDS 8

struct ord_report {
	size_t rs;
	struct wt_metrics m;
	uint64_t recv;
};

/* The reports of round r: every server once, server 1 twice (an older
 * stamp too), server 3 twice with the same stamp and other bytes. */
static void
ord_reports(int r, struct ord_report *rep)
{
	uint64_t t = (uint64_t)r * 10 * S;
	const uint64_t free_kb[ORD_RS] = {3 * GB / 4, GB / 4 + (uint64_t)r * 50000, GB / 2,
					  GB / 3 - (uint64_t)r * 20000};

	for (size_t i = 0; i < ORD_RS; i++) {
		rep[i].rs = i;
		rep[i].m = mem(t + i, free_kb[i], GB);
		rep[i].m.present |= WT_M_PROCS;
		rep[i].m.procs_blocked = (uint32_t)(i + r) % 3;
		rep[i].recv = t + 100 + i;
	}
	rep[4] = rep[1];
	rep[4].m.stamp -= 1;
	rep[4].m.mem_available_kb = GB;
	rep[4].recv -= 50;
	rep[5] = rep[3];
	rep[5].m.procs_blocked += 7;
	if (r % 3 == 2) /* server 0 goes silent for a while */
		rep[0] = rep[2];
}

/* Run every round with its reports fed in order perm (or in their order
 * when perm is NULL); every round's weights into out. */
static void
ord_run(enum conf_policy type, const size_t *perm, uint32_t out[ORD_ROUNDS][ORD_RS])
{
	struct conf_policy_params p = params(type);
	const uint32_t stat[ORD_RS] = {1, 2, 1, 3};
	struct wt_policy_rs rs[ORD_RS];
	struct wt_policy_pool pool;
	struct ord_report rep[ORD_REPORTS];
	size_t k;

	p.warmup_ms = 20 * S;
	p.stale_after_ms = 25 * S;
	p.expire_after_ms = 45 * S;
	p.conns_per_min = 2000;
	pool_new(&pool, rs, stat, ORD_RS, &p);
	for (int r = 0; r < ORD_ROUNDS; r++) {
		ord_reports(r, rep);
		for (size_t i = 0; i < ORD_REPORTS; i++) {
			k = perm ? perm[i] : i;
			wt_policy_report(&pool, rep[k].rs, &rep[k].m, rep[k].recv);
		}
		assert_int_equal(wt_policy_round(&pool, (uint64_t)r * 10 * S + 5 * S, out[r]), 0);
	}
	wt_policy_release(&pool);
}

/* Two directors fed the same reports in different orders within each
 * round compute the same weights: every order of six reports. */
static void
test_order_independence(void **state)
{
	static const enum conf_policy types[] = {CONF_POLICY_DAMPED, CONF_POLICY_PAPER1,
						 CONF_POLICY_PAPER2, CONF_POLICY_STATIC};
	uint32_t ref[ORD_ROUNDS][ORD_RS], got[ORD_ROUNDS][ORD_RS];
	size_t perm[ORD_REPORTS];
	unsigned orders;

	(void)state;
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		ord_run(types[t], NULL, ref);
		for (size_t i = 0; i < ORD_REPORTS; i++)
			perm[i] = i;
		orders = 0;
		do {
			ord_run(types[t], perm, got);
			assert_memory_equal(ref, got, sizeof(ref));
			orders++;
		} while (next_perm(perm, ORD_REPORTS));
		assert_int_equal(orders, 720);
	}
	/* and the reference is not trivially flat */
	ord_run(CONF_POLICY_DAMPED, NULL, ref);
	assert_true(ref[ORD_ROUNDS - 1][0] != ref[ORD_ROUNDS - 1][2]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paper_two_servers),
	    cmocka_unit_test(test_paper_n_servers),
	    cmocka_unit_test(test_paper_rounds),
	    cmocka_unit_test(test_static_ignores_reports),
	    cmocka_unit_test(test_warming_ramps),
	    cmocka_unit_test(test_stale_decays_to_static),
	    cmocka_unit_test(test_band_clamps_liar),
	    cmocka_unit_test(test_bounded_step),
	    cmocka_unit_test(test_write_threshold),
	    cmocka_unit_test(test_trim_closes_lasting_gap),
	    cmocka_unit_test(test_trim_bounded),
	    cmocka_unit_test(test_pressure_lowers_never_zeroes),
	    cmocka_unit_test(test_unequal_capacities),
	    cmocka_unit_test(test_cgroup_memory),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_order_independence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
