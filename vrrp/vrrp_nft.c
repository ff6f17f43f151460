/* The strict filter's netlink socket: one transaction per call, sent
 * whole and read back until the kernel has answered its last command. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "vrrp/vrrp_nft.h"

/* How long one transaction may take before we give up on its answer
 * (the kernel answers in microseconds; this only bounds a lost answer). */
#define ANSWER_TIMEOUT_S 5

struct vrrp_nft {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	unsigned families;
};

static void
free_ptr(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ __attribute__((cleanup(free_ptr)))

static int
sock_open(struct vrrp_nft *n)
{
	struct timeval tv = {.tv_sec = ANSWER_TIMEOUT_S};
	int one = 1;
	int fd;

	if (!(n->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC)))
		return -errno;
	if (mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	fd = mnl_socket_get_fd(n->nl);
	/* errors come back with our request's header only, not all of it */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	n->portid = mnl_socket_get_portid(n->nl);
	n->seq = 1;
	return 0;
}

/* Reserve `count` sequence numbers; restart from 1 before they wrap, so
 * that a batch's numbers always increase. */
static uint32_t
next_seq(struct vrrp_nft *n, size_t count)
{
	uint32_t s;

	if (n->seq == 0 || UINT32_MAX - n->seq < count + 1)
		n->seq = 1;
	s = n->seq;
	n->seq += (uint32_t)count + 1;
	return s;
}

/* Read answers until the batch [first, last] is settled. */
static int
wait_answer(struct vrrp_nft *n, uint32_t first, uint32_t last)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	bool done = false;
	int err = 0;
	ssize_t got;
	int rc;

	while (!done) {
		got = mnl_socket_recvfrom(n->nl, buf, sizeof(buf));
		if (got < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
		if ((rc = vrrp_nft_parse_acks(buf, (size_t)got, first, last, &done, &err)) < 0)
			return rc;
	}
	return err;
}

static int
transact(struct vrrp_nft *n, const void *buf, size_t len, uint32_t first, uint32_t last)
{
	ssize_t sent = mnl_socket_sendto(n->nl, buf, len);

	if (sent < 0)
		return -errno;
	if ((size_t)sent != len)
		return -EMSGSIZE;
	return wait_answer(n, first, last);
}

/* A family missing from the kernel shows as an unknown chain type or
 * expression (ENOENT) or an unsupported family or operation. */
static bool
family_missing(int rc)
{
	return rc == -ENOENT || rc == -EAFNOSUPPORT || rc == -EOPNOTSUPP || rc == -EPROTONOSUPPORT;
}

static int
install(struct vrrp_nft *n, unsigned families, const struct vrrp_nft_addr *a, size_t count)
{
	size_t len = vrrp_nft_msg_size(count), used;
	_cleanup_free_ void *buf = malloc(len);
	uint32_t first, last;
	int rc;

	if (!buf)
		return -ENOMEM;
	first = next_seq(n, len / NLMSG_HDRLEN);
	if ((rc = vrrp_nft_msg_open(buf, len, first, families, a, count, &used, &last)) < 0)
		return rc;
	return transact(n, buf, used, first, last);
}

/* Best effort: our tables of another layout (an earlier run on the same
 * host with a different kernel, or a forced layout) go away. */
static void
remove_leftovers(struct vrrp_nft *n)
{
	static const struct {
		uint16_t nfproto;
		unsigned bit;
	} tables[] = {
	    {NFPROTO_INET, VRRP_NFT_IPV4}, {NFPROTO_ARP, VRRP_NFT_ARP}, {NFPROTO_IPV6, 0}};
	char buf[1024] __attribute__((aligned(4)));
	uint32_t first, last;
	size_t used;

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		bool ours = tables[i].bit ? (n->families & tables[i].bit) != 0
					  : n->families == VRRP_NFT_IPV6;

		first = next_seq(n, sizeof(buf) / NLMSG_HDRLEN);
		if (!ours && vrrp_nft_msg_remove_table(buf, sizeof(buf), first, tables[i].nfproto,
						       &used, &last) == 0)
			(void)transact(n, buf, used, first, last);
	}
}

int
vrrp_nft_open_with(struct vrrp_nft **out, unsigned want, const struct vrrp_nft_addr *a,
		   size_t count)
{
	static const unsigned layouts[] = {VRRP_NFT_ALL, VRRP_NFT_IPV4 | VRRP_NFT_IPV6,
					   VRRP_NFT_IPV6};
	struct vrrp_nft *n = calloc(1, sizeof(*n));
	int rc = -EAFNOSUPPORT;

	if (!n)
		return -ENOMEM;
	if ((rc = sock_open(n)) == 0) {
		rc = -EAFNOSUPPORT;
		for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
			if ((layouts[i] & want) != layouts[i])
				continue;
			rc = install(n, layouts[i], a, count);
			if (rc == 0)
				n->families = layouts[i];
			if (!family_missing(rc))
				break;
		}
	}
	if (rc < 0) {
		vrrp_nft_close(n, false);
		return family_missing(rc) ? -EAFNOSUPPORT : rc;
	}
	remove_leftovers(n);
	*out = n;
	return 0;
}

int
vrrp_nft_open(struct vrrp_nft **out)
{
	return vrrp_nft_open_with(out, VRRP_NFT_ALL, NULL, 0);
}

unsigned
vrrp_nft_families(const struct vrrp_nft *n)
{
	return n->families;
}

static bool
filtered(const struct vrrp_nft *n, const struct vrrp_nft_addr *a)
{
	return a->family == AF_INET6 ? (n->families & VRRP_NFT_IPV6) != 0
				     : (n->families & (VRRP_NFT_IPV4 | VRRP_NFT_ARP)) != 0;
}

int
vrrp_nft_update(struct vrrp_nft *n, const struct vrrp_nft_addr *a, size_t count)
{
	size_t len = vrrp_nft_msg_size(count), used, any = 0;
	_cleanup_free_ void *buf = NULL;
	uint32_t first, last;
	int rc;

	for (size_t i = 0; i < count; i++) {
		if (a[i].family != AF_INET && a[i].family != AF_INET6)
			return -EINVAL;
		any += filtered(n, &a[i]);
	}
	if (count == 0)
		return 0;
	if (!any)
		return -EAFNOSUPPORT;
	if (!(buf = malloc(len)))
		return -ENOMEM;
	first = next_seq(n, len / NLMSG_HDRLEN);
	if ((rc = vrrp_nft_msg_update(buf, len, first, n->families, a, count, &used, &last)) < 0)
		return rc;
	return transact(n, buf, used, first, last);
}

int
vrrp_nft_set_held(struct vrrp_nft *n, int family, const void *addr, bool held)
{
	struct vrrp_nft_addr a = {.family = family, .held = held};

	if (family == AF_INET)
		memcpy(&a.addr.v4, addr, sizeof(a.addr.v4));
	else if (family == AF_INET6)
		memcpy(&a.addr.v6, addr, sizeof(a.addr.v6));
	else
		return -EINVAL;
	return vrrp_nft_update(n, &a, 1);
}

static int
remove_tables(struct vrrp_nft *n)
{
	char buf[4096] __attribute__((aligned(4)));
	uint32_t first = next_seq(n, sizeof(buf) / NLMSG_HDRLEN), last;
	size_t used;
	int rc;

	if ((rc = vrrp_nft_msg_remove(buf, sizeof(buf), first, n->families, &used, &last)) < 0)
		return rc;
	return transact(n, buf, used, first, last);
}

void
vrrp_nft_close(struct vrrp_nft *n, bool remove)
{
	if (!n)
		return;
	if (remove && n->nl && n->families)
		(void)remove_tables(n);
	if (n->nl)
		mnl_socket_close(n->nl);
	free(n);
}
