/* The status JSON writer: escaping, and invalid UTF-8 never reaching the output. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/buffer.h>

#include "lvsd/core/json.h"

/* One string member in an object: the whole document as a C string. */
static char *
render(const char *val)
{
	struct evbuffer *out = evbuffer_new();
	struct json j;
	size_t n;
	char *s;

	assert_non_null(out);
	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_string(&j, "v", val);
	json_object_end(&j);
	n = evbuffer_get_length(out);
	s = malloc(n + 1);
	assert_non_null(s);
	evbuffer_remove(out, s, n);
	s[n] = '\0';
	evbuffer_free(out);
	return s;
}

static void
expect(const char *val, const char *json)
{
	char *s = render(val);

	assert_string_equal(s, json);
	free(s);
}

static void
test_ascii_escapes(void **state)
{
	expect("plain", "{\"v\":\"plain\"}\n");
	expect("a\"b\\c\nd\x01\x7f", "{\"v\":\"a\\\"b\\\\c\\nd\\u0001\\u007f\"}\n");
}

static void
test_valid_utf8_kept(void **state)
{
	/* é, €, U+10348, U+10FFFF, U+D7FF, U+E000 */
	const char *s = "\xc3\xa9 \xe2\x82\xac \xf0\x90\x8d\x88 \xf4\x8f\xbf\xbf "
			"\xed\x9f\xbf \xee\x80\x80";
	char want[128];

	snprintf(want, sizeof(want), "{\"v\":\"%s\"}\n", s);
	expect(s, want);
}

static void
test_invalid_utf8_replaced(void **state)
{
	expect("/etc/\xff.yaml", "{\"v\":\"/etc/\\ufffd.yaml\"}\n");
	/* a lone continuation byte, a truncated sequence at the end */
	expect("\x80x\xe2\x82", "{\"v\":\"\\ufffdx\\ufffd\\ufffd\"}\n");
	/* overlong '/', a surrogate (U+D800), above U+10FFFF */
	expect("\xc0\xaf", "{\"v\":\"\\ufffd\\ufffd\"}\n");
	expect("\xed\xa0\x80", "{\"v\":\"\\ufffd\\ufffd\\ufffd\"}\n");
	expect("\xf4\x90\x80\x80", "{\"v\":\"\\ufffd\\ufffd\\ufffd\\ufffd\"}\n");
	/* overlong 3- and 4-byte forms */
	expect("\xe0\x80\xaf", "{\"v\":\"\\ufffd\\ufffd\\ufffd\"}\n");
	expect("\xf0\x80\x80\xaf", "{\"v\":\"\\ufffd\\ufffd\\ufffd\\ufffd\"}\n");
	/* a valid sequence right after an invalid byte survives */
	expect("\xfe\xc3\xa9", "{\"v\":\"\\ufffd\xc3\xa9\"}\n");
}

static void
test_keys_escaped_too(void **state)
{
	struct evbuffer *out = evbuffer_new();
	struct json j;
	char buf[64];
	size_t n;

	assert_non_null(out);
	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_uint(&j, "k\xff", 1);
	json_object_end(&j);
	n = evbuffer_remove(out, buf, sizeof(buf) - 1);
	buf[n] = '\0';
	assert_string_equal(buf, "{\"k\\ufffd\":1}\n");
	evbuffer_free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ascii_escapes),
	    cmocka_unit_test(test_valid_utf8_kept),
	    cmocka_unit_test(test_invalid_utf8_replaced),
	    cmocka_unit_test(test_keys_escaped_too),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
