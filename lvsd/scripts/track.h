/* Tracked scripts and files, in the parent: it runs each script an
 * instance references periodically (spread over the interval, as
 * global.script_user, through the script runner), applies rise and fall,
 * reads each tracked file when inotify says its directory changed and
 * every second in any case, and sends every instance's
 * verdict to the vrrp child as IPC_TRACK (see lvsd/core/ipc.h).
 *
 * keepalived's semantics: a script of weight 0 puts the instance in fault
 * while it fails; a positive weight is added while it succeeds, a
 * negative one while it fails.  A file holds an integer; the priority
 * moves by value x weight, and a total bringing the priority to 0 or below
 * is a fault.  A file that is missing or does not hold an integer counts
 * as 0 (logged once until it reads again).  A script counts as failing
 * until its first result. */
#ifndef LVSD_TRACK_H
#define LVSD_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lvsd/conf/conf.h"
#include "lvsd/scripts/track_calc.h"

struct lvsd;
struct ipc_chan;

#define TRACK_FILE_PERIOD_MS 1000

int track_init(struct lvsd *d);
/* A new configuration generation is running: scripts of the same name
 * and command keep their state. */
int track_reload(struct lvsd *d);
/* Send every instance's verdict to the vrrp child (after its configuration). */
int track_push(struct lvsd *d, struct ipc_chan *ch);
/* For lvsctl status: the verdict of instance i, and its objects in words. */
void track_verdict(const struct lvsd *d, size_t i, int32_t *delta, bool *fault);
void track_describe(const struct lvsd *d, size_t i, char *buf, size_t len);
void track_free(struct lvsd *d);

#endif
