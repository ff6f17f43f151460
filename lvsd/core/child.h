/* The runtime every child shares: its own event loop, the channel to the
 * parent, and the configuration protocol (CONF_BEGIN, objects, CONF_END,
 * answered by CONF_ACK) and STATUS_REQ/STATUS.  A role supplies what it
 * does with each object of a generation. */
#ifndef LVSD_CHILD_H
#define LVSD_CHILD_H

#include <stdint.h>

#include "lvsd/core/ipc.h"

struct child_role {
	const char *name;
	uint32_t accept; /* bit (1 << type) for each IPC_CONF_* object type the role takes */
	void *state;
	/* a new generation starts: forget the staged one */
	void (*begin)(void *state, uint64_t generation);
	/* one object of the staged generation: 1 if the role holds it, 0 if
	 * it only takes note, -errno when it is unusable (a protocol error) */
	int (*object)(void *state, const struct ipc_msg *msg);
	/* the staged generation is complete: install it */
	void (*commit)(void *state, uint64_t generation);
};

/* Run a child on its end of the socketpair until the parent goes away or
 * SIGTERM; returns the process exit code. */
int child_run(const struct child_role *role, int fd);

/* The roles, one per folder; forked from lvsd, never exec'd. */
int vrrp_main(int fd);
int chk_main(int fd);
int wt_main(int fd);

#endif
