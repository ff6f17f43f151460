/* The lvsd parent: one struct holds the daemon's whole state; each room
 * keeps its own part behind a pointer, declared in the room's header.  The
 * hooks are main's: the way a room calls up. */
#ifndef LVSD_LVSD_H
#define LVSD_LVSD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "lvsd/conf/conf.h"
#include "lvsd/core/ipc.h"

struct lvsd;
struct event;
struct event_base;
struct evbuffer;
struct ipc_chan;
struct control;
struct writer;
struct drill;
struct eff;
struct script_runner;
struct track;
struct ipc_health_rs;
struct state;

/* The metrics child runs only while global.metrics is set. */
enum lvsd_role { LVSD_VRRP, LVSD_CHECKERS, LVSD_WEIGHT, LVSD_METRICS, LVSD_N_ROLES };

struct lvsd_child {
	struct lvsd *d;
	enum lvsd_role role;
	const char *name;
	pid_t pid; /* 0 while not running */
	struct ipc_chan *ch;
	struct timespec started; /* CLOCK_MONOTONIC */
	unsigned restarts;
	char last_exit[96];  /* why the last one ended; "" if none */
	uint32_t backoff_ms; /* delay before the next restart */
	struct event *restart_ev;
	/* what the child told us */
	uint64_t acked_generation;
	uint32_t n_objects;
	uint32_t status_cookie; /* cookie of its last STATUS reply */
	unsigned long stale;	/* results for another generation, dropped */
};

/* What the vrrp child last said of one instance of the running generation. */
struct lvsd_vrrp {
	char name[CONF_NAME_MAX]; /* the instance's, to carry the state over a reload */
	bool known; /* it said something */
	uint8_t state; /* enum ipc_vrrp_st */
	uint8_t priority;
	uint8_t why; /* enum vrrp_why of the last transition */
	struct timespec since; /* CLOCK_MONOTONIC */
	struct ipc_vrrp_state last; /* the child's last report, counters included */
};

/* The calls that run up to main, which installs them before the loop
 * starts: a room never includes the header of a room above it (the
 * control socket's reload, a child's answer that completes a status
 * request).  Unset (NULL) hooks are skipped: unit tests leave them so. */
struct lvsd_hooks {
	/* Load the configuration file again (lvsctl reload): 0, or -errno
	 * with the reason ("file:line:col: msg") in err.  confirm_s > 0: on
	 * trial for that long (reload --confirm, confirm.h). */
	int (*reload)(struct lvsd *d, uint32_t confirm_s, char *err, size_t len);
	/* What loading file (NULL: the running one's path) would change,
	 * applying nothing (reload --dry-run): 0, or -errno with the reason
	 * in err. */
	int (*preview)(struct lvsd *d, const char *file, struct evbuffer *out, char *err,
		       size_t len);
	/* A reload on trial broke something, or was not confirmed in time:
	 * the configuration before goes in again (confirm.h). */
	void (*rollback)(struct lvsd *d, const char *why);
	/* A child answered a status request, or one ended: status replies
	 * that wait for every child may be complete. */
	void (*status_progress)(struct lvsd *d);
	/* The vrrp child reported a transition: a handover may be complete. */
	void (*vrrp_progress)(struct lvsd *d);
	/* Health changed: judge readiness (for the vrrp child) and the
	 * announced routes again. */
	void (*judge)(struct lvsd *d);
	/* A check the parent runs itself (type script) has a result. */
	void (*health)(struct lvsd *d, const struct ipc_health_rs *h);
	/* The metrics child asked for a snapshot (snapshot.h). */
	void (*snapshot)(struct lvsd *d, uint32_t cookie);
};

struct lvsd {
	struct event_base *base;
	char conf_path[CONF_PATH_MAX];
	bool foreground;
	bool debug;
	struct conf *conf;   /* the running configuration; never NULL after start */
	uint64_t generation; /* 1 for the first load, +1 per successful reload */
	time_t loaded_at;    /* wall clock */
	unsigned reloads_ok;
	unsigned reloads_failed;
	char last_reload_error[CONF_PATH_MAX + CONF_ERR_MAX + 32];
	struct timespec started; /* CLOCK_MONOTONIC */
	struct lvsd_child child[LVSD_N_ROLES];
	struct event *ev_chld, *ev_hup, *ev_term, *ev_int, *ev_stop;
	bool stopping;
	struct control *ctl;
	struct writer *ipvs; /* the single writer of the kernel's IPVS table */
	uint32_t status_cookie;
	int self_fd; /* the lvsd binary, executed again for each child */
	bool applied; /* the running generation's IPVS table is programmed */
	struct lvsd_vrrp *vrrp; /* one per instance of the running generation */
	int reports_fd;		/* the report socket handed to the weight child, or -1 */
	struct conf_sockaddr reports_bound; /* where reports_fd is bound */
	int metrics_fd;			    /* the metrics listener, or -1 */
	struct conf_sockaddr metrics_bound; /* where metrics_fd is bound */
	struct snapshot *snap; /* the metrics child's snapshot request (snapshot.h) */
	struct eff *eff; /* effective weights of the real servers (writer/effective.h) */
	struct feedback *fb; /* the weight child's feedback (feedback/feedback.h) */
	struct drill *drill; /* VRRP transitions and handovers (drill/drill.h) */
	struct chkscript *chkscript; /* script health checks (scripts/chkscript.h) */
	struct script_runner *scripts; /* operator scripts (scripts/script.h) */
	struct track *track;	       /* tracked scripts and files (scripts/track.h) */
	struct announce *ann;	       /* VIP routes for ECMP (announce/announce.h) */
	struct state *state;	       /* kept across restarts (state/state.h) */
	uint8_t *group_state; /* per sync group: the state notified last, 0xff none */
	size_t n_group_state;
	struct event *ev_ready; /* readiness and announcements judged once per loop */
	struct sdnotify *sdn;	/* the service manager's socket (sdnotify.h), or NULL */
	/* reload --confirm (confirm.h): the generation before, kept to roll
	 * back to, until lvsctl confirm or the deadline */
	struct confirm *confirm;
	struct timespec confirm_deadline; /* CLOCK_MONOTONIC; 0 when none waits */
	struct lvsd_hooks hooks; /* installed by main */
};

#endif
