/* The VRRP advertisement codec, byte for byte against keepalived.
 *
 * The fixtures are adverts keepalived v2.2.7 (Debian 12 package 1:2.2.7-1,
 * VRRP only: no virtual servers) sent, captured by tests/unit/vrrp-fixtures.sh:
 * two network namespaces joined by a veth pair (A: 192.0.2.1/24,
 * 2001:db8::1/64, MAC 02:00:00:00:00:01, so its link-local address is
 * fe80::ff:fe00:1; B: 192.0.2.2/24, 2001:db8::2/64; no DAD), keepalived in
 * A (`keepalived -n -l -D -f CONF -p PID -r VRRP_PID --vrrp`, one instance
 * per fixture, global_defs only a router_id, the instance `state MASTER`,
 * `interface vfa` and the lines given above each array), tcpdump in B
 * (`-w`, filter `ip proto 112 or ip6 proto 112`), the second advert kept,
 * Ethernet header removed.  Each is the whole IP packet as a raw socket
 * sees it; the IPv6 one's flow label is the kernel's random one.
 *
 * What keepalived 2.2.7 showed: v3 checksums over IPv4 include the
 * pseudo-header (RFC 5798), and for unicast it is the peer's address in
 * it, not 224.0.0.18 (keepalived before 1.3.6 used the multicast group;
 * 2.2.7, built with OLD_CHKSUM_COMPAT, still accepts that on receipt unless
 * `old_unicast_checksum never`; lvsd drops it as a checksum error).  It
 * builds the IPv4 header itself (IP_HDRINCL): TOS 0xc0, DF clear, TTL 255
 * also for unicast; IPv6: traffic class 0xc0, hop limit 255, source the
 * link-local address.  v2 auth type 0 with 8 zero bytes of auth data. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "vrrp/vrrp_pkt.h"

/* ------------------------------------------------------------- fixtures */

/* clang-format off */
/* version 2; virtual_router_id 51; priority 150; advert_int 1;
 * virtual_ipaddress { 198.51.100.10 198.51.100.11 198.51.100.12 } */
static const uint8_t fx_v2_ip4[] = {
	0x45, 0xc0, 0x00, 0x30, 0x00, 0x02, 0x00, 0x00, 0xff, 0x70, 0x18, 0x88, /* IPv4 */
	0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x12,	    /* 192.0.2.1 > 224.0.0.18 */
	0x21, 0x33, 0x96, 0x03, 0x00, 0x01, 0xca, 0x0a,	    /* v2 advert, 51, 150, 3, 1 s */
	0xc6, 0x33, 0x64, 0x0a, 0xc6, 0x33, 0x64, 0x0b,
	0xc6, 0x33, 0x64, 0x0c,				    /* addresses */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	    /* auth data */
};

/* version 3; virtual_router_id 52; priority 200; advert_int 0.1;
 * virtual_ipaddress { 203.0.113.20 203.0.113.21 } */
static const uint8_t fx_v3_ip4[] = {
	0x45, 0xc0, 0x00, 0x24, 0x00, 0x02, 0x00, 0x00, 0xff, 0x70, 0x18, 0x94,
	0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x12,
	0x31, 0x34, 0xc8, 0x02, 0x00, 0x0a, 0xeb, 0xfe,	    /* v3, 52, 200, 2, 10 cs */
	0xcb, 0x00, 0x71, 0x14, 0xcb, 0x00, 0x71, 0x15,
};

/* version 3; virtual_router_id 53; priority 100; advert_int 0.02;
 * virtual_ipaddress { 2001:db8:1::30/64 2001:db8:1::31/64 2001:db8:1::32/64 } */
static const uint8_t fx_v3_ip6[] = {
	0x6c, 0x00, 0x2d, 0x99, 0x00, 0x38, 0x70, 0xff,	    /* IPv6, 56 bytes, hop limit 255 */
	0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01,	    /* fe80::ff:fe00:1 */
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12,	    /* ff02::12 */
	0x31, 0x35, 0x64, 0x03, 0x00, 0x02, 0xe3, 0xc4,	    /* v3, 53, 100, 3, 2 cs */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x31,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x32,
};

/* version 3; virtual_router_id 54; priority 120; advert_int 0.5;
 * unicast_src_ip 192.0.2.1; unicast_peer { 192.0.2.2 }
 * virtual_ipaddress { 198.51.100.40 198.51.100.41 198.51.100.42 } */
static const uint8_t fx_v3_ip4_unicast[] = {
	0x45, 0xc0, 0x00, 0x28, 0x00, 0x02, 0x00, 0x00, 0xff, 0x70, 0x36, 0xa0,
	0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02,	    /* 192.0.2.1 > 192.0.2.2 */
	0x31, 0x36, 0x78, 0x03, 0x00, 0x32, 0x52, 0xf4,	    /* v3, 54, 120, 3, 50 cs */
	0xc6, 0x33, 0x64, 0x28, 0xc6, 0x33, 0x64, 0x29,
	0xc6, 0x33, 0x64, 0x2a,
};

/* clang-format on */

struct fixture {
	const char *name;
	const uint8_t *pkt;
	size_t len;
	int family;
	uint8_t version, vrid, priority;
	uint32_t interval_ms;
	const char *src, *dst;
	const char *addrs[4]; /* NULL-terminated */
};

static const struct fixture fx_list[] = {
    {"v2 IPv4 multicast",
     fx_v2_ip4,
     sizeof(fx_v2_ip4),
     AF_INET,
     2,
     51,
     150,
     1000,
     "192.0.2.1",
     "224.0.0.18",
     {"198.51.100.10", "198.51.100.11", "198.51.100.12"}},
    {"v3 IPv4 multicast",
     fx_v3_ip4,
     sizeof(fx_v3_ip4),
     AF_INET,
     3,
     52,
     200,
     100,
     "192.0.2.1",
     "224.0.0.18",
     {"203.0.113.20", "203.0.113.21"}},
    {"v3 IPv6 multicast",
     fx_v3_ip6,
     sizeof(fx_v3_ip6),
     AF_INET6,
     3,
     53,
     100,
     20,
     "fe80::ff:fe00:1",
     "ff02::12",
     {"2001:db8:1::30", "2001:db8:1::31", "2001:db8:1::32"}},
    {"v3 IPv4 unicast",
     fx_v3_ip4_unicast,
     sizeof(fx_v3_ip4_unicast),
     AF_INET,
     3,
     54,
     120,
     500,
     "192.0.2.1",
     "192.0.2.2",
     {"198.51.100.40", "198.51.100.41", "198.51.100.42"}},
};
#define FX_V2 (&fx_list[0])
#define FX_V3 (&fx_list[1])
#define FX_V6 (&fx_list[2])
#define FX_UNI (&fx_list[3])

/* A fixture taken apart as a receiver has it: the VRRP part and the IP
 * source, destination and TTL / hop limit, in a buffer of its own. */
struct rx {
	int family;
	uint8_t buf[VRRP_PKT_MAX_LEN + 16];
	size_t len;
	uint8_t src[16], dst[16];
	int ttl;
};

static struct rx
rx_of(const struct fixture *f)
{
	size_t hdr = f->family == AF_INET ? (size_t)(f->pkt[0] & 0x0f) * 4 : 40;
	size_t alen = f->family == AF_INET ? 4 : 16;
	struct rx r = {.family = f->family, .len = f->len - hdr};

	memcpy(r.buf, f->pkt + hdr, r.len);
	memcpy(r.src, f->pkt + (f->family == AF_INET ? 12 : 8), alen);
	memcpy(r.dst, f->pkt + (f->family == AF_INET ? 16 : 24), alen);
	r.ttl = f->pkt[f->family == AF_INET ? 8 : 7];
	return r;
}

static int
rx_decode(const struct rx *r, size_t len, struct vrrp_pkt *out)
{
	return vrrp_pkt_decode(r->family, r->buf, len, r->src, r->dst, r->ttl, out);
}

/* The Internet checksum, written again here (not the codec's), to make
 * packets that are wrong in one field only. */
static void
rx_fix_csum(struct rx *r)
{
	size_t alen = r->family == AF_INET ? 4 : 16;
	uint32_t sum = 0;

	r->buf[6] = r->buf[7] = 0;
	if (r->buf[0] >> 4 == 3) {
		for (size_t i = 0; i < alen; i += 2)
			sum += (uint32_t)(r->src[i] << 8 | r->src[i + 1]) +
			       (uint32_t)(r->dst[i] << 8 | r->dst[i + 1]);
		sum += 112 + (uint32_t)r->len;
	}
	for (size_t i = 0; i < r->len; i += 2)
		sum += (uint32_t)(r->buf[i] << 8 | r->buf[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	r->buf[6] = (uint8_t)(~sum >> 8);
	r->buf[7] = (uint8_t)~sum;
}

/* The advert lvsd would send with the fixture's fields. */
static struct vrrp_pkt
pkt_of(const struct fixture *f)
{
	struct vrrp_pkt p = {.version = f->version,
			     .vrid = f->vrid,
			     .priority = f->priority,
			     .family = f->family,
			     .interval_ms = f->interval_ms};

	for (; p.count < 4 && f->addrs[p.count]; p.count++)
		assert_int_equal(inet_pton(f->family, f->addrs[p.count], p.addrs[p.count].b), 1);
	return p;
}

static void
assert_addr(int family, const struct vrrp_pkt_addr *a, const char *want)
{
	struct vrrp_pkt_addr w = {{0}};

	assert_int_equal(inet_pton(family, want, w.b), 1);
	assert_memory_equal(a->b, w.b, sizeof(w.b)); /* IPv4: the rest is zero */
}

/* -------------------------------------------------- fixtures, both ways */

static void
test_fixture_decodes(void **state)
{
	const struct fixture *f = *state;
	struct rx r = rx_of(f);
	struct vrrp_pkt p;
	unsigned n = 0;

	if (f->family == AF_INET) {
		memset(&p, 0xa5, sizeof(p));
		assert_int_equal(vrrp_pkt_decode_ip4(f->pkt, f->len, &p), 0);
	} else {
		assert_int_equal(rx_decode(&r, r.len, &p), 0);
	}
	assert_int_equal(p.version, f->version);
	assert_int_equal(p.family, f->family);
	assert_int_equal(p.vrid, f->vrid);
	assert_int_equal(p.priority, f->priority);
	assert_int_equal(p.interval_ms, f->interval_ms);
	assert_int_equal(p.auth_type, 0);
	assert_int_equal(p.ttl, 255);
	assert_addr(f->family, &p.src, f->src);
	assert_addr(f->family, &p.dst, f->dst);
	for (; n < 4 && f->addrs[n]; n++)
		assert_addr(f->family, &p.addrs[n], f->addrs[n]);
	assert_int_equal(p.count, n);

	/* the IPv4 packet and its VRRP part alone decode alike */
	if (f->family == AF_INET) {
		struct vrrp_pkt q;

		memset(&q, 0xa5, sizeof(q));
		assert_int_equal(rx_decode(&r, r.len, &q), 0);
		assert_memory_equal(&q, &p, offsetof(struct vrrp_pkt, addrs) + n * 16);
	}
}

static void
test_fixture_encodes(void **state)
{
	const struct fixture *f = *state;
	struct rx r = rx_of(f);
	struct vrrp_pkt p = pkt_of(f);
	uint8_t src[16], dst[16], out[VRRP_PKT_MAX_LEN];

	assert_int_equal(inet_pton(f->family, f->src, src), 1);
	assert_int_equal(inet_pton(f->family, f->dst, dst), 1);
	assert_int_equal(vrrp_pkt_len(&p), (int)r.len);
	assert_int_equal(vrrp_pkt_encode(&p, src, dst, out, sizeof(out)), (int)r.len);
	assert_memory_equal(out, r.buf, r.len);
	/* exactly the length is enough room; one byte less is not */
	assert_int_equal(vrrp_pkt_encode(&p, src, dst, out, r.len), (int)r.len);
	assert_int_equal(vrrp_pkt_encode(&p, src, dst, out, r.len - 1), -ENOBUFS);
}

/* keepalived before 1.3.6 put 224.0.0.18 in a unicast v3 pseudo-header:
 * lvsd's unicast checksum uses the real destination. */
static void
test_unicast_checksum_uses_peer(void **state)
{
	struct rx r = rx_of(FX_UNI);
	struct vrrp_pkt p;

	(void)state;
	assert_int_equal(inet_pton(AF_INET, "224.0.0.18", r.dst), 1);
	assert_int_equal(rx_decode(&r, r.len, &p), -VRRP_DROP_CHECKSUM);
	rx_fix_csum(&r); /* the old keepalived checksum */
	assert_int_equal(r.buf[6] << 8 | r.buf[7], 0x34e4);
	assert_int_equal(rx_decode(&r, r.len, &p), 0);
}

/* ------------------------------------------------------------ bad input */

/* Decode must fail with want and leave the output as it was. */
static void
assert_drop(const struct rx *r, size_t len, int want)
{
	struct vrrp_pkt p, before;

	memset(&p, 0x5a, sizeof(p));
	before = p;
	assert_int_equal(rx_decode(r, len, &p), -want);
	assert_memory_equal(&p, &before, sizeof(p));
}

static void
test_drop_ttl(void **state)
{
	const struct fixture *f = *state;
	struct rx r = rx_of(f);
	const int ttls[] = {0, 1, 64, 254, 256, -1};

	for (size_t i = 0; i < sizeof(ttls) / sizeof(ttls[0]); i++) {
		r.ttl = ttls[i];
		assert_drop(&r, r.len, VRRP_DROP_TTL);
	}
}

/* Any one bit flipped in the checksum or the addresses is a checksum
 * error, and in v3 one in the source or destination address too (v2
 * covers the message alone). */
static void
test_drop_checksum_one_bit(void **state)
{
	const struct fixture *f = *state;
	struct rx r = rx_of(f);
	size_t alen = f->family == AF_INET ? 4 : 16;
	size_t end = r.len - (f->version == 2 ? 8 : 0); /* v2 auth data: test_drop_auth */
	struct vrrp_pkt p;

	for (size_t bit = 6 * 8; bit < end * 8; bit++) {
		struct rx x = r;

		x.buf[bit / 8] ^= (uint8_t)(0x80 >> bit % 8);
		assert_drop(&x, x.len, VRRP_DROP_CHECKSUM);
	}
	for (size_t bit = 0; bit < alen * 8; bit++) {
		struct rx x = r, y = r;

		x.src[bit / 8] ^= (uint8_t)(0x80 >> bit % 8);
		y.dst[bit / 8] ^= (uint8_t)(0x80 >> bit % 8);
		if (f->version == 3) {
			assert_drop(&x, x.len, VRRP_DROP_CHECKSUM);
			assert_drop(&y, y.len, VRRP_DROP_CHECKSUM);
		} else {
			assert_int_equal(rx_decode(&x, x.len, &p), 0);
			assert_int_equal(rx_decode(&y, y.len, &p), 0);
		}
	}
	/* 0xffff is 0x0000's twin in one's complement: not what encode writes.
	 * Make the last address word the complement of the rest: sum 0xffff. */
	r.buf[end - 2] = r.buf[end - 1] = 0;
	rx_fix_csum(&r);
	r.buf[end - 2] = r.buf[6];
	r.buf[end - 1] = r.buf[7];
	rx_fix_csum(&r);
	assert_int_equal(r.buf[6] << 8 | r.buf[7], 0);
	assert_int_equal(rx_decode(&r, r.len, &p), 0);
	r.buf[6] = r.buf[7] = 0xff;
	assert_drop(&r, r.len, VRRP_DROP_CHECKSUM);
}

static void
test_drop_version(void **state)
{
	const struct fixture *f = *state;

	for (int v = 0; v < 16; v++) {
		struct rx r = rx_of(f);

		if (v == 2 || v == 3)
			continue;
		r.buf[0] = (uint8_t)(v << 4 | 1);
		rx_fix_csum(&r);
		assert_drop(&r, r.len, VRRP_DROP_VERSION);
	}
}

/* v2 is IPv4 only; the VRRP part of an IPv4 advert given as IPv6, and
 * families other than the two. */
static void
test_drop_family(void **state)
{
	struct rx r = rx_of(FX_V2);

	(void)state;
	r.family = AF_INET6;
	memset(r.src, 0, 16);
	memset(r.dst, 0, 16);
	assert_drop(&r, r.len, VRRP_DROP_FAMILY);
	r.buf[0] = 0x31; /* as v3 it is an IPv6 advert of the wrong length */
	assert_drop(&r, r.len, VRRP_DROP_LENGTH);
	r = rx_of(FX_V3);
	r.family = AF_UNSPEC;
	assert_drop(&r, r.len, VRRP_DROP_FAMILY);
	r.family = AF_PACKET;
	assert_drop(&r, r.len, VRRP_DROP_FAMILY);
}

static void
test_drop_type(void **state)
{
	const struct fixture *f = *state;

	for (int t = 0; t < 16; t++) {
		struct rx r = rx_of(f);

		if (t == 1)
			continue;
		r.buf[0] = (uint8_t)(f->version << 4 | t);
		rx_fix_csum(&r);
		assert_drop(&r, r.len, VRRP_DROP_TYPE);
	}
}

static void
test_drop_count(void **state)
{
	const struct fixture *f = *state;
	struct rx r = rx_of(f);
	const int deltas[] = {-1, +1, -(int)r.buf[3], 255 - (int)r.buf[3]};

	for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		struct rx x = r;

		x.buf[3] = (uint8_t)(x.buf[3] + deltas[i]);
		rx_fix_csum(&x);
		assert_drop(&x, x.len, VRRP_DROP_COUNT);
	}
}

/* Cut at every length, and one byte and one address longer: short, not a
 * whole number of addresses, or a count that does not match. */
static void
test_drop_truncated(void **state)
{
	const struct fixture *f = *state;
	struct rx r = rx_of(f);
	size_t alen = f->family == AF_INET ? 4 : 16;
	size_t fixed = 8 + (f->version == 2 ? 8 : 0);

	for (size_t len = 0; len < r.len; len++) {
		int want;

		if (len < 8)
			want = VRRP_DROP_SHORT;
		else if (len < fixed || (len - fixed) % alen != 0)
			want = VRRP_DROP_LENGTH;
		else
			want = VRRP_DROP_COUNT;
		assert_drop(&r, len, want);
	}
	assert_drop(&r, r.len + 1, VRRP_DROP_LENGTH);
	assert_drop(&r, r.len + alen, VRRP_DROP_COUNT);
	/* the same for whole IPv4 packets: short, then a total length that is
	 * not the packet's */
	if (f->family == AF_INET) {
		struct vrrp_pkt p;

		for (size_t len = 0; len < f->len; len++)
			assert_int_equal(vrrp_pkt_decode_ip4(f->pkt, len, &p),
					 len < 20 ? -VRRP_DROP_SHORT : -VRRP_DROP_IP_HEADER);
	}
}

static void
test_drop_interval_zero(void **state)
{
	const struct fixture *f = *state;
	struct rx r = rx_of(f);

	r.buf[5] = 0;
	if (f->version == 3)
		r.buf[4] = 0;
	rx_fix_csum(&r);
	assert_drop(&r, r.len, VRRP_DROP_INTERVAL);
}

/* v3: the 4 reserved bits above the interval must be zero. */
static void
test_drop_reserved(void **state)
{
	const struct fixture *f = *state;

	for (int bit = 4; bit < 8; bit++) {
		struct rx r = rx_of(f);

		r.buf[4] |= (uint8_t)(1 << bit);
		rx_fix_csum(&r);
		assert_drop(&r, r.len, VRRP_DROP_RESERVED);
	}
}

/* v2 authentication: types 1 (plain text) and 2 (IP AH) and any other, or
 * auth data that is not zero. */
static void
test_drop_auth(void **state)
{
	(void)state;
	for (int type = 1; type < 256; type++) {
		struct rx r = rx_of(FX_V2);

		r.buf[4] = (uint8_t)type;
		rx_fix_csum(&r);
		assert_drop(&r, r.len, VRRP_DROP_AUTH);
	}
	for (size_t i = 0; i < 8; i++) {
		struct rx r = rx_of(FX_V2);

		r.buf[r.len - 8 + i] = 'x';
		rx_fix_csum(&r);
		assert_drop(&r, r.len, VRRP_DROP_AUTH);
	}
}

/* The IPv4 header of a raw socket's packet. */
static void
test_drop_ip_header(void **state)
{
	const struct fixture *f = *state;
	uint8_t b[64];
	struct vrrp_pkt p, before;

	memset(&p, 0x5a, sizeof(p));
	before = p;
#define IP_DROP(edit, want)                                                                        \
	do {                                                                                       \
		memcpy(b, f->pkt, f->len);                                                         \
		edit;                                                                              \
		assert_int_equal(vrrp_pkt_decode_ip4(b, f->len, &p), -(want));                     \
		assert_memory_equal(&p, &before, sizeof(p));                                       \
	} while (0)
	IP_DROP(b[9] = 6, VRRP_DROP_IP_HEADER);	 /* protocol TCP */
	IP_DROP(b[9] = 51, VRRP_DROP_IP_HEADER); /* AH: RFC 2338 auth type 2 */
	IP_DROP(b[3]++, VRRP_DROP_IP_HEADER);	 /* total length */
	IP_DROP(b[3]--, VRRP_DROP_IP_HEADER);
	IP_DROP(b[2] = 1, VRRP_DROP_IP_HEADER);
	IP_DROP(b[0] = 0x44, VRRP_DROP_IP_HEADER); /* header length 16 */
	IP_DROP(b[0] = 0x40, VRRP_DROP_IP_HEADER); /* header length 0 */
	IP_DROP(b[0] = 0x4f, VRRP_DROP_IP_HEADER); /* header length 60: past the end */
	IP_DROP(b[0] = 0x65, VRRP_DROP_IP_HEADER); /* version 6 */
	IP_DROP(b[8] = 254, VRRP_DROP_TTL);
	IP_DROP(b[8] = 1, VRRP_DROP_TTL);
#undef IP_DROP
	/* the destination is in the v3 pseudo-header only */
	memcpy(b, f->pkt, f->len);
	b[19] ^= 1;
	assert_int_equal(vrrp_pkt_decode_ip4(b, f->len, &p),
			 f->version == 3 ? -VRRP_DROP_CHECKSUM : 0);
}

/* IPv4 options (here a router alert) are skipped by the header length. */
static void
test_ip4_options(void **state)
{
	const struct fixture *f = *state;
	uint8_t b[64];
	struct vrrp_pkt p, q;

	memcpy(b, f->pkt, 20);
	b[0] = 0x46;
	b[3] = (uint8_t)(f->len + 4);
	memcpy(b + 20, "\x94\x04\x00\x00", 4);
	memcpy(b + 24, f->pkt + 20, f->len - 20);
	assert_int_equal(vrrp_pkt_decode_ip4(b, f->len + 4, &p), 0);
	assert_int_equal(vrrp_pkt_decode_ip4(f->pkt, f->len, &q), 0);
	assert_memory_equal(&p, &q, offsetof(struct vrrp_pkt, addrs) + p.count * 16);
}

/* ------------------------------------------------------------- encoder */

static void
test_encode_refuses(void **state)
{
	struct vrrp_pkt v2 = pkt_of(FX_V2), v3 = pkt_of(FX_V3), p;
	uint8_t a[16] = {192, 0, 2, 1}, out[VRRP_PKT_MAX_LEN];

	(void)state;
#define ENC_REFUSES(base, edit)                                                                    \
	do {                                                                                       \
		p = base;                                                                          \
		edit;                                                                              \
		assert_int_equal(vrrp_pkt_len(&p), -EINVAL);                                       \
		assert_int_equal(vrrp_pkt_encode(&p, a, a, out, sizeof(out)), -EINVAL);            \
	} while (0)
	ENC_REFUSES(v2, p.version = 1);
	ENC_REFUSES(v2, p.version = 4);
	ENC_REFUSES(v2, p.family = AF_INET6);
	ENC_REFUSES(v3, p.family = AF_UNSPEC);
	ENC_REFUSES(v2, p.interval_ms = 0);
	ENC_REFUSES(v2, p.interval_ms = 1500); /* v2: whole seconds */
	ENC_REFUSES(v2, p.interval_ms = 256000);
	ENC_REFUSES(v3, p.interval_ms = 0);
	ENC_REFUSES(v3, p.interval_ms = 5);
	ENC_REFUSES(v3, p.interval_ms = 15); /* v3: centiseconds */
	ENC_REFUSES(v3, p.interval_ms = 40960);
	ENC_REFUSES(v3, p.count = 0);
	ENC_REFUSES(v3, p.count = 256);
	ENC_REFUSES(v2, p.auth_type = 1);
	ENC_REFUSES(v2, p.auth_type = 2);
	ENC_REFUSES(v3, p.auth_type = 1);
#undef ENC_REFUSES
	/* v3 needs the addresses of the pseudo-header, v2 does not */
	assert_int_equal(vrrp_pkt_encode(&v3, NULL, a, out, sizeof(out)), -EINVAL);
	assert_int_equal(vrrp_pkt_encode(&v3, a, NULL, out, sizeof(out)), -EINVAL);
	assert_int_equal(vrrp_pkt_encode(&v2, NULL, NULL, out, sizeof(out)), 28);
	assert_memory_equal(out, FX_V2->pkt + 20, 28);
}

/* The limits of each field survive a round trip. */
static void
test_encode_limits(void **state)
{
	static const struct {
		uint8_t version;
		int family;
		uint32_t interval_ms;
		unsigned count;
	} cases[] = {
	    {2, AF_INET, 1000, 1},    {2, AF_INET, 255000, 255}, {3, AF_INET, 10, 1},
	    {3, AF_INET, 40950, 255}, {3, AF_INET6, 10, 1},	 {3, AF_INET6, 40950, 255},
	};
	uint8_t src[16] = {0xfe, 0x80, [15] = 1}, dst[16] = {0xff, 0x02, [15] = 0x12};
	static uint8_t out[VRRP_PKT_MAX_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vrrp_pkt p = {.version = cases[i].version,
				     .vrid = 255,
				     .priority = 255,
				     .family = cases[i].family,
				     .interval_ms = cases[i].interval_ms,
				     .count = cases[i].count};
		size_t alen = p.family == AF_INET ? 4 : 16;
		struct vrrp_pkt q;
		int n;

		for (unsigned j = 0; j < p.count; j++) {
			memset(p.addrs[j].b, 0, 16);
			p.addrs[j].b[0] = 0x20;
			p.addrs[j].b[alen - 1] = (uint8_t)j;
		}
		n = vrrp_pkt_encode(&p, src, dst, out, sizeof(out));
		assert_int_equal(n, 8 + p.count * alen + (p.version == 2 ? 8 : 0));
		assert_int_equal(vrrp_pkt_decode(p.family, out, (size_t)n, src, dst, 255, &q), 0);
		assert_int_equal(q.interval_ms, p.interval_ms);
		assert_int_equal(q.count, p.count);
		assert_int_equal(q.vrid, 255);
		assert_int_equal(q.priority, 255);
		assert_true(vrrp_pkt_same_addrs(&q, p.addrs, p.count));
	}
	assert_int_equal(VRRP_PKT_MAX_LEN, 8 + 255 * 16);
}

/* ------------------------------------------------------------- helpers */

static void
test_same_addrs(void **state)
{
	struct rx r = rx_of(FX_V6);
	struct vrrp_pkt p, q = pkt_of(FX_V6), v4;
	struct vrrp_pkt_addr a[4];

	(void)state;
	assert_int_equal(rx_decode(&r, r.len, &p), 0);
	a[0] = q.addrs[2], a[1] = q.addrs[0], a[2] = q.addrs[1];
	assert_true(vrrp_pkt_same_addrs(&p, q.addrs, 3));
	assert_true(vrrp_pkt_same_addrs(&p, a, 3)); /* any order */
	assert_false(vrrp_pkt_same_addrs(&p, a, 2));
	a[3] = a[0];
	assert_false(vrrp_pkt_same_addrs(&p, a, 4));
	a[1] = a[0]; /* {32, 32, 31} is not {30, 31, 32} */
	assert_false(vrrp_pkt_same_addrs(&p, a, 3));
	a[1] = q.addrs[0];
	a[1].b[15] ^= 1;
	assert_false(vrrp_pkt_same_addrs(&p, a, 3));
	/* IPv4: only the 4 bytes of the address count */
	assert_int_equal(vrrp_pkt_decode_ip4(FX_V2->pkt, FX_V2->len, &v4), 0);
	q = pkt_of(FX_V2);
	q.addrs[1].b[7] = 0xee;
	assert_true(vrrp_pkt_same_addrs(&v4, q.addrs, 3));
	q.addrs[1].b[3] = 0xee;
	assert_false(vrrp_pkt_same_addrs(&v4, q.addrs, 3));
}

static void
test_drop_names(void **state)
{
	(void)state;
	/* the codec's reasons and the instance's: distinct names, since
	 * status --json uses them as keys */
	for (int i = 0; i < VRRP_DROP_REASONS; i++) {
		const char *n = vrrp_drop_name(i);

		assert_non_null(n);
		assert_string_not_equal(n, "unknown");
		assert_string_equal(vrrp_drop_name(-i), n);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(vrrp_drop_name(j), n);
	}
	assert_string_equal(vrrp_drop_name(VRRP_DROP_CHECKSUM), "checksum");
	assert_string_equal(vrrp_drop_name(VRRP_DROP_ADV_INTERVAL), "interval-mismatch");
	assert_string_equal(vrrp_drop_name(VRRP_DROP_REASONS), "unknown");
	assert_string_equal(vrrp_drop_name(-1000), "unknown");
}

/* One test per fixture, named after both. */
#define FX_TEST(fn, fx)                                                                            \
	{                                                                                          \
#fn " " #fx, fn, NULL, NULL, (void *)(fx)                                          \
	}
#define PER_IP4_FIXTURE(fn) FX_TEST(fn, FX_V2), FX_TEST(fn, FX_V3), FX_TEST(fn, FX_UNI)
#define PER_V3_FIXTURE(fn) FX_TEST(fn, FX_V3), FX_TEST(fn, FX_V6), FX_TEST(fn, FX_UNI)
#define PER_FIXTURE(fn) PER_IP4_FIXTURE(fn), FX_TEST(fn, FX_V6)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    PER_FIXTURE(test_fixture_decodes),
	    PER_FIXTURE(test_fixture_encodes),
	    cmocka_unit_test(test_unicast_checksum_uses_peer),
	    PER_FIXTURE(test_drop_ttl),
	    PER_FIXTURE(test_drop_checksum_one_bit),
	    PER_FIXTURE(test_drop_version),
	    cmocka_unit_test(test_drop_family),
	    PER_FIXTURE(test_drop_type),
	    PER_FIXTURE(test_drop_count),
	    PER_FIXTURE(test_drop_truncated),
	    PER_FIXTURE(test_drop_interval_zero),
	    PER_V3_FIXTURE(test_drop_reserved),
	    cmocka_unit_test(test_drop_auth),
	    PER_IP4_FIXTURE(test_drop_ip_header),
	    PER_IP4_FIXTURE(test_ip4_options),
	    cmocka_unit_test(test_encode_refuses),
	    cmocka_unit_test(test_encode_limits),
	    cmocka_unit_test(test_same_addrs),
	    cmocka_unit_test(test_drop_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
