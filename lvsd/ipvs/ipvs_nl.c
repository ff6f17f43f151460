/* The IPVS generic netlink socket: family resolution, dumps and a batching
 * sender.  libnl-genl connects and resolves the family and its struct
 * nl_msg carries the requests (ipvs_msg.c); the round trips themselves are
 * plain sendto/recv on the socket so that many requests go out in one
 * sendmsg and every ack is matched to its request by sequence number. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "lvsd/ipvs/ipvs.h"

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define IPVS_NL_RBUF (128 * 1024)    /* one dump part or a run of acks */
#define IPVS_NL_SBUF_MAX (64 * 1024) /* bytes of requests per sendmsg */
#define IPVS_NL_RCVBUF (4 * 1024 * 1024)
#define IPVS_NL_ACK_COST 1024 /* receive buffer one queued ack may take */
#define IPVS_NL_TIMEOUT_S 10
#define IPVS_NL_MAX_RECVS 1000000 /* bound on recv calls per dump */

struct ipvs_nl {
	struct nl_sock *sk;
	int fd;
	int family;
	uint32_t seq;
	size_t batch_max;
	size_t sbuf_max; /* bytes per sendmsg: what the socket's send buffer takes */
	uint8_t *rbuf;
	uint8_t *sbuf;
};

/* Netlink refuses one sendmsg longer than the send buffer less 32 bytes
 * (EMSGSIZE), and libnl leaves that buffer at 32 KB: ask for room for a
 * whole batch and size batches by what the kernel granted. */
static void
setup_send_buffer(struct ipvs_nl *nl)
{
	int sz = IPVS_NL_SBUF_MAX, got = 0;
	socklen_t gl = sizeof(got);

	if (setsockopt(nl->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(nl->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (getsockopt(nl->fd, SOL_SOCKET, SO_SNDBUF, &got, &gl) < 0 || got <= 4096)
		got = 4096;
	nl->sbuf_max = (size_t)got - 32;
	if (nl->sbuf_max > IPVS_NL_SBUF_MAX)
		nl->sbuf_max = IPVS_NL_SBUF_MAX;
}

static void
setup_buffers(struct ipvs_nl *nl)
{
	int one = 1, sz = IPVS_NL_RCVBUF, got = 0;
	socklen_t gl = sizeof(got);
	struct timeval tv = {.tv_sec = IPVS_NL_TIMEOUT_S};

	setup_send_buffer(nl);
	/* acks of failed requests without the request's payload */
	(void)setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	(void)setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (getsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &got, &gl) < 0 || got <= 0)
		got = 200 * 1024;
	nl->batch_max = (size_t)got / IPVS_NL_ACK_COST;
	if (nl->batch_max < 16)
		nl->batch_max = 16;
	if (nl->batch_max > IPVS_BATCH_MAX)
		nl->batch_max = IPVS_BATCH_MAX;
}

int
ipvs_nl_open(struct ipvs_nl **out)
{
	struct ipvs_nl *nl = calloc(1, sizeof(*nl));
	int r;

	if (!nl || !(nl->rbuf = malloc(IPVS_NL_RBUF)) || !(nl->sbuf = malloc(IPVS_NL_SBUF_MAX)) ||
	    !(nl->sk = nl_socket_alloc())) {
		ipvs_nl_close(nl);
		return -ENOMEM;
	}
	if ((r = genl_connect(nl->sk)) < 0) {
		ipvs_nl_close(nl);
		return r == -NLE_PERM ? -EPERM : -EPROTONOSUPPORT;
	}
	r = genl_ctrl_resolve(nl->sk, IPVS_GENL_NAME);
	if (r < 0) {
		ipvs_nl_close(nl);
		return r == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
	}
	nl->family = r;
	nl->fd = nl_socket_get_fd(nl->sk);
	nl->seq = (uint32_t)time(NULL);
	setup_buffers(nl);
	*out = nl;
	return 0;
}

void
ipvs_nl_close(struct ipvs_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl->rbuf);
	free(nl->sbuf);
	free(nl);
}

int
ipvs_nl_family(const struct ipvs_nl *nl)
{
	return nl->family;
}

static int
send_raw(struct ipvs_nl *nl, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	ssize_t r;

	do
		r = sendto(nl->fd, buf, len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return (size_t)r == len ? 0 : -EIO;
}

/* One datagram into nl->rbuf: its length or -errno. */
static ssize_t
recv_raw(struct ipvs_nl *nl)
{
	ssize_t r;

	do
		r = recv(nl->fd, nl->rbuf, IPVS_NL_RBUF, MSG_TRUNC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
	if (r > IPVS_NL_RBUF)
		return -EMSGSIZE;
	return r;
}

/* ------------------------------------------------------ requests and dumps */

typedef int (*ipvs_nl_cb)(const void *buf, size_t len, void *arg);

/* Handle one message of a transaction: 1 when it ended it, 0 to go on. */
static int
transact_msg(struct ipvs_nl *nl, const struct nlmsghdr *h, uint32_t seq, ipvs_nl_cb cb, void *arg,
	     int *first_err)
{
	uint32_t s;
	int e;

	if (h->nlmsg_seq != seq)
		return 0; /* a late ack of an earlier batch */
	if (h->nlmsg_type == NLMSG_ERROR) {
		if (ipvs_parse_ack(h, h->nlmsg_len, &s, &e) < 0)
			e = -EBADMSG;
		if (!*first_err)
			*first_err = e;
		return 1;
	}
	if (h->nlmsg_type == NLMSG_DONE) {
		if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
			memcpy(&e, NLMSG_DATA(h), sizeof(e));
			if (e < 0 && !*first_err)
				*first_err = e;
		}
		return 1;
	}
	if (h->nlmsg_type == nl->family) {
		e = cb(h, h->nlmsg_len, arg);
		if (e < 0 && !*first_err)
			*first_err = e;
		return (h->nlmsg_flags & NLM_F_MULTI) ? 0 : 1;
	}
	return 0;
}

/* Send one request and feed every reply message to cb until the
 * transaction ends (NLMSG_DONE, an error, or the single reply). */
static int
transact(struct ipvs_nl *nl, struct nl_msg *msg, ipvs_nl_cb cb, void *arg)
{
	struct nlmsghdr *req = nlmsg_hdr(msg);
	uint32_t seq = req->nlmsg_seq;
	int first_err = 0, r;

	if ((r = send_raw(nl, req, req->nlmsg_len)) < 0)
		return r;
	for (long i = 0; i < IPVS_NL_MAX_RECVS; i++) {
		ssize_t n = recv_raw(nl);
		int rem;

		if (n < 0)
			return (int)n;
		rem = (int)n;
		for (struct nlmsghdr *h = (void *)nl->rbuf; NLMSG_OK(h, rem);
		     h = NLMSG_NEXT(h, rem))
			if (transact_msg(nl, h, seq, cb, arg, &first_err))
				return first_err;
	}
	return -ETIMEDOUT;
}

struct vec {
	void *items;
	size_t n, cap, size;
};

static void *
vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->items, cap * v->size);

		if (!p)
			return NULL;
		v->items = p;
		v->cap = cap;
	}
	return (uint8_t *)v->items + v->size * v->n++;
}

static int
collect_service(const void *buf, size_t len, void *arg)
{
	struct ipvs_service s, *p;
	int r = ipvs_parse_service(buf, len, &s);

	if (r < 0)
		return r;
	if (!(p = vec_push(arg)))
		return -ENOMEM;
	*p = s;
	return 0;
}

struct dest_ctx {
	struct vec v;
	uint16_t af;
};

static int
collect_dest(const void *buf, size_t len, void *arg)
{
	struct dest_ctx *c = arg;
	struct ipvs_dest d, *p;
	int r = ipvs_parse_dest(buf, len, c->af, &d);

	if (r < 0)
		return r;
	if (!(p = vec_push(&c->v)))
		return -ENOMEM;
	*p = d;
	return 0;
}

static int
collect_info(const void *buf, size_t len, void *arg)
{
	return ipvs_parse_info(buf, len, arg);
}

static int
collect_daemon(const void *buf, size_t len, void *arg)
{
	struct ipvs_daemon d, *p;
	int r = ipvs_parse_daemon(buf, len, &d);

	if (r < 0)
		return r;
	if (!(p = vec_push(arg)))
		return -ENOMEM;
	*p = d;
	return 0;
}

int
ipvs_nl_info(struct ipvs_nl *nl, struct ipvs_info *out)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct ipvs_info i = {0};
	int r;

	if (!msg)
		return -ENOMEM;
	r = ipvs_msg_get_info(msg, nl->family, ++nl->seq);
	if (r == 0)
		r = transact(nl, msg, collect_info, &i);
	nlmsg_free(msg);
	if (r == 0)
		*out = i;
	return r;
}

int
ipvs_nl_list_services(struct ipvs_nl *nl, struct ipvs_service **out, size_t *n)
{
	struct vec v = {.size = sizeof(struct ipvs_service)};
	struct nl_msg *msg = nlmsg_alloc();
	int r;

	if (!msg)
		return -ENOMEM;
	r = ipvs_msg_get_services(msg, nl->family, ++nl->seq);
	if (r == 0)
		r = transact(nl, msg, collect_service, &v);
	nlmsg_free(msg);
	if (r < 0) {
		free(v.items);
		return r;
	}
	*out = v.items;
	*n = v.n;
	return 0;
}

int
ipvs_nl_list_dests(struct ipvs_nl *nl, const struct ipvs_service *svc, struct ipvs_dest **out,
		   size_t *n)
{
	struct dest_ctx c = {.v = {.size = sizeof(struct ipvs_dest)}, .af = svc->af};
	struct nl_msg *msg = nlmsg_alloc();
	int r;

	if (!msg)
		return -ENOMEM;
	r = ipvs_msg_get_dests(msg, nl->family, ++nl->seq, svc);
	if (r == 0)
		r = transact(nl, msg, collect_dest, &c);
	nlmsg_free(msg);
	if (r < 0) {
		free(c.v.items);
		return r;
	}
	*out = c.v.items;
	*n = c.v.n;
	return 0;
}

int
ipvs_nl_list_daemons(struct ipvs_nl *nl, struct ipvs_daemon out[2], size_t *n)
{
	struct vec v = {.size = sizeof(struct ipvs_daemon)};
	struct nl_msg *msg = nlmsg_alloc();
	int r;

	if (!msg)
		return -ENOMEM;
	r = ipvs_msg_get_daemons(msg, nl->family, ++nl->seq);
	if (r == 0)
		r = transact(nl, msg, collect_daemon, &v);
	nlmsg_free(msg);
	if (r == 0 && v.n > 2)
		r = -EOVERFLOW;
	if (r == 0) {
		if (v.n)
			memcpy(out, v.items, v.n * sizeof(*out));
		*n = v.n;
	}
	free(v.items);
	return r;
}

/* ------------------------------------------------------------- the sender */

/* Build the next batch of ops into nl->sbuf and send it; b describes it.
 * flags: 0 or MSG_DONTWAIT.  Returns the ops consumed or -errno. */
static int
batch_send(struct ipvs_nl *nl, struct ipvs_op *ops, size_t n, struct ipvs_nl_batch *b, int flags)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	size_t len, k;
	ssize_t r;

	b->ops = ops;
	b->seq0 = nl->seq + 1;
	b->pending = 0;
	k = ipvs_batch_build(nl->family, b->seq0, ops, n, nl->batch_max, nl->sbuf, nl->sbuf_max,
			     &len, b->state);
	b->k = k;
	nl->seq += (uint32_t)k;
	for (size_t j = 0; j < k; j++)
		b->pending += b->state[j] == IPVS_BATCH_SENT;
	if (len == 0)
		return (int)k;
	do
		r = sendto(nl->fd, nl->sbuf, len, flags, (struct sockaddr *)&kernel,
			   sizeof(kernel));
	while (r < 0 && errno == EINTR);
	if (r < 0 || (size_t)r != len) {
		int e = r < 0 ? -errno : -EIO;

		for (size_t j = 0; j < k; j++)
			b->state[j] = IPVS_BATCH_DONE; /* err stays -EIO */
		b->pending = 0;
		return e;
	}
	return (int)k;
}

/* Feed one received datagram to the batch. */
static int
batch_take(struct ipvs_nl *nl, struct ipvs_nl_batch *b, size_t n)
{
	int r = ipvs_batch_acks(nl->rbuf, n, b->seq0, b->ops, b->k, b->state);

	if (r < 0)
		return r;
	b->pending -= (size_t)r;
	return 0;
}

/* The socket failed: requests without an answer keep -EIO. */
static void
batch_abort(struct ipvs_nl_batch *b)
{
	for (size_t j = 0; j < b->k; j++)
		b->state[j] = IPVS_BATCH_DONE;
	b->pending = 0;
}

int
ipvs_nl_send(struct ipvs_nl *nl, struct ipvs_op *ops, size_t n)
{
	struct ipvs_nl_batch b;
	size_t i = 0, failed = 0;

	while (i < n) {
		int r = batch_send(nl, ops + i, n - i, &b, 0);

		while (r >= 0 && b.pending > 0) {
			ssize_t got = recv_raw(nl);

			r = got < 0 ? (int)got : batch_take(nl, &b, (size_t)got);
		}
		if (r < 0) {
			/* unanswered requests of this batch keep -EIO */
			for (size_t j = i + b.k; j < n; j++)
				ops[j].err = -EIO;
			return r;
		}
		i += b.k;
	}
	for (i = 0; i < n; i++)
		failed += ops[i].err != 0;
	return (int)failed;
}

int
ipvs_nl_fd(const struct ipvs_nl *nl)
{
	return nl->fd;
}

int
ipvs_nl_batch_send(struct ipvs_nl *nl, struct ipvs_op *ops, size_t n, struct ipvs_nl_batch *b)
{
	return batch_send(nl, ops, n, b, MSG_DONTWAIT);
}

int
ipvs_nl_batch_recv(struct ipvs_nl *nl, struct ipvs_nl_batch *b)
{
	for (;;) { /* until nothing is left to read: no stray datagram stays */
		ssize_t n;
		int r;

		do
			n = recv(nl->fd, nl->rbuf, IPVS_NL_RBUF, MSG_TRUNC | MSG_DONTWAIT);
		while (n < 0 && errno == EINTR);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		r = n < 0 ? -errno : n > IPVS_NL_RBUF ? -EMSGSIZE : batch_take(nl, b, (size_t)n);
		if (r < 0) {
			batch_abort(b);
			return r;
		}
	}
	return (int)b->pending;
}

int
ipvs_nl_dump_start(struct ipvs_nl *nl, const struct ipvs_service *svc, uint32_t *seq)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *h;
	int r;

	if (!msg)
		return -ENOMEM;
	r = svc ? ipvs_msg_get_dests(msg, nl->family, ++nl->seq, svc)
		: ipvs_msg_get_services(msg, nl->family, ++nl->seq);
	h = nlmsg_hdr(msg);
	if (r == 0)
		r = send_raw(nl, h, h->nlmsg_len);
	nlmsg_free(msg);
	if (r == 0)
		*seq = nl->seq;
	return r;
}

int
ipvs_nl_dump_recv(struct ipvs_nl *nl, uint32_t seq, ipvs_dump_cb cb, void *arg, int *err,
		  unsigned max)
{
	for (unsigned i = 0; i < max; i++) {
		ssize_t n;
		int r;

		do
			n = recv(nl->fd, nl->rbuf, IPVS_NL_RBUF, MSG_TRUNC | MSG_DONTWAIT);
		while (n < 0 && errno == EINTR);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0)
			return -errno;
		if (n > IPVS_NL_RBUF)
			return -EMSGSIZE;
		r = ipvs_dump_take(nl->rbuf, (size_t)n, nl->family, seq, cb, arg, err);
		if (r != 0)
			return r;
	}
	return 0;
}

int
ipvs_nl_daemon_start(struct ipvs_nl *nl, const struct ipvs_daemon *d)
{
	struct ipvs_op op = {.cmd = IPVS_CMD_NEW_DAEMON, .daemon = *d};
	int r = ipvs_nl_send(nl, &op, 1);

	return r < 0 ? r : op.err;
}

int
ipvs_nl_daemon_stop(struct ipvs_nl *nl, uint32_t state)
{
	struct ipvs_op op = {.cmd = IPVS_CMD_DEL_DAEMON, .daemon = {.state = state}};
	int r = ipvs_nl_send(nl, &op, 1);

	return r < 0 ? r : op.err;
}
