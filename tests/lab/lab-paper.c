#include "config.h"

/*
 * lab-paper: the web site and the load generator of bench/paper (the
 * source paper's Table 2 in the lab), one program with two modes.
 *
 *   lab-paper serve [-p PORT] [-s START] [-m MINSPARE] [-M MAXSPARE]
 *                   [-c MAXCLIENTS] [-w WORKER_KB] [-g CGI_KB] [-u CGI_CPU_MS]
 *                   [-h CGI_HOLD_MS] [-k KEEPALIVE_MS] [-K MAXKEEP] [-r READYFILE] NAME
 *	A pre-forking HTTP/1.1 server with Apache mpm_prefork's pool rules:
 *	START workers at start; once a second the parent counts the idle
 *	workers, retires one when more than MAXSPARE are idle, and spawns
 *	1, 2, 4 ... 32 a second (doubling while the shortage lasts) when fewer
 *	than MINSPARE are, never more than MAXCLIENTS in all. A worker touches
 *	WORKER_KB of private memory when it starts (an httpd child's own
 *	heap) and serves one connection at a time, kept alive between
 *	requests for up to KEEPALIVE_MS of silence and MAXKEEP requests
 *	(KeepAliveTimeout 5 s, MaxKeepAliveRequests 100 by default; 0 turns
 *	keep-alive off): an idle kept connection holds its worker, as the
 *	paper describes. Static pages (/html/, /img/, /banner/) are answered
 *	from memory. /cgi-bin/board (GET ?list, GET ?form, POST of a
 *	message) forks a child, as mod_cgi forks perl under prefork: the
 *	child allocates and touches CGI_KB (the paper's 1.7 MB perl
 *	process), burns CGI_CPU_MS of CPU over it, keeps it until
 *	CGI_HOLD_MS after its start, answers and exits; the worker waits.
 *	Every answer has "X-Server: NAME" and NAME as the body's first line.
 *	The parent ignores the OOM killer (oom_score_adj -1000, its workers
 *	do not), so a full memory group kills requests, not the server.
 *	READYFILE is created once the pool has started.
 *   lab-paper load [-a EVERY_MS] [-n ITEMS] [-c MAXCLIENTS] [-d DURATION_S]
 *                  [-z THINK_MS] [-t TIMEOUT_MS] [-o LOGFILE] HOST:PORT
 *	A new virtual client every EVERY_MS for DURATION_S seconds (the
 *	paper's WebLoad created 100 every 30 s), at most MAXCLIENTS at once.
 *	Each plays ITEMS (40) items of the agenda from its first (HTML
 *	pages, GIF icons and banners, the CGI board: GET list, GET form,
 *	POST a ~1 KB message) with a random think time of 0 to 2 x THINK_MS
 *	between items, over HTTP/1.1 kept-alive connections (a new one when
 *	the server closes one; a request that finds its kept connection
 *	closed by the server is sent once more on a new one, as a browser
 *	does), then leaves. Nothing new starts after DURATION_S; requests
 *	still running then get at most TIMEOUT_MS. One process, non-blocking
 *	sockets. Prints the summary (see lp_summary); LOGFILE gets one line
 *	per request: "END_EPOCH_MS KIND SERVER LATENCY_MS" (SERVER is
 *	ERR:reason on an error). Exit status 0, or 2 on usage errors.
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
	long worker_kb, cgi_kb, cgi_cpu_ms, cgi_hold_ms, keep_alive_ms, max_keep;
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
lp_answer(int fd, const struct lp_conf *cf, int status, const char *type, size_t size, int keep)
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
		      "X-Server: %s\r\nConnection: %s\r\n\r\n",
		      status, status == 200 ? "OK" : "Not Found", type, bn, cf->name,
		      keep ? "keep-alive" : "close");
	if (lp_write_all(fd, head, (size_t)hn) == 0)
		lp_write_all(fd, body, (size_t)bn);
}

/* The CGI board, in a child of the worker: memory, CPU, then the answer. */
static void
lp_cgi(int fd, const struct lp_conf *cf, size_t size, int keep)
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
	lp_answer(fd, cf, 200, "text/html", size, keep);
	_exit(0);
}

/* Read a request (with its body, for a POST) within wait_ms of silence;
 * 0 when complete. */
static int
lp_read_req(int fd, char *buf, size_t size, int wait_ms)
{
	size_t len = 0, need = 0;
	char *end = NULL, *cl;
	struct pollfd p = {.fd = fd, .events = POLLIN};

	for (;;) {
		ssize_t r;

		if (end && len >= need)
			return 0;
		if (poll(&p, 1, wait_ms) <= 0)
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

/* One request; 1 to keep the connection for the next one. */
static int
lp_serve_req(int fd, const struct lp_conf *cf, int wait_ms, int last)
{
	static char buf[LP_REQ_MAX];
	const char *path, *end;
	int keep;
	pid_t pid;

	if (lp_read_req(fd, buf, sizeof(buf), wait_ms) < 0)
		return 0;
	end = strstr(buf, "\r\n");
	path = strchr(buf, ' ');
	if (!path || !end)
		return 0;
	path++;
	/* HTTP/1.1 keeps the connection unless the client says close */
	keep = !last && end - buf > 8 && strncmp(end - 8, "HTTP/1.1", 8) == 0 &&
	       !strcasestr(buf, "\r\nConnection: close");
	if (strncmp(path, "/html/", 6) == 0) {
		lp_answer(fd, cf, 200, "text/html", 6 * 1024, keep);
	} else if (strncmp(path, "/img/", 5) == 0) {
		lp_answer(fd, cf, 200, "image/gif", 2 * 1024, keep);
	} else if (strncmp(path, "/banner/", 8) == 0) {
		lp_answer(fd, cf, 200, "image/gif", 12 * 1024, keep);
	} else if (strncmp(path, "/cgi-bin/board", 14) == 0) {
		size_t size = strncmp(buf, "POST ", 5) == 0	    ? 1024
			      : strncmp(path + 14, "?list", 5) == 0 ? 8 * 1024
								    : 2 * 1024;

		pid = fork();
		if (pid == 0)
			lp_cgi(fd, cf, size, keep);
		if (pid < 0)
			return 0;
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	} else {
		lp_answer(fd, cf, 404, "text/plain", 0, keep);
	}
	return keep;
}

/* A connection: requests until the client closes, keep_alive_ms of
 * silence, or max_keep requests (Apache's KeepAliveTimeout and
 * MaxKeepAliveRequests); the worker is held all that time. */
static void
lp_serve_conn(int fd, const struct lp_conf *cf)
{
	long n = 1;

	if (!lp_serve_req(fd, cf, 10000, cf->keep_alive_ms == 0))
		return;
	while (lp_serve_req(fd, cf, (int)cf->keep_alive_ms, ++n >= cf->max_keep))
		;
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
			     .cgi_hold_ms = 1000,
			     .keep_alive_ms = 5000,
			     .max_keep = 100};
	const char *ready = NULL;
	struct lp_slot *slots;
	struct sigaction sa = {.sa_handler = lp_on_term};
	long rate = 1, i;
	int opt, lfd, fd, bad = 0;

	while ((opt = getopt(argc, argv, "p:s:m:M:c:w:g:u:h:k:K:r:")) != -1) {
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
		case 'k':
			bad |= lp_num(optarg, 0, 600000, &cf.keep_alive_ms);
			break;
		case 'K':
			bad |= lp_num(optarg, 1, 100000, &cf.max_keep);
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
#define LP_AGENDA_LEN ((int)sizeof(lp_agenda) - 1)

/* A virtual client: one session, the agenda once, over kept-alive
 * connections (a new one when the server closes one). */
struct lp_client {
	int fd, item, left, state, reused, retried;
	long long t_start, t_next;
	size_t sent, reqlen, got;
	char req[1536];
	char *resp;
};

enum { LP_OFF, LP_WAIT, LP_CONNECT, LP_SEND, LP_RECV };

/* error classes */
enum { LP_E_CONNECT, LP_E_RESET, LP_E_TIMEOUT, LP_E_STATUS, LP_E_OTHER, LP_E_REFUSED, LP_E_N };
static const char *const lp_why_name[LP_E_N] = {"connect", "reset", "timeout",
						"status",  "other", "refused"};

struct lp_stats {
	long n[LP_KINDS], err[LP_KINDS];
	long n_total, err_total, sessions, sessions_refused, conns;
	long *lat; /* ms */
	size_t nlat, cap;
	char names[8][32];
	long per_name[8];
	int nnames;
	long why[LP_E_N];
};

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
			     "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: "
			     "application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%.*s",
			     path, host, sizeof(msg), (int)sizeof(msg), msg);
	} else {
		n = snprintf(c->req, sizeof(c->req), "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path,
			     host);
	}
	c->reqlen = (size_t)n;
}

static void
lp_record(struct lp_stats *st, FILE *log, struct lp_client *c, int why, const char *name)
{
	int k = lp_kind(lp_agenda[c->item]), i;
	long lat = (long)(lp_now_ms() - c->t_start);

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
			why >= 0 ? "ERR:" : "", why >= 0 ? lp_why_name[why] : name, lat);
}

/* Is the response complete? -2 not yet; -1 with the server's name and
 * *keep (the server keeps the connection); else an error class. */
static int
lp_parse(const char *buf, size_t len, char *name, size_t size, int *keep)
{
	const char *body = strstr(buf, "\r\n\r\n"), *cl;
	size_t n;

	if (!body)
		return -2;
	if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0)
		return LP_E_OTHER;
	cl = strcasestr(buf, "\r\nContent-Length:");
	if (!cl || cl > body)
		return LP_E_OTHER;
	if (len < (size_t)(body + 4 - buf) + strtoul(cl + 17, NULL, 10))
		return -2;
	*keep = strcasestr(buf, "\r\nConnection: keep-alive") != NULL;
	if (strncmp(buf + 9, "200", 3) != 0)
		return LP_E_STATUS;
	body += 4;
	n = strcspn(body, "\n");
	if (n == 0 || n >= size)
		return LP_E_OTHER;
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

static long
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
	return st->lat[i];
}

/* The summary, one "key value..." line each:
 *   requests N ok N errors N seconds S
 *   sessions STARTED refused N connections N
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
	printf("sessions %ld refused %ld connections %ld\n", st->sessions, st->sessions_refused,
	       st->conns);
	for (k = 0; k < LP_KINDS; k++)
		printf("kind %s %ld %ld\n", lp_kind_name[k], st->n[k], st->err[k]);
	for (i = 0; i < st->nnames; i++)
		printf("server %s %ld\n", st->names[i], st->per_name[i]);
	printf("latency_ms p50 %ld p90 %ld p99 %ld max %ld\n", lp_pct(st, 50), lp_pct(st, 90),
	       lp_pct(st, 99), st->nlat ? st->lat[st->nlat - 1] : 0);
	printf("errors_by");
	for (i = 0; i < LP_E_N; i++)
		printf(" %s %ld", lp_why_name[i], st->why[i]);
	printf("\n");
}

struct lp_load_conf {
	long max_clients, every_ms, dur_s, think_ms, timeout_ms;
	struct sockaddr_in sa;
	const char *host;
};

static void
lp_close(struct lp_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* The item is over (answered or failed): think, then the next one. */
static void
lp_next(struct lp_client *c, const struct lp_load_conf *lc, long long now)
{
	c->item = (c->item + 1) % LP_AGENDA_LEN;
	c->state = --c->left > 0 ? LP_WAIT : LP_OFF;
	c->t_next = now + (lc->think_ms ? rand() % (2 * lc->think_ms + 1) : 0);
	if (c->state == LP_OFF)
		lp_close(c);
}

/* Start the item: on the kept connection, or a new one. */
static void
lp_start(struct lp_client *c, const struct lp_load_conf *lc, struct lp_stats *st, FILE *log,
	 long long now)
{
	if (!c->retried) {
		lp_make_req(c, lc->host);
		c->t_start = now;
	}
	c->sent = c->got = 0;
	c->reused = c->fd >= 0;
	if (c->reused) {
		c->state = LP_SEND;
		return;
	}
	st->conns++;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || (connect(c->fd, (const struct sockaddr *)&lc->sa, sizeof(lc->sa)) < 0 &&
			  errno != EINPROGRESS)) {
		lp_record(st, log, c, errno == ECONNREFUSED ? LP_E_REFUSED : LP_E_CONNECT, NULL);
		lp_close(c);
		lp_next(c, lc, now);
		return;
	}
	c->state = LP_CONNECT;
}

/* Progress on a ready socket: -2 nothing final yet, -1 answered, else an error. */
static int
lp_progress(struct lp_client *c, char *name, size_t size, int *keep)
{
	ssize_t r;

	if (c->state == LP_CONNECT) {
		int err = 0;
		socklen_t len = sizeof(err);

		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err)
			return err == ECONNREFUSED ? LP_E_REFUSED : LP_E_CONNECT;
		c->state = LP_SEND;
	}
	if (c->state == LP_SEND) {
		r = write(c->fd, c->req + c->sent, c->reqlen - c->sent);
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			return LP_E_RESET;
		if (r > 0 && (c->sent += (size_t)r) == c->reqlen)
			c->state = LP_RECV;
		return -2;
	}
	r = read(c->fd, c->resp + c->got, LP_RESP_MAX - 1 - c->got);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return -2;
	if (r < 0)
		return LP_E_RESET;
	if (r == 0)
		return c->got ? LP_E_OTHER : LP_E_RESET;
	c->got += (size_t)r;
	c->resp[c->got] = '\0';
	r = lp_parse(c->resp, c->got, name, size, keep);
	if (r == -2 && c->got == LP_RESP_MAX - 1)
		return LP_E_OTHER;
	return (int)r;
}

static int
lp_load(int argc, char **argv)
{
	struct lp_load_conf lc = {.max_clients = 256,
				  .every_ms = 1000,
				  .dur_s = 60,
				  .think_ms = 300,
				  .timeout_ms = 10000,
				  .sa = {.sin_family = AF_INET}};
	static struct lp_client cl[LP_MAX_CLIENTS];
	static struct pollfd pf[LP_MAX_CLIENTS];
	static struct lp_stats st;
	const char *logname = NULL;
	char host[64], *colon;
	long long t0, t_end, now, t_arrive;
	long port, items = LP_AGENDA_LEN;
	FILE *log = NULL;
	int opt, bad = 0, i;

	while ((opt = getopt(argc, argv, "c:a:n:d:z:t:o:")) != -1) {
		switch (opt) {
		case 'c':
			bad |= lp_num(optarg, 1, LP_MAX_CLIENTS, &lc.max_clients);
			break;
		case 'a':
			bad |= lp_num(optarg, 1, 3600000, &lc.every_ms);
			break;
		case 'n':
			bad |= lp_num(optarg, 1, 1000000, &items);
			break;
		case 'd':
			bad |= lp_num(optarg, 1, 3600, &lc.dur_s);
			break;
		case 'z':
			bad |= lp_num(optarg, 0, 60000, &lc.think_ms);
			break;
		case 't':
			bad |= lp_num(optarg, 1, 600000, &lc.timeout_ms);
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
	lc.host = argv[optind];
	snprintf(host, sizeof(host), "%s", argv[optind]);
	colon = strrchr(host, ':');
	if (!colon || lp_num(colon + 1, 1, 65535, &port) < 0) {
		fprintf(stderr, "lab-paper load: HOST:PORT wanted\n");
		return 2;
	}
	*colon = '\0';
	if (inet_pton(AF_INET, host, &lc.sa.sin_addr) != 1) {
		fprintf(stderr, "lab-paper load: %s is not an IPv4 address\n", host);
		return 2;
	}
	lc.sa.sin_port = htons((uint16_t)port);
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
	t_end = t0 + lc.dur_s * 1000;
	t_arrive = t0;
	for (i = 0; i < lc.max_clients; i++) {
		cl[i].fd = -1;
		cl[i].state = LP_OFF;
		cl[i].resp = malloc(LP_RESP_MAX);
		if (!cl[i].resp)
			return 1;
	}
	for (;;) {
		int active = 0, wait_ms = 100;
		long long deadline;

		now = lp_now_ms();
		/* a new virtual client every every_ms, on the agenda's first item */
		while (t_arrive <= now && t_arrive < t_end) {
			for (i = 0; i < lc.max_clients && cl[i].state != LP_OFF; i++)
				;
			if (i == lc.max_clients) {
				st.sessions_refused++;
			} else {
				st.sessions++;
				cl[i].item = 0;
				cl[i].left = (int)items;
				cl[i].state = LP_WAIT;
				cl[i].t_next = now;
			}
			t_arrive += lc.every_ms;
		}
		if (t_arrive < t_end && t_arrive - now < wait_ms)
			wait_ms = (int)(t_arrive - now);
		for (i = 0; i < lc.max_clients; i++) {
			struct lp_client *c = &cl[i];

			pf[i].fd = -1;
			pf[i].events = 0;
			pf[i].revents = 0;
			if (c->state == LP_OFF)
				continue;
			if (c->state == LP_WAIT) {
				if (now >= t_end) {
					lp_close(c);
					c->state = LP_OFF;
					continue;
				}
				if (now < c->t_next) {
					active++;
					if (c->t_next - now < wait_ms)
						wait_ms = (int)(c->t_next - now);
					continue;
				}
				c->retried = 0;
				lp_start(c, &lc, &st, log, now);
				if (c->state == LP_WAIT || c->state == LP_OFF)
					continue;
			}
			active++;
			deadline = c->t_start + lc.timeout_ms;
			if (now >= deadline) {
				lp_record(&st, log, c, LP_E_TIMEOUT, NULL);
				lp_close(c);
				lp_next(c, &lc, now);
				continue;
			}
			if (deadline - now < wait_ms)
				wait_ms = (int)(deadline - now);
			pf[i].fd = c->fd;
			pf[i].events = c->state == LP_RECV ? POLLIN : POLLOUT;
		}
		if (!active && t_arrive >= t_end)
			break;
		if (poll(pf, (nfds_t)lc.max_clients, wait_ms < 0 ? 0 : wait_ms) < 0 &&
		    errno != EINTR)
			break;
		now = lp_now_ms();
		for (i = 0; i < lc.max_clients; i++) {
			struct lp_client *c = &cl[i];
			char name[32] = "";
			int why, keep = 0;

			if (pf[i].fd < 0 || !pf[i].revents)
				continue;
			why = lp_progress(c, name, sizeof(name), &keep);
			if (why == -2)
				continue;
			if (why == LP_E_RESET && c->reused && c->got == 0 && !c->retried) {
				/* the server closed the kept connection as we sent: once
				 * more on a new one, as a browser does */
				lp_close(c);
				c->retried = 1;
				lp_start(c, &lc, &st, log, now);
				continue;
			}
			lp_record(&st, log, c, why, name);
			if (why != -1 || !keep)
				lp_close(c);
			lp_next(c, &lc, now);
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
