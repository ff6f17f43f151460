/* A tiny JSON writer into an evbuffer: enough for status replies. */
#ifndef LVSD_JSON_H
#define LVSD_JSON_H

#include <stdbool.h>
#include <stdint.h>

struct evbuffer;

#define JSON_DEPTH_MAX 16

struct json {
	struct evbuffer *out;
	int depth;
	bool more[JSON_DEPTH_MAX]; /* an element was written at this depth */
};

/* key is the member name inside an object, NULL inside an array or at the top. */
void json_init(struct json *j, struct evbuffer *out);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *val);
void json_int(struct json *j, const char *key, int64_t val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_double(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

#endif
