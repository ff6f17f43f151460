/* What the children report, into the parent's state (results.c): health
 * results and weight proposals for real servers (to the effective
 * weights), the weight child's feedback, VRRP state changes per instance. */
#ifndef LVSD_RESULTS_H
#define LVSD_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "lvsd/lvsd.h"

struct ipc_msg;
struct ipc_health_rs;
struct ipc_weight;
struct ipc_vrrp_state;

/* Judge a result message (HEALTH, WEIGHTS, FEEDBACK, WT_STATE, VRRP_STATE) from
 * child role from against the running configuration c of generation
 * generation: 1 to apply it, 0 when it is for another generation (drop and
 * count), -EPROTO when that child may not send it, -EINVAL when it names
 * objects the generation does not have or carries values out of range.
 * Pure. */
int results_judge(const struct conf *c, uint64_t generation, enum lvsd_role from,
		  const struct ipc_msg *m);
/* Apply a message results_judge() accepted. */
void results_apply(struct lvsd *d, const struct ipc_msg *m);
/* one entry of an accepted message */
void lvsd_health(struct lvsd *d, const struct ipc_health_rs *h);
/* A check result as status and the log say it ("status 503", "refused",
 * "error: Connection timed out", "TLS failure: ..."). */
const char *lvsd_check_reason(uint8_t reason, int32_t code, char *buf, size_t len);
void lvsd_weight(struct lvsd *d, const struct ipc_weight *w);
/* Health changed: judge readiness (for the vrrp child) and the announced
 * routes again (the judge hook), once per turn of the event loop however
 * many results the turn brought (a first round of 10,000 checks is one
 * judgement, not 10,000 scans of every server). */
void lvsd_ready_soon(struct lvsd *d);
void lvsd_vrrp_state(struct lvsd *d, const struct ipc_vrrp_state *v);
/* a new generation (of the old one's n_old instances) is running: each
 * instance keeps what was known of the one of its name.  0 or -ENOMEM */
int lvsd_results_reset(struct lvsd *d, size_t n_old);
void lvsd_results_free(struct lvsd *d);

#endif
