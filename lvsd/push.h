/* One configuration generation, as messages, to one child (push.c):
 * CONF_BEGIN, the objects its role needs (by id, never by pointer),
 * CONF_END with the count; what else a child needs to know at once. */
#ifndef LVSD_PUSH_H
#define LVSD_PUSH_H

#include <stddef.h>

#include "lvsd/lvsd.h"

struct ipc_chan;

/* Whether c fits the IPC messages (0), or -E2BIG with "file:line:col: why". */
int push_fits(const struct conf *c, char *err, size_t len);
int push_conf(struct lvsd *d, struct ipc_chan *ch, enum lvsd_role role);
/* Whether the director is ready to forward, to the vrrp child. */
int push_ready(struct lvsd *d, struct ipc_chan *ch);
/* Health to the weight child: all known, after a generation (results.c
 * sends each change). */
int push_health_all(struct lvsd *d, struct ipc_chan *ch);

#endif
