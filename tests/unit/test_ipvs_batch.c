/* A batch of IPVS requests as one buffer, byte for byte, and the acks that
 * answer it: sequence numbers, requests that cannot be built, the size
 * limits, acks of other batches, and broken framing; and the datagrams of a
 * dump read a part at a time. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <linux/netlink.h>

#include "lvsd/ipvs/ipvs.h"

#define FAM 0x1c

/* DEL_SERVICE tcp 192.0.2.1:80, sequence number 0 (bytes 8..11) */
static const uint8_t del_svc[] = {
    0x44, 0,	0,    0,    0x1c, 0,	0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* nlmsghdr */
    0x03, 0x01, 0,    0,			 /* DEL_SERVICE, version 1 */
    0x30, 0,	0x01, 0x80,			 /* nested SERVICE */
    0x06, 0,	0x01, 0,    0x02, 0,	0,    0, /* AF inet */
    0x06, 0,	0x02, 0,    0x06, 0,	0,    0, /* PROTOCOL tcp */
    0x14, 0,	0x03, 0,    192,  0,	2,    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* ADDR */
    0x06, 0,	0x04, 0,    0x00, 0x50, 0,    0,				     /* PORT 80 */
};

static struct ipvs_op
op_del_svc(void)
{
	struct ipvs_op op = {.cmd = IPVS_CMD_DEL_SERVICE};

	op.svc.af = AF_INET;
	op.svc.protocol = IPPROTO_TCP;
	op.svc.port = 80;
	inet_pton(AF_INET, "192.0.2.1", &op.svc.addr.v4);
	strcpy(op.svc.sched, "wrr");
	return op;
}

static void
put_seq(uint8_t *m, uint32_t seq)
{
	m[8] = (uint8_t)seq;
	m[9] = (uint8_t)(seq >> 8);
	m[10] = (uint8_t)(seq >> 16);
	m[11] = (uint8_t)(seq >> 24);
}

static void
test_build_sequence_and_failures(void **state)
{
	struct ipvs_op ops[3] = {op_del_svc(), op_del_svc(), op_del_svc()};
	uint8_t buf[512], want[2 * sizeof(del_svc)], st[3] = {9, 9, 9};
	size_t len = 0;

	(void)state;
	ops[1].cmd = 0xee; /* cannot be built */
	memcpy(want, del_svc, sizeof(del_svc));
	memcpy(want + sizeof(del_svc), del_svc, sizeof(del_svc));
	put_seq(want, 0x100);
	put_seq(want + sizeof(del_svc), 0x102); /* seq0 + its index, the gap kept */
	assert_int_equal(ipvs_batch_build(FAM, 0x100, ops, 3, 16, buf, sizeof(buf), &len, st), 3);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(st[0], IPVS_BATCH_SENT);
	assert_int_equal(st[1], IPVS_BATCH_DONE);
	assert_int_equal(st[2], IPVS_BATCH_SENT);
	assert_int_equal(ops[0].err, -EIO); /* until its ack */
	assert_int_equal(ops[1].err, -EINVAL);
	assert_int_equal(ops[2].err, -EIO);
}

static void
test_build_limits(void **state)
{
	struct ipvs_op ops[3] = {op_del_svc(), op_del_svc(), op_del_svc()};
	uint8_t buf[512], st[3];
	size_t len = 0;

	(void)state;
	/* room for one and a half requests: one goes, the rest waits */
	assert_int_equal(
	    ipvs_batch_build(FAM, 1, ops, 3, 16, buf, sizeof(del_svc) * 3 / 2, &len, st), 1);
	assert_int_equal(len, sizeof(del_svc));
	/* at most max_ops requests */
	assert_int_equal(ipvs_batch_build(FAM, 1, ops, 3, 2, buf, sizeof(buf), &len, st), 2);
	assert_int_equal(len, 2 * sizeof(del_svc));
	/* a request larger than the whole buffer fails alone, and is consumed */
	assert_int_equal(ipvs_batch_build(FAM, 1, ops, 3, 16, buf, 16, &len, st), 3);
	assert_int_equal(len, 0);
	assert_int_equal(ops[0].err, -EMSGSIZE);
	assert_int_equal(st[0], IPVS_BATCH_DONE);
	assert_int_equal(ipvs_batch_build(FAM, 1, ops, 0, 16, buf, sizeof(buf), &len, st), 0);
	assert_int_equal(len, 0);
}

/* An NLMSG_ERROR with NLM_F_CAPPED: 16 + 4 + 16 bytes. */
static size_t
put_ack(uint8_t *m, uint32_t seq, int32_t err)
{
	static const uint8_t tmpl[36] = {
	    0x24, 0, 0,	   0, 0x02, 0, 0x00, 0x01, 0,	 0, 0, 0, 0x99, 0, 0, 0, 0, 0,
	    0,	  0, 0x44, 0, 0,    0, 0x1c, 0,	   0x05, 0, 0, 0, 0,	0, 0, 0, 0, 0,
	};
	uint32_t e = (uint32_t)err;

	memcpy(m, tmpl, sizeof(tmpl));
	put_seq(m, seq);
	put_seq(m + 20, seq);
	m[16] = (uint8_t)e;
	m[17] = (uint8_t)(e >> 8);
	m[18] = (uint8_t)(e >> 16);
	m[19] = (uint8_t)(e >> 24);
	return sizeof(tmpl);
}

static void
test_acks(void **state)
{
	struct ipvs_op ops[3] = {op_del_svc(), op_del_svc(), op_del_svc()};
	uint8_t st[3] = {IPVS_BATCH_SENT, IPVS_BATCH_DONE, IPVS_BATCH_SENT};
	uint8_t d[256];
	size_t n = 0;

	(void)state;
	ops[0].err = ops[2].err = -EIO;
	ops[1].err = -EINVAL;
	n += put_ack(d + n, 0x0ff, 0);	     /* an earlier batch's */
	n += put_ack(d + n, 0x102, -EEXIST); /* out of order */
	n += put_ack(d + n, 0x101, 0);	     /* a request that was never sent */
	assert_int_equal(ipvs_batch_acks(d, n, 0x100, ops, 3, st), 1);
	assert_int_equal(ops[2].err, -EEXIST);
	assert_int_equal(st[2], IPVS_BATCH_DONE);
	assert_int_equal(ops[1].err, -EINVAL);
	assert_int_equal(ops[0].err, -EIO);
	n = put_ack(d, 0x100, 0);
	n += put_ack(d + n, 0x100, -ENOENT); /* a repeat changes nothing */
	assert_int_equal(ipvs_batch_acks(d, n, 0x100, ops, 3, st), 1);
	assert_int_equal(ops[0].err, 0);
	assert_int_equal(st[0], IPVS_BATCH_DONE);
}

static void
test_acks_broken(void **state)
{
	struct ipvs_op ops[1] = {op_del_svc()};
	uint8_t st[1] = {IPVS_BATCH_SENT};
	uint8_t d[128];
	size_t n = put_ack(d, 7, 0);

	(void)state;
	/* a reply that is not an ack is skipped; a truncated tail is an error */
	memcpy(d + n, del_svc, sizeof(del_svc));
	assert_int_equal(ipvs_batch_acks(d, n + sizeof(del_svc), 7, ops, 1, st), 1);
	st[0] = IPVS_BATCH_SENT;
	assert_int_equal(ipvs_batch_acks(d, n + 4, 7, ops, 1, st), -EBADMSG);
	/* a positive error is not an ack */
	st[0] = IPVS_BATCH_SENT;
	put_ack(d, 7, 5);
	assert_int_equal(ipvs_batch_acks(d, n, 7, ops, 1, st), -EBADMSG);
	assert_int_equal(st[0], IPVS_BATCH_SENT);
	/* too short to be an ack */
	d[0] = 0x14;
	assert_int_equal(ipvs_batch_acks(d, 0x14, 7, ops, 1, st), -EBADMSG);
	assert_int_equal(ipvs_batch_acks(d, 0, 7, ops, 1, st), 0);
}

/* A reply message of the family: header only (the callback does not parse it). */
static size_t
put_reply(uint8_t *m, uint32_t seq, uint16_t type, uint16_t flags)
{
	memset(m, 0, 20);
	m[0] = 20;
	m[4] = (uint8_t)type;
	m[5] = (uint8_t)(type >> 8);
	m[6] = (uint8_t)flags;
	m[7] = (uint8_t)(flags >> 8);
	put_seq(m, seq);
	return 20;
}

/* NLMSG_DONE with its int status */
static size_t
put_done(uint8_t *m, uint32_t seq, int32_t status)
{
	uint32_t e = (uint32_t)status;

	put_reply(m, seq, NLMSG_DONE, NLM_F_MULTI);
	m[16] = (uint8_t)e;
	m[17] = (uint8_t)(e >> 8);
	m[18] = (uint8_t)(e >> 16);
	m[19] = (uint8_t)(e >> 24);
	return 20;
}

static int calls, cb_ret;

static int
count_cb(const void *msg, size_t len, void *arg)
{
	(void)msg;
	(void)arg;
	assert_int_equal(len, 20);
	calls++;
	return cb_ret;
}

static void
test_dump_parts(void **state)
{
	uint8_t d[256];
	size_t n = 0;
	int err = 0;

	(void)state;
	calls = cb_ret = 0;
	n += put_reply(d + n, 5, FAM, NLM_F_MULTI);
	n += put_reply(d + n, 4, FAM, NLM_F_MULTI); /* another request's */
	n += put_reply(d + n, 5, FAM, NLM_F_MULTI);
	assert_int_equal(ipvs_dump_take(d, n, FAM, 5, count_cb, NULL, &err), 0); /* more to come */
	assert_int_equal(calls, 2);
	n = put_reply(d, 5, FAM, NLM_F_MULTI);
	n += put_done(d + n, 5, 0);
	assert_int_equal(ipvs_dump_take(d, n, FAM, 5, count_cb, NULL, &err), 1);
	assert_int_equal(calls, 3);
	assert_int_equal(err, 0);
	/* a single reply ends it */
	n = put_reply(d, 6, FAM, 0);
	assert_int_equal(ipvs_dump_take(d, n, FAM, 6, count_cb, NULL, &err), 1);
	assert_int_equal(calls, 4);
}

static void
test_dump_errors(void **state)
{
	uint8_t d[256];
	size_t n;
	int err = 0;

	(void)state;
	calls = 0;
	/* the kernel's error in NLMSG_DONE, or as an ack */
	n = put_done(d, 7, -EPERM);
	assert_int_equal(ipvs_dump_take(d, n, FAM, 7, count_cb, NULL, &err), 1);
	assert_int_equal(err, -EPERM);
	err = 0;
	n = put_ack(d, 7, -ESRCH);
	assert_int_equal(ipvs_dump_take(d, n, FAM, 7, count_cb, NULL, &err), 1);
	assert_int_equal(err, -ESRCH);
	/* the callback's first error is kept, the dump read to its end */
	err = 0;
	cb_ret = -EINVAL;
	n = put_reply(d, 8, FAM, NLM_F_MULTI);
	n += put_reply(d + n, 8, FAM, NLM_F_MULTI);
	assert_int_equal(ipvs_dump_take(d, n, FAM, 8, count_cb, NULL, &err), 0);
	assert_int_equal(err, -EINVAL);
	cb_ret = 0;
	n = put_done(d, 8, -ENOENT);
	assert_int_equal(ipvs_dump_take(d, n, FAM, 8, count_cb, NULL, &err), 1);
	assert_int_equal(err, -EINVAL);
	/* broken framing */
	n = put_reply(d, 9, FAM, NLM_F_MULTI);
	assert_int_equal(ipvs_dump_take(d, n + 3, FAM, 9, count_cb, NULL, &err), -EBADMSG);
	d[0] = 200; /* longer than the datagram */
	assert_int_equal(ipvs_dump_take(d, n, FAM, 9, count_cb, NULL, &err), -EBADMSG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_build_sequence_and_failures),
	    cmocka_unit_test(test_build_limits),
	    cmocka_unit_test(test_acks),
	    cmocka_unit_test(test_acks_broken),
	    cmocka_unit_test(test_dump_parts),
	    cmocka_unit_test(test_dump_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
