/* Telling the link that this director now has the virtual addresses (or,
 * its link back, its own address): gratuitous ARP requests (IPv4; sender
 * and target are the address) on a packet socket, unsolicited neighbour
 * advertisements (IPv6, RFC 4861 7.2.6: override flag, target link-layer
 * address) to all nodes with hop limit 255 on a raw ICMPv6 socket, which
 * computes the checksum. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/vrrp.h"

struct garp {
	struct arphdr h;
	uint8_t sha[ETH_ALEN];
	uint8_t spa[4];
	uint8_t tha[ETH_ALEN];
	uint8_t tpa[4];
} __attribute__((packed));

struct una {
	struct nd_neighbor_advert na;
	struct nd_opt_hdr opt;
	uint8_t lladdr[ETH_ALEN];
} __attribute__((packed));

/* The interface's hardware address: 0, or -errno (-EOPNOTSUPP when it has
 * no Ethernet address: nothing to announce). */
static int
announce_hwaddr(int fd, const char *ifname, uint8_t mac[ETH_ALEN])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		return -EOPNOTSUPP;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	return 0;
}

static int
announce_arp(const struct vrrp_inst *vi, const struct vrrp_addr *addrs, size_t n)
{
	struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
				 .sll_ifindex = vi->ifindex, .sll_halen = ETH_ALEN};
	struct garp g;
	int fd, r = 0;

	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
	if (fd < 0)
		return -errno;
	memset(&g, 0, sizeof(g));
	if ((r = announce_hwaddr(fd, vi->ifname, g.sha)) < 0) {
		close(fd);
		return r == -EOPNOTSUPP ? 0 : r;
	}
	memset(to.sll_addr, 0xff, ETH_ALEN);
	g.h.ar_hrd = htons(ARPHRD_ETHER);
	g.h.ar_pro = htons(ETH_P_IP);
	g.h.ar_hln = ETH_ALEN;
	g.h.ar_pln = 4;
	g.h.ar_op = htons(ARPOP_REQUEST);
	for (size_t i = 0; i < n; i++) {
		if (addrs[i].family != AF_INET)
			continue;
		memcpy(g.spa, addrs[i].a.b, 4);
		memcpy(g.tpa, addrs[i].a.b, 4);
		if (sendto(fd, &g, sizeof(g), 0, (struct sockaddr *)&to, sizeof(to)) < 0 && !r)
			r = -errno;
	}
	close(fd);
	return r;
}

static int
announce_na(const struct vrrp_inst *vi, const struct vrrp_addr *addrs, size_t n)
{
	struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)vi->ifindex};
	int fd, hops = 255, r = 0, ifx = vi->ifindex;
	struct una u;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	memset(&u, 0, sizeof(u));
	if ((r = announce_hwaddr(fd, vi->ifname, u.lladdr)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifx, sizeof(ifx)) < 0) {
		r = r ? r : -errno;
		close(fd);
		return r == -EOPNOTSUPP ? 0 : r;
	}
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	u.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	u.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;
	u.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
	u.opt.nd_opt_len = 1; /* in units of 8 bytes */
	for (size_t i = 0; i < n; i++) {
		if (addrs[i].family != AF_INET6)
			continue;
		memcpy(&u.na.nd_na_target, addrs[i].a.b, 16);
		if (sendto(fd, &u, sizeof(u), 0, (struct sockaddr *)&to, sizeof(to)) < 0 && !r)
			r = -errno;
	}
	close(fd);
	return r;
}

int
vrrp_announce(const struct vrrp_inst *vi)
{
	bool v4 = false, v6 = false;
	int r = 0, e;

	for (size_t i = 0; i < vi->n_vips; i++) {
		v4 |= vi->vips[i].family == AF_INET;
		v6 |= vi->vips[i].family == AF_INET6;
	}
	if (v4)
		r = announce_arp(vi, vi->vips, vi->n_vips);
	if (v6 && (e = announce_na(vi, vi->vips, vi->n_vips)) < 0 && !r)
		r = e;
	return r;
}

int
vrrp_announce_self(const struct vrrp_inst *vi)
{
	if (!vi->have_self)
		return 0;
	return vi->self.family == AF_INET ? announce_arp(vi, &vi->self, 1)
					  : announce_na(vi, &vi->self, 1);
}
