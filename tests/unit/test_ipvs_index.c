/* Hashed lookups in an IPVS table: every service and destination of a
 * 100 x 100 table finds itself, keys that differ in one field miss, and
 * destinations are numbered across services in table order. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lvsd/ipvs/ipvs_index.h"
#include "lvsd/ipvs/ipvs_table.h"

#define N_SVC 100
#define N_DEST 100

static struct ipvs_table
big_table(void)
{
	struct ipvs_table t = {.svcs = calloc(N_SVC + 2, sizeof(*t.svcs)), .n = N_SVC + 2};

	assert_non_null(t.svcs);
	for (size_t i = 0; i < N_SVC; i++) {
		struct ipvs_table_svc *s = &t.svcs[i];

		s->svc.af = AF_INET;
		s->svc.protocol = IPPROTO_TCP;
		s->svc.addr.v4.s_addr =
		    htonl(0xcb007100 + (uint32_t)(i % 250) + 1); /* 203.0.113.x */
		s->svc.port = (uint16_t)(8000 + i / 250);
		s->dests = calloc(N_DEST, sizeof(*s->dests));
		assert_non_null(s->dests);
		s->n_dests = N_DEST;
		for (size_t j = 0; j < N_DEST; j++) {
			s->dests[j].af = AF_INET;
			s->dests[j].addr.v4.s_addr = htonl(0xc6336400 + (uint32_t)(j % 250) + 1);
			s->dests[j].port = (uint16_t)(80 + j / 250);
		}
	}
	/* the same mark twice, told apart by family; an IPv6 service */
	t.svcs[N_SVC].svc = (struct ipvs_service){.af = AF_INET, .fwmark = 7};
	t.svcs[N_SVC + 1].svc = (struct ipvs_service){.af = AF_INET6, .fwmark = 7};
	return t;
}

static void
test_every_object_finds_itself(void **state)
{
	struct ipvs_table t = big_table();
	struct ipvs_index x;
	size_t si, di;

	(void)state;
	assert_int_equal(ipvs_index_build(&x, &t), 0);
	assert_int_equal(x.n_dests, N_SVC * N_DEST);
	for (size_t i = 0; i < t.n; i++) {
		assert_ptr_equal(ipvs_index_svc(&x, &t.svcs[i].svc, &si), &t.svcs[i]);
		assert_int_equal(si, i);
		for (size_t j = 0; j < t.svcs[i].n_dests; j++) {
			assert_ptr_equal(ipvs_index_dest(&x, i, &t.svcs[i].dests[j], &di),
					 &t.svcs[i].dests[j]);
			assert_int_equal(di, j);
			assert_int_equal(ipvs_index_flat(&x, i, j), i * N_DEST + j);
		}
	}
	ipvs_index_free(&x);
	ipvs_table_free(&t);
}

static void
test_misses(void **state)
{
	struct ipvs_table t = big_table();
	struct ipvs_index x;
	struct ipvs_service s = t.svcs[3].svc;
	struct ipvs_dest d = t.svcs[3].dests[5];
	size_t si = 99, di = 99;

	(void)state;
	assert_int_equal(ipvs_index_build(&x, &t), 0);
	s.protocol = IPPROTO_UDP;
	assert_null(ipvs_index_svc(&x, &s, &si));
	assert_int_equal(si, 99); /* untouched on a miss */
	s = t.svcs[3].svc;
	s.port++;
	assert_null(ipvs_index_svc(&x, &s, NULL));
	s = (struct ipvs_service){.af = AF_INET6, .fwmark = 8};
	assert_null(ipvs_index_svc(&x, &s, NULL));
	/* options are not part of the key */
	s = t.svcs[3].svc;
	strcpy(s.sched, "mh");
	assert_non_null(ipvs_index_svc(&x, &s, NULL));
	d.port = 81;
	assert_null(ipvs_index_dest(&x, 3, &d, &di));
	assert_int_equal(di, 99);
	d = t.svcs[3].dests[5];
	d.weight = 77;
	assert_non_null(ipvs_index_dest(&x, 3, &d, NULL));
	/* a destination of one service is not one of another's, nor of a service
	 * out of range */
	assert_null(ipvs_index_dest(&x, N_SVC, &d, NULL));
	assert_null(ipvs_index_dest(&x, N_SVC + 5, &d, NULL));
	assert_null(ipvs_index_svc(NULL, &s, NULL));
	ipvs_index_free(&x);
	ipvs_table_free(&t);
}

static void
test_empty_table(void **state)
{
	struct ipvs_table t = {0};
	struct ipvs_index x;
	struct ipvs_service s = {.af = AF_INET, .fwmark = 1};

	(void)state;
	assert_int_equal(ipvs_index_build(&x, &t), 0);
	assert_null(ipvs_index_svc(&x, &s, NULL));
	ipvs_index_free(&x);
}

/* The hash covers only the key's bytes: garbage past an IPv4 address does
 * not change it. */
static void
test_hash_ignores_padding(void **state)
{
	struct ipvs_dest a = {.af = AF_INET, .port = 80}, b;

	(void)state;
	a.addr.v4.s_addr = htonl(0xc633640b);
	b = a;
	memset(b.addr.bytes + 4, 0xaa, 12);
	b.weight = 9;
	assert_true(ipvs_dest_hash(&a, 1) == ipvs_dest_hash(&b, 1));
	assert_true(ipvs_dest_hash(&a, 1) != ipvs_dest_hash(&a, 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_object_finds_itself),
	    cmocka_unit_test(test_misses),
	    cmocka_unit_test(test_empty_table),
	    cmocka_unit_test(test_hash_ignores_padding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
