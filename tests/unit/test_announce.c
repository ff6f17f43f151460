/* The judgement of whether a director is fit to announce a service's VIP. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lvsd/announce/announce_calc.h"

/* a fit director: IPVS programmed, 3 of 3 servers up, 1 needed */
static struct ann_input
fit(void)
{
	struct ann_input in = {
	    .ipvs = true, .applied = true, .programmed = true, .up = 3, .n_rs = 3, .min_up = 1};

	return in;
}

static void
test_fit(void **state)
{
	struct ann_input in = fit();
	bool keep;
	char b[128];

	assert_int_equal(ann_judge(&in), ANN_FIT);
	assert_true(ann_wants(ANN_FIT, &keep));
	assert_false(keep);
	assert_string_equal(ann_why_str(ANN_FIT, &in, b, sizeof(b)), "3 of 3 real servers up");
	in.up = 1;
	assert_int_equal(ann_judge(&in), ANN_FIT); /* exactly min_up */
}

/* The quorum of real servers: below it the route goes. */
static void
test_too_few(void **state)
{
	struct ann_input in = fit();
	bool keep;
	char b[128];

	in.min_up = 2;
	in.up = 1;
	assert_int_equal(ann_judge(&in), ANN_TOO_FEW_UP);
	assert_false(ann_wants(ANN_TOO_FEW_UP, &keep));
	assert_false(keep);
	assert_string_equal(ann_why_str(ANN_TOO_FEW_UP, &in, b, sizeof(b)),
			    "1 of 3 real servers up, 2 needed");
	in.up = 0;
	in.min_up = 1;
	assert_int_equal(ann_judge(&in), ANN_TOO_FEW_UP);
	/* min_up 0: announced with none up (a sorry server serves) */
	in.min_up = 0;
	assert_int_equal(ann_judge(&in), ANN_FIT);
}

/* Servers without a first result: wait while they could still make it,
 * decide once they cannot or once enough are up. */
static void
test_unknown_health(void **state)
{
	struct ann_input in = fit();
	bool keep;

	in.min_up = 2;
	in.up = 0;
	in.unknown = 3;
	assert_int_equal(ann_judge(&in), ANN_WAIT_HEALTH);
	assert_false(ann_wants(ANN_WAIT_HEALTH, &keep));
	assert_true(keep);
	in.up = 2;
	in.unknown = 1;
	assert_int_equal(ann_judge(&in), ANN_FIT);
	in.up = 0;
	in.unknown = 1; /* two are down: one more cannot reach 2 */
	assert_int_equal(ann_judge(&in), ANN_TOO_FEW_UP);
}

/* IPVS: absent withdraws (a director that cannot forward attracts
 * nothing); a reconcile in flight keeps the route as it is (no flap on a
 * reload or a restart); a refused table withdraws. */
static void
test_ipvs(void **state)
{
	struct ann_input in = fit();
	bool keep;

	in.ipvs = false;
	assert_int_equal(ann_judge(&in), ANN_NO_IPVS);
	in.ipvs = true;
	in.applied = false;
	assert_int_equal(ann_judge(&in), ANN_WAIT_APPLY);
	assert_false(ann_wants(ANN_WAIT_APPLY, &keep));
	assert_true(keep);
	in.applied = true;
	in.programmed = false;
	assert_int_equal(ann_judge(&in), ANN_REFUSED);
	assert_false(ann_wants(ANN_REFUSED, &keep));
	assert_false(keep);
}

/* Stopping and draining win over everything. */
static void
test_precedence(void **state)
{
	struct ann_input in = fit();

	in.draining = true;
	assert_int_equal(ann_judge(&in), ANN_DRAINING);
	in.ipvs = false;
	in.up = 0;
	assert_int_equal(ann_judge(&in), ANN_DRAINING);
	in.stopping = true;
	assert_int_equal(ann_judge(&in), ANN_STOPPING);
	in = fit();
	in.applied = false;
	in.draining = true; /* a drain does not wait for a reconcile */
	assert_int_equal(ann_judge(&in), ANN_DRAINING);
}

static void
test_names(void **state)
{
	char b[128];
	struct ann_input in = fit();

	for (int w = ANN_FIT; w <= ANN_TOO_FEW_UP; w++) {
		assert_string_not_equal(ann_why_name((enum ann_why)w), "?");
		assert_true(strlen(ann_why_str((enum ann_why)w, &in, b, sizeof(b))) > 0);
	}
	assert_string_equal(ann_why_name((enum ann_why)99), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fit),
	    cmocka_unit_test(test_too_few),
	    cmocka_unit_test(test_unknown_health),
	    cmocka_unit_test(test_ipvs),
	    cmocka_unit_test(test_precedence),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
