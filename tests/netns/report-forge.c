/* report-forge: hostile load reports for tests/netns/reports.sh.
 *
 * Makes reports with the codec (weight/report.c) as lvs-agent would, signs
 * them with the key file given (the right one or a wrong one), spoils them
 * on request, and sends them over UDP:
 *   report-forge -d DEST -s SERVER -k KEYFILE [-t ed25519|hmac] [options]
 *     -d ADDR:PORT | [ADDR6]:PORT  where to send (one address only)
 *     -s ADDR[:PORT] | [ADDR6]:PORT  the server id the reports name
 *     -q SEQ        first sequence number (default: the clock in us, so
 *                   successive runs keep increasing)
 *     -b BYTE       the boot id: 16 times this byte (default 0x42)
 *     -o SECONDS    add this (may be negative) to the timestamp
 *     -M KB         MemAvailable (default 1000000, of a MemTotal of 2000000)
 *     -m MODE       spoil after signing: truncate, flip (a bit of
 *                   MemAvailable), magic, version
 *     -w FILE       write the first datagram sent to FILE
 *     -R FILE       send FILE's bytes as they are (a replay) instead
 *     -n N          send N reports, sequence numbers increasing (default 1)
 *     -r PPS        at most PPS datagrams per second (default: no pause)
 *     -S PREFIX6 -N SOURCES  send from SOURCES addresses PREFIX6:1,
 *                   PREFIX6:2 ... in turn (IPv6, IP_FREEBIND), e.g.
 *                   -S 2001:db8:ff:: -N 2000
 * Exit 0 when every datagram was sent.  Test use only: documentation
 * addresses, namespaces the test made. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "weight/report.h"
#include "weight/report_sig.h"

#ifndef IP_FREEBIND
#define IP_FREEBIND 15
#endif

static void
usage(void)
{
	fprintf(stderr, "usage: report-forge -d DEST -s SERVER -k KEYFILE [-t ed25519|hmac] "
			"[-q SEQ] [-b BYTE] [-o SECONDS] [-M KB] [-m truncate|flip|magic|version] "
			"[-w FILE] [-R FILE] [-n N] [-r PPS] [-S PREFIX6 -N SOURCES]\n");
	exit(2);
}

static uint64_t
now_ns(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (uint64_t)t.tv_sec * 1000000000 + (uint64_t)t.tv_nsec;
}

/* "ADDR", "ADDR:PORT" or "[ADDR6]:PORT" into family, addr, port */
static int
parse_hostport(const char *s, int *family, uint8_t addr[16], uint16_t *port)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	size_t n;

	*port = 0;
	memset(addr, 0, 16);
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || (size_t)(end - s - 1) >= sizeof(host))
			return -1;
		memcpy(host, s + 1, (size_t)(end - s - 1));
		host[end - s - 1] = '\0';
		colon = end[1] == ':' ? end + 1 : NULL;
	} else {
		colon = strchr(s, ':');
		n = colon ? (size_t)(colon - s) : strlen(s);
		if (n >= sizeof(host))
			return -1;
		memcpy(host, s, n);
		host[n] = '\0';
	}
	if (colon)
		*port = (uint16_t)atoi(colon + 1);
	if (inet_pton(AF_INET, host, addr) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, host, addr) == 1)
		*family = AF_INET6;
	else
		return -1;
	return 0;
}

static ssize_t
read_file(const char *path, void *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return (ssize_t)n;
}

struct opts {
	struct sockaddr_storage dst;
	socklen_t dst_len;
	struct rpt_server server;
	struct rpt_key key;
	bool have_key;
	uint64_t seq;
	uint64_t mem_kb;
	int boot;
	int64_t offset_s;
	const char *mode, *write, *replay, *src6;
	unsigned long count, pps, sources;
};

/* Report number i, signed and spoilt: its length. */
static size_t
make(const struct opts *o, unsigned long i, uint8_t *buf)
{
	struct rpt_report r;
	int n;

	memset(&r, 0, sizeof(r));
	r.sig = (uint8_t)o->key.sig;
	r.window_ms = 2000;
	r.server = o->server;
	memset(r.boot_id, o->boot, sizeof(r.boot_id));
	r.seq = o->seq + i;
	r.time_ns = now_ns(CLOCK_REALTIME) + (uint64_t)(o->offset_s * 1000000000);
	r.m.flags = RPT_HAS_MEM | RPT_HAS_PROCS | RPT_HAS_CPU_IDLE;
	r.m.mem_available_kb = o->mem_kb;
	r.m.mem_total_kb = 2000000;
	r.m.procs_running = 1;
	r.m.cpu_idle_pm = 950;
	if ((n = rpt_encode(&r, buf, RPT_MAX_LEN)) < 0 || rpt_sign(&o->key, buf, (size_t)n) < 0) {
		fprintf(stderr, "report-forge: cannot make a report: %s\n", strerror(-n));
		exit(1);
	}
	if (!o->mode)
		return (size_t)n;
	if (!strcmp(o->mode, "truncate"))
		return (size_t)n - 1;
	if (!strcmp(o->mode, "flip"))
		buf[70] ^= 0x10; /* MemAvailable */
	else if (!strcmp(o->mode, "magic"))
		buf[0] ^= 0x20;
	else if (!strcmp(o->mode, "version"))
		buf[4] = RPT_VERSION + 1;
	else
		usage();
	return (size_t)n;
}

/* A socket bound to source number k of the IPv6 prefix. */
static int
source_socket(const struct opts *o, unsigned long k)
{
	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
	int fd, one = 1;

	if (inet_pton(AF_INET6, o->src6, &s6.sin6_addr) != 1)
		usage();
	s6.sin6_addr.s6_addr[14] = (uint8_t)((k + 1) >> 8);
	s6.sin6_addr.s6_addr[15] = (uint8_t)(k + 1);
	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	(void)setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&s6, sizeof(s6)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	struct opts o = {.boot = 0x42, .count = 1, .mem_kb = 1000000};
	const char *keyfile = NULL, *dst = NULL, *server = NULL;
	int sig = RPT_SIG_ED25519, c, family, fd = -1, *fds = NULL;
	uint8_t buf[RPT_MAX_LEN], addr[16], raw[RPT_MAX_LEN + 64];
	uint16_t port;
	ssize_t raw_len = -1;
	uint64_t start;

	o.seq = now_ns(CLOCK_REALTIME) / 1000;
	while ((c = getopt(argc, argv, "d:s:k:t:q:b:o:M:m:w:R:n:r:S:N:")) != -1) {
		switch (c) {
		case 'd':
			dst = optarg;
			break;
		case 'M':
			o.mem_kb = strtoull(optarg, NULL, 10);
			if (o.mem_kb > 2000000)
				usage();
			break;
		case 's':
			server = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 't':
			sig = !strcmp(optarg, "hmac") ? RPT_SIG_HMAC_SHA256 : RPT_SIG_ED25519;
			break;
		case 'q':
			o.seq = strtoull(optarg, NULL, 0);
			break;
		case 'b':
			o.boot = (int)strtol(optarg, NULL, 0);
			break;
		case 'o':
			o.offset_s = strtoll(optarg, NULL, 0);
			break;
		case 'm':
			o.mode = optarg;
			break;
		case 'w':
			o.write = optarg;
			break;
		case 'R':
			o.replay = optarg;
			break;
		case 'n':
			o.count = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			o.pps = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			o.src6 = optarg;
			break;
		case 'N':
			o.sources = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (!dst || parse_hostport(dst, &family, addr, &port) < 0 || !port)
		usage();
	memset(&o.dst, 0, sizeof(o.dst));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&o.dst;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, addr, 4);
		s4->sin_port = htons(port);
		o.dst_len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&o.dst;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, addr, 16);
		s6->sin6_port = htons(port);
		o.dst_len = sizeof(*s6);
	}
	if (o.replay) {
		if ((raw_len = read_file(o.replay, raw, sizeof(raw))) < 0) {
			perror(o.replay);
			return 1;
		}
	} else {
		ssize_t n;

		if (!server || !keyfile ||
		    parse_hostport(server, &o.server.family, o.server.addr, &o.server.port) < 0)
			usage();
		if ((n = read_file(keyfile, raw, sizeof(raw) - 1)) < 0 ||
		    rpt_key_parse(sig, true, raw, (size_t)n, &o.key) < 0) {
			fprintf(stderr, "report-forge: %s is not a %s key\n", keyfile,
				rpt_sig_name(sig));
			return 1;
		}
		o.have_key = true;
	}
	if (o.src6 && o.sources) {
		if (family != AF_INET6 || o.sources > 65535 ||
		    !(fds = calloc(o.sources, sizeof(*fds))))
			usage();
		for (unsigned long k = 0; k < o.sources; k++)
			if ((fds[k] = source_socket(&o, k)) < 0) {
				perror("report-forge: a source socket");
				return 1;
			}
	} else if ((fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		perror("report-forge: socket");
		return 1;
	}
	start = now_ns(CLOCK_MONOTONIC);
	for (unsigned long i = 0; i < o.count; i++) {
		const void *p = raw;
		size_t len = (size_t)raw_len;
		int s = fds ? fds[i % o.sources] : fd;

		if (!o.replay) {
			len = make(&o, i, buf);
			p = buf;
		}
		if (o.pps) { /* pace: datagram i leaves no earlier than i / pps */
			uint64_t due = start + (uint64_t)i * 1000000000 / o.pps, t;

			while ((t = now_ns(CLOCK_MONOTONIC)) < due) {
				struct timespec w = {0, (long)(due - t)};

				nanosleep(&w, NULL);
			}
		}
		if (sendto(s, p, len, 0, (struct sockaddr *)&o.dst, o.dst_len) != (ssize_t)len) {
			perror("report-forge: sendto");
			return 1;
		}
		if (i == 0 && o.write) {
			FILE *f = fopen(o.write, "wb");

			if (!f || fwrite(p, 1, len, f) != len || fclose(f) != 0) {
				perror(o.write);
				return 1;
			}
		}
	}
	if (o.have_key)
		rpt_key_free(&o.key);
	return 0;
}
