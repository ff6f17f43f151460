/* libevent glue for the IPC codec: one SOCK_SEQPACKET end per channel, a
 * datagram per frame, descriptors passed with SCM_RIGHTS.  Reads go into
 * one aligned buffer and are decoded in place; writes that the socket
 * cannot take at once wait in a queue, in order. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/core/ipc.h"

#define IPC_QUEUE_MAX (16u * 1024 * 1024) /* bytes a peer may leave unread */
#define IPC_READ_BURST 64		  /* frames per read event, then let others run */
#define IPC_SNDBUF (4 * IPC_FRAME_MAX)

struct ipc_out {
	struct ipc_out *next;
	int fd; /* sent with the frame, closed after; -1 when none */
	size_t len;
	unsigned char frame[];
};

struct ipc_chan {
	int fd;
	struct event *ev_read;
	struct event *ev_write;
	struct ipc_out *head, *tail;
	size_t queued;
	unsigned char *rbuf; /* IPC_FRAME_MAX, 8-aligned (malloc) */
	ipc_msg_cb on_msg;
	ipc_close_cb on_close;
	void *arg;
	bool closed;
};

static void
ipc_chan_fail(struct ipc_chan *ch, int err)
{
	if (ch->closed)
		return;
	ch->closed = true;
	event_del(ch->ev_read);
	event_del(ch->ev_write);
	ch->on_close(ch, err, ch->arg);
}

/* The descriptors that came with a datagram: at most one is ever sent;
 * *fd gets the first, any other is closed.  Returns how many came. */
static int
ipc_take_fds(struct msghdr *mh, int *fd)
{
	int n = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		int *fds = (int *)CMSG_DATA(c);
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++, n++) {
			if (n == 0)
				*fd = fds[i];
			else
				close(fds[i]);
		}
	}
	return n;
}

/* Receive one datagram into buf: its length, 0 at end of file, or -errno.
 * *fd gets a descriptor that came with it (or stays -1); *nfds how many. */
static ssize_t
ipc_recv_frame(int sock, void *buf, int *fd, int *nfds)
{
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(4 * sizeof(int))];
	} cm;
	struct iovec iov = {buf, IPC_FRAME_MAX};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &cm,
			    .msg_controllen = sizeof(cm)};
	ssize_t n;

	*fd = -1;
	do
		n = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	*nfds = ipc_take_fds(&mh, fd);
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return -EBADMSG;
	}
	return n;
}

/* Decode one received frame and check its descriptor against its type. */
static int
ipc_frame(void *buf, ssize_t n, int fd, int nfds, struct ipc_msg *msg)
{
	const struct ipc_type_info *ti;

	if (n == 0 || ipc_decode(buf, (size_t)n, msg) < 0)
		goto bad;
	ti = ipc_type_info(msg->type);
	if (nfds != (ti->fd ? 1 : 0))
		goto bad;
	msg->fd = fd;
	return 0;
bad:
	if (fd >= 0)
		close(fd);
	return -EBADMSG;
}

static void
ipc_chan_read(evutil_socket_t sock, short what, void *arg)
{
	struct ipc_chan *ch = arg;

	for (int i = 0; i < IPC_READ_BURST && !ch->closed; i++) {
		struct ipc_msg msg;
		int fd, nfds;
		ssize_t n = ipc_recv_frame(ch->fd, ch->rbuf, &fd, &nfds);

		if (n == -EAGAIN || n == -EWOULDBLOCK)
			return;
		if (n == 0) {
			ipc_chan_fail(ch, 0);
			return;
		}
		if (n < 0) {
			ipc_chan_fail(ch, (int)n);
			return;
		}
		if (ipc_frame(ch->rbuf, n, fd, nfds, &msg) < 0) {
			ipc_chan_fail(ch, -EBADMSG);
			return;
		}
		ch->on_msg(ch, &msg, ch->arg); /* may free ch only via on_close */
		if (msg.fd >= 0)
			close(msg.fd);
	}
}

/* Send one frame now: 0, -EAGAIN when the socket is full, or -errno. */
static int
ipc_send_now(int sock, const void *frame, size_t len, int fd)
{
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = {(void *)frame, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n;

	if (fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = &cm;
		mh.msg_controllen = sizeof(cm.space);
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cm.h), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

static void
ipc_out_free(struct ipc_out *o)
{
	if (o->fd >= 0)
		close(o->fd);
	free(o);
}

/* Send what is queued, in order, until the socket is full: 0 (or -EAGAIN
 * with the write event armed), or the -errno that stopped it. */
static int
ipc_flush(struct ipc_chan *ch)
{
	while (ch->head) {
		struct ipc_out *o = ch->head;
		int r = ipc_send_now(ch->fd, o->frame, o->len, o->fd);

		if (r == -EAGAIN) {
			event_add(ch->ev_write, NULL);
			return r;
		}
		if (r < 0)
			return r;
		ch->head = o->next;
		if (!ch->head)
			ch->tail = NULL;
		ch->queued -= o->len;
		ipc_out_free(o);
	}
	return 0;
}

static void
ipc_chan_write(evutil_socket_t sock, short what, void *arg)
{
	struct ipc_chan *ch = arg;
	int r;

	if (ch->closed)
		return;
	r = ipc_flush(ch);
	if (r < 0 && r != -EAGAIN)
		ipc_chan_fail(ch, r);
}

int
ipc_send_fd(struct ipc_chan *ch, uint32_t type, const void *payload, size_t len, int fd)
{
	const struct ipc_type_info *ti = ipc_type_info(type);
	struct ipc_out *o;
	int r;

	if (ch->closed)
		return -EPIPE;
	if (!ti || ipc_check_payload(type, payload, len) < 0 || ti->fd != (fd >= 0))
		return -EBADMSG;
	if (ch->queued + IPC_HDR_LEN + len > IPC_QUEUE_MAX)
		return -ENOBUFS;
	o = malloc(sizeof(*o) + IPC_HDR_LEN + len);
	if (!o)
		return -ENOMEM;
	o->next = NULL;
	o->len = (size_t)ipc_encode(type, payload, len, o->frame, IPC_HDR_LEN + len);
	o->fd = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
	if (fd >= 0 && o->fd < 0) {
		free(o);
		return -errno;
	}
	if (ch->tail)
		ch->tail->next = o;
	else
		ch->head = o;
	ch->tail = o;
	ch->queued += o->len;
	if (ch->head != o) /* the write event sends it after the others */
		return 0;
	/* nothing waits before it: try at once; a failure is reported by the
	 * write event, never from inside the sender's call */
	r = ipc_flush(ch);
	if (r < 0 && r != -EAGAIN) {
		event_active(ch->ev_write, EV_WRITE, 1);
		return r;
	}
	return 0;
}

int
ipc_send(struct ipc_chan *ch, uint32_t type, const void *payload, size_t len)
{
	return ipc_send_fd(ch, type, payload, len, -1);
}

int
ipc_chan_new(struct event_base *base, int fd, ipc_msg_cb on_msg, ipc_close_cb on_close, void *arg,
	     struct ipc_chan **out)
{
	struct ipc_chan *ch = calloc(1, sizeof(*ch));

	if (!ch)
		return -ENOMEM;
	if (evutil_make_socket_nonblocking(fd) < 0 || !(ch->rbuf = malloc(IPC_FRAME_MAX)) ||
	    !(ch->ev_read = event_new(base, fd, EV_READ | EV_PERSIST, ipc_chan_read, ch)) ||
	    !(ch->ev_write = event_new(base, fd, EV_WRITE, ipc_chan_write, ch)) ||
	    event_add(ch->ev_read, NULL) < 0) {
		if (ch->ev_read)
			event_free(ch->ev_read);
		if (ch->ev_write)
			event_free(ch->ev_write);
		free(ch->rbuf);
		free(ch);
		return -ENOMEM;
	}
	ch->fd = fd;
	ch->on_msg = on_msg;
	ch->on_close = on_close;
	ch->arg = arg;
	*out = ch;
	return 0;
}

void
ipc_chan_free(struct ipc_chan *ch)
{
	if (!ch)
		return;
	while (ch->head) {
		struct ipc_out *o = ch->head;

		ch->head = o->next;
		ipc_out_free(o);
	}
	event_free(ch->ev_read);
	event_free(ch->ev_write);
	close(ch->fd);
	free(ch->rbuf);
	free(ch);
}

int
ipc_socketpair(int sv[2])
{
	int sz = IPC_SNDBUF;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	for (int i = 0; i < 2; i++)
		if (setsockopt(sv[i], SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
			(void)setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	return 0;
}

int
ipc_recv_once(int fd, void *buf, int timeout_ms, struct ipc_msg *msg)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int r, rfd, nfds;
	ssize_t n;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	n = ipc_recv_frame(fd, buf, &rfd, &nfds);
	if (n == 0)
		return -EPIPE;
	if (n < 0)
		return (int)n;
	return ipc_frame(buf, n, rfd, nfds, msg);
}
