/* HTTP checks: GET path HTTP/1.0 with a Host header, the answer through
 * the bounded parser of chk_resp.c as it arrives (nothing is buffered
 * beyond what one read brings), judged on its status, the SHA-256 of its
 * body or a substring of it. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

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

int
chk_http_start(struct chk_rs *rs)
{
	return chk_connect(rs, NULL);
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

void
chk_http_connected(struct chk_rs *rs)
{
	struct chk_probe *p = rs->probe;
	char host[IPC_PATH_MAX + 8];

	if (chk_resp_init(&p->resp, chk_digest(rs) != NULL, chk_expect(rs) != NULL) < 0)
		return chk_done(rs, CHK_R_ERROR, ENOMEM);
	chk_host(rs, host, sizeof(host));
	if (evbuffer_add_printf(bufferevent_get_output(p->bev),
				"GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: lvsd-check\r\n"
				"Connection: close\r\nAccept: */*\r\n\r\n",
				rs->check.path, host) < 0)
		return chk_done(rs, CHK_R_ERROR, ENOMEM);
}

static void
chk_http_verdict(struct chk_rs *rs, bool eof)
{
	int32_t code;
	uint8_t r = chk_resp_judge(&rs->probe->resp, eof, rs->check.status, chk_digest(rs),
				   chk_expect(rs), &code);

	chk_done(rs, r, code);
}

void
chk_http_read(struct chk_rs *rs)
{
	struct evbuffer *in = bufferevent_get_input(rs->probe->bev);
	struct evbuffer_iovec v;
	int r = 0;

	if (!rs->probe->connected) /* TLS: nothing before the handshake */
		return;
	while (r == 0 && evbuffer_peek(in, -1, NULL, &v, 1) == 1 && v.iov_len) {
		r = chk_resp_feed(&rs->probe->resp, v.iov_base, v.iov_len);
		evbuffer_drain(in, v.iov_len);
	}
	if (r < 0)
		return chk_done(rs, (uint8_t)-r, 0);
	if (r == 1)
		chk_http_verdict(rs, false);
}

void
chk_http_eof(struct chk_rs *rs)
{
	chk_http_verdict(rs, true);
}
