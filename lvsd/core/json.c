/* A tiny JSON writer: no dependency, no allocation of its own. */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include <event2/buffer.h>

#include "lvsd/core/json.h"

void
json_init(struct json *j, struct evbuffer *out)
{
	j->out = out;
	j->depth = 0;
	j->more[0] = false;
}

/* The length of the well-formed UTF-8 sequence at p (2 to 4), or 0: no
 * overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629). */
static size_t
json_utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf) /* also stops at the NUL */
			return 0;
	return n;
}

/* Valid UTF-8 is copied; each byte of an invalid sequence becomes U+FFFD. */
static void
json_quote(struct json *j, const char *s)
{
	evbuffer_add(j->out, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t n;

		if (*p == '"' || *p == '\\')
			evbuffer_add_printf(j->out, "\\%c", *p);
		else if (*p == '\n')
			evbuffer_add(j->out, "\\n", 2);
		else if (*p < 0x20 || *p == 0x7f)
			evbuffer_add_printf(j->out, "\\u%04x", *p);
		else if (*p < 0x80)
			evbuffer_add(j->out, p, 1);
		else if ((n = json_utf8_len(p)) != 0) {
			evbuffer_add(j->out, p, n);
			p += n - 1;
		} else
			evbuffer_add(j->out, "\\ufffd", 6);
	}
	evbuffer_add(j->out, "\"", 1);
}

/* The separator and the member name before a value. */
static void
json_member(struct json *j, const char *key)
{
	if (j->more[j->depth])
		evbuffer_add(j->out, ",", 1);
	j->more[j->depth] = true;
	if (key) {
		json_quote(j, key);
		evbuffer_add(j->out, ":", 1);
	}
}

static void
json_open(struct json *j, const char *key, char c)
{
	json_member(j, key);
	evbuffer_add(j->out, &c, 1);
	if (j->depth < JSON_DEPTH_MAX - 1)
		j->depth++;
	j->more[j->depth] = false;
}

static void
json_close(struct json *j, char c)
{
	evbuffer_add(j->out, &c, 1);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		evbuffer_add(j->out, "\n", 1);
}

void
json_object_begin(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void
json_object_end(struct json *j)
{
	json_close(j, '}');
}

void
json_array_begin(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void
json_array_end(struct json *j)
{
	json_close(j, ']');
}

void
json_string(struct json *j, const char *key, const char *val)
{
	json_member(j, key);
	json_quote(j, val);
}

void
json_int(struct json *j, const char *key, int64_t val)
{
	json_member(j, key);
	evbuffer_add_printf(j->out, "%" PRId64, val);
}

void
json_uint(struct json *j, const char *key, uint64_t val)
{
	json_member(j, key);
	evbuffer_add_printf(j->out, "%" PRIu64, val);
}

void
json_double(struct json *j, const char *key, double val)
{
	json_member(j, key);
	if (isfinite(val))
		evbuffer_add_printf(j->out, "%.3f", val);
	else
		evbuffer_add(j->out, "null", 4);
}

void
json_bool(struct json *j, const char *key, bool val)
{
	json_member(j, key);
	evbuffer_add_printf(j->out, "%s", val ? "true" : "false");
}

void
json_null(struct json *j, const char *key)
{
	json_member(j, key);
	evbuffer_add(j->out, "null", 4);
}
