/* The VRRP state machine: see vrrp_fsm.h. */
#include "config.h"

#include <string.h>

#include "vrrp/vrrp_fsm.h"

/* What a backup heard last: decides the reason of its takeover. */
enum { HEARD_NONE, HEARD_MASTER, HEARD_LOWER, HEARD_ZERO };

uint64_t
vrrp_fsm_skew_us(const struct vrrp_fsm *f)
{
	if (f->conf.version == 2) /* RFC 3768: (256 - Priority) / 256 seconds */
		return (uint64_t)(256 - f->priority) * 1000000 / 256;
	return (uint64_t)(256 - f->priority) * f->master_advert_ms * 1000 / 256;
}

uint64_t
vrrp_fsm_master_down_us(const struct vrrp_fsm *f)
{
	return 3 * (uint64_t)f->master_advert_ms * 1000 + vrrp_fsm_skew_us(f);
}

void
vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_conf *c)
{
	memset(f, 0, sizeof(*f));
	f->conf = *c;
	f->state = VRRP_INIT;
	f->priority = c->priority;
	f->master_advert_ms = c->advert_ms;
}

static void
out_reset(struct vrrp_fsm_out *out, const struct vrrp_fsm *f)
{
	memset(out, 0, sizeof(*out));
	out->from = out->to = f->state;
}

static void
go(struct vrrp_fsm *f, enum vrrp_st to, enum vrrp_why why, struct vrrp_fsm_out *out)
{
	out->actions |= VRRP_ACT_TRANSITION;
	out->from = f->state;
	out->to = to;
	out->why = why;
	f->state = to;
}

static void
send(struct vrrp_fsm *f, uint64_t now, uint8_t priority, struct vrrp_fsm_out *out)
{
	out->actions |= VRRP_ACT_SEND;
	out->priority = priority;
	f->advert_at = now + (uint64_t)f->conf.advert_ms * 1000;
}

static void
to_master(struct vrrp_fsm *f, uint64_t now, enum vrrp_why why, struct vrrp_fsm_out *out)
{
	go(f, VRRP_MASTER, why, out);
	out->actions |= VRRP_ACT_ADD_VIPS | VRRP_ACT_ANNOUNCE;
	send(f, now, f->priority, out);
	f->master_down_at = 0;
	f->stale_vips = false; /* they are ours now */
	f->yielded = false;    /* took over by itself */
	f->resigning = false;
	f->resign_until = 0;
	f->heard = HEARD_NONE;
}

static void
arm_master_down(struct vrrp_fsm *f, uint64_t now)
{
	f->master_down_at = now + vrrp_fsm_master_down_us(f);
}

static void
to_backup(struct vrrp_fsm *f, uint64_t now, enum vrrp_why why, struct vrrp_fsm_out *out)
{
	if (f->state == VRRP_MASTER)
		out->actions |= VRRP_ACT_DEL_VIPS;
	go(f, VRRP_BACKUP, why, out);
	f->advert_at = 0;
	f->resigning = false;
	f->resign_until = 0;
	f->heard = HEARD_NONE;
	arm_master_down(f, now);
}

void
vrrp_fsm_start(struct vrrp_fsm *f, uint64_t now, bool resume, bool stale_vips,
	       struct vrrp_fsm_out *out)
{
	out_reset(out, f);
	if (f->state != VRRP_INIT)
		return;
	f->stale_vips = stale_vips;
	if (f->faulted) {
		go(f, VRRP_FAULT, VRRP_WHY_FAULT, out);
		if (stale_vips)
			out->actions |= VRRP_ACT_DROP_STALE;
		f->stale_vips = false;
	} else if (f->priority == 255) {
		to_master(f, now, VRRP_WHY_OWNER, out);
	} else if (resume) {
		to_master(f, now, VRRP_WHY_RESUME, out);
	} else {
		to_backup(f, now, VRRP_WHY_STARTUP, out);
	}
}

/* Whether a backup may take over from a lower-priority master now. */
static bool
may_preempt(const struct vrrp_fsm *f, uint64_t now)
{
	return f->conf.preempt && !f->yielded && !f->held && f->ready &&
	       now >= f->ready_since + (uint64_t)f->conf.preempt_delay_ms * 1000;
}

static void
backup_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_fsm_advert *a,
	      struct vrrp_fsm_out *out)
{
	if (a->priority == 0) {
		f->heard = HEARD_ZERO;
		f->master_down_at = now + vrrp_fsm_skew_us(f);
		return;
	}
	if (a->priority < f->priority && may_preempt(f, now)) {
		f->heard = HEARD_LOWER; /* let the master-down timer run out */
		return;
	}
	f->heard = HEARD_MASTER;
	if (f->conf.version == 3 && a->interval_ms)
		f->master_advert_ms = a->interval_ms;
	arm_master_down(f, now);
	if (f->stale_vips) { /* a master we will not take over from: not ours */
		out->actions |= VRRP_ACT_DROP_STALE;
		f->stale_vips = false;
	}
}

static void
master_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_fsm_advert *a,
	      struct vrrp_fsm_out *out)
{
	if (f->resigning) {
		if (a->priority == 0)
			return;
		if (f->conf.version == 3 && a->interval_ms)
			f->master_advert_ms = a->interval_ms;
		to_backup(f, now, VRRP_WHY_HANDED_OVER, out);
		f->yielded = true;
		return;
	}
	if (a->priority == 0) {
		send(f, now, f->priority, out);
		return;
	}
	if (a->priority > f->priority || (a->priority == f->priority && a->addr_cmp > 0)) {
		if (f->conf.version == 3 && a->interval_ms)
			f->master_advert_ms = a->interval_ms;
		to_backup(f, now,
			  a->priority > f->priority ? VRRP_WHY_HIGHER_PRIO : VRRP_WHY_HIGHER_ADDR,
			  out);
	} else if (now >= f->reclaim_at) {
		/* a master of lower priority: the other side of a split (it took
		 * over while we were not heard: a stopped process, lost
		 * adverts).  It backs off when it hears us, so advertise now; and
		 * announce the addresses again, since the clients followed its
		 * announcements and would keep sending to it once it let go.  At
		 * most once an advertisement interval (as keepalived does). */
		send(f, now, f->priority, out);
		out->actions |= VRRP_ACT_ANNOUNCE | VRRP_ACT_RECLAIM;
		f->reclaim_at = now + (uint64_t)f->conf.advert_ms * 1000;
	}
}

void
vrrp_fsm_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_fsm_advert *a,
		struct vrrp_fsm_out *out)
{
	out_reset(out, f);
	if (f->state == VRRP_BACKUP)
		backup_advert(f, now, a, out);
	else if (f->state == VRRP_MASTER)
		master_advert(f, now, a, out);
}

void
vrrp_fsm_timer(struct vrrp_fsm *f, uint64_t now, struct vrrp_fsm_out *out)
{
	out_reset(out, f);
	if (f->state == VRRP_BACKUP && f->held && f->master_down_at && now >= f->master_down_at) {
		arm_master_down(f, now); /* its group cannot be master now */
	} else if (f->state == VRRP_BACKUP && f->master_down_at && now >= f->master_down_at) {
		to_master(f, now,
			  f->heard == HEARD_LOWER  ? VRRP_WHY_PREEMPT
			  : f->heard == HEARD_ZERO ? VRRP_WHY_RESIGNED
						   : VRRP_WHY_MASTER_DOWN,
			  out);
	} else if (f->state == VRRP_MASTER && f->resigning && f->resign_until &&
		   now >= f->resign_until) {
		f->resigning = false; /* nobody took over: the handover is off */
		f->resign_until = 0;
		out->actions |= VRRP_ACT_RESIGN_GIVEN_UP;
		send(f, now, f->priority, out);
	} else if (f->state == VRRP_MASTER && f->advert_at && now >= f->advert_at) {
		send(f, now, f->resigning ? 0 : f->priority, out);
	}
}

void
vrrp_fsm_ready(struct vrrp_fsm *f, uint64_t now, bool ready, struct vrrp_fsm_out *out)
{
	out_reset(out, f);
	if (ready && !f->ready)
		f->ready_since = now;
	if (!ready)
		f->ready_since = 0;
	f->ready = ready;
}

void
vrrp_fsm_priority(struct vrrp_fsm *f, uint64_t now, uint8_t priority, struct vrrp_fsm_out *out)
{
	out_reset(out, f);
	if (priority == 0 || f->conf.priority == 255)
		return;
	f->priority = priority == 255 ? 254 : priority;
}

void
vrrp_fsm_fault(struct vrrp_fsm *f, uint64_t now, bool fault, struct vrrp_fsm_out *out)
{
	out_reset(out, f);
	f->faulted = fault;
	if (fault && (f->state == VRRP_MASTER || f->state == VRRP_BACKUP)) {
		if (f->state == VRRP_MASTER) {
			out->actions |= VRRP_ACT_DEL_VIPS;
			send(f, now, 0, out); /* the backup takes over after its skew time */
		}
		go(f, VRRP_FAULT, VRRP_WHY_FAULT, out);
		f->advert_at = f->master_down_at = 0;
		f->resigning = false;
		f->resign_until = 0;
	} else if (!fault && f->state == VRRP_FAULT) {
		if (f->priority == 255) {
			to_master(f, now, VRRP_WHY_FAULT_CLEARED, out);
			return;
		}
		go(f, VRRP_FAULT, VRRP_WHY_NONE, out); /* from FAULT */
		to_backup(f, now, VRRP_WHY_FAULT_CLEARED, out);
	}
}

/* A master steps down for its group: priority 0, then backup. */
static void
sync_down(struct vrrp_fsm *f, uint64_t now, struct vrrp_fsm_out *out)
{
	send(f, now, 0, out); /* the peer takes over after its skew time */
	to_backup(f, now, VRRP_WHY_SYNC_GROUP, out);
}

void
vrrp_fsm_hold(struct vrrp_fsm *f, uint64_t now, bool hold, struct vrrp_fsm_out *out)
{
	out_reset(out, f);
	f->held = hold;
	if (hold && f->state == VRRP_MASTER)
		sync_down(f, now, out);
}

void
vrrp_fsm_sync_leave(struct vrrp_fsm *f, uint64_t now, struct vrrp_fsm_out *out)
{
	out_reset(out, f);
	if (f->state != VRRP_MASTER)
		return;
	sync_down(f, now, out);
	f->yielded = true;
}

bool
vrrp_fsm_resign(struct vrrp_fsm *f, uint64_t now, uint64_t limit_us, struct vrrp_fsm_out *out)
{
	out_reset(out, f);
	if (f->state != VRRP_MASTER)
		return false;
	if (f->resigning) {
		if (!limit_us)
			f->resign_until = 0;
		return false;
	}
	f->resigning = true;
	f->resign_until = limit_us ? now + limit_us : 0;
	send(f, now, 0, out);
	return true;
}

void
vrrp_fsm_shutdown(struct vrrp_fsm *f, uint64_t now, struct vrrp_fsm_out *out)
{
	out_reset(out, f);
	if (f->state == VRRP_MASTER) {
		send(f, now, 0, out);
		out->actions |= VRRP_ACT_DEL_VIPS;
	}
	if (f->stale_vips)
		out->actions |= VRRP_ACT_DROP_STALE;
	if (f->state != VRRP_INIT)
		go(f, VRRP_INIT, VRRP_WHY_SHUTDOWN, out);
	f->advert_at = f->master_down_at = 0;
	f->resigning = false;
	f->resign_until = 0;
	f->stale_vips = false;
}

uint64_t
vrrp_fsm_next_deadline(const struct vrrp_fsm *f)
{
	if (f->state == VRRP_BACKUP)
		return f->master_down_at;
	if (f->state == VRRP_MASTER && f->resigning && f->resign_until &&
	    f->resign_until < f->advert_at)
		return f->resign_until;
	if (f->state == VRRP_MASTER)
		return f->advert_at;
	return 0;
}
