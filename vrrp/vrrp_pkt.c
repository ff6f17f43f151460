/* The VRRP advertisement codec (see vrrp_pkt.h): pure, no I/O.
 *
 * The message (RFC 3768 5.1, RFC 5798 5.1), network byte order:
 *
 *   0: version (4 bits) | type (4 bits)   1: VRID   2: priority   3: count
 *   v2  4: auth type   5: advert interval (seconds)
 *   v3  4..5: reserved (4 bits) | max advert interval (12 bits, centiseconds)
 *   6..7: checksum
 *   8: count addresses (IPv4: 4 bytes each, IPv6: 16)
 *   v2 only: 8 bytes of authentication data
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/vrrp_pkt.h"

/* Bytes of one address of family, 0 for an unknown family. */
static size_t
vrrp_pkt_addr_len(int family)
{
	if (family == AF_INET)
		return 4;
	if (family == AF_INET6)
		return 16;
	return 0;
}

/* The 16-bit one's complement sum of len bytes (an odd last byte padded
 * with a zero), added to sum; folded later. */
static uint32_t
vrrp_pkt_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < len)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

/* The checksum msg (len bytes) must carry, whatever its bytes 6..7 hold:
 * v2 over the message, v3 over the pseudo-header and the message.  The
 * IPv4 pseudo-header (src, dst, 0, 112, 16-bit length) and the IPv6 one
 * (src, dst, 32-bit length, 0, 0, 0, 112) sum alike: the length is below
 * 65536. */
static uint16_t
vrrp_pkt_csum(int version, int family, const void *src, const void *dst, const uint8_t *msg,
	      size_t len)
{
	size_t alen = vrrp_pkt_addr_len(family);
	uint32_t sum = 0;

	if (version == 3) {
		sum = vrrp_pkt_sum(sum, src, alen);
		sum = vrrp_pkt_sum(sum, dst, alen);
		sum += VRRP_PKT_PROTO + (uint32_t)len;
	}
	sum = vrrp_pkt_sum(sum, msg, 6);
	sum = vrrp_pkt_sum(sum, msg + VRRP_PKT_HDR_LEN, len - VRRP_PKT_HDR_LEN);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Whether the interval (ms) is one the version can carry. */
static bool
vrrp_pkt_interval_ok(int version, uint32_t ms)
{
	if (version == 2)
		return ms % 1000 == 0 && ms >= 1000 && ms <= VRRP_PKT_V2_INTERVAL_MAX_MS;
	return ms % 10 == 0 && ms >= 10 && ms <= VRRP_PKT_V3_INTERVAL_MAX_MS;
}

int
vrrp_pkt_len(const struct vrrp_pkt *p)
{
	size_t alen = vrrp_pkt_addr_len(p->family);

	if (alen == 0 || (p->version != 2 && p->version != 3) ||
	    (p->version == 2 && p->family != AF_INET))
		return -EINVAL;
	if (p->count < 1 || p->count > VRRP_PKT_MAX_ADDRS || p->auth_type != 0 ||
	    !vrrp_pkt_interval_ok(p->version, p->interval_ms))
		return -EINVAL;
	return (int)(VRRP_PKT_HDR_LEN + p->count * alen +
		     (p->version == 2 ? VRRP_PKT_AUTH_LEN : 0));
}

int
vrrp_pkt_encode(const struct vrrp_pkt *p, const void *src, const void *dst, void *buf, size_t cap)
{
	size_t alen = vrrp_pkt_addr_len(p->family);
	int n = vrrp_pkt_len(p);
	uint8_t *b = buf;
	uint16_t csum;

	if (n < 0)
		return n;
	if (p->version == 3 && (!src || !dst))
		return -EINVAL;
	if (cap < (size_t)n)
		return -ENOBUFS;
	b[0] = (uint8_t)(p->version << 4 | 1);
	b[1] = p->vrid;
	b[2] = p->priority;
	b[3] = (uint8_t)p->count;
	if (p->version == 2) {
		b[4] = p->auth_type;
		b[5] = (uint8_t)(p->interval_ms / 1000);
	} else {
		b[4] = (uint8_t)(p->interval_ms / 10 >> 8);
		b[5] = (uint8_t)(p->interval_ms / 10);
	}
	for (unsigned i = 0; i < p->count; i++)
		memcpy(b + VRRP_PKT_HDR_LEN + i * alen, p->addrs[i].b, alen);
	if (p->version == 2)
		memset(b + n - VRRP_PKT_AUTH_LEN, 0, VRRP_PKT_AUTH_LEN);
	csum = vrrp_pkt_csum(p->version, p->family, src, dst, b, (size_t)n);
	b[6] = (uint8_t)(csum >> 8);
	b[7] = (uint8_t)csum;
	return n;
}

/* The header and length checks, in the order the reasons are reported;
 * 0 or -VRRP_DROP_*.  len is at least VRRP_PKT_HDR_LEN. */
static int
vrrp_pkt_check_shape(int family, const uint8_t *b, size_t len)
{
	size_t alen = vrrp_pkt_addr_len(family);
	int version = b[0] >> 4;
	size_t fixed = VRRP_PKT_HDR_LEN + (version == 2 ? VRRP_PKT_AUTH_LEN : 0);

	if (version != 2 && version != 3)
		return -VRRP_DROP_VERSION;
	if (version == 2 && family != AF_INET)
		return -VRRP_DROP_FAMILY;
	if ((b[0] & 0x0f) != 1)
		return -VRRP_DROP_TYPE;
	if (len < fixed || (len - fixed) % alen != 0 || len - fixed > VRRP_PKT_MAX_ADDRS * alen)
		return -VRRP_DROP_LENGTH;
	if (b[3] == 0 || (size_t)b[3] != (len - fixed) / alen)
		return -VRRP_DROP_COUNT;
	return 0;
}

/* The field checks after the checksum; 0 or -VRRP_DROP_*. */
static int
vrrp_pkt_check_fields(const uint8_t *b, size_t len)
{
	static const uint8_t zeros[VRRP_PKT_AUTH_LEN];

	if (b[0] >> 4 == 2) {
		if (b[5] == 0)
			return -VRRP_DROP_INTERVAL;
		if (b[4] != 0 || memcmp(b + len - VRRP_PKT_AUTH_LEN, zeros, sizeof(zeros)) != 0)
			return -VRRP_DROP_AUTH;
		return 0;
	}
	if ((b[4] & 0xf0) != 0)
		return -VRRP_DROP_RESERVED;
	if (b[4] == 0 && b[5] == 0)
		return -VRRP_DROP_INTERVAL;
	return 0;
}

int
vrrp_pkt_decode(int family, const void *buf, size_t len, const void *src, const void *dst,
		int hoplimit, struct vrrp_pkt *out)
{
	size_t alen = vrrp_pkt_addr_len(family);
	const uint8_t *b = buf;
	int r;

	if (alen == 0)
		return -VRRP_DROP_FAMILY;
	if (hoplimit != VRRP_PKT_TTL)
		return -VRRP_DROP_TTL;
	if (len < VRRP_PKT_HDR_LEN)
		return -VRRP_DROP_SHORT;
	if ((r = vrrp_pkt_check_shape(family, b, len)) < 0)
		return r;
	if (vrrp_pkt_csum(b[0] >> 4, family, src, dst, b, len) != (b[6] << 8 | b[7]))
		return -VRRP_DROP_CHECKSUM;
	if ((r = vrrp_pkt_check_fields(b, len)) < 0)
		return r;

	memset(out, 0, offsetof(struct vrrp_pkt, addrs));
	out->version = b[0] >> 4;
	out->vrid = b[1];
	out->priority = b[2];
	out->family = family;
	out->count = b[3];
	if (out->version == 2)
		out->interval_ms = b[5] * 1000u;
	else
		out->interval_ms = ((b[4] & 0x0fu) << 8 | b[5]) * 10u;
	memcpy(out->src.b, src, alen);
	memcpy(out->dst.b, dst, alen);
	out->ttl = (uint8_t)hoplimit;
	for (unsigned i = 0; i < out->count; i++) {
		memset(&out->addrs[i], 0, sizeof(out->addrs[i]));
		memcpy(out->addrs[i].b, b + VRRP_PKT_HDR_LEN + i * alen, alen);
	}
	return 0;
}

int
vrrp_pkt_decode_ip4(const void *buf, size_t len, struct vrrp_pkt *out)
{
	const uint8_t *b = buf;
	size_t ihl;

	if (len < VRRP_PKT_IP4_HDR_LEN)
		return -VRRP_DROP_SHORT;
	ihl = (size_t)(b[0] & 0x0f) * 4;
	if (b[0] >> 4 != 4 || ihl < VRRP_PKT_IP4_HDR_LEN || ihl > len ||
	    (size_t)(b[2] << 8 | b[3]) != len || b[9] != VRRP_PKT_PROTO)
		return -VRRP_DROP_IP_HEADER;
	return vrrp_pkt_decode(AF_INET, b + ihl, len - ihl, b + 12, b + 16, b[8], out);
}

bool
vrrp_pkt_same_addrs(const struct vrrp_pkt *p, const struct vrrp_pkt_addr *addrs, size_t n)
{
	size_t alen = vrrp_pkt_addr_len(p->family);
	bool used[VRRP_PKT_MAX_ADDRS] = {false};

	if (alen == 0 || n != p->count || n > VRRP_PKT_MAX_ADDRS)
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < n; j++)
			if (!used[j] && memcmp(p->addrs[i].b, addrs[j].b, alen) == 0)
				break;
		if (j == n)
			return false;
		used[j] = true;
	}
	return true;
}
