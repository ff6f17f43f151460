/* The VRRP state machine with a fake clock: RFC 5798's transitions and
 * timers, version 2's, and lvsd's additions (readiness before preempting,
 * make-before-break resign, resume after a restart, stale addresses,
 * fault). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp/vrrp_fsm.h"

#define MS 1000ULL
#define S 1000000ULL

static struct vrrp_fsm
mk(uint8_t version, uint8_t prio, bool preempt, uint32_t advert_ms, uint32_t delay_ms)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_conf c = {version, prio, preempt, advert_ms, delay_ms};

	vrrp_fsm_init(&f, &c);
	return f;
}

static struct vrrp_fsm_advert
adv(uint8_t prio, uint32_t interval_ms, int cmp)
{
	return (struct vrrp_fsm_advert){prio, interval_ms, cmp};
}

/* Timers: skew and master-down for v3 (centisecond intervals) and v2. */
static void
test_timers(void **state)
{
	struct vrrp_fsm f = mk(3, 100, true, 1000, 0);

	/* v3: skew = (256 - 100) * 1 s / 256 = 609.375 ms; down = 3 s + skew */
	assert_int_equal(vrrp_fsm_skew_us(&f), 609375);
	assert_int_equal(vrrp_fsm_master_down_us(&f), 3609375);
	f = mk(3, 254, true, 100, 0);
	assert_int_equal(vrrp_fsm_skew_us(&f), 781);
	assert_int_equal(vrrp_fsm_master_down_us(&f), 300781);
	/* v2: skew in seconds whatever the interval */
	f = mk(2, 100, true, 3000, 0);
	assert_int_equal(vrrp_fsm_skew_us(&f), 609375);
	assert_int_equal(vrrp_fsm_master_down_us(&f), 9609375);
}

/* A backup with nobody else becomes master after the master-down interval,
 * adds, announces and advertises; then advertises every interval. */
static void
test_startup_master_down(void **state)
{
	struct vrrp_fsm f = mk(3, 100, true, 1000, 0);
	struct vrrp_fsm_out o;
	uint64_t t = 10 * S;

	vrrp_fsm_start(&f, t, false, false, &o);
	assert_int_equal(o.actions, VRRP_ACT_TRANSITION);
	assert_int_equal(o.from, VRRP_INIT);
	assert_int_equal(o.to, VRRP_BACKUP);
	assert_int_equal(o.why, VRRP_WHY_STARTUP);
	assert_int_equal(vrrp_fsm_next_deadline(&f), t + 3609375);
	vrrp_fsm_timer(&f, t + 3609374, &o);
	assert_int_equal(o.actions, 0);
	assert_int_equal(f.state, VRRP_BACKUP);
	vrrp_fsm_timer(&f, t + 3609375, &o);
	assert_int_equal(o.actions, VRRP_ACT_ADD_VIPS | VRRP_ACT_ANNOUNCE | VRRP_ACT_SEND |
					 VRRP_ACT_TRANSITION);
	assert_int_equal(o.to, VRRP_MASTER);
	assert_int_equal(o.why, VRRP_WHY_MASTER_DOWN);
	assert_int_equal(o.priority, 100);
	t += 3609375;
	assert_int_equal(vrrp_fsm_next_deadline(&f), t + S);
	vrrp_fsm_timer(&f, t + S, &o);
	assert_int_equal(o.actions, VRRP_ACT_SEND);
	assert_int_equal(f.state, VRRP_MASTER);
}

/* The address owner (255) is master at once. */
static void
test_owner(void **state)
{
	struct vrrp_fsm f = mk(3, 255, false, 1000, 0);
	struct vrrp_fsm_out o;

	vrrp_fsm_start(&f, S, false, false, &o);
	assert_int_equal(f.state, VRRP_MASTER);
	assert_int_equal(o.why, VRRP_WHY_OWNER);
	assert_true(o.actions & VRRP_ACT_SEND);
	/* a lower priority never moves it */
	vrrp_fsm_advert(&f, 2 * S, &(struct vrrp_fsm_advert){254, 1000, 1}, &o);
	assert_int_equal(f.state, VRRP_MASTER);
	/* two owners (a misconfiguration): the higher address wins, as the RFC says */
	vrrp_fsm_advert(&f, 3 * S, &(struct vrrp_fsm_advert){255, 1000, 1}, &o);
	assert_int_equal(f.state, VRRP_BACKUP);
}

/* A backup hearing its master resets the master-down timer, learns the
 * master's interval (v3), and never takes over. */
static void
test_backup_follows_master(void **state)
{
	struct vrrp_fsm f = mk(3, 100, true, 1000, 0);
	struct vrrp_fsm_out o;
	struct vrrp_fsm_advert a = adv(150, 100, -1);
	uint64_t t = 0;

	vrrp_fsm_start(&f, t, false, false, &o);
	for (int i = 0; i < 50; i++) {
		t += 100 * MS;
		vrrp_fsm_timer(&f, t, &o);
		assert_int_equal(o.actions, 0);
		vrrp_fsm_advert(&f, t, &a, &o);
		assert_int_equal(o.actions, 0);
	}
	assert_int_equal(f.state, VRRP_BACKUP);
	assert_int_equal(f.master_advert_ms, 100);
	/* the master goes silent: 3 x 100 ms + skew (60.9 ms) later we take over */
	assert_int_equal(vrrp_fsm_next_deadline(&f), t + 300 * MS + 60937);
	vrrp_fsm_timer(&f, t + 360 * MS, &o);
	assert_int_equal(f.state, VRRP_BACKUP);
	vrrp_fsm_timer(&f, t + 361 * MS, &o);
	assert_int_equal(f.state, VRRP_MASTER);
	assert_int_equal(o.why, VRRP_WHY_MASTER_DOWN);
}

/* Priority 0 from the master: the backup takes over after its skew time. */
static void
test_master_resigned(void **state)
{
	struct vrrp_fsm f = mk(3, 100, true, 1000, 0);
	struct vrrp_fsm_out o;

	vrrp_fsm_start(&f, 0, false, false, &o);
	vrrp_fsm_advert(&f, S, &(struct vrrp_fsm_advert){150, 1000, -1}, &o);
	vrrp_fsm_advert(&f, 2 * S, &(struct vrrp_fsm_advert){0, 1000, -1}, &o);
	assert_int_equal(vrrp_fsm_next_deadline(&f), 2 * S + 609375);
	vrrp_fsm_timer(&f, 2 * S + 609375, &o);
	assert_int_equal(f.state, VRRP_MASTER);
	assert_int_equal(o.why, VRRP_WHY_RESIGNED);
}

/* Preemption waits for readiness and the preempt delay; without preempt
 * a higher-priority backup never takes over from a live master. */
static void
test_preempt_when_ready(void **state)
{
	struct vrrp_fsm f = mk(3, 200, true, 100, 2000);
	struct vrrp_fsm_out o;
	struct vrrp_fsm_advert low = adv(100, 100, -1);
	uint64_t t = 0;

	vrrp_fsm_start(&f, t, false, false, &o);
	/* not ready: a lower-priority master keeps the addresses */
	for (int i = 0; i < 30; i++) {
		t += 100 * MS;
		vrrp_fsm_advert(&f, t, &low, &o);
		vrrp_fsm_timer(&f, t, &o);
		assert_int_equal(f.state, VRRP_BACKUP);
	}
	vrrp_fsm_ready(&f, t, true, &o);
	/* ready, but within the 2 s preempt delay */
	for (int i = 0; i < 19; i++) {
		t += 100 * MS;
		vrrp_fsm_advert(&f, t, &low, &o);
		vrrp_fsm_timer(&f, t, &o);
		assert_int_equal(f.state, VRRP_BACKUP);
	}
	/* after it: lower adverts are ignored and the master-down timer runs out */
	t += 100 * MS;
	vrrp_fsm_advert(&f, t, &low, &o); /* t = ready + 2 s: allowed */
	t += 100 * MS;
	vrrp_fsm_advert(&f, t, &low, &o);
	vrrp_fsm_timer(&f, t, &o);
	assert_int_equal(f.state, VRRP_BACKUP); /* the old deadline still stands */
	for (int i = 0; i < 4 && f.state == VRRP_BACKUP; i++) {
		t += 100 * MS;
		vrrp_fsm_advert(&f, t, &low, &o);
		vrrp_fsm_timer(&f, t, &o);
	}
	assert_int_equal(f.state, VRRP_MASTER);
	assert_int_equal(o.why, VRRP_WHY_PREEMPT);

	/* no preempt: stays backup under a lower-priority master forever */
	f = mk(3, 200, false, 100, 0);
	vrrp_fsm_start(&f, 0, false, false, &o);
	vrrp_fsm_ready(&f, 0, true, &o);
	for (t = 0; t < 10 * S; t += 100 * MS) {
		vrrp_fsm_advert(&f, t, &low, &o);
		vrrp_fsm_timer(&f, t, &o);
		assert_int_equal(f.state, VRRP_BACKUP);
	}
}

/* Split brain: two masters; the lower (priority, then address) backs off
 * at the first advertisement it hears from the other; the higher answers
 * the lower's at once and announces its addresses again (the clients
 * followed the other's announcements), at most once an interval. */
static void
test_split_brain(void **state)
{
	struct vrrp_fsm a = mk(3, 150, true, 100, 0), b = mk(3, 100, true, 100, 0);
	struct vrrp_fsm_out o;

	vrrp_fsm_start(&a, 0, true, false, &o);
	vrrp_fsm_start(&b, 0, true, false, &o);
	assert_int_equal(a.state, VRRP_MASTER);
	assert_int_equal(b.state, VRRP_MASTER);
	/* a hears b (lower): stays master, advertises and announces now */
	vrrp_fsm_advert(&a, S, &(struct vrrp_fsm_advert){100, 100, -1}, &o);
	assert_int_equal(a.state, VRRP_MASTER);
	assert_int_equal(o.actions, VRRP_ACT_SEND | VRRP_ACT_ANNOUNCE | VRRP_ACT_RECLAIM);
	assert_int_equal(o.priority, 150);
	/* not again within its advertisement interval, again after it */
	vrrp_fsm_advert(&a, S + 50 * MS, &(struct vrrp_fsm_advert){100, 100, -1}, &o);
	assert_int_equal(o.actions, 0);
	vrrp_fsm_advert(&a, S + 100 * MS, &(struct vrrp_fsm_advert){100, 100, -1}, &o);
	assert_int_equal(o.actions, VRRP_ACT_SEND | VRRP_ACT_ANNOUNCE | VRRP_ACT_RECLAIM);
	/* b hears a (higher): backs off */
	vrrp_fsm_advert(&b, S, &(struct vrrp_fsm_advert){150, 100, 1}, &o);
	assert_int_equal(b.state, VRRP_BACKUP);
	assert_int_equal(o.actions, VRRP_ACT_DEL_VIPS | VRRP_ACT_TRANSITION);
	assert_int_equal(o.why, VRRP_WHY_HIGHER_PRIO);
	/* equal priorities: the higher address wins */
	a = mk(3, 100, true, 100, 0);
	vrrp_fsm_start(&a, 0, true, false, &o);
	vrrp_fsm_advert(&a, S, &(struct vrrp_fsm_advert){100, 100, -1}, &o);
	assert_int_equal(a.state, VRRP_MASTER);
	assert_int_equal(o.actions, VRRP_ACT_SEND | VRRP_ACT_ANNOUNCE | VRRP_ACT_RECLAIM);
	vrrp_fsm_advert(&a, S, &(struct vrrp_fsm_advert){100, 100, 1}, &o);
	assert_int_equal(a.state, VRRP_BACKUP);
	assert_int_equal(o.why, VRRP_WHY_HIGHER_ADDR);
}

/* Planned handover: the master advertises priority 0, keeps its addresses
 * until it hears the new master, then lets go and does not preempt back. */
static void
test_resign_make_before_break(void **state)
{
	struct vrrp_fsm m = mk(3, 150, true, 100, 0), b = mk(3, 100, true, 100, 0);
	struct vrrp_fsm_out o;
	uint64_t t = 0;

	vrrp_fsm_start(&m, t, false, false, &o);
	vrrp_fsm_ready(&m, t, true, &o);
	vrrp_fsm_timer(&m, 400 * MS, &o); /* master after 3 x 100 + 44 ms */
	assert_int_equal(m.state, VRRP_MASTER);
	vrrp_fsm_start(&b, t, false, false, &o);
	t = S;
	vrrp_fsm_advert(&b, t, &(struct vrrp_fsm_advert){150, 100, 1}, &o);
	assert_true(vrrp_fsm_resign(&m, t, 0, &o));
	assert_int_equal(o.actions, VRRP_ACT_SEND);
	assert_int_equal(o.priority, 0);
	assert_false(vrrp_fsm_resign(&m, t, 0, &o)); /* once */
	/* still master, still advertising 0, addresses kept */
	vrrp_fsm_timer(&m, t + 100 * MS, &o);
	assert_int_equal(o.actions, VRRP_ACT_SEND);
	assert_int_equal(o.priority, 0);
	assert_int_equal(m.state, VRRP_MASTER);
	/* the backup takes over after its skew (156/256 x 100 ms) */
	vrrp_fsm_advert(&b, t, &(struct vrrp_fsm_advert){0, 100, 1}, &o);
	vrrp_fsm_timer(&b, t + 61 * MS, &o);
	assert_int_equal(b.state, VRRP_MASTER);
	assert_int_equal(o.why, VRRP_WHY_RESIGNED);
	assert_true(o.actions & VRRP_ACT_ADD_VIPS);
	/* the old master hears it: only now it lets go */
	vrrp_fsm_advert(&m, t + 61 * MS, &(struct vrrp_fsm_advert){100, 100, -1}, &o);
	assert_int_equal(m.state, VRRP_BACKUP);
	assert_int_equal(o.why, VRRP_WHY_HANDED_OVER);
	assert_int_equal(o.actions, VRRP_ACT_DEL_VIPS | VRRP_ACT_TRANSITION);
	/* and it does not take the addresses back, though it has preempt and a
	 * higher priority */
	for (t += 100 * MS; t < 10 * S; t += 100 * MS) {
		vrrp_fsm_advert(&m, t, &(struct vrrp_fsm_advert){100, 100, -1}, &o);
		vrrp_fsm_timer(&m, t, &o);
		assert_int_equal(m.state, VRRP_BACKUP);
	}
	/* until the new master goes silent: then it takes over by itself */
	vrrp_fsm_timer(&m, t + S, &o);
	assert_int_equal(m.state, VRRP_MASTER);
	assert_false(m.yielded);
}

/* A handover with a limit and nobody to take over: at the limit the master
 * advertises its own priority again, and a backup that turns up later
 * stays backup; a resign without a limit (SIGTERM) lifts the limit of one
 * in progress. */
static void
test_resign_given_up(void **state)
{
	struct vrrp_fsm m = mk(3, 150, true, 100, 0), b = mk(3, 100, true, 100, 0);
	struct vrrp_fsm_out o;
	uint64_t t = S;

	vrrp_fsm_start(&m, 0, true, false, &o);
	assert_true(vrrp_fsm_resign(&m, t, 1300 * MS, &o));
	assert_int_equal(o.priority, 0);
	assert_int_equal(vrrp_fsm_next_deadline(&m), t + 100 * MS);
	for (int i = 1; i <= 12; i++) { /* priority 0 every interval until the limit */
		vrrp_fsm_timer(&m, t + i * 100 * MS, &o);
		assert_int_equal(o.actions, VRRP_ACT_SEND);
		assert_int_equal(o.priority, 0);
	}
	vrrp_fsm_timer(&m, t + 1300 * MS, &o);
	assert_int_equal(o.actions, VRRP_ACT_RESIGN_GIVEN_UP | VRRP_ACT_SEND);
	assert_int_equal(o.priority, 150);
	assert_int_equal(m.state, VRRP_MASTER);
	assert_false(m.resigning);
	vrrp_fsm_timer(&m, t + 1400 * MS, &o);
	assert_int_equal(o.priority, 150);
	/* a backup joining now hears priority 150: it stays backup */
	t += 1400 * MS;
	vrrp_fsm_start(&b, t, false, false, &o);
	for (uint64_t u = t; u < t + 5 * S; u += 100 * MS) {
		vrrp_fsm_advert(&b, u, &(struct vrrp_fsm_advert){150, 100, 1}, &o);
		vrrp_fsm_timer(&b, u, &o);
		assert_int_equal(b.state, VRRP_BACKUP);
	}
	/* a limit not reached between two adverts is the next deadline */
	m = mk(3, 150, true, 1000, 0);
	vrrp_fsm_start(&m, 0, true, false, &o);
	assert_true(vrrp_fsm_resign(&m, S, 500 * MS, &o));
	assert_int_equal(vrrp_fsm_next_deadline(&m), S + 500 * MS);
	/* SIGTERM during it: no limit any more, priority 0 until heard */
	assert_false(vrrp_fsm_resign(&m, S + 100 * MS, 0, &o));
	assert_true(m.resigning);
	assert_int_equal(vrrp_fsm_next_deadline(&m), 2 * S);
	for (t = 2 * S; t < 10 * S; t += S) {
		vrrp_fsm_timer(&m, t, &o);
		assert_int_equal(o.actions, VRRP_ACT_SEND);
		assert_int_equal(o.priority, 0);
	}
	/* heard: hands over as usual */
	vrrp_fsm_advert(&m, t, &(struct vrrp_fsm_advert){100, 1000, -1}, &o);
	assert_int_equal(m.state, VRRP_BACKUP);
	assert_int_equal(o.why, VRRP_WHY_HANDED_OVER);
}

/* Resume: a restarted master is master at once, advertising. */
static void
test_resume(void **state)
{
	struct vrrp_fsm f = mk(3, 150, true, 100, 0);
	struct vrrp_fsm_out o;

	vrrp_fsm_start(&f, 5 * S, true, true, &o);
	assert_int_equal(f.state, VRRP_MASTER);
	assert_int_equal(o.why, VRRP_WHY_RESUME);
	assert_true(o.actions & VRRP_ACT_SEND);
	assert_true(o.actions & VRRP_ACT_ADD_VIPS);
	assert_false(o.actions & VRRP_ACT_DROP_STALE);
}

/* Addresses found at start are dropped at the first advertisement of a
 * master we will not take over from, kept when we become master. */
static void
test_stale_addresses(void **state)
{
	struct vrrp_fsm f = mk(3, 100, true, 100, 0);
	struct vrrp_fsm_out o;

	vrrp_fsm_start(&f, 0, false, true, &o);
	assert_int_equal(f.state, VRRP_BACKUP);
	assert_false(o.actions & VRRP_ACT_DROP_STALE);
	vrrp_fsm_advert(&f, 100 * MS, &(struct vrrp_fsm_advert){150, 100, 1}, &o);
	assert_int_equal(o.actions, VRRP_ACT_DROP_STALE);
	vrrp_fsm_advert(&f, 200 * MS, &(struct vrrp_fsm_advert){150, 100, 1}, &o);
	assert_int_equal(o.actions, 0); /* said once */
	/* nobody there: they become ours */
	f = mk(3, 100, true, 100, 0);
	vrrp_fsm_start(&f, 0, false, true, &o);
	vrrp_fsm_timer(&f, S, &o);
	assert_int_equal(f.state, VRRP_MASTER);
	assert_false(o.actions & VRRP_ACT_DROP_STALE);
	assert_false(f.stale_vips);
}

/* Fault: a master sends priority 0 and lets go; clearing returns to backup. */
static void
test_fault(void **state)
{
	struct vrrp_fsm f = mk(3, 100, true, 100, 0);
	struct vrrp_fsm_out o;

	vrrp_fsm_start(&f, 0, true, false, &o);
	vrrp_fsm_fault(&f, S, true, &o);
	assert_int_equal(f.state, VRRP_FAULT);
	assert_int_equal(o.actions, VRRP_ACT_DEL_VIPS | VRRP_ACT_SEND | VRRP_ACT_TRANSITION);
	assert_int_equal(o.priority, 0);
	assert_int_equal(vrrp_fsm_next_deadline(&f), 0);
	vrrp_fsm_advert(&f, 2 * S, &(struct vrrp_fsm_advert){50, 100, -1}, &o);
	assert_int_equal(o.actions, 0);
	vrrp_fsm_timer(&f, 100 * S, &o);
	assert_int_equal(f.state, VRRP_FAULT);
	vrrp_fsm_fault(&f, 101 * S, false, &o);
	assert_int_equal(f.state, VRRP_BACKUP);
	assert_int_equal(o.why, VRRP_WHY_FAULT_CLEARED);
	assert_int_equal(o.from, VRRP_FAULT);
	/* faulted before start: starts in FAULT */
	f = mk(3, 100, true, 100, 0);
	vrrp_fsm_fault(&f, 0, true, &o);
	vrrp_fsm_start(&f, 0, false, false, &o);
	assert_int_equal(f.state, VRRP_FAULT);
}

/* Shutdown of a master: priority 0, addresses removed, to INIT. */
static void
test_shutdown(void **state)
{
	struct vrrp_fsm f = mk(2, 100, true, 1000, 0);
	struct vrrp_fsm_out o;

	vrrp_fsm_start(&f, 0, true, false, &o);
	vrrp_fsm_shutdown(&f, S, &o);
	assert_int_equal(f.state, VRRP_INIT);
	assert_int_equal(o.actions, VRRP_ACT_SEND | VRRP_ACT_DEL_VIPS | VRRP_ACT_TRANSITION);
	assert_int_equal(o.priority, 0);
	assert_int_equal(o.why, VRRP_WHY_SHUTDOWN);
}

/* v2 learns nothing from the master's interval: its own is the rule. */
static void
test_v2_interval(void **state)
{
	struct vrrp_fsm f = mk(2, 100, true, 1000, 0);
	struct vrrp_fsm_out o;

	vrrp_fsm_start(&f, 0, false, false, &o);
	vrrp_fsm_advert(&f, S, &(struct vrrp_fsm_advert){200, 3000, -1}, &o);
	assert_int_equal(f.master_advert_ms, 1000);
	assert_int_equal(vrrp_fsm_next_deadline(&f), S + 3 * S + 609375);
}

/* Tracking changes the effective priority (not the owner's). */
static void
test_priority(void **state)
{
	struct vrrp_fsm f = mk(3, 100, true, 100, 0);
	struct vrrp_fsm_out o;

	vrrp_fsm_priority(&f, 0, 80, &o);
	assert_int_equal(f.priority, 80);
	vrrp_fsm_priority(&f, 0, 255, &o);
	assert_int_equal(f.priority, 254);
	f = mk(3, 255, true, 100, 0);
	vrrp_fsm_priority(&f, 0, 80, &o);
	assert_int_equal(f.priority, 255);
	assert_string_equal(vrrp_st_name(VRRP_FAULT), "fault");
	assert_string_equal(vrrp_why_name(VRRP_WHY_HANDED_OVER), "handed over to the new master");
}

/* Sync groups: a held master steps down with priority 0; a held backup
 * neither takes over nor preempts; released, it preempts again. */
static void
test_sync_hold(void **state)
{
	struct vrrp_fsm f = mk(3, 150, true, 1000, 0);
	struct vrrp_fsm_out o;
	struct vrrp_fsm_advert a = adv(100, 1000, -1);
	uint64_t t = 10 * S;

	vrrp_fsm_ready(&f, t, true, &o);
	vrrp_fsm_start(&f, t, true, false, &o);
	assert_int_equal(f.state, VRRP_MASTER);
	vrrp_fsm_hold(&f, t, true, &o);
	assert_int_equal(o.actions, VRRP_ACT_SEND | VRRP_ACT_DEL_VIPS | VRRP_ACT_TRANSITION);
	assert_int_equal(o.priority, 0);
	assert_int_equal(o.to, VRRP_BACKUP);
	assert_int_equal(o.why, VRRP_WHY_SYNC_GROUP);
	/* held: a lower-priority master is not preempted, master-down re-arms */
	vrrp_fsm_advert(&f, t + S, &a, &o);
	t += 10 * S;
	vrrp_fsm_timer(&f, t, &o);
	assert_int_equal(f.state, VRRP_BACKUP);
	assert_int_equal(o.actions, 0);
	assert_true(vrrp_fsm_next_deadline(&f) > t);
	/* released: the next lower-priority advert lets master-down run out */
	vrrp_fsm_hold(&f, t, false, &o);
	assert_int_equal(o.actions, 0);
	vrrp_fsm_advert(&f, t, &a, &o);
	vrrp_fsm_timer(&f, vrrp_fsm_next_deadline(&f), &o);
	assert_int_equal(f.state, VRRP_MASTER);
	assert_int_equal(o.why, VRRP_WHY_PREEMPT);
	/* a backup held does nothing at once */
	f = mk(3, 100, true, 1000, 0);
	vrrp_fsm_start(&f, t, false, false, &o);
	vrrp_fsm_hold(&f, t, true, &o);
	assert_int_equal(o.actions, 0);
}

/* Leaving with the group: a master steps down and does not preempt back. */
static void
test_sync_leave(void **state)
{
	struct vrrp_fsm f = mk(3, 150, true, 1000, 0);
	struct vrrp_fsm_out o;
	struct vrrp_fsm_advert a = adv(100, 1000, -1);
	uint64_t t = 10 * S;

	vrrp_fsm_ready(&f, t, true, &o);
	vrrp_fsm_start(&f, t, true, false, &o);
	vrrp_fsm_sync_leave(&f, t, &o);
	assert_int_equal(o.to, VRRP_BACKUP);
	assert_int_equal(o.priority, 0);
	assert_true(o.actions & VRRP_ACT_DEL_VIPS);
	vrrp_fsm_advert(&f, t + S, &a, &o);
	vrrp_fsm_timer(&f, t + 2 * S, &o);
	assert_int_equal(f.state, VRRP_BACKUP); /* the lower master is heard: no preempt */
	/* a backup is not concerned */
	vrrp_fsm_sync_leave(&f, t + 3 * S, &o);
	assert_int_equal(o.actions, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timers),
	    cmocka_unit_test(test_startup_master_down),
	    cmocka_unit_test(test_owner),
	    cmocka_unit_test(test_backup_follows_master),
	    cmocka_unit_test(test_master_resigned),
	    cmocka_unit_test(test_preempt_when_ready),
	    cmocka_unit_test(test_split_brain),
	    cmocka_unit_test(test_resign_make_before_break),
	    cmocka_unit_test(test_resign_given_up),
	    cmocka_unit_test(test_resume),
	    cmocka_unit_test(test_stale_addresses),
	    cmocka_unit_test(test_fault),
	    cmocka_unit_test(test_shutdown),
	    cmocka_unit_test(test_v2_interval),
	    cmocka_unit_test(test_priority),
	    cmocka_unit_test(test_sync_hold),
	    cmocka_unit_test(test_sync_leave),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
