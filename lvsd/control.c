/* The control socket lvsctl talks to.
 *
 * A unix stream socket, mode 0600, owned by root, in a directory lvsd
 * creates if missing; peers must also be root (SO_PEERCRED).  Protocol: the
 * client sends one command line ("status", "status --json", "reload");
 * lvsd answers with "ok" or "error: REASON" on the first line, then the
 * body, and closes the connection.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "lvsd/log.h"
#include "lvsd/lvsd.h"

#define CONTROL_LINE_MAX 256
#define CONTROL_STATUS_WAIT_MS 500

struct control_conn {
	struct control *ctl;
	struct bufferevent *bev;
	struct event *timer;
	bool json;
	bool waiting;
	uint32_t cookie;
	struct control_conn *next;
};

struct control {
	struct lvsd *d;
	struct evconnlistener *lis;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct control_conn *conns;
};

static void
control_conn_free(struct control_conn *cc)
{
	struct control_conn **pp;

	for (pp = &cc->ctl->conns; *pp; pp = &(*pp)->next) {
		if (*pp == cc) {
			*pp = cc->next;
			break;
		}
	}
	if (cc->timer)
		event_free(cc->timer);
	bufferevent_free(cc->bev);
	free(cc);
}

static void
control_conn_written(struct bufferevent *bev, void *arg)
{
	control_conn_free(arg);
}

static void
control_conn_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		control_conn_free(arg);
}

/* Send "ok"/"error: ..." plus body, then close once it is written. */
static void
control_reply(struct control_conn *cc, const char *head, struct evbuffer *body)
{
	struct evbuffer *out = bufferevent_get_output(cc->bev);

	cc->waiting = false;
	bufferevent_disable(cc->bev, EV_READ);
	evbuffer_add_printf(out, "%s\n", head);
	if (body)
		evbuffer_add_buffer(out, body);
	bufferevent_setcb(cc->bev, NULL, control_conn_written, control_conn_event, cc);
	bufferevent_enable(cc->bev, EV_WRITE);
}

static void
control_status_reply(struct control_conn *cc)
{
	struct evbuffer *body = evbuffer_new();

	if (!body) {
		control_reply(cc, "error: out of memory", NULL);
		return;
	}
	if (cc->json)
		status_render_json(cc->ctl->d, body);
	else
		status_render_text(cc->ctl->d, body);
	control_reply(cc, "ok", body);
	evbuffer_free(body);
}

static void
control_status_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct control_conn *cc = arg;

	log_warn("status: a child did not answer within %d ms", CONTROL_STATUS_WAIT_MS);
	control_status_reply(cc);
}

void
control_status_progress(struct lvsd *d)
{
	if (!d->ctl)
		return;
	for (struct control_conn *cc = d->ctl->conns; cc; cc = cc->next)
		if (cc->waiting && proc_status_complete(d, cc->cookie))
			control_status_reply(cc);
}

static void
control_status(struct control_conn *cc, bool json)
{
	struct lvsd *d = cc->ctl->d;
	struct timeval tv = {0, CONTROL_STATUS_WAIT_MS * 1000};

	cc->json = json;
	cc->cookie = proc_status_request(d);
	if (proc_status_complete(d, cc->cookie)) {
		control_status_reply(cc);
		return;
	}
	cc->timer = evtimer_new(d->base, control_status_timeout, cc);
	if (!cc->timer) {
		control_status_reply(cc);
		return;
	}
	cc->waiting = true;
	evtimer_add(cc->timer, &tv);
}

static void
control_reload(struct control_conn *cc)
{
	struct lvsd *d = cc->ctl->d;
	char err[sizeof(d->last_reload_error)], head[sizeof(err) + 64];
	struct evbuffer *body;

	log_info("reload requested over the control socket");
	if (lvsd_reload(d, err, sizeof(err)) < 0) {
		snprintf(head, sizeof(head), "error: reload failed, keeping generation %llu: %s",
			 (unsigned long long)d->generation, err);
		control_reply(cc, head, NULL);
		return;
	}
	body = evbuffer_new();
	if (body)
		evbuffer_add_printf(body, "reloaded %s: generation %llu\n", d->conf_path,
				    (unsigned long long)d->generation);
	control_reply(cc, "ok", body);
	if (body)
		evbuffer_free(body);
}

static void
control_conn_read(struct bufferevent *bev, void *arg)
{
	struct control_conn *cc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char head[CONTROL_LINE_MAX + 64];
	size_t n;
	char *line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF);

	if (!line) {
		if (evbuffer_get_length(in) > CONTROL_LINE_MAX)
			control_reply(cc, "error: request too long", NULL);
		return;
	}
	bufferevent_disable(bev, EV_READ); /* one request per connection */
	if (!strcmp(line, "status"))
		control_status(cc, false);
	else if (!strcmp(line, "status --json"))
		control_status(cc, true);
	else if (!strcmp(line, "reload"))
		control_reload(cc);
	else {
		snprintf(head, sizeof(head),
			 "error: unknown command '%.*s' (status, status --json, reload)",
			 CONTROL_LINE_MAX, line);
		control_reply(cc, head, NULL);
	}
	free(line);
}

static void
control_accept(struct evconnlistener *lis, evutil_socket_t fd, struct sockaddr *sa, int len,
	       void *arg)
{
	struct control *ctl = arg;
	struct control_conn *cc = calloc(1, sizeof(*cc));
	struct ucred cred;
	socklen_t cl = sizeof(cred);

	if (!cc || !(cc->bev = bufferevent_socket_new(ctl->d->base, fd, BEV_OPT_CLOSE_ON_FREE))) {
		free(cc);
		close(fd);
		return;
	}
	cc->ctl = ctl;
	cc->next = ctl->conns;
	ctl->conns = cc;
	bufferevent_setcb(cc->bev, control_conn_read, NULL, control_conn_event, cc);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0 ||
	    (cred.uid != 0 && cred.uid != geteuid())) {
		log_warn("control: refused a client with uid %d", (int)cred.uid);
		control_reply(cc, "error: permission denied: only root may control lvsd", NULL);
		return;
	}
	bufferevent_enable(cc->bev, EV_READ);
}

/* Make the socket's directory when missing (root-only), clear a stale socket. */
static int
control_prepare(const char *path)
{
	char tmp[CONF_PATH_MAX];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, r;

	snprintf(tmp, sizeof(tmp), "%s", path);
	if (mkdir(dirname(tmp), 0750) < 0 && errno != EEXIST)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (r == 0)
		return -EADDRINUSE; /* another lvsd answers there */
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

static int
control_bind(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	mode_t old;
	int fd, r;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || chmod(path, 0600) < 0 || (geteuid() == 0 && chown(path, 0, 0) < 0) ||
	    listen(fd, 16) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

int
control_open(struct lvsd *d, const char *path)
{
	struct control *ctl;
	int fd, r;

	if (strlen(path) >= sizeof(ctl->path))
		return -ENAMETOOLONG;
	r = control_prepare(path);
	if (r < 0)
		return r;
	fd = control_bind(path);
	if (fd < 0)
		return fd;
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl) {
		close(fd);
		return -ENOMEM;
	}
	ctl->d = d;
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	ctl->lis = evconnlistener_new(d->base, control_accept, ctl,
				      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (!ctl->lis) {
		close(fd);
		unlink(path);
		free(ctl);
		return -ENOMEM;
	}
	d->ctl = ctl;
	log_info("control socket %s", path);
	return 0;
}

void
control_close(struct lvsd *d)
{
	struct control *ctl = d->ctl;

	if (!ctl)
		return;
	while (ctl->conns)
		control_conn_free(ctl->conns);
	evconnlistener_free(ctl->lis);
	unlink(ctl->path);
	free(ctl);
	d->ctl = NULL;
}
