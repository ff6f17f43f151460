/* The service manager's notification protocol (see sdnotify.h). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/core/clock.h"
#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/sdnotify.h"
#include "lvsd/writer/effective.h"
#include "lvsd/writer/writer.h"

#define SDNOTIFY_STATUS_MAX 256

struct sdnotify {
	int fd;
	struct sockaddr_un sa;
	socklen_t salen;
	bool ready_sent;
	bool reloading;
	struct event *watchdog;
	char status[SDNOTIFY_STATUS_MAX];
};

/* One datagram; a failure is logged once a minute at most (the manager
 * may restart, the socket buffer may be full): never fatal. */
static void sdnotify_send(struct sdnotify *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
sdnotify_send(struct sdnotify *n, const char *fmt, ...)
{
	static struct timespec said;
	static bool said_once;
	char buf[SDNOTIFY_STATUS_MAX + 128];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return;
	if (sendto(n->fd, buf, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&n->sa,
		   n->salen) >= 0)
		return;
	if (!said_once || lvsd_since(&said) >= 60.0) {
		log_warn("systemd notification failed: %s", strerror(errno));
		clock_gettime(CLOCK_MONOTONIC, &said);
		said_once = true;
	}
}

/* NOTIFY_SOCKET: a path, or "@name" for the abstract namespace. */
static int
sdnotify_addr(const char *path, struct sdnotify *n)
{
	size_t len = strlen(path);

	if ((path[0] != '/' && path[0] != '@') || len < 2 || len >= sizeof(n->sa.sun_path))
		return -EINVAL;
	memset(&n->sa, 0, sizeof(n->sa));
	n->sa.sun_family = AF_UNIX;
	memcpy(n->sa.sun_path, path, len);
	if (path[0] == '@')
		n->sa.sun_path[0] = '\0';
	n->salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '/'));
	return 0;
}

static void
sdnotify_watchdog(evutil_socket_t fd, short what, void *arg)
{
	struct sdnotify *n = arg;

	sdnotify_send(n, "WATCHDOG=1");
}

/* WatchdogSec: WATCHDOG=1 from the loop at half the interval, so a loop
 * held that long is what the manager sees. */
static int
sdnotify_watchdog_init(struct lvsd *d, struct sdnotify *n)
{
	const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	unsigned long long us;
	struct timeval tv;
	char *end;

	if (!usec)
		return 0;
	errno = 0;
	us = strtoull(usec, &end, 10);
	if (errno || *end || us == 0 || (pid && strtol(pid, NULL, 10) != (long)getpid()))
		return 0; /* not for us */
	us /= 2;
	tv.tv_sec = (time_t)(us / 1000000);
	tv.tv_usec = (suseconds_t)(us % 1000000);
	n->watchdog = event_new(d->base, -1, EV_PERSIST, sdnotify_watchdog, n);
	if (!n->watchdog || event_add(n->watchdog, &tv) < 0)
		return -ENOMEM;
	log_info("systemd watchdog: pinging every %llu ms", us / 1000);
	return 0;
}

int
sdnotify_init(struct lvsd *d)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sdnotify *n;
	int r = 0;

	if (!path)
		goto out;
	if (!(n = calloc(1, sizeof(*n))))
		return -ENOMEM;
	n->fd = -1;
	d->sdn = n;
	if (sdnotify_addr(path, n) < 0) {
		log_err("NOTIFY_SOCKET %s: not a socket path; not notifying systemd", path);
		r = -EINVAL;
	} else if ((n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		r = -errno;
		log_err("systemd notification socket: %s", strerror(-r));
	} else if ((r = sdnotify_watchdog_init(d, n)) < 0) {
		log_err("systemd watchdog: out of memory");
	}
	if (r < 0)
		sdnotify_free(d);
out:
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	return r;
}

void
sdnotify_free(struct lvsd *d)
{
	struct sdnotify *n = d->sdn;

	if (!n)
		return;
	if (n->watchdog)
		event_free(n->watchdog);
	if (n->fd >= 0)
		close(n->fd);
	free(n);
	d->sdn = NULL;
}

/* "generation 3: 2 vrrp instances (1 master), 2 services, 5 of 6 real
 * servers up" */
static void
sdnotify_line(const struct lvsd *d, char *buf, size_t len)
{
	const struct conf *c = d->conf;
	size_t masters = 0, up = 0, n_rs = 0;
	struct writer_stats st;
	struct eff_view v;
	int o;

	for (size_t i = 0; i < c->n_vrrp; i++)
		masters += d->vrrp && d->vrrp[i].known && d->vrrp[i].state == IPC_VRRP_MASTER;
	for (size_t i = 0; i < c->n_services; i++)
		for (size_t k = 0; k < c->services[i].n_rs; k++, n_rs++)
			up += eff_get(d, i, k, &v) && v.health == EFF_HEALTH_UP;
	o = snprintf(buf, len,
		     "generation %llu: %zu vrrp instances (%zu master), %zu services, %zu of %zu "
		     "real servers up%s",
		     (unsigned long long)d->generation, c->n_vrrp, masters, c->n_services, up, n_rs,
		     (writer_stats(d->ipvs, &st), !st.available)
			 ? "; IPVS not available in this kernel"
		     : d->applied ? ""
				  : "; programming IPVS");
	if (o > 0 && (size_t)o < len && d->confirm_deadline.tv_sec)
		snprintf(buf + o, len - (size_t)o, "; awaiting lvsctl confirm");
}

void
sdnotify_status(struct lvsd *d)
{
	struct sdnotify *n = d->sdn;
	char line[SDNOTIFY_STATUS_MAX];

	if (!n || !n->ready_sent)
		return;
	sdnotify_line(d, line, sizeof(line));
	if (!strcmp(line, n->status))
		return;
	memcpy(n->status, line, sizeof(line));
	sdnotify_send(n, "STATUS=%s", line);
}

void
sdnotify_ready(struct lvsd *d)
{
	struct sdnotify *n = d->sdn;

	if (!n || (n->ready_sent && !n->reloading))
		return;
	n->ready_sent = true;
	n->reloading = false;
	sdnotify_line(d, n->status, sizeof(n->status));
	sdnotify_send(n, "READY=1\nSTATUS=%s", n->status);
}

void
sdnotify_reloading(struct lvsd *d)
{
	struct sdnotify *n = d->sdn;

	if (!n || !n->ready_sent)
		return;
	n->reloading = true;
	sdnotify_send(n, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading %s",
		      (unsigned long long)(lvsd_clock_ns(CLOCK_MONOTONIC) / 1000), d->conf_path);
}

void
sdnotify_stopping(struct lvsd *d)
{
	if (d->sdn)
		sdnotify_send(d->sdn, "STOPPING=1\nSTATUS=stopping");
}
