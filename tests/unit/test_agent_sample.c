/* lvs-agent's sampler (weight/agent_sample.c): the parsers on fixture
 * files shaped like Linux 6.1's /proc and cgroup v2 files
 * (tests/unit/agent-fixtures), and the window's averages and rates. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "weight/agent_sample.h"

static char fx_dir[PATH_MAX];

static const char *
fx(const char *name)
{
	static char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", fx_dir, name);
	return path;
}

/* /proc alone: the host's memory, processes, CPU, swap, load, pressure. */
static void
test_take_proc(void **st)
{
	struct smp_sample s;

	assert_int_equal(smp_take(fx("proc"), NULL, 1234, &s), 0);
	assert_int_equal(s.have, SMP_MEM | SMP_PROCS | SMP_CPU | SMP_VMSTAT | SMP_LOAD |
				     SMP_PSI_MEM | SMP_PSI_CPU);
	assert_int_equal(s.mono_ms, 1234);
	assert_int_equal(s.mem_available_kb, 912340);
	assert_int_equal(s.mem_total_kb, 2014600);
	assert_int_equal(s.procs_running, 3);
	assert_int_equal(s.procs_blocked, 1);
	assert_int_equal(s.cpu_idle, 46828483 + 16683);
	assert_int_equal(s.cpu_total, 60377929);
	assert_int_equal(s.pswpout, 5400);
	assert_int_equal(s.load_x100[0], 52);
	assert_int_equal(s.load_x100[1], 58);
	assert_int_equal(s.load_x100[2], 159);
	assert_int_equal(s.psi_mem_x100, 125);
	assert_int_equal(s.psi_cpu_x100, 1050);
}

/* With a cgroup: its memory, page cache and CPU time; its pressure files
 * replace the host's, and a missing one (cpu.pressure) is left out. */
static void
test_take_cgroup(void **st)
{
	struct smp_sample s;
	char cg[PATH_MAX + 64];

	snprintf(cg, sizeof(cg), "%s", fx("cgroup"));
	assert_int_equal(smp_take(fx("proc"), cg, 0, &s), 0);
	assert_int_equal(s.have, SMP_MEM | SMP_PROCS | SMP_CPU | SMP_VMSTAT | SMP_LOAD |
				     SMP_CG_MEM | SMP_CG_FILE | SMP_CG_CPU | SMP_PSI_MEM);
	assert_int_equal(s.cg_mem_current, 536870912);
	assert_true(s.cg_mem_max == RPT_UNLIMITED);
	assert_int_equal(s.cg_inactive_file, 104857600);
	assert_int_equal(s.cg_usage_usec, 7500000);
	assert_int_equal(s.psi_mem_x100, 200);
	assert_int_equal(s.psi_cpu_x100, 0);
}

/* Nothing readable: -ENOENT, the sample untouched. */
static void
test_take_nothing(void **st)
{
	struct smp_sample s, before;

	memset(&s, 0xa5, sizeof(s));
	memcpy(&before, &s, sizeof(s));
	assert_int_equal(smp_take(fx("empty"), NULL, 0, &s), -ENOENT);
	assert_int_equal(smp_take(fx("no-such-dir"), fx("no-such-dir"), 0, &s), -ENOENT);
	assert_memory_equal(&s, &before, sizeof(s));
}

static void
test_parse_errors(void **st)
{
	struct smp_sample s = {0};
	uint32_t x;
	uint64_t v;

	/* kernels before 3.14 have no MemAvailable */
	assert_int_equal(smp_parse_meminfo("MemTotal: 100 kB\nMemFree: 50 kB\n", &s), -EINVAL);
	/* MemAvailableX is not MemAvailable */
	assert_int_equal(smp_parse_meminfo("MemTotal: 1 kB\nMemAvailableX: 5 kB\n", &s), -EINVAL);
	assert_int_equal(
	    smp_parse_stat("cpu 1 2 3 4 5 6 7\nprocs_running 1\nprocs_blocked 0\n", &s), -EINVAL);
	assert_int_equal(smp_parse_stat("cpu 1 2 3 4 5 6 7 8\nprocs_running 1\n", &s), -EINVAL);
	assert_int_equal(
	    smp_parse_stat("cpu0 1 2 3 4 5 6 7 8\nprocs_running 1\nprocs_blocked 0\n", &s),
	    -EINVAL);
	assert_int_equal(smp_parse_vmstat("pswpin 5\n", &s), -EINVAL);
	assert_int_equal(s.have, 0);

	assert_int_equal(smp_parse_loadavg("1.5 2 3.14159 1/2 3\n", &s), 0);
	assert_int_equal(s.load_x100[0], 150);
	assert_int_equal(s.load_x100[1], 200);
	assert_int_equal(s.load_x100[2], 314);
	assert_int_equal(smp_parse_loadavg("1.5 x 3\n", &s), -EINVAL);
	assert_int_equal(smp_parse_loadavg("1.5 2\n", &s), -EINVAL);
	assert_int_equal(smp_parse_loadavg("1.5 2 3x\n", &s), -EINVAL);

	assert_int_equal(smp_parse_psi("full avg10=1.00 avg60=0 avg300=0 total=0\n", &x), -EINVAL);
	assert_int_equal(smp_parse_psi("some avg60=1.00\n", &x), -EINVAL);
	assert_int_equal(smp_parse_psi("some avg10=99.99 avg60=0\n", &x), 0);
	assert_int_equal(x, 9999);

	assert_int_equal(smp_parse_cg_value("max\n", &v), 0);
	assert_true(v == RPT_UNLIMITED);
	assert_int_equal(smp_parse_cg_value("4096\n", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(smp_parse_cg_value("maximum\n", &v), -EINVAL);
	assert_int_equal(smp_parse_cg_value("12x\n", &v), -EINVAL);
	assert_int_equal(smp_parse_cg_value("", &v), -EINVAL);
	assert_int_equal(smp_parse_cg_value("99999999999999999999999\n", &v), -EINVAL);

	assert_int_equal(
	    smp_parse_keyed("inactive_file_x 5\ninactive_file 7\n", "inactive_file", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(smp_parse_keyed("file 5\n", "inactive_file", &v), -EINVAL);
}

/* A sample at t ms with every field: memory m kB, counters c. */
static struct smp_sample
sample(uint64_t t, uint64_t m, uint64_t c)
{
	return (struct smp_sample){
	    .have = SMP_MEM | SMP_PROCS | SMP_CPU | SMP_VMSTAT | SMP_LOAD | SMP_CG_MEM |
		    SMP_CG_FILE | SMP_CG_CPU | SMP_PSI_MEM | SMP_PSI_CPU,
	    .mono_ms = t,
	    .mem_available_kb = m,
	    .mem_total_kb = 1000000,
	    .procs_running = (uint32_t)m / 100,
	    .procs_blocked = 1,
	    .cpu_idle = c * 3,
	    .cpu_total = c * 4,
	    .pswpout = c * 5,
	    .load_x100 = {(uint32_t)m, 2, 3},
	    .cg_mem_current = m * 1024,
	    .cg_mem_max = RPT_UNLIMITED,
	    .cg_inactive_file = m,
	    .cg_usage_usec = c * 15000,
	    .psi_mem_x100 = (uint32_t)m,
	    .psi_cpu_x100 = 7,
	};
}

/* Gauges: the mean of all but the oldest; rates: oldest to newest. */
static void
test_window(void **st)
{
	struct smp_sample s[3] = {sample(1000, 100, 0), sample(2000, 200, 50),
				  sample(3000, 300, 100)};
	struct rpt_metrics m;

	smp_window(s, 3, &m);
	assert_int_equal(m.flags, RPT_FLAGS_ALL);
	assert_int_equal(m.mem_available_kb, 250);
	assert_int_equal(m.mem_total_kb, 1000000);
	assert_int_equal(m.procs_running, 3); /* (2 + 3) / 2, rounded */
	assert_int_equal(m.procs_blocked, 1);
	assert_int_equal(m.load_x100[0], 250);
	assert_int_equal(m.cg_mem_current, 250 * 1024);
	assert_true(m.cg_mem_max == RPT_UNLIMITED);
	assert_int_equal(m.cg_inactive_file, 250);
	assert_int_equal(m.psi_mem_x100, 250);
	assert_int_equal(m.psi_cpu_x100, 7);
	assert_int_equal(m.cpu_idle_pm, 750);	 /* 300 of 400 jiffies */
	assert_int_equal(m.swapout_x100, 25000); /* 500 pages in 2 s */
	assert_int_equal(m.cg_cpu_pm, 750);	 /* 1.5 s of CPU in 2 s */
}

/* One sample: its gauges, no rates; none: nothing. */
static void
test_window_short(void **st)
{
	struct smp_sample s = sample(1000, 100, 10);
	struct rpt_metrics m;

	smp_window(&s, 1, &m);
	assert_int_equal(m.flags, RPT_HAS_MEM | RPT_HAS_PROCS | RPT_HAS_LOAD | RPT_HAS_CG_MEM |
				      RPT_HAS_CG_FILE | RPT_HAS_PSI_MEM | RPT_HAS_PSI_CPU);
	assert_int_equal(m.mem_available_kb, 100);
	assert_int_equal(m.cpu_idle_pm, 0);
	smp_window(&s, 0, &m);
	assert_int_equal(m.flags, 0);
	assert_int_equal(m.mem_available_kb, 0);
}

/* A field is present only when every sample used had it; a counter that
 * went back, or time that did not pass, gives no rate. */
static void
test_window_gaps(void **st)
{
	struct smp_sample s[3] = {sample(1000, 100, 0), sample(2000, 200, 50),
				  sample(3000, 300, 100)};
	struct rpt_metrics m;

	s[1].have &= ~(uint32_t)SMP_PSI_MEM;   /* a gauge missing once */
	s[0].have &= ~(uint32_t)SMP_LOAD;      /* in the oldest only: still there */
	s[0].have &= ~(uint32_t)SMP_CG_CPU;    /* a counter missing at the start */
	s[2].cg_usage_usec = 0;		       /* (missing at the start anyway) */
	s[0].pswpout = 1000;		       /* went back */
	s[2].cpu_total = s[0].cpu_total = 400; /* no jiffies passed */
	smp_window(s, 3, &m);
	assert_int_equal(m.flags & RPT_HAS_PSI_MEM, 0);
	assert_int_equal(m.psi_mem_x100, 0);
	assert_int_equal(m.flags & RPT_HAS_LOAD, RPT_HAS_LOAD);
	assert_int_equal(m.flags & (RPT_HAS_CG_CPU | RPT_HAS_SWAPOUT | RPT_HAS_CPU_IDLE), 0);
	assert_int_equal(m.cg_cpu_pm + m.swapout_x100 + m.cpu_idle_pm, 0);

	s[2].mono_ms = s[0].mono_ms;
	smp_window(s, 3, &m);
	assert_int_equal(m.flags & (RPT_HAS_CG_CPU | RPT_HAS_SWAPOUT | RPT_HAS_CPU_IDLE), 0);
}

/* What smp_window makes, rpt_encode takes. */
static void
test_window_encodes(void **st)
{
	struct smp_sample s[2];
	struct rpt_report r = {.sig = RPT_SIG_HMAC_SHA256, .server = {.family = AF_INET}};
	uint8_t buf[RPT_MAX_LEN];
	char cg[PATH_MAX + 64];

	snprintf(cg, sizeof(cg), "%s", fx("cgroup"));
	assert_int_equal(smp_take(fx("proc"), cg, 0, &s[0]), 0);
	assert_int_equal(smp_take(fx("proc"), cg, 1000, &s[1]), 0);
	smp_window(s, 2, &r.m);
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), rpt_len(RPT_SIG_HMAC_SHA256));
	assert_int_equal(r.m.flags & RPT_HAS_CPU_IDLE, 0); /* same jiffies twice */
	assert_int_equal(r.m.flags & RPT_HAS_CG_CPU, RPT_HAS_CG_CPU);
	assert_int_equal(r.m.cg_cpu_pm, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_take_proc),	 cmocka_unit_test(test_take_cgroup),
	    cmocka_unit_test(test_take_nothing), cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_window),	 cmocka_unit_test(test_window_short),
	    cmocka_unit_test(test_window_gaps),	 cmocka_unit_test(test_window_encodes),
	};
	const char *src = getenv("abs_top_srcdir");

	snprintf(fx_dir, sizeof(fx_dir), "%s/tests/unit/agent-fixtures", src ? src : ".");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
