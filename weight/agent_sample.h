/* lvs-agent's sampler: what one sample reads from /proc and a cgroup v2
 * group, and how a window of samples becomes the metrics of a report.
 *
 * The parsers take file contents as strings, and smp_take() reads the
 * files under a /proc directory and a cgroup directory given to it, so the
 * unit tests run them on fixture files. */
#ifndef LVSD_WEIGHT_AGENT_SAMPLE_H
#define LVSD_WEIGHT_AGENT_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weight/report.h"

/* Which fields of a sample were read: the bits of the report flags the
 * fields lead to (the counters' bits stand for the rates they give). */
enum smp_have {
	SMP_MEM = RPT_HAS_MEM,	       /* meminfo */
	SMP_PROCS = RPT_HAS_PROCS,     /* stat: procs_running, procs_blocked */
	SMP_VMSTAT = RPT_HAS_SWAPOUT,  /* vmstat: pswpout */
	SMP_CPU = RPT_HAS_CPU_IDLE,    /* stat: the cpu line */
	SMP_LOAD = RPT_HAS_LOAD,       /* loadavg */
	SMP_CG_MEM = RPT_HAS_CG_MEM,   /* memory.current and memory.max */
	SMP_CG_FILE = RPT_HAS_CG_FILE, /* memory.stat inactive_file */
	SMP_CG_CPU = RPT_HAS_CG_CPU,   /* cpu.stat usage_usec */
	SMP_PSI_MEM = RPT_HAS_PSI_MEM, /* memory.pressure (or /proc/pressure/memory) */
	SMP_PSI_CPU = RPT_HAS_PSI_CPU, /* cpu.pressure (or /proc/pressure/cpu) */
};

/* One sample: gauges as read, counters as cumulative totals. */
struct smp_sample {
	uint32_t have;	  /* enum smp_have */
	uint64_t mono_ms; /* CLOCK_MONOTONIC when taken */
	uint64_t mem_available_kb, mem_total_kb;
	uint32_t procs_running, procs_blocked;
	uint64_t cpu_idle, cpu_total; /* jiffies: idle + iowait, and all */
	uint64_t pswpout;	      /* pages swapped out since boot */
	uint32_t load_x100[3];
	uint64_t cg_mem_current, cg_mem_max; /* bytes; max RPT_UNLIMITED for "max" */
	uint64_t cg_inactive_file;	     /* bytes */
	uint64_t cg_usage_usec;		     /* CPU time of the group */
	uint32_t psi_mem_x100, psi_cpu_x100; /* "some avg10" x 100 */
};

/* Parsers of one file's contents (NUL-terminated), filling their part of
 * *s and setting its bit in s->have: 0, or -EINVAL when the text lacks
 * what they look for or holds a malformed number. */
int smp_parse_meminfo(const char *text, struct smp_sample *s);
int smp_parse_stat(const char *text, struct smp_sample *s);
int smp_parse_vmstat(const char *text, struct smp_sample *s);
int smp_parse_loadavg(const char *text, struct smp_sample *s);
/* A pressure file's "some avg10=" into *x100 (hundredths of a percent). */
int smp_parse_psi(const char *text, uint32_t *x100);
/* memory.current and memory.max ("max" is RPT_UNLIMITED). */
int smp_parse_cg_value(const char *text, uint64_t *v);
/* memory.stat inactive_file, cpu.stat usage_usec. */
int smp_parse_keyed(const char *text, const char *key, uint64_t *v);

/* Read one sample: /proc/meminfo, stat, vmstat and loadavg under proc
 * (normally "/proc"), and with cgroup (a cgroup v2 directory, or NULL)
 * its memory.current, memory.max, memory.stat, cpu.stat and pressure
 * files; without a cgroup the pressure comes from proc/pressure/.  What
 * cannot be read is left out of s->have (pressure files often do not
 * exist); -ENOENT when nothing at all could be read. */
int smp_take(const char *proc, const char *cgroup, uint64_t mono_ms, struct smp_sample *s);

/* The metrics of a window of n samples, oldest first: gauges averaged over
 * all but the oldest (the paper drops its first vmstat line), rates from
 * the oldest to the newest; with one sample, its gauges and no rates.
 * A field is present only when every sample used had it. */
void smp_window(const struct smp_sample *s, size_t n, struct rpt_metrics *m);

#endif
