/* The lvsd parent: one struct holds the daemon's whole state. */
#ifndef LVSD_LVSD_H
#define LVSD_LVSD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "lvsd/conf/conf.h"
#include "lvsd/core/ipc.h"

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

enum lvsd_role { LVSD_VRRP, LVSD_CHECKERS, LVSD_WEIGHT, LVSD_N_ROLES };

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

struct lvsd {
	struct event_base *base;
	char conf_path[CONF_PATH_MAX];
	bool foreground;
	bool debug;
	struct conf *conf;   /* the running configuration; never NULL after start */
	uint64_t generation; /* 1 for the first load, +1 per successful reload */
	time_t loaded_at;    /* wall clock */
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
	struct eff *eff; /* effective weights of the real servers (effective.h) */
	struct feedback *fb; /* the weight child's feedback (feedback.h) */
	struct drill *drill; /* VRRP transitions and handovers (drill.h) */
	struct chkscript *chkscript; /* script health checks (chkscript.c) */
	struct script_runner *scripts; /* operator scripts (script.h) */
	struct track *track;	       /* tracked scripts and files (track.h) */
	struct announce *ann;	       /* VIP routes for ECMP (announce.h) */
	uint8_t *group_state; /* per sync group: the state notified last, 0xff none */
	size_t n_group_state;
	struct event *ev_ready; /* readiness and announcements judged once per loop */
};

/* main.c */
/* Load the configuration file again; on success swap it in, bump the
 * generation, apply it and push it to the children.  0 or -errno, with
 * the reason ("file:line:col: msg") in err. */
int lvsd_reload(struct lvsd *d, char *err, size_t len);
/* Ready to forward: the IPVS table of the running generation is programmed
 * (or there is nothing to program).  A backup preempts only when ready. */
bool lvsd_ready(const struct lvsd *d);

/* proc.c: supervision of the children */
int proc_init(struct lvsd *d);
void proc_push_all(struct lvsd *d);
/* Tell the vrrp child whether the director is ready to forward now. */
void proc_ready(struct lvsd *d);
/* Ask every running child for its status; returns the cookie replies carry. */
uint32_t proc_status_request(struct lvsd *d);
bool proc_status_complete(const struct lvsd *d, uint32_t cookie);
void proc_stop(struct lvsd *d);
void proc_free(struct lvsd *d);

/* results.c: what the children report, into the parent's state */
struct ipc_msg;
struct ipc_health_rs;
struct ipc_weight;
struct ipc_vrrp_state;
/* Judge a result message (HEALTH, WEIGHTS, VRRP_STATE) from child role
 * from against the running configuration c of generation generation: 1
 * to apply it, 0 when it is for another generation (drop and count),
 * -EPROTO when that child may not send it, -EINVAL when it names objects
 * the generation does not have or carries values out of range.  Pure. */
int results_judge(const struct conf *c, uint64_t generation, enum lvsd_role from,
		  const struct ipc_msg *m);
/* Apply a message results_judge() accepted. */
void results_apply(struct lvsd *d, const struct ipc_msg *m);
/* one entry of an accepted message */
void lvsd_health(struct lvsd *d, const struct ipc_health_rs *h);
/* A check result as status and the log say it ("status 503", "refused"). */
const char *lvsd_check_reason(uint8_t reason, int32_t code, char *buf, size_t len);
void lvsd_weight(struct lvsd *d, const struct ipc_weight *w);
/* Health changed: judge readiness (for the vrrp child) and the announced
 * routes again, once per turn of the event loop however many results the
 * turn brought (a first round of 10,000 checks is one judgement, not
 * 10,000 scans of every server). */
void lvsd_ready_soon(struct lvsd *d);
void lvsd_vrrp_state(struct lvsd *d, const struct ipc_vrrp_state *v);
/* a new generation (of the old one's n_old instances) is running: each
 * instance keeps what was known of the one of its name.  0 or -ENOMEM */
int lvsd_results_reset(struct lvsd *d, size_t n_old);
void lvsd_results_free(struct lvsd *d);

/* notify.c: notify scripts of instances and sync groups */
/* The vrrp child reported a transition of instance v->instance_id. */
void notify_transition(struct lvsd *d, const struct ipc_vrrp_state *v);
/* A new generation: sync group states start again.  0 or -ENOMEM */
int notify_reset(struct lvsd *d);
void notify_free(struct lvsd *d);

/* quorum.c: the quorum hooks of services */
/* Service svc's quorum is held (up) or lost: run its quorum_up or
 * quorum_down command; first: its first state known since start. */
void quorum_hook(struct lvsd *d, size_t svc, bool up, bool first);

/* chkscript.c: health checks of type script, run by the parent */
struct chkscript;
/* (Re)start them for the running generation: 0 or -ENOMEM. */
int chkscript_reset(struct lvsd *d);
void chkscript_free(struct lvsd *d);

/* sockets.c: what the parent opens for the children */
/* The report socket for the running configuration, bound once and kept
 * while the listen address stays the same: a descriptor the caller must
 * not close, -1 when reports are off, or -errno (logged). */
int sockets_reports(struct lvsd *d);
void sockets_close(struct lvsd *d);

/* push.c: one configuration generation, as messages, to one child */
/* Whether c fits the IPC messages (0), or -E2BIG with "file:line:col: why". */
int push_fits(const struct conf *c, char *err, size_t len);
int push_conf(struct lvsd *d, struct ipc_chan *ch, enum lvsd_role role);
/* Whether the director is ready to forward, to the vrrp child. */
int push_ready(struct lvsd *d, struct ipc_chan *ch);
/* Health to the weight child: all known, after a generation (results.c
 * sends each change). */
int push_health_all(struct lvsd *d, struct ipc_chan *ch);

/* control.c: the control socket */
int control_open(struct lvsd *d, const char *path);
void control_close(struct lvsd *d);
/* a child answered a status request */
void control_status_progress(struct lvsd *d);
/* the vrrp child reported a transition (a handover may be complete) */
void control_vrrp_progress(struct lvsd *d);

/* status.c */
void status_render_text(const struct lvsd *d, struct evbuffer *out);
void status_render_json(const struct lvsd *d, struct evbuffer *out);

#endif
