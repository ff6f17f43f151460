/* The quorum hooks of services (quorum.c). */
#ifndef LVSD_SCRIPTS_QUORUM_H
#define LVSD_SCRIPTS_QUORUM_H

#include <stdbool.h>
#include <stddef.h>

struct lvsd;

/* Service svc's quorum is held (up) or lost: run its quorum_up or
 * quorum_down command; first: its first state known since start. */
void quorum_hook(struct lvsd *d, size_t svc, bool up, bool first);

#endif
