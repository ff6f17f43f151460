/* The receiver's per-source rate limit: a bucket per source, refilled
 * with time; a flood of other sources evicts buckets but never grows the
 * table, and a known source keeps its own. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "weight/wt_ratelimit.h"

static struct sockaddr_storage
v4(uint32_t host)
{
	struct sockaddr_storage ss = {0};
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(host);
	return ss;
}

static struct sockaddr_storage
v6(const char *text)
{
	struct sockaddr_storage ss = {0};
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	sin6->sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, text, &sin6->sin6_addr), 1);
	return ss;
}

/* burst at once, then rate per second */
static void
test_bucket(void **state)
{
	struct wt_rl *rl;
	struct sockaddr_storage a = v4(0xc0000201); /* 192.0.2.1 */
	int n = 0;

	assert_int_equal(wt_rl_new(64, 2, 5, 42, &rl), 0);
	for (int i = 0; i < 10; i++)
		n += wt_rl_allow(rl, &a, 1000);
	assert_int_equal(n, 5);
	assert_false(wt_rl_allow(rl, &a, 1499)); /* 0.998 of a token */
	assert_true(wt_rl_allow(rl, &a, 1500));	 /* one more after 500 ms at 2/s */
	assert_false(wt_rl_allow(rl, &a, 1500));
	n = 0;
	for (int i = 0; i < 10; i++)
		n += wt_rl_allow(rl, &a, 100000); /* refilled up to the burst, no more */
	assert_int_equal(n, 5);
	wt_rl_free(rl);
}

/* sources do not share a bucket; families differ even with equal bytes */
static void
test_sources_apart(void **state)
{
	struct wt_rl *rl;
	struct sockaddr_storage a = v4(0xc0000201), b = v4(0xc0000202);
	struct sockaddr_storage c = v6("2001:db8::1"), d = v6("c000:201::");

	assert_int_equal(wt_rl_new(64, 1, 1, 7, &rl), 0);
	assert_true(wt_rl_allow(rl, &a, 10));
	assert_false(wt_rl_allow(rl, &a, 10));
	assert_true(wt_rl_allow(rl, &b, 10));
	assert_true(wt_rl_allow(rl, &c, 10));
	assert_true(wt_rl_allow(rl, &d, 10));
	assert_false(wt_rl_allow(rl, &c, 10));
	wt_rl_free(rl);
}

/* 100,000 forged sources through a 1,024-slot table: each is allowed its
 * burst, the table evicts instead of growing, and a source reporting in
 * between is never starved (at worst its bucket is evicted and it starts
 * again with a full one). */
static void
test_flood(void **state)
{
	struct wt_rl *rl;
	struct sockaddr_storage a = v4(0xc6336401); /* 198.51.100.1 */
	uint64_t now = 1000;
	unsigned allowed = 0, tries = 0;

	assert_int_equal(wt_rl_new(1000, 1, 2, 99, &rl), 0);
	for (uint32_t i = 0; i < 100000; i++) {
		struct sockaddr_storage f = v4(0xcb007100 + i); /* from 203.0.113.0 on */

		assert_true(wt_rl_allow(rl, &f, now));
		if (i % 100 == 0) {
			tries++;
			allowed += wt_rl_allow(rl, &a, now);
		}
		if (i % 1000 == 999)
			now++;
	}
	assert_true(wt_rl_evictions(rl) >= 100000 - 1024);
	assert_true(allowed >= 2 && allowed <= tries);
	wt_rl_free(rl);
}

static void
test_bad(void **state)
{
	struct wt_rl *rl;
	struct sockaddr_storage none = {0};

	assert_int_equal(wt_rl_new(16, 1, 0, 0, &rl), -EINVAL);
	assert_int_equal(wt_rl_new((size_t)1 << 30, 1, 1, 0, &rl), -EINVAL);
	assert_int_equal(wt_rl_new(0, 1, 1, 0, &rl), 0);
	assert_false(wt_rl_allow(rl, &none, 0)); /* not an address: never allowed */
	wt_rl_free(rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bucket),
	    cmocka_unit_test(test_sources_apart),
	    cmocka_unit_test(test_flood),
	    cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
