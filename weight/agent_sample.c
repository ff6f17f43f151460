/* lvs-agent's sampler (see agent_sample.h): parsers of /proc and cgroup
 * v2 files, one reader, and the window that turns samples into metrics. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "weight/agent_sample.h"

#define SMP_FILE_MAX 16384 /* /proc/stat of a large host is a few KB */

/* The text after "key" at the start of a line, when followed by ':' or a
 * blank; NULL when no line starts so. */
static const char *
smp_line(const char *text, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, k) == 0 && (p[k] == ':' || p[k] == ' ' || p[k] == '\t'))
			return p + k + (p[k] == ':');
	return NULL;
}

/* A decimal number after optional blanks; *end past it. */
static int
smp_u64(const char *p, uint64_t *v, const char **end)
{
	char *e;
	unsigned long long x;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	x = strtoull(p, &e, 10);
	if (errno)
		return -EINVAL;
	*v = x;
	if (end)
		*end = e;
	return 0;
}

/* A number with up to two decimals ("0.52", "12.5", "3") x 100. */
static int
smp_x100(const char *p, uint32_t *v, const char **end)
{
	uint64_t i, f = 0;
	int digits = 0;

	if (smp_u64(p, &i, &p) < 0)
		return -EINVAL;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, digits++)
			if (digits < 2)
				f = f * 10 + (uint64_t)(*p - '0');
	if (digits == 1)
		f *= 10;
	if (i > (UINT32_MAX - f) / 100)
		return -EINVAL;
	*v = (uint32_t)(i * 100 + f);
	if (end)
		*end = p;
	return 0;
}

static int
smp_key_u64(const char *text, const char *key, uint64_t *v)
{
	const char *p = smp_line(text, key);

	return p ? smp_u64(p, v, NULL) : -EINVAL;
}

int
smp_parse_keyed(const char *text, const char *key, uint64_t *v)
{
	return smp_key_u64(text, key, v);
}

int
smp_parse_meminfo(const char *text, struct smp_sample *s)
{
	uint64_t avail, total;

	if (smp_key_u64(text, "MemAvailable", &avail) < 0 ||
	    smp_key_u64(text, "MemTotal", &total) < 0)
		return -EINVAL;
	s->mem_available_kb = avail;
	s->mem_total_kb = total;
	s->have |= SMP_MEM;
	return 0;
}

/* The "cpu" line: idle is idle + iowait, total the first eight fields
 * (user nice system idle iowait irq softirq steal; guest time is already
 * in user and nice). */
static int
smp_parse_cpu(const char *text, uint64_t *idle, uint64_t *total)
{
	const char *p = smp_line(text, "cpu");
	uint64_t v[8];

	if (!p)
		return -EINVAL;
	for (int i = 0; i < 8; i++)
		if (smp_u64(p, &v[i], &p) < 0)
			return -EINVAL;
	*idle = v[3] + v[4];
	*total = 0;
	for (int i = 0; i < 8; i++)
		*total += v[i];
	return 0;
}

int
smp_parse_stat(const char *text, struct smp_sample *s)
{
	uint64_t run, blk, idle, total;

	if (smp_parse_cpu(text, &idle, &total) < 0 ||
	    smp_key_u64(text, "procs_running", &run) < 0 ||
	    smp_key_u64(text, "procs_blocked", &blk) < 0 || run > UINT32_MAX || blk > UINT32_MAX)
		return -EINVAL;
	s->cpu_idle = idle;
	s->cpu_total = total;
	s->procs_running = (uint32_t)run;
	s->procs_blocked = (uint32_t)blk;
	s->have |= SMP_CPU | SMP_PROCS;
	return 0;
}

int
smp_parse_vmstat(const char *text, struct smp_sample *s)
{
	if (smp_key_u64(text, "pswpout", &s->pswpout) < 0)
		return -EINVAL;
	s->have |= SMP_VMSTAT;
	return 0;
}

int
smp_parse_loadavg(const char *text, struct smp_sample *s)
{
	uint32_t l[3];
	const char *p = text;

	for (int i = 0; i < 3; i++)
		if (smp_x100(p, &l[i], &p) < 0 || (*p != ' ' && *p != '\n' && *p != '\0'))
			return -EINVAL;
	memcpy(s->load_x100, l, sizeof(l));
	s->have |= SMP_LOAD;
	return 0;
}

int
smp_parse_psi(const char *text, uint32_t *x100)
{
	const char *p = smp_line(text, "some");

	if (!p || !(p = strstr(p, "avg10=")))
		return -EINVAL;
	return smp_x100(p + 6, x100, NULL);
}

int
smp_parse_cg_value(const char *text, uint64_t *v)
{
	const char *end;

	if (strncmp(text, "max", 3) == 0 && (text[3] == '\n' || text[3] == '\0')) {
		*v = RPT_UNLIMITED;
		return 0;
	}
	if (smp_u64(text, v, &end) < 0 || (*end != '\n' && *end != '\0'))
		return -EINVAL;
	return 0;
}

/* The contents of dir/name, NUL-terminated, into buf (cap bytes): 0, or
 * -errno, -EFBIG when it does not fit. */
static int
smp_read(const char *dir, const char *name, char *buf, size_t cap)
{
	char path[PATH_MAX];
	size_t len = 0;
	ssize_t n;
	int fd, r = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + len, cap - 1 - len)) > 0 && (len += (size_t)n) < cap - 1)
		;
	if (n < 0)
		r = -errno;
	else if (len >= cap - 1)
		r = -EFBIG;
	close(fd);
	buf[len] = '\0';
	return r;
}

/* Parse dir/name with parse when it can be read; its bit stays clear
 * otherwise. */
static void
smp_file(const char *dir, const char *name, int (*parse)(const char *, struct smp_sample *),
	 struct smp_sample *s, char *buf)
{
	if (smp_read(dir, name, buf, SMP_FILE_MAX) == 0)
		(void)parse(buf, s);
}

static void
smp_take_psi(const char *dir, const char *mem, const char *cpu, struct smp_sample *s, char *buf)
{
	if (smp_read(dir, mem, buf, SMP_FILE_MAX) == 0 && smp_parse_psi(buf, &s->psi_mem_x100) == 0)
		s->have |= SMP_PSI_MEM;
	if (smp_read(dir, cpu, buf, SMP_FILE_MAX) == 0 && smp_parse_psi(buf, &s->psi_cpu_x100) == 0)
		s->have |= SMP_PSI_CPU;
}

static void
smp_take_cgroup(const char *cg, struct smp_sample *s, char *buf)
{
	uint64_t cur, max;

	if (smp_read(cg, "memory.current", buf, SMP_FILE_MAX) == 0 &&
	    smp_parse_cg_value(buf, &cur) == 0 &&
	    smp_read(cg, "memory.max", buf, SMP_FILE_MAX) == 0 &&
	    smp_parse_cg_value(buf, &max) == 0 && cur != RPT_UNLIMITED) {
		s->cg_mem_current = cur;
		s->cg_mem_max = max;
		s->have |= SMP_CG_MEM;
	}
	if (smp_read(cg, "memory.stat", buf, SMP_FILE_MAX) == 0 &&
	    smp_parse_keyed(buf, "inactive_file", &s->cg_inactive_file) == 0)
		s->have |= SMP_CG_FILE;
	if (smp_read(cg, "cpu.stat", buf, SMP_FILE_MAX) == 0 &&
	    smp_parse_keyed(buf, "usage_usec", &s->cg_usage_usec) == 0)
		s->have |= SMP_CG_CPU;
	smp_take_psi(cg, "memory.pressure", "cpu.pressure", s, buf);
}

int
smp_take(const char *proc, const char *cgroup, uint64_t mono_ms, struct smp_sample *s)
{
	char *buf = malloc(SMP_FILE_MAX);
	struct smp_sample t;

	if (!buf)
		return -ENOMEM;
	memset(&t, 0, sizeof(t));
	t.mono_ms = mono_ms;
	smp_file(proc, "meminfo", smp_parse_meminfo, &t, buf);
	smp_file(proc, "stat", smp_parse_stat, &t, buf);
	smp_file(proc, "vmstat", smp_parse_vmstat, &t, buf);
	smp_file(proc, "loadavg", smp_parse_loadavg, &t, buf);
	if (cgroup)
		smp_take_cgroup(cgroup, &t, buf);
	else
		smp_take_psi(proc, "pressure/memory", "pressure/cpu", &t, buf);
	free(buf);
	if (!t.have)
		return -ENOENT;
	*s = t;
	return 0;
}

/* The mean of a 64-bit field (at offset off) over samples [from, n). */
static uint64_t
smp_mean64(const struct smp_sample *s, size_t from, size_t n, size_t off)
{
	unsigned __int128 sum = 0;
	uint64_t v;

	for (size_t i = from; i < n; i++) {
		memcpy(&v, (const char *)&s[i] + off, sizeof(v));
		sum += v;
	}
	return (uint64_t)((sum + (n - from) / 2) / (n - from));
}

static uint32_t
smp_mean32(const struct smp_sample *s, size_t from, size_t n, size_t off)
{
	uint64_t sum = 0;
	uint32_t v;

	for (size_t i = from; i < n; i++) {
		memcpy(&v, (const char *)&s[i] + off, sizeof(v));
		sum += v;
	}
	return (uint32_t)((sum + (n - from) / 2) / (n - from));
}

#define SMP_MEAN64(f) smp_mean64(s, from, n, offsetof(struct smp_sample, f))
#define SMP_MEAN32(f) smp_mean32(s, from, n, offsetof(struct smp_sample, f))

static void
smp_gauges(const struct smp_sample *s, size_t from, size_t n, uint32_t have, struct rpt_metrics *m)
{
	if (have & SMP_MEM) {
		m->mem_available_kb = SMP_MEAN64(mem_available_kb);
		m->mem_total_kb = SMP_MEAN64(mem_total_kb);
	}
	if (have & SMP_PROCS) {
		m->procs_running = SMP_MEAN32(procs_running);
		m->procs_blocked = SMP_MEAN32(procs_blocked);
	}
	if (have & SMP_LOAD)
		for (int i = 0; i < 3; i++)
			m->load_x100[i] = smp_mean32(s, from, n,
						     offsetof(struct smp_sample, load_x100) +
							 (size_t)i * sizeof(uint32_t));
	if (have & SMP_CG_MEM) {
		m->cg_mem_current = SMP_MEAN64(cg_mem_current);
		m->cg_mem_max = s[n - 1].cg_mem_max; /* a limit, not a level */
	}
	if (have & SMP_CG_FILE)
		m->cg_inactive_file = SMP_MEAN64(cg_inactive_file);
	if (have & SMP_PSI_MEM)
		m->psi_mem_x100 = SMP_MEAN32(psi_mem_x100);
	if (have & SMP_PSI_CPU)
		m->psi_cpu_x100 = SMP_MEAN32(psi_cpu_x100);
}

static uint32_t
smp_clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Rates between a (older) and b; a counter that went back (a cgroup made
 * again, a wrap) gives no rate.  Returns the flags of the rates set. */
static uint16_t
smp_rates(const struct smp_sample *a, const struct smp_sample *b, struct rpt_metrics *m)
{
	uint32_t both = a->have & b->have;
	uint64_t dt = b->mono_ms - a->mono_ms;
	uint16_t f = 0;

	if (b->mono_ms <= a->mono_ms)
		return 0;
	if (both & SMP_VMSTAT && b->pswpout >= a->pswpout) {
		m->swapout_x100 = smp_clamp32((b->pswpout - a->pswpout) * 100000 / dt);
		f |= RPT_HAS_SWAPOUT;
	}
	if (both & SMP_CPU && b->cpu_total > a->cpu_total && b->cpu_idle >= a->cpu_idle &&
	    b->cpu_idle - a->cpu_idle <= b->cpu_total - a->cpu_total) {
		m->cpu_idle_pm =
		    (uint32_t)((b->cpu_idle - a->cpu_idle) * 1000 / (b->cpu_total - a->cpu_total));
		f |= RPT_HAS_CPU_IDLE;
	}
	if (both & SMP_CG_CPU && b->cg_usage_usec >= a->cg_usage_usec) {
		m->cg_cpu_pm = smp_clamp32((b->cg_usage_usec - a->cg_usage_usec) / dt);
		f |= RPT_HAS_CG_CPU;
	}
	return f;
}

void
smp_window(const struct smp_sample *s, size_t n, struct rpt_metrics *m)
{
	static const uint32_t gauges =
	    SMP_MEM | SMP_PROCS | SMP_LOAD | SMP_CG_MEM | SMP_CG_FILE | SMP_PSI_MEM | SMP_PSI_CPU;
	size_t from = n > 1 ? 1 : 0;
	uint32_t have = gauges;

	memset(m, 0, sizeof(*m));
	if (n == 0)
		return;
	for (size_t i = from; i < n; i++)
		have &= s[i].have;
	smp_gauges(s, from, n, have, m);
	/* the gauge bits are the report's flags, bit for bit */
	m->flags = (uint16_t)have;
	if (n > 1)
		m->flags |= smp_rates(&s[0], &s[n - 1], m);
}
