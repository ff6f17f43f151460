/* What `lvsctl status` shows: the processes and the loaded configuration,
 * as text for people and as JSON for programs. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "lvsd/announce/announce.h"
#include "lvsd/confirm.h"
#include "lvsd/core/clock.h"
#include "lvsd/core/json.h"
#include "lvsd/core/names.h"
#include "lvsd/lvsd.h"
#include "lvsd/proc.h"
#include "lvsd/results.h"
#include "lvsd/scripts/track.h"
#include "lvsd/state/state.h"
#include "lvsd/status.h"
#include "lvsd/writer/effective.h"
#include "lvsd/writer/writer.h"

static size_t
status_n_rs(const struct conf *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n_services; i++)
		n += c->services[i].n_rs;
	return n;
}

static const char *
status_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm);
	return buf;
}

static const char *
status_duration(double s, char *buf, size_t len)
{
	unsigned long v = s < 0 ? 0 : (unsigned long)s;

	if (v < 60)
		snprintf(buf, len, "%lus", v);
	else if (v < 3600)
		snprintf(buf, len, "%lum%02lus", v / 60, v % 60);
	else if (v < 86400)
		snprintf(buf, len, "%luh%02lum", v / 3600, v / 60 % 60);
	else
		snprintf(buf, len, "%lud%02luh", v / 86400, v / 3600 % 24);
	return buf;
}

static void
status_text_child(const struct lvsd_child *c, struct evbuffer *out)
{
	char up[32];

	if (c->pid)
		evbuffer_add_printf(out, "  %-9s %-7d %-8s %-8u %-4llu %-7u %s\n", c->name,
				    (int)c->pid,
				    status_duration(lvsd_since(&c->started), up, sizeof(up)),
				    c->restarts, (unsigned long long)c->acked_generation,
				    c->n_objects, c->last_exit[0] ? c->last_exit : "-");
	else
		evbuffer_add_printf(out, "  %-9s %-7s %-8s %-8u %-4s %-7s %s\n", c->name, "-",
				    "down", c->restarts, "-", "-",
				    c->last_exit[0] ? c->last_exit : "-");
}

static void
status_text_ipvs(const struct lvsd *d, struct evbuffer *out)
{
	struct writer_stats st;

	writer_stats(d->ipvs, &st);
	if (!st.available) {
		evbuffer_add_printf(out, "  ipvs: not available in this kernel\n");
		return;
	}
	/* what the kernel accepted (its acks), of what the configuration wants */
	evbuffer_add_printf(out,
			    "  ipvs: %zu of %zu services, %zu of %zu destinations in the kernel; "
			    "last apply: %u changes, %u refused\n",
			    st.services_accepted, st.services, st.dests_accepted, st.dests,
			    st.applied_ops, st.refused);
	evbuffer_add_printf(out,
			    "  ipvs writer: %zu destinations at their weight, %zu changes pending, "
			    "%zu in flight; %llu resyncs, %llu repairs, %llu dumps (last took %.3f s)\n",
			    st.dests_weight_ok, st.pending, st.in_flight, st.resyncs, st.repairs,
			    st.dumps, st.last_dump_s);
	evbuffer_add_printf(out, "  ipvs kernel: version %u.%u.%u, connection table %u\n",
			    st.version >> 16, (st.version >> 8) & 0xff, st.version & 0xff,
			    st.conn_tab_size);
}

static void
status_json_ipvs(const struct lvsd *d, struct json *j)
{
	struct writer_stats st;

	writer_stats(d->ipvs, &st);
	json_object_begin(j, "ipvs");
	json_bool(j, "available", st.available);
	json_uint(j, "version", st.version);
	json_uint(j, "conn_tab_size", st.conn_tab_size);
	json_uint(j, "services", st.services);
	json_uint(j, "services_accepted", st.services_accepted);
	json_uint(j, "destinations", st.dests);
	json_uint(j, "destinations_accepted", st.dests_accepted);
	json_uint(j, "destinations_at_weight", st.dests_weight_ok);
	json_uint(j, "pending", st.pending);
	json_uint(j, "in_flight", st.in_flight);
	json_uint(j, "applies", st.applies);
	json_uint(j, "last_changes", st.applied_ops);
	json_uint(j, "last_refused", st.refused);
	json_uint(j, "dumps", st.dumps);
	json_double(j, "last_dump_s", st.last_dump_s);
	json_uint(j, "resyncs", st.resyncs);
	json_uint(j, "repairs", st.repairs);
	json_uint(j, "weight_changes", st.weight_changes);
	json_object_end(j);
}

/* The master's address as the vrrp child last saw it, "-" before any. */
static const char *
status_vrrp_master(const struct lvsd_vrrp *v, char *buf, size_t len)
{
	struct conf_addr a = {.family = v->last.master.family,
			      .prefix = v->last.master.family == AF_INET ? 32 : 128};

	if (!v->known || (a.family != AF_INET && a.family != AF_INET6))
		return "-";
	memcpy(&a.u, v->last.master.addr, a.family == AF_INET ? 4 : 16);
	if (a.family == AF_INET ? !a.u.v4.s_addr : IN6_IS_ADDR_UNSPECIFIED(&a.u.v6))
		return "-";
	return conf_addr_str(&a, buf, len);
}

/* "checksum 3, ttl 1" of the non-zero drop counters, "-" when none. */
static const char *
status_vrrp_drops(const struct lvsd_vrrp *v, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned r = 1; r < IPC_VRRP_DROPS && off < len; r++)
		if (v->last.drops[r])
			off += (size_t)snprintf(buf + off, len - off, "%s%s %u", off ? ", " : "",
						vrrp_drop_name((int)r), v->last.drops[r]);
	return buf[0] ? buf : "-";
}

/* Why the effective priority is what it is: the tracked objects. */
static void
status_text_track(const struct lvsd *d, size_t i, struct evbuffer *out)
{
	const struct conf_vrrp *cv = &d->conf->vrrp[i];
	char why[512];
	int32_t delta;
	bool fault;

	if (!cv->n_track_scripts && !cv->n_track_files)
		return;
	track_verdict(d, i, &delta, &fault);
	track_describe(d, i, why, sizeof(why));
	evbuffer_add_printf(out, "    tracked: priority %+d%s: %s\n", delta, fault ? ", fault" : "",
			    why);
}

/* What the vrrp child last reported per instance. */
static void
status_text_vrrp(const struct lvsd *d, struct evbuffer *out)
{
	const struct conf *c = d->conf;
	char t[32], m[CONF_ADDRSTRLEN], dr[256];

	if (!c->n_vrrp)
		return;
	evbuffer_add_printf(out, "vrrp instances\n  %-12s %-10s %-4s %-7s %-9s %-16s %-8s %s\n",
			    "NAME", "INTERFACE", "VRID", "STATE", "PRIORITY", "MASTER", "SINCE",
			    "TRANSITIONS");
	for (size_t i = 0; i < c->n_vrrp; i++) {
		const struct lvsd_vrrp *v = &d->vrrp[i];
		char prio[16];

		snprintf(prio, sizeof(prio), "%u/%u", c->vrrp[i].priority,
			 v->known ? v->priority : c->vrrp[i].priority);
		evbuffer_add_printf(out, "  %-12s %-10s %-4u %-7s %-9s %-16s %-8s %u\n",
				    c->vrrp[i].name, c->vrrp[i].interface, c->vrrp[i].vrid,
				    v->known ? vrrp_st_name((enum vrrp_st)v->state) : "unknown", prio,
				    status_vrrp_master(v, m, sizeof(m)),
				    v->known ? status_duration(lvsd_since(&v->since), t, sizeof(t))
					     : "-",
				    v->last.transitions);
		if (v->known)
			evbuffer_add_printf(out,
					    "    last: %s; adverts sent %llu, received %llu, "
					    "dropped %llu (%s)\n",
					    vrrp_why_name((enum vrrp_why)v->why),
					    (unsigned long long)v->last.adverts_sent,
					    (unsigned long long)v->last.adverts_received,
					    (unsigned long long)v->last.adverts_dropped,
					    status_vrrp_drops(v, dr, sizeof(dr)));
		status_text_track(d, i, out);
	}
}

/* The operator's weight overrides (lvsctl weight), one line each. */
static void
status_text_overrides(const struct lvsd *d, struct evbuffer *out)
{
	const struct conf *c = d->conf;
	char n[CONF_ADDRSTRLEN + 16];
	struct eff_view v;

	for (size_t i = 0; i < c->n_services; i++)
		for (size_t j = 0; j < c->services[i].n_rs; j++)
			if (eff_get(d, i, j, &v) && v.has_override)
				evbuffer_add_printf(
				    out, "  weight override: %s %s %u (effective %u)\n",
				    c->services[i].name,
				    conf_rs_endpoint(&c->services[i], &c->services[i].rs[j], n,
						   sizeof(n)),
				    v.override, v.effective);
}

static void
status_json_overrides(const struct lvsd *d, struct json *j)
{
	const struct conf *c = d->conf;
	char n[CONF_ADDRSTRLEN + 16];
	struct eff_view v;

	json_array_begin(j, "weight_overrides");
	for (size_t i = 0; i < c->n_services; i++)
		for (size_t k = 0; k < c->services[i].n_rs; k++) {
			if (!eff_get(d, i, k, &v) || !v.has_override)
				continue;
			json_object_begin(j, NULL);
			json_string(j, "service", c->services[i].name);
			json_string(
			    j, "server",
			    conf_rs_endpoint(&c->services[i], &c->services[i].rs[k], n, sizeof(n)));
			json_uint(j, "weight", v.override);
			json_uint(j, "effective", v.effective);
			json_object_end(j);
		}
	json_array_end(j);
}

static const char *
status_health_name(enum eff_health h)
{
	return h == EFF_HEALTH_UP ? "up" : h == EFF_HEALTH_DOWN ? "down" : "unknown";
}

static const struct conf_check *
status_check(const struct conf_service *s, size_t rs)
{
	return s->rs[rs].has_check ? &s->rs[rs].check : &s->check;
}

/* The widths of the service and server columns: their longest entry. */
static void
status_rs_widths(const struct conf *c, int *w_svc, int *w_srv)
{
	char n[CONF_ADDRSTRLEN + 16];

	*w_svc = 7; /* "SERVICE" */
	*w_srv = 6; /* "SERVER" */
	for (size_t i = 0; i < c->n_services; i++) {
		const struct conf_service *s = &c->services[i];

		if ((int)strlen(s->name) > *w_svc)
			*w_svc = (int)strlen(s->name);
		for (size_t k = 0; k < s->n_rs; k++)
			if ((int)strlen(conf_rs_endpoint(s, &s->rs[k], n, sizeof(n))) > *w_srv)
				*w_srv = (int)strlen(n);
	}
}

/* Real servers: check, health, time in state, the weight IPVS has and the
 * configured one (each in its own column: a policy's weights are on
 * another scale than the file's), last result. */
static void
status_text_rs(const struct lvsd *d, struct evbuffer *out)
{
	const struct conf *c = d->conf;
	char n[CONF_ADDRSTRLEN + 16], why[160], t[32];
	struct eff_view v;
	int ws, wr;

	if (!status_n_rs(c))
		return;
	status_rs_widths(c, &ws, &wr);
	evbuffer_add_printf(out, "real servers\n  %-*s %-*s %-6s %-7s %-7s %6s %6s  %s\n", ws,
			    "SERVICE", wr, "SERVER", "CHECK", "HEALTH", "FOR", "WEIGHT", "CONF",
			    "LAST RESULT");
	for (size_t i = 0; i < c->n_services; i++)
		for (size_t k = 0; k < c->services[i].n_rs; k++) {
			const struct conf_service *s = &c->services[i];

			if (!eff_get(d, i, k, &v))
				continue;
			evbuffer_add_printf(
			    out, "  %-*s %-*s %-6s %-7s %-7s %6u %6u  %s%s\n", ws, s->name, wr,
			    conf_rs_endpoint(s, &s->rs[k], n, sizeof(n)),
			    conf_check_type_name(status_check(s, k)->type),
			    status_health_name(v.health),
			    v.health == EFF_HEALTH_UNKNOWN
				? "-"
				: status_duration(lvsd_since(&v.health_since), t, sizeof(t)),
			    v.effective, v.static_weight,
			    v.drained	 ? "drained by the operator"
			    : v.restored ? "as before the restart: no check since"
			    : v.check_reason
				? lvsd_check_reason(v.check_reason, v.check_code, why, sizeof(why))
				: "-",
			    v.removed ? " (removed from the table)" : "");
		}
}

/* "198.51.100.99:80" of a service's sorry server */
static const char *
status_sorry_name(const struct conf_service *s, char *buf, size_t len)
{
	struct conf_rs so = {.addr = s->sorry.addr, .port = s->sorry.port};

	return conf_rs_endpoint(s, &so, buf, len);
}

/* Services with a sorry server: whether it is in. */
static void
status_text_sorry(const struct lvsd *d, struct evbuffer *out)
{
	const struct conf *c = d->conf;
	char n[CONF_ADDRSTRLEN + 16];
	bool on;

	for (size_t i = 0; i < c->n_services; i++)
		if (eff_sorry_get(d, i, &on))
			evbuffer_add_printf(out, "  sorry server of %s: %s %s\n",
					    c->services[i].name,
					    status_sorry_name(&c->services[i], n, sizeof(n)),
					    on ? "in (no real server takes connections)" : "out");
}

static void
status_json_sorry(const struct lvsd *d, struct json *j)
{
	const struct conf *c = d->conf;
	char n[CONF_ADDRSTRLEN + 16];
	bool on;

	json_array_begin(j, "sorry_servers");
	for (size_t i = 0; i < c->n_services; i++)
		if (eff_sorry_get(d, i, &on)) {
			json_object_begin(j, NULL);
			json_string(j, "service", c->services[i].name);
			json_string(j, "server", status_sorry_name(&c->services[i], n, sizeof(n)));
			json_bool(j, "active", on);
			json_uint(j, "weight", c->services[i].sorry.weight);
			json_object_end(j);
		}
	json_array_end(j);
}

/* Services with a quorum: whether they hold it. */
static void
status_text_quorum(const struct lvsd *d, struct evbuffer *out)
{
	const struct conf *c = d->conf;
	uint64_t alive;
	bool lost;

	for (size_t i = 0; i < c->n_services; i++)
		if (eff_quorum_get(d, i, &lost, &alive))
			evbuffer_add_printf(out, "  quorum of %s: %s (weight up %llu, quorum %u)\n",
					    c->services[i].name, lost ? "lost" : "held",
					    (unsigned long long)alive, c->services[i].quorum);
}

static void
status_json_quorum(const struct lvsd *d, struct json *j)
{
	const struct conf *c = d->conf;
	uint64_t alive;
	bool lost;

	json_array_begin(j, "quorum");
	for (size_t i = 0; i < c->n_services; i++)
		if (eff_quorum_get(d, i, &lost, &alive)) {
			json_object_begin(j, NULL);
			json_string(j, "service", c->services[i].name);
			json_bool(j, "held", !lost);
			json_uint(j, "weight_up", alive);
			json_uint(j, "quorum", c->services[i].quorum);
			json_uint(j, "hysteresis", c->services[i].quorum_hysteresis);
			json_object_end(j);
		}
	json_array_end(j);
}

static void
status_json_rs(const struct lvsd *d, struct json *j)
{
	const struct conf *c = d->conf;
	char n[CONF_ADDRSTRLEN + 16], why[160];
	struct eff_view v;

	json_array_begin(j, "real_servers");
	for (size_t i = 0; i < c->n_services; i++)
		for (size_t k = 0; k < c->services[i].n_rs; k++) {
			const struct conf_service *s = &c->services[i];

			if (!eff_get(d, i, k, &v))
				continue;
			json_object_begin(j, NULL);
			json_string(j, "service", s->name);
			json_string(j, "server", conf_rs_endpoint(s, &s->rs[k], n, sizeof(n)));
			json_string(j, "check", conf_check_type_name(status_check(s, k)->type));
			json_string(j, "health", status_health_name(v.health));
			if (v.health != EFF_HEALTH_UNKNOWN)
				json_double(j, "in_state_s", lvsd_since(&v.health_since));
			else
				json_null(j, "in_state_s");
			if (v.check_reason)
				json_string(j, "last_result", lvsd_check_reason(v.check_reason,
									v.check_code, why,
									sizeof(why)));
			else
				json_null(j, "last_result");
			json_uint(j, "results_in_a_row", v.check_count);
			json_bool(j, "drained", v.drained);
			json_bool(j, "removed", v.removed);
			json_bool(j, "health_restored", v.restored);
			json_uint(j, "weight", v.static_weight);
			json_uint(j, "effective_weight", v.effective);
			json_object_end(j);
		}
	json_array_end(j);
}

void
status_render_text(const struct lvsd *d, struct evbuffer *out)
{
	const struct conf *c = d->conf;
	char t[64], up[32];

	evbuffer_add_printf(out, "lvsd %s on director %s, pid %d, up %s\n", PACKAGE_VERSION,
			    c->global.director_id, (int)getpid(),
			    status_duration(lvsd_since(&d->started), up, sizeof(up)));
	evbuffer_add_printf(out, "configuration %s\n", d->conf_path);
	evbuffer_add_printf(out, "  generation %llu, loaded %s\n",
			    (unsigned long long)d->generation,
			    status_time(d->loaded_at, t, sizeof(t)));
	evbuffer_add_printf(out, "  %zu vrrp instances, %zu services, %zu real servers\n",
			    c->n_vrrp, c->n_services, status_n_rs(c));
	status_text_ipvs(d, out);
	status_text_overrides(d, out);
	if (d->reloads_failed)
		evbuffer_add_printf(out, "  %u failed reloads, last: %s\n", d->reloads_failed,
				    d->last_reload_error);
	confirm_status_text(d, out);
	evbuffer_add_printf(out, "processes\n  %-9s %-7s %-8s %-8s %-4s %-7s %s\n", "ROLE", "PID",
			    "UPTIME", "RESTARTS", "GEN", "OBJECTS", "LAST EXIT");
	evbuffer_add_printf(out, "  %-9s %-7d %-8s %-8s %-4llu %-7s %s\n", "lvsd", (int)getpid(),
			    up, "-", (unsigned long long)d->generation, "-", "-");
	for (int i = 0; i < LVSD_N_ROLES; i++)
		if (d->child[i].pid || proc_wanted(d, (enum lvsd_role)i))
			status_text_child(&d->child[i], out);
	evbuffer_add_printf(out, "  results dropped as of another generation: vrrp %lu, "
				 "checkers %lu, weight %lu\n",
			    d->child[LVSD_VRRP].stale, d->child[LVSD_CHECKERS].stale,
			    d->child[LVSD_WEIGHT].stale);
	status_text_vrrp(d, out);
	status_text_rs(d, out);
	status_text_quorum(d, out);
	status_text_sorry(d, out);
	announce_status_text(d, out);
	state_status_text(d, out);
}

static void
status_json_child(const struct lvsd_child *c, struct json *j)
{
	json_object_begin(j, NULL);
	json_string(j, "role", c->name);
	json_bool(j, "running", c->pid != 0);
	if (c->pid) {
		json_int(j, "pid", c->pid);
		json_double(j, "uptime_s", lvsd_since(&c->started));
		json_uint(j, "generation", c->acked_generation);
		json_uint(j, "objects", c->n_objects);
	} else {
		json_null(j, "pid");
		json_null(j, "uptime_s");
		json_null(j, "generation");
		json_null(j, "objects");
	}
	json_uint(j, "restarts", c->restarts);
	json_uint(j, "stale_results", c->stale);
	if (c->last_exit[0])
		json_string(j, "last_exit", c->last_exit);
	else
		json_null(j, "last_exit");
	json_object_end(j);
}

static void
status_json_conf(const struct lvsd *d, struct json *j)
{
	const struct conf *c = d->conf;
	char t[64];

	json_object_begin(j, "config");
	json_string(j, "file", d->conf_path);
	json_uint(j, "generation", d->generation);
	json_string(j, "loaded_at", status_time(d->loaded_at, t, sizeof(t)));
	json_int(j, "loaded_at_unix", (int64_t)d->loaded_at);
	json_uint(j, "vrrp_instances", c->n_vrrp);
	json_uint(j, "services", c->n_services);
	json_uint(j, "real_servers", status_n_rs(c));
	json_uint(j, "reloads_failed", d->reloads_failed);
	if (d->reloads_failed)
		json_string(j, "last_reload_error", d->last_reload_error);
	else
		json_null(j, "last_reload_error");
	confirm_status_json(d, j);
	json_object_end(j);
	status_json_ipvs(d, j);
}

static void
status_json_vrrp_one(const struct lvsd *d, size_t i, struct json *j)
{
	const struct conf_vrrp *cv = &d->conf->vrrp[i];
	const struct lvsd_vrrp *v = &d->vrrp[i];
	char m[CONF_ADDRSTRLEN], why[512];
	int32_t delta;
	bool fault;

	json_object_begin(j, NULL);
	json_string(j, "name", cv->name);
	json_string(j, "interface", cv->interface);
	json_uint(j, "vrid", cv->vrid);
	json_string(j, "state", v->known ? vrrp_st_name((enum vrrp_st)v->state) : "unknown");
	json_uint(j, "priority", cv->priority);
	json_uint(j, "effective_priority", v->known ? v->priority : cv->priority);
	json_string(j, "master", status_vrrp_master(v, m, sizeof(m)));
	track_verdict(d, i, &delta, &fault);
	track_describe(d, i, why, sizeof(why));
	json_int(j, "track_delta", delta);
	json_bool(j, "track_fault", fault);
	json_string(j, "tracked", why);
	if (v->known) {
		json_double(j, "in_state_s", lvsd_since(&v->since));
		json_string(j, "last_reason", vrrp_why_name((enum vrrp_why)v->why));
	} else {
		json_null(j, "in_state_s");
		json_null(j, "last_reason");
	}
	json_uint(j, "transitions", v->last.transitions);
	json_uint(j, "adverts_sent", v->last.adverts_sent);
	json_uint(j, "adverts_received", v->last.adverts_received);
	json_uint(j, "adverts_dropped", v->last.adverts_dropped);
	json_object_begin(j, "dropped_by_reason");
	for (unsigned r = 1; r < IPC_VRRP_DROPS; r++)
		if (v->last.drops[r])
			json_uint(j, vrrp_drop_name((int)r), v->last.drops[r]);
	json_object_end(j);
	json_object_end(j);
}

static void
status_json_vrrp(const struct lvsd *d, struct json *j)
{
	json_array_begin(j, "vrrp");
	for (size_t i = 0; i < d->conf->n_vrrp; i++)
		status_json_vrrp_one(d, i, j);
	json_array_end(j);
}

void
status_render_json(const struct lvsd *d, struct evbuffer *out)
{
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_string(&j, "version", PACKAGE_VERSION);
	json_string(&j, "director_id", d->conf->global.director_id);
	json_array_begin(&j, "processes");
	json_object_begin(&j, NULL);
	json_string(&j, "role", "lvsd");
	json_bool(&j, "running", true);
	json_int(&j, "pid", getpid());
	json_double(&j, "uptime_s", lvsd_since(&d->started));
	json_uint(&j, "generation", d->generation);
	json_null(&j, "objects");
	json_uint(&j, "restarts", 0);
	json_null(&j, "last_exit");
	json_object_end(&j);
	for (int i = 0; i < LVSD_N_ROLES; i++)
		if (d->child[i].pid || proc_wanted(d, (enum lvsd_role)i))
			status_json_child(&d->child[i], &j);
	json_array_end(&j);
	status_json_conf(d, &j);
	status_json_vrrp(d, &j);
	status_json_overrides(d, &j);
	status_json_rs(d, &j);
	status_json_quorum(d, &j);
	status_json_sorry(d, &j);
	announce_status_json(d, &j);
	state_status_json(d, &j);
	json_object_end(&j);
}
