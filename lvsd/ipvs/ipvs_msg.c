/* IPVS generic netlink messages: builders on libnl's struct nl_msg and
 * strict parsers over plain buffers.  No I/O here. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "lvsd/ipvs/ipvs.h"

/* ---------------------------------------------------------------- builders */

static int
put_hdr(struct nl_msg *msg, int family, uint32_t seq, int flags, uint8_t cmd)
{
	if (family <= 0 || family > 0xffff)
		return -EINVAL;
	if (!genlmsg_put(msg, 0, seq, family, 0, flags, cmd, IPVS_GENL_VERSION))
		return -EMSGSIZE;
	return 0;
}

static size_t
af_addr_len(uint16_t af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
}

/* The kernel reads addresses as a union nf_inet_addr: always 16 bytes. */
static int
put_addr(struct nl_msg *msg, int type, uint16_t af, const union ipvs_addr *a)
{
	uint8_t raw[16] = {0};
	size_t n = af_addr_len(af);

	if (!n)
		return -EINVAL;
	memcpy(raw, a->bytes, n);
	return nla_put(msg, type, sizeof(raw), raw);
}

static int
put_service_key(struct nl_msg *msg, const struct ipvs_service *s)
{
	if (!af_addr_len(s->af) || (!s->fwmark && !s->protocol))
		return -EINVAL;
	if (nla_put_u16(msg, IPVS_SVC_ATTR_AF, s->af) < 0)
		return -EMSGSIZE;
	if (s->fwmark)
		return nla_put_u32(msg, IPVS_SVC_ATTR_FWMARK, s->fwmark) < 0 ? -EMSGSIZE : 0;
	if (nla_put_u16(msg, IPVS_SVC_ATTR_PROTOCOL, s->protocol) < 0 ||
	    put_addr(msg, IPVS_SVC_ATTR_ADDR, s->af, &s->addr) < 0 ||
	    nla_put_u16(msg, IPVS_SVC_ATTR_PORT, htons(s->port)) < 0)
		return -EMSGSIZE;
	return 0;
}

static int
put_service_opts(struct nl_msg *msg, const struct ipvs_service *s)
{
	struct ip_vs_flags fl = {.flags = s->flags, .mask = ~0U};

	if (s->sched[0] == '\0' || memchr(s->sched, '\0', sizeof(s->sched)) == NULL)
		return -EINVAL;
	if (nla_put_string(msg, IPVS_SVC_ATTR_SCHED_NAME, s->sched) < 0 ||
	    nla_put(msg, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl) < 0 ||
	    nla_put_u32(msg, IPVS_SVC_ATTR_TIMEOUT, s->timeout) < 0 ||
	    nla_put_u32(msg, IPVS_SVC_ATTR_NETMASK, s->netmask) < 0)
		return -EMSGSIZE;
	return 0;
}

static int
put_service_nest(struct nl_msg *msg, const struct ipvs_service *s, bool full)
{
	struct nlattr *nest = nla_nest_start(msg, IPVS_CMD_ATTR_SERVICE);
	int r;

	if (!nest)
		return -EMSGSIZE;
	if ((r = put_service_key(msg, s)) < 0 || (full && (r = put_service_opts(msg, s)) < 0))
		return r;
	nla_nest_end(msg, nest);
	return 0;
}

int
ipvs_msg_service(struct nl_msg *msg, int family, uint32_t seq, uint8_t cmd,
		 const struct ipvs_service *svc)
{
	int r;

	if (cmd != IPVS_CMD_NEW_SERVICE && cmd != IPVS_CMD_SET_SERVICE &&
	    cmd != IPVS_CMD_DEL_SERVICE)
		return -EINVAL;
	if ((r = put_hdr(msg, family, seq, NLM_F_REQUEST | NLM_F_ACK, cmd)) < 0)
		return r;
	return put_service_nest(msg, svc, cmd != IPVS_CMD_DEL_SERVICE);
}

static int
put_dest_opts(struct nl_msg *msg, const struct ipvs_dest *d)
{
	uint32_t fwd = d->fwd & IP_VS_CONN_F_FWD_MASK;

	if (fwd != IP_VS_CONN_F_MASQ && fwd != IP_VS_CONN_F_TUNNEL && fwd != IP_VS_CONN_F_DROUTE)
		return -EINVAL;
	if (d->weight > 0x7fffffff)
		return -EINVAL;
	if (nla_put_u32(msg, IPVS_DEST_ATTR_FWD_METHOD, fwd) < 0 ||
	    nla_put_u32(msg, IPVS_DEST_ATTR_WEIGHT, d->weight) < 0 ||
	    nla_put_u32(msg, IPVS_DEST_ATTR_U_THRESH, d->u_threshold) < 0 ||
	    nla_put_u32(msg, IPVS_DEST_ATTR_L_THRESH, d->l_threshold) < 0)
		return -EMSGSIZE;
	if (fwd != IP_VS_CONN_F_TUNNEL)
		return 0;
	if (nla_put_u8(msg, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type) < 0 ||
	    nla_put_u16(msg, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port)) < 0 ||
	    nla_put_u16(msg, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags) < 0)
		return -EMSGSIZE;
	return 0;
}

static int
put_dest_nest(struct nl_msg *msg, const struct ipvs_dest *d, bool full)
{
	struct nlattr *nest;
	int r;

	if (!af_addr_len(d->af))
		return -EINVAL;
	if (!(nest = nla_nest_start(msg, IPVS_CMD_ATTR_DEST)))
		return -EMSGSIZE;
	if (put_addr(msg, IPVS_DEST_ATTR_ADDR, d->af, &d->addr) < 0 ||
	    nla_put_u16(msg, IPVS_DEST_ATTR_ADDR_FAMILY, d->af) < 0 ||
	    nla_put_u16(msg, IPVS_DEST_ATTR_PORT, htons(d->port)) < 0)
		return -EMSGSIZE;
	if (full && (r = put_dest_opts(msg, d)) < 0)
		return r;
	nla_nest_end(msg, nest);
	return 0;
}

int
ipvs_msg_dest(struct nl_msg *msg, int family, uint32_t seq, uint8_t cmd,
	      const struct ipvs_service *svc, const struct ipvs_dest *dest)
{
	int r;

	if (cmd != IPVS_CMD_NEW_DEST && cmd != IPVS_CMD_SET_DEST && cmd != IPVS_CMD_DEL_DEST)
		return -EINVAL;
	if ((r = put_hdr(msg, family, seq, NLM_F_REQUEST | NLM_F_ACK, cmd)) < 0 ||
	    (r = put_service_nest(msg, svc, false)) < 0)
		return r;
	return put_dest_nest(msg, dest, cmd != IPVS_CMD_DEL_DEST);
}

int
ipvs_msg_daemon(struct nl_msg *msg, int family, uint32_t seq, uint8_t cmd,
		const struct ipvs_daemon *d)
{
	struct nlattr *nest;
	int r;

	if (cmd != IPVS_CMD_NEW_DAEMON && cmd != IPVS_CMD_DEL_DAEMON)
		return -EINVAL;
	if (d->state != IP_VS_STATE_MASTER && d->state != IP_VS_STATE_BACKUP)
		return -EINVAL;
	if (cmd == IPVS_CMD_NEW_DAEMON &&
	    (d->ifname[0] == '\0' || memchr(d->ifname, '\0', sizeof(d->ifname)) == NULL ||
	     d->syncid > 255))
		return -EINVAL;
	if ((r = put_hdr(msg, family, seq, NLM_F_REQUEST | NLM_F_ACK, cmd)) < 0)
		return r;
	if (!(nest = nla_nest_start(msg, IPVS_CMD_ATTR_DAEMON)) ||
	    nla_put_u32(msg, IPVS_DAEMON_ATTR_STATE, d->state) < 0)
		return -EMSGSIZE;
	if (cmd == IPVS_CMD_NEW_DAEMON &&
	    (nla_put_string(msg, IPVS_DAEMON_ATTR_MCAST_IFN, d->ifname) < 0 ||
	     nla_put_u32(msg, IPVS_DAEMON_ATTR_SYNC_ID, d->syncid) < 0))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int
ipvs_msg_op(struct nl_msg *msg, int family, uint32_t seq, const struct ipvs_op *op)
{
	switch (op->cmd) {
	case IPVS_CMD_NEW_SERVICE:
	case IPVS_CMD_SET_SERVICE:
	case IPVS_CMD_DEL_SERVICE:
		return ipvs_msg_service(msg, family, seq, op->cmd, &op->svc);
	case IPVS_CMD_NEW_DEST:
	case IPVS_CMD_SET_DEST:
	case IPVS_CMD_DEL_DEST:
		return ipvs_msg_dest(msg, family, seq, op->cmd, &op->svc, &op->dest);
	case IPVS_CMD_NEW_DAEMON:
	case IPVS_CMD_DEL_DAEMON:
		return ipvs_msg_daemon(msg, family, seq, op->cmd, &op->daemon);
	default:
		return -EINVAL;
	}
}

int
ipvs_msg_get_services(struct nl_msg *msg, int family, uint32_t seq)
{
	return put_hdr(msg, family, seq, NLM_F_REQUEST | NLM_F_DUMP, IPVS_CMD_GET_SERVICE);
}

int
ipvs_msg_get_dests(struct nl_msg *msg, int family, uint32_t seq, const struct ipvs_service *svc)
{
	int r = put_hdr(msg, family, seq, NLM_F_REQUEST | NLM_F_DUMP, IPVS_CMD_GET_DEST);

	return r < 0 ? r : put_service_nest(msg, svc, false);
}

int
ipvs_msg_get_info(struct nl_msg *msg, int family, uint32_t seq)
{
	return put_hdr(msg, family, seq, NLM_F_REQUEST, IPVS_CMD_GET_INFO);
}

int
ipvs_msg_get_daemons(struct nl_msg *msg, int family, uint32_t seq)
{
	return put_hdr(msg, family, seq, NLM_F_REQUEST | NLM_F_DUMP, IPVS_CMD_GET_DAEMON);
}

/* ----------------------------------------------------------------- parsers */

#define ATTR_MAX 16

struct attrs {
	const struct nlattr *a[ATTR_MAX + 1];
};

/* Every attribute must fit exactly; the last may omit its padding. */
static int
attrs_parse(const void *p, size_t len, struct attrs *tb)
{
	const uint8_t *b = p;

	memset(tb, 0, sizeof(*tb));
	while (len > 0) {
		const struct nlattr *nla = (const void *)b;
		size_t step;
		unsigned type;

		if (len < NLA_HDRLEN || nla->nla_len < NLA_HDRLEN || nla->nla_len > len)
			return -EBADMSG;
		type = nla->nla_type & NLA_TYPE_MASK;
		if (type <= ATTR_MAX)
			tb->a[type] = nla;
		step = NLA_ALIGN(nla->nla_len);
		if (step > len)
			step = len;
		b += step;
		len -= step;
	}
	return 0;
}

static const void *
attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static size_t
attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static int
attrs_nested(const struct nlattr *a, struct attrs *tb)
{
	return attrs_parse(attr_data(a), attr_len(a), tb);
}

/* Fixed-size integer: the payload must be exactly n bytes. */
static int
get_fixed(const struct nlattr *a, void *out, size_t n)
{
	if (!a || attr_len(a) != n)
		return -EINVAL;
	memcpy(out, attr_data(a), n);
	return 0;
}

static int
get_u16(const struct nlattr *a, uint16_t *out)
{
	return get_fixed(a, out, sizeof(*out));
}

static int
get_u32(const struct nlattr *a, uint32_t *out)
{
	return get_fixed(a, out, sizeof(*out));
}

static int
get_u64(const struct nlattr *a, uint64_t *out)
{
	return get_fixed(a, out, sizeof(*out));
}

/* A NUL-terminated string that fits in max bytes with its NUL. */
static int
get_str(const struct nlattr *a, char *out, size_t max)
{
	const char *s;
	size_t n;

	if (!a || attr_len(a) == 0)
		return -EINVAL;
	s = attr_data(a);
	n = strnlen(s, attr_len(a));
	if (n == attr_len(a) || n >= max)
		return -EINVAL;
	memcpy(out, s, n + 1);
	return 0;
}

static int
get_addr(const struct nlattr *a, uint16_t af, union ipvs_addr *out)
{
	size_t need = af_addr_len(af);

	if (!a || !need || attr_len(a) < need || attr_len(a) > sizeof(*out))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	memcpy(out->bytes, attr_data(a), need);
	return 0;
}

/* One generic netlink message of the expected command: its attributes. */
static int
genl_attrs(const void *buf, size_t len, uint8_t cmd, struct attrs *tb)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *g;
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

	if (len < NLMSG_HDRLEN || nlh->nlmsg_len < off || nlh->nlmsg_len > len ||
	    nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return -EBADMSG;
	g = (const void *)((const uint8_t *)buf + NLMSG_HDRLEN);
	if (g->cmd != cmd)
		return -EBADMSG;
	return attrs_parse((const uint8_t *)buf + off, nlh->nlmsg_len - off, tb);
}

static int
parse_stats(const struct nlattr *a, bool is64, struct ipvs_stats *out)
{
	const int ids[5] = {IPVS_STATS_ATTR_CONNS, IPVS_STATS_ATTR_INPKTS, IPVS_STATS_ATTR_OUTPKTS,
			    IPVS_STATS_ATTR_INBYTES, IPVS_STATS_ATTR_OUTBYTES};
	uint64_t *v[5] = {&out->conns, &out->inpkts, &out->outpkts, &out->inbytes, &out->outbytes};
	struct attrs tb;
	int r = attrs_nested(a, &tb);

	for (int i = 0; r == 0 && i < 5; i++) {
		uint32_t x = 0;

		if (is64 || i >= 3) {
			r = get_u64(tb.a[ids[i]], v[i]);
		} else {
			r = get_u32(tb.a[ids[i]], &x);
			*v[i] = x;
		}
	}
	return r;
}

/* Prefer the 64-bit counters; either nest is optional. */
static int
parse_stats_pair(const struct nlattr *s32, const struct nlattr *s64, bool *has,
		 struct ipvs_stats *out)
{
	int r = 0;

	*has = false;
	if (s64)
		r = parse_stats(s64, true, out);
	else if (s32)
		r = parse_stats(s32, false, out);
	if (r == 0)
		*has = s64 || s32;
	return r;
}

static int
parse_service_key(const struct attrs *tb, struct ipvs_service *s)
{
	uint16_t port;
	int r;

	if ((r = get_u16(tb->a[IPVS_SVC_ATTR_AF], &s->af)) < 0)
		return r;
	if (!af_addr_len(s->af))
		return -EINVAL;
	if (tb->a[IPVS_SVC_ATTR_FWMARK]) {
		r = get_u32(tb->a[IPVS_SVC_ATTR_FWMARK], &s->fwmark);
		if (r == 0 && s->fwmark == 0)
			r = -EINVAL;
		return r;
	}
	if ((r = get_u16(tb->a[IPVS_SVC_ATTR_PROTOCOL], &s->protocol)) < 0 ||
	    (r = get_addr(tb->a[IPVS_SVC_ATTR_ADDR], s->af, &s->addr)) < 0 ||
	    (r = get_u16(tb->a[IPVS_SVC_ATTR_PORT], &port)) < 0)
		return r;
	s->port = ntohs(port);
	return 0;
}

int
ipvs_parse_service(const void *buf, size_t len, struct ipvs_service *out)
{
	struct ipvs_service s = {0};
	struct ip_vs_flags fl;
	struct attrs top, tb;
	int r;

	if ((r = genl_attrs(buf, len, IPVS_CMD_NEW_SERVICE, &top)) < 0)
		return r;
	if (!top.a[IPVS_CMD_ATTR_SERVICE])
		return -EINVAL;
	if ((r = attrs_nested(top.a[IPVS_CMD_ATTR_SERVICE], &tb)) < 0)
		return r;
	if ((r = parse_service_key(&tb, &s)) < 0 ||
	    (r = get_str(tb.a[IPVS_SVC_ATTR_SCHED_NAME], s.sched, sizeof(s.sched))) < 0 ||
	    (r = get_fixed(tb.a[IPVS_SVC_ATTR_FLAGS], &fl, sizeof(fl))) < 0 ||
	    (r = get_u32(tb.a[IPVS_SVC_ATTR_TIMEOUT], &s.timeout)) < 0 ||
	    (r = get_u32(tb.a[IPVS_SVC_ATTR_NETMASK], &s.netmask)) < 0)
		return r;
	s.flags = fl.flags;
	if ((r = parse_stats_pair(tb.a[IPVS_SVC_ATTR_STATS], tb.a[IPVS_SVC_ATTR_STATS64],
				  &s.has_stats, &s.stats)) < 0)
		return r;
	*out = s;
	return 0;
}

static int
parse_dest_opts(const struct attrs *tb, struct ipvs_dest *d)
{
	uint16_t port;
	int r;

	if ((r = get_u32(tb->a[IPVS_DEST_ATTR_FWD_METHOD], &d->fwd)) < 0 ||
	    (r = get_u32(tb->a[IPVS_DEST_ATTR_WEIGHT], &d->weight)) < 0 ||
	    (r = get_u32(tb->a[IPVS_DEST_ATTR_U_THRESH], &d->u_threshold)) < 0 ||
	    (r = get_u32(tb->a[IPVS_DEST_ATTR_L_THRESH], &d->l_threshold)) < 0)
		return r;
	d->fwd &= IP_VS_CONN_F_FWD_MASK;
	if (tb->a[IPVS_DEST_ATTR_TUN_TYPE] &&
	    (r = get_fixed(tb->a[IPVS_DEST_ATTR_TUN_TYPE], &d->tun_type, 1)) < 0)
		return r;
	if (tb->a[IPVS_DEST_ATTR_TUN_PORT]) {
		if ((r = get_u16(tb->a[IPVS_DEST_ATTR_TUN_PORT], &port)) < 0)
			return r;
		d->tun_port = ntohs(port);
	}
	if (tb->a[IPVS_DEST_ATTR_TUN_FLAGS] &&
	    (r = get_u16(tb->a[IPVS_DEST_ATTR_TUN_FLAGS], &d->tun_flags)) < 0)
		return r;
	/* connection counters are informative: absent means 0 */
	if ((tb->a[IPVS_DEST_ATTR_ACTIVE_CONNS] &&
	     get_u32(tb->a[IPVS_DEST_ATTR_ACTIVE_CONNS], &d->active_conns) < 0) ||
	    (tb->a[IPVS_DEST_ATTR_INACT_CONNS] &&
	     get_u32(tb->a[IPVS_DEST_ATTR_INACT_CONNS], &d->inact_conns) < 0) ||
	    (tb->a[IPVS_DEST_ATTR_PERSIST_CONNS] &&
	     get_u32(tb->a[IPVS_DEST_ATTR_PERSIST_CONNS], &d->persist_conns) < 0))
		return -EINVAL;
	return parse_stats_pair(tb->a[IPVS_DEST_ATTR_STATS], tb->a[IPVS_DEST_ATTR_STATS64],
				&d->has_stats, &d->stats);
}

int
ipvs_parse_dest(const void *buf, size_t len, uint16_t svc_af, struct ipvs_dest *out)
{
	struct ipvs_dest d = {0};
	struct attrs top, tb;
	uint16_t port;
	int r;

	if ((r = genl_attrs(buf, len, IPVS_CMD_NEW_DEST, &top)) < 0)
		return r;
	if (!top.a[IPVS_CMD_ATTR_DEST])
		return -EINVAL;
	if ((r = attrs_nested(top.a[IPVS_CMD_ATTR_DEST], &tb)) < 0)
		return r;
	d.af = svc_af;
	if (tb.a[IPVS_DEST_ATTR_ADDR_FAMILY] &&
	    (r = get_u16(tb.a[IPVS_DEST_ATTR_ADDR_FAMILY], &d.af)) < 0)
		return r;
	if ((r = get_addr(tb.a[IPVS_DEST_ATTR_ADDR], d.af, &d.addr)) < 0 ||
	    (r = get_u16(tb.a[IPVS_DEST_ATTR_PORT], &port)) < 0)
		return r;
	d.port = ntohs(port);
	if ((r = parse_dest_opts(&tb, &d)) < 0)
		return r;
	*out = d;
	return 0;
}

int
ipvs_parse_info(const void *buf, size_t len, struct ipvs_info *out)
{
	struct ipvs_info i;
	struct attrs tb;
	int r;

	if ((r = genl_attrs(buf, len, IPVS_CMD_SET_INFO, &tb)) < 0)
		return r;
	if ((r = get_u32(tb.a[IPVS_INFO_ATTR_VERSION], &i.version)) < 0 ||
	    (r = get_u32(tb.a[IPVS_INFO_ATTR_CONN_TAB_SIZE], &i.conn_tab_size)) < 0)
		return r;
	*out = i;
	return 0;
}

int
ipvs_parse_daemon(const void *buf, size_t len, struct ipvs_daemon *out)
{
	struct ipvs_daemon d = {0};
	struct attrs top, tb;
	int r;

	if ((r = genl_attrs(buf, len, IPVS_CMD_NEW_DAEMON, &top)) < 0)
		return r;
	if (!top.a[IPVS_CMD_ATTR_DAEMON])
		return -EINVAL;
	if ((r = attrs_nested(top.a[IPVS_CMD_ATTR_DAEMON], &tb)) < 0)
		return r;
	if ((r = get_u32(tb.a[IPVS_DAEMON_ATTR_STATE], &d.state)) < 0 ||
	    (r = get_str(tb.a[IPVS_DAEMON_ATTR_MCAST_IFN], d.ifname, sizeof(d.ifname))) < 0 ||
	    (r = get_u32(tb.a[IPVS_DAEMON_ATTR_SYNC_ID], &d.syncid)) < 0)
		return r;
	*out = d;
	return 0;
}

int
ipvs_parse_ack(const void *buf, size_t len, uint32_t *seq, int *err)
{
	const struct nlmsghdr *nlh = buf;
	struct nlmsgerr e;

	if (len < NLMSG_HDRLEN || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(e) || nlh->nlmsg_type != NLMSG_ERROR)
		return -EBADMSG;
	memcpy(&e, (const uint8_t *)buf + NLMSG_HDRLEN, sizeof(e));
	if (e.error > 0 || e.error < -4095)
		return -EBADMSG;
	*seq = nlh->nlmsg_seq;
	*err = e.error;
	return 0;
}

/* ----------------------------------------------------------------- helpers */

uint32_t
ipvs_netmask_v4(unsigned prefix)
{
	if (prefix == 0)
		return 0;
	if (prefix >= 32)
		return 0xffffffffU;
	return htonl(~((1U << (32 - prefix)) - 1));
}

bool
ipvs_service_same_key(const struct ipvs_service *a, const struct ipvs_service *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       memcmp(a->addr.bytes, b->addr.bytes, af_addr_len(a->af)) == 0;
}

bool
ipvs_dest_same_key(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	return a->af == b->af && a->port == b->port &&
	       memcmp(a->addr.bytes, b->addr.bytes, af_addr_len(a->af)) == 0;
}

static const char *
proto_name(uint16_t p)
{
	return p == IPPROTO_TCP	   ? "tcp"
	       : p == IPPROTO_UDP  ? "udp"
	       : p == IPPROTO_SCTP ? "sctp"
				   : "?";
}

static void
addr_port_str(uint16_t af, const union ipvs_addr *a, uint16_t port, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN] = "?";

	if (af_addr_len(af))
		inet_ntop(af, a->bytes, s, sizeof(s));
	snprintf(buf, len, af == AF_INET6 ? "[%s]:%u" : "%s:%u", s, port);
}

const char *
ipvs_service_str(const struct ipvs_service *s, char *buf, size_t len)
{
	char ap[IPVS_STRLEN];

	if (s->fwmark) {
		snprintf(buf, len, "fwmark %u%s", s->fwmark, s->af == AF_INET6 ? " (inet6)" : "");
		return buf;
	}
	addr_port_str(s->af, &s->addr, s->port, ap, sizeof(ap));
	snprintf(buf, len, "%s %s", proto_name(s->protocol), ap);
	return buf;
}

const char *
ipvs_dest_str(const struct ipvs_dest *d, char *buf, size_t len)
{
	addr_port_str(d->af, &d->addr, d->port, buf, len);
	return buf;
}

const char *
ipvs_cmd_name(uint8_t cmd)
{
	static const char *const names[] = {
	    [IPVS_CMD_NEW_SERVICE] = "add service",	 [IPVS_CMD_SET_SERVICE] = "edit service",
	    [IPVS_CMD_DEL_SERVICE] = "delete service",	 [IPVS_CMD_NEW_DEST] = "add dest",
	    [IPVS_CMD_SET_DEST] = "edit dest",		 [IPVS_CMD_DEL_DEST] = "delete dest",
	    [IPVS_CMD_NEW_DAEMON] = "start sync daemon", [IPVS_CMD_DEL_DAEMON] = "stop sync daemon",
	};

	if (cmd < sizeof(names) / sizeof(names[0]) && names[cmd])
		return names[cmd];
	return "?";
}
