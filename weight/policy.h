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

#include "lvsd/conf/conf.h"
#include "lvsd/core/names.h" /* enum wt_feedback */

/* The largest weight the model allows (a real server's weight: 0..65535). */
#define WT_WEIGHT_MAX 65535u
/* damped scales static weights so the smallest has this many steps (0.1%) */
#define WT_UNIT_STEPS 1000u
/* damped: a trim (its integral part, permille) that changes nothing */
#define WT_TRIM_NONE 1000u

/* Which fields of struct wt_metrics a report carries. */
enum wt_metric_bits {
	WT_M_MEM = 1u << 0,	   /* mem_available_kb and mem_total_kb */
	WT_M_PROCS = 1u << 1,	   /* procs_running and procs_blocked */
	WT_M_SWAPOUT = 1u << 2,	   /* swapout_kb_per_s */
	WT_M_CPU_IDLE = 1u << 3,   /* cpu_idle_permille */
	WT_M_LOAD = 1u << 4,	   /* load_centi */
	WT_M_CGROUP_MEM = 1u << 5, /* cg_mem_current_kb and cg_mem_max_kb */
	WT_M_PSI = 1u << 6,	   /* psi_some_avg10_centi */
};

/* One report's metrics, as the receiver decoded them.  No padding: two
 * reports compare with memcmp. */
struct wt_metrics {
	uint64_t stamp;		    /* the report's order key: the agent's timestamp */
	uint64_t mem_available_kb;  /* MemAvailable */
	uint64_t mem_total_kb;	    /* MemTotal */
	uint64_t cg_mem_current_kb; /* cgroup v2 memory.current */
	uint64_t cg_mem_max_kb;	    /* memory.max; 0 when "max" (no limit) */
	uint32_t present;	    /* enum wt_metric_bits */
	uint32_t procs_running;
	uint32_t procs_blocked;	       /* uninterruptible (vmstat b) */
	uint32_t swapout_kb_per_s;     /* vmstat so */
	uint32_t cpu_idle_permille;    /* 0..1000 */
	uint32_t load_centi[3];	       /* 1, 5 and 15 minute load averages x 100 */
	uint32_t psi_some_avg10_centi; /* memory pressure, percent x 100: 0..10000 */
};

/* The inputs a damped round smooths (EWMA), valid per WT_S_* bit. */
enum wt_smooth_bits {
	WT_S_FREE = 1u << 0,
	WT_S_BLOCKED = 1u << 1,
	WT_S_SWAPOUT = 1u << 2,
	WT_S_PSI = 1u << 3,
};

/* One real server's policy state, owned by the caller: set static_weight
 * and capacity_kb with wt_policy_rs_init(), then leave the rest to these
 * functions (read them for status). */
struct wt_policy_rs {
	uint32_t static_weight; /* the configured weight */
	uint64_t capacity_kb;	/* the model's capacity, 0: the report's total */
	/* the report kept */
	bool has_report;
	bool fresh; /* recorded since the last round */
	struct wt_metrics report;
	uint64_t report_ms; /* its receive time */
	/* across rounds */
	enum wt_feedback state;
	uint64_t state_ms;	  /* when warming began */
	uint32_t smooth_valid;	  /* enum wt_smooth_bits */
	uint64_t s_free_ppm;	  /* free memory per million of capacity */
	uint64_t free_ppm;	  /* the same in the report kept, unsmoothed */
	uint64_t s_blocked_milli; /* blocked processes x 1000 */
	uint64_t s_swapout;	  /* KB/s */
	uint64_t s_psi;		  /* percent x 100 */
	uint32_t trim;		  /* damped: the integral part, permille (WT_TRIM_NONE) */
	uint32_t weight;	  /* the damped trajectory, before the write threshold */
	uint32_t proposed;	  /* the weight last proposed for the kernel */
};

/* A service's pool: its policy parameters and its real servers, in the
 * configuration's order (the index is the tie-breaker everywhere). */
struct wt_policy_pool {
	struct conf_policy_params params;
	struct wt_policy_rs *rs; /* caller-owned array of n */
	size_t n;
	uint64_t *scratch;   /* 2n values for medians, owned by the pool */
	uint32_t unit;	     /* damped: weights are static x unit; see wt_policy_unit */
	uint64_t last_round; /* now of the last round; 0 before the first */
	bool rounds;	     /* a round has run */
};

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


/* Equations 2 (paper-1) and 3 (paper-2) over n servers' available memory,
 * in the paper's units (before scaling): out[i] >= 1.  Returns 0 or
 * -EINVAL (n == 0, mem_per_proc_kb == 0, type not a paper policy). */
int wt_paper_weights(enum conf_policy type, const uint64_t *avail_kb, size_t n,
		     uint32_t mem_per_proc_kb, uint32_t conns_per_min, uint32_t *out);

/* The paper's scaling: x 1000, then all scaled down together when the
 * largest exceeds WT_WEIGHT_MAX (never below 1). */
void wt_paper_scale(uint32_t *w, size_t n);

#endif
