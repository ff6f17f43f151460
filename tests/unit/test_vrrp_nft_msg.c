/* The strict filter's nftables batches, structurally: the sequence of
 * messages, their flags and sequence numbers, the objects read back with
 * libnftnl's own parsers, every short buffer refused; and the parser of
 * the kernel's answers. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "vrrp/vrrp_nft_msg.h"

#define SEQ 100
#define NFT(t) ((NFNL_SUBSYS_NFTABLES << 8) | (t))

static uint8_t buf[65536] __attribute__((aligned(4)));

/* One expected message: type (NFT(...) or a batch type), family, flags
 * beyond NLM_F_REQUEST, and for sets/chains/rules/elements a name. */
struct want {
	uint16_t type;
	uint8_t family;
	uint16_t flags;
	const char *name;
};

static const char *
msg_name(const struct nlmsghdr *nlh)
{
	static char name[64];
	struct nftnl_set *s;
	struct nftnl_chain *c;

	name[0] = '\0';
	switch (nlh->nlmsg_type & 0xff) {
	case NFT_MSG_NEWSET:
	case NFT_MSG_NEWSETELEM:
	case NFT_MSG_DELSETELEM:
		s = nftnl_set_alloc();
		if ((nlh->nlmsg_type & 0xff) == NFT_MSG_NEWSET)
			assert_int_equal(nftnl_set_nlmsg_parse(nlh, s), 0);
		else
			assert_int_equal(nftnl_set_elems_nlmsg_parse(nlh, s), 0);
		strcpy(name, nftnl_set_get_str(s, NFTNL_SET_NAME));
		nftnl_set_free(s);
		break;
	case NFT_MSG_NEWCHAIN:
		c = nftnl_chain_alloc();
		assert_int_equal(nftnl_chain_nlmsg_parse(nlh, c), 0);
		strcpy(name, nftnl_chain_get_str(c, NFTNL_CHAIN_NAME));
		nftnl_chain_free(c);
		break;
	}
	return name;
}

/* Walk the batch: the expected messages in order, consecutive sequence
 * numbers from SEQ, NLM_F_ACK on the last command only. */
static void
assert_batch(size_t used, uint32_t last, const struct want *w, size_t n)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	int left = (int)used;

	for (size_t i = 0; i < n; i++) {
		bool is_last_cmd = i == n - 2;

		assert_true(mnl_nlmsg_ok(nlh, left));
		assert_int_equal(nlh->nlmsg_type, w[i].type);
		assert_int_equal(nlh->nlmsg_seq, SEQ + i);
		assert_int_equal(nlh->nlmsg_flags,
				 NLM_F_REQUEST | w[i].flags | (is_last_cmd ? NLM_F_ACK : 0));
		assert_int_equal(
		    ((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family,
		    w[i].family);
		if (w[i].name)
			assert_string_equal(msg_name(nlh), w[i].name);
		if (is_last_cmd)
			assert_int_equal(last, SEQ + i);
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	assert_int_equal(left, 0);
}

#define BEGIN                                                                                      \
	{                                                                                          \
		NFNL_MSG_BATCH_BEGIN, 0, 0, NULL                                                   \
	}
#define END                                                                                        \
	{                                                                                          \
		NFNL_MSG_BATCH_END, 0, 0, NULL                                                     \
	}
#define C NLM_F_CREATE
#define CX (NLM_F_CREATE | NLM_F_EXCL)
#define CA (NLM_F_CREATE | NLM_F_APPEND)

static struct vrrp_nft_addr
addr(const char *s, bool held)
{
	struct vrrp_nft_addr a = {.held = held};

	a.family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, &a.addr), 1);
	return a;
}

static void
test_open_full(void **state)
{
	static const struct want w[] = {
	    BEGIN,
	    {NFT(NFT_MSG_NEWTABLE), NFPROTO_INET, C, NULL},
	    {NFT(NFT_MSG_DELTABLE), NFPROTO_INET, 0, NULL},
	    {NFT(NFT_MSG_NEWTABLE), NFPROTO_INET, CX, NULL},
	    {NFT(NFT_MSG_NEWSET), NFPROTO_INET, CX, "notheld4"},
	    {NFT(NFT_MSG_NEWSET), NFPROTO_INET, CX, "notheld6"},
	    {NFT(NFT_MSG_NEWCHAIN), NFPROTO_INET, CX, "input"},
	    {NFT(NFT_MSG_NEWRULE), NFPROTO_INET, CA, NULL},
	    {NFT(NFT_MSG_NEWRULE), NFPROTO_INET, CA, NULL},
	    {NFT(NFT_MSG_NEWRULE), NFPROTO_INET, CA, NULL},
	    {NFT(NFT_MSG_NEWSETELEM), NFPROTO_INET, C, "notheld6"},
	    {NFT(NFT_MSG_NEWTABLE), NFPROTO_ARP, C, NULL},
	    {NFT(NFT_MSG_DELTABLE), NFPROTO_ARP, 0, NULL},
	    {NFT(NFT_MSG_NEWTABLE), NFPROTO_ARP, CX, NULL},
	    {NFT(NFT_MSG_NEWSET), NFPROTO_ARP, CX, "notheld4"},
	    {NFT(NFT_MSG_NEWCHAIN), NFPROTO_ARP, CX, "input"},
	    {NFT(NFT_MSG_NEWRULE), NFPROTO_ARP, CA, NULL},
	    END,
	};
	struct vrrp_nft_addr a[] = {addr("2001:db8::100", false), addr("192.0.2.100", true)};
	size_t used = 0;
	uint32_t last = 0;

	(void)state;
	assert_int_equal(vrrp_nft_msg_open(buf, sizeof(buf), SEQ, VRRP_NFT_ALL, a, 2, &used, &last),
			 0);
	assert_true(used <= vrrp_nft_msg_size(2));
	assert_batch(used, last, w, sizeof(w) / sizeof(w[0]));
}

static void
test_open_ip6_only(void **state)
{
	static const struct want w[] = {
	    BEGIN,
	    {NFT(NFT_MSG_NEWTABLE), NFPROTO_IPV6, C, NULL},
	    {NFT(NFT_MSG_DELTABLE), NFPROTO_IPV6, 0, NULL},
	    {NFT(NFT_MSG_NEWTABLE), NFPROTO_IPV6, CX, NULL},
	    {NFT(NFT_MSG_NEWSET), NFPROTO_IPV6, CX, "notheld6"},
	    {NFT(NFT_MSG_NEWCHAIN), NFPROTO_IPV6, CX, "input"},
	    {NFT(NFT_MSG_NEWRULE), NFPROTO_IPV6, CA, NULL},
	    {NFT(NFT_MSG_NEWRULE), NFPROTO_IPV6, CA, NULL},
	    END,
	};
	size_t used = 0;
	uint32_t last = 0;

	(void)state;
	assert_int_equal(
	    vrrp_nft_msg_open(buf, sizeof(buf), SEQ, VRRP_NFT_IPV6, NULL, 0, &used, &last), 0);
	assert_batch(used, last, w, sizeof(w) / sizeof(w[0]));
}

/* Held: added then deleted (idempotent); not held: added. */
static void
test_update(void **state)
{
	static const struct want w[] = {
	    BEGIN,
	    {NFT(NFT_MSG_NEWSETELEM), NFPROTO_INET, C, "notheld4"},
	    {NFT(NFT_MSG_DELSETELEM), NFPROTO_INET, 0, "notheld4"},
	    {NFT(NFT_MSG_NEWSETELEM), NFPROTO_INET, C, "notheld6"},
	    {NFT(NFT_MSG_NEWSETELEM), NFPROTO_ARP, C, "notheld4"},
	    {NFT(NFT_MSG_DELSETELEM), NFPROTO_ARP, 0, "notheld4"},
	    END,
	};
	struct vrrp_nft_addr a[] = {addr("192.0.2.100", true), addr("2001:db8::100", false)};
	size_t used = 0;
	uint32_t last = 0;

	(void)state;
	assert_int_equal(
	    vrrp_nft_msg_update(buf, sizeof(buf), SEQ, VRRP_NFT_ALL, a, 2, &used, &last), 0);
	assert_batch(used, last, w, sizeof(w) / sizeof(w[0]));
}

static void
test_remove(void **state)
{
	static const struct want w[] = {
	    BEGIN,
	    {NFT(NFT_MSG_NEWTABLE), NFPROTO_INET, C, NULL},
	    {NFT(NFT_MSG_DELTABLE), NFPROTO_INET, 0, NULL},
	    END,
	};
	size_t used = 0;
	uint32_t last = 0;

	(void)state;
	assert_int_equal(
	    vrrp_nft_msg_remove(buf, sizeof(buf), SEQ, VRRP_NFT_IPV4 | VRRP_NFT_IPV6, &used, &last),
	    0);
	assert_batch(used, last, w, sizeof(w) / sizeof(w[0]));
}

/* The ND rule: ICMPv6 type 135 at th 0, the target (th 8, 16 bytes) in
 * notheld6, a counter, drop. */
static void
test_nd_rule(void **state)
{
	static const char *kinds[] = {"meta", "cmp",	 "meta",   "cmp",     "payload",
				      "cmp",  "payload", "lookup", "counter", "immediate"};
	const struct nlmsghdr *nlh = (const void *)buf;
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr_iter *it;
	struct nftnl_expr *e;
	size_t used, i = 0;
	uint32_t last;
	int left;

	(void)state;
	assert_int_equal(
	    vrrp_nft_msg_open(buf, sizeof(buf), SEQ, VRRP_NFT_ALL, NULL, 0, &used, &last), 0);
	left = (int)used;
	for (int k = 0; k < 9; k++) /* BEGIN, 3 tables, 2 sets, chain, 2 rules */
		nlh = mnl_nlmsg_next(nlh, &left);
	assert_int_equal(nftnl_rule_nlmsg_parse(nlh, r), 0);
	it = nftnl_expr_iter_create(r);
	while ((e = nftnl_expr_iter_next(it))) {
		assert_true(i < 10);
		assert_string_equal(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), kinds[i]);
		if (i == 6) {
			assert_int_equal(nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_BASE),
					 NFT_PAYLOAD_TRANSPORT_HEADER);
			assert_int_equal(nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET), 8);
			assert_int_equal(nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_LEN), 16);
		}
		if (i == 7)
			assert_string_equal(nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET),
					    "notheld6");
		i++;
	}
	assert_int_equal(i, 10);
	nftnl_expr_iter_destroy(it);
	nftnl_rule_free(r);
}

/* Every buffer shorter than the batch is refused, outputs untouched. */
static void
test_short_buffers(void **state)
{
	struct vrrp_nft_addr a[] = {addr("192.0.2.100", false), addr("2001:db8::100", true)};
	size_t used, u = 7;
	uint32_t last, l = 7;

	(void)state;
	assert_int_equal(vrrp_nft_msg_open(buf, sizeof(buf), SEQ, VRRP_NFT_ALL, a, 2, &used, &last),
			 0);
	for (size_t len = 0; len < used; len++) {
		assert_int_equal(vrrp_nft_msg_open(buf, len, SEQ, VRRP_NFT_ALL, a, 2, &u, &l),
				 -EMSGSIZE);
		assert_int_equal(u, 7);
		assert_int_equal(l, 7);
	}
}

static void
test_bad_args(void **state)
{
	struct vrrp_nft_addr a = addr("192.0.2.100", false);
	size_t used;
	uint32_t last;

	(void)state;
	assert_int_equal(
	    vrrp_nft_msg_open(buf, sizeof(buf), SEQ, VRRP_NFT_IPV4, NULL, 0, &used, &last),
	    -EINVAL);
	assert_int_equal(vrrp_nft_msg_remove(buf, sizeof(buf), SEQ, 0, &used, &last), -EINVAL);
	/* nothing to do: an IPv4 address in the ip6 layout */
	assert_int_equal(
	    vrrp_nft_msg_update(buf, sizeof(buf), SEQ, VRRP_NFT_IPV6, &a, 1, &used, &last),
	    -EINVAL);
	a.family = AF_UNIX;
	assert_int_equal(
	    vrrp_nft_msg_update(buf, sizeof(buf), SEQ, VRRP_NFT_ALL, &a, 1, &used, &last), -EINVAL);
}

/* ------------------------------------------------------------- answers */

static size_t
put_err(uint8_t *p, uint32_t seq, int err)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)p;
	struct nlmsgerr *e;

	memset(p, 0, NLMSG_SPACE(sizeof(*e)));
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*e));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = seq;
	e = NLMSG_DATA(nlh);
	e->error = err;
	e->msg.nlmsg_seq = seq;
	return NLMSG_SPACE(sizeof(*e));
}

static void
test_acks(void **state)
{
	size_t n = 0;
	bool done = false;
	int err = 0;

	(void)state;
	/* an error inside the batch, then the ack of the last command */
	n += put_err(buf + n, 5, 0); /* an earlier batch: ignored */
	n += put_err(buf + n, 12, -ENOENT);
	n += put_err(buf + n, 14, -EEXIST);
	assert_int_equal(vrrp_nft_parse_acks(buf, n, 10, 20, &done, &err), 0);
	assert_false(done);
	assert_int_equal(err, -ENOENT);
	n = put_err(buf, 20, 0);
	assert_int_equal(vrrp_nft_parse_acks(buf, n, 10, 20, &done, &err), 0);
	assert_true(done);
	assert_int_equal(err, -ENOENT);

	/* the batch itself refused (no nf_tables): an error on BATCH_BEGIN */
	done = false, err = 0;
	n = put_err(buf, 10, -EOPNOTSUPP);
	assert_int_equal(vrrp_nft_parse_acks(buf, n, 10, 20, &done, &err), 0);
	assert_true(done);
	assert_int_equal(err, -EOPNOTSUPP);

	/* truncated framing; an impossible error value */
	assert_int_equal(vrrp_nft_parse_acks(buf, n - 1, 10, 20, &done, &err), -EBADMSG);
	n = put_err(buf, 20, 5);
	assert_int_equal(vrrp_nft_parse_acks(buf, n, 10, 20, &done, &err), -EBADMSG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_full), cmocka_unit_test(test_open_ip6_only),
	    cmocka_unit_test(test_update),    cmocka_unit_test(test_remove),
	    cmocka_unit_test(test_nd_rule),   cmocka_unit_test(test_short_buffers),
	    cmocka_unit_test(test_bad_args),  cmocka_unit_test(test_acks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
