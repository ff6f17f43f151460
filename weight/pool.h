/* A service's pool as the weight policies see it (policy.h): one report's
 * metrics, one real server's policy state, the pool.  Plain types. */
#ifndef LVSD_WEIGHT_POOL_H
#define LVSD_WEIGHT_POOL_H

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

#endif
