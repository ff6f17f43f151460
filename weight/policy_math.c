/* The arithmetic the policies share (policy_math.h). */
#include "config.h"

#include <stdlib.h>

#include "weight/policy_math.h"

bool
wt_mem(const struct wt_metrics *m, uint64_t capacity_kb, uint64_t *avail, uint64_t *total)
{
	if ((m->present & WT_M_CGROUP_MEM) && m->cg_mem_max_kb) {
		*total = m->cg_mem_max_kb;
		*avail = m->cg_mem_current_kb < m->cg_mem_max_kb
			     ? m->cg_mem_max_kb - m->cg_mem_current_kb
			     : 0;
	} else if (m->present & WT_M_MEM) {
		*total = m->mem_total_kb;
		*avail = m->mem_available_kb;
	} else {
		return false;
	}
	if (capacity_kb)
		*total = capacity_kb;
	return true;
}

static int
wt_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t
wt_median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), wt_cmp_u64);
	if (n % 2)
		return v[n / 2];
	return v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2;
}

uint32_t
wt_lerp(uint32_t a, uint32_t b, uint64_t num, uint64_t den)
{
	if (num >= den)
		return b;
	if (b >= a)
		return a + (uint32_t)((uint64_t)(b - a) * num / den);
	return a - (uint32_t)((uint64_t)(a - b) * num / den);
}
