/* Desired IPVS table from the configuration, its difference to the
 * kernel's table, and reconcile.  See ipvs_table.h for the ownership rule. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/ipvs_table.h"

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
ipvs_service_from_conf(const struct conf_service *s, struct ipvs_service *out)
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
dest_from_conf(const struct conf_service *s, const struct ipvs_service *svc,
	       const struct conf_rs *rs, uint32_t weight, struct ipvs_dest *out)
{
	struct ipvs_dest d = {0};
	int r;

	d.af = (uint16_t)rs->addr.family;
	if (d.af != AF_INET && d.af != AF_INET6)
		return -EINVAL;
	if (d.af != svc->af && s->forwarding != CONF_FWD_TUNNEL)
		return -EINVAL;
	copy_addr(&d.addr, &rs->addr);
	d.fwd = fwd_of(s->forwarding);
	d.port = d.fwd == IP_VS_CONN_F_MASQ && rs->port ? rs->port : svc->port;
	if (d.fwd == IP_VS_CONN_F_TUNNEL && (r = tun_from_conf(s, &d)) < 0)
		return r;
	d.weight = weight > 65535 ? 65535 : weight;
	d.u_threshold = rs->u_threshold;
	d.l_threshold = rs->l_threshold;
	*out = d;
	return 0;
}

static int
svc_from_conf(const struct conf *c, size_t i, ipvs_weight_fn fn, void *arg,
	      struct ipvs_table_svc *out)
{
	const struct conf_service *s = &c->services[i];
	int r = ipvs_service_from_conf(s, &out->svc);

	if (r < 0)
		return r;
	if (s->n_rs && !(out->dests = calloc(s->n_rs, sizeof(*out->dests))))
		return -ENOMEM;
	for (size_t j = 0; j < s->n_rs; j++) {
		const struct conf_rs *rs = &s->rs[j];
		uint32_t w = fn ? fn(arg, i, j, rs->weight) : rs->weight;

		if ((r = dest_from_conf(s, &out->svc, rs, w, &out->dests[j])) < 0)
			return r;
		for (size_t k = 0; k < j; k++)
			if (ipvs_dest_same_key(&out->dests[k], &out->dests[j]))
				return -EEXIST;
		out->n_dests++;
	}
	return 0;
}

int
ipvs_table_from_conf_w(const struct conf *c, ipvs_weight_fn fn, void *arg, struct ipvs_table *out)
{
	struct ipvs_table t = {0};
	int r = 0;

	if (c->n_services && !(t.svcs = calloc(c->n_services, sizeof(*t.svcs))))
		return -ENOMEM;
	for (size_t i = 0; i < c->n_services && r == 0; i++) {
		r = svc_from_conf(c, i, fn, arg, &t.svcs[i]);
		t.n++;
		if (r == 0 && ipvs_table_find(&t, &t.svcs[i].svc) != &t.svcs[i])
			r = -EEXIST;
	}
	if (r < 0) {
		ipvs_table_free(&t);
		return r;
	}
	*out = t;
	return 0;
}

int
ipvs_table_from_conf(const struct conf *c, struct ipvs_table *out)
{
	return ipvs_table_from_conf_w(c, NULL, NULL, out);
}

void
ipvs_table_free(struct ipvs_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->svcs[i].dests);
	free(t->svcs);
	t->svcs = NULL;
	t->n = 0;
}

const struct ipvs_table_svc *
ipvs_table_find(const struct ipvs_table *t, const struct ipvs_service *key)
{
	if (!t)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (ipvs_service_same_key(&t->svcs[i].svc, key))
			return &t->svcs[i];
	return NULL;
}

/* ------------------------------------------------------------------- diff */

void
ipvs_ops_free(struct ipvs_ops *ops)
{
	free(ops->ops);
	ops->ops = NULL;
	ops->n = ops->cap = 0;
}

static int
ops_push(struct ipvs_ops *o, uint8_t cmd, const struct ipvs_service *svc,
	 const struct ipvs_dest *dest)
{
	struct ipvs_op *op;

	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 32;
		struct ipvs_op *p = realloc(o->ops, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		o->ops = p;
		o->cap = cap;
	}
	op = &o->ops[o->n++];
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->svc = *svc;
	op->svc.has_stats = false;
	if (dest)
		op->dest = *dest;
	return 0;
}

/* The kernel adds IP_VS_SVC_F_HASHED itself. */
static bool
service_opts_equal(const struct ipvs_service *a, const struct ipvs_service *b)
{
	return strcmp(a->sched, b->sched) == 0 &&
	       (a->flags & ~IP_VS_SVC_F_HASHED) == (b->flags & ~IP_VS_SVC_F_HASHED) &&
	       a->timeout == b->timeout && a->netmask == b->netmask;
}

static bool
dest_opts_equal(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	if (a->fwd != b->fwd || a->weight != b->weight || a->u_threshold != b->u_threshold ||
	    a->l_threshold != b->l_threshold)
		return false;
	if (a->fwd != IP_VS_CONN_F_TUNNEL)
		return true;
	return a->tun_type == b->tun_type && a->tun_port == b->tun_port &&
	       a->tun_flags == b->tun_flags;
}

/* Index of key in set, trying the hinted positions first (the kernel
 * lists destinations in reverse order of addition). */
static const struct ipvs_dest *
dest_find(const struct ipvs_table_svc *set, const struct ipvs_dest *key, size_t hint)
{
	if (!set)
		return NULL;
	if (hint < set->n_dests) {
		if (ipvs_dest_same_key(&set->dests[hint], key))
			return &set->dests[hint];
		if (ipvs_dest_same_key(&set->dests[set->n_dests - 1 - hint], key))
			return &set->dests[set->n_dests - 1 - hint];
	}
	for (size_t i = 0; i < set->n_dests; i++)
		if (ipvs_dest_same_key(&set->dests[i], key))
			return &set->dests[i];
	return NULL;
}

static int
diff_dests(const struct ipvs_table_svc *w, const struct ipvs_table_svc *h, struct ipvs_ops *out)
{
	int r = 0;

	for (size_t i = 0; h && i < h->n_dests && r == 0; i++)
		if (!dest_find(w, &h->dests[i], i))
			r = ops_push(out, IPVS_CMD_DEL_DEST, &w->svc, &h->dests[i]);
	for (size_t i = 0; i < w->n_dests && r == 0; i++) {
		const struct ipvs_dest *d = dest_find(h, &w->dests[i], i);

		if (d && !dest_opts_equal(d, &w->dests[i]))
			r = ops_push(out, IPVS_CMD_SET_DEST, &w->svc, &w->dests[i]);
	}
	for (size_t i = 0; i < w->n_dests && r == 0; i++)
		if (!dest_find(h, &w->dests[i], i))
			r = ops_push(out, IPVS_CMD_NEW_DEST, &w->svc, &w->dests[i]);
	return r;
}

static int
diff_services(const struct ipvs_table *want, const struct ipvs_table *prev,
	      const struct ipvs_table *have, struct ipvs_ops *out)
{
	int r = 0;

	for (size_t i = 0; i < have->n && r == 0; i++) {
		const struct ipvs_service *k = &have->svcs[i].svc;

		if (!ipvs_table_find(want, k) && ipvs_table_find(prev, k))
			r = ops_push(out, IPVS_CMD_DEL_SERVICE, k, NULL);
	}
	for (size_t i = 0; i < want->n && r == 0; i++) {
		const struct ipvs_table_svc *h = ipvs_table_find(have, &want->svcs[i].svc);

		if (h && !service_opts_equal(&h->svc, &want->svcs[i].svc))
			r = ops_push(out, IPVS_CMD_SET_SERVICE, &want->svcs[i].svc, NULL);
	}
	for (size_t i = 0; i < want->n && r == 0; i++)
		if (!ipvs_table_find(have, &want->svcs[i].svc))
			r = ops_push(out, IPVS_CMD_NEW_SERVICE, &want->svcs[i].svc, NULL);
	return r;
}

int
ipvs_table_diff(const struct ipvs_table *want, const struct ipvs_table *prev,
		const struct ipvs_table *have, struct ipvs_ops *out)
{
	struct ipvs_ops o = {0};
	int r = diff_services(want, prev, have, &o);

	for (size_t i = 0; i < want->n && r == 0; i++)
		r = diff_dests(&want->svcs[i], ipvs_table_find(have, &want->svcs[i].svc), &o);
	if (r < 0) {
		ipvs_ops_free(&o);
		return r;
	}
	*out = o;
	return 0;
}

/* ----------------------------------------------------------- kernel side */

int
ipvs_table_read(struct ipvs_nl *nl, struct ipvs_table *out)
{
	struct ipvs_table t = {0};
	struct ipvs_service *svcs = NULL;
	size_t n = 0;
	int r = ipvs_nl_list_services(nl, &svcs, &n);

	if (r < 0)
		return r;
	if (n && !(t.svcs = calloc(n, sizeof(*t.svcs)))) {
		free(svcs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		t.svcs[i].svc = svcs[i];
		t.n++;
		r = ipvs_nl_list_dests(nl, &svcs[i], &t.svcs[i].dests, &t.svcs[i].n_dests);
	}
	free(svcs);
	if (r < 0) {
		ipvs_table_free(&t);
		return r;
	}
	*out = t;
	return 0;
}

int
ipvs_table_apply(struct ipvs_nl *nl, struct ipvs_ops *ops)
{
	if (ops->n == 0)
		return 0;
	return ipvs_nl_send(nl, ops->ops, ops->n);
}

int
ipvs_table_reconcile(struct ipvs_nl *nl, const struct ipvs_table *want,
		     const struct ipvs_table *prev, struct ipvs_ops *out)
{
	struct ipvs_table have;
	struct ipvs_ops o;
	int r = ipvs_table_read(nl, &have);

	if (r < 0)
		return r;
	r = ipvs_table_diff(want, prev, &have, &o);
	ipvs_table_free(&have);
	if (r < 0)
		return r;
	r = ipvs_table_apply(nl, &o);
	*out = o;
	return r;
}

int
ipvs_sync_start(struct ipvs_nl *nl, const struct conf *c, uint32_t state)
{
	struct ipvs_daemon d = {.state = state, .syncid = c->global.sync_id};

	if (c->global.sync_interface[0] == '\0')
		return 0;
	if (strlen(c->global.sync_interface) >= sizeof(d.ifname))
		return -EINVAL;
	strcpy(d.ifname, c->global.sync_interface);
	return ipvs_nl_daemon_start(nl, &d);
}

int
ipvs_sync_stop(struct ipvs_nl *nl, uint32_t state)
{
	return ipvs_nl_daemon_stop(nl, state);
}
