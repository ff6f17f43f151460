/* The nftables adapter of the strict filter: a backup never answers for a
 * VIP it does not hold.
 *
 * lvsd keeps tables of its own and never touches any other table:
 *   table inet lvsd  sets notheld4 (ipv4_addr), notheld6 (ipv6_addr);
 *                    chain input (filter, hook input, priority -10):
 *                      ip daddr @notheld4 counter drop
 *                      ip6 daddr @notheld6 counter drop
 *                      icmpv6 type nd-neighbor-solicit, ND target (the 16
 *                      bytes at offset 8 of the ICMPv6 header) @notheld6:
 *                      counter drop
 *   table arp lvsd   set notheld4; chain input (filter, hook input,
 *                    priority -10): an Ethernet/IPv4 ARP request whose
 *                    target address is @notheld4: counter drop
 * The sets hold the VIPs of the instances this director does not hold
 * (backup, fault, init).
 *
 * Why it does not break IPVS on a master: IPVS hooks LOCAL_IN at priority
 * NF_IP_PRI_NAT_SRC - 2 / - 1 (98, 99), after our chain (-10), but a held
 * VIP is never in a set, so our chain's verdict for its packets is the
 * policy accept, which lets the packet on to the next hook (IPVS, the
 * operator's own tables).  Only destinations in a set are dropped.  The
 * input hook (not prerouting) leaves forwarded traffic alone.
 *
 * Kernels without some families: vrrp_nft_open tries, each as one
 * transaction, the layouts inet+arp, inet, then ip6 alone ("table ip6
 * lvsd", same set and rules as the IPv6 half above), keeps the first the
 * kernel takes and reports it through vrrp_nft_families(), then deletes
 * (best effort) any table of ours the installed layout does not use.  A
 * refused family shows as EOPNOTSUPP (table) or ENOENT (chain type); when
 * no layout fits, open fails with -EAFNOSUPPORT and leaves nothing behind.
 * The caller logs once what is not filtered and goes on.  Seen in the lab:
 * Debian's UML 6.1 refuses every family but bridge, ip6 included, so there
 * open fails with -EAFNOSUPPORT (tests/lab/cases/vrrp-nft-absent.sh).
 *
 * Layers: pure builders (vrrp_nft_msg.h) write one whole nfnetlink batch
 * into a caller buffer; the socket (vrrp_nft.c, this header) sends it and
 * reads the answer.  Everything returns 0 or a negative errno and logs
 * nothing.
 */
#ifndef LVSD_VRRP_NFT_H
#define LVSD_VRRP_NFT_H

#include <stdbool.h>
#include <stddef.h>

#include "vrrp/vrrp_nft_msg.h"

struct vrrp_nft;

/* Open the socket and install our tables, empty sets (all VIPs taken as
 * held until told otherwise), trying the layouts inet+arp, inet, ip6. */
int vrrp_nft_open(struct vrrp_nft **out);
/* The same, with only layouts within `want` and initial addresses, so a
 * restart replaces the tables with the right contents atomically. */
int vrrp_nft_open_with(struct vrrp_nft **out, unsigned want, const struct vrrp_nft_addr *a,
		       size_t n);
/* What the installed layout filters (VRRP_NFT_* bits). */
unsigned vrrp_nft_families(const struct vrrp_nft *n);
/* One transaction for all of a[0..n).  An address whose family the layout
 * does not filter (IPv4 in the ip6 layout) is skipped; -EAFNOSUPPORT when
 * all of them are.  Idempotent. */
int vrrp_nft_update(struct vrrp_nft *n, const struct vrrp_nft_addr *a, size_t count);
/* One address: family AF_INET (addr a struct in_addr) or AF_INET6. */
int vrrp_nft_set_held(struct vrrp_nft *n, int family, const void *addr, bool held);
/* Close the socket; with remove, delete our tables first (a clean stop);
 * without, leave them (a crash-like exit or a restart keeps the filter). */
void vrrp_nft_close(struct vrrp_nft *n, bool remove);

#endif
