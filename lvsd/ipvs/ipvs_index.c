/* Hashed lookups in an IPVS table; see ipvs_index.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/ipvs/ipvs_index.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * FNV_PRIME;
	return h;
}

static size_t
addr_len(uint16_t af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
}

uint64_t
ipvs_service_hash(const struct ipvs_service *s)
{
	uint64_t h = fnv(FNV_OFFSET, "S", 1);

	h = fnv(h, &s->af, sizeof(s->af));
	h = fnv(h, &s->fwmark, sizeof(s->fwmark));
	if (s->fwmark)
		return h;
	h = fnv(h, &s->protocol, sizeof(s->protocol));
	h = fnv(h, &s->port, sizeof(s->port));
	return fnv(h, s->addr.bytes, addr_len(s->af));
}

uint64_t
ipvs_dest_hash(const struct ipvs_dest *d, size_t si)
{
	uint64_t h = fnv(FNV_OFFSET, "D", 1);
	uint64_t s = si;

	h = fnv(h, &s, sizeof(s));
	h = fnv(h, &d->af, sizeof(d->af));
	h = fnv(h, &d->port, sizeof(d->port));
	return fnv(h, d->addr.bytes, addr_len(d->af));
}

static void
slot_put(struct ipvs_index *x, uint64_t h, uint32_t svc, uint32_t dest)
{
	size_t i = (size_t)h & x->mask;

	while (x->slot[i].svc)
		i = (i + 1) & x->mask;
	x->slot[i] = (struct ipvs_index_slot){.h = h, .svc = svc, .dest = dest};
}

int
ipvs_index_build(struct ipvs_index *x, const struct ipvs_table *t)
{
	struct ipvs_index n = {.t = t};
	size_t objs = t->n, cap = 16;

	for (size_t i = 0; i < t->n; i++)
		objs += t->svcs[i].n_dests;
	if (objs > (1u << 31))
		return -E2BIG;
	while (cap < 2 * objs)
		cap *= 2;
	n.mask = cap - 1;
	n.slot = calloc(cap, sizeof(*n.slot));
	n.base = calloc(t->n ? t->n : 1, sizeof(*n.base));
	if (!n.slot || !n.base) {
		ipvs_index_free(&n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct ipvs_table_svc *s = &t->svcs[i];

		n.base[i] = n.n_dests;
		n.n_dests += s->n_dests;
		slot_put(&n, ipvs_service_hash(&s->svc), (uint32_t)i + 1, 0);
		for (size_t j = 0; j < s->n_dests; j++)
			slot_put(&n, ipvs_dest_hash(&s->dests[j], i), (uint32_t)i + 1,
				 (uint32_t)j + 1);
	}
	*x = n;
	return 0;
}

void
ipvs_index_free(struct ipvs_index *x)
{
	free(x->slot);
	free(x->base);
	memset(x, 0, sizeof(*x));
}

const struct ipvs_table_svc *
ipvs_index_svc(const struct ipvs_index *x, const struct ipvs_service *key, size_t *si)
{
	uint64_t h;

	if (!x || !x->slot)
		return NULL;
	h = ipvs_service_hash(key);
	for (size_t i = (size_t)h & x->mask; x->slot[i].svc; i = (i + 1) & x->mask) {
		const struct ipvs_index_slot *e = &x->slot[i];
		const struct ipvs_table_svc *s = &x->t->svcs[e->svc - 1];

		if (e->h == h && !e->dest && ipvs_service_same_key(&s->svc, key)) {
			if (si)
				*si = e->svc - 1;
			return s;
		}
	}
	return NULL;
}

const struct ipvs_dest *
ipvs_index_dest(const struct ipvs_index *x, size_t si, const struct ipvs_dest *key, size_t *di)
{
	uint64_t h;

	if (!x || !x->slot || si >= x->t->n)
		return NULL;
	h = ipvs_dest_hash(key, si);
	for (size_t i = (size_t)h & x->mask; x->slot[i].svc; i = (i + 1) & x->mask) {
		const struct ipvs_index_slot *e = &x->slot[i];
		const struct ipvs_dest *d;

		if (e->h != h || !e->dest || e->svc - 1 != si)
			continue;
		d = &x->t->svcs[si].dests[e->dest - 1];
		if (ipvs_dest_same_key(d, key)) {
			if (di)
				*di = e->dest - 1;
			return d;
		}
	}
	return NULL;
}
