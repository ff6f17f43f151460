/* Sockets the parent opens for the children, which may not: the report
 * listener (its port may be below 1024) and the metrics listener are bound
 * here, as root, and their descriptors handed to the weight and metrics
 * children with the configuration. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/sockets.h"

static bool
sockets_same(const struct conf_sockaddr *a, const struct conf_sockaddr *b)
{
	return a->port == b->port && conf_addr_same(&a->addr, &b->addr);
}

/* A socket of type bound to sa (a stream socket listening too). */
static int
sockets_bind(const struct conf_sockaddr *sa, int type)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, r;

	memset(&ss, 0, sizeof(ss));
	if (sa->addr.family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = sa->addr.u.v6;
		s6->sin6_port = htons(sa->port);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = sa->addr.u.v4;
		s4->sin_port = htons(sa->port);
		len = sizeof(*s4);
	}
	fd = socket(ss.ss_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (type == SOCK_STREAM)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 64) < 0)) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

int
sockets_reports(struct lvsd *d)
{
	const struct conf_reports *rp = &d->conf->reports;
	char a[CONF_ADDRSTRLEN];
	int fd;

	if (!rp->enabled) {
		sockets_close(d);
		return -1;
	}
	if (d->reports_fd >= 0 && sockets_same(&d->reports_bound, &rp->listen))
		return d->reports_fd;
	sockets_close(d);
	fd = sockets_bind(&rp->listen, SOCK_DGRAM);
	if (fd < 0) {
		log_err("reports: cannot bind %s port %u: %s; no reports are received",
			conf_addr_str(&rp->listen.addr, a, sizeof(a)), rp->listen.port,
			strerror(-fd));
		return fd;
	}
	log_info("reports: listening on %s port %u (for the weight child)",
		 conf_addr_str(&rp->listen.addr, a, sizeof(a)), rp->listen.port);
	d->reports_fd = fd;
	d->reports_bound = rp->listen;
	return fd;
}

void
sockets_close(struct lvsd *d)
{
	if (d->reports_fd >= 0)
		close(d->reports_fd);
	d->reports_fd = -1;
}

int
sockets_metrics(struct lvsd *d)
{
	const struct conf_global *g = &d->conf->global;
	char a[CONF_ADDRSTRLEN + 16];
	int fd;

	if (g->metrics_enabled && d->metrics_fd >= 0 &&
	    sockets_same(&d->metrics_bound, &g->metrics))
		return d->metrics_fd;
	sockets_metrics_close(d);
	if (!g->metrics_enabled)
		return -1;
	fd = sockets_bind(&g->metrics, SOCK_STREAM);
	if (fd < 0) {
		log_err("metrics: cannot listen on %s: %s; nothing serves the metrics",
			conf_sockaddr_str(&g->metrics, a, sizeof(a)), strerror(-fd));
		return fd;
	}
	log_info("metrics: listening on %s (for the metrics child)",
		 conf_sockaddr_str(&g->metrics, a, sizeof(a)));
	d->metrics_fd = fd;
	d->metrics_bound = g->metrics;
	return fd;
}

void
sockets_metrics_close(struct lvsd *d)
{
	if (d->metrics_fd >= 0)
		close(d->metrics_fd);
	d->metrics_fd = -1;
}
