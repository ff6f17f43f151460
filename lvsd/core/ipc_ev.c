/* libevent glue for the IPC codec: a bufferevent per socketpair end. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "lvsd/core/ipc.h"

struct ipc_chan {
	struct bufferevent *bev;
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
	bufferevent_disable(ch->bev, EV_READ | EV_WRITE);
	ch->on_close(ch, err, ch->arg);
}

/* Decode every whole frame in the input; stop at a partial one. */
static void
ipc_chan_read(struct bufferevent *bev, void *arg)
{
	struct ipc_chan *ch = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct ipc_msg msg;

	while (!ch->closed) {
		size_t have = evbuffer_get_length(in), want, used = 0;
		unsigned char *p;
		struct ipc_hdr h;
		int r;

		if (have < IPC_HDR_LEN)
			return;
		evbuffer_copyout(in, &h, sizeof(h));
		want = IPC_HDR_LEN + (size_t)h.len;
		if (want > IPC_MSG_MAX)
			want = IPC_HDR_LEN; /* let the decoder reject the header */
		p = evbuffer_pullup(in, (ev_ssize_t)(have < want ? have : want));
		if (!p) { /* out of memory: the frame cannot be read */
			ipc_chan_fail(ch, -ENOMEM);
			return;
		}
		r = ipc_decode(p, have < want ? have : want, &msg, &used);
		if (r < 0) {
			ipc_chan_fail(ch, r);
			return;
		}
		if (r == 0)
			return;
		evbuffer_drain(in, used);
		ch->on_msg(ch, &msg, ch->arg); /* may free ch only via on_close */
	}
}

static void
ipc_chan_event(struct bufferevent *bev, short what, void *arg)
{
	struct ipc_chan *ch = arg;

	if (what & BEV_EVENT_EOF)
		ipc_chan_fail(ch, 0);
	else if (what & BEV_EVENT_ERROR)
		ipc_chan_fail(ch, errno ? -errno : -EIO);
}

int
ipc_chan_new(struct event_base *base, int fd, ipc_msg_cb on_msg, ipc_close_cb on_close, void *arg,
	     struct ipc_chan **out)
{
	struct ipc_chan *ch = calloc(1, sizeof(*ch));

	if (!ch)
		return -ENOMEM;
	if (evutil_make_socket_nonblocking(fd) < 0) {
		free(ch);
		return -errno;
	}
	ch->bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!ch->bev) {
		free(ch);
		return -ENOMEM;
	}
	ch->on_msg = on_msg;
	ch->on_close = on_close;
	ch->arg = arg;
	bufferevent_setcb(ch->bev, ipc_chan_read, NULL, ipc_chan_event, ch);
	bufferevent_enable(ch->bev, EV_READ | EV_WRITE);
	*out = ch;
	return 0;
}

void
ipc_chan_free(struct ipc_chan *ch)
{
	if (!ch)
		return;
	bufferevent_free(ch->bev);
	free(ch);
}

int
ipc_send(struct ipc_chan *ch, uint32_t type, const void *payload, size_t len)
{
	struct ipc_hdr h = {type, (uint32_t)len};

	if (ch->closed)
		return -EPIPE;
	if (ipc_check_payload(type, payload, len) < 0)
		return -EBADMSG;
	if (bufferevent_write(ch->bev, &h, sizeof(h)) < 0 ||
	    (len && bufferevent_write(ch->bev, payload, len) < 0))
		return -ENOMEM;
	return 0;
}
