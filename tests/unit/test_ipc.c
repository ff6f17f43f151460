/* IPC framing: exact sizes, counts, descriptors, desync detection, and the
 * channel over a SOCK_SEQPACKET pair. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "lvsd/core/ipc.h"

static uint64_t bufspace[(2 * IPC_FRAME_MAX) / 8]; /* 8-aligned, like a channel's */
static unsigned char *const buf = (unsigned char *)bufspace;

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
	int n;

	n = ipc_encode(IPC_STATUS, &st, sizeof(st), buf, IPC_FRAME_MAX);
	assert_int_equal(n, IPC_HDR_LEN + sizeof(st));
	assert_int_equal(ipc_decode(buf, (size_t)n, &m), 0);
	assert_int_equal(m.type, IPC_STATUS);
	assert_int_equal(m.len, sizeof(st));
	assert_int_equal(m.fd, -1);
	/* a view of the buffer, not a copy */
	assert_ptr_equal(m.payload, buf + IPC_HDR_LEN);
	assert_int_equal(IPC_BODY(&m, struct ipc_status)->pid, 1234);
	assert_int_equal(IPC_BODY(&m, struct ipc_status)->generation, 3);
	assert_int_equal(IPC_BODY(&m, struct ipc_status)->n_objects, 5);
}

/* A datagram is one frame: shorter or longer than its header says is a desync. */
static void
test_frame_length_exact(void **state)
{
	struct ipc_conf_begin b = {.generation = 42};
	struct ipc_msg m;
	int n = ipc_encode(IPC_CONF_BEGIN, &b, sizeof(b), buf, IPC_FRAME_MAX);

	assert_true(n > 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(ipc_decode(buf, (size_t)i, &m), -EBADMSG);
	assert_int_equal(ipc_decode(buf, (size_t)n + 1, &m), -EBADMSG);
	assert_int_equal(ipc_decode(buf, (size_t)n, &m), 0);
	assert_int_equal(IPC_BODY(&m, struct ipc_conf_begin)->generation, 42);
	assert_int_equal(ipc_decode(buf, IPC_FRAME_MAX + 1, &m), -EBADMSG);
}

static void
test_unknown_type(void **state)
{
	struct ipc_msg m;

	put_hdr(buf, IPC_TYPE_COUNT, 0);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m), -EBADMSG);
	put_hdr(buf, IPC_NONE, 0);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m), -EBADMSG);
	put_hdr(buf, 0xffffffffu, 0);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m), -EBADMSG);
	assert_null(ipc_type_info(IPC_TYPE_COUNT));
	assert_string_equal(ipc_type_name(0xdead), "unknown");
	assert_string_equal(ipc_type_name(IPC_WEIGHTS), "WEIGHTS");
	assert_int_equal(ipc_encode(IPC_TYPE_COUNT, buf, 0, buf + 64, 64), -EBADMSG);
}

static void
test_wrong_fixed_size(void **state)
{
	struct ipc_msg m;

	memset(buf, 0, 512);
	put_hdr(buf, IPC_STATUS, sizeof(struct ipc_status) - 1);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN + sizeof(struct ipc_status) - 1, &m),
			 -EBADMSG);
	put_hdr(buf, IPC_STATUS, sizeof(struct ipc_status) + 1);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN + sizeof(struct ipc_status) + 1, &m),
			 -EBADMSG);
	put_hdr(buf, IPC_STATUS_REQ, 0);
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN, &m), -EBADMSG);
	assert_int_equal(ipc_encode(IPC_STATUS, buf, sizeof(struct ipc_status) - 1, buf + 512, 512),
			 -EBADMSG);
	/* the encoder refuses a short output buffer */
	struct ipc_status_req r = {.cookie = 1};
	assert_int_equal(ipc_encode(IPC_STATUS_REQ, &r, sizeof(r), buf, IPC_HDR_LEN + 7), -ENOBUFS);
}

static size_t
make_vrrp(unsigned char *out, uint32_t n_vips, uint32_t claimed)
{
	struct ipc_conf_vrrp *v = (struct ipc_conf_vrrp *)(out + IPC_HDR_LEN);
	size_t len = sizeof(*v) + n_vips * sizeof(struct ipc_addr);

	memset(out, 0, IPC_HDR_LEN + len);
	v->id = 2;
	v->vrid = 51;
	v->n_addrs = claimed;
	v->n_vips = claimed;
	ipc_strset(v->name, sizeof(v->name), "vi_1");
	for (uint32_t i = 0; i < n_vips; i++) {
		v->addrs[i].family = 2;
		v->addrs[i].prefix = 32;
		v->addrs[i].addr[3] = (uint8_t)i;
	}
	/* the header by hand so the encoder's checks do not hide the bad ones */
	return put_hdr(out, IPC_CONF_VRRP, (uint32_t)len) + len;
}

static void
test_variable_size(void **state)
{
	struct ipc_msg m;
	size_t n;

	n = make_vrrp(buf, 3, 3);
	assert_int_equal(ipc_decode(buf, n, &m), 0);
	assert_int_equal(IPC_BODY(&m, struct ipc_conf_vrrp)->n_addrs, 3);
	assert_int_equal(IPC_BODY(&m, struct ipc_conf_vrrp)->addrs[2].addr[3], 2);
	assert_string_equal(IPC_BODY(&m, struct ipc_conf_vrrp)->name, "vi_1");
	n = make_vrrp(buf, 0, 0);
	assert_int_equal(ipc_decode(buf, n, &m), 0);
	n = make_vrrp(buf, IPC_VRRP_MAX_VIPS + IPC_VRRP_MAX_PEERS,
		      IPC_VRRP_MAX_VIPS + IPC_VRRP_MAX_PEERS);
	assert_int_equal(ipc_decode(buf, n, &m), 0);
	n = make_vrrp(buf, IPC_VRRP_MAX_VIPS + IPC_VRRP_MAX_PEERS + 1,
		      IPC_VRRP_MAX_VIPS + IPC_VRRP_MAX_PEERS + 1);
	assert_int_equal(ipc_decode(buf, n, &m), -EBADMSG);
	/* count and length disagree */
	n = make_vrrp(buf, 3, 4);
	assert_int_equal(ipc_decode(buf, n, &m), -EBADMSG);
	n = make_vrrp(buf, 3, 2);
	assert_int_equal(ipc_decode(buf, n, &m), -EBADMSG);
	/* not a whole number of elements */
	put_hdr(buf, IPC_CONF_VRRP, (uint32_t)(sizeof(struct ipc_conf_vrrp) + 5));
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN + sizeof(struct ipc_conf_vrrp) + 5, &m),
			 -EBADMSG);
	/* shorter than the fixed part */
	put_hdr(buf, IPC_CONF_VRRP, (uint32_t)(sizeof(struct ipc_conf_vrrp) - 4));
	assert_int_equal(ipc_decode(buf, IPC_HDR_LEN + sizeof(struct ipc_conf_vrrp) - 4, &m),
			 -EBADMSG);
}

/* Weight proposals for many destinations in one message, up to the cap. */
static void
test_weights_batch(void **state)
{
	size_t len = sizeof(struct ipc_weights) + IPC_BATCH_MAX * sizeof(struct ipc_weight);
	struct ipc_weights *w = calloc(1, len + sizeof(struct ipc_weight));
	struct ipc_msg m;
	int n;

	assert_non_null(w);
	w->generation = 7;
	w->n = IPC_BATCH_MAX;
	for (uint32_t i = 0; i < IPC_BATCH_MAX; i++) {
		w->w[i].service_id = i / 100;
		w->w[i].rs_id = i % 100;
		w->w[i].weight = i;
	}
	n = ipc_encode(IPC_WEIGHTS, w, len, buf, IPC_FRAME_MAX);
	assert_int_equal(n, IPC_HDR_LEN + len);
	assert_true((size_t)n <= IPC_FRAME_MAX);
	assert_int_equal(ipc_decode(buf, (size_t)n, &m), 0);
	assert_int_equal(IPC_BODY(&m, struct ipc_weights)->w[3999].weight, 3999);
	assert_int_equal(IPC_BODY(&m, struct ipc_weights)->generation, 7);
	/* one more than the cap: refused both ways */
	w->n = IPC_BATCH_MAX + 1;
	assert_int_equal(ipc_encode(IPC_WEIGHTS, w, len + sizeof(struct ipc_weight), buf,
				    2 * IPC_FRAME_MAX),
			 -EBADMSG);
	free(w);
}

/* Feedback of many real servers in one message, with the drop counters,
 * up to its own cap. */
static void
test_feedback_batch(void **state)
{
	size_t len = sizeof(struct ipc_feedback) + IPC_FEEDBACK_MAX * sizeof(struct ipc_feedback_rs);
	struct ipc_feedback *f = calloc(1, len + sizeof(struct ipc_feedback_rs));
	struct ipc_msg m;
	int n;

	assert_non_null(f);
	f->generation = 3;
	f->accepted = 12345;
	f->drops[IPC_WT_DROPS - 1] = 9;
	f->n = IPC_FEEDBACK_MAX;
	for (uint32_t i = 0; i < IPC_FEEDBACK_MAX; i++) {
		f->rs[i].rs_id = i;
		f->rs[i].mem_available_kb = 1000 + i;
	}
	n = ipc_encode(IPC_FEEDBACK, f, len, buf, IPC_FRAME_MAX);
	assert_int_equal(n, IPC_HDR_LEN + len);
	assert_int_equal(ipc_decode(buf, (size_t)n, &m), 0);
	assert_int_equal(IPC_BODY(&m, struct ipc_feedback)->rs[IPC_FEEDBACK_MAX - 1].mem_available_kb,
			 1000 + IPC_FEEDBACK_MAX - 1);
	assert_int_equal(IPC_BODY(&m, struct ipc_feedback)->drops[IPC_WT_DROPS - 1], 9);
	/* a count that disagrees with the length, and one over the cap */
	f->n = 2;
	assert_int_equal(ipc_encode(IPC_FEEDBACK, f, sizeof(*f) + sizeof(f->rs[0]), buf,
				    IPC_FRAME_MAX),
			 -EBADMSG);
	f->n = IPC_FEEDBACK_MAX + 1;
	assert_int_equal(ipc_encode(IPC_FEEDBACK, f, len + sizeof(struct ipc_feedback_rs), buf,
				    2 * IPC_FRAME_MAX),
			 -EBADMSG);
	free(f);
}

/* What the weight child learnt, up to its cap per frame, in both
 * directions (WT_STATE to the parent, WT_RESTORE back): the count must
 * agree with the length, and the cap holds. */
static void
test_wt_state_batch(void **state)
{
	size_t len = sizeof(struct ipc_wt_state) + IPC_WT_STATE_MAX * sizeof(struct ipc_wt_rs);
	struct ipc_wt_state *w = calloc(1, len + sizeof(struct ipc_wt_rs));
	const uint32_t types[] = {IPC_WT_STATE, IPC_WT_RESTORE};
	struct ipc_msg m;
	int n;

	assert_non_null(w);
	assert_true(len <= IPC_PAYLOAD_MAX);
	w->generation = 4;
	w->n = IPC_WT_STATE_MAX;
	for (uint32_t i = 0; i < IPC_WT_STATE_MAX; i++) {
		w->rs[i].rs_id = i;
		w->rs[i].seen_seq = 100 + i;
		w->rs[i].policy.trim = 1000 + i;
	}
	for (size_t t = 0; t < 2; t++) {
		w->n = IPC_WT_STATE_MAX;
		n = ipc_encode(types[t], w, len, buf, IPC_FRAME_MAX);
		assert_int_equal(n, IPC_HDR_LEN + len);
		assert_int_equal(ipc_decode(buf, (size_t)n, &m), 0);
		assert_int_equal(m.type, types[t]);
		assert_int_equal(
		    IPC_BODY(&m, struct ipc_wt_state)->rs[IPC_WT_STATE_MAX - 1].seen_seq,
		    100 + IPC_WT_STATE_MAX - 1);
		assert_int_equal(
		    IPC_BODY(&m, struct ipc_wt_state)->rs[IPC_WT_STATE_MAX - 1].policy.trim,
		    1000 + IPC_WT_STATE_MAX - 1);
		/* none at all is a frame too */
		w->n = 0;
		assert_int_equal(ipc_encode(types[t], w, sizeof(*w), buf, IPC_FRAME_MAX),
				 (int)(IPC_HDR_LEN + sizeof(*w)));
		/* a count that disagrees with the length, and one over the cap */
		w->n = 2;
		assert_int_equal(
		    ipc_encode(types[t], w, sizeof(*w) + sizeof(w->rs[0]), buf, IPC_FRAME_MAX),
		    -EBADMSG);
		w->n = IPC_WT_STATE_MAX + 1;
		assert_int_equal(
		    ipc_encode(types[t], w, len + sizeof(struct ipc_wt_rs), buf, 2 * IPC_FRAME_MAX),
		    -EBADMSG);
		/* a part of an entry */
		w->n = 1;
		assert_int_equal(
		    ipc_encode(types[t], w, sizeof(*w) + sizeof(w->rs[0]) - 8, buf, IPC_FRAME_MAX),
		    -EBADMSG);
	}
	free(w);
}

/* Key material: a variable number of bytes, counted by len. */
static void
test_key_material(void **state)
{
	struct ipc_conf_key *k = calloc(1, sizeof(*k) + IPC_KEY_MAX + 1);
	struct ipc_msg m;
	int n;

	assert_non_null(k);
	k->len = 32;
	memset(k->material, 0xab, 32);
	n = ipc_encode(IPC_CONF_KEY, k, sizeof(*k) + 32, buf, IPC_FRAME_MAX);
	assert_int_equal(ipc_decode(buf, (size_t)n, &m), 0);
	assert_int_equal(IPC_BODY(&m, struct ipc_conf_key)->material[31], 0xab);
	k->len = 31;
	assert_int_equal(ipc_encode(IPC_CONF_KEY, k, sizeof(*k) + 32, buf, IPC_FRAME_MAX),
			 -EBADMSG);
	k->len = IPC_KEY_MAX + 1;
	assert_int_equal(ipc_encode(IPC_CONF_KEY, k, sizeof(*k) + IPC_KEY_MAX + 1, buf,
				    IPC_FRAME_MAX),
			 -EBADMSG);
	free(k);
}

/* A CA file travels as bytes, up to IPC_CA_MAX, its len agreeing. */
static void
test_ca_material(void **state)
{
	struct ipc_conf_ca *k = calloc(1, sizeof(*k) + IPC_CA_MAX + 1);
	struct ipc_msg m;
	int n;

	assert_non_null(k);
	k->len = IPC_CA_MAX;
	memset(k->pem, 'M', IPC_CA_MAX);
	n = ipc_encode(IPC_CONF_CA, k, sizeof(*k) + IPC_CA_MAX, buf, IPC_FRAME_MAX);
	assert_true(n > 0);
	assert_int_equal(ipc_decode(buf, (size_t)n, &m), 0);
	assert_int_equal(IPC_BODY(&m, struct ipc_conf_ca)->pem[IPC_CA_MAX - 1], 'M');
	k->len = 0;
	assert_int_equal(ipc_encode(IPC_CONF_CA, k, sizeof(*k) + 1, buf, IPC_FRAME_MAX), -EBADMSG);
	k->len = IPC_CA_MAX + 1;
	assert_int_equal(
	    ipc_encode(IPC_CONF_CA, k, sizeof(*k) + IPC_CA_MAX + 1, buf, IPC_FRAME_MAX), -EBADMSG);
	free(k);
}

static void
test_every_type_exact(void **state)
{
	static unsigned char payload[IPC_FRAME_MAX];
	struct ipc_msg m;

	for (uint32_t t = 1; t < IPC_TYPE_COUNT; t++) {
		const struct ipc_type_info *ti = ipc_type_info(t);

		assert_non_null(ti);
		assert_true(ti->max <= IPC_PAYLOAD_MAX);
		memset(payload, 0, sizeof(payload));
		int n = ipc_encode(t, payload, ti->size, buf, IPC_FRAME_MAX);
		assert_int_equal(n, IPC_HDR_LEN + ti->size);
		assert_int_equal(ipc_decode(buf, (size_t)n, &m), 0);
		assert_int_equal(m.type, t);
		if (!ti->variable)
			assert_int_equal(ipc_encode(t, payload, ti->size + 1, buf, IPC_FRAME_MAX),
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
	int kept_fd; /* a descriptor taken from a message */
};

static void
chan_msg(struct ipc_chan *ch, struct ipc_msg *msg, void *arg)
{
	struct chan_seen *s = arg;

	s->msgs++;
	s->last_type = msg->type;
	if (msg->type == IPC_CONF_BEGIN)
		s->last_gen = IPC_BODY(msg, struct ipc_conf_begin)->generation;
	if (msg->type == IPC_CONF_SOCKET) {
		s->kept_fd = msg->fd;
		msg->fd = -1;
	}
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

/* Frames sent through the channel arrive whole and in order; a frame with
 * a bad header closes it with -EBADMSG and delivers nothing. */
static void
test_chan_frames_and_desync(void **state)
{
	struct event_base *base = event_base_new();
	struct chan_seen seen = {.kept_fd = -1};
	struct ipc_chan *ch = NULL;
	struct ipc_conf_begin b = {.generation = 5};
	struct ipc_msg m;
	int sv[2];
	ssize_t n;

	assert_non_null(base);
	assert_int_equal(ipc_socketpair(sv), 0);
	assert_int_equal(ipc_chan_new(base, sv[0], chan_msg, chan_close, &seen, &ch), 0);
	n = ipc_encode(IPC_CONF_BEGIN, &b, sizeof(b), buf, IPC_FRAME_MAX);
	assert_int_equal(send(sv[1], buf, (size_t)n, 0), n);
	n = (ssize_t)make_vrrp(buf, 2, 2);
	assert_int_equal(send(sv[1], buf, (size_t)n, 0), n);
	chan_spin(base);
	assert_int_equal(seen.msgs, 2);
	assert_int_equal(seen.last_type, IPC_CONF_VRRP);
	assert_int_equal(seen.last_gen, 5);
	assert_int_equal(seen.closed, 0);
	/* sending through the channel reaches the other end as one datagram */
	assert_int_equal(ipc_send(ch, IPC_CONF_BEGIN, &b, sizeof(b)), 0);
	assert_int_equal(ipc_send(ch, IPC_STATUS, &b, sizeof(b)), -EBADMSG);
	n = recv(sv[1], buf, IPC_FRAME_MAX, 0);
	assert_int_equal(n, IPC_HDR_LEN + sizeof(b));
	assert_int_equal(ipc_decode(buf, (size_t)n, &m), 0);
	/* an unknown type: desync, reported once, no message delivered */
	put_hdr(buf, 999, 0);
	assert_int_equal(send(sv[1], buf, IPC_HDR_LEN, 0), IPC_HDR_LEN);
	n = ipc_encode(IPC_CONF_BEGIN, &b, sizeof(b), buf, IPC_FRAME_MAX);
	assert_int_equal(send(sv[1], buf, (size_t)n, 0), n);
	chan_spin(base);
	assert_int_equal(seen.closed, 1);
	assert_int_equal(seen.err, -EBADMSG);
	assert_int_equal(seen.msgs, 2);
	ipc_chan_free(ch);
	close(sv[1]);
	event_base_free(base);
}

/* A descriptor travels with the frame that carries it; one with a frame
 * that carries none, or none with one that must carry one, is a desync. */
static void
test_chan_descriptors(void **state)
{
	struct event_base *base = event_base_new();
	struct chan_seen seen = {.kept_fd = -1}, peer = {.kept_fd = -1};
	struct ipc_chan *ch = NULL, *other = NULL;
	struct ipc_conf_socket sk = {.kind = IPC_SOCKET_REPORTS};
	struct ipc_conf_begin b = {.generation = 1};
	struct stat st1, st2;
	int sv[2], pipefd[2];

	assert_int_equal(ipc_socketpair(sv), 0);
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(ipc_chan_new(base, sv[0], chan_msg, chan_close, &seen, &ch), 0);
	assert_int_equal(ipc_chan_new(base, sv[1], chan_msg, chan_close, &peer, &other), 0);
	/* the type decides */
	assert_int_equal(ipc_send_fd(ch, IPC_CONF_SOCKET, &sk, sizeof(sk), -1), -EBADMSG);
	assert_int_equal(ipc_send_fd(ch, IPC_CONF_BEGIN, &b, sizeof(b), pipefd[0]), -EBADMSG);
	assert_int_equal(ipc_send_fd(ch, IPC_CONF_SOCKET, &sk, sizeof(sk), pipefd[0]), 0);
	chan_spin(base);
	assert_int_equal(peer.msgs, 1);
	assert_int_equal(peer.last_type, IPC_CONF_SOCKET);
	assert_true(peer.kept_fd >= 0);
	/* the peer has its own copy of the same pipe, close-on-exec */
	assert_int_equal(fstat(pipefd[0], &st1), 0);
	assert_int_equal(fstat(peer.kept_fd, &st2), 0);
	assert_true(st1.st_ino == st2.st_ino && peer.kept_fd != pipefd[0]);
	assert_int_equal(fcntl(peer.kept_fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(peer.kept_fd);
	ipc_chan_free(other);
	/* a descriptor on a frame that carries none: desync, the descriptor closed */
	{
		union {
			struct cmsghdr h;
			char space[CMSG_SPACE(sizeof(int))];
		} cm;
		int n = ipc_encode(IPC_CONF_BEGIN, &b, sizeof(b), buf, IPC_FRAME_MAX);
		int sv2[2];
		struct iovec iov = {buf, (size_t)n};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &cm,
				    .msg_controllen = sizeof(cm.space)};

		assert_int_equal(ipc_socketpair(sv2), 0);
		ipc_chan_free(ch);
		seen = (struct chan_seen){.kept_fd = -1};
		assert_int_equal(ipc_chan_new(base, sv2[0], chan_msg, chan_close, &seen, &ch), 0);
		memset(&cm, 0, sizeof(cm));
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cm.h), &pipefd[1], sizeof(int));
		assert_int_equal(sendmsg(sv2[1], &mh, 0), n);
		chan_spin(base);
		assert_int_equal(seen.msgs, 0);
		assert_int_equal(seen.closed, 1);
		assert_int_equal(seen.err, -EBADMSG);
		close(sv2[1]);
	}
	ipc_chan_free(ch);
	close(pipefd[0]);
	close(pipefd[1]);
	event_base_free(base);
}

/* A peer that does not read: frames wait in the queue, in order, and all
 * arrive once it reads again. */
static void
test_chan_queue(void **state)
{
	struct event_base *base = event_base_new();
	struct chan_seen seen = {.kept_fd = -1}, peer = {.kept_fd = -1};
	struct ipc_chan *ch = NULL, *other = NULL;
	struct ipc_conf_begin b;
	int sv[2], sent = 0;

	assert_int_equal(ipc_socketpair(sv), 0);
	assert_int_equal(ipc_chan_new(base, sv[0], chan_msg, chan_close, &seen, &ch), 0);
	for (sent = 0; sent < 20000; sent++) {
		b.generation = (uint64_t)sent + 1;
		assert_int_equal(ipc_send(ch, IPC_CONF_BEGIN, &b, sizeof(b)), 0);
	}
	assert_int_equal(ipc_chan_new(base, sv[1], chan_msg, chan_close, &peer, &other), 0);
	for (int i = 0; i < 10000 && peer.msgs < sent; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	assert_int_equal(peer.msgs, sent);
	assert_int_equal(peer.last_gen, (uint64_t)sent);
	assert_int_equal(seen.closed + peer.closed, 0);
	ipc_chan_free(ch);
	chan_spin(base);
	assert_int_equal(peer.closed, 1);
	assert_int_equal(peer.err, 0);
	ipc_chan_free(other);
	event_base_free(base);
}

/* The peer going away is a close with err 0. */
static void
test_chan_eof(void **state)
{
	struct event_base *base = event_base_new();
	struct chan_seen seen = {.kept_fd = -1};
	struct ipc_chan *ch = NULL;
	int sv[2];

	assert_int_equal(ipc_socketpair(sv), 0);
	assert_int_equal(ipc_chan_new(base, sv[0], chan_msg, chan_close, &seen, &ch), 0);
	close(sv[1]);
	chan_spin(base);
	assert_int_equal(seen.closed, 1);
	assert_int_equal(seen.err, 0);
	assert_int_equal(seen.msgs, 0);
	assert_int_equal(ipc_send(ch, IPC_STATUS_REQ, &(struct ipc_status_req){0},
				  sizeof(struct ipc_status_req)),
			 -EPIPE);
	ipc_chan_free(ch);
	event_base_free(base);
}

/* The synchronous read of a child's first frame. */
static void
test_recv_once(void **state)
{
	struct ipc_hello h = {.parent_pid = 42, .role = 2};
	struct ipc_msg m;
	int sv[2], n;

	assert_int_equal(ipc_socketpair(sv), 0);
	assert_int_equal(ipc_recv_once(sv[0], buf, 10, &m), -ETIMEDOUT);
	n = ipc_encode(IPC_HELLO, &h, sizeof(h), buf + IPC_FRAME_MAX, IPC_FRAME_MAX);
	assert_int_equal(send(sv[1], buf + IPC_FRAME_MAX, (size_t)n, 0), n);
	assert_int_equal(ipc_recv_once(sv[0], buf, 1000, &m), 0);
	assert_int_equal(m.type, IPC_HELLO);
	assert_int_equal(IPC_BODY(&m, struct ipc_hello)->parent_pid, 42);
	close(sv[1]);
	assert_int_equal(ipc_recv_once(sv[0], buf, 1000, &m), -EPIPE);
	close(sv[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip_fixed),
	    cmocka_unit_test(test_frame_length_exact),
	    cmocka_unit_test(test_unknown_type),
	    cmocka_unit_test(test_wrong_fixed_size),
	    cmocka_unit_test(test_variable_size),
	    cmocka_unit_test(test_weights_batch),
	    cmocka_unit_test(test_feedback_batch),
	    cmocka_unit_test(test_wt_state_batch),
	    cmocka_unit_test(test_key_material),
	    cmocka_unit_test(test_ca_material),
	    cmocka_unit_test(test_every_type_exact),
	    cmocka_unit_test(test_strset),
	    cmocka_unit_test(test_chan_frames_and_desync),
	    cmocka_unit_test(test_chan_descriptors),
	    cmocka_unit_test(test_chan_queue),
	    cmocka_unit_test(test_chan_eof),
	    cmocka_unit_test(test_recv_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
