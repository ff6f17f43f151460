/* The arithmetic the policies share (policy_math.c); not for other roles
 * (they use policy.h).  Pure. */
#ifndef LVSD_WEIGHT_POLICY_MATH_H
#define LVSD_WEIGHT_POLICY_MATH_H

#include "weight/pool.h"

/* Available memory and capacity of a report, in KB: the cgroup's when it
 * has a limit, else the host's; capacity_kb, when non-zero, replaces the
 * report's total.  False when the report carries neither. */
bool wt_mem(const struct wt_metrics *m, uint64_t capacity_kb, uint64_t *avail, uint64_t *total);

/* The median of v[0..n) (n > 0), sorting v; the mean of the two middle
 * values when n is even. */
uint64_t wt_median(uint64_t *v, size_t n);

/* a + (b - a) * num / den, for 0 <= num <= den, den > 0: a straight line
 * from a to b. */
uint32_t wt_lerp(uint32_t a, uint32_t b, uint64_t num, uint64_t den);

#endif
