/* What an operator set and what the directors learnt, kept across
 * restarts: the state file under the runtime directory (beside the
 * control socket: /run/lvsd/lvsd.state), and the parent's copy of the
 * weight child's state.
 *
 * Kept per real server: the drain, the weight override, the last health,
 * the weight last proposed and the weight child's state (anti-replay
 * record, last report, the policy's smoothed inputs, trim and feedback
 * state: struct ipc_wt_rs); and the director drain.  The parent holds the
 * weight child's state as the child sends it (after every burst of
 * reports and every round) and hands it back to a child it restarts, so a
 * restarted child refuses every report the old one accepted and proposes
 * what the old one would have.  The file is read once at start, before
 * the first IPVS write; entries whose service or real server is no longer
 * configured are dropped.  It is written whole, to a temporary file then
 * renamed over the old one, never on every change: within STATE_SOON_MS of
 * an operator's change or a health change, within STATE_LAZY_MIN_MS to
 * STATE_LAZY_MAX_MS of learnt state changing, a slice of STATE_SLICE
 * servers per turn of the event loop; and once more, whole, when lvsd
 * stops.  A damaged, foreign
 * or other-version file is logged and ignored.  The codec is
 * state_file.h. */
#ifndef LVSD_STATE_H
#define LVSD_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "lvsd/core/ipc.h"

struct lvsd;
struct conf;
struct evbuffer;
struct json;
struct ipc_chan;

#define STATE_SOON_MS 100 /* an operator's change, a health change */
/* what the weight child learnt: written after 50 times the last write's
 * busy time (the CPU time of its slices), so writing takes at most 2% of
 * the parent's CPU, within these bounds */
#define STATE_LAZY_MIN_MS 500
#define STATE_LAZY_MAX_MS 10000
#define STATE_SLICE 1024 /* real servers encoded and written per turn of the loop */

/* The state for d->conf, kept in path (NULL: none kept).  0 or -ENOMEM. */
int state_init(struct lvsd *d, const char *path);
void state_free(struct lvsd *d);
/* At start, after eff_init() and before the first apply and the first
 * announce_reset(): what the file holds for the servers configured now,
 * back into the effective weights, the director drain and the weight
 * child's copy.  Logs what it restored and what it dropped; a missing,
 * damaged or foreign file changes nothing. */
void state_load(struct lvsd *d);
/* The loop runs: writes may start.  0 or -ENOMEM. */
int state_start(struct lvsd *d);
/* Something kept changed: soon for an operator's change or health, else
 * the weight child's learning.  Coalesced: one write covers them all. */
void state_touch(struct lvsd *d, bool soon);
/* A new generation runs (d->conf); old, the one it replaced, is still
 * valid: the weight child's state carried by identity.  0 or -ENOMEM. */
int state_reload(struct lvsd *d, const struct conf *old);
/* What the weight child learnt (an IPC_WT_STATE of the running
 * generation, ids checked). */
void state_wt_apply(struct lvsd *d, const struct ipc_wt_state *m);
/* To a weight child started a moment ago, inside its first generation:
 * the state it had, as IPC_WT_RESTORE messages (*n counts them).
 * 0 or -errno (a send failed). */
int state_wt_push(struct lvsd *d, struct ipc_chan *ch, uint32_t *n);
/* lvsd stops: the whole file now, whatever is pending (the loop is
 * over).  0 or -errno (logged). */
int state_save(struct lvsd *d);

/* What the writes cost (a bench reads it; status shows it). */
struct state_stats {
	uint64_t writes, failures;
	double write_ms;	     /* the last write, from its start to the rename */
	double longest_slice_ms;     /* its longest slice: the loop held at most this long */
	double longest_slice_cpu_ms; /* the same in CPU time (a busy host inflates the wall) */
	double busy_ms;		     /* the CPU time of its slices, summed */
	size_t bytes, records;
};
void state_stats_get(const struct lvsd *d, struct state_stats *out);

/* status: a line, and the member "state" */
void state_status_text(const struct lvsd *d, struct evbuffer *out);
void state_status_json(const struct lvsd *d, struct json *j);

#endif
