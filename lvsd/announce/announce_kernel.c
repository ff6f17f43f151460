/* The routes announce.c keeps, through rtnetlink (libnl-route): VIP/32 or
 * /128, dev lo, scope host, protocol CONF_ANNOUNCE_RTPROT, in a table of
 * the operator's choice.  Silent: callers log. */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/route/route.h>

#include "lvsd/announce/announce_kernel.h"
#include "lvsd/core/nlerr.h"

struct ann_nl {
	struct nl_sock *sk;
	int lo; /* ifindex of the loopback */
};

int
ann_nl_open(struct ann_nl **out)
{
	struct ann_nl *nl = calloc(1, sizeof(*nl));
	int r;

	if (!nl || !(nl->sk = nl_socket_alloc())) {
		free(nl);
		return -ENOMEM;
	}
	if ((r = nl_connect(nl->sk, NETLINK_ROUTE)) < 0) {
		nl_socket_free(nl->sk);
		free(nl);
		return lvsd_nl_errno(r);
	}
	nl->lo = (int)if_nametoindex("lo");
	*out = nl;
	return 0;
}

void
ann_nl_close(struct ann_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

/* The route lvsd adds. */
static struct rtnl_route *
ann_route(const struct ann_nl *nl, uint32_t table, const struct conf_addr *vip)
{
	bool v4 = vip->family == AF_INET;
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst =
	    nl_addr_build(vip->family, v4 ? (const void *)&vip->u.v4 : &vip->u.v6, v4 ? 4 : 16);

	if (!rt || !nh || !dst) {
		rtnl_route_put(rt);
		rtnl_route_nh_free(nh);
		nl_addr_put(dst);
		return NULL;
	}
	nl_addr_set_prefixlen(dst, v4 ? 32 : 128);
	rtnl_route_set_family(rt, (uint8_t)vip->family);
	rtnl_route_set_table(rt, table);
	rtnl_route_set_dst(rt, dst);
	rtnl_route_set_protocol(rt, CONF_ANNOUNCE_RTPROT);
	rtnl_route_set_type(rt, RTN_UNICAST);
	nl_addr_put(dst);
	rtnl_route_set_scope(rt, RT_SCOPE_HOST);
	rtnl_route_nh_set_ifindex(nh, nl->lo);
	rtnl_route_add_nexthop(rt, nh);
	return rt;
}

/* Delete by hand: libnl guesses a scope when none is set, and the kernel
 * matches a delete on it; RT_SCOPE_NOWHERE says "any scope". */
static int
ann_delete(struct ann_nl *nl, uint32_t table, const struct conf_addr *vip)
{
	bool v4 = vip->family == AF_INET;
	struct rtmsg rtm = {
	    .rtm_family = (unsigned char)vip->family,
	    .rtm_dst_len = v4 ? 32 : 128,
	    .rtm_table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC,
	    .rtm_protocol = CONF_ANNOUNCE_RTPROT,
	    .rtm_scope = RT_SCOPE_NOWHERE,
	    .rtm_type = RTN_UNICAST,
	};
	struct nl_msg *m = nlmsg_alloc_simple(RTM_DELROUTE, 0);
	int r = -NLE_NOMEM;

	if (m && nlmsg_append(m, &rtm, sizeof(rtm), NLMSG_ALIGNTO) == 0 &&
	    nla_put(m, RTA_DST, v4 ? 4 : 16, v4 ? (const void *)&vip->u.v4 : &vip->u.v6) == 0 &&
	    nla_put_u32(m, RTA_TABLE, table) == 0)
		r = nl_send_sync(nl->sk, m); /* frees m */
	else
		nlmsg_free(m);
	return r;
}

int
ann_nl_set(struct ann_nl *nl, uint32_t table, const struct conf_addr *vip, bool present)
{
	struct rtnl_route *rt;
	int r;

	if (!nl->lo)
		return -ENODEV;
	if (!present) {
		r = ann_delete(nl, table, vip);
	} else {
		if (!(rt = ann_route(nl, table, vip)))
			return -ENOMEM;
		r = rtnl_route_add(nl->sk, rt, NLM_F_CREATE | NLM_F_REPLACE);
		rtnl_route_put(rt);
	}
	/* already gone: as asked */
	if (!present && (r == -NLE_OBJ_NOTFOUND || r == -NLE_NOADDR))
		r = 0;
	return r < 0 ? lvsd_nl_errno(r) : 0;
}

int
ann_nl_ensure(struct ann_nl *nl, uint32_t table, const struct conf_addr *vip)
{
	struct rtnl_route *rt;
	int r;

	if (!nl->lo)
		return -ENODEV;
	if (!(rt = ann_route(nl, table, vip)))
		return -ENOMEM;
	r = rtnl_route_add(nl->sk, rt, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_route_put(rt);
	if (r == -NLE_EXIST)
		return 0;
	return r < 0 ? lvsd_nl_errno(r) : 1;
}

struct ann_walk {
	ann_nl_fn fn;
	void *arg;
};

static void
ann_list_one(struct nl_object *obj, void *arg)
{
	struct rtnl_route *rt = (struct rtnl_route *)obj;
	const struct ann_walk *w = arg;
	struct nl_addr *dst = rtnl_route_get_dst(rt);
	struct conf_addr a = {0};
	int fam = rtnl_route_get_family(rt);
	unsigned plen = fam == AF_INET ? 32 : 128;

	if (rtnl_route_get_protocol(rt) != CONF_ANNOUNCE_RTPROT || !dst ||
	    (fam != AF_INET && fam != AF_INET6) || nl_addr_get_prefixlen(dst) != plen ||
	    nl_addr_get_len(dst) != plen / 8)
		return;
	a.family = fam;
	a.prefix = (uint8_t)plen;
	memcpy(fam == AF_INET ? (void *)&a.u.v4 : (void *)&a.u.v6, nl_addr_get_binary_addr(dst),
	       plen / 8);
	w->fn(w->arg, rtnl_route_get_table(rt), &a);
}

int
ann_nl_list(struct ann_nl *nl, ann_nl_fn fn, void *arg)
{
	struct nl_cache *cache = NULL;
	struct ann_walk w = {fn, arg};
	int r;

	/* every table, not only main */
	r = rtnl_route_alloc_cache(nl->sk, AF_UNSPEC, ROUTE_CACHE_CONTENT, &cache);
	if (r < 0)
		return lvsd_nl_errno(r);
	nl_cache_foreach(cache, ann_list_one, &w);
	nl_cache_free(cache);
	return 0;
}
