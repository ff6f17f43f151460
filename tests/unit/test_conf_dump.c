/* conf_dump(): the effective configuration loads back to the same thing.
 * Each document is loaded, dumped, reloaded and dumped again; the two dumps
 * must be identical and the two structs equal field by field. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lvsd/conf/conf.h"

static char *
dump(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(conf_dump(c, f), 0);
	fclose(f);
	return buf;
}

static struct conf *
load(const char *name, const char *doc)
{
	struct conf *c = NULL;
	struct conf_error err;
	char line[1024];

	if (conf_load_buffer(name, doc, strlen(doc), &c, &err) < 0) {
		conf_error_format(&err, line, sizeof(line));
		print_message("# %s\n# document:\n%s\n", line, doc);
		fail();
	}
	return c;
}

static void
same_addr(const struct conf_addr *a, const struct conf_addr *b)
{
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->prefix, b->prefix);
	assert_true(conf_addr_same(a, b));
}

static void
same_check(const struct conf_check *a, const struct conf_check *b)
{
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->interval_ms, b->interval_ms);
	assert_int_equal(a->timeout_ms, b->timeout_ms);
	assert_int_equal(a->rise, b->rise);
	assert_int_equal(a->fall, b->fall);
	assert_int_equal(a->port, b->port);
	assert_string_equal(a->path, b->path);
	assert_int_equal(a->status, b->status);
	assert_string_equal(a->digest, b->digest);
	assert_string_equal(a->script, b->script);
	assert_int_equal(a->retries, b->retries);
	assert_int_equal(a->retry_delay_ms, b->retry_delay_ms);
	assert_int_equal(a->source.family, b->source.family);
	assert_memory_equal(&a->source.u, &b->source.u, sizeof(a->source.u));
	assert_string_equal(a->host, b->host);
	assert_string_equal(a->expect, b->expect);
	assert_string_equal(a->sni, b->sni);
	assert_string_equal(a->ca_file, b->ca_file);
	assert_int_equal(a->slow_start_ms, b->slow_start_ms);
}

static void
same_policy(const struct conf_policy_params *a, const struct conf_policy_params *b)
{
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->mem_per_proc_kb, b->mem_per_proc_kb);
	assert_int_equal(a->conns_per_min, b->conns_per_min);
	assert_int_equal(a->max_step, b->max_step);
	assert_int_equal(a->smoothing, b->smoothing);
	assert_int_equal(a->band, b->band);
	assert_int_equal(a->write_threshold, b->write_threshold);
	assert_int_equal(a->integral, b->integral);
	assert_int_equal(a->warmup_ms, b->warmup_ms);
	assert_int_equal(a->stale_after_ms, b->stale_after_ms);
	assert_int_equal(a->expire_after_ms, b->expire_after_ms);
}

static void
same_vrrp(const struct conf_vrrp *a, const struct conf_vrrp *b)
{
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->interface, b->interface);
	assert_int_equal(a->vrid, b->vrid);
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->advert_interval_ms, b->advert_interval_ms);
	assert_int_equal(a->preempt, b->preempt);
	assert_int_equal(a->preempt_delay_ms, b->preempt_delay_ms);
	assert_int_equal(a->n_vips, b->n_vips);
	for (size_t i = 0; i < a->n_vips; i++)
		same_addr(&a->vips[i], &b->vips[i]);
	assert_int_equal(a->n_unicast_peers, b->n_unicast_peers);
	for (size_t i = 0; i < a->n_unicast_peers; i++)
		same_addr(&a->unicast_peers[i], &b->unicast_peers[i]);
	assert_int_equal(a->n_track_interfaces, b->n_track_interfaces);
	for (size_t i = 0; i < a->n_track_interfaces; i++)
		assert_string_equal(a->track_interfaces[i], b->track_interfaces[i]);
	assert_string_equal(a->notify, b->notify);
	assert_int_equal(a->sync_group, b->sync_group);
	assert_int_equal(a->n_track_scripts, b->n_track_scripts);
	for (size_t i = 0; i < a->n_track_scripts; i++) {
		assert_int_equal(a->track_scripts[i].id, b->track_scripts[i].id);
		assert_int_equal(a->track_scripts[i].weight, b->track_scripts[i].weight);
	}
	assert_int_equal(a->n_track_files, b->n_track_files);
	for (size_t i = 0; i < a->n_track_files; i++) {
		assert_int_equal(a->track_files[i].id, b->track_files[i].id);
		assert_int_equal(a->track_files[i].weight, b->track_files[i].weight);
	}
}

static void
same_tracked(const struct conf *a, const struct conf *b)
{
	assert_string_equal(a->global.script_user, b->global.script_user);
	assert_int_equal(a->n_track_scripts, b->n_track_scripts);
	for (size_t i = 0; i < a->n_track_scripts; i++) {
		const struct conf_track_script *x = &a->track_scripts[i], *y = &b->track_scripts[i];

		assert_string_equal(x->name, y->name);
		assert_string_equal(x->script, y->script);
		assert_int_equal(x->interval_ms, y->interval_ms);
		assert_int_equal(x->timeout_ms, y->timeout_ms);
		assert_int_equal(x->weight, y->weight);
		assert_int_equal(x->rise, y->rise);
		assert_int_equal(x->fall, y->fall);
	}
	assert_int_equal(a->n_track_files, b->n_track_files);
	for (size_t i = 0; i < a->n_track_files; i++) {
		assert_string_equal(a->track_files[i].name, b->track_files[i].name);
		assert_string_equal(a->track_files[i].file, b->track_files[i].file);
		assert_int_equal(a->track_files[i].weight, b->track_files[i].weight);
	}
	assert_int_equal(a->n_sync_groups, b->n_sync_groups);
	for (size_t i = 0; i < a->n_sync_groups; i++) {
		const struct conf_sync_group *x = &a->sync_groups[i], *y = &b->sync_groups[i];

		assert_string_equal(x->name, y->name);
		assert_string_equal(x->notify, y->notify);
		assert_int_equal(x->n_members, y->n_members);
		for (size_t j = 0; j < x->n_members; j++)
			assert_int_equal(x->members[j], y->members[j]);
	}
}

static void
same_service(const struct conf_service *a, const struct conf_service *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->fwmark, b->fwmark);
	assert_int_equal(a->family, b->family);
	if (!a->fwmark)
		same_addr(&a->addr, &b->addr);
	assert_int_equal(a->port, b->port);
	assert_int_equal(a->proto, b->proto);
	assert_string_equal(a->scheduler, b->scheduler);
	assert_int_equal(a->sched_flags, b->sched_flags);
	assert_int_equal(a->forwarding, b->forwarding);
	assert_int_equal(a->tunnel_type, b->tunnel_type);
	assert_int_equal(a->tun_port, b->tun_port);
	assert_int_equal(a->quorum, b->quorum);
	assert_int_equal(a->quorum_hysteresis, b->quorum_hysteresis);
	assert_string_equal(a->quorum_up, b->quorum_up);
	assert_string_equal(a->quorum_down, b->quorum_down);
	assert_int_equal(a->on_down, b->on_down);
	assert_int_equal(a->has_sorry, b->has_sorry);
	if (a->has_sorry) {
		same_addr(&a->sorry.addr, &b->sorry.addr);
		assert_int_equal(a->sorry.port, b->sorry.port);
		assert_int_equal(a->sorry.forwarding, b->sorry.forwarding);
		assert_int_equal(a->sorry.weight, b->sorry.weight);
	}
	assert_int_equal(a->has_announce, b->has_announce);
	assert_int_equal(a->announce.table, b->announce.table);
	assert_int_equal(a->announce.min_up, b->announce.min_up);
	assert_int_equal(a->tun_csum, b->tun_csum);
	assert_int_equal(a->persistent, b->persistent);
	assert_int_equal(a->persistence_timeout_s, b->persistence_timeout_s);
	if (a->persistent)
		same_addr(&a->persistence_netmask, &b->persistence_netmask);
	same_check(&a->check, &b->check);
	same_policy(&a->policy, &b->policy);
	assert_int_equal(a->n_rs, b->n_rs);
	for (size_t i = 0; i < a->n_rs; i++) {
		const struct conf_rs *x = &a->rs[i], *y = &b->rs[i];

		same_addr(&x->addr, &y->addr);
		assert_int_equal(x->port, y->port);
		assert_int_equal(x->weight, y->weight);
		assert_int_equal(x->u_threshold, y->u_threshold);
		assert_int_equal(x->l_threshold, y->l_threshold);
		assert_int_equal(x->key, y->key);
		assert_int_equal(x->has_check, y->has_check);
		same_check(&x->check, &y->check);
		assert_int_equal(x->on_down, y->on_down);
	}
}

static void
same_conf(const struct conf *a, const struct conf *b)
{
	assert_string_equal(a->global.director_id, b->global.director_id);
	assert_string_equal(a->global.control_socket, b->global.control_socket);
	assert_int_equal(a->global.metrics_enabled, b->global.metrics_enabled);
	same_addr(&a->global.metrics.addr, &b->global.metrics.addr);
	assert_int_equal(a->global.metrics.port, b->global.metrics.port);
	assert_string_equal(a->global.user, b->global.user);
	assert_string_equal(a->global.sync_interface, b->global.sync_interface);
	assert_int_equal(a->global.sync_id, b->global.sync_id);
	assert_int_equal(a->global.ipvs_resync_ms, b->global.ipvs_resync_ms);
	assert_int_equal(a->global.sloppy_tcp, b->global.sloppy_tcp);
	assert_int_equal(a->global.director_drain_ms, b->global.director_drain_ms);
	assert_int_equal(a->reports.round_ms, b->reports.round_ms);
	assert_int_equal(a->reports.rate_limit, b->reports.rate_limit);
	assert_string_equal(a->reports.history, b->reports.history);
	assert_int_equal(a->reports.history_max_kb, b->reports.history_max_kb);
	for (size_t i = 0; i < a->n_services; i++)
		for (size_t j = 0; j < a->services[i].n_rs; j++) {
			assert_int_equal(a->services[i].rs[j].key, b->services[i].rs[j].key);
			assert_int_equal(a->services[i].rs[j].key2, b->services[i].rs[j].key2);
		}
	assert_int_equal(a->global.sloppy_sctp, b->global.sloppy_sctp);
	assert_int_equal(a->reports.enabled, b->reports.enabled);
	same_addr(&a->reports.listen.addr, &b->reports.listen.addr);
	assert_int_equal(a->reports.listen.port, b->reports.listen.port);
	assert_int_equal(a->reports.max_skew_ms, b->reports.max_skew_ms);
	assert_int_equal(a->n_keys, b->n_keys);
	for (size_t i = 0; i < a->n_keys; i++) {
		assert_string_equal(a->keys[i].name, b->keys[i].name);
		assert_int_equal(a->keys[i].type, b->keys[i].type);
		assert_string_equal(a->keys[i].file, b->keys[i].file);
	}
	same_tracked(a, b);
	assert_int_equal(a->n_vrrp, b->n_vrrp);
	for (size_t i = 0; i < a->n_vrrp; i++)
		same_vrrp(&a->vrrp[i], &b->vrrp[i]);
	assert_int_equal(a->n_services, b->n_services);
	for (size_t i = 0; i < a->n_services; i++)
		same_service(&a->services[i], &b->services[i]);
}

/* load -> dump -> load -> dump: equal dumps, equal structs.  Returns the first dump. */
static char *
round_trip(const char *name, const char *doc)
{
	struct conf *c1 = load(name, doc), *c2;
	char *d1 = dump(c1), *d2;

	c2 = load("dump", d1);
	d2 = dump(c2);
	assert_string_equal(d1, d2);
	same_conf(c1, c2);
	conf_free(c1);
	conf_free(c2);
	free(d2);
	return d1;
}

static char *
slurp(const char *rel)
{
	const char *top = getenv("abs_top_srcdir");
	char path[1024];
	char *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	f = fopen(path, "r");
	if (!f)
		print_message("# cannot open %s (set abs_top_srcdir)\n", path);
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void
test_examples(void **state)
{
	static const char *const files[] = {"etc/lvsd-pair-a.yaml", "etc/lvsd-pair-b.yaml",
					    "etc/lvsd-paper.yaml"};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *doc = slurp(files[i]);
		char *d = round_trip(files[i], doc);

		free(d);
		free(doc);
	}
}

/* What the examples promise: a pair that differs only in who leads. */
static void
test_pair_agrees(void **state)
{
	char *da = slurp("etc/lvsd-pair-a.yaml"), *db = slurp("etc/lvsd-pair-b.yaml");
	struct conf *a = load("a", da), *b = load("b", db);

	assert_int_equal(a->n_vrrp, 1);
	assert_int_equal(a->vrrp[0].vrid, b->vrrp[0].vrid);
	assert_true(a->vrrp[0].priority > b->vrrp[0].priority);
	assert_int_equal(a->n_services, 1);
	assert_int_equal(a->services[0].forwarding, CONF_FWD_TUNNEL);
	assert_int_equal(a->services[0].n_rs, 3);
	assert_int_equal(a->services[0].check.type, CONF_CHECK_HTTP);
	assert_int_equal(a->services[0].policy.type, CONF_POLICY_DAMPED);
	b->vrrp[0].priority = a->vrrp[0].priority;
	memcpy(b->global.director_id, a->global.director_id, sizeof(a->global.director_id));
	memcpy(b->vrrp[0].unicast_peers, a->vrrp[0].unicast_peers, sizeof(struct conf_addr));
	same_conf(a, b);
	conf_free(a);
	conf_free(b);
	free(da);
	free(db);
}

static void
test_paper(void **state)
{
	char *doc = slurp("etc/lvsd-paper.yaml");
	struct conf *c = load("paper", doc);

	assert_int_equal(c->n_vrrp, 0);
	assert_int_equal(c->n_services, 1);
	assert_int_equal(c->services[0].n_rs, 2);
	assert_int_equal(c->services[0].policy.type, CONF_POLICY_PAPER2);
	assert_int_equal(c->services[0].policy.mem_per_proc_kb, 3500);
	conf_free(c);
	free(doc);
}

/* Every default is written out, so the dump says what runs. */
static void
test_defaults_written(void **state)
{
	char *d = round_trip("min", "services:\n  - {address: 192.0.2.1, port: 80, real_servers: "
				    "[{address: 198.51.100.1}]}\n");
	static const char *const want[] = {
	    "control_socket: /run/lvsd/lvsd.sock",
	    "metrics: false",
	    "user: lvsd",
	    "reports: false",
	    "protocol: tcp",
	    "scheduler: wrr",
	    "forwarding: tunnel",
	    "tunnel_type: ipip",
	    "persistence: false",
	    "type: tcp",
	    "interval: 2s",
	    "timeout: 1s",
	    "rise: 2",
	    "fall: 3",
	    "type: damped",
	    "max_step: 10",
	    "smoothing: 30",
	    "band: 4",
	    "write_threshold: 5",
	    "integral: 50",
	    "warmup: 1m",
	    "stale_after: 3m",
	    "expire_after: 10m",
	    "port: 80",
	    "weight: 1",
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!strstr(d, want[i]))
			print_message("# missing '%s' in:\n%s", want[i], d);
		assert_non_null(strstr(d, want[i]));
	}
	free(d);
}

/* Everything away from its default, IPv6, fwmark, overrides, odd strings. */
static const char rich[] =
    "global:\n"
    "  director_id: \"dir #1: main\"\n"
    "  control_socket: /tmp/lvsd test.sock\n"
    "  metrics: \"[2001:db8::1]:9100\"\n"
    "  user: lvsd\n"
    "  sync_interface: eth9\n"
    "  sync_id: 200\n"
    "  ipvs_resync: 0\n"
    "  sloppy_tcp: yes\n"
    "  sloppy_sctp: false\n"
    "  director_drain_wait: 1500ms\n"
    "keys:\n"
    "  \"a key\": {type: hmac, file: /etc/lvsd/a}\n"
    "  b: {file: /etc/lvsd/b}\n"
    "  \"null\": {file: /etc/lvsd/null}\n"
    "reports: {listen: \"[::]:7000\", max_skew: 1500ms, round: 250ms, rate_limit: 7,\n"
    "          history: /var/lib/lvsd/weights.jsonl, history_max_kb: 64}\n"
    "vrrp:\n"
    "  - name: one\n    interface: eth0\n    vrid: 1\n    version: 2\n    priority: 255\n"
    "    advert_interval: 3s\n    preempt: no\n    preempt_delay: 90s\n"
    "    virtual_addresses: [192.0.2.10, 192.0.2.11/25]\n"
    "    unicast_peers: [198.51.100.2, 198.51.100.3]\n"
    "    track_interfaces: [eth1, eth2]\n    notify: /usr/local/bin/notify \"x\"\n"
    "  - interface: eth0\n    vrid: 1\n    advert_interval: 120ms\n"
    "    virtual_addresses: [2001:db8::10/64]\n"
    "services:\n"
    "  - address: 2001:db8::10\n    port: 443\n    protocol: sctp\n    scheduler: mh\n"
    "    scheduler_flags: [mh-port, flag-3]\n"
    "    tunnel_type: gre\n    persistence: {timeout: 2h, netmask: \"ffff:ffff:ffff::\"}\n"
    "    quorum: 3\n    quorum_hysteresis: 1\n"
    "    quorum_up: /usr/local/bin/q \"up 1\"\n    quorum_down: /usr/local/bin/q down\n"
    "    on_down: remove\n"
    "    announce: {table: 4000000000, min_up: 2}\n"
    "    sorry_server: {address: \"2001:db8::99\", weight: 7}\n"
    "    check: {type: https, interval: 1500ms, timeout: 700ms, rise: 5, fall: 1, port: 8443,\n"
    "            path: \"/h?x=1&y=2\", status: 204,\n"
    "            digest: E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855,\n"
    "            host: www.example.com, sni: api.example.com, expect: \"ok: 1\",\n"
    "            retries: 2, retry_delay: 250ms, source: \"2001:db8::1\", ca_file: /etc/ca.pem,\n"
    "            slow_start: 30s}\n"
    "    weight_policy: {type: damped, max_step: 50, smoothing: 100, band: 2,\n"
    "                    write_threshold: 0, integral: 7, warmup: 0s, stale_after: 1m, expire_after: 1h}\n"
    "    real_servers:\n"
    "      - address: 2001:db8::11\n        weight: 65535\n        upper_threshold: 1000\n"
    "        lower_threshold: 10\n        agent_key: a key\n"
    "        check: {type: script, script: \"/bin/sh -c 'exit 0' \\\\ \\\"q\\\"\"}\n"
    "      - {address: 2001:db8::12, weight: 0, agent_key: [b, a key], on_down: inhibit}\n"
    "  - name: marked\n    fwmark: 4294967295\n    forwarding: dr\n    protocol: udp\n"
    "    persistence: {netmask: /24}\n    weight_policy: {type: paper-1, mem_per_process: 1}\n"
    "    real_servers: [{address: 198.51.100.20}, {address: 198.51.100.21, on_down: remove}]\n"
    "    sorry_server: {address: 198.51.100.29, forwarding: tunnel}\n"
    "  - {address: 192.0.2.10, port: 80, forwarding: nat, weight_policy: static,\n"
    "     check: {type: none},\n"
    "     real_servers: [{address: 198.51.100.30, port: 8080}, {address: 198.51.100.30}],\n"
    "     sorry_server: {address: 127.0.0.1, port: 8081}}\n"
    "  - {address: 192.0.2.11, port: 80, weight_policy: {type: paper-2, conns_per_min: 2000},\n"
    "     real_servers: []}\n"
    "  - {name: \"gue \u00e9\u00a0\u2027\u00ff\U0001F600\", address: 192.0.2.11, port: 81,\n"
    "     tunnel_type: gue, tunnel_port: 6080, tunnel_checksum: remcsum,\n"
    "     real_servers: [{address: 198.51.100.40, upper_threshold: 9, lower_threshold: 1}]}\n"
    "  - {address: 192.0.2.11, port: 82, tunnel_type: gre, tunnel_checksum: csum,\n"
    "     announce: {table: 100, min_up: 0}}\n"
    "  - {address: 192.0.2.11, port: 83, tunnel_type: gue, tunnel_port: 1}\n";

static void
test_rich(void **state)
{
	char *d = round_trip("rich", rich);
	struct conf *c = load("rich", rich);

	/* spot checks that the rich document says what it seems to */
	assert_string_equal(c->global.director_id, "dir #1: main");
	assert_string_equal(c->keys[0].name, "a key");
	assert_string_equal(c->keys[2].name, "null");
	assert_int_equal(c->vrrp[0].version, 2);
	assert_false(c->vrrp[0].preempt);
	assert_string_equal(c->vrrp[1].name, "VI_2");
	assert_string_equal(c->services[0].check.digest,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(c->services[0].rs[0].check.script, "/bin/sh -c 'exit 0' \\ \"q\"");
	assert_int_equal(c->services[0].rs[0].check.port, 8443);
	assert_string_equal(c->services[0].check.expect, "ok: 1");
	assert_int_equal(c->services[0].check.retry_delay_ms, 250);
	assert_int_equal(c->services[0].persistence_netmask.prefix, 48);
	assert_int_equal(c->services[1].persistence_netmask.prefix, 24);
	assert_int_equal(c->services[1].family, AF_INET);
	assert_int_equal(c->services[1].rs[0].port, 0);
	assert_int_equal(c->services[1].rs[1].port, 0);
	assert_string_equal(c->services[4].name, "gue \u00e9\u00a0\u2027\u00ff\U0001F600");
	assert_int_equal(c->services[4].tun_port, 6080);
	assert_int_equal(c->services[4].tun_csum, CONF_TUN_CSUM_REMCSUM);
	assert_int_equal(c->services[5].tun_csum, CONF_TUN_CSUM_CSUM);
	assert_int_equal(c->services[6].tun_port, 1);
	assert_int_equal(c->services[6].tun_csum, CONF_TUN_CSUM_NONE);
	assert_non_null(strstr(d, "    tunnel_type: gue\n    tunnel_port: 6080\n"
				  "    tunnel_checksum: remcsum\n"));
	assert_non_null(strstr(d, "    tunnel_type: gre\n    tunnel_checksum: csum\n"));
	assert_int_equal(c->services[2].rs[1].port, 80);
	assert_int_equal(c->services[3].n_rs, 0);
	assert_non_null(strstr(d, "director_id: \"dir #1: main\"\n"));
	conf_free(c);
	free(d);
}

static const char tracked[] =
    "global: {script_user: lvsd}\n"
    "track_scripts:\n"
    "  chk_a: {script: \"/usr/local/bin/chk a 'b c'\", interval: 5s, timeout: 3s, weight: -60,\n"
    "          rise: 2, fall: 3}\n"
    "  chk_b: {script: /bin/true}\n"
    "track_files:\n"
    "  prio: {file: /run/prio, weight: -2}\n"
    "  other: {file: /run/other}\n"
    "vrrp:\n"
    "  - name: A\n    interface: eth0\n    vrid: 1\n    virtual_addresses: [192.0.2.10]\n"
    "    notify: /usr/local/bin/notify\n"
    "    track_scripts: [chk_a, {name: chk_b, weight: 10}]\n"
    "    track_files: [{name: prio}, other]\n"
    "  - name: B\n    interface: eth0\n    vrid: 2\n    virtual_addresses: [192.0.2.11]\n"
    "  - name: C\n    interface: eth0\n    vrid: 3\n    virtual_addresses: [192.0.2.12]\n"
    "vrrp_sync_groups:\n"
    "  - {name: G, instances: [B, A], notify: /usr/local/bin/gnotify}\n";

/* Tracked objects, references and sync groups survive the round trip. */
static void
test_tracked(void **state)
{
	char *d = round_trip("tracked", tracked);
	struct conf *c = load("tracked", tracked);

	assert_string_equal(c->global.script_user, "lvsd");
	assert_int_equal(c->track_scripts[0].weight, -60);
	assert_int_equal(c->track_scripts[1].interval_ms, 2000);
	assert_int_equal(c->track_scripts[1].timeout_ms, 1000);
	assert_int_equal(c->track_scripts[1].weight, 0);
	assert_int_equal(c->track_files[1].weight, 1);
	assert_int_equal(c->vrrp[0].track_scripts[0].weight, -60);
	assert_int_equal(c->vrrp[0].track_scripts[1].weight, 10);
	assert_int_equal(c->vrrp[0].track_files[0].weight, -2);
	assert_int_equal(c->vrrp[0].sync_group, 0);
	assert_int_equal(c->vrrp[1].sync_group, 0);
	assert_int_equal(c->vrrp[2].sync_group, -1);
	assert_int_equal(c->sync_groups[0].members[0], 1);
	assert_non_null(strstr(d, "script_user: lvsd\n"));
	conf_free(c);
	free(d);
}

/* Flow and block style are the same configuration. */
static void
test_styles(void **state)
{
	char *a = round_trip("block", "vrrp:\n  - interface: eth0\n    vrid: 3\n"
				      "    virtual_addresses:\n      - 192.0.2.1\n"
				      "services:\n  - address: 192.0.2.1\n    port: 80\n"
				      "    real_servers:\n      - address: 198.51.100.1\n"
				      "        weight: 5\n");
	char *b = round_trip("flow", "{vrrp: [{interface: eth0, vrid: 3, virtual_addresses: "
				     "[192.0.2.1]}], services: [{address: 192.0.2.1, port: 80, "
				     "real_servers: [{address: 198.51.100.1, weight: 5}]}]}\n");

	assert_string_equal(a, b);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_examples), cmocka_unit_test(test_pair_agrees),
	    cmocka_unit_test(test_paper),    cmocka_unit_test(test_defaults_written),
	    cmocka_unit_test(test_rich),     cmocka_unit_test(test_styles),
	    cmocka_unit_test(test_tracked),
	};

	return cmocka_run_group_tests_name("conf_dump", tests, NULL, NULL);
}
