/* lvsctl: talk to lvsd over its control socket.
 *
 *   lvsctl [-s SOCKET] [-t SECONDS] status [--json]
 *   lvsctl [-s SOCKET] [-t SECONDS] reload [--confirm SECONDS]
 *   lvsctl [-s SOCKET] [-t SECONDS] reload --dry-run [FILE]
 *   lvsctl [-s SOCKET] [-t SECONDS] confirm
 *   lvsctl [-s SOCKET] [-t SECONDS] weights [SERVICE] [--json]
 *   lvsctl [-s SOCKET] [-t SECONDS] weight SERVICE SERVER WEIGHT|clear
 *   lvsctl [-s SOCKET] [-t SECONDS] weight --batch FILE|-
 *   lvsctl [-s SOCKET] [-t SECONDS] drain|undrain SERVICE SERVER
 *   lvsctl [-s SOCKET] [-t SECONDS] drain --director [SECONDS]
 *   lvsctl [-s SOCKET] [-t SECONDS] undrain --director
 *   lvsctl [-s SOCKET] [-t SECONDS] handover [INSTANCE]
 *   lvsctl [-s SOCKET] [-t SECONDS] drill report
 *
 * Sends one command line, prints the body of the reply.  The first reply
 * line is "ok" or "error: REASON"; errors become one line on stderr and a
 * non-zero exit, and so do the "refused: REASON" lines of a reply (a weight
 * or drain lvsd could not apply).  The whole exchange (connect, send, read the reply) has
 * one deadline on the monotonic clock, whatever the kernel does with the
 * connection: the socket is non-blocking and every step waits in poll().
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lvsd/conf/conf.h"

#define LVSCTL_DEFAULT_SOCKET CONF_DEFAULT_CONTROL_SOCKET
#define LVSCTL_DEFAULT_TIMEOUT_S 10.0 /* connect, send and the whole reply */
#define LVSCTL_WEIGHT_TIMEOUT_S 120.0 /* weight: until the kernel acknowledged */
#define LVSCTL_HANDOVER_TIMEOUT_S 60.0 /* handover: until the new master is heard */
/* drain --director: the wait (at most an hour) and a little */
#define LVSCTL_DIRECTOR_TIMEOUT_S 3610.0
#define LVSCTL_MAX_TIMEOUT_S 86400.0
#define LVSCTL_RETRY_FIRST_MS 10 /* a full backlog: connect again after this, */
#define LVSCTL_RETRY_MAX_MS 100	 /* doubling up to this */

/* The end of the exchange on CLOCK_MONOTONIC, and its length for messages. */
struct lvsctl_deadline {
	struct timespec end;
	double seconds;
};

static int
lvsctl_usage(FILE *f)
{
	fprintf(f,
		"usage: lvsctl [-s SOCKET] [-t SECONDS] status [--json]\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] reload [--confirm SECONDS]\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] reload --dry-run [FILE]\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] confirm\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] weights [SERVICE] [--json]\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] weight SERVICE SERVER WEIGHT|clear\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] weight --batch FILE|-\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] drain|undrain SERVICE SERVER\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] drain --director [SECONDS]\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] undrain --director\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] handover [INSTANCE]\n"
		"       lvsctl [-s SOCKET] [-t SECONDS] drill report\n"
		"  -s, --socket PATH      lvsd's control socket (default %s)\n"
		"  -t, --timeout SECONDS  give up on the whole exchange after this (default %g)\n"
		"  -v, --version          print the version\n",
		LVSCTL_DEFAULT_SOCKET, LVSCTL_DEFAULT_TIMEOUT_S);
	return f == stdout ? 0 : 2;
}

/* A command line lvsctl does not take: say what, then the usage. */
static int
lvsctl_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int
lvsctl_bad(const char *fmt, ...)
{
	va_list ap;

	fputs("lvsctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return lvsctl_usage(stderr);
}

static void
lvsctl_deadline_init(struct lvsctl_deadline *dl, double seconds)
{
	clock_gettime(CLOCK_MONOTONIC, &dl->end);
	dl->seconds = seconds;
	dl->end.tv_sec += (time_t)seconds;
	dl->end.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (dl->end.tv_nsec >= 1000000000L) {
		dl->end.tv_sec++;
		dl->end.tv_nsec -= 1000000000L;
	}
}

/* Milliseconds left before the deadline, rounded up; 0 once it has passed. */
static int
lvsctl_left_ms(const struct lvsctl_deadline *dl)
{
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)(dl->end.tv_sec - now.tv_sec) * 1000000000LL +
	     (dl->end.tv_nsec - now.tv_nsec);
	if (ns <= 0)
		return 0;
	return (int)((ns + 999999) / 1000000);
}

/* Wait until fd is ready for events; -ETIMEDOUT at the deadline. */
static int
lvsctl_wait(int fd, short events, const struct lvsctl_deadline *dl)
{
	struct pollfd p = {.fd = fd, .events = events};

	for (;;) {
		int left = lvsctl_left_ms(dl), n;

		if (left == 0)
			return -ETIMEDOUT;
		n = poll(&p, 1, left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/* A connect that did not complete at once (EINPROGRESS): its outcome. */
static int
lvsctl_connect_finish(int fd, const struct lvsctl_deadline *dl)
{
	socklen_t len = sizeof(int);
	int r = lvsctl_wait(fd, POLLOUT, dl), err = 0;

	if (r < 0)
		return r;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	return -err;
}

/* Connect fd to sa before the deadline.  A full backlog makes a
 * non-blocking AF_UNIX connect fail with EAGAIN, and poll() says such a
 * socket is writable at once, so there is nothing to wait on: connect
 * again after a short pause. */
static int
lvsctl_connect(int fd, const struct sockaddr_un *sa, const struct lvsctl_deadline *dl)
{
	int pause_ms = LVSCTL_RETRY_FIRST_MS;

	for (;;) {
		int left;

		if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
			return 0;
		if (errno == EINPROGRESS)
			return lvsctl_connect_finish(fd, dl);
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		left = lvsctl_left_ms(dl);
		if (left == 0)
			return -ETIMEDOUT;
		poll(NULL, 0, left < pause_ms ? left : pause_ms);
		if (pause_ms < LVSCTL_RETRY_MAX_MS)
			pause_ms *= 2;
	}
}

static int
lvsctl_send(int fd, const char *cmd, const struct lvsctl_deadline *dl)
{
	size_t len = strlen(cmd), off = 0;

	while (off < len) {
		ssize_t n = send(fd, cmd + off, len - off, MSG_NOSIGNAL);
		int r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			r = lvsctl_wait(fd, POLLOUT, dl);
			if (r < 0)
				return r;
			continue;
		}
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += (size_t)n;
	}
	return 0;
}

/* Read until lvsd closes: *out is the NUL-terminated reply, caller frees. */
static int
lvsctl_read_all(int fd, const struct lvsctl_deadline *dl, char **out)
{
	size_t cap = 8192, len = 0;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t n;
		int r;

		if (len + 1 == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			r = lvsctl_wait(fd, POLLIN, dl);
			if (r < 0) {
				free(buf);
				return r;
			}
			continue;
		}
		/* lvsd closed without reading our request (it refused us): the
		 * reply it sent first is whole */
		if (n < 0 && errno == ECONNRESET && len > 0)
			n = 0;
		if (n < 0) {
			r = -errno;
			free(buf);
			return r;
		}
		if (n == 0) {
			buf[len] = '\0';
			*out = buf;
			return 0;
		}
		len += (size_t)n;
	}
	free(buf);
	return -ENOMEM;
}

static void
lvsctl_connect_error(const char *path, int r, const struct lvsctl_deadline *dl)
{
	if (r == -ETIMEDOUT)
		fprintf(stderr,
			"lvsctl: timed out after %g s connecting to %s: lvsd is not accepting "
			"connections\n",
			dl->seconds, path);
	else if (r == -ENOENT || r == -ECONNREFUSED)
		fprintf(stderr, "lvsctl: lvsd is not running (no control socket at %s)\n", path);
	else if (r == -EACCES || r == -EPERM)
		fprintf(stderr, "lvsctl: permission denied on %s: lvsctl must run as root\n", path);
	else
		fprintf(stderr, "lvsctl: cannot connect to %s: %s\n", path, strerror(-r));
}

/* Connect, send cmd and read the whole reply before the deadline; on
 * failure print one line and return -1, else *reply (caller frees). */
static int
lvsctl_exchange(const char *path, const char *cmd, const struct lvsctl_deadline *dl, char **reply)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, r, sent;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "lvsctl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		fprintf(stderr, "lvsctl: socket: %s\n", strerror(errno));
		return -1;
	}
	r = lvsctl_connect(fd, &sa, dl);
	if (r < 0) {
		lvsctl_connect_error(path, r, dl);
		close(fd);
		return -1;
	}
	sent = lvsctl_send(fd, cmd, dl);
	/* lvsd may have answered and closed already ("too many clients"):
	 * the reply is still there to read */
	if (sent < 0 && sent != -EPIPE && sent != -ECONNRESET) {
		if (sent == -ETIMEDOUT)
			fprintf(stderr, "lvsctl: cannot send the request: timed out after %g s\n",
				dl->seconds);
		else
			fprintf(stderr, "lvsctl: cannot send the request: %s\n", strerror(-sent));
		close(fd);
		return -1;
	}
	r = lvsctl_read_all(fd, dl, reply);
	close(fd);
	if (r == -ETIMEDOUT)
		fprintf(stderr, "lvsctl: no reply from lvsd within %g s\n", dl->seconds);
	else if (r < 0)
		fprintf(stderr, "lvsctl: no reply from lvsd: %s\n", strerror(-r));
	else if (sent < 0 && !(*reply)[0]) {
		fprintf(stderr, "lvsctl: cannot send the request: %s\n", strerror(-sent));
		free(*reply);
		r = -1;
	}
	return r < 0 ? -1 : 0;
}

/* The body of an "ok" reply to stdout, its "refused: " lines to stderr:
 * 0, or 1 when something was refused. */
static int
lvsctl_body(char *body)
{
	int rc = 0;

	for (char *line = body, *nl; *line; line = nl) {
		nl = strchr(line, '\n');
		nl = nl ? nl + 1 : line + strlen(line);
		if (!strncmp(line, "refused: ", 9)) {
			fprintf(stderr, "lvsctl: %.*s", (int)(nl - line), line);
			if (nl[-1] != '\n')
				fputc('\n', stderr);
			rc = 1;
		} else {
			fwrite(line, 1, (size_t)(nl - line), stdout);
		}
	}
	return rc;
}

static int
lvsctl_request(const char *path, const char *cmd, double timeout_s)
{
	struct lvsctl_deadline dl;
	char *reply = NULL, *body;
	int rc;

	lvsctl_deadline_init(&dl, timeout_s);
	if (lvsctl_exchange(path, cmd, &dl, &reply) < 0)
		return 1;
	body = strchr(reply, '\n');
	if (body)
		*body++ = '\0';
	if (!strcmp(reply, "ok")) {
		rc = lvsctl_body(body ? body : "");
	} else if (!strncmp(reply, "error: ", 7)) {
		fprintf(stderr, "lvsctl: %s\n", reply + 7);
		rc = 1;
	} else {
		fprintf(stderr, "lvsctl: unexpected reply from lvsd: %.80s\n",
			reply[0] ? reply : "(empty)");
		rc = 1;
	}
	free(reply);
	return rc;
}

/* SECONDS for -t: a positive number (fractions allowed); 0 or -EINVAL. */
static int
lvsctl_parse_timeout(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > LVSCTL_MAX_TIMEOUT_S)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Read FILE ("-": stdin) whole; NULL with a message on failure. */
static char *
lvsctl_slurp(const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	size_t cap = 65536, len = 0, n;
	char *buf = NULL, *nb = NULL;

	if (!f) {
		fprintf(stderr, "lvsctl: %s: %s\n", file, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (!(nb = realloc(buf, cap + 1)))
			break;
		buf = nb;
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len < cap)
			break;
		cap *= 2;
	}
	if (!nb || ferror(f)) {
		fprintf(stderr, "lvsctl: cannot read %s\n", file);
		free(buf);
		buf = NULL;
	} else {
		buf[len] = '\0';
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

/* weight --batch: the lines of FILE, each "SERVICE SERVER WEIGHT|clear". */
static int
lvsctl_weight_batch(const char *path, const char *file, double timeout_s)
{
	char *body = lvsctl_slurp(file), *req;
	size_t len;
	int rc;

	if (!body)
		return 1;
	len = strlen(body);
	if (!(req = malloc(len + 32))) {
		free(body);
		fprintf(stderr, "lvsctl: out of memory\n");
		return 1;
	}
	/* a line "." would end the batch early: lvsd refuses it as a line anyway */
	snprintf(req, len + 32, "weight --batch\n%s%s.\n", body,
		 len && body[len - 1] != '\n' ? "\n" : "");
	free(body);
	rc = lvsctl_request(path, req, timeout_s);
	free(req);
	return rc;
}

/* A command line of argv's words, each without a newline (a service or
 * instance name may hold spaces: lvsd reads the other words around it);
 * 0 or 2 (usage). */
static int
lvsctl_line(char *buf, size_t len, int argc, char **argv)
{
	size_t off = 0;

	for (int i = 0; i < argc; i++) {
		if (strchr(argv[i], '\n') || strchr(argv[i], '\r'))
			return 2;
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "%s%s", i ? " " : "",
					argv[i]);
	}
	if (off + 2 > len)
		return 2;
	buf[off++] = '\n';
	buf[off] = '\0';
	return 0;
}

static int lvsctl_command_line(const char *path, int argc, char **argv, double timeout_s);

/* reload [--confirm SECONDS] | reload --dry-run [FILE]: a dry run's file
 * goes to lvsd as an absolute path (lvsd works in /). */
static int
lvsctl_reload(const char *path, int argc, char **argv, double timeout_s)
{
	char abs[PATH_MAX], req[PATH_MAX + 32];

	if (argc == 1)
		return lvsctl_request(path, "reload\n", timeout_s);
	if (!strcmp(argv[1], "--confirm")) {
		if (argc != 3)
			return lvsctl_bad("reload --confirm takes SECONDS");
		return lvsctl_command_line(path, argc, argv, timeout_s);
	}
	if (strcmp(argv[1], "--dry-run") || argc > 3)
		return lvsctl_bad("reload takes --confirm SECONDS, or --dry-run [FILE]");
	if (argc == 2)
		return lvsctl_request(path, "reload --dry-run\n", timeout_s);
	if (!realpath(argv[2], abs)) {
		fprintf(stderr, "lvsctl: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (strchr(abs, '\n')) {
		fprintf(stderr, "lvsctl: %s: a newline in the path\n", argv[2]);
		return 2;
	}
	snprintf(req, sizeof(req), "reload --dry-run %s\n", abs);
	return lvsctl_request(path, req, timeout_s);
}

/* The words as one command line, sent. */
static int
lvsctl_command_line(const char *path, int argc, char **argv, double timeout_s)
{
	char req[512];

	if (lvsctl_line(req, sizeof(req), argc, argv)) {
		fprintf(stderr, "lvsctl: bad arguments (no newline in a word, at most 500 bytes)\n");
		return 2;
	}
	return lvsctl_request(path, req, timeout_s);
}

/* Commands that wait on something (the kernel, a peer) get a longer
 * default deadline, unless -t says otherwise. */
static int
lvsctl_command(const char *path, int argc, char **argv, double timeout_s, bool timeout_set)
{
	const char *cmd = argv[0];

	if (!strcmp(cmd, "weight")) {
		if (!timeout_set)
			timeout_s = LVSCTL_WEIGHT_TIMEOUT_S;
		if (argc == 3 && !strcmp(argv[1], "--batch"))
			return lvsctl_weight_batch(path, argv[2], timeout_s);
		if (argc != 4)
			return lvsctl_bad("weight takes SERVICE SERVER WEIGHT|clear, or --batch FILE");
	} else if (argc >= 2 && !strcmp(argv[1], "--director") &&
		   (!strcmp(cmd, "drain") || !strcmp(cmd, "undrain"))) {
		/* answered after the director's drain wait, at most an hour */
		if (!timeout_set)
			timeout_s = LVSCTL_DIRECTOR_TIMEOUT_S;
		if (argc > (strcmp(cmd, "drain") ? 2 : 3))
			return lvsctl_bad("%s --director takes %s", cmd,
					  strcmp(cmd, "drain") ? "nothing more" : "[SECONDS]");
	} else if (!strcmp(cmd, "drain") || !strcmp(cmd, "undrain")) {
		if (!timeout_set)
			timeout_s = LVSCTL_WEIGHT_TIMEOUT_S;
		if (argc != 3)
			return lvsctl_bad("%s takes SERVICE SERVER, or --director", cmd);
	} else if (!strcmp(cmd, "handover")) {
		if (!timeout_set)
			timeout_s = LVSCTL_HANDOVER_TIMEOUT_S;
		if (argc > 2)
			return lvsctl_bad("handover takes [INSTANCE]");
	} else if (!strcmp(cmd, "weights")) {
		if (argc > 3 || (argc == 3 && strcmp(argv[2], "--json")))
			return lvsctl_bad("weights takes [SERVICE] [--json]");
	} else if (!strcmp(cmd, "drill")) {
		if (argc != 2 || strcmp(argv[1], "report"))
			return lvsctl_bad("drill takes report");
	} else if (!strcmp(cmd, "status")) {
		if (argc > 2 || (argc == 2 && strcmp(argv[1], "--json")))
			return lvsctl_bad("status takes [--json]");
	} else if (!strcmp(cmd, "reload")) {
		return lvsctl_reload(path, argc, argv, timeout_s);
	} else if (!strcmp(cmd, "confirm")) {
		if (argc != 1)
			return lvsctl_bad("confirm takes nothing more");
	} else {
		return lvsctl_bad("unknown command '%s'", cmd);
	}
	return lvsctl_command_line(path, argc, argv, timeout_s);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"timeout", required_argument, NULL, 't'},
	    {"version", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *path = LVSCTL_DEFAULT_SOCKET;
	double timeout_s = LVSCTL_DEFAULT_TIMEOUT_S;
	bool timeout_set = false;
	int c;

	while ((c = getopt_long(argc, argv, "+s:t:vh", longopts, NULL)) != -1) {
		if (c == 's') {
			path = optarg;
		} else if (c == 't') {
			if (lvsctl_parse_timeout(optarg, &timeout_s) < 0) {
				fprintf(stderr,
					"lvsctl: bad timeout '%s': seconds, more than 0 and at "
					"most %g\n",
					optarg, LVSCTL_MAX_TIMEOUT_S);
				return 2;
			}
			timeout_set = true;
		} else if (c == 'v') {
			return printf("lvsctl %s\n", PACKAGE_VERSION) < 0;
		} else {
			return lvsctl_usage(c == 'h' ? stdout : stderr);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc >= 1)
		return lvsctl_command(path, argc, argv, timeout_s, timeout_set);
	return lvsctl_bad("a command is missing");
}
