/* Lookups by key in an IPVS table: a service by its key, a destination by
 * its key within a service, in constant time at tens of thousands of
 * destinations.  One open-addressing hash (linear probing) holds both.
 *
 * The index points into the table it was built from: build it again after
 * adding or removing services or destinations; editing weights or options
 * (not keys) in place is fine.  Pure: no I/O. */
#ifndef LVSD_IPVS_INDEX_H
#define LVSD_IPVS_INDEX_H

#include "lvsd/ipvs/ipvs.h"

struct ipvs_index_slot {
	uint64_t h;
	uint32_t svc;  /* service index + 1; 0: empty slot */
	uint32_t dest; /* destination index + 1; 0: the service itself */
};

struct ipvs_index {
	const struct ipvs_table *t;
	struct ipvs_index_slot *slot;
	size_t mask;  /* slots - 1 (a power of two) */
	size_t *base; /* first flat destination number of each service */
	size_t n_dests;
};

/* 0 or -ENOMEM; -E2BIG beyond 2^31 objects. */
int ipvs_index_build(struct ipvs_index *x, const struct ipvs_table *t);
void ipvs_index_free(struct ipvs_index *x);
/* The service with that key (its position in *si when found and si is not
 * NULL), or NULL.  x may be NULL (an empty table). */
const struct ipvs_table_svc *ipvs_index_svc(const struct ipvs_index *x,
					    const struct ipvs_service *key, size_t *si);
/* Destination key of service si, its position in *di, or NULL. */
const struct ipvs_dest *ipvs_index_dest(const struct ipvs_index *x, size_t si,
					const struct ipvs_dest *key, size_t *di);
/* Destinations numbered 0..n_dests-1 across services, in table order. */
static inline size_t
ipvs_index_flat(const struct ipvs_index *x, size_t si, size_t di)
{
	return x->base[si] + di;
}

/* The hashes (FNV-1a over the key fields), exported for tests. */
uint64_t ipvs_service_hash(const struct ipvs_service *s);
uint64_t ipvs_dest_hash(const struct ipvs_dest *d, size_t si);

#endif
