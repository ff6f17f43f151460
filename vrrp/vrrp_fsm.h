/* The VRRP state machine of one instance (RFC 5798 section 6.4, with
 * RFC 3768's timers for version 2), as a pure function of (state, event,
 * clock): no I/O, no timers of its own.  The caller feeds it events with
 * the current time, performs the actions it returns (send an
 * advertisement, add or remove the virtual addresses, announce them) and
 * arms one timer for vrrp_fsm_next_deadline().  Unit tests drive it with a
 * fake clock.
 *
 * Beyond the RFC, for a director pair:
 * - readiness: a backup preempts a lower-priority master only once the
 *   caller says it is ready to forward (its IPVS table programmed, its
 *   first health results in) and preempt_delay has passed since it became
 *   ready; without a master it takes over whether ready or not;
 * - resign (a planned handover, or SIGTERM): the master advertises
 *   priority 0 but keeps its addresses until it hears the new master, then
 *   lets go (make-before-break); after a resign it does not preempt back
 *   until it has taken over again by itself or is restarted.  A resign
 *   with a limit that hears no new master by then is given up: the master
 *   advertises its own priority again, so a backup that turns up later
 *   does not take over a handover nobody waits for any more;
 * - resume: a restarted process that was master a moment ago (the parent
 *   remembers) starts as master at once, so the peer sees no transition;
 * - stale addresses: a process that finds its virtual addresses still on
 *   the interface at start keeps them only if it becomes master; the
 *   first advertisement from a master it will not preempt removes them;
 * - fault: a tracked interface down (or a forced fault) leaves master or
 *   backup for FAULT, without addresses, sending nothing.
 */
#ifndef VRRP_FSM_H
#define VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "lvsd/core/names.h"

/* What the caller must do after a step, in this order: add the addresses,
 * announce them, send, then remove addresses. */
enum {
	VRRP_ACT_ADD_VIPS = 1 << 0,   /* put the virtual addresses on the interface */
	VRRP_ACT_ANNOUNCE = 1 << 1,   /* gratuitous ARP / unsolicited NA, repeated as configured */
	VRRP_ACT_SEND = 1 << 2,	      /* send an advertisement with out->priority */
	VRRP_ACT_DEL_VIPS = 1 << 3,   /* remove them */
	VRRP_ACT_TRANSITION = 1 << 4, /* state changed: out->from, out->to, out->why */
	VRRP_ACT_DROP_STALE = 1 << 5, /* remove addresses found at start (see above) */
	VRRP_ACT_RESIGN_GIVEN_UP = 1 << 6, /* no new master heard within the resign's
					      limit: still master, own priority sent */
	VRRP_ACT_RECLAIM = 1 << 7,	   /* with ANNOUNCE: a lower master was heard; the
					      announcements outlast a neighbour's locktime */
};

struct vrrp_fsm_conf {
	uint8_t version;	  /* 2 or 3 */
	uint8_t priority;	  /* configured, 1..255 */
	bool preempt;
	uint32_t advert_ms;	  /* our advertisement interval */
	uint32_t preempt_delay_ms;
};

struct vrrp_fsm {
	struct vrrp_fsm_conf conf;
	enum vrrp_st state;
	uint8_t priority;	      /* effective (tracking may change it), 1..255 */
	uint32_t master_advert_ms;    /* the master's interval, as learnt (v3) */
	uint64_t master_down_at;      /* backup: deadline, 0 when not armed (us) */
	uint64_t advert_at;	      /* master: next advertisement (us) */
	uint64_t ready_since;	      /* when ready became true; 0 while not ready */
	uint64_t resign_until;	      /* resigning: when to give up (us), 0 never */
	uint64_t reclaim_at;	      /* master: a lower master heard is answered from then */
	bool ready;
	bool resigning;		      /* master handing over: priority 0, addresses kept */
	bool yielded;		      /* resigned: no preempting back */
	bool stale_vips;	      /* addresses found at start, not yet ours */
	bool faulted;		      /* a tracked object is down */
	bool held;		      /* a sync group member is in fault: no takeover */
	uint8_t heard;		      /* backup: what the last advertisement said (vrrp_fsm.c) */
};

/* A received advertisement, already checked (TTL, checksum, VRID, addresses). */
struct vrrp_fsm_advert {
	uint8_t priority;
	uint32_t interval_ms;
	int addr_cmp; /* the sender's address compared with ours: <0, 0, >0 */
};

struct vrrp_fsm_out {
	unsigned actions;
	uint8_t priority; /* of the advertisement to send */
	enum vrrp_st from, to;
	enum vrrp_why why;
};

/* A new instance in INIT. */
void vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_conf *c);

/* Start: to MASTER at once when the address owner (255) or when resuming,
 * else to BACKUP with the master-down timer armed.  stale_vips says the
 * addresses were found on the interface. */
void vrrp_fsm_start(struct vrrp_fsm *f, uint64_t now, bool resume, bool stale_vips,
		    struct vrrp_fsm_out *out);
/* An advertisement for this instance arrived. */
void vrrp_fsm_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_fsm_advert *a,
		     struct vrrp_fsm_out *out);
/* The caller's timer fired (or any time): act on every deadline passed. */
void vrrp_fsm_timer(struct vrrp_fsm *f, uint64_t now, struct vrrp_fsm_out *out);
/* Ready to forward, or not any more. */
void vrrp_fsm_ready(struct vrrp_fsm *f, uint64_t now, bool ready, struct vrrp_fsm_out *out);
/* The effective priority changed (tracking); 1..254 (255 stays the owner's). */
void vrrp_fsm_priority(struct vrrp_fsm *f, uint64_t now, uint8_t priority,
		       struct vrrp_fsm_out *out);
/* A tracked object failed (true) or every one is fine again (false). */
void vrrp_fsm_fault(struct vrrp_fsm *f, uint64_t now, bool fault, struct vrrp_fsm_out *out);
/* Sync groups (the caller knows the members):
 * - hold: while another member of the group is in FAULT, a master goes to
 *   BACKUP (advertising priority 0 so the peer takes over at once) and a
 *   backup takes over neither on master-down nor by preempting; released
 *   with hold false, it goes on as a backup does;
 * - leave: another member went from MASTER to BACKUP: a master follows
 *   (priority 0 sent) and does not preempt back until it takes over by
 *   itself, like after a resign. */
void vrrp_fsm_hold(struct vrrp_fsm *f, uint64_t now, bool hold, struct vrrp_fsm_out *out);
void vrrp_fsm_sync_leave(struct vrrp_fsm *f, uint64_t now, struct vrrp_fsm_out *out);
/* Planned handover: a master resigns, make-before-break, giving up after
 * limit_us without a new master (0: never; a SIGTERM waits on its own
 * deadline).  No effect in another state, nor when already resigning
 * (returns false), except that a resign without a limit lifts the limit
 * of the one in progress. */
bool vrrp_fsm_resign(struct vrrp_fsm *f, uint64_t now, uint64_t limit_us,
		     struct vrrp_fsm_out *out);
/* Stop now: a master sends priority 0 and removes its addresses. */
void vrrp_fsm_shutdown(struct vrrp_fsm *f, uint64_t now, struct vrrp_fsm_out *out);

/* The earliest deadline to wake up for, or 0 for none. */
uint64_t vrrp_fsm_next_deadline(const struct vrrp_fsm *f);
/* Skew time and master-down interval for the current master interval (us). */
uint64_t vrrp_fsm_skew_us(const struct vrrp_fsm *f);
uint64_t vrrp_fsm_master_down_us(const struct vrrp_fsm *f);


#endif
