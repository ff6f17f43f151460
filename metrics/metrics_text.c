/* The Prometheus text format of a snapshot (see metrics_text.h). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "lvsd/core/names.h"
#include "metrics/metrics_snap.h"
#include "metrics/metrics_text.h"

/* A label value with \, " and newline escaped, as the format asks. */
static const char *
mt_esc(const char *in, char *buf, size_t len)
{
	size_t o = 0;

	for (; *in && o + 3 < len; in++) {
		if (*in == '\\' || *in == '"') {
			buf[o++] = '\\';
			buf[o++] = *in;
		} else if (*in == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else {
			buf[o++] = *in;
		}
	}
	buf[o] = '\0';
	return buf;
}

struct mt {
	struct evbuffer *out;
	int err;
};

static void mt_printf(struct mt *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
mt_printf(struct mt *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (evbuffer_add_vprintf(t->out, fmt, ap) < 0)
		t->err = -ENOMEM;
	va_end(ap);
}

static void
mt_head(struct mt *t, const char *name, const char *type, const char *help)
{
	mt_printf(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A metric without labels. */
static void
mt_one(struct mt *t, const char *name, const char *type, const char *help, double v)
{
	mt_head(t, name, type, help);
	mt_printf(t, "%s %.17g\n", name, v);
}

static void
mt_globals(struct mt *t, const struct ipc_snap_begin *h)
{
	char d[2 * IPC_NAME_MAX + 1], v[40];

	mt_head(t, "lvsd_build_info", "gauge", "lvsd's version and this director's id.");
	mt_printf(t, "lvsd_build_info{version=\"%s\",director=\"%s\"} 1\n",
		  mt_esc(h->version, v, sizeof(v)), mt_esc(h->director, d, sizeof(d)));
	mt_one(t, "lvsd_configuration_generation", "gauge",
	       "The running configuration's generation (1 at start, +1 per reload).",
	       (double)h->generation);
	mt_one(t, "lvsd_configuration_loaded_timestamp_seconds", "gauge",
	       "When the running configuration was loaded, Unix time.", (double)h->loaded_at);
	mt_head(t, "lvsd_configuration_reloads_total", "counter",
		"Reloads since lvsd started, by result.");
	mt_printf(t, "lvsd_configuration_reloads_total{result=\"ok\"} %llu\n",
		  (unsigned long long)h->reloads);
	mt_printf(t, "lvsd_configuration_reloads_total{result=\"failed\"} %llu\n",
		  (unsigned long long)h->reloads_failed);
	mt_one(t, "lvsd_configuration_rollbacks_total", "counter",
	       "Reloads with --confirm rolled back to the generation before.",
	       (double)h->rollbacks);
	mt_one(t, "lvsd_configuration_confirm_pending", "gauge",
	       "1 while a reload --confirm waits for lvsctl confirm.", h->confirm_pending);
	mt_one(t, "lvsd_configuration_confirm_remaining_seconds", "gauge",
	       "Time left before an unconfirmed reload is rolled back (0 when none waits).",
	       h->confirm_pending ? h->confirm_left_ms / 1e3 : 0);
	mt_one(t, "lvsd_ready", "gauge",
	       "1 when the running generation's IPVS table is programmed.", h->ready);
}

static void
mt_procs(struct mt *t, const struct ipc_snap_begin *h)
{
	static const char *const names[] = {"lvsd_process_up", "lvsd_process_restarts_total",
					    "lvsd_process_loop_lag_max_seconds",
					    "lvsd_process_loop_lag_seconds"};
	static const char *const types[] = {"gauge", "counter", "gauge", "gauge"};
	static const char *const helps[] = {
	    "1 while the process runs (the parent and each child).",
	    "Times the parent restarted the child.",
	    "The longest the process's event loop was held since it started.",
	    "The longest the process's event loop was held over the last minute."};

	for (size_t k = 0; k < 4; k++) {
		mt_head(t, names[k], types[k], helps[k]);
		for (size_t i = 0; i < h->n_procs; i++) {
			const struct ipc_snap_proc *p = &h->procs[i];
			double v = k == 0   ? p->up
				   : k == 1 ? p->restarts
				   : k == 2 ? p->lag_max_us / 1e6
					    : p->lag_minute_us / 1e6;

			if (k >= 2 && !p->lag_known)
				continue;
			mt_printf(t, "%s{process=\"%s\"} %.17g\n", names[k], p->name, v);
		}
	}
}

static void
mt_ipvs(struct mt *t, const struct ipc_snap_begin *h)
{
	mt_one(t, "lvsd_ipvs_available", "gauge", "1 when the kernel has IPVS.", h->ipvs_available);
	mt_one(t, "lvsd_ipvs_applies_total", "counter",
	       "Configuration generations the IPVS writer applied.", (double)h->ipvs_applies);
	mt_one(t, "lvsd_ipvs_batches_total", "counter",
	       "Batches of IPVS changes sent to the kernel.", (double)h->ipvs_batches);
	mt_one(t, "lvsd_ipvs_operations_total", "counter", "IPVS operations the kernel accepted.",
	       (double)h->ipvs_ops);
	mt_one(t, "lvsd_ipvs_refusals_total", "counter", "IPVS operations the kernel refused.",
	       (double)h->ipvs_refused);
	mt_one(t, "lvsd_ipvs_resyncs_total", "counter",
	       "Periodic reads of the kernel's table to repair drift.", (double)h->ipvs_resyncs);
	mt_one(t, "lvsd_ipvs_resync_repairs_total", "counter",
	       "Operations resyncs sent to repair drift.", (double)h->ipvs_repairs);
	mt_one(t, "lvsd_ipvs_dumps_total", "counter", "Full reads of the kernel's IPVS table.",
	       (double)h->ipvs_dumps);
	mt_one(t, "lvsd_ipvs_weight_changes_total", "counter",
	       "Destination weight changes sent to the kernel.", (double)h->ipvs_weight_changes);
	mt_one(t, "lvsd_ipvs_services", "gauge", "IPVS services the configuration wants.",
	       (double)h->ipvs_services);
	mt_one(t, "lvsd_ipvs_services_programmed", "gauge",
	       "Of those, services the kernel has as wanted.", (double)h->ipvs_services_accepted);
	mt_one(t, "lvsd_ipvs_destinations", "gauge", "IPVS destinations the configuration wants.",
	       (double)h->ipvs_dests);
	mt_one(t, "lvsd_ipvs_destinations_programmed", "gauge",
	       "Of those, destinations the kernel has as wanted.", (double)h->ipvs_dests_accepted);
}

static void
mt_reports(struct mt *t, const struct ipc_snap_begin *h)
{
	mt_one(t, "lvsd_reports_accepted_total", "counter",
	       "Load reports accepted by the weight child since it started.",
	       (double)h->reports_accepted);
	mt_head(t, "lvsd_reports_dropped_total", "counter",
		"Load reports dropped by the weight child since it started, by reason.");
	for (unsigned r = 0; r < WT_DROP_COUNT; r++)
		mt_printf(t, "lvsd_reports_dropped_total{reason=\"%s\"} %llu\n", wt_drop_name(r),
			  (unsigned long long)h->reports_dropped[r]);
}

/* The label every series of a VRRP instance carries (not "instance":
 * Prometheus gives that name to the scraped target). */
#define MT_VRRP_LBL "vrrp_instance=\"%s\""

static void
mt_vrrp_counters(struct mt *t, const struct metrics_snap *s)
{
	char n[2 * IPC_NAME_MAX + 1];

	mt_head(t, "lvsd_vrrp_adverts_dropped_total", "counter",
		"VRRP advertisements dropped, by reason.");
	for (size_t i = 0; i < s->n_vrrp; i++)
		for (int r = 1; r < VRRP_DROP_REASONS && r < IPC_VRRP_DROPS; r++)
			mt_printf(t,
				  "lvsd_vrrp_adverts_dropped_total{" MT_VRRP_LBL
				  ",reason=\"%s\"} %u\n",
				  mt_esc(s->vrrp[i].name, n, sizeof(n)), vrrp_drop_name(r),
				  s->vrrp[i].drops[r]);
}

static void
mt_vrrp_gauge(struct mt *t, const struct metrics_snap *s, const char *name, const char *type,
	      const char *help, size_t field)
{
	char n[2 * IPC_NAME_MAX + 1];

	mt_head(t, name, type, help);
	for (size_t i = 0; i < s->n_vrrp; i++) {
		const struct ipc_snap_vrrp *v = &s->vrrp[i];
		unsigned long long val = field == 0   ? v->priority
					 : field == 1 ? v->conf_priority
					 : field == 2 ? v->transitions
					 : field == 3 ? v->adverts_sent
						      : v->adverts_received;

		mt_printf(t, "%s{" MT_VRRP_LBL "} %llu\n", name, mt_esc(v->name, n, sizeof(n)),
			  val);
	}
}

static void
mt_vrrp(struct mt *t, const struct metrics_snap *s)
{
	static const enum vrrp_st sts[] = {VRRP_INIT, VRRP_BACKUP, VRRP_MASTER, VRRP_FAULT};
	char n[2 * IPC_NAME_MAX + 1], f[2 * IPC_NAME_MAX + 1];

	mt_head(t, "lvsd_vrrp_info", "gauge", "A VRRP instance: its interface and VRID.");
	for (size_t i = 0; i < s->n_vrrp; i++)
		mt_printf(t, "lvsd_vrrp_info{" MT_VRRP_LBL ",interface=\"%s\",vrid=\"%u\"} 1\n",
			  mt_esc(s->vrrp[i].name, n, sizeof(n)),
			  mt_esc(s->vrrp[i].interface, f, sizeof(f)), s->vrrp[i].vrid);
	mt_head(t, "lvsd_vrrp_state", "gauge",
		"1 for the state the VRRP instance is in (init until the vrrp child says).");
	for (size_t i = 0; i < s->n_vrrp; i++)
		for (size_t k = 0; k < 4; k++)
			mt_printf(t, "lvsd_vrrp_state{" MT_VRRP_LBL ",state=\"%s\"} %d\n",
				  mt_esc(s->vrrp[i].name, n, sizeof(n)), vrrp_st_name(sts[k]),
				  (s->vrrp[i].known ? s->vrrp[i].state : VRRP_INIT) == sts[k]);
	mt_vrrp_gauge(t, s, "lvsd_vrrp_priority", "gauge",
		      "The instance's effective priority (tracked objects included).", 0);
	mt_vrrp_gauge(t, s, "lvsd_vrrp_configured_priority", "gauge",
		      "The instance's priority in the configuration.", 1);
	mt_vrrp_gauge(t, s, "lvsd_vrrp_transitions_total", "counter",
		      "State transitions since the vrrp child started.", 2);
	mt_vrrp_gauge(t, s, "lvsd_vrrp_adverts_sent_total", "counter", "VRRP advertisements sent.",
		      3);
	mt_vrrp_gauge(t, s, "lvsd_vrrp_adverts_received_total", "counter",
		      "VRRP advertisements received and accepted.", 4);
	mt_vrrp_counters(t, s);
}

static void
mt_services(struct mt *t, const struct metrics_snap *s)
{
	static const char *const names[] = {"lvsd_service_real_servers",
					    "lvsd_service_real_servers_up", "lvsd_service_quorum",
					    "lvsd_service_quorum_lost"};
	static const char *const helps[] = {
	    "Real servers of the service.", "Of those, real servers whose check says up.",
	    "The weight of servers not down the service needs (services with a quorum).",
	    "1 while the service is below its quorum (services with a quorum)."};
	char n[2 * IPC_NAME_MAX + 1];

	for (size_t k = 0; k < 4; k++) {
		mt_head(t, names[k], "gauge", helps[k]);
		for (size_t i = 0; i < s->n_svc; i++) {
			const struct ipc_snap_svc *v = &s->svc[i];
			unsigned long long val = k == 0	  ? v->n_rs
						 : k == 1 ? v->n_up
						 : k == 2 ? v->quorum
							  : v->quorum_lost;

			if (k >= 2 && !v->has_quorum)
				continue;
			mt_printf(t, "%s{service=\"%s\"} %llu\n", names[k],
				  mt_esc(v->name, n, sizeof(n)), val);
		}
	}
}

/* The labels of one real server: service and server. */
static const char *
mt_rs_lbl(const struct metrics_snap *s, const struct ipc_snap_rs *r, char *buf, size_t len)
{
	char n[2 * IPC_NAME_MAX + 1], a[2 * IPC_SNAP_TEXT + 1];

	snprintf(buf, len, "service=\"%s\",server=\"%s\"",
		 mt_esc(s->svc[r->svc].name, n, sizeof(n)), mt_esc(r->server, a, sizeof(a)));
	return buf;
}

enum mt_rs_field {
	MT_RS_DRAINED,
	MT_RS_W_CONF,
	MT_RS_W_FB,
	MT_RS_W_EFF,
	MT_RS_AGE,
	MT_RS_REPORTS,
	MT_RS_UP,
	MT_RS_DOWN,
	MT_RS_FIELDS
};

static void
mt_rs_plain(struct mt *t, const struct metrics_snap *s, enum mt_rs_field k)
{
	static const char *const names[] = {"lvsd_real_server_drained",
					    "lvsd_real_server_weight_configured",
					    "lvsd_real_server_weight_feedback",
					    "lvsd_real_server_weight_effective",
					    "lvsd_real_server_report_age_seconds",
					    "lvsd_real_server_reports_accepted_total",
					    "lvsd_real_server_health_transitions_total"};
	static const char *const helps[] = {
	    "1 while the operator drains the server (lvsctl drain).",
	    "The server's weight in the configuration.",
	    "The weight the service's policy proposes from the server's load reports.",
	    "The weight IPVS has for the server (0 while down or drained).",
	    "Age of the server's last accepted load report.",
	    "Load reports accepted for the server since the weight child started.",
	    "The server's health changes since lvsd started, by the state it went to."};
	char l[4 * IPC_NAME_MAX + 64];

	if (k == MT_RS_DOWN)
		return; /* under MT_RS_UP's name */
	mt_head(t, names[k > MT_RS_UP ? MT_RS_UP : k], k >= MT_RS_REPORTS ? "counter" : "gauge",
		helps[k]);
	for (size_t i = 0; i < s->n_rs; i++) {
		const struct ipc_snap_rs *r = &s->rs[i];

		mt_rs_lbl(s, r, l, sizeof(l));
		if (k == MT_RS_DRAINED)
			mt_printf(t, "%s{%s} %u\n", names[k], l, r->drained);
		else if (k == MT_RS_W_CONF)
			mt_printf(t, "%s{%s} %u\n", names[k], l, r->weight_configured);
		else if (k == MT_RS_W_FB && r->has_feedback)
			mt_printf(t, "%s{%s} %u\n", names[k], l, r->weight_feedback);
		else if (k == MT_RS_W_EFF)
			mt_printf(t, "%s{%s} %u\n", names[k], l, r->weight_effective);
		else if (k == MT_RS_AGE && r->has_report)
			mt_printf(t, "%s{%s} %.3f\n", names[k], l, r->report_age_ms / 1e3);
		else if (k == MT_RS_REPORTS)
			mt_printf(t, "%s{%s} %llu\n", names[k], l, (unsigned long long)r->reports);
		else if (k == MT_RS_UP)
			mt_printf(t, "%s{%s,to=\"up\"} %u\n%s{%s,to=\"down\"} %u\n", names[k], l,
				  r->checks_up, names[k], l, r->checks_down);
	}
}

static void
mt_rs_states(struct mt *t, const struct metrics_snap *s)
{
	static const char *const health[] = {"unknown", "up", "down"};
	char l[4 * IPC_NAME_MAX + 64];

	mt_head(t, "lvsd_real_server_health", "gauge",
		"1 for the server's health as its check says (unknown before a first result).");
	for (size_t i = 0; i < s->n_rs; i++)
		for (unsigned k = 0; k < 3; k++)
			mt_printf(t, "lvsd_real_server_health{%s,state=\"%s\"} %d\n",
				  mt_rs_lbl(s, &s->rs[i], l, sizeof(l)), health[k],
				  s->rs[i].health == k);
	mt_head(t, "lvsd_real_server_feedback_state", "gauge",
		"1 for the state of the server's load feedback.");
	for (size_t i = 0; i < s->n_rs; i++)
		for (unsigned k = WT_FB_UNKNOWN; k <= WT_FB_EXPIRED; k++)
			mt_printf(t, "lvsd_real_server_feedback_state{%s,state=\"%s\"} %d\n",
				  mt_rs_lbl(s, &s->rs[i], l, sizeof(l)),
				  wt_feedback_name((enum wt_feedback)k), s->rs[i].fb_state == k);
	mt_head(t, "lvsd_real_server_check_result", "gauge",
		"1 for the reason of the server's last check result that counted.");
	for (size_t i = 0; i < s->n_rs; i++)
		if (s->rs[i].check_reason != CHK_R_NONE)
			mt_printf(t, "lvsd_real_server_check_result{%s,reason=\"%s\"} 1\n",
				  mt_rs_lbl(s, &s->rs[i], l, sizeof(l)),
				  chk_reason_name(s->rs[i].check_reason));
}

int
metrics_text(const struct metrics_snap *s, struct evbuffer *out)
{
	struct mt t = {out, 0};

	mt_globals(&t, &s->head);
	mt_procs(&t, &s->head);
	mt_ipvs(&t, &s->head);
	mt_reports(&t, &s->head);
	mt_vrrp(&t, s);
	mt_services(&t, s);
	mt_rs_states(&t, s);
	for (int k = 0; k < MT_RS_FIELDS; k++)
		mt_rs_plain(&t, s, (enum mt_rs_field)k);
	return t.err;
}
