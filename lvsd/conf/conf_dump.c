/* The effective configuration as YAML, every default written out, in the
 * form conf_load_buffer() reads back to an equal struct conf. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "lvsd/conf/conf_int.h"

/* A string as a plain scalar when that is unambiguous, else double-quoted. */
static void
put_str(FILE *f, const char *s)
{
	bool plain = isalnum((unsigned char)s[0]) || s[0] == '/' || s[0] == '_' || s[0] == '.';

	for (const char *p = s; plain && *p; p++)
		plain = isalnum((unsigned char)*p) || strchr("_./+@=-", *p);
	/* YAML's null words would read back as "no value" */
	if (!strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL"))
		plain = false;
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void
put_kv(FILE *f, int indent, const char *key, const char *val)
{
	fprintf(f, "%*s%s: ", indent, "", key);
	put_str(f, val);
	fputc('\n', f);
}

static void
put_ms(FILE *f, int indent, const char *key, uint64_t ms)
{
	char b[32];

	conf_fmt_ms(ms, b, sizeof(b));
	fprintf(f, "%*s%s: %s\n", indent, "", key, b);
}

static void
put_addrs(FILE *f, int indent, const char *key, const struct conf_addr *a, size_t n)
{
	char b[CONF_ADDRSTRLEN];

	fprintf(f, "%*s%s: [", indent, "", key);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", conf_addr_str(&a[i], b, sizeof(b)));
	fputs("]\n", f);
}

static void
dump_global(const struct conf *c, FILE *f)
{
	const struct conf_global *g = &c->global;
	char b[CONF_ADDRSTRLEN + 8];

	fputs("global:\n", f);
	put_kv(f, 2, "director_id", g->director_id);
	put_kv(f, 2, "control_socket", g->control_socket);
	if (g->metrics_enabled)
		fprintf(f, "  metrics: \"%s\"\n", conf_sockaddr_str(&g->metrics, b, sizeof(b)));
	else
		fputs("  metrics: false\n", f);
	put_kv(f, 2, "user", g->user);
	if (g->sync_interface[0])
		put_kv(f, 2, "sync_interface", g->sync_interface);
	fprintf(f, "  sync_id: %u\n", g->sync_id);
	put_ms(f, 2, "ipvs_resync", g->ipvs_resync_ms);
	if (g->sloppy_tcp >= 0)
		fprintf(f, "  sloppy_tcp: %s\n", g->sloppy_tcp ? "true" : "false");
	if (g->sloppy_sctp >= 0)
		fprintf(f, "  sloppy_sctp: %s\n", g->sloppy_sctp ? "true" : "false");
	put_ms(f, 2, "director_drain_wait", g->director_drain_ms);
	put_kv(f, 2, "script_user", g->script_user);
}

static void
dump_tracked(const struct conf *c, FILE *f)
{
	fputs(c->n_track_scripts ? "track_scripts:\n" : "track_scripts: {}\n", f);
	for (size_t i = 0; i < c->n_track_scripts; i++) {
		const struct conf_track_script *t = &c->track_scripts[i];

		fputs("  ", f);
		put_str(f, t->name);
		fputs(":\n", f);
		put_kv(f, 4, "script", t->script);
		put_ms(f, 4, "interval", t->interval_ms);
		put_ms(f, 4, "timeout", t->timeout_ms);
		fprintf(f, "    weight: %d\n    rise: %u\n    fall: %u\n", t->weight, t->rise,
			t->fall);
	}
	fputs(c->n_track_files ? "track_files:\n" : "track_files: {}\n", f);
	for (size_t i = 0; i < c->n_track_files; i++) {
		fputs("  ", f);
		put_str(f, c->track_files[i].name);
		fputs(":\n", f);
		put_kv(f, 4, "file", c->track_files[i].file);
		fprintf(f, "    weight: %d\n", c->track_files[i].weight);
	}
}

/* References with their effective weight, always written out. */
static void
dump_refs(const struct conf *c, const char *key, const struct conf_track_ref *r, size_t n,
	  bool files, FILE *f)
{
	fprintf(f, "    %s: [", key);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", {name: " : "{name: ", f);
		put_str(f, files ? c->track_files[r[i].id].name : c->track_scripts[r[i].id].name);
		fprintf(f, ", weight: %d}", r[i].weight);
	}
	fputs("]\n", f);
}

static void
dump_groups(const struct conf *c, FILE *f)
{
	fputs(c->n_sync_groups ? "vrrp_sync_groups:\n" : "vrrp_sync_groups: []\n", f);
	for (size_t i = 0; i < c->n_sync_groups; i++) {
		const struct conf_sync_group *g = &c->sync_groups[i];

		fputs("  - name: ", f);
		put_str(f, g->name);
		fputs("\n    instances: [", f);
		for (size_t j = 0; j < g->n_members; j++) {
			fputs(j ? ", " : "", f);
			put_str(f, c->vrrp[g->members[j]].name);
		}
		fputs("]\n", f);
		if (g->notify[0])
			put_kv(f, 4, "notify", g->notify);
	}
}

static void
dump_keys_reports(const struct conf *c, FILE *f)
{
	char b[CONF_ADDRSTRLEN + 8];

	fputs(c->n_keys ? "keys:\n" : "keys: {}\n", f);
	for (size_t i = 0; i < c->n_keys; i++) {
		fputs("  ", f);
		put_str(f, c->keys[i].name);
		fprintf(f, ":\n    type: %s\n", conf_key_type_name(c->keys[i].type));
		put_kv(f, 4, "file", c->keys[i].file);
	}
	if (!c->reports.enabled) {
		fputs("reports: false\n", f);
		return;
	}
	fprintf(f, "reports:\n  listen: \"%s\"\n",
		conf_sockaddr_str(&c->reports.listen, b, sizeof(b)));
	put_ms(f, 2, "max_skew", c->reports.max_skew_ms);
	put_ms(f, 2, "round", c->reports.round_ms);
	fprintf(f, "  rate_limit: %u\n", c->reports.rate_limit);
	if (c->reports.history[0])
		put_kv(f, 2, "history", c->reports.history);
	fprintf(f, "  history_max_kb: %u\n", c->reports.history_max_kb);
}

static void
dump_vrrp(const struct conf *c, const struct conf_vrrp *v, FILE *f)
{
	fputs("  - name: ", f);
	put_str(f, v->name);
	fputc('\n', f);
	put_kv(f, 4, "interface", v->interface);
	fprintf(f, "    vrid: %u\n    version: %u\n    priority: %u\n", v->vrid, v->version,
		v->priority);
	put_ms(f, 4, "advert_interval", v->advert_interval_ms);
	fprintf(f, "    preempt: %s\n", v->preempt ? "true" : "false");
	put_ms(f, 4, "preempt_delay", v->preempt_delay_ms);
	put_addrs(f, 4, "virtual_addresses", v->vips, v->n_vips);
	put_addrs(f, 4, "unicast_peers", v->unicast_peers, v->n_unicast_peers);
	if (v->unicast_source.family) {
		char b[CONF_ADDRSTRLEN];

		put_kv(f, 4, "unicast_source", conf_addr_str(&v->unicast_source, b, sizeof(b)));
	}
	fprintf(f, "    announce_repeat: %u\n", v->announce_repeat);
	put_ms(f, 4, "announce_interval", v->announce_interval_ms);
	fprintf(f, "    strict: %s\n", v->strict ? "true" : "false");
	fputs("    track_interfaces: [", f);
	for (size_t i = 0; i < v->n_track_interfaces; i++) {
		fputs(i ? ", " : "", f);
		put_str(f, v->track_interfaces[i]);
	}
	fputs("]\n", f);
	if (v->notify[0])
		put_kv(f, 4, "notify", v->notify);
	dump_refs(c, "track_scripts", v->track_scripts, v->n_track_scripts, false, f);
	dump_refs(c, "track_files", v->track_files, v->n_track_files, true, f);
}

static void
dump_check(const struct conf_check *k, int in, FILE *f)
{
	bool http = k->type == CONF_CHECK_HTTP || k->type == CONF_CHECK_HTTPS;

	fprintf(f, "%*scheck:\n%*stype: %s\n", in, "", in + 2, "", conf_check_type_name(k->type));
	put_ms(f, in + 2, "interval", k->interval_ms);
	put_ms(f, in + 2, "timeout", k->timeout_ms);
	fprintf(f, "%*srise: %u\n%*sfall: %u\n", in + 2, "", k->rise, in + 2, "", k->fall);
	if (k->port)
		fprintf(f, "%*sport: %u\n", in + 2, "", k->port);
	if (http) {
		put_kv(f, in + 2, "path", k->path);
		fprintf(f, "%*sstatus: %u\n", in + 2, "", k->status);
		if (k->digest[0])
			put_kv(f, in + 2, "digest", k->digest);
		if (k->host[0])
			put_kv(f, in + 2, "host", k->host);
		if (k->expect[0])
			put_kv(f, in + 2, "expect", k->expect);
	}
	if (k->type == CONF_CHECK_HTTPS && k->sni[0])
		put_kv(f, in + 2, "sni", k->sni);
	if (k->type == CONF_CHECK_HTTPS && k->ca_file[0])
		put_kv(f, in + 2, "ca_file", k->ca_file);
	if (k->slow_start_ms)
		put_ms(f, in + 2, "slow_start", k->slow_start_ms);
	fprintf(f, "%*sretries: %u\n", in + 2, "", k->retries);
	put_ms(f, in + 2, "retry_delay", k->retry_delay_ms);
	if (k->source.family) {
		char b[CONF_ADDRSTRLEN];

		put_kv(f, in + 2, "source", conf_addr_str(&k->source, b, sizeof(b)));
	}
	if (k->type == CONF_CHECK_SCRIPT)
		put_kv(f, in + 2, "script", k->script);
}

static void
dump_policy(const struct conf_policy_params *p, FILE *f)
{
	fprintf(f, "    weight_policy:\n      type: %s\n", conf_policy_name(p->type));
	if (p->type == CONF_POLICY_DAMPED)
		fprintf(f,
			"      max_step: %u\n      smoothing: %u\n      band: %u\n"
			"      write_threshold: %u\n      integral: %u\n",
			p->max_step, p->smoothing, p->band, p->write_threshold, p->integral);
	if (p->type == CONF_POLICY_PAPER1 || p->type == CONF_POLICY_PAPER2)
		fprintf(f, "      mem_per_process: %u\n", p->mem_per_proc_kb);
	if (p->type == CONF_POLICY_PAPER2)
		fprintf(f, "      conns_per_min: %u\n", p->conns_per_min);
	if (p->type == CONF_POLICY_STATIC)
		return;
	put_ms(f, 6, "warmup", p->warmup_ms);
	put_ms(f, 6, "stale_after", p->stale_after_ms);
	put_ms(f, 6, "expire_after", p->expire_after_ms);
}

static void
dump_rs(const struct conf *c, const struct conf_rs *rs, FILE *f)
{
	char b[CONF_ADDRSTRLEN];

	fprintf(f, "      - address: \"%s\"\n", conf_addr_str(&rs->addr, b, sizeof(b)));
	if (rs->port)
		fprintf(f, "        port: %u\n", rs->port);
	fprintf(f, "        weight: %u\n        upper_threshold: %u\n        lower_threshold: %u\n",
		rs->weight, rs->u_threshold, rs->l_threshold);
	if (rs->key >= 0 && (size_t)rs->key < c->n_keys && rs->key2 >= 0 &&
	    (size_t)rs->key2 < c->n_keys)
	{
		fputs("        agent_key: [", f);
		put_str(f, c->keys[rs->key].name);
		fputs(", ", f);
		put_str(f, c->keys[rs->key2].name);
		fputs("]\n", f);
	}
	else if (rs->key >= 0 && (size_t)rs->key < c->n_keys)
		put_kv(f, 8, "agent_key", c->keys[rs->key].name);
	if (rs->has_check)
		dump_check(&rs->check, 8, f);
}

/* A real server's on_down when it is not its service's (it inherits). */
static void
dump_rs_on_down(const struct conf_service *s, const struct conf_rs *rs, FILE *f)
{
	if (rs->on_down != s->on_down)
		fprintf(f, "        on_down: %s\n", conf_on_down_name(rs->on_down));
}

static void
dump_sorry(const struct conf_sorry *so, FILE *f)
{
	char b[CONF_ADDRSTRLEN];

	fprintf(f, "    sorry_server:\n      address: \"%s\"\n",
		conf_addr_str(&so->addr, b, sizeof(b)));
	if (so->port)
		fprintf(f, "      port: %u\n", so->port);
	fprintf(f, "      forwarding: %s\n      weight: %u\n", conf_fwd_name(so->forwarding),
		so->weight);
}

static void
dump_quorum(const struct conf_service *s, FILE *f)
{
	if (!s->quorum)
		return;
	fprintf(f, "    quorum: %u\n    quorum_hysteresis: %u\n", s->quorum, s->quorum_hysteresis);
	if (s->quorum_up[0])
		put_kv(f, 4, "quorum_up", s->quorum_up);
	if (s->quorum_down[0])
		put_kv(f, 4, "quorum_down", s->quorum_down);
}

static void
dump_service(const struct conf *c, const struct conf_service *s, FILE *f)
{
	char b[CONF_ADDRSTRLEN];

	fputs("  - name: ", f);
	put_str(f, s->name);
	fputc('\n', f);
	if (s->fwmark)
		fprintf(f, "    fwmark: %u\n", s->fwmark);
	else
		fprintf(f, "    address: \"%s\"\n    port: %u\n",
			conf_addr_str(&s->addr, b, sizeof(b)), s->port);
	fprintf(f, "    protocol: %s\n    scheduler: %s\n    forwarding: %s\n",
		conf_proto_name(s->proto), s->scheduler, conf_fwd_name(s->forwarding));
	if (s->sched_flags) {
		const char *sep = "";

		fputs("    scheduler_flags: [", f);
		for (uint32_t fl = CONF_SCHED_FLAG_1; fl <= CONF_SCHED_FLAG_3; fl <<= 1)
			if (s->sched_flags & fl) {
				fprintf(f, "%s%s", sep, conf_sched_flag_name(s, fl));
				sep = ", ";
			}
		fputs("]\n", f);
	}
	if (s->forwarding == CONF_FWD_TUNNEL)
		fprintf(f, "    tunnel_type: %s\n", conf_tun_name(s->tunnel_type));
	if (s->forwarding == CONF_FWD_TUNNEL && s->tunnel_type == CONF_TUN_GUE)
		fprintf(f, "    tunnel_port: %u\n", s->tun_port);
	if (s->forwarding == CONF_FWD_TUNNEL && s->tunnel_type != CONF_TUN_IPIP)
		fprintf(f, "    tunnel_checksum: %s\n", conf_tun_csum_name(s->tun_csum));
	if (s->persistent) {
		struct conf_addr nm = s->persistence_netmask;

		nm.prefix = nm.family == AF_INET ? 32 : 128;
		fprintf(f, "    persistence:\n      timeout: %us\n      netmask: \"%s\"\n",
			s->persistence_timeout_s, conf_addr_str(&nm, b, sizeof(b)));
	} else {
		fputs("    persistence: false\n", f);
	}
	dump_quorum(s, f);
	fprintf(f, "    on_down: %s\n", conf_on_down_name(s->on_down));
	dump_check(&s->check, 4, f);
	dump_policy(&s->policy, f);
	fputs(s->n_rs ? "    real_servers:\n" : "    real_servers: []\n", f);
	for (size_t i = 0; i < s->n_rs; i++) {
		dump_rs(c, &s->rs[i], f);
		dump_rs_on_down(s, &s->rs[i], f);
	}
	if (s->has_sorry)
		dump_sorry(&s->sorry, f);
	if (s->has_announce)
		fprintf(f, "    announce:\n      table: %u\n      min_up: %u\n", s->announce.table,
			s->announce.min_up);
}

int
conf_dump(const struct conf *c, FILE *f)
{
	fputs("# lvsd effective configuration: every default written out\n", f);
	dump_global(c, f);
	dump_keys_reports(c, f);
	dump_tracked(c, f);
	fputs(c->n_vrrp ? "vrrp:\n" : "vrrp: []\n", f);
	for (size_t i = 0; i < c->n_vrrp; i++)
		dump_vrrp(c, &c->vrrp[i], f);
	dump_groups(c, f);
	fputs(c->n_services ? "services:\n" : "services: []\n", f);
	for (size_t i = 0; i < c->n_services; i++)
		dump_service(c, &c->services[i], f);
	if (fflush(f) == EOF || ferror(f))
		return -EIO;
	return 0;
}
