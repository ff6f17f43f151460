/* Snapshots for the metrics child (snapshot.c): what the parent knows of
 * itself, its children, VRRP, services and real servers, sent by value on
 * the child's request once every child has answered a status request (so
 * the VRRP counters are fresh), or after a short wait for the ones that
 * do not. */
#ifndef LVSD_SNAPSHOT_H
#define LVSD_SNAPSHOT_H

#include <stdint.h>

struct lvsd;

/* The metrics child asked for one (IPC_SNAP_REQ). */
void snapshot_request(struct lvsd *d, uint32_t cookie);
/* A child answered a status request: a snapshot may be due (the
 * status_progress hook calls it). */
void snapshot_progress(struct lvsd *d);
void snapshot_free(struct lvsd *d);

#endif
