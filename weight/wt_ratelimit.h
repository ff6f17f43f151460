/* A per-source rate limit for the report receiver, in bounded memory.
 *
 * Each source address has a token bucket (rate per second, burst); the
 * buckets live in a fixed table of slots, found by a keyed hash and a
 * short probe.  A source not in the table takes the probed slot used
 * least recently, so a flood of forged sources evicts buckets (and gets a
 * fresh one each) but never grows the table.  Pure: time is an argument,
 * the hash key is given at creation. */
#ifndef LVSD_WT_RATELIMIT_H
#define LVSD_WT_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct wt_rl;

/* slots: rounded up to a power of two (at least 8); rate and burst in
 * reports per second and reports.  0 or -errno. */
int wt_rl_new(size_t slots, uint32_t rate, uint32_t burst, uint64_t key, struct wt_rl **out);
void wt_rl_free(struct wt_rl *rl);

/* One report from src at now_ms (monotonic): true when within its rate. */
bool wt_rl_allow(struct wt_rl *rl, const struct sockaddr_storage *src, uint64_t now_ms);

/* Sources evicted to make room since creation. */
uint64_t wt_rl_evictions(const struct wt_rl *rl);

#endif
