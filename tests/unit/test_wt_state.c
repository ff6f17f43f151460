/* What the weight child hands the parent of each real server, and takes
 * back when it is restarted (weight/wt_state.c): a child killed at any
 * point of a run and restarted from what the parent kept goes on exactly
 * where the old one was.  Two children are run side by side on the same
 * reports: "old", which lives on, and "new", a fresh generation built from
 * the same objects and given old's state as the parent would give it
 * (IPC_WT_STATE frames through the IPC codec, then IPC_WT_RESTORE frames
 * staged into the new generation before it is committed).  From then on
 * both get the same reports and rounds: every proposal and every policy
 * state must be equal, for each policy; a report old accepted is a replay
 * to new. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "weight/wt.h"

#define NOW_NS 1700000000000000000ull
#define NOW_MS 5000000ull
#define ROUND_MS 1000ull
#define N_RS 4

struct fx {
	struct rpt_key key;
	struct wt_gen old, new;
	enum conf_policy policy;
	uint32_t weights[N_RS]; /* static weights of the new generation */
	uint64_t seq, t_ms;	/* the reports' sequence, the clock */
};

/* ------------------------------------------------------------ building */

static void
gen_build(struct fx *f, struct wt_gen *g, const uint32_t *weights)
{
	struct ipc_conf_key *k = calloc(1, sizeof(*k) + IPC_KEY_MAX);
	struct ipc_conf_service s = {
	    .id = 0,
	    .policy = (uint8_t)f->policy,
	    .mem_per_proc_kb = 3500,
	    .conns_per_min = 600,
	    .max_step = 10,
	    .smoothing = 30,
	    .band = 4,
	    .write_threshold = 2,
	    .integral = 20,
	    .warmup_ms = 3000,
	    .stale_after_ms = 20000,
	    .expire_after_ms = 60000,
	    .n_rs = N_RS,
	};
	size_t n = 0;

	memset(g, 0, sizeof(*g));
	g->sock = -1;
	g->generation = 1;
	g->rep = (struct ipc_conf_reports){
	    .enabled = 1, .max_skew_ms = 30000, .round_ms = ROUND_MS, .rate_limit = 50};
	assert_non_null(k);
	k->type = CONF_KEY_HMAC;
	snprintf(k->name, sizeof(k->name), "k");
	for (size_t i = 0; i < f->key.secret_len; i++)
		n += (size_t)snprintf((char *)k->material + n, IPC_KEY_MAX - n, "%02x",
				      f->key.secret[i]);
	k->len = (uint32_t)n;
	assert_int_equal(wt_gen_key(g, k), 0);
	free(k);
	snprintf(s.name, sizeof(s.name), "web");
	assert_int_equal(wt_gen_service(g, &s), 0);
	for (uint32_t i = 0; i < N_RS; i++) {
		struct ipc_conf_rs m = {.service_id = 0,
					.id = i,
					.port = 80,
					.weight = weights[i],
					.key = 0,
					.key2 = -1};

		m.addr.family = AF_INET;
		m.addr.prefix = 32;
		m.addr.addr[0] = 198, m.addr.addr[1] = 51, m.addr.addr[2] = 100;
		m.addr.addr[3] = (uint8_t)(11 + i);
		assert_int_equal(wt_gen_rs(g, &m), 0);
	}
}

static int
setup_policy(void **state, enum conf_policy policy)
{
	struct fx *f = calloc(1, sizeof(*f));
	const uint32_t w[N_RS] = {100, 100, 200, 50};

	assert_non_null(f);
	f->policy = policy;
	memcpy(f->weights, w, sizeof(w));
	assert_int_equal(rpt_key_generate(RPT_SIG_HMAC_SHA256, &f->key), 0);
	gen_build(f, &f->old, w);
	assert_int_equal(wt_gen_commit(&f->old, NULL, NOW_MS), 0);
	f->t_ms = NOW_MS;
	*state = f;
	return 0;
}

static int
setup_damped(void **s)
{
	return setup_policy(s, CONF_POLICY_DAMPED);
}
static int
setup_paper1(void **s)
{
	return setup_policy(s, CONF_POLICY_PAPER1);
}
static int
setup_paper2(void **s)
{
	return setup_policy(s, CONF_POLICY_PAPER2);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	wt_gen_free(&f->old);
	wt_gen_free(&f->new);
	rpt_key_free(&f->key);
	free(f);
	return 0;
}

/* ------------------------------------------------------------- reports */

struct dgram {
	uint8_t b[RPT_MAX_LEN];
	size_t len;
};

/* Server i's next report: memory that differs per server and moves with
 * the sequence, so that trims and smoothing have work. */
static struct dgram
report(struct fx *f, uint32_t i)
{
	struct rpt_report r = {0};
	struct dgram d;
	int n;

	r.sig = RPT_SIG_HMAC_SHA256;
	r.window_ms = 1000;
	r.server.family = AF_INET;
	r.server.addr[0] = 198, r.server.addr[1] = 51, r.server.addr[2] = 100;
	r.server.addr[3] = (uint8_t)(11 + i);
	r.server.port = 80;
	memset(r.boot_id, 0xa0 + (int)i, sizeof(r.boot_id));
	r.seq = ++f->seq;
	r.time_ns = NOW_NS + (f->t_ms - NOW_MS) * 1000000 + i;
	r.m.flags = RPT_HAS_MEM | RPT_HAS_PROCS;
	r.m.mem_total_kb = 4000000;
	r.m.mem_available_kb = 600000 + 300000 * i + (f->seq * 7919 % 200000);
	r.m.procs_running = 3;
	r.m.procs_blocked = (uint32_t)(f->seq % 3);
	n = rpt_encode(&r, d.b, sizeof(d.b));
	assert_true(n > 0);
	d.len = (size_t)n;
	assert_int_equal(rpt_sign(&f->key, d.b, d.len), 0);
	return d;
}

static int
rx(struct fx *f, struct wt_gen *g, const struct dgram *d)
{
	struct sockaddr_storage src = {.ss_family = AF_INET};

	return wt_recv_one(g, NULL, d->b, d->len, &src, NOW_NS + (f->t_ms - NOW_MS) * 1000000,
			   f->t_ms);
}

/* One round at the clock; the proposals into props, their count. */
static size_t
round_of(struct fx *f, struct wt_gen *g, struct ipc_weight *props)
{
	size_t n = 0;

	assert_int_equal(wt_round_compute(g, f->t_ms, props, &n), 0);
	return n;
}

/* Reports of every server but one in turn, then a round, for steps steps. */
static void
run_old(struct fx *f, int steps)
{
	struct ipc_weight props[N_RS];

	for (int s = 0; s < steps; s++) {
		for (uint32_t i = 0; i < N_RS; i++)
			if ((int)i != s % (N_RS + 1)) {
				struct dgram d = report(f, i);

				assert_int_equal(rx(f, &f->old, &d), 0);
			}
		f->t_ms += ROUND_MS;
		(void)round_of(f, &f->old, props);
	}
}

/* ---------------------------------------------------------- the handing */

/* What the parent holds: the last entry the old child sent of each server,
 * each frame through the IPC codec as the channel carries it. */
static void
parent_keeps(struct wt_gen *g, struct ipc_wt_rs *kept, bool *has)
{
	static uint64_t buf[IPC_FRAME_MAX / 8];
	struct ipc_wt_state *m = malloc(sizeof(*m) + IPC_WT_STATE_MAX * sizeof(m->rs[0]));
	struct ipc_msg msg;
	size_t n;
	int len;

	assert_non_null(m);
	while ((n = wt_state_take(g, m->rs, IPC_WT_STATE_MAX)) > 0) {
		m->generation = g->generation;
		m->n = (uint32_t)n;
		len = ipc_encode(IPC_WT_STATE, m, sizeof(*m) + n * sizeof(m->rs[0]), buf,
				 sizeof(buf));
		assert_true(len > 0);
		assert_int_equal(ipc_decode(buf, (size_t)len, &msg), 0);
		assert_int_equal(msg.type, IPC_WT_STATE);
		for (uint32_t i = 0; i < IPC_BODY(&msg, struct ipc_wt_state)->n; i++) {
			const struct ipc_wt_rs *w = &IPC_BODY(&msg, struct ipc_wt_state)->rs[i];

			assert_true(w->service_id == 0 && w->rs_id < N_RS);
			kept[w->rs_id] = *w;
			has[w->rs_id] = true;
		}
	}
	assert_int_equal(g->n_sync, 0);
	free(m);
}

/* The old child dies here: a new one is built from the same objects
 * (static weights f->weights) and given what the parent kept. */
static void
restart(struct fx *f)
{
	static uint64_t buf[IPC_FRAME_MAX / 8];
	struct ipc_wt_rs kept[N_RS];
	bool has[N_RS] = {false};
	struct ipc_wt_state *m = calloc(1, sizeof(*m) + N_RS * sizeof(m->rs[0]));
	struct ipc_msg msg;
	int len;

	assert_non_null(m);
	parent_keeps(&f->old, kept, has);
	gen_build(f, &f->new, f->weights);
	m->generation = f->new.generation;
	for (uint32_t i = 0; i < N_RS; i++)
		if (has[i])
			m->rs[m->n++] = kept[i];
	len = ipc_encode(IPC_WT_RESTORE, m, sizeof(*m) + m->n * sizeof(m->rs[0]), buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(ipc_decode(buf, (size_t)len, &msg), 0);
	assert_int_equal(wt_state_stage(&f->new, IPC_BODY(&msg, struct ipc_wt_state)), 0);
	assert_int_equal(wt_gen_commit(&f->new, NULL, f->t_ms), 0);
	free(m);
}

/* Both children on the same reports and rounds: equal proposals, equal
 * policy states, equal feedback. */
static void
run_both(struct fx *f, int steps)
{
	for (int s = 0; s < steps; s++) {
		struct ipc_weight po[N_RS], pn[N_RS];
		size_t no, nn;

		for (uint32_t i = 0; i < N_RS; i++)
			if ((int)i != (s + 2) % (N_RS + 1)) {
				struct dgram d = report(f, i);

				assert_int_equal(rx(f, &f->old, &d), 0);
				assert_int_equal(rx(f, &f->new, &d), 0);
			}
		f->t_ms += ROUND_MS;
		no = round_of(f, &f->old, po);
		nn = round_of(f, &f->new, pn);
		for (uint32_t i = 0; i < N_RS; i++) {
			const struct wt_policy_rs *a = &f->old.svcs[0].prs[i],
						  *b = &f->new.svcs[0].prs[i];

			assert_int_equal(a->weight, b->weight);
			assert_int_equal(a->proposed, b->proposed);
			assert_int_equal(a->trim, b->trim);
			assert_int_equal(a->state, b->state);
			assert_int_equal(a->s_free_ppm, b->s_free_ppm);
			assert_memory_equal(&a->report, &b->report, sizeof(a->report));
			assert_int_equal(f->old.rs[i].reports, f->new.rs[i].reports);
			assert_int_equal(f->old.svcs[0].out[i], f->new.svcs[0].out[i]);
		}
		/* the old one proposes only what changed, the new one its first
		 * round in full: every proposal of the old is the new's too */
		for (size_t i = 0; i < no; i++) {
			bool found = false;

			for (size_t k = 0; k < nn; k++)
				if (pn[k].rs_id == po[i].rs_id) {
					assert_int_equal(pn[k].weight, po[i].weight);
					found = true;
				}
			assert_true(found || s > 0);
		}
	}
}

/* ----------------------------------------------------------------- tests */

/* Killed after a round: the new child goes on as the old one. */
static void
test_after_round(void **state)
{
	struct fx *f = *state;

	run_old(f, 12);
	restart(f);
	run_both(f, 15);
}

/* Killed after reports were accepted but before the round that folds them
 * in: the new child folds them in as the old one would have. */
static void
test_before_round(void **state)
{
	struct fx *f = *state;

	run_old(f, 8);
	for (uint32_t i = 0; i < N_RS; i++) {
		struct dgram d = report(f, i);

		assert_int_equal(rx(f, &f->old, &d), 0);
	}
	restart(f);
	for (uint32_t i = 0; i < N_RS; i++)
		assert_true(f->new.svcs[0].prs[i].fresh);
	run_both(f, 15);
}

/* No replay the old child would refuse: each report it accepted is a
 * replay to the new one, and its next report is taken by both. */
static void
test_no_replay(void **state)
{
	struct fx *f = *state;
	struct dgram last[N_RS];

	run_old(f, 3);
	for (uint32_t i = 0; i < N_RS; i++) {
		last[i] = report(f, i);
		assert_int_equal(rx(f, &f->old, &last[i]), 0);
	}
	restart(f);
	for (uint32_t i = 0; i < N_RS; i++) {
		assert_int_equal(rx(f, &f->old, &last[i]), -EALREADY);
		assert_int_equal(rx(f, &f->new, &last[i]), -EALREADY);
		assert_int_equal(f->new.rs[i].reports, f->old.rs[i].reports);
	}
	run_both(f, 2);
}

/* A static weight changed across the restart (the file was edited): the
 * learnt factor is kept, rescaled to the new weight, as a reload does. */
static void
test_static_weight_changed(void **state)
{
	struct fx *f = *state;
	uint32_t before;

	run_old(f, 10);
	before = f->old.svcs[0].prs[2].weight;
	f->weights[2] = 100; /* was 200 */
	restart(f);
	assert_int_equal(f->new.svcs[0].prs[2].state, f->old.svcs[0].prs[2].state);
	assert_true(f->new.svcs[0].prs[2].weight * 2 >= before - 2 &&
		    f->new.svcs[0].prs[2].weight * 2 <= before + 2);
}

/* What the parent hands back does not win over what a running child
 * knows (a reload), and entries naming servers the generation lacks are
 * skipped. */
static void
test_restore_only_fills(void **state)
{
	struct fx *f = *state;
	struct ipc_wt_state *m = calloc(1, sizeof(*m) + 2 * sizeof(m->rs[0]));
	uint64_t reports;

	assert_non_null(m);
	run_old(f, 4);
	reports = f->old.rs[0].reports;
	gen_build(f, &f->new, f->weights);
	m->generation = f->new.generation;
	m->n = 2;
	m->rs[0].service_id = 0;
	m->rs[0].rs_id = 0;
	m->rs[0].reports = 999;
	m->rs[0].has_report = 1;
	m->rs[1].service_id = 7; /* none */
	m->rs[1].rs_id = 0;
	assert_int_equal(wt_state_stage(&f->new, m), 0);
	m->generation = 9;
	assert_int_equal(wt_state_stage(&f->new, m), -EINVAL);
	assert_int_equal(wt_gen_commit(&f->new, &f->old, f->t_ms), 0);
	assert_int_equal(f->new.rs[0].reports, reports);
	free(m);
}

/* A policy state computed by another policy is not taken: the server
 * starts afresh (the receiver's record is kept). */
static void
test_other_policy(void **state)
{
	struct fx *f = *state;

	run_old(f, 10);
	assert_int_equal(f->old.svcs[0].prs[0].state, WT_FB_TRUSTED);
	f->policy = CONF_POLICY_PAPER1;
	restart(f);
	assert_int_equal(f->new.svcs[0].prs[0].state, WT_FB_UNKNOWN);
	assert_true(f->new.rs[0].seen.valid);
	assert_int_equal(f->new.rs[0].seen.seq, f->old.rs[0].seen.seq);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_after_round, setup_damped, teardown),
	    cmocka_unit_test_setup_teardown(test_after_round, setup_paper1, teardown),
	    cmocka_unit_test_setup_teardown(test_after_round, setup_paper2, teardown),
	    cmocka_unit_test_setup_teardown(test_before_round, setup_damped, teardown),
	    cmocka_unit_test_setup_teardown(test_before_round, setup_paper2, teardown),
	    cmocka_unit_test_setup_teardown(test_no_replay, setup_damped, teardown),
	    cmocka_unit_test_setup_teardown(test_static_weight_changed, setup_damped, teardown),
	    cmocka_unit_test_setup_teardown(test_restore_only_fills, setup_damped, teardown),
	    cmocka_unit_test_setup_teardown(test_other_policy, setup_damped, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
