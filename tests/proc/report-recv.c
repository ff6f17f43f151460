/* A tiny report receiver for tests/proc/agent.sh: binds UDP on loopback
 * (port 0), prints "port N", then takes COUNT datagrams and checks each
 * with the codec as the weight child will: decode, verify, fresh.
 *
 *   report-recv [-6] [-n COUNT] [-s PREFIX] ed25519|hmac KEYFILE
 *
 * One line per datagram:
 *   report I len L decode R verify R fresh R seq S server ID
 * where R is "ok" or the drop reason's counter name.  -s saves datagram I
 * to PREFIX.I.  Exit 0 when every datagram passed all three, 1 otherwise
 * or after 30 s without one, 2 on a usage or setup error. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "weight/report.h"
#include "weight/report_sig.h"

#define RECV_WAIT_MS 30000
#define RECV_SKEW_NS 30000000000ull

static int
recv_key(const char *type, const char *path, struct rpt_key *k)
{
	char buf[4097];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -errno;
	return rpt_key_parse(strcmp(type, "ed25519") ? RPT_SIG_HMAC_SHA256 : RPT_SIG_ED25519, false,
			     buf, (size_t)n, k);
}

static int
recv_bind(int family)
{
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 ||
	    (family == AF_INET6 ? bind(fd, (struct sockaddr *)&a6, sizeof(a6))
				: bind(fd, (struct sockaddr *)&a4, sizeof(a4))) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	printf("port %u\n", ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						     : ((struct sockaddr_in *)&ss)->sin_port));
	fflush(stdout);
	return fd;
}

static uint64_t
recv_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
recv_save(const char *prefix, int i, const uint8_t *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s.%d", prefix, i);
	f = fopen(path, "w");
	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
}

/* Check one datagram; 0 when it passed. */
static int
recv_one(int i, const uint8_t *buf, size_t len, const struct rpt_key *k, struct rpt_seen *seen)
{
	struct rpt_report r = {0};
	char a[INET6_ADDRSTRLEN] = "-";
	int d = rpt_decode(buf, len, &r), v = rpt_verify(k, buf, len), f = -EINVAL;

	if (d == 0) {
		f = rpt_fresh(seen, &r, recv_now_ns(), RECV_SKEW_NS);
		inet_ntop(r.server.family, r.server.addr, a, sizeof(a));
	}
	if (d == 0 && v == 0 && f == 0)
		rpt_seen_update(seen, &r);
	printf("report %d len %zu decode %s verify %s fresh %s seq %" PRIu64 " server %s port %u\n",
	       i, len, d ? rpt_err_name(d) : "ok", v ? rpt_err_name(v) : "ok",
	       d   ? "-"
	       : f ? rpt_err_name(f)
		   : "ok",
	       r.seq, a, r.server.port);
	fflush(stdout);
	return d || v || f;
}

int
main(int argc, char **argv)
{
	struct rpt_seen seen = {0};
	const char *save = NULL;
	int family = AF_INET, count = 1, c, fd, failed = 0;
	struct rpt_key k;

	while ((c = getopt(argc, argv, "6n:s:")) != -1) {
		if (c == '6')
			family = AF_INET6;
		else if (c == 'n')
			count = atoi(optarg);
		else if (c == 's')
			save = optarg;
		else
			return 2;
	}
	if (argc - optind != 2 || count < 1 || recv_key(argv[optind], argv[optind + 1], &k) < 0) {
		fprintf(stderr, "usage: report-recv [-6] [-n COUNT] [-s PREFIX] TYPE KEYFILE\n");
		return 2;
	}
	fd = recv_bind(family);
	if (fd < 0) {
		perror("report-recv");
		return 2;
	}
	for (int i = 1; i <= count; i++) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		uint8_t buf[RPT_MAX_LEN + 64];
		ssize_t n;

		if (poll(&p, 1, RECV_WAIT_MS) != 1 || (n = recv(fd, buf, sizeof(buf), 0)) < 0) {
			printf("timeout after %d reports\n", i - 1);
			return 1;
		}
		if (save)
			recv_save(save, i, buf, (size_t)n);
		failed |= recv_one(i, buf, (size_t)n, &k, &seen);
	}
	rpt_key_free(&k);
	close(fd);
	return failed;
}
