/* lvs-agent --print: a report as "name value" lines, then an empty line.
 * An absent metric prints as "-". */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "weight/agent.h"

static void
agent_print_u64(FILE *f, const char *name, bool has, uint64_t v)
{
	if (has)
		fprintf(f, "%s %" PRIu64 "\n", name, v);
	else
		fprintf(f, "%s -\n", name);
}

/* A value x 100 as a decimal with two places. */
static void
agent_print_x100(FILE *f, const char *name, bool has, uint32_t v)
{
	if (has)
		fprintf(f, "%s %u.%02u\n", name, v / 100, v % 100);
	else
		fprintf(f, "%s -\n", name);
}

static void
agent_print_metrics(FILE *f, const struct rpt_metrics *m)
{
	uint16_t h = m->flags;

	agent_print_u64(f, "mem_available_kb", h & RPT_HAS_MEM, m->mem_available_kb);
	agent_print_u64(f, "mem_total_kb", h & RPT_HAS_MEM, m->mem_total_kb);
	agent_print_u64(f, "procs_running", h & RPT_HAS_PROCS, m->procs_running);
	agent_print_u64(f, "procs_blocked", h & RPT_HAS_PROCS, m->procs_blocked);
	agent_print_x100(f, "swapout_pages_per_s", h & RPT_HAS_SWAPOUT, m->swapout_x100);
	agent_print_u64(f, "cpu_idle_permille", h & RPT_HAS_CPU_IDLE, m->cpu_idle_pm);
	agent_print_x100(f, "load1", h & RPT_HAS_LOAD, m->load_x100[0]);
	agent_print_x100(f, "load5", h & RPT_HAS_LOAD, m->load_x100[1]);
	agent_print_x100(f, "load15", h & RPT_HAS_LOAD, m->load_x100[2]);
	agent_print_u64(f, "cg_memory_current", h & RPT_HAS_CG_MEM, m->cg_mem_current);
	if (h & RPT_HAS_CG_MEM && m->cg_mem_max == RPT_UNLIMITED)
		fprintf(f, "cg_memory_max max\n");
	else
		agent_print_u64(f, "cg_memory_max", h & RPT_HAS_CG_MEM, m->cg_mem_max);
	agent_print_u64(f, "cg_inactive_file", h & RPT_HAS_CG_FILE, m->cg_inactive_file);
	agent_print_u64(f, "cg_cpu_permille", h & RPT_HAS_CG_CPU, m->cg_cpu_pm);
	agent_print_x100(f, "psi_memory_some_avg10", h & RPT_HAS_PSI_MEM, m->psi_mem_x100);
	agent_print_x100(f, "psi_cpu_some_avg10", h & RPT_HAS_PSI_CPU, m->psi_cpu_x100);
}

void
agent_print(FILE *f, const struct rpt_report *r, int len)
{
	char id[64];

	agent_server_str(&r->server, id, sizeof(id));
	fprintf(f, "server %s\nboot_id ", id);
	for (size_t i = 0; i < sizeof(r->boot_id); i++)
		fprintf(f, "%02x", r->boot_id[i]);
	fprintf(f, "\nseq %" PRIu64 "\ntime_ns %" PRIu64 "\nwindow_ms %u\n", r->seq, r->time_ns,
		r->window_ms);
	if (len > 0)
		fprintf(f, "signature %s\nlength %d\n", rpt_sig_name(r->sig), len);
	else
		fprintf(f, "signature none\nlength -\n");
	agent_print_metrics(f, &r->m);
	fprintf(f, "\n");
	fflush(f);
}
