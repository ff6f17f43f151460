/* lvsctl: talk to lvsd over its control socket.
 *
 *   lvsctl [-s SOCKET] status [--json]
 *   lvsctl [-s SOCKET] reload
 *   lvsctl [-s SOCKET] weight SERVICE SERVER WEIGHT|clear
 *   lvsctl [-s SOCKET] weight --batch FILE|-
 *
 * Sends one command line, prints the body of the reply.  The first reply
 * line is "ok" or "error: REASON"; errors become one line on stderr and a
 * non-zero exit.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "lvsd/conf/conf.h"

#define LVSCTL_DEFAULT_SOCKET CONF_DEFAULT_CONTROL_SOCKET
#define LVSCTL_TIMEOUT_S 10	   /* for the reply */
#define LVSCTL_WEIGHT_TIMEOUT_S 120 /* weight: until the kernel acknowledged */
#define LVSCTL_CONNECT_TIMEOUT_S 5 /* connect and send: bounds a full backlog */

static int
lvsctl_usage(FILE *f)
{
	fprintf(f,
		"usage: lvsctl [-s SOCKET] status [--json]\n"
		"       lvsctl [-s SOCKET] reload\n"
		"       lvsctl [-s SOCKET] weight SERVICE SERVER WEIGHT|clear\n"
		"       lvsctl [-s SOCKET] weight --batch FILE|-\n"
		"  -s, --socket PATH  lvsd's control socket (default %s)\n"
		"  -v, --version      print the version\n",
		LVSCTL_DEFAULT_SOCKET);
	return f == stdout ? 0 : 2;
}

static int reply_timeout_s = LVSCTL_TIMEOUT_S;

static int
lvsctl_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {reply_timeout_s, 0};
	struct timeval ctv = {LVSCTL_CONNECT_TIMEOUT_S, 0};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "lvsctl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "lvsctl: socket: %s\n", strerror(errno));
		return -1;
	}
	/* on a unix socket the send timeout also bounds connect() */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &ctv, sizeof(ctv)) < 0) {
		fprintf(stderr, "lvsctl: setsockopt: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (errno == EAGAIN || errno == EINPROGRESS)
		fprintf(stderr,
			"lvsctl: timed out after %d s connecting to %s: lvsd is not accepting "
			"connections\n",
			LVSCTL_CONNECT_TIMEOUT_S, path);
	else if (errno == ENOENT || errno == ECONNREFUSED)
		fprintf(stderr, "lvsctl: lvsd is not running (no control socket at %s)\n", path);
	else if (errno == EACCES || errno == EPERM)
		fprintf(stderr, "lvsctl: permission denied on %s: lvsctl must run as root\n", path);
	else
		fprintf(stderr, "lvsctl: cannot connect to %s: %s\n", path, strerror(errno));
	close(fd);
	return -1;
}

static int
lvsctl_send(int fd, const char *cmd)
{
	size_t len = strlen(cmd), off = 0;

	while (off < len) {
		ssize_t n = send(fd, cmd + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += (size_t)n;
	}
	return 0;
}

/* Read the whole reply; NUL-terminated, caller frees. */
static char *
lvsctl_read_all(int fd)
{
	size_t cap = 8192, len = 0;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t n;

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
		/* lvsd closed without reading our request (it refused us): the
		 * reply it sent first is whole */
		if (n < 0 && errno == ECONNRESET && len > 0)
			n = 0;
		if (n < 0) {
			fprintf(stderr, "lvsctl: no reply from lvsd: %s\n",
				errno == EAGAIN ? "timed out" : strerror(errno));
			free(buf);
			return NULL;
		}
		if (n == 0) {
			buf[len] = '\0';
			return buf;
		}
		len += (size_t)n;
	}
	free(buf);
	fprintf(stderr, "lvsctl: out of memory\n");
	return NULL;
}

static int
lvsctl_request(const char *path, const char *cmd)
{
	char *reply, *body;
	int fd = lvsctl_connect(path), rc, r;

	if (fd < 0)
		return 1;
	r = lvsctl_send(fd, cmd);
	/* lvsd may have answered and closed already ("too many clients"):
	 * the reply is still there to read */
	if (r < 0 && r != -EPIPE && r != -ECONNRESET) {
		fprintf(stderr, "lvsctl: cannot send the request: %s\n",
			r == -EAGAIN ? "timed out" : strerror(-r));
		close(fd);
		return 1;
	}
	reply = lvsctl_read_all(fd);
	close(fd);
	if (!reply)
		return 1;
	if (r < 0 && !reply[0]) {
		fprintf(stderr, "lvsctl: cannot send the request: %s\n", strerror(-r));
		free(reply);
		return 1;
	}
	body = strchr(reply, '\n');
	if (body)
		*body++ = '\0';
	if (!strcmp(reply, "ok")) {
		fputs(body ? body : "", stdout);
		rc = 0;
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

/* Read FILE ("-": stdin) whole; NULL with a message on failure. */
static char *
lvsctl_slurp(const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	size_t cap = 65536, len = 0, n;
	char *buf = NULL, *nb;

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
lvsctl_weight_batch(const char *path, const char *file)
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
	rc = lvsctl_request(path, req);
	free(req);
	return rc;
}

static int
lvsctl_weight(const char *path, int argc, char **argv)
{
	char req[512];

	reply_timeout_s = LVSCTL_WEIGHT_TIMEOUT_S;
	if (argc == 3 && !strcmp(argv[1], "--batch"))
		return lvsctl_weight_batch(path, argv[2]);
	if (argc != 4 || strchr(argv[1], '\n') || strchr(argv[2], '\n') || strchr(argv[3], '\n'))
		return lvsctl_usage(stderr);
	if ((size_t)snprintf(req, sizeof(req), "weight %s %s %s\n", argv[1], argv[2], argv[3]) >=
	    sizeof(req)) {
		fprintf(stderr, "lvsctl: arguments too long\n");
		return 2;
	}
	return lvsctl_request(path, req);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"version", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *path = LVSCTL_DEFAULT_SOCKET;
	int c;

	while ((c = getopt_long(argc, argv, "+s:vh", longopts, NULL)) != -1) {
		if (c == 's')
			path = optarg;
		else if (c == 'v')
			return printf("lvsctl %s\n", PACKAGE_VERSION) < 0;
		else
			return lvsctl_usage(c == 'h' ? stdout : stderr);
	}
	argc -= optind;
	argv += optind;
	if (argc == 1 && !strcmp(argv[0], "status"))
		return lvsctl_request(path, "status\n");
	if (argc == 2 && !strcmp(argv[0], "status") && !strcmp(argv[1], "--json"))
		return lvsctl_request(path, "status --json\n");
	if (argc == 1 && !strcmp(argv[0], "reload"))
		return lvsctl_request(path, "reload\n");
	if (argc >= 1 && !strcmp(argv[0], "weight"))
		return lvsctl_weight(path, argc, argv);
	return lvsctl_usage(stderr);
}
