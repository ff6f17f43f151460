/* The weight child and health: a real server that comes back up after a
 * check took it down warms up again from its static weight, as a new one
 * would; health of another generation, or up without a down before it,
 * changes nothing; a reload keeps what is known. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "weight/wt.h"

#define HEX "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static void
gen_build(struct wt_gen *g, uint64_t generation)
{
	uint64_t kb[(sizeof(struct ipc_conf_key) + sizeof(HEX) + 7) / 8];
	struct ipc_conf_key *k = (struct ipc_conf_key *)kb;
	struct ipc_conf_service s;
	struct ipc_conf_rs rs;

	memset(g, 0, sizeof(*g));
	g->sock = -1;
	g->generation = generation;
	g->rep.enabled = 1;
	g->rep.max_skew_ms = 30000;
	memset(kb, 0, sizeof(kb));
	k->type = CONF_KEY_HMAC;
	strcpy(k->name, "k");
	k->len = sizeof(HEX) - 1;
	memcpy(k->material, HEX, k->len);
	assert_int_equal(wt_gen_key(g, k), 0);
	memset(&s, 0, sizeof(s));
	strcpy(s.name, "web");
	s.policy = CONF_POLICY_DAMPED;
	s.mem_per_proc_kb = 3500;
	s.max_step = 10;
	s.smoothing = 30;
	s.band = 4;
	s.write_threshold = 5;
	s.stale_after_ms = 180000;
	s.expire_after_ms = 600000;
	assert_int_equal(wt_gen_service(g, &s), 0);
	for (uint32_t i = 0; i < 2; i++) {
		memset(&rs, 0, sizeof(rs));
		rs.id = i;
		rs.addr.family = AF_INET;
		rs.addr.addr[0] = 198;
		rs.addr.addr[1] = 51;
		rs.addr.addr[2] = 100;
		rs.addr.addr[3] = (uint8_t)(11 + i);
		rs.port = 80;
		rs.weight = 1;
		rs.key = 0;
		rs.key2 = -1;
		assert_int_equal(wt_gen_rs(g, &rs), 0);
	}
}

static void
health(struct wt_gen *g, uint64_t generation, uint32_t rs, uint8_t state)
{
	uint64_t b[(sizeof(struct ipc_health) + sizeof(struct ipc_health_rs) + 7) / 8];
	struct ipc_health *m = (struct ipc_health *)b;

	memset(b, 0, sizeof(b));
	m->generation = generation;
	m->n = 1;
	m->rs[0].rs_id = rs;
	m->rs[0].state = state;
	wt_gen_health(g, m);
}

static void
test_back_up_warms_again(void **state)
{
	struct wt_gen g;
	struct wt_svc *v;

	gen_build(&g, 5);
	assert_int_equal(wt_gen_commit(&g, NULL, 1000), 0);
	v = &g.svcs[0];
	assert_true(v->pooled);
	/* as if it had reports and was trusted */
	v->prs[0].state = WT_FB_TRUSTED;
	v->prs[0].has_report = true;
	v->prs[1].state = WT_FB_TRUSTED;
	health(&g, 5, 0, IPC_HEALTH_UP); /* up without a down: nothing */
	assert_int_equal(v->prs[0].state, WT_FB_TRUSTED);
	health(&g, 4, 0, IPC_HEALTH_DOWN); /* another generation: nothing */
	assert_false(g.rs[0].down);
	health(&g, 5, 0, IPC_HEALTH_DOWN);
	assert_true(g.rs[0].down);
	assert_int_equal(v->prs[0].state, WT_FB_TRUSTED); /* the parent gives it 0 */
	health(&g, 5, 0, IPC_HEALTH_UP);
	assert_false(g.rs[0].down);
	assert_int_equal(v->prs[0].state, WT_FB_UNKNOWN); /* forgotten: warms up again */
	assert_false(v->prs[0].has_report);
	assert_int_equal(v->prs[1].state, WT_FB_TRUSTED); /* the other one untouched */
	wt_gen_free(&g);
}

static void
test_reload_keeps_down(void **state)
{
	struct wt_gen old, g;

	gen_build(&old, 1);
	assert_int_equal(wt_gen_commit(&old, NULL, 1000), 0);
	health(&old, 1, 1, IPC_HEALTH_DOWN);
	gen_build(&g, 2);
	assert_int_equal(wt_gen_commit(&g, &old, 2000), 0);
	assert_false(g.rs[0].down);
	assert_true(g.rs[1].down);
	wt_gen_free(&old);
	wt_gen_free(&g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_back_up_warms_again),
	    cmocka_unit_test(test_reload_keeps_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
