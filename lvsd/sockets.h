/* Sockets the parent opens for the children, which may not (sockets.c). */
#ifndef LVSD_SOCKETS_H
#define LVSD_SOCKETS_H

struct lvsd;

/* The report socket for the running configuration, bound once and kept
 * while the listen address stays the same: a descriptor the caller must
 * not close, -1 when reports are off, or -errno (logged). */
int sockets_reports(struct lvsd *d);
void sockets_close(struct lvsd *d);
/* The metrics listener (TCP) for the running configuration, the same way:
 * a descriptor, -1 when metrics are off, or -errno (logged). */
int sockets_metrics(struct lvsd *d);
void sockets_metrics_close(struct lvsd *d);

#endif
