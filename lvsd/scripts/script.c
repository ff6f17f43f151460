/* The parent's script runner: see script.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/core/log.h"
#include "lvsd/scripts/script.h"

#define SCRIPT_GROUPS_MAX 64
#define SCRIPT_CMD_MAX 1024

struct script_job {
	TAILQ_ENTRY(script_job) link;
	struct script_runner *r;
	uint64_t id, serial;
	char *argv[SCRIPT_ARGV_MAX];
	char buf[SCRIPT_CMD_MAX];
	uint32_t timeout_ms;
	pid_t pid; /* 0 while queued; also its process group */
	bool timed_out;
	struct script_result res;
	struct event *ev; /* timeout, then kill; or the deferred NOSTART */
	script_cb cb;
	void *arg;
};
TAILQ_HEAD(script_list, script_job);

struct script_runner {
	struct event_base *base;
	unsigned max, n_running;
	uint64_t next_id;
	struct script_list pending, running;
	uid_t uid;
	gid_t gid;
	gid_t groups[SCRIPT_GROUPS_MAX];
	int n_groups;
};

static char *const script_env[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL};

int
script_split(const char *cmd, char **argv, size_t max, char *buf, size_t len)
{
	size_t n = 0, o = 0;
	const char *p = cmd;

	while (*p) {
		char q = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n + 1 >= max)
			return -E2BIG;
		argv[n++] = buf + o;
		for (; *p && (q || (*p != ' ' && *p != '\t')); p++) {
			if (!q && (*p == '\'' || *p == '"')) {
				q = *p;
				continue;
			}
			if (q && *p == q) {
				q = 0;
				continue;
			}
			if (*p == '\\' && q != '\'' && p[1])
				p++;
			if (o + 1 >= len)
				return -E2BIG;
			buf[o++] = *p;
		}
		if (q)
			return -EINVAL;
		if (o + 1 >= len)
			return -E2BIG;
		buf[o++] = '\0';
	}
	argv[n] = NULL;
	return n ? (int)n : -EINVAL;
}

int
script_pick(const uint64_t *pending, size_t n_pending, const uint64_t *running, size_t n_running,
	    unsigned max)
{
	if (n_running >= max)
		return -1;
	for (size_t i = 0; i < n_pending; i++) {
		bool busy = false;

		for (size_t j = 0; pending[i] && j < n_running && !busy; j++)
			busy = running[j] == pending[i];
		for (size_t j = 0; pending[i] && j < i && !busy; j++)
			busy = pending[j] == pending[i];
		if (!busy)
			return (int)i;
	}
	return -1;
}

const char *
script_result_str(const struct script_result *res, char *buf, size_t len)
{
	const char *abbrev;

	switch (res->how) {
	case SCRIPT_EXITED:
		snprintf(buf, len,
			 res->code == 127 ? "exited with status 127 (cannot execute?)"
					  : "exited with status %d",
			 res->code);
		break;
	case SCRIPT_SIGNALED:
		abbrev = sigabbrev_np(res->code);
		if (abbrev)
			snprintf(buf, len, "killed by signal SIG%s", abbrev);
		else
			snprintf(buf, len, "killed by signal %d", res->code);
		break;
	case SCRIPT_TIMEOUT:
		snprintf(buf, len, "timed out: its process group was killed");
		break;
	default:
		snprintf(buf, len, "could not start: %s", strerror(res->code));
		break;
	}
	return buf;
}

int
script_runner_new(struct event_base *base, unsigned max_running, struct script_runner **out)
{
	struct script_runner *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->base = base;
	r->max = max_running ? max_running : 1;
	TAILQ_INIT(&r->pending);
	TAILQ_INIT(&r->running);
	r->uid = getuid();
	r->gid = getgid();
	r->n_groups = -1; /* keep the parent's */
	*out = r;
	return 0;
}

int
script_runner_user(struct script_runner *r, const char *user)
{
	struct passwd *pw;
	int n = SCRIPT_GROUPS_MAX;

	errno = 0;
	pw = getpwnam(user);
	if (!pw)
		return errno ? -errno : -ENOENT;
	if (getgrouplist(user, pw->pw_gid, r->groups, &n) < 0)
		n = 1, r->groups[0] = pw->pw_gid;
	r->uid = pw->pw_uid;
	r->gid = pw->pw_gid;
	r->n_groups = n;
	return 0;
}

static void
job_free(struct script_job *j)
{
	if (j->ev)
		event_free(j->ev);
	free(j);
}

/* In the new process: a session of its own, /dev/null in and out, the
 * script user, then the script.  Never returns. */
static void __attribute__((noreturn))
job_exec(const struct script_runner *r, char *const *argv, const sigset_t *old)
{
	int fd;

	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigprocmask(SIG_SETMASK, old, NULL);
	if (setsid() < 0)
		_exit(126);
	fd = open("/dev/null", O_RDWR);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
		_exit(126);
	close_range(3, ~0U, 0);
	if (r->n_groups >= 0 && setgroups((size_t)r->n_groups, r->groups) < 0)
		_exit(126);
	if (setgid(r->gid) < 0 || setuid(r->uid) < 0)
		_exit(126);
	if (chdir("/") < 0)
		_exit(126);
	execve(argv[0], argv, script_env);
	_exit(127);
}

static void job_kill_cb(evutil_socket_t fd, short what, void *arg);

static void
job_finish(struct script_job *j)
{
	if (j->cb)
		j->cb(j->arg, &j->res);
	job_free(j);
}

static void
job_nostart_cb(evutil_socket_t fd, short what, void *arg)
{
	job_finish(arg);
}

static void runner_kick(struct script_runner *r);

static int
job_start(struct script_runner *r, struct script_job *j)
{
	struct timeval tv = {j->timeout_ms / 1000, (suseconds_t)(j->timeout_ms % 1000) * 1000};
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0)
		job_exec(r, j->argv, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		j->res = (struct script_result){SCRIPT_NOSTART, errno};
		j->ev = evtimer_new(r->base, job_nostart_cb, j);
		if (!j->ev)
			return -ENOMEM;
		event_active(j->ev, EV_TIMEOUT, 0);
		return 0;
	}
	j->pid = pid; /* and its process group, once it has called setsid() */
	j->ev = evtimer_new(r->base, job_kill_cb, j);
	if (j->ev)
		evtimer_add(j->ev, &tv);
	TAILQ_INSERT_TAIL(&r->running, j, link);
	r->n_running++;
	return 0;
}

static void
runner_kick(struct script_runner *r)
{
	for (;;) {
		uint64_t pend[64], run[SCRIPT_MAX_RUNNING * 4];
		struct script_job *j, *pick = NULL;
		size_t np = 0, nr = 0;
		int k;

		TAILQ_FOREACH(j, &r->pending, link)
		if (np < sizeof(pend) / sizeof(pend[0]))
			pend[np++] = j->serial;
		TAILQ_FOREACH(j, &r->running, link)
		if (nr < sizeof(run) / sizeof(run[0]))
			run[nr++] = j->serial;
		k = r->n_running >= r->max ? -1 : script_pick(pend, np, run, nr, r->max);
		if (k < 0)
			return;
		TAILQ_FOREACH(j, &r->pending, link)
		if (k-- == 0) {
			pick = j;
			break;
		}
		TAILQ_REMOVE(&r->pending, pick, link);
		if (job_start(r, pick) < 0) {
			log_err("script %s: cannot start: out of memory", pick->argv[0]);
			job_free(pick);
		}
	}
}

/* The timeout: SIGTERM to the group, SIGKILL after the grace. */
static void
job_kill_cb(evutil_socket_t fd, short what, void *arg)
{
	struct script_job *j = arg;
	struct timeval tv = {SCRIPT_KILL_GRACE_MS / 1000, (SCRIPT_KILL_GRACE_MS % 1000) * 1000};

	if (!j->timed_out) {
		j->timed_out = true;
		kill(-j->pid, SIGTERM);
		evtimer_add(j->ev, &tv);
	} else {
		kill(-j->pid, SIGKILL);
	}
}

int
script_run(struct script_runner *r, char *const *argv, uint32_t timeout_ms, uint64_t serial,
	   script_cb cb, void *arg, uint64_t *id)
{
	struct script_job *j = calloc(1, sizeof(*j));
	size_t o = 0, n = 0;

	if (!j)
		return -ENOMEM;
	for (; argv[n]; n++) {
		size_t len = strlen(argv[n]) + 1;

		if (n + 1 >= SCRIPT_ARGV_MAX || o + len > sizeof(j->buf)) {
			free(j);
			return -E2BIG;
		}
		memcpy(j->buf + o, argv[n], len);
		j->argv[n] = j->buf + o;
		o += len;
	}
	if (!n) {
		free(j);
		return -EINVAL;
	}
	j->r = r;
	j->id = ++r->next_id;
	j->serial = serial;
	j->timeout_ms = timeout_ms;
	j->cb = cb;
	j->arg = arg;
	TAILQ_INSERT_TAIL(&r->pending, j, link);
	if (id)
		*id = j->id;
	runner_kick(r);
	return 0;
}

int
script_run_cmd(struct script_runner *r, const char *cmd, uint32_t timeout_ms, uint64_t serial,
	       script_cb cb, void *arg, uint64_t *id)
{
	char buf[SCRIPT_CMD_MAX];
	char *argv[SCRIPT_ARGV_MAX];
	int n = script_split(cmd, argv, SCRIPT_ARGV_MAX, buf, sizeof(buf));

	if (n < 0)
		return n;
	return script_run(r, argv, timeout_ms, serial, cb, arg, id);
}

void
script_forget(struct script_runner *r, uint64_t id)
{
	struct script_job *j;

	TAILQ_FOREACH(j, &r->running, link)
	if (j->id == id)
		j->cb = NULL;
	TAILQ_FOREACH(j, &r->pending, link)
	if (j->id == id) {
		TAILQ_REMOVE(&r->pending, j, link);
		job_free(j);
		return;
	}
}

bool
script_reaped(struct script_runner *r, pid_t pid, int status)
{
	struct script_job *j;

	if (!r)
		return false;
	TAILQ_FOREACH(j, &r->running, link)
	if (j->pid == pid)
		break;
	if (!j)
		return false;
	TAILQ_REMOVE(&r->running, j, link);
	r->n_running--;
	if (j->timed_out) {
		kill(-pid, SIGKILL); /* what is left of its group */
		j->res = (struct script_result){SCRIPT_TIMEOUT, 0};
	} else if (WIFEXITED(status)) {
		j->res = (struct script_result){SCRIPT_EXITED, WEXITSTATUS(status)};
	} else {
		j->res = (struct script_result){SCRIPT_SIGNALED, WTERMSIG(status)};
	}
	job_finish(j);
	runner_kick(r);
	return true;
}

unsigned
script_running(const struct script_runner *r)
{
	return r ? r->n_running : 0;
}

void
script_runner_free(struct script_runner *r)
{
	struct script_job *j;

	if (!r)
		return;
	while ((j = TAILQ_FIRST(&r->running))) {
		TAILQ_REMOVE(&r->running, j, link);
		kill(-j->pid, SIGKILL);
		job_free(j);
	}
	while ((j = TAILQ_FIRST(&r->pending))) {
		TAILQ_REMOVE(&r->pending, j, link);
		job_free(j);
	}
	free(r);
}
