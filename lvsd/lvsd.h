/* The lvsd parent: one struct holds the daemon's whole state. */
#ifndef LVSD_LVSD_H
#define LVSD_LVSD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "lvsd/conf/conf.h"

struct event;
struct event_base;
struct evbuffer;
struct ipc_chan;
struct control;
struct writer;
struct eff;

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
	struct eff *eff; /* effective weights of the real servers (effective.h) */
};

/* main.c */
/* Load the configuration file again; on success swap it in, bump the
 * generation, apply it and push it to the children.  0 or -errno, with
 * the reason ("file:line:col: msg") in err. */
int lvsd_reload(struct lvsd *d, char *err, size_t len);

/* proc.c: supervision of the children */
int proc_init(struct lvsd *d);
void proc_push_all(struct lvsd *d);
/* Ask every running child for its status; returns the cookie replies carry. */
uint32_t proc_status_request(struct lvsd *d);
bool proc_status_complete(const struct lvsd *d, uint32_t cookie);
void proc_stop(struct lvsd *d);
void proc_free(struct lvsd *d);
double lvsd_since(const struct timespec *t);

/* push.c: one configuration generation, as messages, to one child */
/* Whether c fits the IPC messages (0), or -E2BIG with "file:line:col: why". */
int push_fits(const struct conf *c, char *err, size_t len);
int push_conf(struct ipc_chan *ch, enum lvsd_role role, const struct conf *c, uint64_t generation);

/* control.c: the control socket */
int control_open(struct lvsd *d, const char *path);
void control_close(struct lvsd *d);
/* a child answered a status request */
void control_status_progress(struct lvsd *d);

/* status.c */
void status_render_text(const struct lvsd *d, struct evbuffer *out);
void status_render_json(const struct lvsd *d, struct evbuffer *out);

#endif
