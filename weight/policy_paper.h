/* The paper's policies, paper-1 and paper-2 (policy_paper.c). */
#ifndef LVSD_WEIGHT_POLICY_PAPER_H
#define LVSD_WEIGHT_POLICY_PAPER_H

#include <stddef.h>
#include <stdint.h>

#include "weight/pool.h"

/* Equations 2 (paper-1) and 3 (paper-2) over n servers' available memory,
 * in the paper's units (before scaling): out[i] >= 1.  Returns 0 or
 * -EINVAL (n == 0, mem_per_proc_kb == 0, type not a paper policy). */
int wt_paper_weights(enum conf_policy type, const uint64_t *avail_kb, size_t n,
		     uint32_t mem_per_proc_kb, uint32_t conns_per_min, uint32_t *out);

/* The paper's scaling: x 1000, then all scaled down together when the
 * largest exceeds WT_WEIGHT_MAX (never below 1). */
void wt_paper_scale(uint32_t *w, size_t n);

/* A paper policy's round, after every server's state has advanced. */
int wt_round_paper(struct wt_policy_pool *pool, uint32_t *out);

#endif
