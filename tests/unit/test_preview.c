/* lvsctl reload --dry-run's text: what replacing one configuration by
 * another would change, per kind, with old -> new values, and nothing when
 * nothing changes. */
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

#include "lvsd/conf/conf.h"
#include "lvsd/preview/preview.h"

#define BASE                                                                                       \
	"vrrp:\n"                                                                                  \
	"  - name: vi_1\n"                                                                         \
	"    interface: eth0\n"                                                                    \
	"    vrid: 51\n"                                                                           \
	"    priority: %s\n"                                                                       \
	"    virtual_addresses: [192.0.2.10/24, 192.0.2.20/24, 192.0.2.21/24]\n"                   \
	"services:\n"                                                                              \
	"  - name: web\n"                                                                          \
	"    address: 192.0.2.10\n"                                                                \
	"    port: 80\n"                                                                           \
	"    scheduler: %s\n"                                                                      \
	"    check: {type: tcp, interval: %s}\n"                                                   \
	"    real_servers:\n"                                                                      \
	"      - {address: 198.51.100.11, weight: %s}\n"                                           \
	"%s"

static struct conf *
load(const char *prio, const char *sched, const char *interval, const char *weight,
     const char *extra)
{
	char doc[4096];
	struct conf_error err;
	struct conf *c = NULL;

	snprintf(doc, sizeof(doc), BASE, prio, sched, interval, weight, extra);
	memset(&err, 0, sizeof(err));
	if (conf_load_buffer("t.yaml", doc, strlen(doc), &c, &err) < 0) {
		char msg[512];

		conf_error_format(&err, msg, sizeof(msg));
		print_error("%s\n", msg);
	}
	assert_non_null(c);
	return c;
}

/* The preview of a -> b as one string (caller frees); *n its count. */
static char *
preview(const struct conf *a, const struct conf *b, int *n)
{
	struct evbuffer *out = evbuffer_new();
	size_t len;
	char *t;

	assert_non_null(out);
	*n = preview_diff(a, b, out);
	len = evbuffer_get_length(out);
	t = calloc(1, len + 1);
	assert_non_null(t);
	evbuffer_remove(out, t, len);
	evbuffer_free(out);
	print_message("%s", t);
	return t;
}

static void
test_no_change(void **state)
{
	struct conf *a = load("150", "wrr", "2s", "10", ""),
		    *b = load("150", "wrr", "2s", "10", "");
	int n;
	char *t = preview(a, b, &n);

	assert_int_equal(n, 0);
	assert_string_equal(t, "no change\n");
	free(t);
	conf_free(a);
	conf_free(b);
}

static void
test_edits(void **state)
{
	struct conf *a = load("150", "wrr", "2s", "10", ""), *b = load("100", "mh", "5s", "20", "");
	int n;
	char *t = preview(a, b, &n);

	assert_int_equal(n, 4);
	assert_non_null(strstr(t, "vrrp instances\n  ~ vi_1: priority 150 -> 100\n"));
	assert_non_null(strstr(t, "  ~ service web (tcp 192.0.2.10:80): scheduler wrr -> mh\n"));
	assert_non_null(strstr(t, "  ~ destination 198.51.100.11:80 in web (tcp 192.0.2.10:80): "
				  "weight 10 -> 20\n"));
	assert_non_null(strstr(t, "checks\n  ~ service web: interval 2s -> 5s\n"));
	assert_non_null(strstr(t, "4 changes\n"));
	free(t);
	conf_free(a);
	conf_free(b);
}

static void
test_added_removed(void **state)
{
	struct conf *a = load("150", "wrr", "2s", "10",
			      "      - {address: 198.51.100.12}\n"
			      "  - name: old\n"
			      "    address: 192.0.2.20\n"
			      "    port: 53\n"
			      "    protocol: udp\n"
			      "    real_servers: [{address: 198.51.100.30}]\n");
	struct conf *b = load("150", "wrr", "2s", "10",
			      "      - {address: 198.51.100.13, weight: 5}\n"
			      "  - name: new\n"
			      "    address: 192.0.2.21\n"
			      "    port: 443\n"
			      "    real_servers: [{address: 198.51.100.31}]\n");
	int n;
	char *t = preview(a, b, &n);

	assert_non_null(strstr(t, "  - service old (udp 192.0.2.20:53) and its destinations"));
	assert_non_null(strstr(t, "  + service new (tcp 192.0.2.21:443): scheduler wrr\n"));
	assert_non_null(strstr(t, "  + destination 198.51.100.31:443 in new (tcp 192.0.2.21:443): "
				  "weight 1, tunnel\n"));
	assert_non_null(strstr(t, "  - destination 198.51.100.12:80 in web (tcp 192.0.2.10:80)\n"));
	assert_non_null(strstr(t, "  + destination 198.51.100.13:80 in web (tcp 192.0.2.10:80): "
				  "weight 5, tunnel\n"));
	assert_null(strstr(t, "vrrp instances"));
	assert_true(n >= 5);
	free(t);
	conf_free(a);
	conf_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_change),
	    cmocka_unit_test(test_edits),
	    cmocka_unit_test(test_added_removed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
