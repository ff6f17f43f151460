/* Addresses on an interface: the virtual ones, added and removed with
 * libnl-route, and the interface's own, read with getifaddrs(3). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_addr.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>
#include <netlink/route/neighbour.h>
#include <linux/neighbour.h>
#include <netlink/socket.h>

#include "lvsd/core/nlerr.h"
#include "vrrp/vrrp.h"

const char *
vrrp_addr_str(const struct vrrp_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->a.b, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static bool
addr_is(const struct sockaddr *sa, const struct vrrp_addr *a)
{
	if (!sa || sa->sa_family != a->family)
		return false;
	if (a->family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)(const void *)sa)->sin_addr, a->a.b, 4);
	return !memcmp(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, a->a.b, 16);
}

static bool
addr_is_vip(const struct sockaddr *sa, const struct vrrp_addr *vips, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (addr_is(sa, &vips[i]))
			return true;
	return false;
}

int
vrrp_addr_self(const char *ifname, int family, const struct vrrp_addr *vips, size_t n_vips,
	       struct vrrp_addr *out)
{
	struct ifaddrs *ifa, *i;
	int r = -EADDRNOTAVAIL;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family || strcmp(i->ifa_name, ifname))
			continue;
		if (addr_is_vip(i->ifa_addr, vips, n_vips))
			continue;
		memset(out, 0, sizeof(*out));
		out->family = family;
		if (family == AF_INET) {
			memcpy(out->a.b, &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr, 4);
		} else {
			const struct in6_addr *a6 =
			    &((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr;

			if (!IN6_IS_ADDR_LINKLOCAL(a6)) /* RFC 5798: from the link-local */
				continue;
			memcpy(out->a.b, a6, 16);
		}
		r = 0;
		break;
	}
	freeifaddrs(ifa);
	return r;
}

size_t
vrrp_addr_count_present(const char *ifname, const struct vrrp_addr *vips, size_t n)
{
	struct ifaddrs *ifa, *i;
	size_t found = 0;

	if (getifaddrs(&ifa) < 0)
		return 0;
	for (size_t k = 0; k < n; k++)
		for (i = ifa; i; i = i->ifa_next)
			if (!strcmp(i->ifa_name, ifname) && addr_is(i->ifa_addr, &vips[k])) {
				found++;
				break;
			}
	freeifaddrs(ifa);
	return found;
}

int
vrrp_addr_socket(struct nl_sock **out)
{
	struct nl_sock *sk = nl_socket_alloc();
	int r;

	if (!sk)
		return -ENOMEM;
	if ((r = nl_connect(sk, NETLINK_ROUTE)) < 0) {
		nl_socket_free(sk);
		return lvsd_nl_errno(r);
	}
	*out = sk;
	return 0;
}

/* One address, added or removed: 0 when it is now as asked. */
static int
addr_change(struct nl_sock *sk, int ifindex, const struct vrrp_addr *v, bool add)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(v->family, v->a.b, v->family == AF_INET ? 4 : 16);
	int r = -ENOMEM;

	if (ra && local) {
		nl_addr_set_prefixlen(local, v->prefix);
		rtnl_addr_set_ifindex(ra, ifindex);
		rtnl_addr_set_family(ra, v->family);
		rtnl_addr_set_local(ra, local);
		rtnl_addr_set_prefixlen(ra, v->prefix);
		if (v->family == AF_INET6)
			rtnl_addr_set_flags(ra, IFA_F_NODAD); /* usable at once */
		r = add ? rtnl_addr_add(sk, ra, 0) : rtnl_addr_delete(sk, ra, 0);
		/* already there, or already gone: as asked */
		if ((add && r == -NLE_EXIST) || (!add && (r == -NLE_NOADDR || r == -NLE_OBJ_NOTFOUND)))
			r = 0;
		else if (r < 0)
			r = lvsd_nl_errno(r);
	}
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return r;
}

int
vrrp_addr_set(struct nl_sock *sk, int ifindex, const struct vrrp_addr *vips, size_t n, bool add,
	      int *err)
{
	int failed = 0;

	*err = 0;
	for (size_t i = 0; i < n; i++) {
		int r = addr_change(sk, ifindex, &vips[i], add);

		if (r < 0) {
			failed++;
			if (!*err)
				*err = r;
		}
	}
	return failed;
}

/* Forget the neighbour entries of interface ifindex that are still being
 * resolved or have failed: probes sent while its link was down were lost,
 * and an entry that runs out of them drops what waits on it with a "host
 * unreachable" to the sender (a client's first packets through IPVS, when
 * this director takes over right after its link came back).  Fresh
 * entries resolve at once on the working link.  How many were removed, or
 * -errno. */
int
vrrp_addr_flush_unresolved(struct nl_sock *sk, int ifindex)
{
	struct nl_cache *cache = NULL;
	struct nl_object *o;
	int n = 0, r;

	if ((r = rtnl_neigh_alloc_cache(sk, &cache)) < 0)
		return lvsd_nl_errno(r);
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_neigh *ne = (struct rtnl_neigh *)o;

		if (rtnl_neigh_get_ifindex(ne) != ifindex ||
		    !(rtnl_neigh_get_state(ne) & (NUD_INCOMPLETE | NUD_FAILED)))
			continue;
		if (rtnl_neigh_delete(sk, ne, 0) == 0)
			n++;
	}
	nl_cache_free(cache);
	return n;
}
