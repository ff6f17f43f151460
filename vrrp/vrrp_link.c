/* Interface state from rtnetlink: a link that goes down (administratively
 * or losing its carrier) or away is reported at once, from the kernel's
 * notification, not from polling. */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "vrrp/vrrp.h"

struct vrrp_link {
	struct nl_sock *sk;
	struct event *ev;
	vrrp_link_cb cb;
	void *arg;
};

static bool
link_up(unsigned flags)
{
	return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

static int
link_msg(struct nl_msg *msg, void *arg)
{
	struct vrrp_link *l = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;
	char name[IF_NAMESIZE];

	if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK)
		return NL_OK;
	if (nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0 || !tb[IFLA_IFNAME])
		return NL_OK;
	ifi = nlmsg_data(h);
	nla_strlcpy(name, tb[IFLA_IFNAME], sizeof(name));
	l->cb(l->arg, name, ifi->ifi_index,
	      h->nlmsg_type == RTM_NEWLINK && link_up(ifi->ifi_flags));
	return NL_OK;
}

static void
link_readable(evutil_socket_t fd, short what, void *arg)
{
	struct vrrp_link *l = arg;

	/* a full socket buffer lost notifications: nothing to do but go on,
	 * every later one carries the whole state of its link */
	nl_recvmsgs_default(l->sk);
}

int
vrrp_link_open(struct event_base *base, vrrp_link_cb cb, void *arg, struct vrrp_link **out)
{
	struct vrrp_link *l = calloc(1, sizeof(*l));
	int r = -ENOMEM;

	if (!l || !(l->sk = nl_socket_alloc()))
		goto fail;
	l->cb = cb;
	l->arg = arg;
	nl_socket_disable_seq_check(l->sk);
	nl_socket_modify_cb(l->sk, NL_CB_VALID, NL_CB_CUSTOM, link_msg, l);
	if (nl_connect(l->sk, NETLINK_ROUTE) < 0 ||
	    nl_socket_add_membership(l->sk, RTNLGRP_LINK) < 0 ||
	    nl_socket_set_nonblocking(l->sk) < 0) {
		r = -EIO;
		goto fail;
	}
	l->ev = event_new(base, nl_socket_get_fd(l->sk), EV_READ | EV_PERSIST, link_readable, l);
	if (!l->ev || event_add(l->ev, NULL) < 0)
		goto fail;
	*out = l;
	return 0;
fail:
	vrrp_link_close(l);
	return r;
}

void
vrrp_link_close(struct vrrp_link *l)
{
	if (!l)
		return;
	if (l->ev)
		event_free(l->ev);
	if (l->sk)
		nl_socket_free(l->sk);
	free(l);
}

int
vrrp_link_state(const char *ifname, int *ifindex, bool *up)
{
	struct ifreq ifr;
	int fd, r = 0;

	*ifindex = (int)if_nametoindex(ifname);
	if (!*ifindex)
		return -ENODEV;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		r = -errno;
	else
		*up = link_up((unsigned)ifr.ifr_flags);
	close(fd);
	return r;
}
