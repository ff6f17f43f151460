/* Shared by the preview's files: the output with its count, and a list of
 * named fields to compare two objects by. */
#ifndef LVSD_PREVIEW_INT_H
#define LVSD_PREVIEW_INT_H

#include <stdbool.h>
#include <stddef.h>

struct conf;
struct evbuffer;

#define PV_FIELDS 24
#define PV_VALUE 320

struct pv {
	struct evbuffer *out;
	int changes;
	bool headed; /* the current kind's heading is out */
	const char *heading;
	int err;
};

/* One line "  MARK TEXT" under the current heading (printed first). */
void pv_line(struct pv *p, char mark, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void pv_heading(struct pv *p, const char *heading);

/* The fields an object is compared by, in order. */
struct pv_fields {
	const char *key[PV_FIELDS];
	char val[PV_FIELDS][PV_VALUE];
	size_t n;
};
void pv_set(struct pv_fields *f, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "key old -> new; ..." of the fields that differ (same keys, same order),
 * into buf; false when none does. */
bool pv_changed(const struct pv_fields *a, const struct pv_fields *b, char *buf, size_t len);
/* "key value, ..." of every field, into buf. */
void pv_all(const struct pv_fields *f, char *buf, size_t len);

/* IPVS services and destinations (preview_ipvs.c). */
void pv_ipvs(struct pv *p, const struct conf *old, const struct conf *new);

#endif
