/* The checkers' pure parts: the rise/fall state machine, and the HTTP
 * response parser byte for byte, hostile inputs included (a header line
 * that never ends, a body far over the cap, garbage). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checkers/chk.h"

static void
test_fsm(void **unused)
{
	struct chk_fsm f = {0};

	/* from unknown, the first result decides */
	assert_true(chk_fsm_result(&f, true, 2, 3));
	assert_int_equal(f.state, IPC_HEALTH_UP);
	/* fall 3: two failures keep it up, the third takes it down */
	assert_false(chk_fsm_result(&f, false, 2, 3));
	assert_false(chk_fsm_result(&f, false, 2, 3));
	assert_true(chk_fsm_result(&f, false, 2, 3));
	assert_int_equal(f.state, IPC_HEALTH_DOWN);
	assert_int_equal(f.fail, 3);
	/* rise 2: a success between failures starts again */
	assert_false(chk_fsm_result(&f, true, 2, 3));
	assert_false(chk_fsm_result(&f, false, 2, 3));
	assert_false(chk_fsm_result(&f, true, 2, 3));
	assert_true(chk_fsm_result(&f, true, 2, 3));
	assert_int_equal(f.state, IPC_HEALTH_UP);
	assert_int_equal(f.ok, 2);
	/* a failure between successes resets the count too */
	assert_false(chk_fsm_result(&f, false, 2, 3));
	assert_false(chk_fsm_result(&f, true, 2, 3));
	assert_false(chk_fsm_result(&f, false, 2, 3));
	assert_false(chk_fsm_result(&f, false, 2, 3));
	assert_true(chk_fsm_result(&f, false, 2, 3));

	struct chk_fsm g = {0};

	assert_true(chk_fsm_result(&g, false, 1, 1));
	assert_int_equal(g.state, IPC_HEALTH_DOWN);
	assert_true(chk_fsm_result(&g, true, 1, 1));
	assert_true(chk_fsm_result(&g, false, 1, 1));
}

/* Feed s one byte at a time, then judge at eof. */
static uint8_t
judge_bytes(const char *s, size_t n, uint16_t status, const char *digest, const char *expect,
	    int32_t *code)
{
	struct chk_resp *r = malloc(sizeof(*r));
	uint8_t v;
	int rc = 0;

	assert_non_null(r);
	assert_int_equal(chk_resp_init(r, digest != NULL, expect != NULL), 0);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = chk_resp_feed(r, s + i, 1);
	v = rc < 0 ? (uint8_t)-rc : chk_resp_judge(r, rc == 0, status, digest, expect, code);
	chk_resp_free(r);
	free(r);
	return v;
}

static uint8_t
judge(const char *s, uint16_t status, const char *digest, const char *expect, int32_t *code)
{
	return judge_bytes(s, strlen(s), status, digest, expect, code);
}

/* sha256("ok\n") */
#define OK_SHA "4b5bc3c8b4b2b9a2e0bb4f0d2b8b8d1fbd5dfa6ed4b7b0f4b4b28d4d2f4e0c6b"

static void
test_resp_ok(void **unused)
{
	int32_t code = -1;

	assert_int_equal(judge("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nok\n", 200, NULL, NULL, &code),
			 CHK_R_OK);
	assert_int_equal(judge("HTTP/1.1 200\nContent-Length: 3\n\nok\nEXTRA", 200, NULL, "ok",
			       &code),
			 CHK_R_OK);
	assert_int_equal(judge("HTTP/1.0 503 Service Unavailable\r\n\r\n", 200, NULL, NULL, &code),
			 CHK_R_STATUS);
	assert_int_equal(code, 503);
	assert_int_equal(judge("HTTP/1.0 200 OK\r\n\r\nfine", 200, NULL, "ok", &code),
			 CHK_R_EXPECT);
	assert_int_equal(judge("HTTP/1.0 200 OK\r\n\r\nall good", 200, NULL, "good", &code),
			 CHK_R_OK);
}

static void
test_resp_digest(void **unused)
{
	/* sha256 of "hello" */
	const char *hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
	int32_t code;

	assert_int_equal(judge("HTTP/1.0 200 OK\r\n\r\nhello", 200, hello, NULL, &code), CHK_R_OK);
	assert_int_equal(judge("HTTP/1.0 200 OK\r\n\r\nhellO", 200, hello, NULL, &code),
			 CHK_R_DIGEST);
	assert_int_equal(judge("HTTP/1.0 200 OK\r\n\r\n", 200, OK_SHA, NULL, &code), CHK_R_DIGEST);
}

static void
test_resp_bad(void **unused)
{
	int32_t code;

	assert_int_equal(judge("", 200, NULL, NULL, &code), CHK_R_TRUNCATED);
	assert_int_equal(judge("HTTP/1.0 200 OK\r\nX: y\r\n", 200, NULL, NULL, &code),
			 CHK_R_TRUNCATED);
	assert_int_equal(judge("HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc", 200, NULL, NULL,
			       &code),
			 CHK_R_TRUNCATED);
	assert_int_equal(judge("SSH-2.0-OpenSSH\r\n", 200, NULL, NULL, &code), CHK_R_MALFORMED);
	assert_int_equal(judge("HTTP/1.0 2000 OK\r\n\r\n", 200, NULL, NULL, &code),
			 CHK_R_MALFORMED);
	assert_int_equal(judge("HTTP/1.0 200 OK\r\nno colon\r\n\r\n", 200, NULL, NULL, &code),
			 CHK_R_MALFORMED);
	assert_int_equal(judge("HTTP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n", 200, NULL, NULL,
			       &code),
			 CHK_R_MALFORMED);
	assert_int_equal(judge_bytes("HTTP/1.0 200 OK\r\n\0\r\n", 20, 200, NULL, NULL, &code),
			 CHK_R_MALFORMED);
	/* garbage bytes */
	char junk[4096];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 131 + 7);
	assert_int_equal(judge_bytes(junk, sizeof(junk), 200, NULL, NULL, &code),
			 CHK_R_MALFORMED);
}

/* A header line that never ends, and too many header lines. */
static void
test_resp_endless_header(void **unused)
{
	struct chk_resp *r = malloc(sizeof(*r));
	char chunk[1000];
	int rc = 0;
	size_t fed = 0;

	memset(chunk, 'a', sizeof(chunk));
	assert_int_equal(chk_resp_init(r, false, false), 0);
	assert_int_equal(chk_resp_feed(r, "HTTP/1.0 200 OK\r\nX-Long: ", 25), 0);
	while (rc == 0 && fed < 100 * 1000 * 1000) {
		rc = chk_resp_feed(r, chunk, sizeof(chunk));
		fed += sizeof(chunk);
	}
	assert_int_equal(rc, -CHK_R_HEADER_LONG);
	assert_true(fed <= CHK_LINE_MAX + sizeof(chunk));
	chk_resp_free(r);

	assert_int_equal(chk_resp_init(r, false, false), 0);
	assert_int_equal(chk_resp_feed(r, "HTTP/1.0 200 OK\r\n", 17), 0);
	rc = 0;
	for (int i = 0; i <= CHK_HEADERS_MAX && rc == 0; i++)
		rc = chk_resp_feed(r, "X: y\r\n", 6);
	assert_int_equal(rc, -CHK_R_HEADER_LONG);
	chk_resp_free(r);
	free(r);
}

/* 100 MB of body: cut at the cap, with or without a digest or substring. */
static void
test_resp_huge_body(void **unused)
{
	static char chunk[65536];
	struct chk_resp *r = malloc(sizeof(*r));

	memset(chunk, 'b', sizeof(chunk));
	for (int mode = 0; mode < 3; mode++) {
		size_t fed = 0;
		int rc = 0;

		assert_int_equal(chk_resp_init(r, mode == 1, mode == 2), 0);
		assert_int_equal(chk_resp_feed(r, "HTTP/1.0 200 OK\r\n\r\n", 19), 0);
		while (rc == 0 && fed < (size_t)100 * 1024 * 1024) {
			rc = chk_resp_feed(r, chunk, sizeof(chunk));
			fed += sizeof(chunk);
		}
		assert_int_equal(rc, -CHK_R_BODY_LONG);
		assert_true(fed <= CHK_BODY_MAX + sizeof(chunk));
		assert_true(r->body_len <= CHK_BODY_MAX);
		chk_resp_free(r);
	}
	/* a Content-Length over the cap is refused as the bytes come */
	assert_int_equal(chk_resp_init(r, false, false), 0);
	assert_int_equal(chk_resp_feed(r, "HTTP/1.0 200 OK\r\nContent-Length: 104857600\r\n\r\n", 46),
			 0);
	int rc = 0;

	for (size_t fed = 0; rc == 0 && fed < (size_t)100 * 1024 * 1024; fed += sizeof(chunk))
		rc = chk_resp_feed(r, chunk, sizeof(chunk));
	assert_int_equal(rc, -CHK_R_BODY_LONG);
	chk_resp_free(r);
	free(r);
}

static void
test_reason_names(void **unused)
{
	assert_string_equal(chk_reason_name(CHK_R_STATUS), "status");
	assert_string_equal(chk_reason_name(CHK_R_DIGEST), "digest mismatch");
	assert_string_equal(chk_reason_name(CHK_R_COUNT), "unknown");
	for (int i = 0; i < CHK_R_COUNT; i++)
		assert_non_null(chk_reason_name((uint8_t)i));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fsm),
	    cmocka_unit_test(test_resp_ok),
	    cmocka_unit_test(test_resp_digest),
	    cmocka_unit_test(test_resp_bad),
	    cmocka_unit_test(test_resp_endless_header),
	    cmocka_unit_test(test_resp_huge_body),
	    cmocka_unit_test(test_reason_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
