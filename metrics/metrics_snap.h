/* A snapshot of what the parent knows, as the metrics child holds it: the
 * frames of one IPC_SNAP_BEGIN .. IPC_SNAP_END sequence gathered and
 * checked (pure: no I/O, unit-tested and fuzzed through the IPC decoder).
 * The child keeps the last complete snapshot and renders it for every
 * scrape until a newer one is complete. */
#ifndef METRICS_SNAP_H
#define METRICS_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lvsd/core/ipc.h"

/* What one snapshot may announce, at most: BEGIN's counts size the arrays
 * before any element came, so they are bounded like the elements are. */
#define METRICS_SNAP_MAX_VRRP 65536
#define METRICS_SNAP_MAX_SVC 1000000
#define METRICS_SNAP_MAX_RS 2000000

struct metrics_snap {
	struct ipc_snap_begin head;
	struct ipc_snap_vrrp *vrrp;
	struct ipc_snap_svc *svc;
	struct ipc_snap_rs *rs;
	size_t n_vrrp, n_svc, n_rs; /* received so far */
	bool complete;
};

/* Forget everything (after a failed assembly too). */
void metrics_snap_clear(struct metrics_snap *s);
/* One frame of a snapshot in the making: BEGIN starts it afresh, the
 * objects follow in order (VRRP, services, real servers), END completes it.
 * 1 when the snapshot is complete (after END), 0 when more is to come,
 * -EBADMSG when the frames break the sequence (counts above the maxima,
 * wrong order, more elements than BEGIN announced, a real server naming a
 * service not sent, an END before all came or with another cookie),
 * -ENOMEM.  On an error the snapshot is cleared. */
int metrics_snap_frame(struct metrics_snap *s, const struct ipc_msg *m);

#endif
