/* The parent's IPVS writer: the one process that changes the kernel's
 * virtual server table.  It keeps the table it last asked for, so that a
 * reload that drops a service deletes exactly that service and nothing
 * lvsd does not own. */
#ifndef LVSD_WRITER_H
#define LVSD_WRITER_H

#include <stdint.h>

#include "lvsd/conf/conf.h"

struct writer;

/* owned_path names the ownership record (ipvs_owned.h); NULL for none.
 * A kernel without IPVS is reported once and retried at the next apply.
 * NULL only when out of memory. */
struct writer *writer_new(const char *owned_path);
void writer_free(struct writer *w);

/* Make the kernel's table match c for the services lvsd owns.  Logs each
 * operation the kernel refused, once, and goes on with the others.
 * Returns the number of refused operations or a negative errno. */
int writer_apply(struct writer *w, const struct conf *c);

/* For status: services and destinations in the last applied table,
 * refusals in the last apply, and whether the kernel has IPVS. */
struct writer_stats {
	bool available;
	uint32_t version;	/* the kernel's IPVS version, e.g. 0x010201 */
	uint32_t conn_tab_size; /* its connection hash table size */
	size_t services;
	size_t dests;
	unsigned refused;
	unsigned applied_ops;
	unsigned long long applies;
};
void writer_stats(const struct writer *w, struct writer_stats *out);

#endif
