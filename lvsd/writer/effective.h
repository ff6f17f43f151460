/* The parent's effective weight of every real server of the running
 * configuration, from its inputs: the static weight (configuration), the
 * weight child's proposal, the checkers child's health, and an operator
 * override (lvsctl weight).  The effective weight is 0 while health says
 * down; else the override when set; else the proposal when there is one;
 * else the static weight.  Every change goes to the IPVS writer
 * (writer_set_weight), which sends only what the kernel does not have.
 *
 * Real servers are addressed by (svc, rs): indices into the running
 * configuration's services[] and their rs[].  A reload carries each real
 * server's inputs to the new generation by identity (the service's IPVS
 * key and the real server's address and port), so it never resets a
 * weight; the static weight comes from the new file.  A restart brings
 * back drains, overrides, health and proposals through the state file
 * (lvsd/state): eff_restore() before the first apply. */
#ifndef LVSD_EFFECTIVE_H
#define LVSD_EFFECTIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct conf;
struct lvsd;

enum eff_health { EFF_HEALTH_UNKNOWN, EFF_HEALTH_UP, EFF_HEALTH_DOWN };

/* What status shows of one real server. */
struct eff_view {
	uint32_t static_weight;
	bool has_proposal;
	uint32_t proposal;
	enum eff_health health;
	bool has_override;
	uint32_t override;
	uint32_t effective;
	/* the checkers' last result (reason: enum chk_reason of
	 * lvsd/core/names.h, with its code and how many in a row) and
	 * when health last changed (CLOCK_MONOTONIC) */
	uint8_t check_reason;
	uint16_t check_count;
	int32_t check_code;
	struct timespec health_since;
	/* slow start: a recovered server's weight ramps from ramp_from over
	 * ramp_ms (0 when not ramping) */
	struct timespec ramp_from;
	uint32_t ramp_ms;
	uint32_t went_up, went_down; /* health changes to up, to down (kept over reloads) */
	bool drained;		     /* lvsctl drain: weight 0 until undrain, whatever its health */
	bool removed;		     /* down with on_down: remove: not in the IPVS table */
	/* health as the state file had it: no check has said anything since
	 * the restart; it weighs (a server down stays out), but is not a
	 * first result (readiness and quorums wait for one) */
	bool restored;
};

/* The state for d->conf (the first generation).  0 or -ENOMEM. */
int eff_init(struct lvsd *d);
void eff_free(struct lvsd *d);
/* d->conf is the new generation already, old the one it replaces (still
 * valid).  Real servers found in both keep their inputs.  0 or -ENOMEM
 * (the state then starts afresh from the new file). */
int eff_reload(struct lvsd *d, const struct conf *old);

/* From the IPC handlers; ids are validated against the current generation
 * by the caller (out-of-range ids are ignored here too). */
void eff_propose(struct lvsd *d, uint32_t svc, uint32_t rs, uint32_t weight);
void eff_health(struct lvsd *d, uint32_t svc, uint32_t rs, bool up);
/* The result behind the health, for status. */
void eff_check_note(struct lvsd *d, uint32_t svc, uint32_t rs, uint8_t reason, uint16_t count,
		    int32_t code);
/* The operator's override: weight 0..65535, or clear with clear = true.
 * 0, -EINVAL (no such server) or -ERANGE. */
int eff_override(struct lvsd *d, uint32_t svc, uint32_t rs, uint32_t weight, bool clear);

/* Quorum of a service: whether it is lost after this step, from whether it
 * was, the configured weight of its servers not down, and its quorum and
 * hysteresis (pure). */
bool eff_quorum_step(bool lost, uint64_t alive, uint32_t quorum, uint32_t hysteresis);
/* For status: the service has a quorum; *lost and *alive say how it stands. */
bool eff_quorum_get(const struct lvsd *d, size_t svc, bool *lost, uint64_t *alive);

/* For status: the service has a sorry server; *active: it is in. */
bool eff_sorry_get(const struct lvsd *d, size_t svc, bool *active);
/* Quorums (and their hooks) of every service, for a state known without
 * any check result (at start, once scripts can run). */
void eff_settle(struct lvsd *d);

/* What a restart brings back of one real server (the state file). */
struct eff_saved {
	bool drained;
	bool has_override;
	bool has_proposal;
	enum eff_health health;
	uint32_t override;
	uint32_t proposal;
};
/* Before the first apply: restore one server, silently (no log, no
 * write; health restored as above).  eff_restore_done() after the last
 * one: the effective weights, removals and sorry servers the first apply
 * reads. */
void eff_restore(struct lvsd *d, size_t svc, size_t rs, const struct eff_saved *s);
void eff_restore_done(struct lvsd *d);
/* A health that counts as a check's result (not unknown, not restored). */
bool eff_health_first_known(const struct eff_view *v);

/* lvsctl drain / undrain.  0 or -EINVAL (no such server). */
int eff_drain(struct lvsd *d, uint32_t svc, uint32_t rs, bool drain);

/* Slow start: recompute the ramping servers' weights (the timer calls it);
 * true while some still ramp. */
bool eff_ramp_tick(struct lvsd *d);

/* For writer_apply (table_weight_fn with arg = the struct lvsd): the
 * effective weight, TABLE_ABSENT for a removed server; the sorry server's
 * slot (rs == n_rs) is its weight while it is in, else TABLE_ABSENT. */
uint32_t eff_table_weight(void *arg, size_t svc, size_t rs, uint32_t static_weight);
/* false when (svc, rs) is out of range. */
bool eff_get(const struct lvsd *d, size_t svc, size_t rs, struct eff_view *out);

/* Ready to forward: the IPVS table of the running generation is programmed
 * (d->applied; or there is nothing to program), every checked real server
 * has its first result and every checked service has one up.  A backup
 * preempts only when ready. */
bool eff_ready(const struct lvsd *d);

/* One override line, "SERVICE SERVER WEIGHT" or "SERVICE SERVER clear"
 * (SERVICE may contain spaces: the last two words are SERVER and WEIGHT),
 * resolved against c: SERVER is ADDR, [ADDR6], ADDR:PORT or [ADDR6]:PORT
 * as configured (ADDR alone must name one server of the service).  Pure.
 * 0, or -EINVAL with the reason in why. */
struct eff_line {
	size_t svc, rs;
	uint32_t weight;
	bool clear;
};
int eff_parse_line(const struct conf *c, const char *line, struct eff_line *out, char *why,
		   size_t len);

#endif
