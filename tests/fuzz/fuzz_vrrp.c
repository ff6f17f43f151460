/* Fuzz the VRRP advertisement decoders.  The first input byte chooses:
 *
 *   bit 0 clear: the rest is a whole IPv4 packet for vrrp_pkt_decode_ip4;
 *   bit 0 set:   vrrp_pkt_decode, family AF_INET6 when bit 1 is set (else
 *                AF_INET), TTL / hop limit 254 when bit 2 is set (else 255);
 *                then the source and destination addresses (4 or 16 bytes
 *                each) and the VRRP part.
 *
 * Invariants: the only errors are the known drop reasons, each with a name,
 * and the output is untouched on failure; a decoded advert has a valid
 * version, family, interval and 1..255 addresses, exactly what its length
 * holds; it re-encodes (same source and destination) to the very same
 * bytes; it carries its own address list; a byte less or a byte more is
 * refused. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tests/fuzz/fuzz.h"
#include "vrrp/vrrp_pkt.h"

#define FUZZ_VRRP_MAX (VRRP_PKT_MAX_LEN + 64)

static void
fuzz_vrrp_check_pkt(const struct vrrp_pkt *p, const uint8_t *vrrp, size_t len)
{
	static uint8_t out[VRRP_PKT_MAX_LEN];
	size_t alen = p->family == AF_INET ? 4 : 16;
	int n;

	FUZZ_ASSERT(p->version == 2 || p->version == 3);
	FUZZ_ASSERT(p->family == AF_INET || (p->family == AF_INET6 && p->version == 3));
	FUZZ_ASSERT(p->count >= 1 && p->count <= VRRP_PKT_MAX_ADDRS);
	FUZZ_ASSERT(len ==
		    VRRP_PKT_HDR_LEN + p->count * alen + (p->version == 2 ? VRRP_PKT_AUTH_LEN : 0));
	FUZZ_ASSERT(p->auth_type == 0 && p->ttl == VRRP_PKT_TTL);
	if (p->version == 2)
		FUZZ_ASSERT(p->interval_ms % 1000 == 0 && p->interval_ms >= 1000 &&
			    p->interval_ms <= VRRP_PKT_V2_INTERVAL_MAX_MS);
	else
		FUZZ_ASSERT(p->interval_ms % 10 == 0 && p->interval_ms >= 10 &&
			    p->interval_ms <= VRRP_PKT_V3_INTERVAL_MAX_MS);
	FUZZ_ASSERT(vrrp_pkt_len(p) == (int)len);
	n = vrrp_pkt_encode(p, p->src.b, p->dst.b, out, sizeof(out));
	FUZZ_ASSERT(n == (int)len);
	FUZZ_ASSERT(memcmp(out, vrrp, len) == 0);
	FUZZ_ASSERT(vrrp_pkt_encode(p, p->src.b, p->dst.b, out, len - 1) == -ENOBUFS);
	FUZZ_ASSERT(vrrp_pkt_same_addrs(p, p->addrs, p->count));
	for (unsigned i = 0; i < p->count; i++)
		for (size_t j = alen; j < sizeof(p->addrs[i].b); j++)
			FUZZ_ASSERT(p->addrs[i].b[j] == 0);
}

/* Decode with the output pre-filled: 0, or a known reason and untouched. */
static int
fuzz_vrrp_decode(int ip4, int family, const uint8_t *buf, size_t len, const uint8_t *src,
		 const uint8_t *dst, int hop, struct vrrp_pkt *p)
{
	static struct vrrp_pkt before;
	int r;

	memset(p, 0xa5, sizeof(*p));
	memset(&before, 0xa5, sizeof(before));
	r = ip4 ? vrrp_pkt_decode_ip4(buf, len, p)
		: vrrp_pkt_decode(family, buf, len, src, dst, hop, p);
	if (r < 0) {
		FUZZ_ASSERT(-r > VRRP_DROP_NONE && -r < VRRP_DROP_COUNT_);
		FUZZ_ASSERT(strcmp(vrrp_drop_name(r), "unknown") != 0);
		FUZZ_ASSERT(memcmp(p, &before, sizeof(*p)) == 0);
	}
	FUZZ_ASSERT(r <= 0);
	return r;
}

/* Whole IPv4 packets. */
static void
fuzz_vrrp_ip4(const uint8_t *in, size_t len)
{
	static struct vrrp_pkt p, q;
	size_t ihl;

	if (fuzz_vrrp_decode(1, AF_INET, in, len, NULL, NULL, 0, &p) < 0)
		return;
	/* the VRRP part alone, with the header's addresses and TTL */
	ihl = (size_t)(in[0] & 0x0f) * 4;
	FUZZ_ASSERT(
	    fuzz_vrrp_decode(0, AF_INET, in + ihl, len - ihl, in + 12, in + 16, in[8], &q) == 0);
	FUZZ_ASSERT(
	    memcmp(&p, &q, offsetof(struct vrrp_pkt, addrs) + p.count * sizeof(p.addrs[0])) == 0);
	fuzz_vrrp_check_pkt(&p, in + ihl, len - ihl);
	FUZZ_ASSERT(vrrp_pkt_decode_ip4(in, len - 1, &q) < 0);
	FUZZ_ASSERT(vrrp_pkt_decode_ip4(in, len + 1, &q) < 0);
}

/* The VRRP part with its addresses, as an IPv6 (or IPv4) receiver has it. */
static void
fuzz_vrrp_part(uint8_t mode, const uint8_t *in, size_t len)
{
	static struct vrrp_pkt p, q;
	int family = mode & 2 ? AF_INET6 : AF_INET;
	int hop = mode & 4 ? 254 : 255;
	size_t alen = family == AF_INET ? 4 : 16;
	const uint8_t *src = in, *dst = in + alen, *vrrp = in + 2 * alen;

	if (len < 2 * alen)
		return;
	len -= 2 * alen;
	if (fuzz_vrrp_decode(0, family, vrrp, len, src, dst, hop, &p) < 0)
		return;
	FUZZ_ASSERT(hop == 255);
	FUZZ_ASSERT(memcmp(p.src.b, src, alen) == 0 && memcmp(p.dst.b, dst, alen) == 0);
	fuzz_vrrp_check_pkt(&p, vrrp, len);
	FUZZ_ASSERT(vrrp_pkt_decode(family, vrrp, len - 1, src, dst, hop, &q) < 0);
	FUZZ_ASSERT(vrrp_pkt_decode(family, vrrp, len + 1, src, dst, hop, &q) < 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *in;
	size_t len;

	if (size < 1 || size - 1 > FUZZ_VRRP_MAX)
		return 0;
	/* exactly the input and the one byte a "one longer" decode reads, on
	 * the heap, so a sanitizer sees any read past it */
	len = size - 1;
	in = malloc(len + 1);
	if (!in)
		abort();
	memcpy(in, data + 1, len);
	in[len] = 0;
	if (data[0] & 1)
		fuzz_vrrp_part(data[0], in, len);
	else
		fuzz_vrrp_ip4(in, len);
	free(in);
	return 0;
}
