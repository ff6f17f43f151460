/* Fuzz the IPVS reply parsers: every parser on the same bytes, as if the
 * kernel had sent them.  Invariants: the only errors are -EBADMSG and
 * -EINVAL, a failed parse leaves its output untouched, and whatever parses
 * as a service, destination or daemon goes through its request builder
 * and parses back to the same values. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/msg.h>

#include "lvsd/ipvs/ipvs.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_FAMILY 0x20 /* any generic netlink family id */
#define FUZZ_POISON 0x5a

static bool
fuzz_poisoned(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != FUZZ_POISON)
			return false;
	return true;
}

/* A parser's result: 0, or an error that left *out as it was. */
static bool
fuzz_result(int r, const void *out, size_t n)
{
	if (r == 0)
		return true;
	FUZZ_ASSERT(r == -EBADMSG || r == -EINVAL);
	FUZZ_ASSERT(fuzz_poisoned(out, n));
	return false;
}

static void
fuzz_service_back(const struct ipvs_service *s)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct ipvs_service p;
	struct nlmsghdr *h;

	FUZZ_ASSERT(msg != NULL);
	/* the builder may refuse what it cannot send (no scheduler, no protocol) */
	if (ipvs_msg_service(msg, FUZZ_FAMILY, 1, IPVS_CMD_NEW_SERVICE, s) == 0) {
		h = nlmsg_hdr(msg);
		FUZZ_ASSERT(ipvs_parse_service(h, h->nlmsg_len, &p) == 0);
		FUZZ_ASSERT(ipvs_service_same_key(s, &p));
		FUZZ_ASSERT(p.protocol == s->protocol);
		FUZZ_ASSERT(strcmp(p.sched, s->sched) == 0);
		FUZZ_ASSERT(p.flags == s->flags && p.timeout == s->timeout);
		FUZZ_ASSERT(p.netmask == s->netmask);
		FUZZ_ASSERT(!p.has_stats);
	}
	nlmsg_free(msg);
}

static void
fuzz_dest_back(const struct ipvs_dest *d)
{
	const struct ipvs_service svc = {.af = AF_INET, .fwmark = 7};
	struct nl_msg *msg = nlmsg_alloc();
	struct ipvs_dest q;
	struct nlmsghdr *h;

	FUZZ_ASSERT(msg != NULL);
	if (ipvs_msg_dest(msg, FUZZ_FAMILY, 2, IPVS_CMD_NEW_DEST, &svc, d) == 0) {
		h = nlmsg_hdr(msg);
		FUZZ_ASSERT(ipvs_parse_dest(h, h->nlmsg_len, AF_INET, &q) == 0);
		FUZZ_ASSERT(ipvs_dest_same_key(d, &q));
		FUZZ_ASSERT(q.fwd == d->fwd && q.weight == d->weight);
		FUZZ_ASSERT(q.u_threshold == d->u_threshold && q.l_threshold == d->l_threshold);
		if (d->fwd == IP_VS_CONN_F_TUNNEL)
			FUZZ_ASSERT(q.tun_type == d->tun_type && q.tun_port == d->tun_port &&
				    q.tun_flags == d->tun_flags);
	}
	nlmsg_free(msg);
}

static void
fuzz_daemon_back(const struct ipvs_daemon *d)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct ipvs_daemon q;
	struct nlmsghdr *h;

	FUZZ_ASSERT(msg != NULL);
	if (ipvs_msg_daemon(msg, FUZZ_FAMILY, 3, IPVS_CMD_NEW_DAEMON, d) == 0) {
		h = nlmsg_hdr(msg);
		FUZZ_ASSERT(ipvs_parse_daemon(h, h->nlmsg_len, &q) == 0);
		FUZZ_ASSERT(q.state == d->state && q.syncid == d->syncid);
		FUZZ_ASSERT(strcmp(q.ifname, d->ifname) == 0);
	}
	nlmsg_free(msg);
}

static void
fuzz_dests(const uint8_t *data, size_t size)
{
	static const uint16_t afs[] = {AF_INET, AF_INET6, AF_UNSPEC};
	char str[IPVS_STRLEN];

	for (size_t i = 0; i < sizeof(afs) / sizeof(afs[0]); i++) {
		struct ipvs_dest d;

		memset(&d, FUZZ_POISON, sizeof(d));
		if (fuzz_result(ipvs_parse_dest(data, size, afs[i], &d), &d, sizeof(d))) {
			FUZZ_ASSERT(d.af == AF_INET || d.af == AF_INET6);
			FUZZ_ASSERT(ipvs_dest_str(&d, str, sizeof(str)) == str);
			fuzz_dest_back(&d);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipvs_service s;
	struct ipvs_info info;
	struct ipvs_daemon dm;
	uint32_t seq = 0x5a5a5a5a;
	int err = 0x5a5a5a5a, r;
	char str[IPVS_STRLEN];

	memset(&s, FUZZ_POISON, sizeof(s));
	if (fuzz_result(ipvs_parse_service(data, size, &s), &s, sizeof(s))) {
		FUZZ_ASSERT(s.af == AF_INET || s.af == AF_INET6);
		FUZZ_ASSERT(memchr(s.sched, '\0', sizeof(s.sched)) != NULL);
		FUZZ_ASSERT(ipvs_service_str(&s, str, sizeof(str)) == str);
		fuzz_service_back(&s);
	}
	fuzz_dests(data, size);
	memset(&info, FUZZ_POISON, sizeof(info));
	fuzz_result(ipvs_parse_info(data, size, &info), &info, sizeof(info));
	memset(&dm, FUZZ_POISON, sizeof(dm));
	if (fuzz_result(ipvs_parse_daemon(data, size, &dm), &dm, sizeof(dm))) {
		FUZZ_ASSERT(memchr(dm.ifname, '\0', sizeof(dm.ifname)) != NULL);
		fuzz_daemon_back(&dm);
	}
	if ((r = ipvs_parse_ack(data, size, &seq, &err)) == 0)
		FUZZ_ASSERT(err <= 0 && err >= -4095);
	else
		FUZZ_ASSERT(r == -EBADMSG && seq == 0x5a5a5a5a && err == 0x5a5a5a5a);
	return 0;
}
