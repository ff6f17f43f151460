#include "config.h"

/*
 * lab-http: the lab's tiny web server and client, one long-running process
 * each, because every fork inside user-mode Linux costs tens of milliseconds.
 *
 *   lab-http serve [-a ADDR] [-p PORT] [-f DOWNFILE] [-r READYFILE] NAME
 *	answers every GET with "NAME\n" (503 "NAME down\n" while DOWNFILE
 *	exists); HTTP/1.1 connections are kept alive, HTTP/1.0 ones closed.
 *	READYFILE is created once the socket listens.
 *   lab-http get [-n N] [-t MS] [-i MS] [-k] [-l] [-T] [-s STOPFILE] HOST[:PORT] [PATH]
 *	makes N requests one after the other (a new TCP connection each, or
 *	one kept-alive connection with -k, reconnecting after an error),
 *	waits -i MS between them, and prints "NAME COUNT" per answering server
 *	(sorted by name) then "failed COUNT". With -l it first prints one line
 *	per request: "MS_SINCE_START NAME" or "MS_SINCE_START ERR:reason".
 *	-T (with -l) gives each line's time as wall-clock milliseconds since
 *	the epoch instead, so a script can place its own events (bash's
 *	EPOCHREALTIME) on the client's timeline; a line is written when its
 *	request ends, and stdout is line-buffered (read it while it runs).
 *	With -s it stops early, before the next request, once STOPFILE
 *	exists (a probe that runs until the drill is over; N is then a cap).
 *	Exit status 0 when no request failed, 1 otherwise, 2 on usage errors.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LH_MAX_CONN 512
#define LH_REQ_MAX 4096
#define LH_RESP_MAX 8192
#define LH_MAX_NAMES 64
#define LH_NAME_MAX 64

/* ---------------------------------------------------------------- server */

struct lh_conn {
	int fd;
	size_t len;
	char buf[LH_REQ_MAX];
};

struct lh_server {
	const char *name;
	const char *downfile;
	int lfd;
	struct lh_conn conns[LH_MAX_CONN];
	struct pollfd pfds[LH_MAX_CONN + 1];
};

static int
lh_listen(const char *addr, const char *port, int *out_fd)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
	struct addrinfo *res;
	int fd, one = 1, zero = 0, r;

	/* no address: one dual-stack socket on [::] answers IPv4 and IPv6 */
	if (!addr)
		hints.ai_family = AF_INET6;
	r = getaddrinfo(addr, port, &hints, &res);
	if (r != 0)
		return -EINVAL;
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		freeaddrinfo(res);
		return r;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (res->ai_family == AF_INET6 && !addr)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 128) < 0) {
		r = -errno;
		close(fd);
		freeaddrinfo(res);
		return r;
	}
	freeaddrinfo(res);
	*out_fd = fd;
	return 0;
}

static int
lh_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Answer the request in c->buf (complete up to "\r\n\r\n" at hdr_end).
 * Returns 1 to keep the connection, 0 to close it. */
static int
lh_answer(const struct lh_server *s, struct lh_conn *c, size_t hdr_end)
{
	char resp[512];
	struct stat st;
	int down = s->downfile && stat(s->downfile, &st) == 0;
	int keep = strstr(c->buf, " HTTP/1.1\r\n") != NULL &&
		   strcasestr(c->buf, "\r\nConnection: close") == NULL;
	int n;

	n = snprintf(resp, sizeof(resp),
		     "HTTP/1.%d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
		     "Connection: %s\r\n\r\n%s%s\n",
		     keep, down ? "503 Service Unavailable" : "200 OK",
		     strlen(s->name) + (down ? 6 : 1), keep ? "keep-alive" : "close", s->name,
		     down ? " down" : "");
	if (n < 0 || (size_t)n >= sizeof(resp) || lh_write_all(c->fd, resp, (size_t)n) < 0)
		return 0;
	memmove(c->buf, c->buf + hdr_end, c->len - hdr_end);
	c->len -= hdr_end;
	c->buf[c->len] = '\0';
	return keep;
}

/* Read what is there; answer complete requests. Returns 0 to close. */
static int
lh_conn_input(const struct lh_server *s, struct lh_conn *c)
{
	ssize_t r = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	char *end;

	if (r <= 0)
		return r < 0 && errno == EINTR;
	c->len += (size_t)r;
	c->buf[c->len] = '\0';
	while ((end = strstr(c->buf, "\r\n\r\n")) != NULL) {
		if (!lh_answer(s, c, (size_t)(end + 4 - c->buf)))
			return 0;
	}
	return c->len < sizeof(c->buf) - 1;
}

static void
lh_accept(struct lh_server *s)
{
	int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
	int i;

	if (fd < 0)
		return;
	for (i = 0; i < LH_MAX_CONN; i++) {
		if (s->conns[i].fd < 0) {
			s->conns[i].fd = fd;
			s->conns[i].len = 0;
			return;
		}
	}
	close(fd);
}

static int
lh_serve_loop(struct lh_server *s)
{
	for (;;) {
		int i, n = 0, map[LH_MAX_CONN + 1];

		s->pfds[n++] = (struct pollfd){.fd = s->lfd, .events = POLLIN};
		for (i = 0; i < LH_MAX_CONN; i++) {
			if (s->conns[i].fd < 0)
				continue;
			map[n] = i;
			s->pfds[n++] = (struct pollfd){.fd = s->conns[i].fd, .events = POLLIN};
		}
		if (poll(s->pfds, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (i = 1; i < n; i++) {
			struct lh_conn *c = &s->conns[map[i]];

			if (s->pfds[i].revents && !lh_conn_input(s, c)) {
				close(c->fd);
				c->fd = -1;
			}
		}
		if (s->pfds[0].revents & POLLIN)
			lh_accept(s);
	}
}

static int
lh_serve(int argc, char **argv)
{
	static struct lh_server s;
	const char *addr = NULL, *port = "80", *ready = NULL;
	int opt, i, r;

	s.downfile = NULL;
	while ((opt = getopt(argc, argv, "a:p:f:r:")) != -1) {
		switch (opt) {
		case 'a':
			addr = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		case 'f':
			s.downfile = optarg;
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc || strlen(argv[optind]) >= LH_NAME_MAX)
		return 2;
	s.name = argv[optind];
	for (i = 0; i < LH_MAX_CONN; i++)
		s.conns[i].fd = -1;
	signal(SIGPIPE, SIG_IGN);
	r = lh_listen(addr, port, &s.lfd);
	if (r < 0) {
		fprintf(stderr, "lab-http: listen on %s:%s: %s\n", addr ? addr : "*", port,
			strerror(-r));
		return 1;
	}
	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd >= 0)
			close(fd);
	}
	r = lh_serve_loop(&s);
	fprintf(stderr, "lab-http: poll: %s\n", strerror(-r));
	return 1;
}

/* ---------------------------------------------------------------- client */

struct lh_client {
	struct sockaddr_storage sa;
	socklen_t salen;
	const char *host;
	const char *path;
	int timeout_ms;
	int keepalive;
	int fd; /* kept-alive connection, or -1 */
	char names[LH_MAX_NAMES][LH_NAME_MAX];
	unsigned counts[LH_MAX_NAMES];
	int nnames;
	unsigned failed;
};

static long long
lh_clock_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long
lh_now_ms(void)
{
	return lh_clock_ms(CLOCK_MONOTONIC);
}

/* Wait for fd to become ready for events before deadline (ms).  Past the
 * deadline it still looks once: when this process did not run for a while
 * (a busy host starves the lab's kernel), the answer may have come in the
 * meantime, and that is no timeout. */
static int
lh_wait(int fd, short events, long long deadline)
{
	struct pollfd p = {.fd = fd, .events = events};
	long long left = deadline - lh_now_ms();
	int r;

	r = poll(&p, 1, left > 0 ? (int)left : 0);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

static int
lh_connect(const struct lh_client *c, long long deadline, int *out_fd)
{
	int fd = socket(c->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int err = 0, r;
	socklen_t len = sizeof(err);

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&c->sa, c->salen) < 0 && errno != EINPROGRESS) {
		r = -errno;
		close(fd);
		return r;
	}
	r = lh_wait(fd, POLLOUT, deadline);
	if (r == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err != 0)
		r = -err;
	if (r < 0) {
		close(fd);
		return r;
	}
	*out_fd = fd;
	return 0;
}

/* Is the response in buf (len bytes) complete? Sets *body to its start. */
static int
lh_resp_complete(const char *buf, size_t len, const char **body)
{
	const char *end = strstr(buf, "\r\n\r\n");
	const char *cl;

	if (!end)
		return 0;
	*body = end + 4;
	cl = strcasestr(buf, "\r\nContent-Length:");
	if (!cl || cl > end)
		return 0;
	return len >= (size_t)(*body - buf) + strtoul(cl + 17, NULL, 10);
}

/* Read one response into buf; 0 on a complete response (or EOF after one). */
static int
lh_read_resp(struct lh_client *c, char *buf, size_t size, long long deadline, const char **body)
{
	size_t len = 0;

	buf[0] = '\0';
	for (;;) {
		ssize_t r;
		int w;

		if (lh_resp_complete(buf, len, body))
			return 0;
		w = lh_wait(c->fd, POLLIN, deadline);
		if (w < 0)
			return w;
		r = read(c->fd, buf + len, size - 1 - len);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -errno;
		if (r == 0) {
			const char *end = strstr(buf, "\r\n\r\n");

			if (!end)
				return -ECONNRESET;
			*body = end + 4;
			return 0;
		}
		len += (size_t)r;
		buf[len] = '\0';
		if (len == size - 1)
			return -EMSGSIZE;
	}
}

static void
lh_tally(struct lh_client *c, const char *name)
{
	int i;

	for (i = 0; i < c->nnames; i++) {
		if (strcmp(c->names[i], name) == 0) {
			c->counts[i]++;
			return;
		}
	}
	if (c->nnames == LH_MAX_NAMES) {
		c->failed++;
		return;
	}
	snprintf(c->names[c->nnames], LH_NAME_MAX, "%s", name);
	c->counts[c->nnames++] = 1;
}

/* Take the server's name from a 200 response; *why names a failure. */
static int
lh_parse_name(const char *buf, const char *body, char *name, size_t size, const char **why)
{
	size_t n = strcspn(body, "\r\n \t");

	if (strncmp(buf, "HTTP/1.", 7) != 0 || strlen(buf) < 12) {
		*why = "bad-response";
		return -EPROTO;
	}
	if (strncmp(buf + 9, "200", 3) != 0) {
		*why = buf[9] == '5' ? "status-5xx" : "status";
		return -EPROTO;
	}
	if (n == 0 || n >= size) {
		*why = "no-name";
		return -EPROTO;
	}
	memcpy(name, body, n);
	name[n] = '\0';
	return 0;
}

static const char *
lh_errname(int r)
{
	switch (-r) {
	case ETIMEDOUT:
		return "timeout";
	case ECONNREFUSED:
		return "refused";
	case ECONNRESET:
		return "reset";
	case EHOSTUNREACH:
		return "unreachable";
	case ENETUNREACH:
		return "unreachable";
	default:
		return "io";
	}
}

/* One request; on success copies the server name to name. */
static int
lh_request(struct lh_client *c, char *name, size_t size, const char **why)
{
	static char buf[LH_RESP_MAX];
	long long deadline = lh_now_ms() + c->timeout_ms;
	const char *body = NULL;
	int n, r = 0;

	if (c->fd < 0)
		r = lh_connect(c, deadline, &c->fd);
	n = snprintf(buf, sizeof(buf), "GET %s HTTP/1.%d\r\nHost: %s\r\n%s\r\n", c->path,
		     c->keepalive, c->host, c->keepalive ? "" : "Connection: close\r\n");
	if (r == 0 && (n < 0 || (size_t)n >= sizeof(buf)))
		r = -EINVAL;
	if (r == 0)
		r = lh_write_all(c->fd, buf, (size_t)n) < 0 ? -ECONNRESET : 0;
	if (r == 0)
		r = lh_read_resp(c, buf, sizeof(buf), deadline, &body);
	if (r < 0) {
		*why = lh_errname(r);
	} else {
		r = lh_parse_name(buf, body, name, size, why);
	}
	if ((r < 0 || !c->keepalive) && c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	return r;
}

static int
lh_resolve(struct lh_client *c, char *hostport)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
	struct addrinfo *res;
	const char *port = "80";
	char *colon = strrchr(hostport, ':');

	if (hostport[0] == '[') {
		char *close_br = strchr(hostport, ']');

		if (!close_br)
			return -EINVAL;
		*close_br = '\0';
		hostport++;
		if (close_br[1] == ':')
			port = close_br + 2;
	} else if (colon && strchr(hostport, ':') == colon) {
		*colon = '\0';
		port = colon + 1;
	}
	if (getaddrinfo(hostport, port, &hints, &res) != 0)
		return -EINVAL;
	memcpy(&c->sa, res->ai_addr, res->ai_addrlen);
	c->salen = res->ai_addrlen;
	c->host = hostport;
	freeaddrinfo(res);
	return 0;
}

static void
lh_sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void
lh_report(const struct lh_client *c)
{
	int order[LH_MAX_NAMES], i, j;

	for (i = 0; i < c->nnames; i++)
		order[i] = i;
	for (i = 1; i < c->nnames; i++) {
		for (j = i; j > 0 && strcmp(c->names[order[j - 1]], c->names[order[j]]) > 0; j--) {
			int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	}
	for (i = 0; i < c->nnames; i++)
		printf("%s %u\n", c->names[order[i]], c->counts[order[i]]);
	printf("failed %u\n", c->failed);
}

static int
lh_get(int argc, char **argv)
{
	static struct lh_client c;
	long n = 1, i;
	int opt, log = 0, wall = 0, interval = 0;
	const char *stopfile = NULL;
	struct stat st;
	long long t0;

	c.timeout_ms = 2000;
	c.path = "/";
	c.fd = -1;
	while ((opt = getopt(argc, argv, "n:t:i:klTs:")) != -1) {
		switch (opt) {
		case 'n':
			n = strtol(optarg, NULL, 10);
			break;
		case 't':
			c.timeout_ms = atoi(optarg);
			break;
		case 'i':
			interval = atoi(optarg);
			break;
		case 'k':
			c.keepalive = 1;
			break;
		case 'l':
			log = 1;
			break;
		case 's':
			stopfile = optarg;
			break;
		case 'T':
			wall = 1;
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc || argc - optind > 2 || n < 1 || c.timeout_ms < 1 || interval < 0)
		return 2;
	if (argc - optind == 2)
		c.path = argv[optind + 1];
	if (lh_resolve(&c, argv[optind]) < 0) {
		fprintf(stderr, "lab-http: cannot resolve %s\n", argv[optind]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	t0 = lh_now_ms();
	for (i = 0; i < n; i++) {
		char name[LH_NAME_MAX];
		const char *why = "";
		int r;

		if (stopfile && stat(stopfile, &st) == 0)
			break;
		r = lh_request(&c, name, sizeof(name), &why);

		if (r == 0)
			lh_tally(&c, name);
		else
			c.failed++;
		if (log)
			printf("%lld %s%s\n", wall ? lh_clock_ms(CLOCK_REALTIME) : lh_now_ms() - t0,
			       r == 0 ? "" : "ERR:", r == 0 ? name : why);
		if (interval > 0 && i + 1 < n)
			lh_sleep_ms(interval);
	}
	lh_report(&c);
	return c.failed ? 1 : 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "serve") == 0)
		return lh_serve(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "get") == 0)
		return lh_get(argc - 1, argv + 1);
	fprintf(stderr,
		"usage: lab-http serve [-a ADDR] [-p PORT] [-f DOWNFILE] [-r READYFILE] NAME\n"
		"       lab-http get [-n N] [-t MS] [-i MS] [-k] [-l] [-T] [-s STOPFILE] "
		"HOST[:PORT] [PATH]\n");
	return 2;
}
