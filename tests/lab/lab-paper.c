#include "config.h"

/*
 * lab-paper: the web site and the load generator of bench/paper (the
 * source paper's Table 2 in the lab), one program with two modes.
 *
 *   lab-paper serve [-p PORT] [-s START] [-m MINSPARE] [-M MAXSPARE]
 *                   [-c MAXCLIENTS] [-w WORKER_KB] [-g CGI_KB] [-u CGI_CPU_MS]
 *                   [-h CGI_HOLD_MS] [-r READYFILE] NAME
 *	A pre-forking HTTP/1.0 server with Apache mpm_prefork's pool rules:
 *	START workers at start; once a second the parent counts the idle
 *	workers, kills one when more than MAXSPARE are idle, and spawns
 *	1, 2, 4 ... 32 a second (doubling while the shortage lasts) when fewer
 *	than MINSPARE are, never more than MAXCLIENTS in all. A worker touches
 *	WORKER_KB of private memory when it starts (an httpd child's own
 *	heap) and serves one connection at a time, closing it after the
 *	answer (KeepAlive Off). Static pages (/html/, /img/, /banner/) are
 *	answered from memory. /cgi-bin/board (GET ?list, GET ?form, POST of
 *	a message) forks a child, as mod_cgi forks perl under prefork: the
 *	child allocates and touches CGI_KB (the paper's 1.7 MB perl
 *	process), burns CGI_CPU_MS of CPU over it, keeps it until
 *	CGI_HOLD_MS after its start, answers and exits; the worker waits.
 *	Every answer has "X-Server: NAME" and NAME as the body's first line.
 *	The parent ignores the OOM killer (oom_score_adj -1000, its workers
 *	do not), so a full memory group kills requests, not the server.
 *	READYFILE is created once the pool has started.
 *   lab-paper load [-c CLIENTS] [-r RAMP_S] [-d DURATION_S] [-z THINK_MS]
 *                  [-t TIMEOUT_MS] [-o LOGFILE] HOST:PORT
 *	CLIENTS virtual clients, started evenly over RAMP_S seconds, each
 *	replaying the 40-item agenda (HTML pages, GIF icons and banners, the
 *	CGI board: GET list, GET form, POST a ~1 KB message) from a random
 *	item on, one request per new TCP connection (HTTP/1.0), with a
 *	random think time of 0 to 2 x THINK_MS between items, until
 *	DURATION_S seconds after the start; requests still running then get
 *	at most TIMEOUT_MS. One process, non-blocking sockets. Prints the
 *	summary (see lp_summary); LOGFILE gets one line per request:
 *	"END_EPOCH_MS KIND SERVER LATENCY_MS" (SERVER is ERR:reason on an
 *	error). Exit status 0, or 2 on usage errors.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LP_REQ_MAX 8192
#define LP_MAX_WORKERS 256
#define LP_MAX_CLIENTS 512
#define LP_RESP_MAX 65536
#define LP_PAGE 4096

static long long
lp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long
lp_epoch_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
lp_num(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
lp_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ---------------------------------------------------------------- server */

enum { LP_FREE, LP_IDLE, LP_BUSY, LP_DYING };

struct lp_slot {
	pid_t pid;
	volatile int state;
};

struct lp_conf {
	const char *name;
	long port, start, min_spare, max_spare, max_clients;
	long worker_kb, cgi_kb, cgi_cpu_ms, cgi_hold_ms;
};

static volatile sig_atomic_t lp_stop;

static void
lp_on_term(int sig)
{
	(void)sig;
	lp_stop = 1;
}

/* Touch every page of a new buffer of kb KB (charged to the memory group). */
static unsigned char *
lp_touch(long kb)
{
	size_t n = (size_t)kb * 1024, i;
	unsigned char *p;

	if (n == 0)
		return NULL;
	p = malloc(n);
	if (!p)
		return NULL;
	for (i = 0; i < n; i += LP_PAGE)
		p[i] = (unsigned char)i;
	p[n - 1] = 1;
	return p;
}

static long long
lp_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
lp_answer(int fd, const struct lp_conf *cf, int status, const char *type, size_t size)
{
	static char body[LP_RESP_MAX];
	char head[256];
	int hn, bn;

	if (size >= sizeof(body))
		size = sizeof(body) - 1;
	bn = snprintf(body, sizeof(body), "%s\n", cf->name);
	if ((size_t)bn < size) {
		memset(body + bn, 'x', size - (size_t)bn - 1);
		body[size - 1] = '\n';
		bn = (int)size;
	}
	hn = snprintf(head, sizeof(head),
		      "HTTP/1.0 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
		      "X-Server: %s\r\nConnection: close\r\n\r\n",
		      status, status == 200 ? "OK" : "Not Found", type, bn, cf->name);
	if (lp_write_all(fd, head, (size_t)hn) == 0)
		lp_write_all(fd, body, (size_t)bn);
}

/* The CGI board, in a child of the worker: memory, CPU, then the answer. */
static void
lp_cgi(int fd, const struct lp_conf *cf, size_t size)
{
	long long t0 = lp_now_ms(), c0 = lp_cpu_ms(), left;
	unsigned char *mem = lp_touch(cf->cgi_kb);
	size_t n = (size_t)cf->cgi_kb * 1024, i;
	struct timespec ts;

	if (!mem)
		_exit(1);
	while (lp_cpu_ms() - c0 < cf->cgi_cpu_ms) {
		for (i = 0; i < n; i += 64)
			mem[i]++;
	}
	left = cf->cgi_hold_ms - (lp_now_ms() - t0);
	if (left > 0) {
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	lp_answer(fd, cf, 200, "text/html", size);
	_exit(0);
}

/* Read a request (with its body, for a POST); 0 when complete. */
static int
lp_read_req(int fd, char *buf, size_t size)
{
	size_t len = 0, need = 0;
	char *end = NULL, *cl;
	struct pollfd p = {.fd = fd, .events = POLLIN};

	for (;;) {
		ssize_t r;

		if (end && len >= need)
			return 0;
		if (poll(&p, 1, 10000) <= 0)
			return -1;
		r = read(fd, buf + len, size - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		len += (size_t)r;
		buf[len] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n"))) {
			need = (size_t)(end + 4 - buf);
			cl = strcasestr(buf, "\r\nContent-Length:");
			if (cl && cl < end)
				need += strtoul(cl + 17, NULL, 10);
			if (need >= size)
				return -1;
		}
		if (len == size - 1)
			return -1;
	}
}

static void
lp_serve_conn(int fd, const struct lp_conf *cf)
{
	static char buf[LP_REQ_MAX];
	const char *path;
	pid_t pid;

	if (lp_read_req(fd, buf, sizeof(buf)) < 0)
		return;
	path = strchr(buf, ' ');
	if (!path)
		return;
	path++;
	if (strncmp(path, "/html/", 6) == 0) {
		lp_answer(fd, cf, 200, "text/html", 6 * 1024);
	} else if (strncmp(path, "/img/", 5) == 0) {
		lp_answer(fd, cf, 200, "image/gif", 2 * 1024);
	} else if (strncmp(path, "/banner/", 8) == 0) {
		lp_answer(fd, cf, 200, "image/gif", 12 * 1024);
	} else if (strncmp(path, "/cgi-bin/board", 14) == 0) {
		size_t size = strncmp(buf, "POST ", 5) == 0	    ? 1024
			      : strncmp(path + 14, "?list", 5) == 0 ? 8 * 1024
								    : 2 * 1024;

		pid = fork();
		if (pid == 0)
			lp_cgi(fd, cf, size);
		if (pid > 0)
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
	} else {
		lp_answer(fd, cf, 404, "text/plain", 0);
	}
}

static volatile sig_atomic_t lp_retire;

static void
lp_on_retire(int sig)
{
	(void)sig;
	lp_retire = 1;
}

/* A worker: one connection at a time. The parent retires an idle worker
 * with SIGTERM; the handler only sets a flag (no SA_RESTART: accept()
 * returns), so a connection already accepted is answered first. */
static void
lp_worker(int lfd, struct lp_slot *slot, const struct lp_conf *cf)
{
	struct sigaction sa = {.sa_handler = lp_on_retire};
	int fd;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (lp_stop)
		_exit(0);
	/* the parent is spared by the OOM killer; its workers are not */
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "0", 1) < 0)
			_exit(1);
		close(fd);
	}
	if (cf->worker_kb > 0 && !lp_touch(cf->worker_kb))
		_exit(1);
	while (!lp_retire) {
		slot->state = LP_IDLE;
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		slot->state = LP_BUSY;
		lp_serve_conn(fd, cf);
		close(fd);
	}
	_exit(0);
}

static int
lp_spawn(int lfd, struct lp_slot *slots, const struct lp_conf *cf)
{
	long i;
	pid_t pid;

	for (i = 0; i < cf->max_clients; i++)
		if (slots[i].state == LP_FREE)
			break;
	if (i == cf->max_clients)
		return -1;
	slots[i].state = LP_BUSY; /* until the worker says idle */
	pid = fork();
	if (pid < 0) {
		slots[i].state = LP_FREE;
		return -1;
	}
	if (pid == 0)
		lp_worker(lfd, &slots[i], cf);
	slots[i].pid = pid;
	return 0;
}

static int
lp_listen(long port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 511) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
lp_serve(int argc, char **argv)
{
	struct lp_conf cf = {.port = 8080,
			     .start = 10,
			     .min_spare = 5,
			     .max_spare = 10,
			     .max_clients = 40,
			     .worker_kb = 512,
			     .cgi_kb = 1700,
			     .cgi_cpu_ms = 20,
			     .cgi_hold_ms = 1000};
	const char *ready = NULL;
	struct lp_slot *slots;
	struct sigaction sa = {.sa_handler = lp_on_term};
	long rate = 1, i;
	int opt, lfd, fd, bad = 0;

	while ((opt = getopt(argc, argv, "p:s:m:M:c:w:g:u:h:r:")) != -1) {
		switch (opt) {
		case 'p':
			bad |= lp_num(optarg, 1, 65535, &cf.port);
			break;
		case 's':
			bad |= lp_num(optarg, 1, LP_MAX_WORKERS, &cf.start);
			break;
		case 'm':
			bad |= lp_num(optarg, 0, LP_MAX_WORKERS, &cf.min_spare);
			break;
		case 'M':
			bad |= lp_num(optarg, 1, LP_MAX_WORKERS, &cf.max_spare);
			break;
		case 'c':
			bad |= lp_num(optarg, 1, LP_MAX_WORKERS, &cf.max_clients);
			break;
		case 'w':
			bad |= lp_num(optarg, 0, 1 << 20, &cf.worker_kb);
			break;
		case 'g':
			bad |= lp_num(optarg, 1, 1 << 20, &cf.cgi_kb);
			break;
		case 'u':
			bad |= lp_num(optarg, 0, 60000, &cf.cgi_cpu_ms);
			break;
		case 'h':
			bad |= lp_num(optarg, 0, 60000, &cf.cgi_hold_ms);
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			bad = 1;
		}
	}
	if (bad || optind != argc - 1 || cf.start > cf.max_clients || cf.min_spare > cf.max_spare) {
		fprintf(stderr, "lab-paper serve: bad arguments (see lab-paper.c)\n");
		return 2;
	}
	cf.name = argv[optind];
	lfd = lp_listen(cf.port);
	if (lfd < 0) {
		perror("lab-paper serve: listen");
		return 1;
	}
	slots = mmap(NULL, sizeof(*slots) * LP_MAX_WORKERS, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slots == MAP_FAILED)
		return 1;
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "-1000", 5) < 0)
			perror("lab-paper serve: oom_score_adj");
		close(fd);
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < cf.start; i++)
		lp_spawn(lfd, slots, &cf);
	if (ready) {
		fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
	}
	while (!lp_stop) {
		long idle = 0, total = 0, want;
		pid_t pid;

		sleep(1);
		while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
			for (i = 0; i < cf.max_clients; i++)
				if (slots[i].pid == pid) {
					slots[i].pid = 0;
					slots[i].state = LP_FREE;
				}
		for (i = 0; i < cf.max_clients; i++) {
			if (slots[i].state == LP_FREE)
				continue;
			total++;
			if (slots[i].state == LP_IDLE)
				idle++;
		}
		if (idle > cf.max_spare) {
			/* one a second, as Apache does */
			for (i = 0; i < cf.max_clients; i++)
				if (slots[i].state == LP_IDLE && slots[i].pid > 0) {
					slots[i].state = LP_DYING;
					kill(slots[i].pid, SIGTERM);
					break;
				}
			rate = 1;
		} else if (idle < cf.min_spare) {
			want = cf.min_spare - idle;
			if (want > rate)
				want = rate;
			if (want > cf.max_clients - total)
				want = cf.max_clients - total;
			for (i = 0; i < want; i++)
				lp_spawn(lfd, slots, &cf);
			if (rate < 32)
				rate *= 2;
		} else {
			rate = 1;
		}
	}
	for (i = 0; i < cf.max_clients; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	return 0;
}

/* ---------------------------------------------------------------- load */

enum { LP_HTML, LP_IMG, LP_BANNER, LP_CGI_LIST, LP_CGI_FORM, LP_CGI_POST, LP_KINDS };
static const char *const lp_kind_name[LP_KINDS] = {"html",     "img",	   "banner",
						   "cgi-list", "cgi-form", "cgi-post"};

/* The agenda: 40 items, the paper's mix of pages, icons and banners and
 * the CGI board (8 of 40: GET the list, GET the form, POST a message). */
static const char lp_agenda[] = "HIIIBHIILHIIFPHIBIIL"
				"HIIIBLHIIFHIPIIBHILI";

struct lp_client {
	int fd, item, state;
	long long t_start, t_next;
	size_t sent, reqlen, got;
	char req[1536];
	char *resp;
};

enum { LP_WAIT, LP_CONNECT, LP_SEND, LP_RECV };

struct lp_stats {
	long n[LP_KINDS], err[LP_KINDS];
	long n_total, err_total;
	long *lat; /* tenths of ms */
	size_t nlat, cap;
	char names[8][32];
	long per_name[8];
	int nnames;
	long why[6];
};

static const char *const lp_why_name[6] = {"connect", "reset", "timeout",
					   "status",  "other", "refused"};

static int
lp_kind(char c)
{
	switch (c) {
	case 'H':
		return LP_HTML;
	case 'I':
		return LP_IMG;
	case 'B':
		return LP_BANNER;
	case 'L':
		return LP_CGI_LIST;
	case 'F':
		return LP_CGI_FORM;
	default:
		return LP_CGI_POST;
	}
}

static void
lp_make_req(struct lp_client *c, const char *host)
{
	int k = lp_kind(lp_agenda[c->item]), n;
	static const char *const paths[LP_KINDS] = {"/html/page",
						    "/img/icon",
						    "/banner/banner",
						    "/cgi-bin/board?list&p=",
						    "/cgi-bin/board?form&p=",
						    "/cgi-bin/board?p="};
	char path[64];

	snprintf(path, sizeof(path), "%s%d", paths[k], c->item);
	if (k == LP_CGI_POST) {
		char msg[1024];

		memset(msg, 'm', sizeof(msg));
		memcpy(msg, "subject=lab&body=", 17);
		n = snprintf(c->req, sizeof(c->req),
			     "POST %s HTTP/1.0\r\nHost: %s\r\nContent-Type: "
			     "application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%.*s",
			     path, host, sizeof(msg), (int)sizeof(msg), msg);
	} else {
		n = snprintf(c->req, sizeof(c->req), "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path,
			     host);
	}
	c->reqlen = (size_t)n;
}

static void
lp_record(struct lp_stats *st, FILE *log, struct lp_client *c, int why, const char *name)
{
	int k = lp_kind(lp_agenda[c->item]), i;
	long long now = lp_now_ms();
	long lat = (long)(now - c->t_start) * 10;

	st->n[k]++;
	st->n_total++;
	if (why >= 0) {
		st->err[k]++;
		st->err_total++;
		st->why[why]++;
	} else {
		if (st->nlat == st->cap) {
			size_t cap = st->cap ? st->cap * 2 : 4096;
			long *p = realloc(st->lat, cap * sizeof(*p));

			if (p) {
				st->lat = p;
				st->cap = cap;
			}
		}
		if (st->nlat < st->cap)
			st->lat[st->nlat++] = lat;
		for (i = 0; i < st->nnames; i++)
			if (strcmp(st->names[i], name) == 0)
				break;
		if (i == st->nnames && st->nnames < 8)
			snprintf(st->names[st->nnames++], sizeof(st->names[0]), "%s", name);
		if (i < 8)
			st->per_name[i]++;
	}
	if (log)
		fprintf(log, "%lld %s %s%s %ld\n", lp_epoch_ms(), lp_kind_name[k],
			why >= 0 ? "ERR:" : "", why >= 0 ? lp_why_name[why] : name, lat / 10);
}

/* Parse a complete response; -1 and the server's name, or an error class. */
static int
lp_parse(const char *buf, size_t len, char *name, size_t size)
{
	const char *body = strstr(buf, "\r\n\r\n"), *cl;
	size_t n;

	if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0 || !body)
		return 4;
	if (strncmp(buf + 9, "200", 3) != 0)
		return 3;
	cl = strcasestr(buf, "\r\nContent-Length:");
	if (cl && cl < body && len < (size_t)(body + 4 - buf) + strtoul(cl + 17, NULL, 10))
		return 1; /* cut short */
	body += 4;
	n = strcspn(body, "\n");
	if (n == 0 || n >= size)
		return 4;
	memcpy(name, body, n);
	name[n] = '\0';
	return -1;
}

static int
lp_cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static double
lp_pct(const struct lp_stats *st, int p)
{
	size_t i;

	if (st->nlat == 0)
		return 0;
	i = (st->nlat * (size_t)p + 99) / 100;
	if (i > 0)
		i--;
	if (i >= st->nlat)
		i = st->nlat - 1;
	return st->lat[i] / 10.0;
}

/* The summary, one "key value..." line each:
 *   requests N ok N errors N seconds S
 *   kind NAME N ERRORS            (per agenda kind)
 *   server NAME N                 (answers per server)
 *   latency_ms p50 X p90 X p99 X max X
 *   errors_by connect N reset N timeout N status N other N refused N */
static void
lp_summary(struct lp_stats *st, double secs)
{
	int k, i;

	qsort(st->lat, st->nlat, sizeof(*st->lat), lp_cmp_long);
	printf("requests %ld ok %ld errors %ld seconds %.1f\n", st->n_total,
	       st->n_total - st->err_total, st->err_total, secs);
	for (k = 0; k < LP_KINDS; k++)
		printf("kind %s %ld %ld\n", lp_kind_name[k], st->n[k], st->err[k]);
	for (i = 0; i < st->nnames; i++)
		printf("server %s %ld\n", st->names[i], st->per_name[i]);
	printf("latency_ms p50 %.1f p90 %.1f p99 %.1f max %.1f\n", lp_pct(st, 50), lp_pct(st, 90),
	       lp_pct(st, 99), st->nlat ? st->lat[st->nlat - 1] / 10.0 : 0.0);
	printf("errors_by");
	for (i = 0; i < 6; i++)
		printf(" %s %ld", lp_why_name[i], st->why[i]);
	printf("\n");
}

static int
lp_load(int argc, char **argv)
{
	long nclients = 20, ramp_s = 10, dur_s = 60, think_ms = 200, timeout_ms = 10000;
	struct sockaddr_in sa = {.sin_family = AF_INET};
	static struct lp_client cl[LP_MAX_CLIENTS];
	static struct pollfd pf[LP_MAX_CLIENTS];
	static struct lp_stats st;
	const char *logname = NULL;
	char host[64], *colon;
	long long t0, t_end, now;
	long port;
	FILE *log = NULL;
	int opt, bad = 0, i;

	while ((opt = getopt(argc, argv, "c:r:d:z:t:o:")) != -1) {
		switch (opt) {
		case 'c':
			bad |= lp_num(optarg, 1, LP_MAX_CLIENTS, &nclients);
			break;
		case 'r':
			bad |= lp_num(optarg, 0, 3600, &ramp_s);
			break;
		case 'd':
			bad |= lp_num(optarg, 1, 3600, &dur_s);
			break;
		case 'z':
			bad |= lp_num(optarg, 0, 60000, &think_ms);
			break;
		case 't':
			bad |= lp_num(optarg, 1, 600000, &timeout_ms);
			break;
		case 'o':
			logname = optarg;
			break;
		default:
			bad = 1;
		}
	}
	if (bad || optind != argc - 1 || strlen(argv[optind]) >= sizeof(host)) {
		fprintf(stderr, "lab-paper load: bad arguments (see lab-paper.c)\n");
		return 2;
	}
	snprintf(host, sizeof(host), "%s", argv[optind]);
	colon = strrchr(host, ':');
	if (!colon || lp_num(colon + 1, 1, 65535, &port) < 0) {
		fprintf(stderr, "lab-paper load: HOST:PORT wanted\n");
		return 2;
	}
	*colon = '\0';
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "lab-paper load: %s is not an IPv4 address\n", host);
		return 2;
	}
	*colon = ':';
	sa.sin_port = htons((uint16_t)port);
	if (logname) {
		log = fopen(logname, "w");
		if (!log) {
			perror(logname);
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	srand((unsigned)getpid());
	t0 = lp_now_ms();
	t_end = t0 + dur_s * 1000;
	for (i = 0; i < nclients; i++) {
		cl[i].fd = -1;
		cl[i].state = LP_WAIT;
		cl[i].item = rand() % (int)(sizeof(lp_agenda) - 1);
		cl[i].t_next = t0 + ramp_s * 1000 * i / nclients;
		cl[i].resp = malloc(LP_RESP_MAX);
		if (!cl[i].resp)
			return 1;
	}
	for (;;) {
		int active = 0, wait_ms = 100;
		long long deadline;

		now = lp_now_ms();
		for (i = 0; i < nclients; i++) {
			struct lp_client *c = &cl[i];

			pf[i].fd = -1;
			pf[i].events = 0;
			pf[i].revents = 0;
			if (c->state == LP_WAIT) {
				if (now >= t_end)
					continue;
				if (now < c->t_next) {
					active++;
					if (c->t_next - now < wait_ms)
						wait_ms = (int)(c->t_next - now);
					continue;
				}
				lp_make_req(c, argv[optind]);
				c->t_start = now;
				c->sent = c->got = 0;
				c->fd =
				    socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
				if (c->fd < 0 ||
				    (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
				     errno != EINPROGRESS)) {
					lp_record(&st, log, c, errno == ECONNREFUSED ? 5 : 0, NULL);
					if (c->fd >= 0)
						close(c->fd);
					c->fd = -1;
					c->item = (c->item + 1) % (int)(sizeof(lp_agenda) - 1);
					c->t_next =
					    now + (think_ms ? rand() % (2 * think_ms + 1) : 0);
					active++;
					continue;
				}
				c->state = LP_CONNECT;
			}
			active++;
			deadline = c->t_start + timeout_ms;
			if (now >= deadline) {
				lp_record(&st, log, c, 2, NULL);
				close(c->fd);
				c->fd = -1;
				c->state = LP_WAIT;
				c->item = (c->item + 1) % (int)(sizeof(lp_agenda) - 1);
				c->t_next = now;
				continue;
			}
			if (deadline - now < wait_ms)
				wait_ms = (int)(deadline - now);
			pf[i].fd = c->fd;
			pf[i].events = c->state == LP_RECV ? POLLIN : POLLOUT;
		}
		if (!active)
			break;
		if (poll(pf, (nfds_t)nclients, wait_ms < 0 ? 0 : wait_ms) < 0 && errno != EINTR)
			break;
		now = lp_now_ms();
		for (i = 0; i < nclients; i++) {
			struct lp_client *c = &cl[i];
			int why = -2;
			char name[32] = "";
			ssize_t r;

			if (pf[i].fd < 0 || !pf[i].revents)
				continue;
			if (c->state == LP_CONNECT) {
				int err = 0;
				socklen_t len = sizeof(err);

				getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
				if (err)
					why = err == ECONNREFUSED ? 5 : 0;
				else
					c->state = LP_SEND;
			}
			if (c->state == LP_SEND && why == -2) {
				r = write(c->fd, c->req + c->sent, c->reqlen - c->sent);
				if (r < 0 && errno != EAGAIN && errno != EINTR)
					why = 1;
				else if (r > 0 && (c->sent += (size_t)r) == c->reqlen)
					c->state = LP_RECV;
			} else if (c->state == LP_RECV && why == -2) {
				r = read(c->fd, c->resp + c->got, LP_RESP_MAX - 1 - c->got);
				if (r < 0 && errno != EAGAIN && errno != EINTR) {
					why = 1;
				} else if (r == 0 || c->got + (size_t)r >= LP_RESP_MAX - 1) {
					if (r > 0)
						c->got += (size_t)r;
					c->resp[c->got] = '\0';
					why = lp_parse(c->resp, c->got, name, sizeof(name));
				} else if (r > 0) {
					c->got += (size_t)r;
				}
			}
			if (why == -2)
				continue;
			lp_record(&st, log, c, why, name);
			close(c->fd);
			c->fd = -1;
			c->state = LP_WAIT;
			c->item = (c->item + 1) % (int)(sizeof(lp_agenda) - 1);
			c->t_next = now + (think_ms ? rand() % (2 * think_ms + 1) : 0);
		}
	}
	if (log)
		fclose(log);
	lp_summary(&st, (lp_now_ms() - t0) / 1000.0);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "serve") == 0)
		return lp_serve(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "load") == 0)
		return lp_load(argc - 1, argv + 1);
	fprintf(stderr, "usage: lab-paper serve|load ... (see tests/lab/lab-paper.c)\n");
	return 2;
}
