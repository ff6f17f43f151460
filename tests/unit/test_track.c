/* The script runner's pure pieces (command splitting, which queued job
 * starts next, results in words) and tracking (rise and fall, how scripts
 * and files combine into an instance's priority and fault, file values). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <event2/event.h>
#include <sys/wait.h>

#include "lvsd/scripts/script.h"
#include "lvsd/scripts/track_calc.h"

static void
test_split(void **state)
{
	char buf[256], *argv[8];

	assert_int_equal(
	    script_split("/bin/chk  a\t'b c' \"d \\\"e\\\"\" f\\ g", argv, 8, buf, sizeof(buf)), 5);
	assert_string_equal(argv[0], "/bin/chk");
	assert_string_equal(argv[1], "a");
	assert_string_equal(argv[2], "b c");
	assert_string_equal(argv[3], "d \"e\"");
	assert_string_equal(argv[4], "f g");
	assert_null(argv[5]);
	assert_int_equal(script_split("/bin/x 'open", argv, 8, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(script_split("   ", argv, 8, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(script_split("a b c d", argv, 4, buf, sizeof(buf)), -E2BIG);
	assert_int_equal(script_split("abcdefgh", argv, 4, buf, 8), -E2BIG);
	assert_int_equal(script_split("''", argv, 4, buf, sizeof(buf)), 1);
	assert_string_equal(argv[0], "");
}

/* The cap, and serial keys: one at a time, in order. */
static void
test_pick(void **state)
{
	uint64_t pend[] = {7, 7, 0, 8}, run[] = {7};

	assert_int_equal(script_pick(pend, 4, NULL, 0, 4), 0);
	/* 7 runs: the next 7 waits, the keyless one goes */
	assert_int_equal(script_pick(pend + 1, 3, run, 1, 4), 1);
	/* an earlier pending job of the key holds the later one */
	assert_int_equal(script_pick(pend, 2, NULL, 0, 4), 0);
	uint64_t two[] = {7, 7};
	assert_int_equal(script_pick(two + 1, 1, run, 1, 4), -1);
	/* the cap */
	uint64_t r3[] = {1, 2, 3};
	assert_int_equal(script_pick(pend, 4, r3, 3, 3), -1);
	assert_int_equal(script_pick(pend, 0, NULL, 0, 3), -1);
}

static void
test_result_str(void **state)
{
	char b[96];
	struct script_result r = {SCRIPT_EXITED, 0};

	assert_true(script_ok(&r));
	assert_string_equal(script_result_str(&r, b, sizeof(b)), "exited with status 0");
	r.code = 3;
	assert_false(script_ok(&r));
	r = (struct script_result){SCRIPT_SIGNALED, SIGKILL};
	assert_string_equal(script_result_str(&r, b, sizeof(b)), "killed by signal SIGKILL");
	r = (struct script_result){SCRIPT_TIMEOUT, 0};
	assert_false(script_ok(&r));
	assert_non_null(strstr(script_result_str(&r, b, sizeof(b)), "timed out"));
}

static void
test_rise_fall(void **state)
{
	struct track_rf rf = {false, 0};

	/* failing at first; rise 2 */
	assert_false(track_rf_step(&rf, true, 2, 3));
	assert_false(rf.ok);
	assert_false(track_rf_step(&rf, false, 2, 3)); /* the run is broken */
	assert_false(track_rf_step(&rf, true, 2, 3));
	assert_true(track_rf_step(&rf, true, 2, 3));
	assert_true(rf.ok);
	/* fall 3 */
	assert_false(track_rf_step(&rf, false, 2, 3));
	assert_false(track_rf_step(&rf, false, 2, 3));
	assert_false(track_rf_step(&rf, true, 2, 3));
	assert_false(track_rf_step(&rf, false, 2, 3));
	assert_false(track_rf_step(&rf, false, 2, 3));
	assert_true(track_rf_step(&rf, false, 2, 3));
	assert_false(rf.ok);
	/* rise 1, fall 1: every change at once */
	assert_true(track_rf_step(&rf, true, 1, 1));
	assert_true(track_rf_step(&rf, false, 1, 1));
}

static void
test_combine(void **state)
{
	struct conf_track_ref s[] = {{0, 0, {0, 0}}, {1, -60, {0, 0}}, {2, 10, {0, 0}}};
	struct conf_track_ref f[] = {{0, 5, {0, 0}}};
	struct conf_vrrp v = {.priority = 150,
			      .track_scripts = s,
			      .n_track_scripts = 3,
			      .track_files = f,
			      .n_track_files = 1};
	bool ok[3] = {true, true, true};
	int64_t val[1] = {0};
	int32_t d;
	bool fault;

	track_combine(&v, ok, val, &d, &fault);
	assert_int_equal(d, 10); /* the positive weight while it succeeds */
	assert_false(fault);
	ok[1] = false;
	ok[2] = false;
	track_combine(&v, ok, val, &d, &fault);
	assert_int_equal(d, -60); /* the negative one while it fails */
	assert_false(fault);
	ok[0] = false;
	track_combine(&v, ok, val, &d, &fault);
	assert_true(fault); /* weight 0 failing */
	ok[0] = true;
	val[0] = -4;
	track_combine(&v, ok, val, &d, &fault);
	assert_int_equal(d, -80);
	assert_false(fault);
	val[0] = -18; /* 150 - 60 - 90 = 0: fault */
	track_combine(&v, ok, val, &d, &fault);
	assert_int_equal(d, -150);
	assert_true(fault);
	val[0] = INT64_MAX; /* clamped, no overflow */
	track_combine(&v, ok, val, &d, &fault);
	assert_true(d > 0);
	assert_false(fault);
	/* the owner never faults through files */
	v.priority = 255;
	val[0] = -1000;
	track_combine(&v, ok, val, &d, &fault);
	assert_false(fault);
}

static void
test_value(void **state)
{
	int64_t v = 9;

	assert_int_equal(track_parse_value(" -12\n", 5, &v), 0);
	assert_int_equal(v, -12);
	assert_int_equal(track_parse_value("7", 1, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(track_parse_value("", 0, &v), -EINVAL);
	assert_int_equal(track_parse_value("1x", 2, &v), -EINVAL);
	assert_int_equal(track_parse_value("\n\n", 2, &v), -EINVAL);
	assert_int_equal(track_parse_value("99999999999999999999999", 23, &v), -EINVAL);
	assert_int_equal(v, 7);
}

/* The runner at work: real processes, SIGCHLD handed to script_reaped()
 * the way proc.c does, results in order, the cap, a timeout. */
struct run_state {
	struct event_base *base;
	struct script_runner *r;
	struct script_result res[8];
	int order[8];
	int n;
	unsigned max_seen;
};

struct run_job {
	struct run_state *s;
	int tag;
};

static void
run_done(void *arg, const struct script_result *res)
{
	struct run_job *j = arg;
	struct run_state *s = j->s;

	s->res[j->tag] = *res;
	s->order[s->n++] = j->tag;
	if (s->n == 5)
		event_base_loopbreak(s->base);
}

static void
run_sigchld(evutil_socket_t sig, short what, void *arg)
{
	struct run_state *s = arg;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		assert_true(script_reaped(s->r, pid, status));
	if (script_running(s->r) > s->max_seen)
		s->max_seen = script_running(s->r);
}

static void
test_runner(void **state)
{
	struct run_state s = {0};
	struct run_job j[5];
	struct event *ev;
	struct timeval ceiling = {30, 0};
	char *t[] = {"/bin/true", NULL}, *f[] = {"/bin/false", NULL},
	     *hang[] = {"/bin/sh", "-c", "sleep 30 & sleep 30", NULL},
	     *none[] = {"/nonexistent/script", NULL};

	s.base = event_base_new();
	assert_non_null(s.base);
	assert_int_equal(script_runner_new(s.base, 2, &s.r), 0);
	ev = evsignal_new(s.base, SIGCHLD, run_sigchld, &s);
	assert_int_equal(evsignal_add(ev, NULL), 0);
	for (int i = 0; i < 5; i++)
		j[i] = (struct run_job){&s, i};
	/* 0 and 2 share a serial key: 2 waits for 0 */
	assert_int_equal(script_run(s.r, hang, 200, 9, run_done, &j[0], NULL), 0);
	assert_int_equal(script_run(s.r, t, 5000, 0, run_done, &j[1], NULL), 0);
	assert_int_equal(script_run(s.r, f, 5000, 9, run_done, &j[2], NULL), 0);
	assert_int_equal(script_run(s.r, none, 5000, 0, run_done, &j[3], NULL), 0);
	assert_int_equal(script_run_cmd(s.r, "/bin/sh -c 'exit 3'", 5000, 0, run_done, &j[4], NULL),
			 0);
	assert_true(script_running(s.r) <= 2);
	event_base_loopexit(s.base, &ceiling);
	event_base_dispatch(s.base);
	assert_int_equal(s.n, 5);
	assert_true(s.max_seen <= 2);
	assert_int_equal(s.res[0].how, SCRIPT_TIMEOUT);
	assert_true(script_ok(&s.res[1]));
	assert_int_equal(s.res[2].how, SCRIPT_EXITED);
	assert_int_equal(s.res[2].code, 1);
	assert_int_equal(s.res[3].code, 127);
	assert_int_equal(s.res[4].code, 3);
	for (int i = 0, seen0 = 0; i < 5; i++) { /* 2 after 0 */
		seen0 |= s.order[i] == 0;
		if (s.order[i] == 2)
			assert_true(seen0);
	}
	script_runner_free(s.r);
	event_free(ev);
	event_base_free(s.base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split),      cmocka_unit_test(test_pick),
	    cmocka_unit_test(test_result_str), cmocka_unit_test(test_rise_fall),
	    cmocka_unit_test(test_combine),    cmocka_unit_test(test_value),
	    cmocka_unit_test(test_runner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
