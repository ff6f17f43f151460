/* Weight policies: how load reports become the IPVS weights of one
 * service's real servers.  Pure: no I/O, no clock; time is an argument
 * (milliseconds of a monotonic clock, the caller's).
 *
 * Rounds.  The computation is a function of (configuration, reports kept)
 * evaluated in rounds:
 *
 *   wt_policy_report() only records a report: per server it keeps the one
 *   with the greatest stamp (ties broken by the metrics' bytes), whatever
 *   the order the reports arrived in, and marks the server fresh.
 *
 *   wt_policy_round() then computes every weight of the pool at once:
 *   first each server's feedback state and smoothed inputs (one sample per
 *   server per round: the report kept), then the pool's medians, then the
 *   weights, server by server in index order.  Nothing depends on the
 *   order reports were recorded in, so two directors fed the same reports
 *   (each with the same receive time) in any order within a round compute
 *   the same weights.  All arithmetic is on integers, so directors of
 *   different architectures agree too.
 *
 * Feedback states (not static):
 *   unknown  -> warming  on the first report (or the first after expiry)
 *   warming  -> trusted  after warmup: the weight ramps linearly from the
 *                        static weight to the feedback weight meanwhile
 *   warming, trusted -> stale  when the report kept is older than
 *                        stale_after: the weight decays linearly back to
 *                        the static weight until expire_after
 *   stale    -> trusted  on a new report
 *   stale    -> expired  when the report is older than expire_after: the
 *                        feedback is forgotten, the weight is static again
 *   expired  -> warming  on a new report
 *
 * A weight is never 0, except for a server configured with weight 0 (the
 * operator took it out of rotation): it stays 0 under every policy.
 * Health and drain are the parent's, applied on top of these weights.
 * doc/weights.md explains each policy and the paper's generalisation. */
#ifndef LVSD_WEIGHT_POLICY_H
#define LVSD_WEIGHT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weight/pool.h"

/* Set up one server: static weight 0..WT_WEIGHT_MAX, capacity in KB or 0. */
void wt_policy_rs_init(struct wt_policy_rs *rs, uint32_t static_weight, uint64_t capacity_kb);

/* Set up a pool over rs[0..n) (each initialised with wt_policy_rs_init).
 * Returns 0, -EINVAL for parameters out of their documented range, or
 * -ENOMEM; release it with wt_policy_release().  A round allocates
 * nothing. */
int wt_policy_init(struct wt_policy_pool *pool, const struct conf_policy_params *params,
		   struct wt_policy_rs *rs, size_t n);
void wt_policy_release(struct wt_policy_pool *pool);

/* Record a report for server idx received at now.  Returns 0, -EINVAL for
 * a bad index, or -ESTALE when the server already holds a report with a
 * greater stamp (nothing changes). */
int wt_policy_report(struct wt_policy_pool *pool, size_t idx, const struct wt_metrics *m,
		     uint64_t now);

/* Compute every weight at now into out[0..n): the weight to give the
 * kernel (changes below write_threshold are not proposed: out keeps the
 * previous value).  Returns 0, or -EINVAL when now is before the last
 * round (nothing changes). */
int wt_policy_round(struct wt_policy_pool *pool, uint64_t now, uint32_t *out);

/* Forget server idx's feedback (it went down, or was replaced): unknown,
 * its static weight again. */
void wt_policy_forget(struct wt_policy_pool *pool, size_t idx);

/* The damped policy's unit: weights are expressed as static weight x unit
 * so that the smallest server moves in steps of 0.1% (weight 1 becomes
 * 1000, weight 100 becomes 1000 too, weight 1000 stays), as far as the
 * band leaves room under 65535. */
uint32_t wt_policy_unit(const struct wt_policy_rs *rs, size_t n, uint32_t band);

#endif
