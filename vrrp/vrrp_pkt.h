/* The VRRP advertisement codec: RFC 3768 (version 2, IPv4 only) and
 * RFC 5798 (version 3, IPv4 and IPv6).
 *
 * Pure functions: buffers in, buffers out, no I/O and no logging.  The
 * encoder builds the VRRP part only: the kernel writes the IP header on a
 * raw IPPROTO_VRRP socket, and the socket is where the sender sets TTL 255
 * (IPv4: IP_TTL and IP_MULTICAST_TTL) or hop limit 255 (IPv6:
 * IPV6_UNICAST_HOPS and IPV6_MULTICAST_HOPS).  The decoders check every
 * length exactly and say why they drop a packet: a negative enum vrrp_drop,
 * which vrrp_drop_name() (lvsd/core/names.h) turns into a counter name.
 *
 * What the decoders accept is exactly what the encoder writes: an accepted
 * advert re-encodes (same source and destination) to the same bytes.  So
 * the fields the RFCs say to send as zero and ignore on receipt (v2
 * authentication data with auth type 0, v3 reserved bits) must be zero,
 * and the checksum must be the one the encoder computes (0x0000, never its
 * one's complement twin 0xffff).  keepalived and the RFC implementations
 * lvsd meets send exactly that.
 *
 * Checksums: v2 is the Internet checksum of the VRRP message alone (RFC
 * 3768 5.3.8); v3 covers an IPv4 or IPv6 pseudo-header (source,
 * destination, protocol 112, length) and the message (RFC 5798 5.2.8), with
 * the real destination: the multicast group, or the peer for unicast (what
 * keepalived since 1.3.6 sends; see tests/unit/test_vrrp_pkt.c).
 *
 * Comparing the VRID, priority and address list with a configured instance
 * is the state machine's job; vrrp_pkt_same_addrs() helps with the list.
 */
#ifndef LVSD_VRRP_PKT_H
#define LVSD_VRRP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lvsd/core/names.h" /* enum vrrp_drop */

#define VRRP_PKT_PROTO 112	/* IPPROTO_VRRP */
#define VRRP_PKT_TTL 255	/* TTL / hop limit, sent and required */
#define VRRP_PKT_HDR_LEN 8	/* version/type .. checksum */
#define VRRP_PKT_AUTH_LEN 8	/* v2 authentication data */
#define VRRP_PKT_IP4_HDR_LEN 20 /* an IPv4 header without options */
#define VRRP_PKT_MAX_ADDRS 255	/* the count field is 8 bits */
#define VRRP_PKT_MAX_LEN (VRRP_PKT_HDR_LEN + VRRP_PKT_MAX_ADDRS * 16)
#define VRRP_PKT_V2_INTERVAL_MAX_MS 255000u /* 8 bits of seconds */
#define VRRP_PKT_V3_INTERVAL_MAX_MS 40950u  /* 12 bits of centiseconds */

/* An address as it sits in the packet: IPv4 in the first 4 bytes (the
 * other 12 zero when decoded), IPv6 in all 16; network byte order. */
struct vrrp_pkt_addr {
	uint8_t b[16];
};

/* One advertisement. */
struct vrrp_pkt {
	uint8_t version;      /* 2 (RFC 3768) or 3 (RFC 5798) */
	uint8_t vrid;	      /* as sent; 1..255 for a valid instance */
	uint8_t priority;     /* 0 = the master resigns, 255 = the address owner */
	uint8_t auth_type;    /* v2: 0 (decoded adverts always 0); v3: 0 */
	int family;	      /* AF_INET or AF_INET6 */
	uint32_t interval_ms; /* v2: whole seconds, 1..255 s; v3: multiples
				 of 10 ms, 10 ms..40.95 s */
	unsigned count;	      /* addresses in addrs[], 1..255 */
	/* Decoders only (encode ignores them): where the packet came from and
	 * went to, and its TTL / hop limit. */
	struct vrrp_pkt_addr src, dst;
	uint8_t ttl;
	struct vrrp_pkt_addr addrs[VRRP_PKT_MAX_ADDRS];
};

/* Bytes of the VRRP message of p (header, addresses, v2 authentication),
 * or -EINVAL when p breaks the rules encode checks. */
int vrrp_pkt_len(const struct vrrp_pkt *p);

/* Write the VRRP message of p into buf with its checksum.  src and dst are
 * the IP source and destination (4 or 16 bytes by p->family, network
 * order) the kernel will put in the IP header; version 3 needs them for
 * the pseudo-header, version 2 ignores them (NULL is fine).  Returns the
 * bytes written, -EINVAL when p is not a valid advert (version, family,
 * count 1..255, interval representable and non-zero, auth type 0, v3
 * without src/dst), -ENOBUFS when cap is short. */
int vrrp_pkt_encode(const struct vrrp_pkt *p, const void *src, const void *dst, void *buf,
		    size_t cap);

/* Decode the VRRP part of len bytes at buf, received with IP source src and
 * destination dst (4 or 16 bytes by family, network order) and TTL / hop
 * limit hoplimit (IPv6: IPV6_RECVHOPLIMIT; source from recvmsg, destination
 * from IPV6_PKTINFO).  0 and *out filled, or -VRRP_DROP_* with *out
 * untouched. */
int vrrp_pkt_decode(int family, const void *buf, size_t len, const void *src, const void *dst,
		    int hoplimit, struct vrrp_pkt *out);

/* Decode a whole IPv4 packet as an IPv4 raw socket returns it: the IP
 * header (version 4, header length, total length == len, protocol 112,
 * TTL 255; source and destination taken from it), then the VRRP part. */
int vrrp_pkt_decode_ip4(const void *buf, size_t len, struct vrrp_pkt *out);

/* Whether p carries exactly the n addresses of addrs (4 or 16 bytes each by
 * p->family, only the first 4 of an IPv4 one are compared), in any order.
 * Duplicates count: {a, a} is not {a, b}. */
bool vrrp_pkt_same_addrs(const struct vrrp_pkt *p, const struct vrrp_pkt_addr *addrs, size_t n);

#endif
