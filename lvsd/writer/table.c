/* The parent's mapping from the configuration model to the IPVS adapter's
 * own table type: which kernel service and destinations a configuration
 * asks for.  The adapter (lvsd/ipvs) knows nothing of the configuration. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/ipvs/ipvs_index.h"
#include "lvsd/writer/table.h"

static uint16_t
proto_of(enum conf_proto p)
{
	switch (p) {
	case CONF_PROTO_UDP:
		return IPPROTO_UDP;
	case CONF_PROTO_SCTP:
		return IPPROTO_SCTP;
	default:
		return IPPROTO_TCP;
	}
}

static uint32_t
fwd_of(enum conf_fwd f)
{
	switch (f) {
	case CONF_FWD_DR:
		return IP_VS_CONN_F_DROUTE;
	case CONF_FWD_NAT:
		return IP_VS_CONN_F_MASQ;
	default:
		return IP_VS_CONN_F_TUNNEL;
	}
}

static uint8_t
tun_of(enum conf_tun t)
{
	switch (t) {
	case CONF_TUN_GUE:
		return IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	case CONF_TUN_GRE:
		return IP_VS_CONN_F_TUNNEL_TYPE_GRE;
	default:
		return IP_VS_CONN_F_TUNNEL_TYPE_IPIP;
	}
}

static void
copy_addr(union ipvs_addr *dst, const struct conf_addr *a)
{
	memset(dst, 0, sizeof(*dst));
	if (a->family == AF_INET)
		dst->v4 = a->u.v4;
	else if (a->family == AF_INET6)
		dst->v6 = a->u.v6;
}

int
table_service(const struct conf_service *s, struct ipvs_service *out)
{
	struct ipvs_service v = {0};
	unsigned prefix;

	v.af = (uint16_t)(s->family ? s->family : s->addr.family);
	if (v.af != AF_INET && v.af != AF_INET6)
		return -EINVAL;
	if (s->fwmark) {
		v.fwmark = s->fwmark;
	} else {
		if (s->addr.family != v.af)
			return -EINVAL;
		v.protocol = proto_of(s->proto);
		copy_addr(&v.addr, &s->addr);
		v.port = s->port;
	}
	if (s->scheduler[0] == '\0' || strlen(s->scheduler) >= sizeof(v.sched))
		return -EINVAL;
	strcpy(v.sched, s->scheduler);
	if (s->persistent) {
		v.flags = IP_VS_SVC_F_PERSISTENT;
		v.timeout = s->persistence_timeout_s;
	}
	v.flags |= (s->sched_flags & CONF_SCHED_FLAG_1 ? IP_VS_SVC_F_SCHED1 : 0) |
		   (s->sched_flags & CONF_SCHED_FLAG_2 ? IP_VS_SVC_F_SCHED2 : 0) |
		   (s->sched_flags & CONF_SCHED_FLAG_3 ? IP_VS_SVC_F_SCHED3 : 0);
	prefix = s->persistence_netmask.family ? s->persistence_netmask.prefix
					       : (v.af == AF_INET ? 32 : 128);
	/* the kernel takes any IPv4 mask, and IPv6 prefixes of 1 to 128 */
	if (v.af == AF_INET && prefix <= 32)
		v.netmask = ipvs_netmask_v4(prefix);
	else if (v.af == AF_INET6 && prefix >= 1 && prefix <= 128)
		v.netmask = prefix;
	else
		return -EINVAL;
	*out = v;
	return 0;
}

/* The encapsulation: gue needs a port (the kernel refuses 0), checksum
 * flags exist for gue and gre, remote checksum offload for gue only. */
static int
tun_from_conf(const struct conf_service *s, struct ipvs_dest *d)
{
	d->tun_type = tun_of(s->tunnel_type);
	if (s->tunnel_type == CONF_TUN_GUE) {
		if (!s->tun_port)
			return -EINVAL;
		d->tun_port = s->tun_port;
	}
	switch (s->tun_csum) {
	case CONF_TUN_CSUM_NONE:
		d->tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
		return 0;
	case CONF_TUN_CSUM_CSUM:
		d->tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
		return s->tunnel_type == CONF_TUN_IPIP ? -EINVAL : 0;
	case CONF_TUN_CSUM_REMCSUM:
		d->tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
		return s->tunnel_type == CONF_TUN_GUE ? 0 : -EINVAL;
	}
	return -EINVAL;
}

/* Like ipvsadm, DR and TUN destinations take the service's port. */
static int
table_dest_fwd(const struct conf_service *s, const struct ipvs_service *svc, enum conf_fwd fwd,
	       const struct conf_addr *addr, uint16_t port, uint32_t weight, struct ipvs_dest *out)
{
	struct ipvs_dest d = {0};
	int r;

	d.af = (uint16_t)addr->family;
	if (d.af != AF_INET && d.af != AF_INET6)
		return -EINVAL;
	if (d.af != svc->af && fwd != CONF_FWD_TUNNEL)
		return -EINVAL;
	copy_addr(&d.addr, addr);
	d.fwd = fwd_of(fwd);
	d.port = d.fwd == IP_VS_CONN_F_MASQ && port ? port : svc->port;
	if (d.fwd == IP_VS_CONN_F_TUNNEL && (r = tun_from_conf(s, &d)) < 0)
		return r;
	d.weight = weight > 65535 && weight != TABLE_ABSENT ? 65535 : weight;
	*out = d;
	return 0;
}

int
table_dest(const struct conf_service *s, const struct ipvs_service *svc, const struct conf_rs *rs,
	   uint32_t weight, struct ipvs_dest *out)
{
	int r = table_dest_fwd(s, svc, s->forwarding, &rs->addr, rs->port, weight, out);

	if (r == 0) {
		out->u_threshold = rs->u_threshold;
		out->l_threshold = rs->l_threshold;
	}
	return r;
}

int
table_sorry(const struct conf_service *s, const struct ipvs_service *svc, uint32_t weight,
	    struct ipvs_dest *out)
{
	if (!s->has_sorry)
		return -EINVAL;
	return table_dest_fwd(s, svc, s->sorry.forwarding, &s->sorry.addr, s->sorry.port, weight,
			      out);
}

static int
svc_from_conf(const struct conf *c, size_t i, table_weight_fn fn, void *arg,
	      struct ipvs_table_svc *out)
{
	const struct conf_service *s = &c->services[i];
	int r = table_service(s, &out->svc);
	size_t n = s->n_rs + s->has_sorry;
	uint32_t w;

	if (r < 0)
		return r;
	if (n && !(out->dests = calloc(n, sizeof(*out->dests))))
		return -ENOMEM;
	for (size_t j = 0; j < s->n_rs; j++) {
		const struct conf_rs *rs = &s->rs[j];

		w = fn ? fn(arg, i, j, rs->weight) : rs->weight;
		if ((r = table_dest(s, &out->svc, rs, w, &out->dests[j])) < 0)
			return r;
		out->n_dests++;
	}
	if (!s->has_sorry)
		return 0;
	w = fn ? fn(arg, i, s->n_rs, s->sorry.weight) : TABLE_ABSENT;
	if ((r = table_sorry(s, &out->svc, w, &out->dests[s->n_rs])) < 0)
		return r;
	out->n_dests++;
	return 0;
}

/* Two services with one key, or two destinations with one key in a
 * service: -EEXIST.  Each object must find itself by its key. */
static int
table_unique(const struct ipvs_table *t)
{
	struct ipvs_index x = {0};
	size_t k;
	int r = ipvs_index_build(&x, t);

	for (size_t i = 0; i < t->n && r == 0; i++) {
		if (!ipvs_index_svc(&x, &t->svcs[i].svc, &k) || k != i)
			r = -EEXIST;
		for (size_t j = 0; j < t->svcs[i].n_dests && r == 0; j++)
			if (!ipvs_index_dest(&x, i, &t->svcs[i].dests[j], &k) || k != j)
				r = -EEXIST;
	}
	ipvs_index_free(&x);
	return r;
}

int
table_from_conf_w(const struct conf *c, table_weight_fn fn, void *arg, struct ipvs_table *out)
{
	struct ipvs_table t = {0};
	int r = 0;

	if (c->n_services && !(t.svcs = calloc(c->n_services, sizeof(*t.svcs))))
		return -ENOMEM;
	for (size_t i = 0; i < c->n_services && r == 0; i++) {
		r = svc_from_conf(c, i, fn, arg, &t.svcs[i]);
		t.n++;
	}
	if (r == 0)
		r = table_unique(&t);
	if (r < 0) {
		ipvs_table_free(&t);
		return r;
	}
	*out = t;
	return 0;
}

/* One service of t without its absent slots. */
static int
table_present_svc(const struct ipvs_table_svc *s, struct ipvs_table_svc *out)
{
	out->svc = s->svc;
	if (s->n_dests && !(out->dests = calloc(s->n_dests, sizeof(*out->dests))))
		return -ENOMEM;
	for (size_t j = 0; j < s->n_dests; j++)
		if (s->dests[j].weight != TABLE_ABSENT)
			out->dests[out->n_dests++] = s->dests[j];
	return 0;
}

int
table_present(const struct ipvs_table *t, struct ipvs_table *out)
{
	struct ipvs_table p = {0};
	int r = 0;

	if (t->n && !(p.svcs = calloc(t->n, sizeof(*p.svcs))))
		return -ENOMEM;
	for (size_t i = 0; i < t->n && r == 0; i++, p.n++)
		r = table_present_svc(&t->svcs[i], &p.svcs[i]);
	if (r < 0) {
		ipvs_table_free(&p);
		return r;
	}
	*out = p;
	return 0;
}

int
table_from_conf(const struct conf *c, struct ipvs_table *out)
{
	struct ipvs_table t;
	int r = table_from_conf_w(c, NULL, NULL, &t);

	if (r < 0)
		return r;
	r = table_present(&t, out);
	ipvs_table_free(&t);
	return r;
}

int
table_ids_build(const struct conf *c, struct table_ids *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = table_from_conf(c, &out->t)) == 0 && (r = ipvs_index_build(&out->x, &out->t)) == 0)
		return 0;
	table_ids_free(out);
	return r;
}

void
table_ids_free(struct table_ids *ids)
{
	ipvs_index_free(&ids->x);
	ipvs_table_free(&ids->t);
	memset(ids, 0, sizeof(*ids));
}

bool
table_ids_find(const struct table_ids *ids, const struct ipvs_service *svc_key,
	       const struct ipvs_dest *dest_key, size_t *svc, size_t *rs)
{
	size_t si, di;

	if (!ids->x.slot || !ipvs_index_svc(&ids->x, svc_key, &si) ||
	    !ipvs_index_dest(&ids->x, si, dest_key, &di))
		return false;
	*svc = si;
	*rs = di;
	return true;
}

int
table_map(const struct conf *c, const struct conf *old,
	  void (*fn)(void *arg, size_t svc, size_t rs, size_t old_svc, size_t old_rs), void *arg)
{
	struct table_ids nt, ot;
	int r;

	if ((r = table_ids_build(c, &nt)) < 0)
		return r;
	if ((r = table_ids_build(old, &ot)) < 0) {
		table_ids_free(&nt);
		return r;
	}
	for (size_t i = 0; i < nt.t.n; i++) {
		size_t oi, oj;

		for (size_t j = 0; j < nt.t.svcs[i].n_dests; j++)
			if (table_ids_find(&ot, &nt.t.svcs[i].svc, &nt.t.svcs[i].dests[j], &oi,
					   &oj))
				fn(arg, i, j, oi, oj);
	}
	table_ids_free(&ot);
	table_ids_free(&nt);
	return 0;
}
