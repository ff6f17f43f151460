/* The damped policy (policy_damped.c). */
#ifndef LVSD_WEIGHT_POLICY_DAMPED_H
#define LVSD_WEIGHT_POLICY_DAMPED_H

#include <stdint.h>

#include "weight/pool.h"

/* damped's round, after every server's state has advanced. */
int wt_round_damped(struct wt_policy_pool *pool, uint64_t now, uint32_t *out);

#endif
