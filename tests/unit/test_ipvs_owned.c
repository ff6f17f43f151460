/* The ownership record: keys written after an apply read back the same,
 * and a damaged record is refused with the line that is wrong. */
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
#include <unistd.h>

#include <cmocka.h>

#include "lvsd/ipvs/ipvs_owned.h"

static void
add(struct ipvs_table *t, int af, uint16_t proto, const char *addr, uint16_t port, uint32_t fwmark)
{
	struct ipvs_service *s;

	t->svcs = realloc(t->svcs, (t->n + 1) * sizeof(*t->svcs));
	assert_non_null(t->svcs);
	memset(&t->svcs[t->n], 0, sizeof(t->svcs[t->n]));
	s = &t->svcs[t->n++].svc;
	s->af = (uint16_t)af;
	s->protocol = proto;
	s->port = port;
	s->fwmark = fwmark;
	if (addr)
		assert_int_equal(inet_pton(af, addr, &s->addr), 1);
}

static int
read_text(const char *text, struct ipvs_table *out, unsigned *line)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	assert_non_null(f);
	r = ipvs_owned_read(f, out, line);
	fclose(f);
	return r;
}

static void
test_round_trip(void **state)
{
	struct ipvs_table t = {0}, back = {0};
	char buf[1024];
	unsigned line = 0;
	FILE *f;

	add(&t, AF_INET, IPPROTO_TCP, "192.0.2.100", 80, 0);
	add(&t, AF_INET, IPPROTO_UDP, "192.0.2.100", 53, 0);
	add(&t, AF_INET6, IPPROTO_SCTP, "2001:db8::100", 3868, 0);
	add(&t, AF_INET, 0, NULL, 0, 4);
	add(&t, AF_INET6, 0, NULL, 0, 4);
	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	assert_int_equal(ipvs_owned_write(&t, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\ntcp 192.0.2.100 80\n"));
	assert_non_null(strstr(buf, "\nsctp 2001:db8::100 3868\n"));
	assert_non_null(strstr(buf, "\nfwmark inet6 4\n"));
	assert_int_equal(read_text(buf, &back, &line), 0);
	assert_int_equal(back.n, t.n);
	for (size_t i = 0; i < t.n; i++) {
		assert_true(ipvs_service_same_key(&back.svcs[i].svc, &t.svcs[i].svc));
		assert_int_equal(back.svcs[i].n_dests, 0);
	}
	ipvs_table_free(&t);
	ipvs_table_free(&back);
}

static void
test_comments_blank_and_duplicates(void **state)
{
	struct ipvs_table t = {0};
	unsigned line = 0;

	assert_int_equal(read_text("# header\n\n  tcp 192.0.2.1 80  # web\n"
				   "tcp 192.0.2.1 80\n\tudp\t192.0.2.1\t80\n",
				   &t, &line),
			 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.svcs[0].svc.protocol, IPPROTO_TCP);
	assert_int_equal(t.svcs[1].svc.protocol, IPPROTO_UDP);
	ipvs_table_free(&t);
	assert_int_equal(read_text("", &t, &line), 0);
	assert_int_equal(t.n, 0);
	ipvs_table_free(&t);
}

static void
test_damaged_lines(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
	} cases[] = {
	    {"icmp 192.0.2.1 80\n", 1},
	    {"tcp 192.0.2.1 0\n", 1},
	    {"tcp 192.0.2.1 65536\n", 1},
	    {"tcp 192.0.2.1 80x\n", 1},
	    {"tcp 192.0.2.1\n", 1},
	    {"tcp 192.0.2.1 80 extra\n", 1},
	    {"tcp 192.0.2.300 80\n", 1},
	    {"tcp 2001:db8::zz 80\n", 1},
	    {"# ok\ntcp 192.0.2.1 80\nfwmark 4\n", 3},
	    {"fwmark inet 0\n", 1},
	    {"fwmark inet4 4\n", 1},
	    {"fwmark inet 4294967296\n", 1},
	    {"\n\ntcp -1.2.3.4 80\n", 3},
	};
	struct ipvs_table t = {.n = 99};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned line = 0;

		assert_int_equal(read_text(cases[i].text, &t, &line), -EBADMSG);
		assert_int_equal(line, cases[i].line);
		assert_int_equal(t.n, 99); /* untouched on failure */
	}
}

static void
test_save_and_load_file(void **state)
{
	char dir[] = "/tmp/lvsd-owned.XXXXXX", path[64];
	struct ipvs_table t = {0}, back = {0};
	unsigned line = 0;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/lvsd.owned", dir);
	assert_int_equal(ipvs_owned_load(path, &back, &line), -ENOENT);
	add(&t, AF_INET, IPPROTO_TCP, "198.51.100.1", 443, 0);
	assert_int_equal(ipvs_owned_save(path, &t), 0);
	assert_int_equal(ipvs_owned_load(path, &back, &line), 0);
	assert_int_equal(back.n, 1);
	assert_true(ipvs_service_same_key(&back.svcs[0].svc, &t.svcs[0].svc));
	assert_int_equal(access(path, F_OK), 0);
	strcat(path, ".tmp");
	assert_int_equal(access(path, F_OK), -1); /* renamed into place */
	path[strlen(path) - 4] = '\0';
	unlink(path);
	rmdir(dir);
	ipvs_table_free(&t);
	ipvs_table_free(&back);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_comments_blank_and_duplicates),
	    cmocka_unit_test(test_damaged_lines),
	    cmocka_unit_test(test_save_and_load_file),
	};

	return cmocka_run_group_tests_name("ipvs_owned", tests, NULL, NULL);
}
