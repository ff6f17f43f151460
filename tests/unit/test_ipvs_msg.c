/* IPVS generic netlink builders, byte for byte, and strict parsers.
 * Expected messages are written out by hand from linux/ip_vs.h (x86:
 * little-endian host order; ports and addresses in network order). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <netlink/msg.h>

#include "lvsd/ipvs/ipvs.h"

#define FAM 0x1c

static struct ipvs_service
svc_tcp_v4(void)
{
	struct ipvs_service s = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 };

	inet_pton(AF_INET, "192.0.2.1", &s.addr.v4);
	strcpy(s.sched, "wrr");
	s.netmask = 0xffffffff;
	return s;
}

static void
assert_msg(struct nl_msg *msg, const uint8_t *want, size_t len)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);

	assert_int_equal(h->nlmsg_len, len);
	assert_memory_equal(h, want, len);
	nlmsg_free(msg);
}

/* ------------------------------------------------------------- builders */

static void
test_build_del_service_v4(void **state)
{
	static const uint8_t want[] = {
		0x44, 0, 0, 0, 0x1c, 0, 0x05, 0, 0x04, 0x03, 0x02, 0x01, 0, 0, 0, 0, /* nlmsghdr */
		0x03, 0x01, 0, 0,                                /* DEL_SERVICE, version 1 */
		0x30, 0, 0x01, 0x80,                             /* nested SERVICE */
		0x06, 0, 0x01, 0, 0x02, 0, 0, 0,                 /* AF inet */
		0x06, 0, 0x02, 0, 0x06, 0, 0, 0,                 /* PROTOCOL tcp */
		0x14, 0, 0x03, 0, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* ADDR */
		0x06, 0, 0x04, 0, 0x00, 0x50, 0, 0,              /* PORT 80 */
	};
	struct ipvs_service s = svc_tcp_v4();
	struct nl_msg *msg = nlmsg_alloc();

	(void)state;
	assert_int_equal(ipvs_msg_service(msg, FAM, 0x01020304, IPVS_CMD_DEL_SERVICE, &s), 0);
	assert_msg(msg, want, sizeof(want));
}

static void
test_build_new_service_v6_persistent(void **state)
{
	static const uint8_t want[] = {
		0x68, 0, 0, 0, 0x1c, 0, 0x05, 0, 0x09, 0, 0, 0, 0, 0, 0, 0,
		0x01, 0x01, 0, 0,                                /* NEW_SERVICE */
		0x54, 0, 0x01, 0x80,
		0x06, 0, 0x01, 0, 0x0a, 0, 0, 0,                 /* AF inet6 */
		0x06, 0, 0x02, 0, 0x06, 0, 0, 0,
		0x14, 0, 0x03, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x06, 0, 0x04, 0, 0x01, 0xbb, 0, 0,              /* PORT 443 */
		0x08, 0, 0x06, 0, 'w', 'r', 'r', 0,              /* SCHED_NAME */
		0x0c, 0, 0x07, 0, 0x01, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, /* FLAGS persistent, mask */
		0x08, 0, 0x08, 0, 0x2c, 0x01, 0, 0,              /* TIMEOUT 300 */
		0x08, 0, 0x09, 0, 0x40, 0, 0, 0,                 /* NETMASK /64 */
	};
	struct ipvs_service s = { .af = AF_INET6, .protocol = IPPROTO_TCP, .port = 443,
				  .flags = IP_VS_SVC_F_PERSISTENT, .timeout = 300, .netmask = 64 };
	struct nl_msg *msg = nlmsg_alloc();

	(void)state;
	inet_pton(AF_INET6, "2001:db8::1", &s.addr.v6);
	strcpy(s.sched, "wrr");
	assert_int_equal(ipvs_msg_service(msg, FAM, 9, IPVS_CMD_NEW_SERVICE, &s), 0);
	assert_msg(msg, want, sizeof(want));
}

static void
test_build_del_service_fwmark(void **state)
{
	static const uint8_t want[] = {
		0x28, 0, 0, 0, 0x1c, 0, 0x05, 0, 0x02, 0, 0, 0, 0, 0, 0, 0,
		0x03, 0x01, 0, 0,
		0x14, 0, 0x01, 0x80,
		0x06, 0, 0x01, 0, 0x02, 0, 0, 0,
		0x08, 0, 0x05, 0, 0x07, 0, 0, 0,                 /* FWMARK 7 */
	};
	struct ipvs_service s = { .af = AF_INET, .fwmark = 7 };
	struct nl_msg *msg = nlmsg_alloc();

	(void)state;
	assert_int_equal(ipvs_msg_service(msg, FAM, 2, IPVS_CMD_DEL_SERVICE, &s), 0);
	assert_msg(msg, want, sizeof(want));
}

static void
test_build_new_dest_tun(void **state)
{
	static const uint8_t want[] = {
		0xa4, 0, 0, 0, 0x1c, 0, 0x05, 0, 0x07, 0, 0, 0, 0, 0, 0, 0,
		0x05, 0x01, 0, 0,                                /* NEW_DEST */
		0x30, 0, 0x01, 0x80,
		0x06, 0, 0x01, 0, 0x02, 0, 0, 0,
		0x06, 0, 0x02, 0, 0x06, 0, 0, 0,
		0x14, 0, 0x03, 0, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x06, 0, 0x04, 0, 0x00, 0x50, 0, 0,
		0x60, 0, 0x02, 0x80,                             /* nested DEST */
		0x14, 0, 0x01, 0, 198, 51, 100, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x06, 0, 0x0b, 0, 0x02, 0, 0, 0,                 /* ADDR_FAMILY inet */
		0x06, 0, 0x02, 0, 0x00, 0x50, 0, 0,              /* PORT 80 */
		0x08, 0, 0x03, 0, 0x02, 0, 0, 0,                 /* FWD_METHOD tunnel */
		0x08, 0, 0x04, 0, 0x64, 0, 0, 0,                 /* WEIGHT 100 */
		0x08, 0, 0x05, 0, 0x10, 0x27, 0, 0,              /* U_THRESH 10000 */
		0x08, 0, 0x06, 0, 0x0a, 0, 0, 0,                 /* L_THRESH 10 */
		0x05, 0, 0x0d, 0, 0x00, 0, 0, 0,                 /* TUN_TYPE ipip */
		0x06, 0, 0x0e, 0, 0x00, 0x00, 0, 0,              /* TUN_PORT */
		0x06, 0, 0x0f, 0, 0x00, 0x00, 0, 0,              /* TUN_FLAGS */
	};
	struct ipvs_service s = svc_tcp_v4();
	struct ipvs_dest d = { .af = AF_INET, .port = 80, .fwd = IP_VS_CONN_F_TUNNEL,
			       .tun_type = IP_VS_CONN_F_TUNNEL_TYPE_IPIP, .weight = 100,
			       .u_threshold = 10000, .l_threshold = 10 };
	struct nl_msg *msg = nlmsg_alloc();

	(void)state;
	inet_pton(AF_INET, "198.51.100.11", &d.addr.v4);
	assert_int_equal(ipvs_msg_dest(msg, FAM, 7, IPVS_CMD_NEW_DEST, &s, &d), 0);
	assert_msg(msg, want, sizeof(want));
}

static void
test_build_del_dest_v6_in_v4(void **state)
{
	static const uint8_t want[] = {
		0x6c, 0, 0, 0, 0x1c, 0, 0x05, 0, 0x08, 0, 0, 0, 0, 0, 0, 0,
		0x07, 0x01, 0, 0,                                /* DEL_DEST */
		0x30, 0, 0x01, 0x80,
		0x06, 0, 0x01, 0, 0x02, 0, 0, 0,
		0x06, 0, 0x02, 0, 0x06, 0, 0, 0,
		0x14, 0, 0x03, 0, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x06, 0, 0x04, 0, 0x00, 0x50, 0, 0,
		0x28, 0, 0x02, 0x80,
		0x14, 0, 0x01, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b,
		0x06, 0, 0x0b, 0, 0x0a, 0, 0, 0,                 /* ADDR_FAMILY inet6 */
		0x06, 0, 0x02, 0, 0x00, 0x50, 0, 0,
	};
	struct ipvs_service s = svc_tcp_v4();
	struct ipvs_dest d = { .af = AF_INET6, .port = 80, .fwd = IP_VS_CONN_F_TUNNEL };
	struct nl_msg *msg = nlmsg_alloc();

	(void)state;
	inet_pton(AF_INET6, "2001:db8::b", &d.addr.v6);
	assert_int_equal(ipvs_msg_dest(msg, FAM, 8, IPVS_CMD_DEL_DEST, &s, &d), 0);
	assert_msg(msg, want, sizeof(want));
}

static void
test_build_set_dest_dr_no_tunnel_attrs(void **state)
{
	struct ipvs_service s = svc_tcp_v4();
	struct ipvs_dest d = { .af = AF_INET, .port = 80, .fwd = IP_VS_CONN_F_DROUTE, .weight = 3,
			       .tun_type = 1 };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *h;

	(void)state;
	assert_int_equal(ipvs_msg_dest(msg, FAM, 1, IPVS_CMD_SET_DEST, &s, &d), 0);
	h = nlmsg_hdr(msg);
	/* header 20 + service 48 + dest 4 + addr 20 + 6 x 8 */
	assert_int_equal(h->nlmsg_len, 20 + 48 + 4 + 20 + 6 * 8);
	assert_int_equal(((uint8_t *)h)[16], IPVS_CMD_SET_DEST);
	nlmsg_free(msg);
}

static void
test_build_daemon(void **state)
{
	static const uint8_t want_new[] = {
		0x34, 0, 0, 0, 0x1c, 0, 0x05, 0, 0x03, 0, 0, 0, 0, 0, 0, 0,
		0x09, 0x01, 0, 0,                                /* NEW_DAEMON */
		0x20, 0, 0x03, 0x80,                             /* nested DAEMON */
		0x08, 0, 0x01, 0, 0x01, 0, 0, 0,                 /* STATE master */
		0x09, 0, 0x02, 0, 'e', 't', 'h', '0', 0, 0, 0, 0, /* MCAST_IFN */
		0x08, 0, 0x03, 0, 0x05, 0, 0, 0,                 /* SYNC_ID 5 */
	};
	static const uint8_t want_del[] = {
		0x20, 0, 0, 0, 0x1c, 0, 0x05, 0, 0x04, 0, 0, 0, 0, 0, 0, 0,
		0x0a, 0x01, 0, 0,                                /* DEL_DAEMON */
		0x0c, 0, 0x03, 0x80,
		0x08, 0, 0x01, 0, 0x02, 0, 0, 0,                 /* STATE backup */
	};
	struct ipvs_daemon d = { .state = IP_VS_STATE_MASTER, .ifname = "eth0", .syncid = 5 };
	struct ipvs_daemon b = { .state = IP_VS_STATE_BACKUP };
	struct nl_msg *msg = nlmsg_alloc();

	(void)state;
	assert_int_equal(ipvs_msg_daemon(msg, FAM, 3, IPVS_CMD_NEW_DAEMON, &d), 0);
	assert_msg(msg, want_new, sizeof(want_new));
	msg = nlmsg_alloc();
	assert_int_equal(ipvs_msg_daemon(msg, FAM, 4, IPVS_CMD_DEL_DAEMON, &b), 0);
	assert_msg(msg, want_del, sizeof(want_del));
}

static void
test_build_gets(void **state)
{
	static const uint8_t want_svcs[] = {
		0x14, 0, 0, 0, 0x1c, 0, 0x01, 0x03, 0x05, 0, 0, 0, 0, 0, 0, 0, /* REQUEST|DUMP */
		0x04, 0x01, 0, 0,
	};
	static const uint8_t want_info[] = {
		0x14, 0, 0, 0, 0x1c, 0, 0x01, 0x00, 0x06, 0, 0, 0, 0, 0, 0, 0,
		0x0f, 0x01, 0, 0,                                /* GET_INFO */
	};
	static const uint8_t want_dests[] = {
		0x28, 0, 0, 0, 0x1c, 0, 0x01, 0x03, 0x07, 0, 0, 0, 0, 0, 0, 0,
		0x08, 0x01, 0, 0,                                /* GET_DEST */
		0x14, 0, 0x01, 0x80,
		0x06, 0, 0x01, 0, 0x02, 0, 0, 0,
		0x08, 0, 0x05, 0, 0x2a, 0, 0, 0,                 /* FWMARK 42 */
	};
	struct ipvs_service fw = { .af = AF_INET, .fwmark = 42 };
	struct nl_msg *msg = nlmsg_alloc();

	(void)state;
	assert_int_equal(ipvs_msg_get_services(msg, FAM, 5), 0);
	assert_msg(msg, want_svcs, sizeof(want_svcs));
	msg = nlmsg_alloc();
	assert_int_equal(ipvs_msg_get_info(msg, FAM, 6), 0);
	assert_msg(msg, want_info, sizeof(want_info));
	msg = nlmsg_alloc();
	assert_int_equal(ipvs_msg_get_dests(msg, FAM, 7, &fw), 0);
	assert_msg(msg, want_dests, sizeof(want_dests));
}

static void
test_build_rejects(void **state)
{
	struct ipvs_service s = svc_tcp_v4(), bad;
	struct ipvs_dest d = { .af = AF_INET, .port = 80, .fwd = IP_VS_CONN_F_TUNNEL };
	struct ipvs_daemon dm = { .state = IP_VS_STATE_MASTER, .ifname = "" };
	struct nl_msg *msg;

	(void)state;
#define REJECT(call)                                      \
	do {                                              \
		msg = nlmsg_alloc();                      \
		assert_int_equal((call), -EINVAL);        \
		nlmsg_free(msg);                          \
	} while (0)
	REJECT(ipvs_msg_service(msg, FAM, 1, IPVS_CMD_NEW_DEST, &s));
	REJECT(ipvs_msg_service(msg, 0, 1, IPVS_CMD_NEW_SERVICE, &s));
	bad = s;
	bad.af = 0;
	REJECT(ipvs_msg_service(msg, FAM, 1, IPVS_CMD_DEL_SERVICE, &bad));
	bad = s;
	bad.sched[0] = '\0';
	REJECT(ipvs_msg_service(msg, FAM, 1, IPVS_CMD_NEW_SERVICE, &bad));
	bad = s;
	bad.protocol = 0;
	REJECT(ipvs_msg_service(msg, FAM, 1, IPVS_CMD_DEL_SERVICE, &bad));
	d.fwd = 4; /* bypass is not a forwarding method one may set */
	REJECT(ipvs_msg_dest(msg, FAM, 1, IPVS_CMD_NEW_DEST, &s, &d));
	d.fwd = IP_VS_CONN_F_MASQ;
	d.weight = 0x80000000U;
	REJECT(ipvs_msg_dest(msg, FAM, 1, IPVS_CMD_SET_DEST, &s, &d));
	d.weight = 1;
	d.af = 3;
	REJECT(ipvs_msg_dest(msg, FAM, 1, IPVS_CMD_DEL_DEST, &s, &d));
	REJECT(ipvs_msg_daemon(msg, FAM, 1, IPVS_CMD_NEW_DAEMON, &dm));
	dm.state = 0;
	REJECT(ipvs_msg_daemon(msg, FAM, 1, IPVS_CMD_DEL_DAEMON, &dm));
	REJECT(ipvs_msg_op(msg, FAM, 1, &(struct ipvs_op){ .cmd = IPVS_CMD_FLUSH }));
#undef REJECT
}

/* ------------------------------------------------------------- parsers */

/* A GET_SERVICE dump part as the kernel writes it. */
static const uint8_t svc_reply[] = {
	0xa8, 0, 0, 0, 0x1c, 0, 0x02, 0, 0x01, 0, 0, 0, 0x44, 0x33, 0x22, 0x11, /* NLM_F_MULTI */
	0x01, 0x01, 0, 0,                                        /* NEW_SERVICE */
	0x94, 0, 0x01, 0,                                        /* SERVICE (no NESTED bit) */
	0x06, 0, 0x01, 0, 0x02, 0, 0, 0,
	0x06, 0, 0x02, 0, 0x06, 0, 0, 0,
	0x14, 0, 0x03, 0, 192, 0, 2, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x06, 0, 0x04, 0, 0x00, 0x50, 0, 0,                      /* offset 60: PORT */
	0x08, 0, 0x06, 0, 'w', 'r', 'r', 0,                      /* offset 68: SCHED_NAME */
	0x0c, 0, 0x07, 0, 0x03, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, /* persistent|hashed */
	0x08, 0, 0x08, 0, 0x2c, 0x01, 0, 0,
	0x08, 0, 0x09, 0, 0xff, 0xff, 0xff, 0xff,
	0x40, 0, 0x0c, 0,                                        /* offset 104: STATS64 */
	0x0c, 0, 0x01, 0, 5, 0, 0, 0, 0, 0, 0, 0,
	0x0c, 0, 0x02, 0, 7, 0, 0, 0, 0, 0, 0, 0,
	0x0c, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x0c, 0, 0x04, 0, 0xe8, 0x03, 0, 0, 0, 0, 0, 0,
	0x0c, 0, 0x05, 0, 0, 0, 0, 0, 1, 0, 0, 0,                /* offset 156: OUTBYTES 2^32 */
};

static void
test_parse_service(void **state)
{
	struct ipvs_service s;
	char buf[IPVS_STRLEN];

	(void)state;
	assert_int_equal(sizeof(svc_reply), 0xa8);
	assert_int_equal(ipvs_parse_service(svc_reply, sizeof(svc_reply), &s), 0);
	assert_int_equal(s.af, AF_INET);
	assert_int_equal(s.protocol, IPPROTO_TCP);
	assert_int_equal(s.port, 80);
	assert_int_equal(s.fwmark, 0);
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "tcp 192.0.2.10:80");
	assert_string_equal(s.sched, "wrr");
	assert_int_equal(s.flags, IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_HASHED);
	assert_int_equal(s.timeout, 300);
	assert_int_equal(s.netmask, 0xffffffff);
	assert_true(s.has_stats);
	assert_int_equal(s.stats.conns, 5);
	assert_int_equal(s.stats.inpkts, 7);
	assert_int_equal(s.stats.outpkts, 0);
	assert_int_equal(s.stats.inbytes, 1000);
	assert_int_equal(s.stats.outbytes, 1ULL << 32);
}

static void
reject_svc(const uint8_t *m, size_t len, int want)
{
	struct ipvs_service s;

	memset(&s, 0x5a, sizeof(s));
	assert_int_equal(ipvs_parse_service(m, len, &s), want);
	assert_int_equal(s.af, 0x5a5a); /* untouched on failure */
}

static void
test_parse_service_malformed(void **state)
{
	uint8_t m[sizeof(svc_reply)];

	(void)state;
	/* every truncated buffer */
	for (size_t len = 0; len < sizeof(svc_reply); len++)
		reject_svc(svc_reply, len, -EBADMSG);
	/* message and service nest shortened by 4: STATS64 now overruns its parent */
	memcpy(m, svc_reply, sizeof(m));
	m[0] -= 4;
	m[20] -= 4;
	reject_svc(m, sizeof(m), -EBADMSG);
	/* an attribute shorter than its own header */
	memcpy(m, svc_reply, sizeof(m));
	m[24] = 2;
	reject_svc(m, sizeof(m), -EBADMSG);
	/* not a service reply */
	memcpy(m, svc_reply, sizeof(m));
	m[16] = IPVS_CMD_NEW_DEST;
	reject_svc(m, sizeof(m), -EBADMSG);
	/* the scheduler missing (its type turned into an unknown one) */
	memcpy(m, svc_reply, sizeof(m));
	m[70] = 0x0f;
	reject_svc(m, sizeof(m), -EINVAL);
	/* the scheduler without its NUL */
	memcpy(m, svc_reply, sizeof(m));
	m[75] = 'x';
	reject_svc(m, sizeof(m), -EINVAL);
	/* a port of four bytes */
	memcpy(m, svc_reply, sizeof(m));
	m[60] = 8;
	reject_svc(m, sizeof(m), -EINVAL);
	/* a stats counter missing */
	memcpy(m, svc_reply, sizeof(m));
	m[158] = IPVS_STATS_ATTR_PAD;
	reject_svc(m, sizeof(m), -EINVAL);
	/* the address missing: no key */
	memcpy(m, svc_reply, sizeof(m));
	m[42] = 0x0f;
	reject_svc(m, sizeof(m), -EINVAL);
}

static void
test_parse_roundtrip(void **state)
{
	struct ipvs_service s = svc_tcp_v4(), p;
	struct ipvs_dest d = { .af = AF_INET6, .port = 8080, .fwd = IP_VS_CONN_F_TUNNEL,
			       .tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE, .tun_port = 6080,
			       .tun_flags = 1, .weight = 65535, .u_threshold = 9,
			       .l_threshold = 3 },
			 q;
	struct ipvs_daemon dm = { .state = IP_VS_STATE_BACKUP, .ifname = "veth-sync0",
				  .syncid = 255 },
			   dq;
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *h;

	(void)state;
	s.fwmark = 0;
	s.flags = IP_VS_SVC_F_ONEPACKET;
	assert_int_equal(ipvs_msg_service(msg, FAM, 1, IPVS_CMD_NEW_SERVICE, &s), 0);
	h = nlmsg_hdr(msg);
	assert_int_equal(ipvs_parse_service(h, h->nlmsg_len, &p), 0);
	assert_true(ipvs_service_same_key(&s, &p));
	assert_string_equal(p.sched, "wrr");
	assert_int_equal(p.flags, IP_VS_SVC_F_ONEPACKET);
	assert_false(p.has_stats);
	nlmsg_free(msg);

	inet_pton(AF_INET6, "2001:db8::5", &d.addr.v6);
	msg = nlmsg_alloc();
	assert_int_equal(ipvs_msg_dest(msg, FAM, 2, IPVS_CMD_NEW_DEST, &s, &d), 0);
	h = nlmsg_hdr(msg);
	assert_int_equal(ipvs_parse_dest(h, h->nlmsg_len, AF_INET, &q), 0);
	assert_true(ipvs_dest_same_key(&d, &q));
	assert_int_equal(q.af, AF_INET6);
	assert_int_equal(q.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(q.tun_port, 6080);
	assert_int_equal(q.tun_flags, 1);
	assert_int_equal(q.weight, 65535);
	assert_int_equal(q.u_threshold, 9);
	assert_int_equal(q.l_threshold, 3);
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	assert_int_equal(ipvs_msg_daemon(msg, FAM, 3, IPVS_CMD_NEW_DAEMON, &dm), 0);
	h = nlmsg_hdr(msg);
	assert_int_equal(ipvs_parse_daemon(h, h->nlmsg_len, &dq), 0);
	assert_int_equal(dq.state, IP_VS_STATE_BACKUP);
	assert_string_equal(dq.ifname, "veth-sync0");
	assert_int_equal(dq.syncid, 255);
	nlmsg_free(msg);
}

/* A GET_DEST dump part: no ADDR_FAMILY (older kernels), 32-bit STATS. */
static const uint8_t dest_reply[] = {
	0x98, 0, 0, 0, 0x1c, 0, 0x02, 0, 0x02, 0, 0, 0, 0, 0, 0, 0,
	0x05, 0x01, 0, 0,                                        /* NEW_DEST */
	0x84, 0, 0x02, 0,
	0x14, 0, 0x01, 0, 198, 51, 100, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x06, 0, 0x02, 0, 0x1f, 0x90, 0, 0,                      /* PORT 8080 */
	0x08, 0, 0x03, 0, 0x03, 0, 0, 0,                         /* FWD droute */
	0x08, 0, 0x04, 0, 0x07, 0, 0, 0,                         /* offset 60: WEIGHT 7 */
	0x08, 0, 0x05, 0, 0, 0, 0, 0,
	0x08, 0, 0x06, 0, 0, 0, 0, 0,
	0x08, 0, 0x07, 0, 0x03, 0, 0, 0,                         /* ACTIVE 3 */
	0x08, 0, 0x08, 0, 0x01, 0, 0, 0,                         /* INACT 1 */
	0x34, 0, 0x0a, 0,                                        /* STATS */
	0x08, 0, 0x01, 0, 0x04, 0, 0, 0,
	0x08, 0, 0x02, 0, 0x09, 0, 0, 0,
	0x08, 0, 0x03, 0, 0x00, 0, 0, 0,
	0x0c, 0, 0x04, 0, 0x10, 0, 0, 0, 0, 0, 0, 0,
	0x0c, 0, 0x05, 0, 0x00, 0, 0, 0, 0, 0, 0, 0,
};

static void
test_parse_dest(void **state)
{
	struct ipvs_dest d;
	uint8_t m[sizeof(dest_reply)];
	char buf[IPVS_STRLEN];

	(void)state;
	assert_int_equal(ipvs_parse_dest(dest_reply, sizeof(dest_reply), AF_INET, &d), 0);
	assert_string_equal(ipvs_dest_str(&d, buf, sizeof(buf)), "198.51.100.11:8080");
	assert_int_equal(d.fwd, IP_VS_CONN_F_DROUTE);
	assert_int_equal(d.weight, 7);
	assert_int_equal(d.active_conns, 3);
	assert_int_equal(d.inact_conns, 1);
	assert_true(d.has_stats);
	assert_int_equal(d.stats.conns, 4);
	assert_int_equal(d.stats.inpkts, 9);
	assert_int_equal(d.stats.inbytes, 16);
	/* an IPv6 service without ADDR_FAMILY reads the address as IPv6 */
	assert_int_equal(ipvs_parse_dest(dest_reply, sizeof(dest_reply), AF_INET6, &d), 0);
	assert_int_equal(d.af, AF_INET6);
	/* the weight missing */
	memcpy(m, dest_reply, sizeof(m));
	m[62] = 0x0f;
	assert_int_equal(ipvs_parse_dest(m, sizeof(m), AF_INET, &d), -EINVAL);
	/* no DEST nest */
	memcpy(m, dest_reply, sizeof(m));
	m[22] = 0x01;
	assert_int_equal(ipvs_parse_dest(m, sizeof(m), AF_INET, &d), -EINVAL);
	for (size_t len = 0; len < sizeof(dest_reply); len++)
		assert_int_equal(ipvs_parse_dest(dest_reply, len, AF_INET, &d), -EBADMSG);
}

static void
test_parse_info_and_ack(void **state)
{
	static const uint8_t info[] = {
		0x24, 0, 0, 0, 0x1c, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, 0, 0,
		0x0e, 0x01, 0, 0,                                /* SET_INFO */
		0x08, 0, 0x01, 0, 0x01, 0x02, 0x01, 0x00,        /* VERSION 1.2.1 */
		0x08, 0, 0x02, 0, 0x00, 0x10, 0, 0,              /* CONN_TAB_SIZE 4096 */
	};
	static const uint8_t ack[] = {
		0x24, 0, 0, 0, 0x02, 0, 0x00, 0x01, 0x11, 0, 0, 0, 0x99, 0, 0, 0, /* NLMSG_ERROR */
		0xfe, 0xff, 0xff, 0xff,                          /* -ENOENT */
		0x44, 0, 0, 0, 0x1c, 0, 0x05, 0, 0x11, 0, 0, 0, 0, 0, 0, 0,
	};
	struct ipvs_info i;
	uint8_t m[sizeof(info)];
	uint32_t seq;
	int err;

	(void)state;
	assert_int_equal(ipvs_parse_info(info, sizeof(info), &i), 0);
	assert_int_equal(i.version, 0x010201);
	assert_int_equal(i.conn_tab_size, 4096);
	memcpy(m, info, sizeof(m));
	m[28] = 0x0c; /* table size of 8 bytes */
	m[0] = 0x28;
	assert_int_equal(ipvs_parse_info(m, sizeof(m), &i), -EBADMSG); /* nlmsg_len > len */
	m[0] = 0x24;
	assert_int_equal(ipvs_parse_info(m, sizeof(m), &i), -EBADMSG); /* attr overruns */
	memcpy(m, info, sizeof(m));
	m[30] = 0x03;
	assert_int_equal(ipvs_parse_info(m, sizeof(m), &i), -EINVAL); /* size missing */

	assert_int_equal(ipvs_parse_ack(ack, sizeof(ack), &seq, &err), 0);
	assert_int_equal(seq, 0x11);
	assert_int_equal(err, -ENOENT);
	assert_int_equal(ipvs_parse_ack(ack, 19, &seq, &err), -EBADMSG);
	assert_int_equal(ipvs_parse_ack(info, sizeof(info), &seq, &err), -EBADMSG);
}

static void
test_helpers(void **state)
{
	struct ipvs_service a = svc_tcp_v4(), b = a;
	char buf[IPVS_STRLEN];

	(void)state;
	assert_int_equal(ipvs_netmask_v4(24), htonl(0xffffff00));
	assert_int_equal(ipvs_netmask_v4(32), 0xffffffff);
	assert_int_equal(ipvs_netmask_v4(0), 0);
	b.port = 81;
	assert_false(ipvs_service_same_key(&a, &b));
	b = a;
	strcpy(b.sched, "rr"); /* options are not part of the key */
	assert_true(ipvs_service_same_key(&a, &b));
	b.protocol = IPPROTO_UDP;
	assert_false(ipvs_service_same_key(&a, &b));
	b = (struct ipvs_service){ .af = AF_INET6, .fwmark = 3 };
	assert_string_equal(ipvs_service_str(&b, buf, sizeof(buf)), "fwmark 3 (inet6)");
	assert_string_equal(ipvs_cmd_name(IPVS_CMD_SET_DEST), "edit dest");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_del_service_v4),
		cmocka_unit_test(test_build_new_service_v6_persistent),
		cmocka_unit_test(test_build_del_service_fwmark),
		cmocka_unit_test(test_build_new_dest_tun),
		cmocka_unit_test(test_build_del_dest_v6_in_v4),
		cmocka_unit_test(test_build_set_dest_dr_no_tunnel_attrs),
		cmocka_unit_test(test_build_daemon),
		cmocka_unit_test(test_build_gets),
		cmocka_unit_test(test_build_rejects),
		cmocka_unit_test(test_parse_service),
		cmocka_unit_test(test_parse_service_malformed),
		cmocka_unit_test(test_parse_roundtrip),
		cmocka_unit_test(test_parse_dest),
		cmocka_unit_test(test_parse_info_and_ack),
		cmocka_unit_test(test_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
