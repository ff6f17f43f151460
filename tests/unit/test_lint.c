/* lint_config(): one warning per key the file writes that lvsd does not act
 * on yet, per unreadable key file and per absent interface; none for
 * defaults or for what lvsd acts on. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lvsd/lint.h"

#define MAX_LINES 32

struct lines {
	char *line[MAX_LINES];
	unsigned n;
};

static void
collect(void *arg, const char *line)
{
	struct lines *l = arg;

	assert_true(l->n < MAX_LINES);
	l->line[l->n] = strdup(line);
	assert_non_null(l->line[l->n]);
	l->n++;
}

static void
lines_free(struct lines *l)
{
	for (unsigned i = 0; i < l->n; i++)
		free(l->line[i]);
}

/* Load doc as "t.yaml" and lint it into l; returns the count lint_config gave. */
static unsigned
lint_doc(const char *doc, struct lines *l)
{
	struct conf *c = NULL;
	struct conf_error err;
	char msg[1024];
	unsigned n;

	memset(l, 0, sizeof(*l));
	if (conf_load_buffer("t.yaml", doc, strlen(doc), &c, &err) < 0) {
		conf_error_format(&err, msg, sizeof(msg));
		print_message("# unexpected error: %s\n", msg);
		fail();
	}
	n = lint_config(c, collect, l);
	conf_free(c);
	assert_int_equal(n, l->n);
	return n;
}

#define I " is accepted but not yet acted on: "

/* What lvsd acts on, some of it written out: no warning. */
static void
test_clean(void **state)
{
	struct lines l;

	assert_int_equal(lint_doc("global: {metrics: false}\n"
				  "reports: false\n"
				  "services:\n"
				  "  - address: 192.0.2.1\n"
				  "    port: 80\n"
				  "    check: {type: none}\n"
				  "    weight_policy: static\n"
				  "    real_servers:\n"
				  "      - {address: 198.51.100.1, check: {type: none}}\n",
				  &l),
			 0);
}

/* A default tcp check and the default damped policy are not named. */
static void
test_defaults_not_named(void **state)
{
	struct lines l;

	assert_int_equal(lint_doc("services:\n"
				  "  - {address: 192.0.2.1, port: 80, real_servers: "
				  "[{address: 198.51.100.1}]}\n",
				  &l),
			 0);
}

static void
test_each_row(void **state)
{
	static const char *const want[] = {
	    "t.yaml:4:14: warning: key k1: cannot read /nonexistent/lvsd/k1.pub: No such file or "
	    "directory",
	    "t.yaml:15:5: warning: vrrp instance VI_1: tracked interface lvsd-none0 does not "
	    "exist on this system",
	};
	struct lines l;

	lint_doc("global:\n"								/* 1 */
		 "  metrics: true\n"							/* 2 */
		 "keys:\n"								/* 3 */
		 "  k1: {file: /nonexistent/lvsd/k1.pub}\n"				/* 4 */
		 "reports:\n"								/* 5 */
		 "  listen: 0.0.0.0:7946\n"						/* 6 */
		 "  max_skew: 30s\n"							/* 7 */
		 "vrrp:\n"								/* 8 */
		 "  - interface: lo\n"							/* 9 */
		 "    vrid: 51\n"							/* 10 */
		 "    virtual_addresses: [192.0.2.1/24]\n"				/* 11 */
		 "    preempt: true\n"							/* 12 */
		 "    notify: /bin/true\n"						/* 13 */
		 "    unicast_peers: [192.0.2.3]\n"					/* 14 */
		 "    track_interfaces: [lo, lvsd-none0]\n"				/* 15 */
		 "services:\n"								/* 16 */
		 "  - name: web\n"							/* 17 */
		 "    address: 192.0.2.1\n"						/* 18 */
		 "    port: 80\n"							/* 19 */
		 "    check: {type: http}\n"						/* 20 */
		 "    weight_policy: damped\n"						/* 21 */
		 "    real_servers:\n"							/* 22 */
		 "      - {address: 198.51.100.1, agent_key: k1}\n"			/* 23 */
		 "      - {address: 198.51.100.2, check: {type: script, script: x}}\n", /* 24 */
		 &l);
	for (unsigned i = 0; i < l.n && i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(l.line[i], want[i]);
	assert_int_equal(l.n, sizeof(want) / sizeof(want[0]));
	lines_free(&l);
}

/* Report pieces that cannot work together: a key no server names, reports
 * on with no agent_key, a policy written out without reports, an agent_key
 * with reports off. */
static void
test_reports_pieces(void **state)
{
	static const char *const want[] = {
	    "t.yaml:3:3: warning: key k2 is not the agent_key of any real server",
	    "t.yaml:11:20: warning: weight_policy paper-1 of service b has no reports to work on: "
	    "none of its real servers has an agent_key",
	};
	static const char *const want_off[] = {
	    "t.yaml:1:8: warning: key k1 is not the agent_key of any real server",
	    "t.yaml:2:10: warning: reports is on but no real server has an agent_key: every report "
	    "would be dropped",
	};
	static const char *const want_nokey[] = {
	    "t.yaml:5:20: warning: weight_policy damped of service a has no reports to work on: "
	    "reports are off",
	    "t.yaml:7:44: warning: agent_key of real server 198.51.100.1 in service a has no "
	    "effect: reports are off (add a reports section)",
	};
	struct lines l;

	lint_doc("keys:\n  k1: {file: /etc/passwd}\n  k2: {file: /etc/passwd}\n"	   /* 1-3 */
		 "reports: {}\n"						   /* 4 */
		 "services:\n"							   /* 5 */
		 "  - name: a\n    address: 192.0.2.1\n    port: 80\n"		   /* 6-8 */
		 "    real_servers: [{address: 198.51.100.1, agent_key: k1}]\n" /* 9 */
		 "  - name: b\n    weight_policy: paper-1\n"			   /* 10-11 */
		 "    address: 192.0.2.1\n    port: 81\n",
		 &l);
	assert_int_equal(l.n, 2);
	for (unsigned i = 0; i < 2; i++)
		assert_string_equal(l.line[i], want[i]);
	lines_free(&l);
	lint_doc("keys: {k1: {file: /etc/passwd}}\nreports: true\n"
		 "services: [{address: 192.0.2.1, port: 80, real_servers: [{address: "
		 "198.51.100.1}]}]\n",
		 &l);
	assert_int_equal(l.n, 2);
	for (unsigned i = 0; i < 2; i++)
		assert_string_equal(l.line[i], want_off[i]);
	lines_free(&l);
	lint_doc("keys: {k1: {file: /etc/passwd}}\n"
		 "services:\n"
		 "  - name: a\n    address: 192.0.2.1\n    weight_policy: damped\n    port: 80\n"
		 "    real_servers: [{address: 198.51.100.1, agent_key: k1}]\n",
		 &l);
	assert_int_equal(l.n, 2);
	for (unsigned i = 0; i < 2; i++)
		assert_string_equal(l.line[i], want_nokey[i]);
	lines_free(&l);
}

/* A readable key file and an interface that exists draw no warning of
 * their own; a key file that is not a regular file does. */
static void
test_system(void **state)
{
	char path[] = "/tmp/lvsd-test-lint.XXXXXX", doc[512];
	int fd = mkstemp(path);
	struct lines l;

	assert_true(fd >= 0);
	close(fd);
	snprintf(doc, sizeof(doc),
		 "keys:\n  k1: {file: %s}\n  k2: {file: /dev/null}\n"
		 "vrrp:\n  - {interface: lo, vrid: 1, virtual_addresses: [192.0.2.1]}\n",
		 path);
	lint_doc(doc, &l);
	unlink(path);
	assert_int_equal(l.n, 3); /* k1, k2, /dev/null */
	assert_string_equal(l.line[2],
			    "t.yaml:3:14: warning: key k2: /dev/null is not a regular file");
	lines_free(&l);
}

/* An https check's ca_file must be readable: lvsd reads it for the child. */
static void
test_ca_file(void **state)
{
	struct lines l;

	lint_doc("services:\n"
		 "  - address: 192.0.2.100\n    port: 443\n    weight_policy: static\n"
		 "    check: {type: https, ca_file: /nonexistent/lvsd/ca.pem}\n"
		 "    real_servers:\n"
		 "      - {address: 198.51.100.1}\n"
		 "      - {address: 198.51.100.2, check: {type: https, ca_file: /dev/null}}\n",
		 &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.line[0], "t.yaml:5:12: warning: check: cannot read ca_file "
				       "/nonexistent/lvsd/ca.pem: No such file or directory");
	lines_free(&l);
}

/* Active-active: a scheduler that differs between directors, and sloppy
 * settings that reset a connection moved from another director. */
static void
test_announce(void **state)
{
	static const char bad[] = "global: {sloppy_tcp: false, sync_interface: lo}\n"
				  "services:\n"
				  "  - address: 192.0.2.10\n"
				  "    port: 80\n"
				  "    real_servers: [{address: 198.51.100.1}]\n"
				  "    announce: {table: 100}\n"
				  "  - address: 192.0.2.10\n"
				  "    port: 443\n"
				  "    scheduler: mh\n"
				  "    real_servers: [{address: 198.51.100.1}]\n"
				  "    announce: {table: 100}\n";
	static const char good[] = "global: {sloppy_tcp: true}\n"
				   "services:\n"
				   "  - address: 192.0.2.10\n"
				   "    port: 80\n"
				   "    scheduler: mh\n"
				   "    scheduler_flags: [mh-port]\n"
				   "    real_servers: [{address: 198.51.100.1}]\n"
				   "    announce: {table: 100}\n"
				   "  - address: 192.0.2.11\n"
				   "    port: 80\n"
				   "    scheduler: sh\n"
				   "    real_servers: [{address: 198.51.100.1}]\n"
				   "    announce: {table: 100}\n"
				   "  - address: 192.0.2.12\n" /* not announced: any scheduler */
				   "    port: 80\n"
				   "    real_servers: [{address: 198.51.100.1}]\n";
	struct lines l;

	assert_int_equal(lint_doc(bad, &l), 2);
	assert_non_null(strstr(l.line[0], "t.yaml:6:15: warning: service 192.0.2.10:80 is "
					  "announced by several directors with scheduler wrr"));
	assert_non_null(strstr(l.line[0], "use mh (or sh)"));
	assert_non_null(strstr(l.line[1], "t.yaml:6:15: warning: service 192.0.2.10:80"));
	assert_non_null(strstr(l.line[1], "sloppy_tcp is false"));
	assert_non_null(strstr(l.line[1], "the sync daemon does not help"));
	lines_free(&l);
	assert_int_equal(lint_doc(good, &l), 0);
	lines_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean),
	    cmocka_unit_test(test_defaults_not_named),
	    cmocka_unit_test(test_each_row),
	    cmocka_unit_test(test_reports_pieces),
	    cmocka_unit_test(test_system),
	    cmocka_unit_test(test_ca_file),
	    cmocka_unit_test(test_announce),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
