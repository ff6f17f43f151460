/* The desired IPVS table from a configuration, and the diff against the
 * kernel's table: only the needed operations, never outside lvsd's set. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lvsd/writer/table.h"

static struct conf_addr
addr(const char *s)
{
	struct conf_addr a = { 0 };

	if (inet_pton(AF_INET, s, &a.u.v4) == 1) {
		a.family = AF_INET;
		a.prefix = 32;
	} else {
		assert_int_equal(inet_pton(AF_INET6, s, &a.u.v6), 1);
		a.family = AF_INET6;
		a.prefix = 128;
	}
	return a;
}

static struct conf_rs rs_web[3];
static struct conf_rs rs_dns[1];
static struct conf_rs rs_mark[1];
static struct conf_service services[3];
static struct conf conf;

/* web: tcp 192.0.2.1:80 wrr tunnel, 3 rs; dns: udp [2001:db8::53]:53 rr DR
 * persistent; fwmark 7 (inet) NAT. */
static int
setup(void **state)
{
	(void)state;
	memset(&conf, 0, sizeof(conf));
	memset(services, 0, sizeof(services));
	for (int i = 0; i < 3; i++) {
		char a[32];

		snprintf(a, sizeof(a), "198.51.100.%d", 11 + i);
		rs_web[i] = (struct conf_rs){ .addr = addr(a), .port = 80, .weight = 10 + i,
					      .key = -1 };
	}
	rs_web[2].u_threshold = 100;
	rs_web[2].l_threshold = 50;
	services[0] = (struct conf_service){ .name = "web", .family = AF_INET,
					      .addr = addr("192.0.2.1"), .port = 80,
					      .proto = CONF_PROTO_TCP, .scheduler = "wrr",
					      .forwarding = CONF_FWD_TUNNEL,
					      .tunnel_type = CONF_TUN_IPIP, .rs = rs_web, .n_rs = 3 };
	rs_dns[0] = (struct conf_rs){ .addr = addr("2001:db8::100"), .port = 5353, .weight = 1 };
	services[1] = (struct conf_service){ .name = "dns", .family = AF_INET6,
					      .addr = addr("2001:db8::53"), .port = 53,
					      .proto = CONF_PROTO_UDP, .scheduler = "rr",
					      .forwarding = CONF_FWD_DR, .persistent = true,
					      .persistence_timeout_s = 600,
					      .persistence_netmask = { .family = AF_INET6, .prefix = 64 },
					      .rs = rs_dns, .n_rs = 1 };
	rs_mark[0] = (struct conf_rs){ .addr = addr("203.0.113.5"), .port = 8080, .weight = 2 };
	services[2] = (struct conf_service){ .name = "mark", .fwmark = 7, .family = AF_INET,
					      .scheduler = "wlc", .forwarding = CONF_FWD_NAT,
					      .persistent = true, .persistence_timeout_s = 60,
					      .persistence_netmask = { .family = AF_INET, .prefix = 24 },
					      .rs = rs_mark, .n_rs = 1 };
	conf.services = services;
	conf.n_services = 3;
	return 0;
}

static void
table_copy(const struct ipvs_table *t, struct ipvs_table *out)
{
	out->n = t->n;
	out->svcs = calloc(t->n ? t->n : 1, sizeof(*out->svcs));
	assert_non_null(out->svcs);
	for (size_t i = 0; i < t->n; i++) {
		out->svcs[i] = t->svcs[i];
		out->svcs[i].dests = calloc(t->svcs[i].n_dests + 1, sizeof(struct ipvs_dest));
		assert_non_null(out->svcs[i].dests);
		memcpy(out->svcs[i].dests, t->svcs[i].dests,
		       t->svcs[i].n_dests * sizeof(struct ipvs_dest));
	}
}

/* A kernel table equal to the configuration, the way the kernel shows it:
 * services hashed, destinations in reverse order, counters set. */
static void
kernel_from(const struct ipvs_table *want, struct ipvs_table *have)
{
	table_copy(want, have);
	for (size_t i = 0; i < have->n; i++) {
		struct ipvs_table_svc *s = &have->svcs[i];

		s->svc.flags |= IP_VS_SVC_F_HASHED;
		s->svc.has_stats = true;
		s->svc.stats.inpkts = 99;
		for (size_t j = 0; j < s->n_dests / 2; j++) {
			struct ipvs_dest t = s->dests[j];

			s->dests[j] = s->dests[s->n_dests - 1 - j];
			s->dests[s->n_dests - 1 - j] = t;
		}
		for (size_t j = 0; j < s->n_dests; j++)
			s->dests[j].active_conns = 4;
	}
}

static void
test_from_conf(void **state)
{
	struct ipvs_table t;
	const struct ipvs_table_svc *w, *d, *m;
	char buf[IPVS_STRLEN];

	(void)state;
	assert_int_equal(table_from_conf(&conf, &t), 0);
	assert_int_equal(t.n, 3);
	w = &t.svcs[0];
	d = &t.svcs[1];
	m = &t.svcs[2];
	assert_string_equal(ipvs_service_str(&w->svc, buf, sizeof(buf)), "tcp 192.0.2.1:80");
	assert_string_equal(w->svc.sched, "wrr");
	assert_int_equal(w->svc.flags, 0);
	assert_int_equal(w->svc.netmask, 0xffffffff);
	assert_int_equal(w->n_dests, 3);
	assert_string_equal(ipvs_dest_str(&w->dests[2], buf, sizeof(buf)), "198.51.100.13:80");
	assert_int_equal(w->dests[2].fwd, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(w->dests[2].tun_type, IP_VS_CONN_F_TUNNEL_TYPE_IPIP);
	assert_int_equal(w->dests[2].weight, 12);
	assert_int_equal(w->dests[2].u_threshold, 100);
	assert_int_equal(w->dests[2].l_threshold, 50);

	assert_string_equal(ipvs_service_str(&d->svc, buf, sizeof(buf)), "udp [2001:db8::53]:53");
	assert_int_equal(d->svc.flags, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(d->svc.timeout, 600);
	assert_int_equal(d->svc.netmask, 64);
	/* DR takes the service's port, like ipvsadm */
	assert_int_equal(d->dests[0].port, 53);
	assert_int_equal(d->dests[0].fwd, IP_VS_CONN_F_DROUTE);

	assert_int_equal(m->svc.fwmark, 7);
	assert_int_equal(m->svc.protocol, 0);
	assert_int_equal(m->svc.netmask, htonl(0xffffff00));
	assert_int_equal(m->dests[0].fwd, IP_VS_CONN_F_MASQ);
	assert_int_equal(m->dests[0].port, 8080); /* NAT keeps the real server's port */
	ipvs_table_free(&t);
}

static uint32_t
weights(void *arg, size_t svc, size_t rs, uint32_t static_weight)
{
	int *calls = arg;

	(*calls)++;
	if (svc == 0 && rs == 1)
		return 0; /* down */
	if (svc == 0 && rs == 2)
		return 70000; /* clamped to IPVS's range */
	return static_weight;
}

/* gue takes its port and checksum flags; an IPv6 netmask of 0 is refused,
 * never turned into /128; IPv4 masks go as they are. */
static void
test_tunnel_and_netmask(void **state)
{
	struct ipvs_table t;

	(void)state;
	services[0].tunnel_type = CONF_TUN_GUE;
	services[0].tun_port = 6080;
	services[0].tun_csum = CONF_TUN_CSUM_REMCSUM;
	services[2].persistence_netmask.prefix = 0;
	assert_int_equal(table_from_conf(&conf, &t), 0);
	assert_int_equal(t.svcs[0].dests[0].tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(t.svcs[0].dests[0].tun_port, 6080);
	assert_int_equal(t.svcs[0].dests[0].tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);
	assert_int_equal(t.svcs[2].svc.netmask, 0);
	ipvs_table_free(&t);

	services[0].tunnel_type = CONF_TUN_GRE;
	services[0].tun_csum = CONF_TUN_CSUM_CSUM;
	assert_int_equal(table_from_conf(&conf, &t), 0);
	assert_int_equal(t.svcs[0].dests[1].tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	assert_int_equal(t.svcs[0].dests[1].tun_port, 0);
	assert_int_equal(t.svcs[0].dests[1].tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	ipvs_table_free(&t);

	/* what the kernel would refuse is refused here */
	services[0].tun_csum = CONF_TUN_CSUM_REMCSUM; /* gue only */
	assert_int_equal(table_from_conf(&conf, &t), -EINVAL);
	services[0].tunnel_type = CONF_TUN_GUE;
	services[0].tun_port = 0; /* gue needs a port */
	assert_int_equal(table_from_conf(&conf, &t), -EINVAL);
	setup(NULL);
	services[1].persistence_netmask.prefix = 0;
	assert_int_equal(table_from_conf(&conf, &t), -EINVAL);
	services[1].persistence_netmask.prefix = 129;
	assert_int_equal(table_from_conf(&conf, &t), -EINVAL);
}

static void
test_from_conf_weights_and_errors(void **state)
{
	struct ipvs_table t;
	int calls = 0;

	(void)state;
	assert_int_equal(table_from_conf_w(&conf, weights, &calls, &t), 0);
	assert_int_equal(calls, 5);
	assert_int_equal(t.svcs[0].dests[0].weight, 10);
	assert_int_equal(t.svcs[0].dests[1].weight, 0);
	assert_int_equal(t.svcs[0].dests[2].weight, 65535);
	ipvs_table_free(&t);

	strcpy(services[0].scheduler, "a-very-long-name");
	assert_int_equal(table_from_conf(&conf, &t), -EINVAL);
	strcpy(services[0].scheduler, "wrr");
	services[2] = services[0];
	assert_int_equal(table_from_conf(&conf, &t), -EEXIST);
	setup(NULL);
	rs_web[1].addr = rs_web[0].addr;
	assert_int_equal(table_from_conf(&conf, &t), -EEXIST);
	setup(NULL);
	services[1].forwarding = CONF_FWD_NAT;
	rs_dns[0].addr = addr("198.51.100.20"); /* mixed families only in tunnel mode */
	assert_int_equal(table_from_conf(&conf, &t), -EINVAL);
}

/* What the loader accepts, table_from_conf() can program: every
 * destination keeps the real server's (effective) port, so the loader's
 * duplicate check is the kernel's. */
static void
table_of_doc(const char *doc)
{
	struct conf *c = NULL;
	struct conf_error err;
	struct ipvs_table t;
	char line[1024];
	int r;

	if (conf_load_buffer("shape.yaml", doc, strlen(doc), &c, &err) < 0) {
		conf_error_format(&err, line, sizeof(line));
		print_message("# %s\n%s", line, doc);
		fail();
	}
	r = table_from_conf(c, &t);
	if (r != 0)
		print_message("# ipvs_table_from_conf: %d for\n%s", r, doc);
	assert_int_equal(r, 0);
	assert_int_equal(t.n, c->n_services);
	for (size_t i = 0; i < t.n; i++) {
		const struct conf_service *s = &c->services[i];

		assert_int_equal(t.svcs[i].svc.fwmark, s->fwmark);
		assert_int_equal(t.svcs[i].n_dests, s->n_rs);
		for (size_t j = 0; j < s->n_rs; j++) {
			const struct ipvs_dest *d = &t.svcs[i].dests[j];

			assert_int_equal(d->port, s->rs[j].port);
			assert_int_equal(d->l_threshold, s->rs[j].l_threshold);
			if (s->forwarding == CONF_FWD_TUNNEL && s->tunnel_type == CONF_TUN_GUE)
				assert_int_equal(d->tun_port, s->tun_port);
			else
				assert_int_equal(d->tun_port, 0);
		}
	}
	ipvs_table_free(&t);
	conf_free(c);
}

/* Every fwmark shape: each forwarding and encapsulation, both families,
 * persistence, no real servers, one, several on one address (nat only). */
static void
test_fwmark_shapes(void **state)
{
	static const char *const fwd[] = {
	    "forwarding: tunnel",
	    "tunnel_type: ipip",
	    "tunnel_type: gre",
	    "tunnel_type: gre, tunnel_checksum: csum",
	    "tunnel_type: gue, tunnel_port: 6080",
	    "tunnel_type: gue, tunnel_port: 6080, tunnel_checksum: csum",
	    "tunnel_type: gue, tunnel_port: 6080, tunnel_checksum: remcsum",
	    "forwarding: dr",
	    "forwarding: nat",
	};
	static const struct {
		const char *list;
		bool v6, nat_only;
	} rs[] = {
	    {"[]", false, false},
	    {"[{address: 198.51.100.1}]", false, false},
	    {"[{address: 198.51.100.1}, {address: 198.51.100.2, weight: 0}]", false, false},
	    {"[{address: 198.51.100.1, upper_threshold: 10, lower_threshold: 5}]", false, false},
	    {"[{address: 2001:db8::1}, {address: 2001:db8::2}]", true, false},
	    {"[{address: 198.51.100.1, port: 80}, {address: 198.51.100.1, port: 443}, "
	     "{address: 198.51.100.1}]",
	     false, true},
	    {"[{address: 2001:db8::1, port: 80}, {address: 2001:db8::1, port: 8080}]", true, true},
	};
	static const struct {
		const char *value;
		bool v4_only, v6_only;
	} persist[] = {
	    {"false", false, false},	      {"true", false, false},
	    {"{netmask: /24}", false, false}, {"{timeout: 1h, netmask: /0}", true, false},
	    {"{netmask: /64}", false, true},
	};
	char doc[1024];
	int n = 0;

	(void)state;
	for (size_t f = 0; f < sizeof(fwd) / sizeof(fwd[0]); f++) {
		bool nat = strstr(fwd[f], "nat") != NULL;

		for (size_t p = 0; p < sizeof(persist) / sizeof(persist[0]); p++) {
			for (size_t r = 0; r < sizeof(rs) / sizeof(rs[0]); r++) {
				if ((rs[r].nat_only && !nat) || (persist[p].v4_only && rs[r].v6) ||
				    (persist[p].v6_only && !rs[r].v6))
					continue;
				snprintf(doc, sizeof(doc),
					 "services:\n  - {%s, fwmark: 9, persistence: %s,\n"
					 "      real_servers: %s}\n"
					 "  - {fwmark: 10, forwarding: nat, real_servers: []}\n",
					 fwd[f], persist[p].value, rs[r].list);
				table_of_doc(doc);
				n++;
			}
		}
	}
	/* each of 9 forwardings: 5 lists x 4 netmasks of their family; nat: 2 more lists */
	assert_int_equal(n, 9 * 5 * 4 + 2 * 4);
}

static void
diff(const struct ipvs_table *want, const struct ipvs_table *prev, const struct ipvs_table *have,
     struct ipvs_ops *ops)
{
	assert_int_equal(ipvs_table_diff(want, prev, have, ops), 0);
}

static void
test_diff_same_is_empty(void **state)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops;

	(void)state;
	assert_int_equal(table_from_conf(&conf, &want), 0);
	kernel_from(&want, &have);
	diff(&want, &want, &have, &ops);
	assert_int_equal(ops.n, 0);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
}

static void
test_diff_weight_change(void **state)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops;

	(void)state;
	assert_int_equal(table_from_conf(&conf, &want), 0);
	kernel_from(&want, &have);
	want.svcs[0].dests[1].weight = 0;
	diff(&want, NULL, &have, &ops);
	assert_int_equal(ops.n, 1);
	assert_int_equal(ops.ops[0].cmd, IPVS_CMD_SET_DEST);
	assert_true(ipvs_service_same_key(&ops.ops[0].svc, &want.svcs[0].svc));
	assert_true(ipvs_dest_same_key(&ops.ops[0].dest, &want.svcs[0].dests[1]));
	assert_int_equal(ops.ops[0].dest.weight, 0);
	ipvs_ops_free(&ops);
	/* a tunnel type change is an edit too */
	want.svcs[0].dests[1].weight = have.svcs[0].dests[1].weight;
	want.svcs[0].dests[0].tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GRE;
	diff(&want, NULL, &have, &ops);
	assert_int_equal(ops.n, 1);
	assert_int_equal(ops.ops[0].cmd, IPVS_CMD_SET_DEST);
	assert_int_equal(ops.ops[0].dest.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
}

static void
test_diff_scheduler_change(void **state)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops;

	(void)state;
	strcpy(services[1].scheduler, "mh");
	assert_int_equal(table_from_conf(&conf, &want), 0);
	strcpy(services[1].scheduler, "rr");
	assert_int_equal(table_from_conf(&conf, &have), 0);
	diff(&want, NULL, &have, &ops);
	assert_int_equal(ops.n, 1);
	assert_int_equal(ops.ops[0].cmd, IPVS_CMD_SET_SERVICE);
	assert_string_equal(ops.ops[0].svc.sched, "mh");
	assert_int_equal(ops.ops[0].svc.flags, IP_VS_SVC_F_PERSISTENT);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
}

static void
test_diff_rs_removed_and_added(void **state)
{
	struct ipvs_table want, have;
	struct ipvs_ops ops;

	(void)state;
	assert_int_equal(table_from_conf(&conf, &have), 0);
	rs_web[1] = rs_web[2];
	services[0].n_rs = 2; /* .12 removed */
	rs_mark[0].addr = addr("203.0.113.6");
	assert_int_equal(table_from_conf(&conf, &want), 0);
	diff(&want, NULL, &have, &ops);
	assert_int_equal(ops.n, 3);
	assert_int_equal(ops.ops[0].cmd, IPVS_CMD_DEL_DEST);
	assert_int_equal(ops.ops[0].dest.addr.v4.s_addr, htonl(0xc633640c)); /* .12 */
	assert_int_equal(ops.ops[1].cmd, IPVS_CMD_DEL_DEST);
	assert_int_equal(ops.ops[1].svc.fwmark, 7);
	assert_int_equal(ops.ops[2].cmd, IPVS_CMD_NEW_DEST);
	assert_int_equal(ops.ops[2].dest.addr.v4.s_addr, htonl(0xcb007106)); /* 203.0.113.6 */
	assert_int_equal(ops.ops[2].dest.port, 8080);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
}

static void
test_diff_not_owned_untouched(void **state)
{
	struct ipvs_table want, have, full;
	struct ipvs_ops ops;

	(void)state;
	/* the kernel has all three; lvsd's configuration has only web */
	assert_int_equal(table_from_conf(&conf, &full), 0);
	kernel_from(&full, &have);
	have.svcs[1].dests[0].weight = 77; /* someone else's service, different */
	conf.n_services = 1;
	assert_int_equal(table_from_conf(&conf, &want), 0);
	diff(&want, NULL, &have, &ops);
	assert_int_equal(ops.n, 0);
	ipvs_ops_free(&ops);
	/* with dns and mark in the previous generation they are lvsd's: deleted
	 * as services, without touching their destinations one by one */
	diff(&want, &full, &have, &ops);
	assert_int_equal(ops.n, 2);
	assert_int_equal(ops.ops[0].cmd, IPVS_CMD_DEL_SERVICE);
	assert_int_equal(ops.ops[0].svc.af, AF_INET6);
	assert_int_equal(ops.ops[1].cmd, IPVS_CMD_DEL_SERVICE);
	assert_int_equal(ops.ops[1].svc.fwmark, 7);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
	ipvs_table_free(&full);
}

static void
test_diff_new_service_first(void **state)
{
	struct ipvs_table want, have = { 0 };
	struct ipvs_ops ops;

	(void)state;
	assert_int_equal(table_from_conf(&conf, &want), 0);
	have.svcs = calloc(1, sizeof(*have.svcs));
	assert_non_null(have.svcs);
	have.svcs[0].svc = want.svcs[1].svc; /* dns exists, without dests */
	have.svcs[0].svc.flags |= IP_VS_SVC_F_HASHED;
	have.n = 1;
	diff(&want, NULL, &have, &ops);
	/* NEW web, NEW mark, then 3 + 1 + 1 NEW_DEST */
	assert_int_equal(ops.n, 7);
	assert_int_equal(ops.ops[0].cmd, IPVS_CMD_NEW_SERVICE);
	assert_int_equal(ops.ops[0].svc.port, 80);
	assert_int_equal(ops.ops[1].cmd, IPVS_CMD_NEW_SERVICE);
	assert_int_equal(ops.ops[1].svc.fwmark, 7);
	for (size_t i = 2; i < 7; i++)
		assert_int_equal(ops.ops[i].cmd, IPVS_CMD_NEW_DEST);
	assert_int_equal(ops.ops[5].svc.af, AF_INET6);
	assert_int_equal(ops.ops[5].dest.port, 53);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	ipvs_table_free(&want);
}

/* Destination slots: the real servers, then the sorry server; a slot the
 * weight function leaves out weighs TABLE_ABSENT and table_present() drops
 * it, so a diff deletes it and never adds it back. */
static uint32_t
slot_weights(void *arg, size_t svc, size_t rs, uint32_t static_weight)
{
	(void)arg;
	(void)svc;
	return rs == 1 ? TABLE_ABSENT : static_weight;
}

static void
test_slots_absent_and_sorry(void **state)
{
	static const char doc[] =
	    "services:\n"
	    "  - {name: web, address: 192.0.2.1, port: 80, on_down: remove,\n"
	    "     real_servers: [{address: 198.51.100.11, weight: 4}, {address: 198.51.100.12}],\n"
	    "     sorry_server: {address: 198.51.100.99, port: 8080, forwarding: nat, weight: "
	    "2}}\n";
	struct conf *c = NULL;
	struct conf_error err;
	struct ipvs_table slots, present, kernel;
	struct ipvs_ops ops;
	const struct ipvs_table_svc *s;

	(void)state;
	assert_int_equal(conf_load_buffer("t.yaml", doc, strlen(doc), &c, &err), 0);
	assert_int_equal(table_from_conf_w(c, slot_weights, NULL, &slots), 0);
	s = &slots.svcs[0];
	assert_int_equal(s->n_dests, 3);
	assert_int_equal(s->dests[0].weight, 4);
	assert_int_equal(s->dests[1].weight, TABLE_ABSENT);
	assert_int_equal(s->dests[2].weight, 2);
	assert_int_equal(s->dests[2].fwd, IP_VS_CONN_F_MASQ); /* its own forwarding */
	assert_int_equal(s->dests[2].port, 8080);
	assert_int_equal(table_present(&slots, &present), 0);
	assert_int_equal(present.svcs[0].n_dests, 2);
	assert_int_equal(present.svcs[0].dests[1].port, 8080);
	/* every server up, no sorry server: what ipvs-tool programs */
	assert_int_equal(table_from_conf(c, &kernel), 0);
	assert_int_equal(kernel.svcs[0].n_dests, 2);
	assert_int_equal(kernel.svcs[0].dests[1].port, 80);
	/* from there: .12 goes, the sorry server comes; nothing else */
	assert_int_equal(ipvs_table_diff(&present, NULL, &kernel, &ops), 0);
	assert_int_equal(ops.n, 2);
	assert_int_equal(ops.ops[0].cmd, IPVS_CMD_DEL_DEST);
	assert_int_equal(ops.ops[0].dest.addr.v4.s_addr, inet_addr("198.51.100.12"));
	assert_int_equal(ops.ops[1].cmd, IPVS_CMD_NEW_DEST);
	assert_int_equal(ops.ops[1].dest.weight, 2);
	ipvs_ops_free(&ops);
	ipvs_table_free(&slots);
	/* without a weight function the sorry server is absent */
	assert_int_equal(table_from_conf_w(c, NULL, NULL, &slots), 0);
	assert_int_equal(slots.svcs[0].n_dests, 3);
	assert_int_equal(slots.svcs[0].dests[1].weight, 1);
	assert_int_equal(slots.svcs[0].dests[2].weight, TABLE_ABSENT);
	ipvs_table_free(&slots);
	ipvs_table_free(&present);
	ipvs_table_free(&kernel);
	conf_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_from_conf, setup),
	    cmocka_unit_test_setup(test_from_conf_weights_and_errors, setup),
	    cmocka_unit_test_setup(test_diff_same_is_empty, setup),
	    cmocka_unit_test_setup(test_diff_weight_change, setup),
	    cmocka_unit_test_setup(test_diff_scheduler_change, setup),
	    cmocka_unit_test_setup(test_diff_rs_removed_and_added, setup),
	    cmocka_unit_test_setup(test_diff_not_owned_untouched, setup),
	    cmocka_unit_test_setup(test_diff_new_service_first, setup),
	    cmocka_unit_test(test_fwmark_shapes),
	    cmocka_unit_test(test_slots_absent_and_sorry),
	    cmocka_unit_test_setup(test_tunnel_and_netmask, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
