/* The weight child's feedback in the parent: the store, the history file
 * of applied weight changes, and lvsctl weights (see feedback.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <event2/buffer.h>

#include "lvsd/core/clock.h"
#include "lvsd/core/json.h"
#include "lvsd/core/log.h"
#include "lvsd/core/names.h"
#include "lvsd/feedback/feedback.h"
#include "lvsd/lvsd.h"
#include "lvsd/writer/effective.h"

struct feedback {
	size_t *first; /* per service: index of its first real server in rs */
	struct {
		bool known;
		struct ipc_feedback_rs f;
	} * rs;
	size_t n_rs;
	uint64_t accepted;
	uint64_t drops[IPC_WT_DROPS];
	FILE *history;
	char history_path[CONF_PATH_MAX];
	bool said_history; /* could not write it: said once */
};

int
fb_reset(struct lvsd *d)
{
	const struct conf *c = d->conf;
	struct feedback *f = d->fb;
	size_t n = 0;

	if (!f && !(f = d->fb = calloc(1, sizeof(*f))))
		return -ENOMEM;
	free(f->first);
	free(f->rs);
	f->rs = NULL;
	if (!(f->first = calloc(c->n_services ? c->n_services : 1, sizeof(*f->first))))
		return -ENOMEM;
	for (size_t i = 0; i < c->n_services; i++) {
		f->first[i] = n;
		n += c->services[i].n_rs;
	}
	f->n_rs = n;
	if (!(f->rs = calloc(n ? n : 1, sizeof(*f->rs))))
		return -ENOMEM;
	if (f->history && strcmp(f->history_path, c->reports.history)) {
		fclose(f->history);
		f->history = NULL;
	}
	snprintf(f->history_path, sizeof(f->history_path), "%s", c->reports.history);
	return 0;
}

void
fb_free(struct lvsd *d)
{
	if (!d->fb)
		return;
	if (d->fb->history)
		fclose(d->fb->history);
	free(d->fb->first);
	free(d->fb->rs);
	free(d->fb);
	d->fb = NULL;
}

void
fb_counters(const struct lvsd *d, uint64_t *accepted, uint64_t *drops)
{
	*accepted = d->fb ? d->fb->accepted : 0;
	for (size_t i = 0; i < IPC_WT_DROPS; i++)
		drops[i] = d->fb ? d->fb->drops[i] : 0;
}

void
fb_apply(struct lvsd *d, const struct ipc_feedback *m)
{
	struct feedback *f = d->fb;

	if (!f || !f->rs)
		return;
	f->accepted = m->accepted;
	memcpy(f->drops, m->drops, sizeof(f->drops));
	for (uint32_t i = 0; i < m->n; i++) {
		const struct ipc_feedback_rs *r = &m->rs[i];
		size_t at;

		if (r->service_id >= d->conf->n_services ||
		    r->rs_id >= d->conf->services[r->service_id].n_rs)
			continue;
		at = f->first[r->service_id] + r->rs_id;
		f->rs[at].known = true;
		f->rs[at].f = *r;
	}
}

const struct ipc_feedback_rs *
fb_get(const struct lvsd *d, uint32_t svc, uint32_t rs)
{
	const struct feedback *f = d->fb;
	size_t at;

	if (!f || !f->rs || svc >= d->conf->n_services || rs >= d->conf->services[svc].n_rs)
		return NULL;
	at = f->first[svc] + rs;
	return f->rs[at].known ? &f->rs[at].f : NULL;
}

/* How old r's last report is, in ms (its receive time is CLOCK_MONOTONIC). */
static uint64_t
fb_report_age_ms(const struct ipc_feedback_rs *r)
{
	return lvsd_clock_ms(CLOCK_MONOTONIC) - r->report_mono_ms;
}

static const char *
fb_state_name(const struct ipc_feedback_rs *r)
{
	if (!r)
		return "none";
	return r->state <= WT_FB_EXPIRED ? wt_feedback_name((enum wt_feedback)r->state)
					 : "unknown";
}

/* ---------------------------------------------------------------- history */

/* Open (or reopen after a rotation) the history file: 0 or -errno. */
static int
fb_history_open(struct feedback *f, const struct conf *c)
{
	struct stat st;

	if (f->history && fstat(fileno(f->history), &st) == 0 &&
	    (uint64_t)st.st_size < (uint64_t)c->reports.history_max_kb * 1024)
		return 0;
	if (f->history) { /* grown past its size: keep one old file */
		char old[CONF_PATH_MAX + 4];

		fclose(f->history);
		f->history = NULL;
		snprintf(old, sizeof(old), "%s.1", f->history_path);
		if (rename(f->history_path, old) < 0)
			return -errno;
	}
	if (!(f->history = fopen(f->history_path, "ae")))
		return -errno;
	return 0;
}

/* A string as JSON: quotes, backslashes and control bytes escaped. */
static void
fb_put_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

/* The report carries a cgroup memory limit, which the policies then use
 * instead of the host's memory (wt_mem). */
static bool
fb_has_cg_limit(const struct ipc_feedback_rs *r)
{
	return r->cg_mem_max != 0 && r->cg_mem_max != RPT_UNLIMITED;
}

static uint64_t
fb_cg_used(const struct ipc_feedback_rs *r)
{
	return r->cg_mem_current < r->cg_mem_max ? r->cg_mem_current : r->cg_mem_max;
}

static void
fb_history_line(FILE *out, const struct lvsd *d, uint32_t svc, uint32_t rs, uint32_t from,
		uint32_t to)
{
	const struct conf_service *s = &d->conf->services[svc];
	const struct ipc_feedback_rs *r = fb_get(d, svc, rs);
	char name[CONF_ADDRSTRLEN + 8], ts[40];
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	conf_rs_name(&s->rs[rs], name, sizeof(name));
	fprintf(out, "{\"time\":\"%s.%03ldZ\",\"service\":", ts, now.tv_nsec / 1000000);
	fb_put_str(out, s->name);
	fprintf(out, ",\"server\":\"%s\",\"from\":%u,\"to\":%u,\"static\":%u,\"state\":\"%s\"",
		name, from, to, s->rs[rs].weight, fb_state_name(r));
	if (r && r->trim)
		fprintf(out, ",\"trim\":%.3f", r->trim / 1000.0);
	if (r && r->has_report)
		fprintf(out,
			",\"report_age_ms\":%llu,\"mem_available_kb\":%llu,\"mem_total_kb\":%llu,"
			"\"procs_running\":%u,\"procs_blocked\":%u,\"swapout_per_s\":%.2f,"
			"\"cpu_idle\":%.1f,\"psi_mem\":%.2f,\"cg_mem_current\":%llu,"
			"\"cg_mem_max\":%llu",
			(unsigned long long)fb_report_age_ms(r),
			(unsigned long long)r->mem_available_kb,
			(unsigned long long)r->mem_total_kb, r->procs_running, r->procs_blocked,
			r->swapout_x100 / 100.0, r->cpu_idle_pm / 10.0, r->psi_mem_x100 / 100.0,
			(unsigned long long)r->cg_mem_current,
			(unsigned long long)(fb_has_cg_limit(r) ? r->cg_mem_max : 0));
	fputs("}\n", out);
}

void
fb_history(struct lvsd *d, uint32_t svc, uint32_t rs, uint32_t from, uint32_t to)
{
	struct feedback *f = d->fb;
	int r;

	if (!f || !f->history_path[0])
		return;
	if ((r = fb_history_open(f, d->conf)) < 0) {
		if (!f->said_history)
			log_err("weights: cannot write the history file %s: %s", f->history_path,
				strerror(-r));
		f->said_history = true;
		return;
	}
	f->said_history = false;
	fb_history_line(f->history, d, svc, rs, from, to);
	fflush(f->history);
}

/* ---------------------------------------------------------- lvsctl weights */

static void
fb_text_rs(const struct lvsd *d, size_t i, size_t k, struct evbuffer *out)
{
	const struct conf_service *s = &d->conf->services[i];
	const struct ipc_feedback_rs *r = fb_get(d, i, k);
	char name[CONF_ADDRSTRLEN + 8], fbw[16] = "-", age[32] = "-", mem[48] = "-", trim[16] = "-";
	struct eff_view v;

	if (!eff_get(d, i, k, &v))
		return;
	conf_rs_name(&s->rs[k], name, sizeof(name));
	if (v.has_proposal)
		snprintf(fbw, sizeof(fbw), "%u", v.proposal);
	if (r && r->has_report) {
		snprintf(age, sizeof(age), "%.1fs", (double)fb_report_age_ms(r) / 1000.0);
		if (fb_has_cg_limit(r))
			/* what the policy uses: the group's room under its limit */
			snprintf(mem, sizeof(mem), "%llu/%llu MB cg",
				 (unsigned long long)((r->cg_mem_max - fb_cg_used(r)) >> 20),
				 (unsigned long long)(r->cg_mem_max >> 20));
		else
			snprintf(mem, sizeof(mem), "%llu/%llu MB",
				 (unsigned long long)(r->mem_available_kb / 1024),
				 (unsigned long long)(r->mem_total_kb / 1024));
	}
	if (r && r->trim)
		snprintf(trim, sizeof(trim), "%.3f", r->trim / 1000.0);
	evbuffer_add_printf(out, "  %-28s %8u %8s %9u  %-8s %8s  %-16s %3u %6.1f %8llu %6s\n", name,
			    v.static_weight, fbw, v.effective, fb_state_name(r), age, mem,
			    r ? r->procs_blocked : 0, r ? r->swapout_x100 / 100.0 : 0.0,
			    (unsigned long long)(r ? r->reports : 0), trim);
}

static void
fb_text_drops(const struct feedback *f, struct evbuffer *out)
{
	evbuffer_add_printf(
	    out, "reports: %llu accepted; dropped:", (unsigned long long)(f ? f->accepted : 0));
	for (unsigned i = 0; i < WT_DROP_COUNT; i++)
		evbuffer_add_printf(out, " %s %llu", wt_drop_name(i),
				    (unsigned long long)(f ? f->drops[i] : 0));
	evbuffer_add_printf(out, "\n");
}

static void
fb_json_rs(const struct lvsd *d, size_t i, size_t k, struct json *j)
{
	const struct conf_service *s = &d->conf->services[i];
	const struct ipc_feedback_rs *r = fb_get(d, i, k);
	char name[CONF_ADDRSTRLEN + 8];
	struct eff_view v;

	if (!eff_get(d, i, k, &v))
		return;
	conf_rs_name(&s->rs[k], name, sizeof(name));
	json_object_begin(j, NULL);
	json_string(j, "server", name);
	json_uint(j, "configured", v.static_weight);
	if (v.has_proposal)
		json_uint(j, "feedback", v.proposal);
	else
		json_null(j, "feedback");
	json_uint(j, "effective", v.effective);
	json_string(j, "state", fb_state_name(r));
	json_uint(j, "reports", r ? r->reports : 0);
	if (r && r->trim)
		json_double(j, "trim", r->trim / 1000.0);
	else
		json_null(j, "trim");
	if (r && r->has_report) {
		json_double(j, "report_age_s", (double)fb_report_age_ms(r) / 1000.0);
		json_object_begin(j, "metrics");
		json_uint(j, "mem_available_kb", r->mem_available_kb);
		json_uint(j, "mem_total_kb", r->mem_total_kb);
		json_uint(j, "procs_running", r->procs_running);
		json_uint(j, "procs_blocked", r->procs_blocked);
		json_double(j, "swapout_per_s", r->swapout_x100 / 100.0);
		json_double(j, "cpu_idle_percent", r->cpu_idle_pm / 10.0);
		json_double(j, "load1", r->load_x100 / 100.0);
		json_double(j, "psi_mem_some_avg10", r->psi_mem_x100 / 100.0);
		json_uint(j, "cg_mem_current", r->cg_mem_current);
		json_uint(j, "cg_mem_max", r->cg_mem_max);
		json_object_end(j);
	} else {
		json_null(j, "report_age_s");
	}
	json_object_end(j);
}

static void
fb_json(const struct lvsd *d, const char *service, struct evbuffer *out)
{
	const struct conf *c = d->conf;
	const struct feedback *f = d->fb;
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "reports");
	json_uint(&j, "accepted", f ? f->accepted : 0);
	json_object_begin(&j, "dropped");
	for (unsigned i = 0; i < WT_DROP_COUNT; i++)
		json_uint(&j, wt_drop_name(i), f ? f->drops[i] : 0);
	json_object_end(&j);
	json_object_end(&j);
	json_array_begin(&j, "services");
	for (size_t i = 0; i < c->n_services; i++) {
		if (service && strcmp(service, c->services[i].name))
			continue;
		json_object_begin(&j, NULL);
		json_string(&j, "name", c->services[i].name);
		json_string(&j, "policy", conf_policy_name(c->services[i].policy.type));
		json_array_begin(&j, "real_servers");
		for (size_t k = 0; k < c->services[i].n_rs; k++)
			fb_json_rs(d, i, k, &j);
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	evbuffer_add(out, "\n", 1);
}

int
fb_render(const struct lvsd *d, const char *service, bool json, struct evbuffer *out)
{
	const struct conf *c = d->conf;
	bool found = !service;

	for (size_t i = 0; service && i < c->n_services; i++)
		found |= !strcmp(service, c->services[i].name);
	if (!found)
		return -ENOENT;
	if (json) {
		fb_json(d, service, out);
		return 0;
	}
	fb_text_drops(d->fb, out);
	for (size_t i = 0; i < c->n_services; i++) {
		if (service && strcmp(service, c->services[i].name))
			continue;
		evbuffer_add_printf(out, "service %s (policy %s)\n", c->services[i].name,
				    conf_policy_name(c->services[i].policy.type));
		evbuffer_add_printf(out, "  %-28s %8s %8s %9s  %-8s %8s  %-16s %3s %6s %8s %6s\n",
				    "server", "config", "feedback", "effective", "state", "age",
				    "mem avail/total", "blk", "swpout", "reports", "trim");
		for (size_t k = 0; k < c->services[i].n_rs; k++)
			fb_text_rs(d, i, k, out);
	}
	return 0;
}
