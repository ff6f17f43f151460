/* The strict filter at work: the VIPs of every instance with strict: true
 * that this director does not hold (backup, fault, init) sit in the
 * nftables sets of vrrp_nft.c, so a backup never answers for them.  The
 * tables are rebuilt (one transaction) at each configuration generation
 * and updated at each transition; a clean stop removes them, a killed
 * child leaves them for the next one.  A kernel without nftables is said
 * once, and lvsd goes on without the filter. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/core/log.h"
#include "vrrp/vrrp.h"
#include "vrrp/vrrp_nft.h"

static size_t
strict_fill(const struct vrrp_inst *vi, struct vrrp_nft_addr *out)
{
	bool held = vi->fsm.state == VRRP_MASTER;

	for (size_t i = 0; i < vi->n_vips; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].family = vi->vips[i].family;
		memcpy(&out[i].addr, vi->vips[i].a.b, vi->vips[i].family == AF_INET ? 4 : 16);
		out[i].held = held;
	}
	return vi->n_vips;
}

void
vrrp_strict_rebuild(struct vrrp_child *vc)
{
	struct vrrp_nft_addr *a;
	size_t n = 0, total = 0;
	unsigned fam;
	int r;

	for (size_t i = 0; i < vc->n_inst; i++)
		if (vc->inst[i].vc && vc->inst[i].strict)
			total += vc->inst[i].n_vips;
	if (!total && !vc->nft)
		return;
	if (!(a = calloc(total ? total : 1, sizeof(*a)))) {
		log_err("strict filter: out of memory; it keeps its last contents");
		return;
	}
	for (size_t i = 0; i < vc->n_inst; i++)
		if (vc->inst[i].vc && vc->inst[i].strict)
			n += strict_fill(&vc->inst[i], a + n);
	if (vc->nft)
		vrrp_nft_close(vc->nft, false);
	vc->nft = NULL;
	r = vrrp_nft_open_with(&vc->nft, VRRP_NFT_ALL, a, n);
	free(a);
	if (r < 0 && !vc->nft_said)
		log_warn("strict filter: %s; virtual addresses not held are not filtered",
			 r == -EAFNOSUPPORT ? "this kernel has no nftables for it" : strerror(-r));
	vc->nft_said = r < 0;
	fam = r == 0 ? vrrp_nft_families(vc->nft) & VRRP_NFT_ALL : 0;
	/* said once, not at every reload; again only if it changes */
	if (fam && fam != VRRP_NFT_ALL && fam != vc->nft_part_said)
		log_warn("strict filter: this kernel filters only %s%s%s",
			 fam & VRRP_NFT_IPV4 ? "IPv4 " : "", fam & VRRP_NFT_ARP ? "ARP " : "",
			 fam & VRRP_NFT_IPV6 ? "IPv6" : "");
	vc->nft_part_said = fam == VRRP_NFT_ALL ? 0 : fam;
}

void
vrrp_strict_update(struct vrrp_child *vc, const struct vrrp_inst *vi)
{
	struct vrrp_nft_addr *a;
	int r;

	if (!vc->nft || !vi->strict || !vi->n_vips)
		return;
	if (!(a = calloc(vi->n_vips, sizeof(*a)))) {
		log_err("%s: strict filter: out of memory", vi->name);
		return;
	}
	r = vrrp_nft_update(vc->nft, a, strict_fill(vi, a));
	free(a);
	if (r < 0 && r != -EAFNOSUPPORT)
		log_err("%s: strict filter: cannot update: %s", vi->name, strerror(-r));
}

void
vrrp_strict_close(struct vrrp_child *vc, bool remove)
{
	if (vc->nft)
		vrrp_nft_close(vc->nft, remove);
	vc->nft = NULL;
}
