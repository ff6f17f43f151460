/* Supervision: fork the children, talk to them, restart the ones that die
 * (with back-off), stop them all when lvsd stops (see proc.h).  The
 * metrics child runs only while the configuration asks for metrics: a
 * reload starts or stops it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/core/child.h"
#include "lvsd/core/clock.h"
#include "lvsd/core/ipc.h"
#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/proc.h"
#include "lvsd/push.h"
#include "lvsd/results.h"
#include "lvsd/scripts/script.h"

#define PROC_BACKOFF_FIRST_MS 500
#define PROC_BACKOFF_MAX_MS 30000
#define PROC_STABLE_S 10.0  /* up this long: the next death restarts at once */
#define PROC_STOP_GRACE_S 15 /* SIGTERM, then SIGKILL after this (vrrp hands over) */

static const char *const proc_names[LVSD_N_ROLES] = {"vrrp", "checkers", "weight", "metrics"};

static int proc_start(struct lvsd_child *c);

bool
proc_wanted(const struct lvsd *d, enum lvsd_role role)
{
	return role != LVSD_METRICS || d->conf->global.metrics_enabled;
}

/* Replies waiting for every child's status may be complete. */
static void
proc_status_progress(struct lvsd *d)
{
	if (d->hooks.status_progress)
		d->hooks.status_progress(d);
}

static void
proc_kill(struct lvsd_child *c, int sig)
{
	if (c->pid > 0)
		kill(c->pid, sig);
}

/* A result from a child: applied when results_judge() says it is for the
 * running generation, counted and dropped when it is for another (its ids
 * may name other objects now), and a protocol error otherwise. */
static int
proc_result(struct lvsd_child *c, const struct ipc_msg *msg)
{
	int r = results_judge(c->d->conf, c->d->generation, c->role, msg);

	if (r == 0) {
		c->stale++;
		log_debug("%s child: dropped a %s of another generation (running %llu)", c->name,
			  ipc_type_name(msg->type), (unsigned long long)c->d->generation);
	} else if (r > 0) {
		results_apply(c->d, msg);
	}
	return r < 0 ? r : 0;
}

static int
proc_status_reply(struct lvsd_child *c, const struct ipc_status *st)
{
	if (st->pid != c->pid) {
		log_err("%s child (pid %d) claims pid %d", c->name, (int)c->pid, (int)st->pid);
		return -EPROTO;
	}
	c->status_cookie = st->cookie;
	c->acked_generation = st->generation;
	c->n_objects = st->n_objects;
	proc_status_progress(c->d);
	return 0;
}

static void
proc_on_msg(struct ipc_chan *ch, struct ipc_msg *msg, void *arg)
{
	struct lvsd_child *c = arg;
	const struct ipc_conf_ack *ack;
	int r = 0;

	switch (msg->type) {
	case IPC_CONF_ACK:
		ack = IPC_BODY(msg, struct ipc_conf_ack);
		c->acked_generation = ack->generation;
		c->n_objects = ack->n_objects;
		log_debug("%s child installed generation %llu (%u objects)", c->name,
			  (unsigned long long)c->acked_generation, c->n_objects);
		break;
	case IPC_STATUS:
		r = proc_status_reply(c, IPC_BODY(msg, struct ipc_status));
		break;
	case IPC_HEALTH:
	case IPC_WEIGHTS:
	case IPC_FEEDBACK:
	case IPC_WT_STATE:
	case IPC_VRRP_STATE:
		r = proc_result(c, msg);
		break;
	case IPC_SNAP_REQ:
		if (c->role != LVSD_METRICS)
			r = -EPROTO;
		else if (c->d->hooks.snapshot)
			c->d->hooks.snapshot(c->d, IPC_BODY(msg, struct ipc_snap_req)->cookie);
		break;
	default:
		r = -EPROTO;
		break;
	}
	if (r < 0) {
		log_err("%s child (pid %d) sent %s %s; killing it", c->name, (int)c->pid,
			r == -EINVAL ? "a bad" : "an unexpected", ipc_type_name(msg->type));
		proc_kill(c, SIGKILL);
	}
}

/* Whether pid has ended already (not reaped yet: SIGCHLD will say how). */
static bool
proc_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	return pid > 0 && waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       si.si_pid == pid;
}

static void
proc_on_close(struct ipc_chan *ch, int err, void *arg)
{
	struct lvsd_child *c = arg;

	if (proc_exited(c->pid)) {
		ipc_chan_free(c->ch);
		c->ch = NULL;
		proc_status_progress(c->d);
		return;
	}

	/* a child without its channel is of no use: restart it like one that died */
	if (err == -EBADMSG)
		log_err("desync on the channel to the %s child (pid %d); killing it", c->name,
			(int)c->pid);
	else if (err)
		log_err("channel to the %s child (pid %d) failed: %s; killing it", c->name,
			(int)c->pid, strerror(-err));
	else if (!c->d->stopping)
		log_err("the %s child (pid %d) closed its channel; killing it", c->name,
			(int)c->pid);
	if (!c->d->stopping || err)
		proc_kill(c, SIGKILL);
	ipc_chan_free(c->ch);
	c->ch = NULL;
	proc_status_progress(c->d);
}

/* Close every descriptor from first up; 0 or -errno when some may be left. */
static int
proc_close_from(int first)
{
	struct rlimit rl;
	long max;

	if (close_range((unsigned)first, ~0U, 0) == 0)
		return 0;
	/* no close_range (old kernel, seccomp): one by one up to the limit */
	max = sysconf(_SC_OPEN_MAX);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY &&
	    (rlim_t)max < rl.rlim_max)
		max = (long)rl.rlim_max;
	if (max <= 0 || max > (1L << 20))
		return -EMFILE;
	for (long fd = first; fd < max; fd++)
		close((int)fd);
	return 0;
}

/* In the new process: forget the parent's signal handling and
 * descriptors, put the channel on descriptor 3, and execute the lvsd
 * binary again (the one the parent runs, opened at start) as
 * "lvsd: ROLE": the child gets an address layout of its own and no copy
 * of the parent's memory.  It drops its privileges itself (child_boot).
 * Never returns. */
static void __attribute__((noreturn)) proc_exec(struct lvsd_child *c, int fd, const sigset_t *old)
{
	const int sigs[] = {SIGHUP, SIGTERM, SIGINT, SIGCHLD, SIGUSR1, SIGUSR2, SIGPIPE};
	char argv0[32];
	char *argv[] = {argv0, NULL};
	int self;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigprocmask(SIG_SETMASK, old, NULL);
	/* out of the way first, then the channel on 3 (kept across the exec)
	 * and the binary on 4 (closed by it) */
	fd = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	self = fcntl(c->d->self_fd, F_DUPFD_CLOEXEC, 10);
	if (fd < 0 || self < 0 || dup2(fd, CHILD_FD) < 0 || dup3(self, 4, O_CLOEXEC) < 0 ||
	    proc_close_from(5) < 0)
		_exit(127);
	snprintf(argv0, sizeof(argv0), CHILD_ARGV0_PREFIX "%s", c->name);
	execveat(4, "", argv, environ, AT_EMPTY_PATH);
	_exit(127);
}

/* libevent counts the signals one base handles, process-wide; a forked
 * child that creates its own base must not inherit the parent's count.
 * So the parent lets go of its signal events around fork(), with every
 * signal blocked: nothing is lost, a pending one arrives once re-added. */
static void
proc_signals_hold(struct lvsd *d, bool hold)
{
	struct event *evs[] = {d->ev_chld, d->ev_hup, d->ev_term, d->ev_int};

	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		if (!evs[i])
			continue;
		if (hold)
			event_del(evs[i]);
		else
			evsignal_add(evs[i], NULL);
	}
}

/* The first frame a child reads: who it is, how to log, whom to become. */
static int
proc_hello(struct lvsd_child *c)
{
	struct ipc_hello h;

	memset(&h, 0, sizeof(h));
	h.parent_pid = (int32_t)getpid();
	h.role = (uint8_t)c->role;
	h.foreground = c->d->foreground;
	h.debug = c->d->debug;
	ipc_strset(h.user, sizeof(h.user), c->d->conf->global.user);
	return ipc_send(c->ch, IPC_HELLO, &h, sizeof(h));
}

static int
proc_start(struct lvsd_child *c)
{
	sigset_t all, old;
	int sv[2], r;
	pid_t pid;

	if ((r = ipc_socketpair(sv)) < 0)
		return r;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	proc_signals_hold(c->d, true);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		proc_exec(c, sv[1], &old);
	}
	r = pid < 0 ? -errno : 0;
	proc_signals_hold(c->d, false);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sv[1]);
	if (r < 0) {
		close(sv[0]);
		return r;
	}
	c->pid = pid;
	clock_gettime(CLOCK_MONOTONIC, &c->started);
	c->acked_generation = 0;
	c->n_objects = 0;
	c->status_cookie = c->d->status_cookie; /* not asked yet: no answer awaited */
	r = ipc_chan_new(c->d->base, sv[0], proc_on_msg, proc_on_close, c, &c->ch);
	if (r < 0) {
		close(sv[0]);
		log_err("%s child (pid %d): no channel: %s; killing it", c->name, (int)pid,
			strerror(-r));
		proc_kill(c, SIGKILL);
		return 0; /* SIGCHLD restarts it */
	}
	log_info("started %s child, pid %d", c->name, (int)pid);
	r = proc_hello(c);
	if (r == 0)
		r = push_conf(c->d, c->ch, c->role);
	if (r < 0) {
		log_err("%s child (pid %d): cannot send the configuration: %s; killing it", c->name,
			(int)pid, strerror(-r));
		proc_kill(c, SIGKILL);
	}
	return 0;
}

static void
proc_schedule_restart(struct lvsd_child *c)
{
	struct timeval tv;

	tv.tv_sec = c->backoff_ms / 1000;
	tv.tv_usec = (c->backoff_ms % 1000) * 1000;
	if (c->backoff_ms)
		log_info("restarting the %s child in %u ms", c->name, c->backoff_ms);
	c->backoff_ms = c->backoff_ms ? c->backoff_ms * 2 : PROC_BACKOFF_FIRST_MS;
	if (c->backoff_ms > PROC_BACKOFF_MAX_MS)
		c->backoff_ms = PROC_BACKOFF_MAX_MS;
	evtimer_add(c->restart_ev, &tv);
}

static void
proc_restart_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lvsd_child *c = arg;
	int r;

	if (c->d->stopping || c->pid || !proc_wanted(c->d, c->role))
		return;
	c->restarts++;
	r = proc_start(c);
	if (r < 0) {
		log_err("cannot start the %s child: %s", c->name, strerror(-r));
		proc_schedule_restart(c);
	}
}

static void
proc_describe(int status, char *buf, size_t len)
{
	if (WIFEXITED(status)) {
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		const char *abbrev = sigabbrev_np(WTERMSIG(status));

		if (abbrev)
			snprintf(buf, len, "killed by signal SIG%s%s", abbrev,
				 WCOREDUMP(status) ? " (core dumped)" : "");
		else
			snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	} else {
		snprintf(buf, len, "ended with wait status %#x", status);
	}
}

static struct lvsd_child *
proc_find(struct lvsd *d, pid_t pid)
{
	for (int i = 0; i < LVSD_N_ROLES; i++)
		if (d->child[i].pid == pid)
			return &d->child[i];
	return NULL;
}

static bool
proc_none_left(const struct lvsd *d)
{
	for (int i = 0; i < LVSD_N_ROLES; i++)
		if (d->child[i].pid)
			return false;
	return true;
}

static void
proc_reaped(struct lvsd *d, struct lvsd_child *c, int status)
{
	double up = lvsd_since(&c->started);

	proc_describe(status, c->last_exit, sizeof(c->last_exit));
	if (d->stopping || !proc_wanted(d, c->role))
		log_info("%s child (pid %d) %s", c->name, (int)c->pid, c->last_exit);
	else
		log_warn("%s child (pid %d) %s after %.1f s", c->name, (int)c->pid, c->last_exit,
			 up);
	c->pid = 0;
	ipc_chan_free(c->ch);
	c->ch = NULL;
	proc_status_progress(d);
	if (d->stopping || !proc_wanted(d, c->role))
		return;
	if (up >= PROC_STABLE_S)
		c->backoff_ms = 0;
	proc_schedule_restart(c);
}

static void
proc_on_sigchld(evutil_socket_t sig, short what, void *arg)
{
	struct lvsd *d = arg;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct lvsd_child *c = proc_find(d, pid);

		if (c)
			proc_reaped(d, c, status);
		else
			script_reaped(d->scripts, pid, status);
	}
	if (d->stopping && proc_none_left(d)) {
		log_info("all children stopped");
		event_base_loopexit(d->base, NULL);
	}
}

static void
proc_on_stop_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct lvsd *d = arg;

	for (int i = 0; i < LVSD_N_ROLES; i++) {
		if (d->child[i].pid) {
			log_warn("%s child (pid %d) ignored SIGTERM; killing it", d->child[i].name,
				 (int)d->child[i].pid);
			proc_kill(&d->child[i], SIGKILL);
		}
	}
}

void
proc_stop(struct lvsd *d)
{
	struct timeval grace = {PROC_STOP_GRACE_S, 0};

	for (int i = 0; i < LVSD_N_ROLES; i++) {
		if (d->child[i].restart_ev)
			evtimer_del(d->child[i].restart_ev);
		proc_kill(&d->child[i], SIGTERM);
	}
	if (proc_none_left(d)) {
		event_base_loopexit(d->base, NULL);
		return;
	}
	evtimer_add(d->ev_stop, &grace);
}

/* A reload may want a child that does not run, or no longer want one. */
static void
proc_want(struct lvsd *d, struct lvsd_child *c)
{
	int r;

	if (proc_wanted(d, c->role) && !c->pid && c->restart_ev &&
	    !evtimer_pending(c->restart_ev, NULL)) {
		c->backoff_ms = 0;
		if ((r = proc_start(c)) < 0) {
			log_err("cannot start the %s child: %s", c->name, strerror(-r));
			proc_schedule_restart(c);
		}
	} else if (!proc_wanted(d, c->role) && c->pid) {
		log_info("the configuration no longer wants the %s child: stopping it", c->name);
		evtimer_del(c->restart_ev);
		proc_kill(c, SIGTERM);
	}
}

void
proc_push_all(struct lvsd *d)
{
	for (int i = 0; i < LVSD_N_ROLES; i++) {
		struct lvsd_child *c = &d->child[i];
		int r;

		if (!c->pid || !c->ch || !proc_wanted(d, c->role)) {
			proc_want(d, c);
			continue;
		}
		r = push_conf(d, c->ch, c->role);
		if (r < 0) {
			log_err("%s child (pid %d): cannot send the configuration: %s; killing it",
				c->name, (int)c->pid, strerror(-r));
			proc_kill(c, SIGKILL);
		}
	}
}

void
proc_ready(struct lvsd *d)
{
	struct lvsd_child *c = &d->child[LVSD_VRRP];
	int r;

	if (c->ch && (r = push_ready(d, c->ch)) < 0) {
		log_err("vrrp child (pid %d): cannot send readiness: %s; killing it", (int)c->pid,
			strerror(-r));
		proc_kill(c, SIGKILL);
	}
}

uint32_t
proc_status_request(struct lvsd *d)
{
	struct ipc_status_req req = {0};

	req.cookie = ++d->status_cookie;
	for (int i = 0; i < LVSD_N_ROLES; i++)
		if (d->child[i].ch)
			ipc_send(d->child[i].ch, IPC_STATUS_REQ, &req, sizeof(req));
	return req.cookie;
}

bool
proc_status_complete(const struct lvsd *d, uint32_t cookie)
{
	for (int i = 0; i < LVSD_N_ROLES; i++) {
		const struct lvsd_child *c = &d->child[i];

		if (c->pid && c->ch && (int32_t)(c->status_cookie - cookie) < 0)
			return false;
	}
	return true;
}

/* SIGCHLD and the stop timer (main handles SIGHUP, SIGTERM, SIGINT). */
static int
proc_signals(struct lvsd *d)
{
	d->ev_chld = evsignal_new(d->base, SIGCHLD, proc_on_sigchld, d);
	d->ev_stop = evtimer_new(d->base, proc_on_stop_timeout, d);
	if (!d->ev_chld || !d->ev_stop)
		return -ENOMEM;
	if (evsignal_add(d->ev_chld, NULL) < 0)
		return -EINVAL;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* Every child's timer exists before the first start, so a stop at any
 * point finds them all; a child that cannot start is retried with the
 * usual back-off, like one that died. */
int
proc_init(struct lvsd *d)
{
	int r = proc_signals(d);

	if (r < 0)
		return r;
	for (int i = 0; i < LVSD_N_ROLES; i++) {
		struct lvsd_child *c = &d->child[i];

		c->d = d;
		c->role = (enum lvsd_role)i;
		c->name = proc_names[i];
		c->restart_ev = evtimer_new(d->base, proc_restart_cb, c);
		if (!c->restart_ev)
			return -ENOMEM;
	}
	for (int i = 0; i < LVSD_N_ROLES; i++) {
		struct lvsd_child *c = &d->child[i];

		if (!proc_wanted(d, c->role))
			continue;
		r = proc_start(c);
		if (r < 0) {
			log_err("cannot start the %s child: %s", c->name, strerror(-r));
			c->backoff_ms = PROC_BACKOFF_FIRST_MS;
			proc_schedule_restart(c);
		}
	}
	return 0;
}

void
proc_free(struct lvsd *d)
{
	struct event *evs[] = {d->ev_chld, d->ev_stop};

	for (int i = 0; i < LVSD_N_ROLES; i++) {
		ipc_chan_free(d->child[i].ch);
		d->child[i].ch = NULL;
		if (d->child[i].restart_ev)
			event_free(d->child[i].restart_ev);
	}
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		if (evs[i])
			event_free(evs[i]);
	d->ev_chld = d->ev_stop = NULL;
}
