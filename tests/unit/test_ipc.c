/* IPC framing: exact sizes, desync detection, partial reads. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "lvsd/core/ipc.h"

static unsigned char buf[4 * IPC_MSG_MAX];

static size_t
put_hdr(unsigned char *p, uint32_t type, uint32_t len)
{
	struct ipc_hdr h = {type, len};

	memcpy(p, &h, sizeof(h));
	return sizeof(h);
}

static void
test_roundtrip_fixed(void **state)
{
	struct ipc_status st = {.cookie = 7, .pid = 1234, .generation = 3, .n_objects = 5};
	struct ipc_msg m;
	size_t used = 0;
	int n;

	n = ipc_encode(IPC_STATUS, &st, sizeof(st), buf, sizeof(buf));
	assert_int_equal(n, IPC_HDR_LEN + sizeof(st));
	assert_int_equal(ipc_decode(buf, (size_t)n, &m, &used), 1);
	assert_int_equal(used, (size_t)n);
	assert_int_equal(m.type, IPC_STATUS);
	assert_int_equal(m.len, sizeof(st));
	assert_int_equal(m.body.status.pid, 1234);
	assert_int_equal(m.body.status.generation, 3);
	assert_int_equal(m.body.status.n_objects, 5);
}

static void
test_truncated(void **state)
{
	struct ipc_conf_begin b = {.generation = 42};
	struct ipc_msg m;
	size_t used = 99;
	int n = ipc_encode(IPC_CONF_BEGIN, &b, sizeof(b), buf, sizeof(buf));

	assert_true(n > 0);
	/* every strict prefix, header included, asks for more and consumes nothing */
	for (int i = 0; i < n; i++) {
		assert_int_equal(ipc_decode(buf, (size_t)i, &m, &used), 0);
		assert_int_equal(used, 99);
	}
	assert_int_equal(ipc_decode(buf, (size_t)n, &m, &used), 1);
	assert_int_equal(m.body.conf_begin.generation, 42);
}

static void
test_unknown_type(void **state)
{
	struct ipc_msg m;
	size_t used = 0;

	put_hdr(buf, IPC_TYPE_COUNT, 8);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m, &used), -EBADMSG);
	put_hdr(buf, IPC_NONE, 0);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m, &used), -EBADMSG);
	put_hdr(buf, 0xffffffffu, 0);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m, &used), -EBADMSG);
	assert_null(ipc_type_info(IPC_TYPE_COUNT));
	assert_string_equal(ipc_type_name(0xdead), "unknown");
	assert_int_equal(ipc_encode(IPC_TYPE_COUNT, buf, 0, buf + 64, 64), -EBADMSG);
}

static void
test_wrong_fixed_size(void **state)
{
	struct ipc_msg m;
	size_t used = 0;

	/* one byte short and one byte long are both desyncs, even before the payload */
	put_hdr(buf, IPC_STATUS, sizeof(struct ipc_status) - 1);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m, &used), -EBADMSG);
	put_hdr(buf, IPC_STATUS, sizeof(struct ipc_status) + 1);
	memset(buf + IPC_HDR_LEN, 0, sizeof(struct ipc_status) + 1);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN + sizeof(struct ipc_status) + 1, &m, &used),
			 -EBADMSG);
	put_hdr(buf, IPC_STATUS_REQ, 0);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m, &used), -EBADMSG);
	assert_int_equal(ipc_encode(IPC_STATUS, buf, sizeof(struct ipc_status) - 1, buf + 512, 512),
			 -EBADMSG);
}

static void
test_oversized(void **state)
{
	struct ipc_msg m;
	size_t used = 0;

	/* a huge length is rejected from the header alone: no waiting for 4 GB */
	put_hdr(buf, IPC_CONF_VRRP, 0xfffffff0u);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m, &used), -EBADMSG);
	put_hdr(buf, IPC_CONF_VRRP,
		(uint32_t)(sizeof(struct ipc_conf_vrrp) +
			   (IPC_VRRP_MAX_VIPS + 1) * sizeof(struct ipc_addr)));
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m, &used), -EBADMSG);
	/* the encoder refuses a short output buffer */
	struct ipc_status_req r = {.cookie = 1};
	assert_int_equal(ipc_encode(IPC_STATUS_REQ, &r, sizeof(r), buf, IPC_HDR_LEN + 7), -ENOBUFS);
}

static size_t
make_vrrp(unsigned char *out, size_t cap, uint32_t n_vips, uint32_t claimed)
{
	static unsigned char tmp[IPC_MSG_MAX];
	struct ipc_conf_vrrp *v = (struct ipc_conf_vrrp *)tmp;
	size_t len = sizeof(*v) + n_vips * sizeof(struct ipc_addr);

	memset(tmp, 0, sizeof(tmp));
	v->id = 2;
	v->vrid = 51;
	v->n_vips = claimed;
	ipc_strset(v->name, sizeof(v->name), "vi_1");
	for (uint32_t i = 0; i < n_vips; i++) {
		v->vips[i].family = 2;
		v->vips[i].prefix = 32;
		v->vips[i].addr[3] = (uint8_t)i;
	}
	/* build the frame by hand so the encoder's checks do not hide the bad ones */
	size_t h = put_hdr(out, IPC_CONF_VRRP, (uint32_t)len);
	assert_true(h + len <= cap);
	memcpy(out + h, tmp, len);
	return h + len;
}

static void
test_variable_size(void **state)
{
	struct ipc_msg m;
	size_t used = 0, n;

	n = make_vrrp(buf, sizeof(buf), 3, 3);
	assert_int_equal(ipc_decode(buf, n, &m, &used), 1);
	assert_int_equal(m.body.conf_vrrp.n_vips, 3);
	assert_int_equal(m.body.conf_vrrp.vips[2].addr[3], 2);
	assert_string_equal(m.body.conf_vrrp.name, "vi_1");
	n = make_vrrp(buf, sizeof(buf), 0, 0);
	assert_int_equal(ipc_decode(buf, n, &m, &used), 1);
	n = make_vrrp(buf, sizeof(buf), IPC_VRRP_MAX_VIPS, IPC_VRRP_MAX_VIPS);
	assert_int_equal(ipc_decode(buf, n, &m, &used), 1);
	assert_int_equal(used, n);
	/* count and length disagree */
	n = make_vrrp(buf, sizeof(buf), 3, 4);
	assert_int_equal(ipc_decode(buf, n, &m, &used), -EBADMSG);
	/* not a whole number of elements */
	put_hdr(buf, IPC_CONF_VRRP, (uint32_t)(sizeof(struct ipc_conf_vrrp) + 5));
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN + sizeof(struct ipc_conf_vrrp) + 5, &m, &used),
			 -EBADMSG);
	/* shorter than the fixed part */
	put_hdr(buf, IPC_CONF_VRRP, (uint32_t)(sizeof(struct ipc_conf_vrrp) - 4));
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m, &used), -EBADMSG);
}

static void
test_several_in_one_buffer(void **state)
{
	struct ipc_conf_begin b = {.generation = 9};
	struct ipc_conf_end e = {.generation = 9, .n_objects = 1};
	struct ipc_status_req r = {.cookie = 77};
	struct ipc_msg m;
	size_t off = 0, used = 0, total = 0;
	uint32_t want[] = {IPC_CONF_BEGIN, IPC_CONF_VRRP, IPC_CONF_END, IPC_STATUS_REQ};
	int n;

	n = ipc_encode(IPC_CONF_BEGIN, &b, sizeof(b), buf, sizeof(buf));
	total += (size_t)n;
	total += make_vrrp(buf + total, sizeof(buf) - total, 2, 2);
	n = ipc_encode(IPC_CONF_END, &e, sizeof(e), buf + total, sizeof(buf) - total);
	total += (size_t)n;
	n = ipc_encode(IPC_STATUS_REQ, &r, sizeof(r), buf + total, sizeof(buf) - total);
	total += (size_t)n;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(ipc_decode(buf + off, total - off, &m, &used), 1);
		assert_int_equal(m.type, want[i]);
		off += used;
	}
	assert_int_equal(off, total);
	assert_int_equal(m.body.status_req.cookie, 77);
	assert_int_equal(ipc_decode(buf + off, 0, &m, &used), 0);
}

/* Feed the stream in small pieces as reads would deliver it. */
static void
test_split_across_reads(void **state)
{
	static unsigned char acc[sizeof(buf)];
	struct ipc_status st = {.cookie = 1, .pid = 99};
	struct ipc_msg m;
	size_t total = 0, have = 0, used = 0;
	int got = 0;

	total += make_vrrp(buf, sizeof(buf), 5, 5);
	total += (size_t)ipc_encode(IPC_STATUS, &st, sizeof(st), buf + total, sizeof(buf) - total);
	for (size_t fed = 0; fed < total; fed += 3) {
		size_t chunk = total - fed < 3 ? total - fed : 3;
		int r;

		memcpy(acc + have, buf + fed, chunk);
		have += chunk;
		while ((r = ipc_decode(acc, have, &m, &used)) == 1) {
			got++;
			memmove(acc, acc + used, have - used);
			have -= used;
		}
		assert_int_equal(r, 0);
	}
	assert_int_equal(got, 2);
	assert_int_equal(have, 0);
	assert_int_equal(m.type, IPC_STATUS);
	assert_int_equal(m.body.status.pid, 99);
}

static void
test_every_type_exact(void **state)
{
	struct ipc_msg m;
	size_t used;

	for (uint32_t t = 1; t < IPC_TYPE_COUNT; t++) {
		const struct ipc_type_info *ti = ipc_type_info(t);
		static unsigned char payload[IPC_MSG_MAX];

		assert_non_null(ti);
		assert_true(ti->max <= sizeof(union ipc_body));
		memset(payload, 0, sizeof(payload));
		int n = ipc_encode(t, payload, ti->size, buf, sizeof(buf));
		assert_int_equal(n, IPC_HDR_LEN + ti->size);
		assert_int_equal(ipc_decode(buf, (size_t)n, &m, &used), 1);
		assert_int_equal(m.type, t);
		if (!ti->variable)
			assert_int_equal(ipc_encode(t, payload, ti->size + 1, buf, sizeof(buf)),
					 -EBADMSG);
	}
}

static void
test_strset(void **state)
{
	char f[8];

	ipc_strset(f, sizeof(f), "abcdefghijk");
	assert_string_equal(f, "abcdefg");
	ipc_strset(f, sizeof(f), "ab");
	assert_string_equal(f, "ab");
	assert_int_equal(f[7], 0);
	memset(f, 'x', sizeof(f));
	assert_string_equal(ipc_strget(f, sizeof(f)), "xxxxxxx");
}

struct chan_seen {
	int msgs;
	int closed;
	int err;
	uint32_t last_type;
	uint64_t last_gen;
};

static void
chan_msg(struct ipc_chan *ch, const struct ipc_msg *msg, void *arg)
{
	struct chan_seen *s = arg;

	s->msgs++;
	s->last_type = msg->type;
	if (msg->type == IPC_CONF_BEGIN)
		s->last_gen = msg->body.conf_begin.generation;
}

static void
chan_close(struct ipc_chan *ch, int err, void *arg)
{
	struct chan_seen *s = arg;

	s->closed++;
	s->err = err;
}

static void
chan_spin(struct event_base *base)
{
	for (int i = 0; i < 20; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
}

/* The bufferevent glue: frames written byte by byte arrive whole, in
 * order; then a bad header closes the channel with -EBADMSG. */
static void
test_chan_stream_and_desync(void **state)
{
	struct event_base *base = event_base_new();
	struct chan_seen seen = {0};
	struct ipc_chan *ch = NULL;
	struct ipc_conf_begin b = {.generation = 5};
	int sv[2];
	size_t n = 0;

	assert_non_null(base);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(ipc_chan_new(base, sv[0], chan_msg, chan_close, &seen, &ch), 0);
	n += (size_t)ipc_encode(IPC_CONF_BEGIN, &b, sizeof(b), buf, sizeof(buf));
	n += make_vrrp(buf + n, sizeof(buf) - n, 2, 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(write(sv[1], buf + i, 1), 1);
		chan_spin(base);
	}
	assert_int_equal(seen.msgs, 2);
	assert_int_equal(seen.last_type, IPC_CONF_VRRP);
	assert_int_equal(seen.last_gen, 5);
	assert_int_equal(seen.closed, 0);
	/* sending through the channel reaches the other end as one frame */
	assert_int_equal(ipc_send(ch, IPC_CONF_BEGIN, &b, sizeof(b)), 0);
	assert_int_equal(ipc_send(ch, IPC_STATUS, &b, sizeof(b)), -EBADMSG);
	chan_spin(base);
	assert_int_equal(read(sv[1], buf, sizeof(buf)), IPC_HDR_LEN + sizeof(b));
	/* an unknown type: desync, reported once, no message delivered */
	put_hdr(buf, 999, 0);
	assert_int_equal(write(sv[1], buf, IPC_HDR_LEN), IPC_HDR_LEN);
	chan_spin(base);
	assert_int_equal(seen.closed, 1);
	assert_int_equal(seen.err, -EBADMSG);
	assert_int_equal(seen.msgs, 2);
	ipc_chan_free(ch);
	close(sv[1]);
	event_base_free(base);
}

/* The peer going away is a close with err 0. */
static void
test_chan_eof(void **state)
{
	struct event_base *base = event_base_new();
	struct chan_seen seen = {0};
	struct ipc_chan *ch = NULL;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(ipc_chan_new(base, sv[0], chan_msg, chan_close, &seen, &ch), 0);
	/* half a header, then EOF */
	assert_int_equal(write(sv[1], "\1\0\0", 3), 3);
	close(sv[1]);
	chan_spin(base);
	assert_int_equal(seen.closed, 1);
	assert_int_equal(seen.err, 0);
	assert_int_equal(seen.msgs, 0);
	ipc_chan_free(ch);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip_fixed),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_unknown_type),
	    cmocka_unit_test(test_wrong_fixed_size),
	    cmocka_unit_test(test_oversized),
	    cmocka_unit_test(test_variable_size),
	    cmocka_unit_test(test_several_in_one_buffer),
	    cmocka_unit_test(test_split_across_reads),
	    cmocka_unit_test(test_every_type_exact),
	    cmocka_unit_test(test_strset),
	    cmocka_unit_test(test_chan_stream_and_desync),
	    cmocka_unit_test(test_chan_eof),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
