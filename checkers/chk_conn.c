/* The connection every check type runs on: a non-blocking socket (bound
 * to the source address when one is set), watched by one edge-triggered
 * event, or under an OpenSSL bufferevent when the caller gives an SSL.
 * What happens on it is the check type's (its struct chk_proto). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "checkers/chk.h"
#include "lvsd/conf/conf.h"

uint8_t
chk_errno_reason(int err)
{
	switch (err) {
	case ETIMEDOUT:
		return CHK_R_TIMEOUT;
	case ECONNREFUSED:
		return CHK_R_REFUSED;
	case ECONNRESET:
	case EPIPE:
		return CHK_R_RESET;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
	case EADDRNOTAVAIL:
		return CHK_R_UNREACHABLE;
	default:
		return CHK_R_ERROR;
	}
}

/* The first OpenSSL error of the bufferevent (the others are dropped). */
static void
chk_tls_error(struct chk_rs *rs, struct bufferevent *bev, unsigned long e)
{
	while (bufferevent_get_openssl_error(bev))
		;
	chk_done(rs, CHK_R_TLS, (int32_t)(e & 0x7fffffffUL));
}

static void
chk_on_event(struct bufferevent *bev, short what, void *arg)
{
	struct chk_rs *rs = arg;
	bool tls = rs->check.type == CONF_CHECK_HTTPS;
	int err = EVUTIL_SOCKET_ERROR();
	unsigned long tls_err = tls ? bufferevent_get_openssl_error(bev) : 0;

	if (what & BEV_EVENT_CONNECTED) {
		rs->probe->connected = true;
		rs->probe->proto->connected(rs);
		return;
	}
	if (tls && (what & BEV_EVENT_ERROR) && tls_err)
		return chk_tls_error(rs, bev, tls_err);
	if (what & BEV_EVENT_EOF) {
		if (!rs->probe->connected || !rs->probe->proto->eof)
			return chk_done(rs, tls ? CHK_R_TLS : CHK_R_RESET, 0);
		return rs->probe->proto->eof(rs);
	}
	if (tls && rs->probe->connected == false && !err)
		return chk_done(rs, CHK_R_TLS, 0);
	chk_done(rs, chk_errno_reason(err), err);
}

static void
chk_on_read(struct bufferevent *bev, void *arg)
{
	struct chk_rs *rs = arg;

	if (rs->probe->proto->read)
		rs->probe->proto->read(rs);
}

static int
chk_socket(struct chk_rs *rs)
{
	int fd = socket(rs->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (rs->src_len && bind(fd, (struct sockaddr *)&rs->src, rs->src_len) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* A plain attempt's socket is ready: the connect's outcome goes to the
 * check type (a TCP check ends there; HTTP sends its request at once, and
 * a failed connect fails it with the connect's own error), then what it
 * reads. */
static void
chk_on_io(evutil_socket_t fd, short what, void *arg)
{
	struct chk_rs *rs = arg;
	struct chk_probe *p = rs->probe;

	if (p->connected) {
		if ((what & EV_READ) && p->proto->read)
			p->proto->read(rs);
		return;
	}
	p->connected = true;
	p->proto->connected(rs);
}

/* TCP and HTTP: socket, connect, one edge-triggered event for both
 * directions (added once, deleted once), no buffers of libevent's. */
static int
chk_connect_plain(struct chk_rs *rs, struct chk_probe *p, int fd)
{
	if (connect(fd, (struct sockaddr *)&rs->sa, rs->sa_len) < 0 && errno != EINPROGRESS) {
		int e = errno;

		close(fd);
		return -chk_errno_reason(e);
	}
	p->fd = fd;
	p->ev = event_new(chk_base(rs), fd, EV_READ | EV_WRITE | EV_ET | EV_PERSIST, chk_on_io, rs);
	if (!p->ev || event_add(p->ev, NULL) < 0) {
		errno = ENOMEM;
		return -CHK_R_ERROR;
	}
	return 0;
}

int
chk_connect(struct chk_rs *rs, void *ssl, const struct chk_proto *proto)
{
	struct event_base *base = chk_base(rs);
	/* not calloc: the response's line buffer needs no clearing */
	struct chk_probe *p = malloc(sizeof(*p));
	int fd;

	if (!p) {
		SSL_free(ssl);
		errno = ENOMEM;
		return -CHK_R_ERROR;
	}
	memset(p, 0, offsetof(struct chk_probe, resp.line));
	p->fd = -1;
	p->proto = proto;
	rs->probe = p;
	if ((fd = chk_socket(rs)) < 0) {
		SSL_free(ssl);
		return -chk_errno_reason(errno);
	}
	if (!ssl)
		return chk_connect_plain(rs, p, fd);
	/* TLS: the connect is ours, the handshake waits for it */
	if (connect(fd, (struct sockaddr *)&rs->sa, rs->sa_len) < 0 && errno != EINPROGRESS) {
		int e = errno;

		SSL_free(ssl);
		close(fd);
		return -chk_errno_reason(e);
	}
	p->bev = bufferevent_openssl_socket_new(base, fd, ssl, BUFFEREVENT_SSL_CONNECTING,
						BEV_OPT_CLOSE_ON_FREE);
	if (!p->bev) {
		SSL_free(ssl);
		close(fd);
		errno = ENOMEM;
		return -CHK_R_ERROR;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(p->bev, 1);
	bufferevent_setcb(p->bev, chk_on_read, NULL, chk_on_event, rs);
	bufferevent_enable(p->bev, EV_READ | EV_WRITE);
	return 0;
}

bool
chk_plain_last_look(struct chk_rs *rs)
{
	struct chk_probe *p = rs->probe;
	struct pollfd pfd;
	short what = 0;

	if (!p || p->bev || p->fd < 0)
		return false;
	pfd = (struct pollfd){.fd = p->fd, .events = POLLIN | POLLOUT};
	if (poll(&pfd, 1, 0) <= 0)
		return false;
	if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
		what |= EV_READ;
	if (pfd.revents & (POLLOUT | POLLERR))
		what |= EV_WRITE;
	chk_on_io(p->fd, what, rs);
	return rs->probe == NULL; /* chk_done ends the probe */
}
