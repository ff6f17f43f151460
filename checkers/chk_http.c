/* HTTP checks: GET path HTTP/1.0 with a Host header, the answer through
 * the bounded parser of chk_resp.c as it arrives (nothing is buffered
 * beyond what one read brings), judged on its status, the SHA-256 of its
 * body or a substring of it. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "checkers/chk.h"

static const char *
chk_digest(const struct chk_rs *rs)
{
	return rs->check.digest[0] ? rs->check.digest : NULL;
}

static const char *
chk_expect(const struct chk_rs *rs)
{
	return rs->check.expect[0] ? rs->check.expect : NULL;
}

static void chk_http_connected(struct chk_rs *rs);
static void chk_http_read(struct chk_rs *rs);
static void chk_http_eof(struct chk_rs *rs);

const struct chk_proto chk_http_proto = {
    .connected = chk_http_connected,
    .read = chk_http_read,
    .eof = chk_http_eof,
};

int
chk_http_start(struct chk_rs *rs)
{
	return chk_connect(rs, NULL, &chk_http_proto);
}

/* The Host header: the configured host, else the server's address (IPv6
 * in brackets), with the port. */
static void
chk_host(const struct chk_rs *rs, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "";
	const struct sockaddr_in *s4 = (const void *)&rs->sa;
	const struct sockaddr_in6 *s6 = (const void *)&rs->sa;

	if (rs->check.host[0]) {
		snprintf(buf, len, "%s", rs->check.host);
		return;
	}
	if (rs->sa.ss_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(s4->sin_port));
	} else {
		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(s6->sin6_port));
	}
}

static void
chk_http_connected(struct chk_rs *rs)
{
	struct chk_probe *p = rs->probe;
	char host[IPC_PATH_MAX + 8], req[2 * IPC_PATH_MAX + 128];
	int n;
	ssize_t w;

	if (chk_resp_init(&p->resp, chk_digest(rs) != NULL, chk_expect(rs) != NULL) < 0)
		return chk_done(rs, CHK_R_ERROR, ENOMEM);
	chk_host(rs, host, sizeof(host));
	n = snprintf(req, sizeof(req),
		     "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: lvsd-check\r\n"
		     "Connection: close\r\nAccept: */*\r\n\r\n",
		     rs->check.path, host);
	if (n < 0 || (size_t)n >= sizeof(req))
		return chk_done(rs, CHK_R_ERROR, ENOMEM);
	if (p->bev) {
		if (evbuffer_add(bufferevent_get_output(p->bev), req, (size_t)n) < 0)
			return chk_done(rs, CHK_R_ERROR, ENOMEM);
		return;
	}
	/* a new connection's send buffer takes the whole request; a connect
	 * that failed fails here with its error */
	w = send(p->fd, req, (size_t)n, MSG_NOSIGNAL);
	if (w < 0)
		return chk_done(rs, chk_errno_reason(errno), errno);
	if (w != n)
		return chk_done(rs, CHK_R_ERROR, EMSGSIZE);
}

static void
chk_http_verdict(struct chk_rs *rs, bool eof)
{
	int32_t code;
	uint8_t r = chk_resp_judge(&rs->probe->resp, eof, rs->check.status, chk_digest(rs),
				   chk_expect(rs), &code);

	chk_done(rs, r, code);
}

/* n bytes of the answer: true when that ended the attempt. */
static bool
chk_http_feed(struct chk_rs *rs, const void *buf, size_t n)
{
	int r = chk_resp_feed(&rs->probe->resp, buf, n);

	if (r < 0)
		chk_done(rs, (uint8_t)-r, 0);
	else if (r == 1)
		chk_http_verdict(rs, false);
	return r != 0;
}

static void
chk_http_read(struct chk_rs *rs)
{
	struct chk_probe *p = rs->probe;
	struct evbuffer *in;
	struct evbuffer_iovec v;
	char buf[4096];

	if (!p->connected) /* TLS: nothing before the handshake */
		return;
	if (p->bev) {
		in = bufferevent_get_input(p->bev);
		while (evbuffer_peek(in, -1, NULL, &v, 1) == 1 && v.iov_len) {
			if (chk_http_feed(rs, v.iov_base, v.iov_len))
				return;
			evbuffer_drain(in, v.iov_len);
		}
		return;
	}
	/* edge-triggered: read until the verdict, the end or nothing more */
	for (int i = 0; i < 1024; i++) {
		ssize_t r = read(p->fd, buf, sizeof(buf));

		if (r > 0 && chk_http_feed(rs, buf, (size_t)r))
			return;
		if (r == 0)
			return chk_http_eof(rs);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r < 0)
			return chk_done(rs, chk_errno_reason(errno), errno);
	}
	/* 4 MB in one go: let the other checks run, read on at the next event */
	event_active(p->ev, EV_READ, 0);
}

static void
chk_http_eof(struct chk_rs *rs)
{
	chk_http_verdict(rs, true);
}
