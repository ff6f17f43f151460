/* nftables batches of the strict filter: pure builders over libnftnl and
 * the parser of the kernel's answers.  No I/O here. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter_arp.h>

#include "vrrp/vrrp_nft_msg.h"

/* Every message we build is far below this (the longest, the ND rule, is
 * about 500 bytes); each is built in a scratch buffer of this size and
 * copied into the caller's buffer only if it fits there. */
#define MSG_MAX 2048

/* nft's datatype numbers, so `nft list` names the set key types. */
#define NFT_TYPE_IPADDR 7
#define NFT_TYPE_IP6ADDR 8

#define SET4 "notheld4"
#define SET6 "notheld6"
#define CHAIN "input"

/* A message is built in one of these, then copied.  Zeroed: libnftnl
 * leaves attribute padding unwritten. */
struct scratch {
	union {
		char c[MSG_MAX];
		struct nlmsghdr align;
	} u;
};

struct batch {
	char *buf;
	size_t len;
	size_t off;
	uint32_t seq;	 /* the next message's */
	size_t last_off; /* offset of the last command, for its ack flag */
	uint32_t set_id; /* ids of the sets created in this batch */
};

/* One table of a layout and the sets it holds. */
struct tspec {
	uint16_t family; /* NFPROTO_* */
	bool v4;	 /* IPv4 set and daddr rule */
	bool v6;	 /* IPv6 set, daddr and ND rules */
	bool arp;	 /* IPv4 set and the ARP request rule */
};

bool
vrrp_nft_layout_valid(unsigned families)
{
	return families == VRRP_NFT_ALL || families == (VRRP_NFT_IPV4 | VRRP_NFT_IPV6) ||
	       families == VRRP_NFT_IPV6;
}

static size_t
layout_tables(unsigned families, struct tspec t[2])
{
	if (families == VRRP_NFT_IPV6) {
		t[0] = (struct tspec){.family = NFPROTO_IPV6, .v6 = true};
		return 1;
	}
	t[0] = (struct tspec){.family = NFPROTO_INET, .v4 = true, .v6 = true};
	if (!(families & VRRP_NFT_ARP))
		return 1;
	t[1] = (struct tspec){.family = NFPROTO_ARP, .arp = true};
	return 2;
}

/* ------------------------------------------------------------- the batch */

static int
commit(struct batch *b, const struct nlmsghdr *nlh, bool command)
{
	size_t n = NLMSG_ALIGN(nlh->nlmsg_len);

	if (nlh->nlmsg_len > MSG_MAX || b->len - b->off < n)
		return -EMSGSIZE;
	memcpy(b->buf + b->off, nlh, nlh->nlmsg_len);
	memset(b->buf + b->off + nlh->nlmsg_len, 0, n - nlh->nlmsg_len);
	if (command)
		b->last_off = b->off;
	b->off += n;
	b->seq++;
	return 0;
}

static int
batch_begin(struct batch *b)
{
	struct scratch s = {{{0}}};

	return commit(b, nftnl_batch_begin(s.u.c, b->seq), false);
}

/* Ask for an ack on the last command only, then close the batch. */
static int
batch_end(struct batch *b, size_t *used, uint32_t *last)
{
	struct scratch s = {{{0}}};
	struct nlmsghdr *cmd = (struct nlmsghdr *)(b->buf + b->last_off);
	int r;

	if (b->last_off == SIZE_MAX)
		return -EINVAL;
	if ((r = commit(b, nftnl_batch_end(s.u.c, b->seq), false)) < 0)
		return r;
	cmd->nlmsg_flags |= NLM_F_ACK;
	*used = b->off;
	*last = cmd->nlmsg_seq;
	return 0;
}

static void
batch_init(struct batch *b, void *buf, size_t len, uint32_t seq)
{
	*b = (struct batch){.buf = buf, .len = len, .seq = seq, .last_off = SIZE_MAX, .set_id = 1};
}

/* ---------------------------------------------------------------- tables */

static int
put_table(struct batch *b, uint16_t type, uint16_t family, uint16_t flags)
{
	struct scratch s = {{{0}}};
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	int r = -ENOMEM;

	if (t && nftnl_table_set_str(t, NFTNL_TABLE_NAME, VRRP_NFT_TABLE) == 0) {
		nlh = nftnl_nlmsg_build_hdr(s.u.c, type, family, flags, b->seq);
		nftnl_table_nlmsg_build_payload(nlh, t);
		r = commit(b, nlh, true);
	}
	if (t)
		nftnl_table_free(t);
	return r;
}

/* Create if absent, then delete: the table is gone whether it existed. */
static int
put_table_gone(struct batch *b, uint16_t family)
{
	int r;

	if ((r = put_table(b, NFT_MSG_NEWTABLE, family, NLM_F_CREATE)) < 0)
		return r;
	return put_table(b, NFT_MSG_DELTABLE, family, 0);
}

static int
put_set(struct batch *b, uint16_t family, const char *name, bool v6)
{
	struct scratch s = {{{0}}};
	struct nftnl_set *set = nftnl_set_alloc();
	struct nlmsghdr *nlh;
	int r = -ENOMEM;

	if (set && nftnl_set_set_str(set, NFTNL_SET_TABLE, VRRP_NFT_TABLE) == 0 &&
	    nftnl_set_set_str(set, NFTNL_SET_NAME, name) == 0) {
		nftnl_set_set_u32(set, NFTNL_SET_FAMILY, family);
		nftnl_set_set_u32(set, NFTNL_SET_KEY_TYPE, v6 ? NFT_TYPE_IP6ADDR : NFT_TYPE_IPADDR);
		nftnl_set_set_u32(set, NFTNL_SET_KEY_LEN, v6 ? 16 : 4);
		nftnl_set_set_u32(set, NFTNL_SET_ID, b->set_id++);
		nlh = nftnl_nlmsg_build_hdr(s.u.c, NFT_MSG_NEWSET, family,
					    NLM_F_CREATE | NLM_F_EXCL, b->seq);
		nftnl_set_nlmsg_build_payload(nlh, set);
		r = commit(b, nlh, true);
	}
	if (set)
		nftnl_set_free(set);
	return r;
}

static int
put_chain(struct batch *b, uint16_t family)
{
	struct scratch s = {{{0}}};
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;
	int r = -ENOMEM;

	if (c && nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, VRRP_NFT_TABLE) == 0 &&
	    nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, CHAIN) == 0 &&
	    nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter") == 0) {
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM,
				    family == NFPROTO_ARP ? NF_ARP_IN : NF_INET_LOCAL_IN);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, VRRP_NFT_PRIO);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
		nlh = nftnl_nlmsg_build_hdr(s.u.c, NFT_MSG_NEWCHAIN, family,
					    NLM_F_CREATE | NLM_F_EXCL, b->seq);
		nftnl_chain_nlmsg_build_payload(nlh, c);
		r = commit(b, nlh, true);
	}
	if (c)
		nftnl_chain_free(c);
	return r;
}

/* ----------------------------------------------------------------- rules */

static int
add_expr(struct nftnl_rule *r, struct nftnl_expr *e)
{
	if (!e)
		return -ENOMEM;
	nftnl_rule_add_expr(r, e);
	return 0;
}

/* meta KEY into register 1 */
static int
add_meta(struct nftnl_rule *r, uint32_t key)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	}
	return add_expr(r, e);
}

/* payload BASE OFFSET LEN into register 1 */
static int
add_payload(struct nftnl_rule *r, uint32_t base, uint32_t offset, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	}
	return add_expr(r, e);
}

/* register 1 == data */
static int
add_cmp(struct nftnl_rule *r, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
		if (nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len) < 0) {
			nftnl_expr_free(e);
			e = NULL;
		}
	}
	return add_expr(r, e);
}

static int
add_meta_cmp(struct nftnl_rule *r, uint32_t key, uint8_t value)
{
	int rc = add_meta(r, key);

	return rc < 0 ? rc : add_cmp(r, &value, 1);
}

static int
add_payload_cmp(struct nftnl_rule *r, uint32_t base, uint32_t off, const void *v, uint32_t len)
{
	int rc = add_payload(r, base, off, len);

	return rc < 0 ? rc : add_cmp(r, v, len);
}

/* payload BASE OFFSET LEN in @set, then counter and drop */
static int
add_lookup_drop(struct nftnl_rule *r, uint32_t base, uint32_t off, uint32_t len, const char *set)
{
	struct nftnl_expr *e;
	int rc;

	if ((rc = add_payload(r, base, off, len)) < 0)
		return rc;
	if ((e = nftnl_expr_alloc("lookup"))) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
		if (nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set) < 0) {
			nftnl_expr_free(e);
			e = NULL;
		}
	}
	if ((rc = add_expr(r, e)) < 0 || (rc = add_expr(r, nftnl_expr_alloc("counter"))) < 0)
		return rc;
	if ((e = nftnl_expr_alloc("immediate"))) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_DROP);
	}
	return add_expr(r, e);
}

/* ip daddr @notheld4 counter drop (inet table) */
static int
rule_daddr4(struct nftnl_rule *r, uint16_t family)
{
	int rc = add_meta_cmp(r, NFT_META_NFPROTO, NFPROTO_IPV4);

	return rc < 0 ? rc : add_lookup_drop(r, NFT_PAYLOAD_NETWORK_HEADER, 16, 4, SET4);
}

/* ip6 daddr @notheld6 counter drop */
static int
rule_daddr6(struct nftnl_rule *r, uint16_t family)
{
	int rc = 0;

	if (family == NFPROTO_INET)
		rc = add_meta_cmp(r, NFT_META_NFPROTO, NFPROTO_IPV6);
	return rc < 0 ? rc : add_lookup_drop(r, NFT_PAYLOAD_NETWORK_HEADER, 24, 16, SET6);
}

/* A neighbour solicitation goes to the target's solicited-node multicast
 * address, so the daddr rule misses it: match the ND target, the 16 bytes
 * after type, code, checksum and 4 reserved bytes of the ICMPv6 header. */
static int
rule_nd(struct nftnl_rule *r, uint16_t family)
{
	uint8_t type = 135; /* ND_NEIGHBOR_SOLICIT */
	int rc = 0;

	if (family == NFPROTO_INET)
		rc = add_meta_cmp(r, NFT_META_NFPROTO, NFPROTO_IPV6);
	if (rc < 0 || (rc = add_meta_cmp(r, NFT_META_L4PROTO, IPPROTO_ICMPV6)) < 0 ||
	    (rc = add_payload_cmp(r, NFT_PAYLOAD_TRANSPORT_HEADER, 0, &type, 1)) < 0)
		return rc;
	return add_lookup_drop(r, NFT_PAYLOAD_TRANSPORT_HEADER, 8, 16, SET6);
}

/* An Ethernet/IPv4 ARP request (htype 1, ptype 0x0800, hlen 6, plen 4,
 * op 1) whose target protocol address, at offset 8 + 6 + 4 + 6, is in
 * @notheld4. */
static int
rule_arp(struct nftnl_rule *r, uint16_t family)
{
	static const struct {
		uint8_t off, len, v[2];
	} f[] = {{0, 2, {0, 1}}, {2, 2, {8, 0}}, {4, 1, {6}}, {5, 1, {4}}, {6, 2, {0, 1}}};
	int rc = 0;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]) && rc == 0; i++)
		rc = add_payload_cmp(r, NFT_PAYLOAD_NETWORK_HEADER, f[i].off, f[i].v, f[i].len);
	return rc < 0 ? rc : add_lookup_drop(r, NFT_PAYLOAD_NETWORK_HEADER, 24, 4, SET4);
}

typedef int (*rule_fn)(struct nftnl_rule *r, uint16_t family);

static int
put_rule(struct batch *b, uint16_t family, rule_fn fill)
{
	struct scratch s = {{{0}}};
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh;
	int rc = -ENOMEM;

	if (r && nftnl_rule_set_str(r, NFTNL_RULE_TABLE, VRRP_NFT_TABLE) == 0 &&
	    nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, CHAIN) == 0) {
		nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, family);
		if ((rc = fill(r, family)) == 0) {
			nlh = nftnl_nlmsg_build_hdr(s.u.c, NFT_MSG_NEWRULE, family,
						    NLM_F_CREATE | NLM_F_APPEND, b->seq);
			nftnl_rule_nlmsg_build_payload(nlh, r);
			rc = commit(b, nlh, true);
		}
	}
	if (r)
		nftnl_rule_free(r);
	return rc;
}

/* ---------------------------------------------------------- set elements */

static int
put_elem(struct batch *b, uint16_t type, uint16_t family, const char *set, const void *key,
	 uint32_t klen)
{
	struct scratch s = {{{0}}};
	struct nftnl_set *st = nftnl_set_alloc();
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();
	struct nlmsghdr *nlh;
	int rc = -ENOMEM;

	if (st && e && nftnl_set_set_str(st, NFTNL_SET_TABLE, VRRP_NFT_TABLE) == 0 &&
	    nftnl_set_set_str(st, NFTNL_SET_NAME, set) == 0 &&
	    nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, klen) == 0) {
		nftnl_set_elem_add(st, e);
		e = NULL; /* the set owns it now */
		nlh = nftnl_nlmsg_build_hdr(s.u.c, type, family,
					    type == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0, b->seq);
		nftnl_set_elems_nlmsg_build_payload(nlh, st);
		rc = commit(b, nlh, true);
	}
	if (e)
		nftnl_set_elem_free(e);
	if (st)
		nftnl_set_free(st);
	return rc;
}

static bool
addr_valid(const struct vrrp_nft_addr *a)
{
	return a->family == AF_INET || a->family == AF_INET6;
}

/* The address in or out of every set of table t that takes its family. */
static int
put_addr(struct batch *b, const struct tspec *t, const struct vrrp_nft_addr *a)
{
	bool v6 = a->family == AF_INET6;
	const char *set = v6 ? SET6 : SET4;
	uint32_t klen = v6 ? 16 : 4;
	int rc;

	if (v6 ? !t->v6 : !(t->v4 || t->arp))
		return 0;
	if ((rc = put_elem(b, NFT_MSG_NEWSETELEM, t->family, set, &a->addr, klen)) < 0 || !a->held)
		return rc;
	return put_elem(b, NFT_MSG_DELSETELEM, t->family, set, &a->addr, klen);
}

/* fresh: the sets were just created empty, held addresses need nothing */
static int
put_addrs(struct batch *b, const struct tspec *t, const struct vrrp_nft_addr *a, size_t n,
	  bool fresh)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		if (!(fresh && a[i].held))
			rc = put_addr(b, t, &a[i]);
	return rc;
}

static int
check_args(unsigned families, const struct vrrp_nft_addr *a, size_t n)
{
	if (!vrrp_nft_layout_valid(families) || (n && !a))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!addr_valid(&a[i]))
			return -EINVAL;
	return 0;
}

/* ------------------------------------------------------------- a table */

/* A fresh table t: sets, the chain and its rules. */
static int
put_tspec(struct batch *b, const struct tspec *t)
{
	int rc;

	if ((rc = put_table(b, NFT_MSG_NEWTABLE, t->family, NLM_F_CREATE | NLM_F_EXCL)) < 0 ||
	    ((t->v4 || t->arp) && (rc = put_set(b, t->family, SET4, false)) < 0) ||
	    (t->v6 && (rc = put_set(b, t->family, SET6, true)) < 0) ||
	    (rc = put_chain(b, t->family)) < 0)
		return rc;
	if ((t->v4 && (rc = put_rule(b, t->family, rule_daddr4)) < 0) ||
	    (t->arp && (rc = put_rule(b, t->family, rule_arp)) < 0) ||
	    (t->v6 && (rc = put_rule(b, t->family, rule_daddr6)) < 0) ||
	    (t->v6 && (rc = put_rule(b, t->family, rule_nd)) < 0))
		return rc;
	return 0;
}

/* --------------------------------------------------------------- public */

size_t
vrrp_nft_msg_size(size_t n)
{
	/* the open batch is about 3 KB; an address takes at most 4 messages
	 * of under 100 bytes */
	return 8192 + n * 4 * 128;
}

/* One batch for the tables of FAMILIES: with OPEN, each table is dropped
 * and laid out afresh with its addresses; without, only the address sets
 * are replaced. An update with nothing to say (no address of a filtered
 * family) is -EINVAL. */
static int
build(void *buf, size_t len, uint32_t seq, unsigned families, const struct vrrp_nft_addr *a,
      size_t n, bool open, size_t *used, uint32_t *last)
{
	struct tspec t[2];
	size_t nt;
	struct batch b;
	int rc;

	if ((rc = check_args(families, a, n)) < 0)
		return rc;
	nt = layout_tables(families, t);
	batch_init(&b, buf, len, seq);
	if ((rc = batch_begin(&b)) < 0)
		return rc;
	for (size_t i = 0; i < nt; i++) {
		if (open &&
		    ((rc = put_table_gone(&b, t[i].family)) < 0 || (rc = put_tspec(&b, &t[i])) < 0))
			return rc;
		if ((rc = put_addrs(&b, &t[i], a, n, open)) < 0)
			return rc;
	}
	return batch_end(&b, used, last);
}

int
vrrp_nft_msg_open(void *buf, size_t len, uint32_t seq, unsigned families,
		  const struct vrrp_nft_addr *a, size_t n, size_t *used, uint32_t *last)
{
	return build(buf, len, seq, families, a, n, true, used, last);
}

int
vrrp_nft_msg_update(void *buf, size_t len, uint32_t seq, unsigned families,
		    const struct vrrp_nft_addr *a, size_t n, size_t *used, uint32_t *last)
{
	return build(buf, len, seq, families, a, n, false, used, last);
}

int
vrrp_nft_msg_remove(void *buf, size_t len, uint32_t seq, unsigned families, size_t *used,
		    uint32_t *last)
{
	struct tspec t[2];
	size_t nt;
	struct batch b;
	int rc;

	if (!vrrp_nft_layout_valid(families))
		return -EINVAL;
	nt = layout_tables(families, t);
	batch_init(&b, buf, len, seq);
	if ((rc = batch_begin(&b)) < 0)
		return rc;
	for (size_t i = 0; i < nt; i++)
		if ((rc = put_table_gone(&b, t[i].family)) < 0)
			return rc;
	return batch_end(&b, used, last);
}

int
vrrp_nft_msg_remove_table(void *buf, size_t len, uint32_t seq, uint16_t nfproto, size_t *used,
			  uint32_t *last)
{
	struct batch b;
	int rc;

	if (nfproto != NFPROTO_INET && nfproto != NFPROTO_ARP && nfproto != NFPROTO_IPV6)
		return -EINVAL;
	batch_init(&b, buf, len, seq);
	if ((rc = batch_begin(&b)) < 0 || (rc = put_table_gone(&b, nfproto)) < 0)
		return rc;
	return batch_end(&b, used, last);
}

/* ---------------------------------------------------------------- parser */

static int
note_answer(const struct nlmsghdr *nlh, uint32_t first, uint32_t last, bool *done, int *err)
{
	const struct nlmsgerr *e;

	if (nlh->nlmsg_type != NLMSG_ERROR)
		return 0; /* nothing else is expected; ignore it */
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EBADMSG;
	e = NLMSG_DATA(nlh);
	if (nlh->nlmsg_seq < first || nlh->nlmsg_seq > last)
		return 0; /* an answer to an earlier batch */
	if (e->error > 0 || e->error < -4095)
		return -EBADMSG;
	if (e->error && !*err)
		*err = e->error;
	if (nlh->nlmsg_seq == last || (nlh->nlmsg_seq == first && e->error))
		*done = true;
	return 0;
}

int
vrrp_nft_parse_acks(const void *buf, size_t len, uint32_t first, uint32_t last, bool *done,
		    int *err)
{
	const struct nlmsghdr *nlh = buf;
	int n = (int)(len > INT32_MAX ? INT32_MAX : len);
	int rc;

	while (n > 0) {
		if (!mnl_nlmsg_ok(nlh, n))
			return -EBADMSG;
		if ((rc = note_answer(nlh, first, last, done, err)) < 0)
			return rc;
		nlh = mnl_nlmsg_next(nlh, &n);
	}
	return 0;
}
