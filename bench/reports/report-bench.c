/* report-bench: the helper of bench/reports/run (see bench/README.md).
 *
 *   report-bench keys TYPE N DIR
 *       N new keys of TYPE (ed25519 or hmac): DIR/kI.key (the agent's:
 *       PEM PKCS#8, or the HMAC secret in hex) and, for ed25519,
 *       DIR/kI.pub (the directors'), I = 0..N-1: lvs-agent keygen's
 *       formats.
 *
 *   report-bench run TYPE N DIR COUNT ADDR PORT PID FD [RAW_CPU SEND_CPU]
 *       Makes COUNT distinct reports (server I = k mod N, address
 *       report_bench_server(I), one boot id per server, sequence k / N + 1,
 *       today's time), signed with DIR/kI.key by the codec (rpt_sign);
 *       measures on RAW_CPU, in thread CPU time, OpenSSL's raw verify rate
 *       over them (the least EVP work per report: one EVP_MD_CTX re-armed
 *       per Ed25519 verify; a keyed HMAC context per key, re-armed with
 *       EVP_MAC_init without a key) and the codec's (rpt_verify, what the
 *       receiver calls), and the kernel's floor (recv_floor()); then, from
 *       SEND_CPU, sends every report once to
 *       ADDR:PORT with sendmmsg from 16 loopback source addresses (the
 *       rate limit is per address), in bursts of RB_BURST (environment,
 *       default 1024): PID, the weight child, is stopped (SIGSTOP), a burst
 *       is queued on its socket, it is continued and the helper waits until
 *       the queue is empty.  So the child is measured saturated, reading a
 *       full queue, never waiting for a sender that one shared core cannot
 *       make faster than an HMAC receiver.  The socket is PID's descriptor
 *       FD, borrowed with pidfd_getfd: its fill level and drops come from
 *       SO_MEMINFO, and its buffer is raised (SO_RCVBUFFORCE) to hold a
 *       burst, then put back.  The child's CPU time (/proc/PID/schedstat,
 *       ns) is read before the first burst and once it has gone idle after
 *       the last.  Then the raw rate once more; the mean of the two is
 *       printed.  Prints lines "key value" (see the end of cmd_run).
 *
 * Exit 0, or 1 with a message on stderr. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "weight/report.h"
#include "weight/report_sig.h"

#define RB_MAX_KEYS 4096
#define RB_MAX_COUNT 4000000
#define RB_SOURCES 16	     /* source addresses 127.0.0.1..16: the rate limit is per address */
#define RB_BATCH 64	     /* datagrams per sendmmsg */
#define RB_BURST 1024	     /* datagrams queued while the child is stopped (default) */
#define RB_RCVBUF (32 << 20) /* the receiving socket's buffer meanwhile */
#define RB_RAW_MIN_NS 1e9    /* raw verify: at least this much CPU time */
#define RB_IDLE_NS 300000000 /* the child is idle once its CPU time stood still this long */
#define RB_WAIT_S 120	     /* ceiling on any wait */

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

__attribute__((format(printf, 1, 2), noreturn)) static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "report-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t
clock_ns(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (uint64_t)t.tv_sec * 1000000000 + (uint64_t)t.tv_nsec;
}

static void
nap(long ns)
{
	struct timespec t = {0, ns};

	nanosleep(&t, NULL);
}

static long
num(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die("bad number '%s'", s);
	return v;
}

static int
sig_of(const char *type)
{
	if (!strcmp(type, "ed25519"))
		return RPT_SIG_ED25519;
	if (!strcmp(type, "hmac"))
		return RPT_SIG_HMAC_SHA256;
	die("unknown key type '%s' (ed25519 or hmac)", type);
	return 0;
}

static void
pin(long cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET((int)cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		die("cannot pin to a CPU: %s", strerror(errno));
}

/* The id of server i, as bench/reports/run writes it in the YAML: the
 * three documentation IPv4 networks, .1 to .250, then 2001:db8::/32. */
void report_bench_server(unsigned i, struct rpt_server *s);

void
report_bench_server(unsigned i, struct rpt_server *s)
{
	static const uint8_t nets[3][3] = {{192, 0, 2}, {198, 51, 100}, {203, 0, 113}};

	memset(s, 0, sizeof(*s));
	if (i < 750) {
		s->family = AF_INET;
		memcpy(s->addr, nets[i / 250], 3);
		s->addr[3] = (uint8_t)(i % 250 + 1);
	} else {
		s->family = AF_INET6;
		s->addr[0] = 0x20;
		s->addr[1] = 0x01;
		s->addr[2] = 0x0d;
		s->addr[3] = 0xb8;
		s->addr[14] = (uint8_t)(i >> 8);
		s->addr[15] = (uint8_t)i;
	}
}

/* ------------------------------------------------------------------ keys */

static void
path_of(char *buf, const char *dir, unsigned i, const char *ext)
{
	if ((size_t)snprintf(buf, PATH_MAX, "%s/k%u.%s", dir, i, ext) >= PATH_MAX)
		die("path too long: %s", dir);
}

static void
write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd) < 0)
		die("cannot write %s", path);
}

static void
write_pem(const char *path, EVP_PKEY *k, bool priv)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	long len;

	if (!b || (priv ? PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL)
			: PEM_write_bio_PUBKEY(b, k)) != 1)
		die("cannot encode %s", path);
	len = BIO_get_mem_data(b, &data);
	write_file(path, data, (size_t)len);
	BIO_free(b);
}

static int
cmd_keys(int argc, char **argv)
{
	char path[PATH_MAX];
	int sig;
	long n;

	if (argc != 5)
		die("%s", "usage: report-bench keys ed25519|hmac N DIR");
	sig = sig_of(argv[2]);
	n = num(argv[3], 1, RB_MAX_KEYS);
	for (long i = 0; i < n; i++) {
		struct rpt_key k;

		if (rpt_key_generate(sig, &k) < 0)
			die("%s", "cannot generate a key");
		path_of(path, argv[4], (unsigned)i, "key");
		if (sig == RPT_SIG_ED25519) {
			write_pem(path, k.pkey, true);
			path_of(path, argv[4], (unsigned)i, "pub");
			write_pem(path, k.pkey, false);
		} else {
			char hex[2 * RPT_HMAC_KEY_MAX + 2];

			for (size_t j = 0; j < k.secret_len; j++)
				snprintf(hex + 2 * j, 3, "%02x", k.secret[j]);
			hex[2 * k.secret_len] = '\n';
			write_file(path, hex, 2 * k.secret_len + 1);
		}
		rpt_key_free(&k);
	}
	return 0;
}

static void
load_key(const char *path, int sig, bool priv, struct rpt_key *k)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	if (n <= 0 || rpt_key_parse(sig, priv, buf, (size_t)n, k) < 0)
		die("cannot load the key %s", path);
	OPENSSL_cleanse(buf, sizeof(buf));
}

/* -------------------------------------------------------------- reports */

struct rb {
	int sig;
	unsigned n_keys;
	size_t count, len;
	uint8_t *dgram;	      /* count datagrams of len bytes */
	struct rpt_key *priv; /* per server: the agent's key */
	struct rpt_key *pub;  /* per server: the directors' */
	EVP_MAC_CTX **mac;    /* hmac: per server, keyed once */
};

static void
make_reports(struct rb *b)
{
	uint8_t(*boot)[RPT_BOOT_ID_LEN] = calloc(b->n_keys, RPT_BOOT_ID_LEN);
	uint64_t now = clock_ns(CLOCK_REALTIME);

	if (!boot || !(b->dgram = malloc(b->count * b->len)) ||
	    RAND_bytes((uint8_t *)boot, (int)(b->n_keys * RPT_BOOT_ID_LEN)) != 1)
		die("%s", "out of memory");
	for (size_t k = 0; k < b->count; k++) {
		unsigned i = (unsigned)(k % b->n_keys);
		uint8_t *d = b->dgram + k * b->len;
		struct rpt_report r = {
		    .sig = (uint8_t)b->sig,
		    .window_ms = 4000,
		    .seq = k / b->n_keys + 1,
		    .time_ns = now + k, /* distinct, within any max_skew */
		    .m = {.flags = RPT_HAS_MEM | RPT_HAS_PROCS | RPT_HAS_CPU_IDLE | RPT_HAS_LOAD,
			  .mem_available_kb = 8000000 - (k % 1000) * 1000,
			  .mem_total_kb = 16000000,
			  .procs_running = 2 + (uint32_t)(k % 5),
			  .cpu_idle_pm = 500 + (uint32_t)(k % 300),
			  .load_x100 = {150, 120, 100}},
		};

		report_bench_server(i, &r.server);
		memcpy(r.boot_id, boot[i], RPT_BOOT_ID_LEN);
		if (rpt_encode(&r, d, b->len) != (int)b->len ||
		    rpt_sign(&b->priv[i], d, b->len) < 0)
			die("%s", "cannot make a report");
	}
	free(boot);
}

/* One raw verify of datagram k: the least OpenSSL work; 1 when it holds. */
static int
raw_verify(struct rb *b, EVP_MD_CTX *md, size_t k)
{
	const uint8_t *d = b->dgram + k * b->len;
	unsigned i = (unsigned)(k % b->n_keys);

	if (b->sig == RPT_SIG_ED25519)
		return EVP_MD_CTX_reset(md) == 1 &&
		       EVP_DigestVerifyInit_ex(md, NULL, NULL, NULL, NULL, b->pub[i].pkey, NULL) ==
			   1 &&
		       EVP_DigestVerify(md, d + RPT_SIGNED_LEN, RPT_ED25519_SIG_LEN, d,
					RPT_SIGNED_LEN) == 1;
	uint8_t out[RPT_HMAC_SIG_LEN];
	size_t n = 0;

	return EVP_MAC_init(b->mac[i], NULL, 0, NULL) == 1 &&
	       EVP_MAC_update(b->mac[i], d, RPT_SIGNED_LEN) == 1 &&
	       EVP_MAC_final(b->mac[i], out, &n, sizeof(out)) == 1 && n == sizeof(out) &&
	       CRYPTO_memcmp(out, d + RPT_SIGNED_LEN, sizeof(out)) == 0;
}

/* Verifications per CPU second over the reports, repeated until at least
 * RB_RAW_MIN_NS of CPU time: raw OpenSSL, or the codec's rpt_verify. */
static double
verify_rate(struct rb *b, bool codec)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint64_t t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID), t = t0, done = 0;

	if (!md)
		die("%s", "out of memory");
	while (t - t0 < RB_RAW_MIN_NS) {
		for (size_t k = 0; k < b->count && k < 1000000; k++) {
			int ok = codec ? rpt_verify(&b->pub[k % b->n_keys], b->dgram + k * b->len,
						    b->len) == 0
				       : raw_verify(b, md, k);

			if (!ok)
				die("%s", "a report did not verify");
			if (++done % 1024 == 0 &&
			    (t = clock_ns(CLOCK_THREAD_CPUTIME_ID)) - t0 >= RB_RAW_MIN_NS)
				break;
		}
		t = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	}
	EVP_MD_CTX_free(md);
	return (double)done * 1e9 / (double)(t - t0);
}

/* ------------------------------------------------------------- sending */

static uint64_t
child_cpu_ns(long pid)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/schedstat", pid);
	if (!(f = fopen(path, "re")) || fscanf(f, "%llu", &ns) != 1)
		die("cannot read %s", path);
	fclose(f);
	return ns;
}

/* The receiver's socket, borrowed: its fill level and drops. */
static int
borrow_socket(long pid, long fd)
{
	int pfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0), s;

	if (pfd < 0)
		die("pidfd_open: %s", strerror(errno));
	if ((s = (int)syscall(SYS_pidfd_getfd, pfd, (int)fd, 0)) < 0)
		die("pidfd_getfd: %s", strerror(errno));
	close(pfd);
	return s;
}

static void
meminfo(int s, uint32_t *rmem, uint32_t *rcvbuf, uint32_t *drops)
{
	uint32_t mi[SK_MEMINFO_VARS] = {0};
	socklen_t len = sizeof(mi);

	if (getsockopt(s, SOL_SOCKET, SO_MEMINFO, mi, &len) < 0)
		die("SO_MEMINFO: %s", strerror(errno));
	*rmem = mi[SK_MEMINFO_RMEM_ALLOC];
	*rcvbuf = mi[SK_MEMINFO_RCVBUF];
	*drops = mi[SK_MEMINFO_DROPS];
}

static void
rcvbuf_set(int s, int bytes)
{
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) < 0)
		die("SO_RCVBUFFORCE: %s", strerror(errno));
}

/* Stop the child and wait until it is stopped. */
static void
child_stop(long pid)
{
	char path[64], buf[512], *p;
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);

	if (kill((pid_t)pid, SIGSTOP) < 0)
		die("SIGSTOP: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	for (;;) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

		if (fd >= 0)
			close(fd);
		if (n <= 0)
			die("cannot read %s", path);
		buf[n] = '\0';
		if ((p = strrchr(buf, ')')) && p[1] == ' ' && p[2] == 'T')
			return;
		if (clock_ns(CLOCK_MONOTONIC) - t0 > 10000000000ull)
			die("%s", "the child does not stop");
		nap(50000);
	}
}

static void
open_sources(const char *addr, long port, int *fds)
{
	struct sockaddr_storage to;
	socklen_t tolen;

	memset(&to, 0, sizeof(to));
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&to)->sin_addr) == 1) {
		to.ss_family = AF_INET;
		((struct sockaddr_in *)&to)->sin_port = htons((uint16_t)port);
		tolen = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&to)->sin6_addr) == 1) {
		to.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&to)->sin6_port = htons((uint16_t)port);
		tolen = sizeof(struct sockaddr_in6);
	} else {
		die("bad address %s", addr);
	}
	for (int j = 0; j < RB_SOURCES; j++) {
		int s = socket(to.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0), sndbuf = 1 << 20;
		struct sockaddr_in from = {.sin_family = AF_INET};

		if (s < 0)
			die("socket: %s", strerror(errno));
		(void)setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
		/* IPv4: one loopback address each (the rate limit is per source
		 * address); IPv6 has one loopback address, so ::1 only. */
		from.sin_addr.s_addr = htonl(INADDR_LOOPBACK + (uint32_t)j);
		if (to.ss_family == AF_INET && bind(s, (struct sockaddr *)&from, sizeof(from)) < 0)
			die("bind: %s", strerror(errno));
		if (connect(s, (struct sockaddr *)&to, tolen) < 0)
			die("connect: %s", strerror(errno));
		fds[j] = s;
	}
}

/* The kernel's floor: datagrams per CPU second a bare recvmmsg loop (32
 * per call, the receiver's batch) takes off a loopback UDP socket, nothing
 * done with them; the same reports, queued in bursts by this thread
 * (not timed). */
static double
recv_floor(struct rb *b, size_t burst)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint8_t buf[RB_BATCH][RPT_MAX_LEN + 64];
	struct mmsghdr m[RB_BATCH], out[RB_BATCH];
	struct iovec iov[RB_BATCH], oiov[RB_BATCH];
	uint64_t ns = 0, got = 0;
	size_t n_all = b->count < 200000 ? b->count : 200000;

	if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(rx, (struct sockaddr *)&a, &alen) < 0 ||
	    connect(tx, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("floor socket: %s", strerror(errno));
	rcvbuf_set(rx, RB_RCVBUF / 2);
	memset(m, 0, sizeof(m));
	memset(out, 0, sizeof(out));
	for (size_t k = 0; k < RB_BATCH; k++) {
		iov[k] = (struct iovec){buf[k], sizeof(buf[k])};
		m[k].msg_hdr.msg_iov = &iov[k];
		m[k].msg_hdr.msg_iovlen = 1;
		oiov[k].iov_len = b->len;
		out[k].msg_hdr.msg_iov = &oiov[k];
		out[k].msg_hdr.msg_iovlen = 1;
	}
	for (size_t at = 0; at < n_all;) {
		size_t end = n_all - at < burst ? n_all : at + burst, queued = 0;
		uint64_t t0;

		while (at < end) {
			size_t n = end - at < RB_BATCH ? end - at : RB_BATCH;
			int r;

			for (size_t k = 0; k < n; k++)
				oiov[k].iov_base = b->dgram + (at + k) * b->len;
			if ((r = sendmmsg(tx, out, (unsigned)n, 0)) < 0)
				die("sendmmsg: %s", strerror(errno));
			at += (size_t)r;
			queued += (size_t)r;
		}
		t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		while (queued) {
			struct sockaddr_storage src[RB_BATCH];
			int r;

			for (size_t k = 0; k < RB_BATCH; k++) {
				m[k].msg_hdr.msg_name = &src[k];
				m[k].msg_hdr.msg_namelen = sizeof(src[k]);
			}
			r = recvmmsg(rx, m, RB_BATCH, MSG_DONTWAIT, NULL);
			if (r <= 0)
				die("%s", "floor: the queue lost datagrams");
			queued -= (size_t)r;
			got += (uint64_t)r;
		}
		ns += clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0;
	}
	close(rx);
	close(tx);
	return (double)got * 1e9 / (double)ns;
}

static int
cmd_run(int argc, char **argv)
{
	struct rb b = {0};
	char path[PATH_MAX];
	struct mmsghdr msgs[RB_BATCH];
	struct iovec iov[RB_BATCH];
	int fds[RB_SOURCES], s;
	uint32_t rmem, rcvbuf, rcvbuf0, drops0, drops1, hwm = 0;
	uint64_t sign0, sign_ns, cpu0, cpu1, wall0, wall1, last, sent = 0, bursts = 0, drain_ns = 0;
	double raw, raw2, codec, floor_rate;
	long pid, fd, raw_cpu = -1, send_cpu = -1;
	size_t burst = getenv("RB_BURST") ? (size_t)num(getenv("RB_BURST"), 1, 100000) : RB_BURST;

	if (argc != 10 && argc != 12)
		die("%s", "usage: report-bench run ed25519|hmac N DIR COUNT ADDR PORT PID FD "
			  "[RAW_CPU SEND_CPU]");
	b.sig = sig_of(argv[2]);
	b.n_keys = (unsigned)num(argv[3], 1, RB_MAX_KEYS);
	b.count = (size_t)num(argv[5], 1, RB_MAX_COUNT);
	b.len = (size_t)rpt_len(b.sig);
	pid = num(argv[8], 1, INT_MAX);
	fd = num(argv[9], 0, INT_MAX);
	if (argc == 12) {
		raw_cpu = num(argv[10], -1, CPU_SETSIZE - 1);
		send_cpu = num(argv[11], -1, CPU_SETSIZE - 1);
	}
	if (!(b.priv = calloc(b.n_keys, sizeof(*b.priv))) ||
	    !(b.pub = calloc(b.n_keys, sizeof(*b.pub))) ||
	    !(b.mac = calloc(b.n_keys, sizeof(*b.mac))))
		die("%s", "out of memory");
	for (unsigned i = 0; i < b.n_keys; i++) {
		path_of(path, argv[4], i, "key");
		load_key(path, b.sig, true, &b.priv[i]);
		if (b.sig == RPT_SIG_ED25519)
			path_of(path, argv[4], i, "pub");
		load_key(path, b.sig, false, &b.pub[i]);
		if (b.sig == RPT_SIG_HMAC_SHA256) {
			OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
									   (char *)"SHA256", 0),
					  OSSL_PARAM_construct_end()};

			if (!(b.mac[i] = EVP_MAC_CTX_new(b.pub[i].mac)) ||
			    EVP_MAC_init(b.mac[i], b.pub[i].secret, b.pub[i].secret_len, p) != 1)
				die("%s", "cannot key HMAC");
		}
	}

	pin(raw_cpu);
	sign0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	make_reports(&b);
	sign_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - sign0;
	raw = verify_rate(&b, false);
	codec = verify_rate(&b, true);
	floor_rate = recv_floor(&b, burst);

	pin(send_cpu);
	open_sources(argv[6], num(argv[7], 1, 65535), fds);
	s = borrow_socket(pid, fd);
	meminfo(s, &rmem, &rcvbuf0, &drops0);
	for (size_t k = 0; k < RB_BATCH; k++) {
		memset(&msgs[k], 0, sizeof(msgs[k]));
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
		iov[k].iov_len = b.len;
	}
	/* room for a whole burst: the kernel doubles what is asked */
	rcvbuf_set(s, RB_RCVBUF / 2);
	cpu0 = child_cpu_ns(pid);
	wall0 = clock_ns(CLOCK_MONOTONIC);
	for (size_t at = 0, batch = 0; at < b.count;) {
		size_t end = b.count - at < burst ? b.count : at + burst;
		uint64_t t;

		child_stop(pid);
		while (at < end) {
			size_t n = end - at < RB_BATCH ? end - at : RB_BATCH;
			int r;

			for (size_t k = 0; k < n; k++)
				iov[k].iov_base = b.dgram + (at + k) * b.len;
			r = sendmmsg(fds[batch++ % RB_SOURCES], msgs, (unsigned)n, 0);
			if (r < 0 && errno != EINTR && errno != EAGAIN && errno != ENOBUFS)
				die("sendmmsg: %s", strerror(errno));
			at += r > 0 ? (size_t)r : 0;
			sent += r > 0 ? (uint64_t)r : 0;
		}
		meminfo(s, &rmem, &rcvbuf, &drops1);
		hwm = rmem > hwm ? rmem : hwm;
		t = clock_ns(CLOCK_MONOTONIC);
		if (kill((pid_t)pid, SIGCONT) < 0)
			die("SIGCONT: %s", strerror(errno));
		bursts++;
		/* until the child has read everything */
		do {
			nap(100000);
			meminfo(s, &rmem, &rcvbuf, &drops1);
			if (clock_ns(CLOCK_MONOTONIC) - t > (uint64_t)RB_WAIT_S * 1000000000)
				die("%s", "the receiver stopped reading");
		} while (rmem);
		drain_ns += clock_ns(CLOCK_MONOTONIC) - t;
	}
	wall1 = clock_ns(CLOCK_MONOTONIC);
	/* until the child's CPU time stands still: it has finished the last
	 * datagrams it read */
	cpu1 = child_cpu_ns(pid);
	for (last = clock_ns(CLOCK_MONOTONIC); clock_ns(CLOCK_MONOTONIC) - last < RB_IDLE_NS;) {
		uint64_t c;

		nap(50000000);
		if ((c = child_cpu_ns(pid)) != cpu1) {
			cpu1 = c;
			last = clock_ns(CLOCK_MONOTONIC);
		}
		if (last - wall0 > (uint64_t)RB_WAIT_S * 1000000000)
			break;
	}
	rcvbuf_set(s, (int)(rcvbuf0 / 2));
	/* the raw rate again, on the same CPU: the host's load drifts */
	pin(raw_cpu);
	raw2 = verify_rate(&b, false);
	meminfo(s, &rmem, &rcvbuf, &drops1);

	printf("type %s\n", rpt_sig_name(b.sig));
	printf("reports %zu\n", b.count);
	printf("servers %u\n", b.n_keys);
	printf("sign_per_s %.0f\n", (double)b.count * 1e9 / (double)sign_ns);
	printf("raw_verify_per_s %.0f\n", (raw + raw2) / 2);
	printf("raw_verify_before_after %.0f/%.0f\n", raw, raw2);
	printf("codec_verify_per_s %.0f\n", codec);
	printf("recv_floor_per_s %.0f\n", floor_rate);
	printf("sent %" PRIu64 "\n", sent);
	printf("send_wall_ns %" PRIu64 "\n", wall1 - wall0);
	printf("child_cpu_ns %" PRIu64 "\n", cpu1 - cpu0);
	printf("sock_drops %" PRIu32 "\n", drops1 - drops0);
	printf("sock_rcvbuf %" PRIu32 "\n", rcvbuf);
	printf("sock_max_queued %" PRIu32 "\n", hwm);
	printf("bursts %" PRIu64 "\n", bursts);
	printf("drain_wall_ns %" PRIu64 "\n", drain_ns);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "keys"))
		return cmd_keys(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return cmd_run(argc, argv);
	die("%s", "usage: report-bench keys|run ... (see bench/reports/report-bench.c)");
	return 1;
}
