/* The parent's script runner: operator scripts (track and notify), never
 * in a process that parses network input.  Each runs as global.script_user
 * in a process group of its own (setsid), stdin and stdout on /dev/null,
 * with a clean environment; at its timeout the whole group gets SIGTERM,
 * then SIGKILL a second later.  The exit is an event: proc.c's SIGCHLD
 * handler hands every pid that is not a child role to script_reaped(), and
 * the job's callback says how it ended.  At most max_running at once; the
 * others wait in order, and jobs sharing a non-zero serial key run one
 * after another (notify scripts of one instance keep their order).
 *
 * The pure pieces (command splitting, picking the next job, describing a
 * result) are exported for the unit tests. */
#ifndef LVSD_SCRIPT_H
#define LVSD_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct event_base;
struct script_runner;

#define SCRIPT_MAX_RUNNING 16 /* concurrent scripts, the rest queued */
#define SCRIPT_ARGV_MAX 32
#define SCRIPT_KILL_GRACE_MS 1000 /* SIGTERM, then SIGKILL after this */

enum script_end {
	SCRIPT_EXITED,	 /* code: the exit status */
	SCRIPT_SIGNALED, /* code: the signal */
	SCRIPT_TIMEOUT,	 /* killed at its timeout */
	SCRIPT_NOSTART,	 /* code: the errno of fork() */
};

struct script_result {
	enum script_end how;
	int code;
};

typedef void (*script_cb)(void *arg, const struct script_result *res);

int script_runner_new(struct event_base *base, unsigned max_running, struct script_runner **out);
/* Kill every running group (SIGKILL) and forget every job. */
void script_runner_free(struct script_runner *r);
/* Run the scripts as user (its uid, gid and groups, looked up now):
 * 0 or -errno (-ENOENT when there is no such user). */
int script_runner_user(struct script_runner *r, const char *user);

/* Queue argv[0..] (copied) with a timeout; cb(arg) gets the result, never
 * from inside this call.  *id (may be NULL) names the job for
 * script_forget().  0 or -errno (-E2BIG for too many arguments). */
int script_run(struct script_runner *r, char *const *argv, uint32_t timeout_ms, uint64_t serial,
	       script_cb cb, void *arg, uint64_t *id);
/* The same with a command line split by script_split(). */
int script_run_cmd(struct script_runner *r, const char *cmd, uint32_t timeout_ms, uint64_t serial,
		   script_cb cb, void *arg, uint64_t *id);
/* Never call back for job id (it runs on, to its end or its timeout). */
void script_forget(struct script_runner *r, uint64_t id);
/* A child process ended: true when it was one of ours. */
bool script_reaped(struct script_runner *r, pid_t pid, int status);
unsigned script_running(const struct script_runner *r);

/* pure */
/* Split cmd on blanks into argv (NULL-terminated, at most max - 1
 * words) inside buf: 'single' and "double" quotes, backslash escapes.
 * The number of words, or -EINVAL (unbalanced quote, no word), -E2BIG. */
int script_split(const char *cmd, char **argv, size_t max, char *buf, size_t len);
/* Which pending job may start now: the first whose serial key (0: none)
 * is neither running nor held by an earlier pending job, while fewer than
 * max run.  Its index, or -1. */
int script_pick(const uint64_t *pending, size_t n_pending, const uint64_t *running,
		size_t n_running, unsigned max);
/* "exited with status 1", "killed by signal 9", "timed out", ... */
const char *script_result_str(const struct script_result *res, char *buf, size_t len);
static inline bool
script_ok(const struct script_result *res)
{
	return res->how == SCRIPT_EXITED && res->code == 0;
}

#endif
