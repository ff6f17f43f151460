/* The service manager's notification protocol (sdnotify.c): one datagram
 * per state change on the Unix socket NOTIFY_SOCKET names, written here
 * rather than linked from libsystemd (a dozen lines, and one dependency
 * fewer for a daemon that also runs without systemd).  Without
 * NOTIFY_SOCKET every call does nothing. */
#ifndef LVSD_SDNOTIFY_H
#define LVSD_SDNOTIFY_H

#include <stdbool.h>

struct lvsd;

/* Take NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment
 * (and out of it: the children must not talk to the manager) and start the
 * watchdog timer when the unit sets WatchdogSec.  0 or -errno (logged). */
int sdnotify_init(struct lvsd *d);
void sdnotify_free(struct lvsd *d);
/* READY=1 the first time the IPVS table is programmed; after a reload,
 * READY=1 again (and a fresh STATUS). */
void sdnotify_ready(struct lvsd *d);
/* RELOADING=1 with the monotonic time, before a reload. */
void sdnotify_reloading(struct lvsd *d);
void sdnotify_stopping(struct lvsd *d);
/* STATUS=, a line for a person, sent when it changed: call it whenever
 * what it says may have (VRRP states, health, a reload). */
void sdnotify_status(struct lvsd *d);

#endif
