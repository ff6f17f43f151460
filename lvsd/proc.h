/* Supervision of the children (proc.c): fork each and execute the lvsd
 * binary again as "lvsd: ROLE", relay their messages, restart the ones that
 * die with back-off, reap them on SIGCHLD, stop them all on request. */
#ifndef LVSD_PROC_H
#define LVSD_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "lvsd/lvsd.h"


/* SIGCHLD, the stop timer, and every child started: 0 or -errno. */
int proc_init(struct lvsd *d);
/* The running generation to every child (after a reload). */
void proc_push_all(struct lvsd *d);
/* Tell the vrrp child whether the director is ready to forward now. */
void proc_ready(struct lvsd *d);
/* Ask every running child for its status; returns the cookie replies carry. */
uint32_t proc_status_request(struct lvsd *d);
bool proc_status_complete(const struct lvsd *d, uint32_t cookie);
/* SIGTERM every child (SIGKILL after a grace); the loop ends once all are
 * gone.  d->stopping is set by the caller. */
void proc_stop(struct lvsd *d);
/* Whether the running configuration wants the role's child (the metrics
 * child runs only while metrics are on). */
bool proc_wanted(const struct lvsd *d, enum lvsd_role role);
void proc_free(struct lvsd *d);

#endif
