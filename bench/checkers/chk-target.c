#include "config.h"

/*
 * chk-target: the targets of bench/checkers, many real servers in one
 * process, so that neither daemon's cost depends on how the targets are
 * made.  It listens on NPORTS consecutive TCP ports of the IPv4 wildcard
 * address; with NADDR addresses on the namespace's interface, that is
 * NADDR x NPORTS real servers (address:port).  A connection that sends an
 * HTTP request (up to the empty line) gets "200 OK" with a 3-byte body and
 * is closed; one closed by the client before it sent anything is a TCP
 * check.  It counts, independently of the daemons:
 *   accepted  connections accepted,
 *   requests  HTTP requests answered,
 *   seen      distinct real servers (address:port) that were connected to
 *             since the start or the last SIGHUP (to see that every real
 *             server of the configuration is checked).
 *
 *   chk-target -p FIRSTPORT -n NPORTS -a FIRSTADDR -N NADDR -s STATSFILE [-r READYFILE]
 *
 * Every 250 ms it rewrites STATSFILE (atomically: a rename) with one line
 *   EPOCH_US ACCEPTED REQUESTS SEEN
 * READYFILE is created once every port listens.  SIGTERM ends it.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define CT_REQ_MAX 2048
#define CT_MAX_PORTS 4096
#define CT_MAX_SERVERS 100000
#define CT_EVENTS 256

static const char ct_resp[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
			      "Content-Length: 3\r\nConnection: close\r\n\r\nok\n";

struct ct_conn {
	size_t len;
	char buf[CT_REQ_MAX];
};

static volatile sig_atomic_t ct_stop, ct_reset;
static struct ct_conn **ct_conns; /* by fd */
static int ct_max_fd;
static uint64_t ct_accepted, ct_requests, ct_seen;
static uint8_t *ct_bitmap;
static uint32_t ct_first_addr;
static unsigned ct_naddr, ct_first_port, ct_nports;

static void
ct_on_signal(int sig)
{
	if (sig == SIGHUP)
		ct_reset = 1;
	else
		ct_stop = 1;
}

static uint64_t
ct_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void
ct_write_stats(const char *path)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return;
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", ct_now_us(), ct_accepted,
		ct_requests, ct_seen);
	if (fclose(f) == 0)
		rename(tmp, path);
}

/* The real server this connection reached, once per SIGHUP period. */
static void
ct_mark(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	uint32_t a;
	unsigned p;
	size_t i;

	if (getsockname(fd, (struct sockaddr *)&sin, &len) < 0 || sin.sin_family != AF_INET)
		return;
	a = ntohl(sin.sin_addr.s_addr) - ct_first_addr;
	p = ntohs(sin.sin_port) - ct_first_port;
	if (a >= ct_naddr || p >= ct_nports)
		return;
	i = (size_t)a * ct_nports + p;
	if (!(ct_bitmap[i / 8] & (1u << (i % 8)))) {
		ct_bitmap[i / 8] |= (uint8_t)(1u << (i % 8));
		ct_seen++;
	}
}

static void
ct_close(int ep, int fd)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	free(ct_conns[fd]);
	ct_conns[fd] = NULL;
}

static void
ct_accept(int ep, int lfd)
{
	for (int n = 0; n < 64; n++) {
		struct epoll_event ev = {.events = EPOLLIN};
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (fd >= ct_max_fd || !(ct_conns[fd] = calloc(1, sizeof(struct ct_conn)))) {
			close(fd);
			continue;
		}
		ct_accepted++;
		ct_mark(fd);
		ev.data.fd = fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			free(ct_conns[fd]);
			ct_conns[fd] = NULL;
		}
	}
}

static void
ct_input(int ep, int fd)
{
	struct ct_conn *c = ct_conns[fd];
	ssize_t r = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		ct_close(ep, fd);
		return;
	}
	c->len += (size_t)r;
	c->buf[c->len] = '\0';
	if (strstr(c->buf, "\r\n\r\n")) {
		if (write(fd, ct_resp, sizeof(ct_resp) - 1) == (ssize_t)sizeof(ct_resp) - 1)
			ct_requests++;
		ct_close(ep, fd);
	} else if (c->len >= sizeof(c->buf) - 1) {
		ct_close(ep, fd);
	}
}

static int
ct_listen(int ep, unsigned port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct epoll_event ev = {.events = EPOLLIN};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 4096) < 0) {
		close(fd);
		return -1;
	}
	ev.data.fd = fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
ct_usage(void)
{
	fprintf(stderr, "usage: chk-target -p FIRSTPORT -n NPORTS -a FIRSTADDR -N NADDR "
			"-s STATSFILE [-r READYFILE]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const char *stats = NULL, *ready = NULL;
	struct rlimit rl = {65536, 65536};
	struct epoll_event evs[CT_EVENTS];
	struct sigaction sa = {.sa_handler = ct_on_signal};
	struct in_addr ia = {0};
	uint64_t next_stats = 0;
	int *lfd_of_port;
	int o, ep, lfd_lo = -1, lfd_hi = -1;

	while ((o = getopt(argc, argv, "p:n:a:N:s:r:")) != -1) {
		switch (o) {
		case 'p':
			ct_first_port = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'n':
			ct_nports = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'a':
			if (inet_pton(AF_INET, optarg, &ia) != 1)
				return ct_usage();
			break;
		case 'N':
			ct_naddr = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 's':
			stats = optarg;
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			return ct_usage();
		}
	}
	if (!stats || !ct_first_port || !ct_nports || ct_nports > CT_MAX_PORTS ||
	    ct_first_port + ct_nports > 65536 || !ct_naddr ||
	    (uint64_t)ct_naddr * ct_nports > CT_MAX_SERVERS)
		return ct_usage();
	ct_first_addr = ntohl(ia.s_addr);
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 && getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1;
	ct_max_fd = (int)rl.rlim_cur;
	ct_conns = calloc((size_t)ct_max_fd, sizeof(*ct_conns));
	ct_bitmap = calloc(((size_t)ct_naddr * ct_nports + 7) / 8, 1);
	lfd_of_port = calloc(ct_nports, sizeof(*lfd_of_port));
	if (!ct_conns || !ct_bitmap || !lfd_of_port)
		return 1;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return 1;
	for (unsigned i = 0; i < ct_nports; i++) {
		lfd_of_port[i] = ct_listen(ep, ct_first_port + i);
		if (lfd_of_port[i] < 0) {
			fprintf(stderr, "chk-target: port %u: %s\n", ct_first_port + i,
				strerror(errno));
			return 1;
		}
		if (lfd_lo < 0 || lfd_of_port[i] < lfd_lo)
			lfd_lo = lfd_of_port[i];
		if (lfd_of_port[i] > lfd_hi)
			lfd_hi = lfd_of_port[i];
	}
	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (fd >= 0)
			close(fd);
	}
	while (!ct_stop) {
		int n = epoll_wait(ep, evs, CT_EVENTS, 100);
		uint64_t now;

		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			/* listeners are opened first, so their fds are one range
			 * below every connection's */
			if (fd >= lfd_lo && fd <= lfd_hi)
				ct_accept(ep, fd);
			else if (fd < ct_max_fd && ct_conns[fd])
				ct_input(ep, fd);
		}
		if (ct_reset) {
			ct_reset = 0;
			memset(ct_bitmap, 0, ((size_t)ct_naddr * ct_nports + 7) / 8);
			ct_seen = 0;
		}
		now = ct_now_us();
		if (now >= next_stats) {
			ct_write_stats(stats);
			next_stats = now + 250000;
		}
	}
	ct_write_stats(stats);
	return 0;
}
