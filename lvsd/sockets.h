/* Sockets the parent opens for the children, which may not (sockets.c). */
#ifndef LVSD_SOCKETS_H
#define LVSD_SOCKETS_H

struct lvsd;

/* The report socket for the running configuration, bound once and kept
 * while the listen address stays the same: a descriptor the caller must
 * not close, -1 when reports are off, or -errno (logged). */
int sockets_reports(struct lvsd *d);
void sockets_close(struct lvsd *d);

#endif
