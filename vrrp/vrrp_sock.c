/* The raw IPPROTO_VRRP socket of one instance: bound to its interface and
 * its source address, in the multicast group (224.0.0.18, ff02::12) or
 * talking to its unicast peers, TTL / hop limit 255 both ways. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/vrrp.h"

#define VRRP_GROUP4 "224.0.0.18"
#define VRRP_GROUP6 "ff02::12"

static void
sock_sa(int family, const struct vrrp_pkt_addr *a, int ifindex, struct sockaddr_storage *ss,
	socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a->b, 4);
		*len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a->b, 16);
		if (IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr) || IN6_IS_ADDR_MC_LINKLOCAL(&s6->sin6_addr))
			s6->sin6_scope_id = (uint32_t)ifindex;
		*len = sizeof(*s6);
	}
}

static void
sock_group(int family, struct vrrp_pkt_addr *g)
{
	memset(g, 0, sizeof(*g));
	inet_pton(family, family == AF_INET ? VRRP_GROUP4 : VRRP_GROUP6, g->b);
}

static int
sock_opts4(int fd, const struct vrrp_inst *vi)
{
	int ttl = VRRP_PKT_TTL, off = 0;
	struct ip_mreqn mr;

	memset(&mr, 0, sizeof(mr));
	mr.imr_ifindex = vi->ifindex;
	memcpy(&mr.imr_address, vi->self.a.b, 4);
	if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0)
		return -errno;
	if (vi->n_peers)
		return 0;
	inet_pton(AF_INET, VRRP_GROUP4, &mr.imr_multiaddr);
	return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0 ? -errno : 0;
}

static int
sock_opts6(int fd, const struct vrrp_inst *vi)
{
	int hops = VRRP_PKT_TTL, off = 0, on = 1, ifx = vi->ifindex;
	struct ipv6_mreq mr;

	if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifx, sizeof(ifx)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0)
		return -errno;
	if (vi->n_peers)
		return 0;
	memset(&mr, 0, sizeof(mr));
	inet_pton(AF_INET6, VRRP_GROUP6, &mr.ipv6mr_multiaddr);
	mr.ipv6mr_interface = (unsigned)vi->ifindex;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0 ? -errno : 0;
}

int
vrrp_sock_open(const struct vrrp_inst *vi)
{
	int fd, r;

	fd = socket(vi->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_PKT_PROTO);
	if (fd < 0)
		return -errno;
	r = setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, vi->ifname, (socklen_t)strlen(vi->ifname));
	if (r == 0)
		r = vi->family == AF_INET ? sock_opts4(fd, vi) : sock_opts6(fd, vi);
	else
		r = -errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

/* The source of one packet, as ancillary data: the socket is not bound to
 * it (a raw socket bound to an address hears only packets to that
 * address, never the group), yet the v3 checksum covers it. */
static void
sock_source(const struct vrrp_inst *vi, struct msghdr *mh, void *space, size_t len)
{
	struct cmsghdr *c;

	memset(space, 0, len);
	mh->msg_control = space;
	mh->msg_controllen = len;
	c = CMSG_FIRSTHDR(mh);
	if (vi->family == AF_INET) {
		struct in_pktinfo pi = {.ipi_ifindex = vi->ifindex};

		memcpy(&pi.ipi_spec_dst, vi->self.a.b, 4);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct in6_pktinfo pi = {.ipi6_ifindex = (unsigned)vi->ifindex};

		memcpy(&pi.ipi6_addr, vi->self.a.b, 16);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
	}
}

static int
sock_send_to(struct vrrp_inst *vi, const struct vrrp_pkt *p, const struct vrrp_pkt_addr *dst)
{
	uint8_t buf[VRRP_PKT_MAX_LEN + VRRP_PKT_AUTH_LEN];
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cm;
	struct sockaddr_storage ss;
	struct iovec iov = {buf, 0};
	struct msghdr mh = {.msg_name = &ss, .msg_iov = &iov, .msg_iovlen = 1};
	socklen_t len;
	int n = vrrp_pkt_encode(p, vi->self.a.b, dst->b, buf, sizeof(buf));

	if (n < 0)
		return n;
	iov.iov_len = (size_t)n;
	sock_sa(vi->family, dst, vi->ifindex, &ss, &len);
	mh.msg_namelen = len;
	sock_source(vi, &mh, &cm, sizeof(cm));
	if (sendmsg(vi->fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

int
vrrp_sock_send(struct vrrp_inst *vi, uint8_t prio)
{
	static struct vrrp_pkt p; /* large: not on the stack */
	struct vrrp_pkt_addr group;
	unsigned n = 0;
	int r = 0, e;

	memset(&p, 0, sizeof(p));
	p.version = vi->version;
	p.vrid = vi->vrid;
	p.priority = prio;
	p.family = vi->family;
	p.interval_ms = vi->fsm.conf.advert_ms;
	for (size_t i = 0; i < vi->n_vips && n < VRRP_PKT_MAX_ADDRS; i++)
		if (vi->vips[i].family == vi->family)
			p.addrs[n++] = vi->vips[i].a;
	p.count = n;
	if (!vi->n_peers) {
		sock_group(vi->family, &group);
		return sock_send_to(vi, &p, &group);
	}
	for (size_t i = 0; i < vi->n_peers; i++)
		if ((e = sock_send_to(vi, &p, &vi->peers[i].a)) < 0 && r == 0)
			r = e;
	return r;
}

/* The hop limit and destination of an IPv6 packet, from its ancillary data. */
static void
sock_cmsg6(struct msghdr *mh, int *hops, struct vrrp_pkt_addr *dst)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT && c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(hops, CMSG_DATA(c), sizeof(int));
		else if (c->cmsg_type == IPV6_PKTINFO &&
			 c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo)))
			memcpy(dst->b,
			       &((struct in6_pktinfo *)(void *)CMSG_DATA(c))->ipi6_addr, 16);
	}
}

int
vrrp_sock_recv(struct vrrp_inst *vi, struct vrrp_pkt *out, int *drop)
{
	uint8_t buf[VRRP_PKT_IP4_HDR_LEN + 60 + VRRP_PKT_MAX_LEN + VRRP_PKT_AUTH_LEN];
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cm;
	struct sockaddr_in6 from;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = &cm, .msg_controllen = sizeof(cm)};
	struct vrrp_pkt_addr dst;
	int hops = -1;
	ssize_t n;

	int r;

	do
		n = recvmsg(vi->fd, &mh, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (mh.msg_flags & MSG_TRUNC) {
		*drop = VRRP_DROP_LENGTH;
		return 0;
	}
	if (vi->family == AF_INET) {
		r = vrrp_pkt_decode_ip4(buf, (size_t)n, out);
	} else {
		memset(&dst, 0, sizeof(dst));
		sock_cmsg6(&mh, &hops, &dst);
		r = vrrp_pkt_decode(AF_INET6, buf, (size_t)n, &from.sin6_addr, dst.b, hops, out);
	}
	*drop = -r; /* a drop reason, never an errno */
	return 0;
}
