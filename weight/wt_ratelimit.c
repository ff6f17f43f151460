/* A per-source token bucket in a fixed table (see wt_ratelimit.h). */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "weight/wt_ratelimit.h"

#define RL_PROBE 4	 /* slots looked at per source */
#define RL_MILLI 1000ULL /* tokens are kept in thousandths */

struct rl_slot {
	uint8_t addr[16];
	uint8_t family;	 /* 0: free */
	uint64_t tokens; /* thousandths of a report */
	uint64_t last_ms;
};

struct wt_rl {
	struct rl_slot *slot;
	size_t mask;
	uint64_t rate, burst; /* thousandths */
	uint64_t key;
	uint64_t evictions;
};

int
wt_rl_new(size_t slots, uint32_t rate, uint32_t burst, uint64_t key, struct wt_rl **out)
{
	struct wt_rl *rl;
	size_t n = 8;

	if (slots > ((size_t)1 << 24) || burst == 0)
		return -EINVAL;
	while (n < slots)
		n <<= 1;
	if (!(rl = calloc(1, sizeof(*rl))) || !(rl->slot = calloc(n, sizeof(*rl->slot)))) {
		free(rl);
		return -ENOMEM;
	}
	rl->mask = n - 1;
	rl->rate = rate * RL_MILLI;
	rl->burst = burst * RL_MILLI;
	rl->key = key;
	*out = rl;
	return 0;
}

void
wt_rl_free(struct wt_rl *rl)
{
	if (!rl)
		return;
	free(rl->slot);
	free(rl);
}

uint64_t
wt_rl_evictions(const struct wt_rl *rl)
{
	return rl->evictions;
}

/* The address bytes of src (IPv4 in the first 4), its family, 0 when neither. */
static uint8_t
rl_addr(const struct sockaddr_storage *src, uint8_t a[16])
{
	memset(a, 0, 16);
	if (src->ss_family == AF_INET) {
		memcpy(a, &((const struct sockaddr_in *)src)->sin_addr, 4);
		return 4;
	}
	if (src->ss_family == AF_INET6) {
		memcpy(a, &((const struct sockaddr_in6 *)src)->sin6_addr, 16);
		return 6;
	}
	return 0;
}

/* A keyed mix of the address (the key keeps senders from choosing which
 * slot they land in). */
static uint64_t
rl_hash(uint64_t key, const uint8_t a[16], uint8_t family)
{
	uint64_t h = key ^ family, w;

	for (int i = 0; i < 16; i += 8) {
		memcpy(&w, a + i, 8);
		h ^= w;
		h *= 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 31);
}

/* The slot of this address, or the least recently used of its probe
 * range, made its own with a full bucket. */
static struct rl_slot *
rl_find(struct wt_rl *rl, const uint8_t a[16], uint8_t family, uint64_t now_ms)
{
	size_t at = (size_t)rl_hash(rl->key, a, family) & rl->mask;
	struct rl_slot *free_slot = NULL, *lru = NULL, *old;

	for (size_t i = 0; i < RL_PROBE; i++) {
		struct rl_slot *s = &rl->slot[(at + i) & rl->mask];

		if (s->family == family && !memcmp(s->addr, a, 16))
			return s;
		if (s->family == 0 && !free_slot)
			free_slot = s;
		else if (s->family != 0 && (!lru || s->last_ms < lru->last_ms))
			lru = s;
	}
	old = free_slot ? free_slot : lru;
	if (!free_slot)
		rl->evictions++;
	memcpy(old->addr, a, 16);
	old->family = family;
	old->tokens = rl->burst;
	old->last_ms = now_ms;
	return old;
}

bool
wt_rl_allow(struct wt_rl *rl, const struct sockaddr_storage *src, uint64_t now_ms)
{
	uint8_t a[16], family = rl_addr(src, a);
	struct rl_slot *s;

	if (!family)
		return false;
	s = rl_find(rl, a, family, now_ms);
	if (now_ms > s->last_ms) {
		uint64_t add = (now_ms - s->last_ms) * rl->rate / 1000;

		s->tokens = s->tokens + add > rl->burst ? rl->burst : s->tokens + add;
		s->last_ms = now_ms;
	}
	if (s->tokens < RL_MILLI)
		return false;
	s->tokens -= RL_MILLI;
	return true;
}
