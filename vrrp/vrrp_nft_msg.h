/* The strict filter's nfnetlink batches (vrrp_nft.h has the tables they
 * make): pure builders and the parser of the kernel's answers. */
#ifndef LVSD_VRRP_NFT_MSG_H
#define LVSD_VRRP_NFT_MSG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a layout filters (vrrp_nft_families). */
#define VRRP_NFT_IPV4 0x1u /* IPv4 destinations (table inet lvsd) */
#define VRRP_NFT_ARP 0x2u  /* ARP requests (table arp lvsd) */
#define VRRP_NFT_IPV6 0x4u /* IPv6 destinations and ND targets */
#define VRRP_NFT_ALL (VRRP_NFT_IPV4 | VRRP_NFT_ARP | VRRP_NFT_IPV6)

#define VRRP_NFT_TABLE "lvsd"
/* Our chains' priority: before NF_IP_PRI_FILTER (0) and IPVS (98, 99). */
#define VRRP_NFT_PRIO (-10)

/* One VIP and whether this director holds it. */
struct vrrp_nft_addr {
	int family; /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	bool held;
};

/* ---- builders (vrrp_nft_msg.c) ----
 * Each writes one batch (BATCH_BEGIN, commands, BATCH_END) into buf, with
 * sequence numbers seq, seq + 1, ...; only the last command asks for an
 * ack (errors are always reported).  *used is the batch length and *last
 * the sequence number of its last command.  Outputs are untouched on
 * failure: -EINVAL for a bad layout or address, -EMSGSIZE when len is too
 * small, -ENOMEM. */

/* Replace our tables of layout `families` (one of VRRP_NFT_ALL,
 * VRRP_NFT_IPV4 | VRRP_NFT_IPV6, VRRP_NFT_IPV6) by fresh ones whose sets
 * hold the addresses of a[0..n) that are not held: every table is first
 * created if absent and deleted, then built, in the same transaction. */
int vrrp_nft_msg_open(void *buf, size_t len, uint32_t seq, unsigned families,
		      const struct vrrp_nft_addr *a, size_t n, size_t *used, uint32_t *last);
/* Mark a[0..n) held (take out of the sets) or not held (put in), in every
 * set of the layout; idempotent (a held address is added then deleted). */
int vrrp_nft_msg_update(void *buf, size_t len, uint32_t seq, unsigned families,
			const struct vrrp_nft_addr *a, size_t n, size_t *used, uint32_t *last);
/* Delete our tables of the layout (absent ones too: created then deleted). */
int vrrp_nft_msg_remove(void *buf, size_t len, uint32_t seq, unsigned families, size_t *used,
			uint32_t *last);
/* Delete our table of one family (NFPROTO_INET, _ARP or _IPV6) alone:
 * the leftover of a layout other than the one installed. */
int vrrp_nft_msg_remove_table(void *buf, size_t len, uint32_t seq, uint16_t nfproto, size_t *used,
			      uint32_t *last);
/* A batch buffer large enough for n addresses. */
size_t vrrp_nft_msg_size(size_t n);
/* Whether a layout is one of the three above. */
bool vrrp_nft_layout_valid(unsigned families);

/* ---- parser (vrrp_nft_msg.c) ----
 * Walk the netlink messages in buf (one recv), noting the first error of
 * the batch whose commands run from `first` (its BATCH_BEGIN) to `last`.
 * *done becomes true on the answer to `last` or an error on `first` (the
 * kernel refused the batch itself); *err keeps the first error seen.
 * -EBADMSG for truncated framing. */
int vrrp_nft_parse_acks(const void *buf, size_t len, uint32_t first, uint32_t last, bool *done,
			int *err);

#endif
