/* What the parent does with the children's results: a message for the
 * running generation is applied, one for another generation is dropped
 * (its ids may name other objects now), one naming objects the generation
 * does not have, or sent by the wrong child, is a protocol error.  What
 * must be judged again above results.c reaches main through its hooks. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lvsd/core/ipc.h"
#include "lvsd/drill/drill.h"
#include "lvsd/feedback/feedback.h"
#include "lvsd/lvsd.h"
#include "lvsd/results.h"
#include "lvsd/scripts/notify.h"
#include "lvsd/writer/effective.h"

/* main's hooks, counted */
static unsigned n_judge, n_vrrp_progress;

static void
count_judge(struct lvsd *d)
{
	n_judge++;
}

static void
count_vrrp_progress(struct lvsd *d)
{
	n_vrrp_progress++;
}

static const char doc[] = "vrrp:\n"
			  "  - {name: v1, interface: lo, vrid: 1, virtual_addresses: [192.0.2.1/24]}\n"
			  "services:\n"
			  "  - name: a\n"
			  "    address: 192.0.2.1\n"
			  "    port: 80\n"
			  "    real_servers: [{address: 198.51.100.1}, {address: 198.51.100.2}]\n"
			  "  - name: b\n"
			  "    address: 192.0.2.1\n"
			  "    port: 443\n"
			  "    real_servers: [{address: 198.51.100.1}]\n";

static struct conf *
load(void)
{
	struct conf *c = NULL;
	struct conf_error e;

	assert_int_equal(conf_load_buffer("t.yaml", doc, strlen(doc), &c, &e), 0);
	return c;
}

static uint64_t space[IPC_FRAME_MAX / 8];

/* A HEALTH message of generation gen with the given (svc, rs, state) triples. */
static struct ipc_msg
health(uint64_t gen, const uint32_t (*e)[3], uint32_t n)
{
	struct ipc_health *h = (struct ipc_health *)space;
	struct ipc_msg m = {.type = IPC_HEALTH, .payload = h, .fd = -1};

	memset(space, 0, sizeof(space));
	h->generation = gen;
	h->n = n;
	for (uint32_t i = 0; i < n; i++) {
		h->rs[i].service_id = e[i][0];
		h->rs[i].rs_id = e[i][1];
		h->rs[i].state = (uint8_t)e[i][2];
	}
	m.len = (uint32_t)(sizeof(*h) + n * sizeof(h->rs[0]));
	assert_int_equal(ipc_check_payload(m.type, m.payload, m.len), 0);
	return m;
}

static struct ipc_msg
weights(uint64_t gen, const uint32_t (*e)[3], uint32_t n)
{
	struct ipc_weights *w = (struct ipc_weights *)space;
	struct ipc_msg m = {.type = IPC_WEIGHTS, .payload = w, .fd = -1};

	memset(space, 0, sizeof(space));
	w->generation = gen;
	w->n = n;
	for (uint32_t i = 0; i < n; i++) {
		w->w[i].service_id = e[i][0];
		w->w[i].rs_id = e[i][1];
		w->w[i].weight = e[i][2];
	}
	m.len = (uint32_t)(sizeof(*w) + n * sizeof(w->w[0]));
	assert_int_equal(ipc_check_payload(m.type, m.payload, m.len), 0);
	return m;
}

static void
test_health(void **state)
{
	struct conf *c = load();
	const uint32_t ok[][3] = {{0, 0, IPC_HEALTH_UP}, {0, 1, IPC_HEALTH_DOWN}, {1, 0, 0}};
	const uint32_t bad_rs[][3] = {{0, 0, IPC_HEALTH_UP}, {1, 1, IPC_HEALTH_UP}};
	const uint32_t bad_svc[][3] = {{2, 0, IPC_HEALTH_UP}};
	const uint32_t bad_state[][3] = {{0, 0, 3}};
	struct ipc_msg m;

	m = health(4, ok, 3);
	assert_int_equal(results_judge(c, 4, LVSD_CHECKERS, &m), 1);
	/* the same ids for generation 3 or 5: dropped, whatever they name */
	m = health(3, ok, 3);
	assert_int_equal(results_judge(c, 4, LVSD_CHECKERS, &m), 0);
	m = health(5, bad_rs, 2);
	assert_int_equal(results_judge(c, 4, LVSD_CHECKERS, &m), 0);
	/* for this generation, ids must exist: service b has one real server */
	m = health(4, bad_rs, 2);
	assert_int_equal(results_judge(c, 4, LVSD_CHECKERS, &m), -EINVAL);
	m = health(4, bad_svc, 1);
	assert_int_equal(results_judge(c, 4, LVSD_CHECKERS, &m), -EINVAL);
	m = health(4, bad_state, 1);
	assert_int_equal(results_judge(c, 4, LVSD_CHECKERS, &m), -EINVAL);
	/* only the checkers child reports health */
	m = health(4, ok, 3);
	assert_int_equal(results_judge(c, 4, LVSD_WEIGHT, &m), -EPROTO);
	assert_int_equal(results_judge(c, 4, LVSD_VRRP, &m), -EPROTO);
	conf_free(c);
}

static void
test_weights(void **state)
{
	struct conf *c = load();
	const uint32_t ok[][3] = {{0, 0, 10}, {0, 1, 65535}, {1, 0, 0}};
	const uint32_t too_big[][3] = {{0, 0, 65536}};
	const uint32_t bad_rs[][3] = {{0, 2, 1}};
	struct ipc_msg m;

	m = weights(9, ok, 3);
	assert_int_equal(results_judge(c, 9, LVSD_WEIGHT, &m), 1);
	m = weights(8, ok, 3);
	assert_int_equal(results_judge(c, 9, LVSD_WEIGHT, &m), 0);
	m = weights(9, too_big, 1);
	assert_int_equal(results_judge(c, 9, LVSD_WEIGHT, &m), -EINVAL);
	m = weights(9, bad_rs, 1);
	assert_int_equal(results_judge(c, 9, LVSD_WEIGHT, &m), -EINVAL);
	m = weights(9, ok, 3);
	assert_int_equal(results_judge(c, 9, LVSD_CHECKERS, &m), -EPROTO);
	/* an empty batch is harmless */
	m = weights(9, ok, 0);
	assert_int_equal(results_judge(c, 9, LVSD_WEIGHT, &m), 1);
	conf_free(c);
}

static void
test_vrrp_state(void **state)
{
	struct conf *c = load();
	struct ipc_vrrp_state v = {.generation = 2, .instance_id = 0, .state = IPC_VRRP_MASTER};
	struct ipc_msg m = {.type = IPC_VRRP_STATE, .len = sizeof(v), .payload = &v, .fd = -1};

	assert_int_equal(results_judge(c, 2, LVSD_VRRP, &m), 1);
	assert_int_equal(results_judge(c, 3, LVSD_VRRP, &m), 0);
	assert_int_equal(results_judge(c, 2, LVSD_WEIGHT, &m), -EPROTO);
	v.instance_id = 1;
	assert_int_equal(results_judge(c, 2, LVSD_VRRP, &m), -EINVAL);
	v.instance_id = 0;
	v.state = IPC_VRRP_FAULT + 1;
	assert_int_equal(results_judge(c, 2, LVSD_VRRP, &m), -EINVAL);
	/* a child may not send configuration or status requests */
	m.type = IPC_CONF_BEGIN;
	assert_int_equal(results_judge(c, 2, LVSD_VRRP, &m), -EPROTO);
	conf_free(c);
}

/* Applied results call up only through the hooks: a change of health
 * asks for a judgement (readiness, routes), a repeat of the same health
 * does not, and a VRRP state tells whoever waits for a handover. */
static void
test_hooks(void **state)
{
	const uint32_t up[][3] = {{0, 0, IPC_HEALTH_UP}};
	struct ipc_vrrp_state v = {.generation = 1, .instance_id = 0, .state = IPC_VRRP_MASTER};
	struct ipc_msg m = {.type = IPC_VRRP_STATE, .len = sizeof(v), .payload = &v, .fd = -1};
	struct lvsd d;

	memset(&d, 0, sizeof(d));
	d.conf = load();
	d.generation = 1;
	d.hooks.judge = count_judge;
	d.hooks.vrrp_progress = count_vrrp_progress;
	assert_int_equal(eff_init(&d), 0);
	assert_int_equal(lvsd_results_reset(&d, 0), 0);
	assert_int_equal(drill_init(&d), 0);
	assert_int_equal(notify_reset(&d), 0);
	assert_int_equal(fb_reset(&d), 0);
	n_judge = n_vrrp_progress = 0;

	results_apply(&d, (m = health(1, up, 1), &m));
	assert_int_equal(n_judge, 1); /* no loop here: judged at once */
	results_apply(&d, (m = health(1, up, 1), &m));
	assert_int_equal(n_judge, 1);

	m = (struct ipc_msg){.type = IPC_VRRP_STATE, .len = sizeof(v), .payload = &v, .fd = -1};
	results_apply(&d, &m);
	assert_int_equal(n_vrrp_progress, 1);
	assert_int_equal(n_judge, 1);

	/* without hooks (as before main installs them), nothing breaks */
	memset(&d.hooks, 0, sizeof(d.hooks));
	results_apply(&d, &m);
	assert_int_equal(n_vrrp_progress, 1);

	fb_free(&d);
	notify_free(&d);
	drill_free(&d);
	lvsd_results_free(&d);
	eff_free(&d);
	conf_free(d.conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_health),
	    cmocka_unit_test(test_weights),
	    cmocka_unit_test(test_vrrp_state),
	    cmocka_unit_test(test_hooks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
