/* The runtime every child shares.
 *
 * A child is the lvsd binary executed again by the parent with argv[0]
 * "lvsd: ROLE" and its channel on descriptor 3 (so it shares neither the
 * parent's address layout nor a copy of its heap).  child_boot() reads the
 * parent's IPC_HELLO, drops privileges for the role, sets the parent-death
 * signal and checks the parent is still the one that started it, then
 * runs the role.  child_run() is the event loop with the configuration
 * protocol (CONF_BEGIN, objects, CONF_END, answered by CONF_ACK) and
 * STATUS_REQ/STATUS; a role supplies what it does with each object of a
 * generation and may send results with child_send().
 */
#ifndef LVSD_CHILD_H
#define LVSD_CHILD_H

#include <stdbool.h>
#include <stdint.h>

#include "lvsd/core/ipc.h"

#define CHILD_FD 3 /* the channel to the parent, in every child */
#define CHILD_ARGV0_PREFIX "lvsd: "

struct child;
struct event_base;

struct child_role {
	const char *name;
	uint32_t accept; /* bit (1 << type) for each IPC_CONF_* object type the role takes */
	void *state;
	/* the loop exists: set up the role's own events (may be NULL) */
	int (*start)(void *state, struct child *c, struct event_base *base);
	/* a new generation starts: forget the staged one */
	void (*begin)(void *state, uint64_t generation);
	/* one object of the staged generation: 1 if the role holds it, 0 if
	 * it only takes note, -errno when it is unusable (a protocol error).
	 * It may take msg->fd. */
	int (*object)(void *state, struct ipc_msg *msg);
	/* the staged generation is complete: install it */
	void (*commit)(void *state, uint64_t generation);
	/* the loop is over: release what start set up (may be NULL) */
	void (*stop)(void *state);
	/* bit (1 << type) for each other parent message the role takes, and
	 * what it does with one (may be NULL) */
	uint32_t accept_msgs;
	void (*message)(void *state, struct ipc_msg *msg);
	/* a status request: send what the parent should know first (may be NULL) */
	void (*status)(void *state);
	/* SIGTERM: true when the role finishes by itself and calls
	 * child_exit(); false (or NULL) to stop at once */
	bool (*term)(void *state);
};

/* How a role is started: its name (argv[0] is "lvsd: " name), the
 * capabilities it keeps (PRIVDROP_CAP bits), the signal it gets when the
 * parent dies (SIGKILL for a role whose kernel state must outlive it
 * untouched, SIGTERM for one that may clean up), and its main. */
struct child_entry {
	const char *name;
	uint64_t caps;
	int pdeath_sig; /* what it gets when the parent dies */
	int (*main)(int fd);
};

/* In a freshly executed child: everything up to running e->main on the
 * channel.  Returns the process exit code. */
int child_boot(const struct child_entry *e);

/* Run a child on its channel until the parent goes away or SIGTERM;
 * returns the process exit code. */
int child_run(const struct child_role *role, int fd);

/* End the loop: the process exits with code. */
void child_exit(struct child *c, int code);
/* Send a message to the parent: 0 or -errno. */
int child_send(struct child *c, uint32_t type, const void *payload, size_t len);
/* The generation installed last (0 before the first). */
uint64_t child_generation(const struct child *c);

/* The roles, one per folder. */
int vrrp_main(int fd);
int chk_main(int fd);
int wt_main(int fd);
int metrics_main(int fd);

#endif
