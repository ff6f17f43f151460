/* What the weight child says its proposals rest on, kept by the parent
 * for the running generation: per real server the feedback state, the
 * policy's weight and the last report's age and metrics, and the
 * receiver's counters.  lvsctl weights shows it; the history file
 * records it with every weight change the parent applies. */
#ifndef LVSD_FEEDBACK_H
#define LVSD_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lvsd/core/ipc.h"

struct lvsd;
struct evbuffer;

/* For d->conf: every real server without feedback yet (the counters
 * stay: they are the child's since it started).  0 or -ENOMEM. */
int fb_reset(struct lvsd *d);
void fb_free(struct lvsd *d);
/* A feedback message of the running generation (ids checked). */
void fb_apply(struct lvsd *d, const struct ipc_feedback *m);
/* The real server's feedback, or NULL when there is none yet. */
const struct ipc_feedback_rs *fb_get(const struct lvsd *d, uint32_t svc, uint32_t rs);
/* The receiver's counters: reports accepted and dropped by reason
 * (IPC_WT_DROPS of them), since the weight child started. */
void fb_counters(const struct lvsd *d, uint64_t *accepted, uint64_t *drops);

/* A proposal changed the effective weight of (svc, rs) from `from` to
 * `to`: append a line to the history file when one is configured. */
void fb_history(struct lvsd *d, uint32_t svc, uint32_t rs, uint32_t from, uint32_t to);

/* lvsctl weights [SERVICE] [--json]: -ENOENT when no service has that name. */
int fb_render(const struct lvsd *d, const char *service, bool json, struct evbuffer *out);

#endif
