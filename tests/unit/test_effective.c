/* Effective weights: the precedence of health, override, proposal and
 * static weight; a reload carries each server's inputs by identity; and
 * the lines of lvsctl weight resolve to the right server or say why not. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lvsd/lvsd.h"
#include "lvsd/scripts/quorum.h"
#include "lvsd/writer/effective.h"
#include "lvsd/writer/table.h"

/* quorum.c runs scripts; here each hook is recorded instead. */
static struct {
	size_t svc;
	bool up, first;
} hooks[16];
static int n_hooks;

void
quorum_hook(struct lvsd *d, size_t svc, bool up, bool first)
{
	(void)d;
	assert_true(n_hooks < 16);
	hooks[n_hooks].svc = svc;
	hooks[n_hooks].up = up;
	hooks[n_hooks].first = first;
	n_hooks++;
}

static const char yaml1[] =
    "services:\n"
    "  - name: web\n    address: 192.0.2.100\n    port: 80\n"
    "    check: {type: none}\n    weight_policy: static\n"
    "    real_servers:\n"
    "      - {address: 198.51.100.11, weight: 5}\n"
    "      - {address: 198.51.100.12, weight: 6}\n"
    "  - address: 192.0.2.100\n    port: 53\n    protocol: udp\n    forwarding: nat\n"
    "    check: {type: none}\n"
    "    real_servers:\n"
    "      - {address: 198.51.100.13, port: 5353}\n"
    "      - {address: 198.51.100.13, port: 5354}\n"
    "  - {name: v6, address: \"2001:db8::100\", port: 443, check: {type: none}, real_servers: "
    "[{address: \"2001:db8:1::13\"}]}\n";

/* the same servers in another order, one gone, one new; the udp service
 * is checked (health is carried only where a check still runs) */
static const char yaml2[] =
    "services:\n"
    "  - address: 192.0.2.100\n    port: 53\n    protocol: udp\n    forwarding: nat\n"
    "    check: {type: tcp}\n"
    "    real_servers:\n"
    "      - {address: 198.51.100.13, port: 5354}\n"
    "  - name: web\n    address: 192.0.2.100\n    port: 80\n"
    "    check: {type: none}\n    weight_policy: static\n"
    "    real_servers:\n"
    "      - {address: 198.51.100.14, weight: 8}\n"
    "      - {address: 198.51.100.12, weight: 9}\n";

static struct conf *
load(const char *y)
{
	struct conf_error e;
	struct conf *c = NULL;

	memset(&e, 0, sizeof(e));
	if (conf_load_buffer("t.yaml", y, strlen(y), &c, &e) < 0)
		print_message("# %s:%u:%u: %s\n", e.file, e.line, e.col, e.msg);
	assert_non_null(c);
	return c;
}

static uint32_t
eff(struct lvsd *d, size_t s, size_t r)
{
	struct eff_view v;

	assert_true(eff_get(d, s, r, &v));
	return v.effective;
}

static void
test_precedence(void **state)
{
	struct lvsd d = {0};

	(void)state;
	d.conf = load(yaml1);
	assert_int_equal(eff_init(&d), 0);
	assert_int_equal(eff(&d, 0, 0), 5); /* static */
	eff_propose(&d, 0, 0, 40);
	assert_int_equal(eff(&d, 0, 0), 40); /* proposal over static */
	assert_int_equal(eff_override(&d, 0, 0, 7, false), 0);
	assert_int_equal(eff(&d, 0, 0), 7); /* override over proposal */
	eff_health(&d, 0, 0, false);
	assert_int_equal(eff(&d, 0, 0), 0); /* down over everything */
	eff_health(&d, 0, 0, true);
	assert_int_equal(eff(&d, 0, 0), 7);
	assert_int_equal(eff_override(&d, 0, 0, 0, true), 0);
	assert_int_equal(eff(&d, 0, 0), 40);
	assert_int_equal(eff_override(&d, 0, 0, 65536, false), -ERANGE);
	assert_int_equal(eff_override(&d, 0, 2, 1, false), -EINVAL);
	assert_int_equal(eff_override(&d, 3, 0, 1, false), -EINVAL);
	eff_propose(&d, 9, 9, 1); /* ignored */
	assert_int_equal(eff_table_weight(&d, 0, 1, 6), 6);
	eff_free(&d);
	conf_free(d.conf);
}

static void
test_reload_carries_by_identity(void **state)
{
	struct lvsd d = {0};
	struct conf *old;
	struct eff_view v;

	(void)state;
	d.conf = load(yaml1);
	assert_int_equal(eff_init(&d), 0);
	assert_int_equal(eff_override(&d, 0, 1, 3, false), 0); /* web .12 */
	eff_health(&d, 1, 1, false);			       /* udp .13:5354 */
	eff_propose(&d, 0, 0, 30);			       /* web .11: goes away */
	old = d.conf;
	d.conf = load(yaml2);
	assert_int_equal(eff_reload(&d, old), 0);
	conf_free(old);
	assert_int_equal(eff(&d, 0, 0), 0); /* .13:5354 still down */
	assert_int_equal(eff(&d, 1, 0), 8); /* new .14: static */
	assert_true(eff_get(&d, 1, 1, &v)); /* .12 kept its override */
	assert_true(v.has_override);
	assert_int_equal(v.override, 3);
	assert_int_equal(v.static_weight, 9); /* the new file's */
	assert_int_equal(v.effective, 3);
	eff_free(&d);
	conf_free(d.conf);
}

static void
test_lines(void **state)
{
	struct conf *c = load(yaml1);
	struct eff_line l;
	char why[256];

	(void)state;
	assert_int_equal(eff_parse_line(c, "web 198.51.100.12 9", &l, why, sizeof(why)), 0);
	assert_int_equal(l.svc, 0);
	assert_int_equal(l.rs, 1);
	assert_int_equal(l.weight, 9);
	assert_false(l.clear);
	assert_int_equal(
	    eff_parse_line(c, "  web   198.51.100.11:80  clear ", &l, why, sizeof(why)), 0);
	assert_int_equal(l.rs, 0);
	assert_true(l.clear);
	/* a default name with its protocol; the port picks one of two */
	assert_int_equal(
	    eff_parse_line(c, "192.0.2.100:53/udp 198.51.100.13:5354 0", &l, why, sizeof(why)), 0);
	assert_int_equal(l.svc, 1);
	assert_int_equal(l.rs, 1);
	assert_int_equal(eff_parse_line(c, "v6 [2001:db8:1::13]:443 65535", &l, why, sizeof(why)),
			 0);
	assert_int_equal(l.svc, 2);
	assert_int_equal(l.rs, 0);
	assert_int_equal(l.weight, 65535);
	assert_int_equal(eff_parse_line(c, "v6 2001:db8:1::13 1", &l, why, sizeof(why)), 0);
	assert_int_equal(
	    eff_parse_line(c, "192.0.2.100:53/udp 198.51.100.13 1", &l, why, sizeof(why)), -EINVAL);
	assert_string_equal(why,
			    "198.51.100.13 in 192.0.2.100:53/udp: several servers, give the port");
	assert_int_equal(eff_parse_line(c, "web 198.51.100.12 65536", &l, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "'65536': the weight is 0 to 65535 or 'clear'");
	assert_int_equal(eff_parse_line(c, "web 198.51.100.12 -1", &l, why, sizeof(why)), -EINVAL);
	assert_int_equal(eff_parse_line(c, "www 198.51.100.12 1", &l, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "no service named 'www'");
	assert_int_equal(eff_parse_line(c, "web 198.51.100.99 1", &l, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "no real server 198.51.100.99 in web");
	assert_int_equal(eff_parse_line(c, "web host 1", &l, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "'host' is not ADDR or ADDR:PORT");
	assert_int_equal(eff_parse_line(c, "web 198.51.100.12:0 1", &l, why, sizeof(why)), -EINVAL);
	assert_int_equal(eff_parse_line(c, "web 1", &l, why, sizeof(why)), -EINVAL);
	assert_int_equal(eff_parse_line(c, "", &l, why, sizeof(why)), -EINVAL);
	conf_free(c);
}

/* Slow start: a server back from down ramps to its weight over slow_start
 * (at least 1 at once); one that was never down starts at full weight. */
static void
test_slow_start(void **state)
{
	static const char y[] = "services:\n"
				"  - name: web\n    address: 192.0.2.100\n    port: 80\n"
				"    check: {type: tcp, slow_start: 50ms}\n    weight_policy: static\n"
				"    real_servers:\n"
				"      - {address: 198.51.100.11, weight: 100}\n"
				"      - {address: 198.51.100.12, weight: 100}\n";
	struct lvsd d = {0};

	(void)state;
	d.conf = load(y);
	assert_int_equal(eff_init(&d), 0);
	eff_health(&d, 0, 1, true); /* first result: no ramp */
	assert_int_equal(eff(&d, 0, 1), 100);
	eff_health(&d, 0, 0, false);
	assert_int_equal(eff(&d, 0, 0), 0);
	eff_health(&d, 0, 0, true);
	assert_true(eff(&d, 0, 0) >= 1);
	assert_true(eff(&d, 0, 0) < 100);
	usleep(60 * 1000); /* past the ramp: the next step ends it */
	assert_false(eff_ramp_tick(&d));
	assert_int_equal(eff(&d, 0, 0), 100);
	assert_int_equal(eff(&d, 0, 1), 100);
	eff_free(&d);
	conf_free(d.conf);
}

/* Quorum with hysteresis: lost below quorum - h, regained at quorum + h. */
static void
test_quorum_step(void **state)
{
	(void)state;
	assert_false(eff_quorum_step(false, 0, 0, 0)); /* no quorum */
	assert_false(eff_quorum_step(false, 10, 10, 0));
	assert_true(eff_quorum_step(false, 9, 10, 0));
	assert_true(eff_quorum_step(true, 9, 10, 0));
	assert_false(eff_quorum_step(true, 10, 10, 0));
	/* hysteresis 2: held down to 8, lost at 7; regained only at 12 */
	assert_false(eff_quorum_step(false, 8, 10, 2));
	assert_true(eff_quorum_step(false, 7, 10, 2));
	assert_true(eff_quorum_step(true, 11, 10, 2));
	assert_false(eff_quorum_step(true, 12, 10, 2));
}

/* on_down: remove leaves a down server out of the table (inhibit keeps it
 * at 0); the sorry server is in exactly while no real server takes
 * connections, whatever the reason (down, removed, drained). */
#define YAML_SORRY(ON_DOWN)                                                                        \
	"services:\n"                                                                              \
	"  - name: web\n    address: 192.0.2.100\n    port: 80\n    on_down: " ON_DOWN "\n"        \
	"    weight_policy: static\n"                                                              \
	"    real_servers:\n"                                                                      \
	"      - {address: 198.51.100.11, weight: 5}\n"                                            \
	"      - {address: 198.51.100.12, weight: 6, on_down: inhibit}\n"                          \
	"    sorry_server: {address: 198.51.100.99, weight: 3}\n"                                  \
	"  - {name: empty, address: 192.0.2.100, port: 81, real_servers: [],\n"                    \
	"     sorry_server: {address: 198.51.100.99}}\n"
static const char yaml_sorry[] = YAML_SORRY("remove");
static const char yaml_sorry_inhibit[] = YAML_SORRY("inhibit");

static bool
sorry_in(struct lvsd *d, size_t svc)
{
	bool on = false;

	assert_true(eff_sorry_get(d, svc, &on));
	return on;
}

static void
test_remove_and_sorry(void **state)
{
	struct lvsd d = {0};
	struct eff_view v;

	(void)state;
	d.conf = load(yaml_sorry);
	assert_int_equal(eff_init(&d), 0);
	assert_false(sorry_in(&d, 0));
	assert_true(sorry_in(&d, 1)); /* no real server at all */
	assert_int_equal(eff_table_weight(&d, 0, 2, 3), TABLE_ABSENT);
	assert_int_equal(eff_table_weight(&d, 1, 0, 1), 1);
	eff_health(&d, 0, 0, false);
	assert_true(eff_get(&d, 0, 0, &v));
	assert_true(v.removed);
	assert_int_equal(v.effective, 0);
	assert_int_equal(eff_table_weight(&d, 0, 0, 5), TABLE_ABSENT);
	assert_false(sorry_in(&d, 0)); /* .12 still takes connections */
	eff_health(&d, 0, 1, false);
	assert_int_equal(eff_table_weight(&d, 0, 1, 6), 0); /* inhibited, not removed */
	assert_true(sorry_in(&d, 0));
	assert_int_equal(eff_table_weight(&d, 0, 2, 3), 3);
	eff_health(&d, 0, 0, true); /* back: in the table at its weight, sorry out */
	assert_int_equal(eff_table_weight(&d, 0, 0, 5), 5);
	assert_false(sorry_in(&d, 0));
	assert_int_equal(eff_table_weight(&d, 0, 2, 3), TABLE_ABSENT);
	assert_int_equal(eff_drain(&d, 0, 0, true), 0); /* drained: weight 0, kept */
	assert_int_equal(eff_table_weight(&d, 0, 0, 5), 0);
	assert_true(sorry_in(&d, 0));
	assert_int_equal(eff_drain(&d, 0, 0, false), 0);
	assert_false(sorry_in(&d, 0));
	assert_int_equal(eff_override(&d, 0, 0, 0, false), 0); /* weight 0 takes nothing */
	assert_true(sorry_in(&d, 0));
	eff_free(&d);
	conf_free(d.conf);
}

/* A reload keeps a removed server out and the sorry server in; a file
 * that says inhibit now puts the down server back at weight 0. */
static void
test_reload_remove_sorry(void **state)
{
	struct lvsd d = {0};
	struct conf *old;

	(void)state;
	d.conf = load(yaml_sorry);
	assert_int_equal(eff_init(&d), 0);
	eff_health(&d, 0, 0, false);
	eff_health(&d, 0, 1, false);
	assert_true(sorry_in(&d, 0));
	old = d.conf;
	d.conf = load(yaml_sorry);
	assert_int_equal(eff_reload(&d, old), 0);
	conf_free(old);
	assert_int_equal(eff_table_weight(&d, 0, 0, 5), TABLE_ABSENT);
	assert_true(sorry_in(&d, 0));
	old = d.conf;
	d.conf = load(yaml_sorry_inhibit);
	assert_int_equal(eff_reload(&d, old), 0);
	conf_free(old);
	assert_int_equal(eff_table_weight(&d, 0, 0, 5), 0);
	assert_true(sorry_in(&d, 0));
	eff_free(&d);
	conf_free(d.conf);
}

/* quorum_up / quorum_down: once per change, and once for the first state
 * known (when every checked server has its first result); a reload of
 * the same service runs nothing. */
static const char yaml_quorum[] =
    "services:\n"
    "  - name: q\n    address: 192.0.2.100\n    port: 80\n    quorum: 10\n"
    "    quorum_up: /bin/up\n    quorum_down: /bin/down\n"
    "    real_servers:\n"
    "      - {address: 198.51.100.11, weight: 5}\n"
    "      - {address: 198.51.100.12, weight: 5}\n"
    "      - {address: 198.51.100.13, weight: 5}\n"
    "  - name: unchecked\n    address: 192.0.2.100\n    port: 81\n    quorum: 1\n"
    "    check: {type: none}\n    real_servers: [{address: 198.51.100.11}]\n";

static void
test_quorum_hooks(void **state)
{
	struct lvsd d = {0};
	struct conf *old;

	(void)state;
	n_hooks = 0;
	d.conf = load(yaml_quorum);
	assert_int_equal(eff_init(&d), 0);
	eff_settle(&d);
	assert_int_equal(n_hooks, 1); /* unchecked: known at once, held */
	assert_int_equal(hooks[0].svc, 1);
	assert_true(hooks[0].up && hooks[0].first);
	eff_health(&d, 0, 0, true);
	eff_health(&d, 0, 1, true);
	assert_int_equal(n_hooks, 1); /* .13 has no result yet */
	eff_health(&d, 0, 2, true);
	assert_int_equal(n_hooks, 2);
	assert_true(hooks[1].svc == 0 && hooks[1].up && hooks[1].first);
	eff_health(&d, 0, 0, false); /* 10 up: still held */
	assert_int_equal(n_hooks, 2);
	eff_health(&d, 0, 1, false); /* 5 up: lost */
	assert_int_equal(n_hooks, 3);
	assert_true(hooks[2].svc == 0 && !hooks[2].up && !hooks[2].first);
	eff_health(&d, 0, 1, false);
	assert_int_equal(n_hooks, 3);
	old = d.conf;
	d.conf = load(yaml_quorum);
	assert_int_equal(eff_reload(&d, old), 0);
	conf_free(old);
	assert_int_equal(n_hooks, 3); /* carried: nothing to tell */
	eff_health(&d, 0, 1, true);
	assert_int_equal(n_hooks, 4);
	assert_true(hooks[3].up && !hooks[3].first);
	eff_free(&d);
	conf_free(d.conf);
}

/* A service whose first results all say down starts with quorum_down. */
static void
test_quorum_down_at_start(void **state)
{
	struct lvsd d = {0};

	(void)state;
	n_hooks = 0;
	d.conf = load(yaml_quorum);
	assert_int_equal(eff_init(&d), 0);
	for (size_t j = 0; j < 3; j++)
		eff_health(&d, 0, j, false);
	assert_int_equal(n_hooks, 1);
	assert_true(hooks[0].svc == 0 && !hooks[0].up && hooks[0].first);
	eff_free(&d);
	conf_free(d.conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_precedence),
	    cmocka_unit_test(test_reload_carries_by_identity),
	    cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_slow_start),
	    cmocka_unit_test(test_quorum_step),
	    cmocka_unit_test(test_remove_and_sorry),
	    cmocka_unit_test(test_reload_remove_sorry),
	    cmocka_unit_test(test_quorum_hooks),
	    cmocka_unit_test(test_quorum_down_at_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
