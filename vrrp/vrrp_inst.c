/* One VRRP instance at work: the state machine (vrrp_fsm.c) fed from its
 * socket, its timer and its links, and its actions carried out on the
 * kernel (addresses, announcements, advertisements).  Every transition is
 * logged once with its reason and reported to the parent. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/core/child.h"
#include "lvsd/core/log.h"
#include "vrrp/vrrp.h"

/* Linux's neighbour locktime (1 s) and a margin: see inst_announce_cb */
#define VRRP_NEIGH_LOCKTIME_MS 1100

uint64_t
vrrp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void inst_do(struct vrrp_inst *vi, const struct vrrp_fsm_out *o);
static uint8_t inst_tracked_priority(const struct vrrp_inst *vi);

static void
inst_arm(struct vrrp_inst *vi)
{
	uint64_t at = vrrp_fsm_next_deadline(&vi->fsm), now = vrrp_now();
	struct timeval tv = {0, 0};

	event_del(vi->ev_timer);
	if (!at)
		return;
	if (at > now) {
		tv.tv_sec = (time_t)((at - now) / 1000000);
		tv.tv_usec = (suseconds_t)((at - now) % 1000000);
	}
	event_add(vi->ev_timer, &tv);
}

/* The gap a transition closes, in ms (see struct ipc_vrrp_state). */
static uint32_t
inst_gap_ms(const struct vrrp_inst *vi, uint8_t why)
{
	uint64_t since = 0, now = vrrp_now();

	if (why == VRRP_WHY_HANDED_OVER)
		since = vi->resigned_at;
	else if (why == VRRP_WHY_MASTER_DOWN || why == VRRP_WHY_PREEMPT ||
		 why == VRRP_WHY_RESIGNED)
		since = vi->last_heard;
	if (!since || since > now || (now - since) / 1000 >= UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)((now - since) / 1000);
}

void
vrrp_inst_report(struct vrrp_inst *vi, uint8_t prev, uint8_t why)
{
	struct ipc_vrrp_state m;

	memset(&m, 0, sizeof(m));
	m.generation = vi->vc->generation;
	m.instance_id = vi->id;
	m.state = (uint8_t)vi->fsm.state;
	m.prev = prev;
	m.reason = why;
	m.priority = vi->fsm.priority;
	m.master.family = (uint8_t)vi->family;
	m.master.prefix = vi->family == AF_INET ? 32 : 128;
	memcpy(m.master.addr, vi->master.b, sizeof(m.master.addr));
	m.adverts_sent = vi->sent;
	m.adverts_received = vi->received;
	m.adverts_dropped = vi->dropped;
	m.transitions = vi->transitions;
	m.handover_cookie = vi->handover_cookie;
	m.gap_ms = inst_gap_ms(vi, why);
	memcpy(m.drops, vi->drops, sizeof(vi->drops));
	child_send(vi->vc->child, IPC_VRRP_STATE, &m, sizeof(m));
}

static void
inst_addrs(struct vrrp_inst *vi, bool add, const char *why)
{
	char a[64];
	int err, n = vrrp_addr_set(vi->vc->route, vi->ifindex, vi->vips, vi->n_vips, add, &err);

	if (n)
		log_err("%s: cannot %s %d of %zu virtual addresses on %s (first: %s): %s", vi->name,
			add ? "add" : "remove", n, vi->n_vips, vi->ifname,
			vrrp_addr_str(&vi->vips[0], a, sizeof(a)), strerror(-err));
	else if (why)
		log_info("%s: %s %zu virtual addresses %s %s (%s)", vi->name,
			 add ? "added" : "removed", vi->n_vips, add ? "to" : "from", vi->ifname,
			 why);
}

static void
inst_announce_cb(evutil_socket_t fd, short what, void *arg)
{
	struct vrrp_inst *vi = arg;
	struct timeval tv = {vi->announce_interval_ms / 1000,
			     (suseconds_t)(vi->announce_interval_ms % 1000) * 1000};
	int r;

	uint64_t spent;

	if (vi->fsm.state != VRRP_MASTER || !vi->announce_left)
		return;
	if ((r = vrrp_announce(vi)) < 0)
		log_warn("%s: cannot announce the virtual addresses on %s: %s", vi->name,
			 vi->ifname, strerror(-r));
	if (--vi->announce_left) {
		event_add(vi->ev_announce, &tv);
		return;
	}
	/* Linux takes no ARP update for an entry changed less than a second
	 * ago (its locktime), unless arp_accept: a split that heals at once
	 * answers the other director's announcements of a moment before, and
	 * a burst shorter than that is lost on the clients.  So after such a
	 * burst, one more once a locktime has passed. */
	spent = (vrrp_now() - vi->announce_began) / 1000;
	if (!vi->announce_late && spent < VRRP_NEIGH_LOCKTIME_MS) {
		vi->announce_late = true;
		vi->announce_left = 1;
		tv.tv_sec = (time_t)((VRRP_NEIGH_LOCKTIME_MS - spent) / 1000);
		tv.tv_usec = (suseconds_t)((VRRP_NEIGH_LOCKTIME_MS - spent) % 1000) * 1000;
		event_add(vi->ev_announce, &tv);
	}
}

static void
inst_send(struct vrrp_inst *vi, uint8_t prio)
{
	int r;

	if (vi->fd < 0)
		return;
	if ((r = vrrp_sock_send(vi, prio)) < 0) {
		log_debug("%s: cannot send an advertisement: %s", vi->name, strerror(-r));
		return;
	}
	vi->sent++;
}

static void
inst_transition(struct vrrp_inst *vi, const struct vrrp_fsm_out *o)
{
	char a[64];
	struct vrrp_addr m = {.family = vi->family, .a = vi->master};

	vi->transitions++;
	if (o->to == VRRP_MASTER)
		vi->master = vi->self.a;
	if (o->to == VRRP_FAULT) /* what was heard before says nothing of after */
		vi->last_heard = 0;
	if (o->to == VRRP_BACKUP && o->from == VRRP_MASTER)
		log_notice("%s: %s -> %s: %s (%s)", vi->name, vrrp_st_name(o->from),
			   vrrp_st_name(o->to), vrrp_why_name(o->why),
			   vrrp_addr_str(&m, a, sizeof(a)));
	else
		log_notice("%s: %s -> %s: %s", vi->name, vrrp_st_name(o->from),
			   vrrp_st_name(o->to), vrrp_why_name(o->why));
	vrrp_strict_update(vi->vc, vi);
	vrrp_inst_report(vi, (uint8_t)o->from, (uint8_t)o->why);
	if (o->why == VRRP_WHY_HANDED_OVER || o->to != VRRP_MASTER) {
		vi->handover_cookie = 0;
		vi->resigned_at = 0;
	}
	if (vi->sync_group && vi->vc->sync_transition)
		vi->vc->sync_transition(vi->vc, vi, o->from, o->to);
}

/* Carry out what the state machine asked, in its order. */
static void
inst_do(struct vrrp_inst *vi, const struct vrrp_fsm_out *o)
{
	if (o->actions & VRRP_ACT_ADD_VIPS)
		inst_addrs(vi, true, NULL);
	if (o->actions & VRRP_ACT_ANNOUNCE) {
		vi->announce_left = vi->announce_repeat;
		vi->announce_began = vrrp_now();
		vi->announce_late = !(o->actions & VRRP_ACT_RECLAIM);
		/* the first one now, before the advertisement below: the old
		 * master lets go of the addresses when it hears that, and the
		 * clients must know the new owner by then; and the strict
		 * filter lets the addresses in before the clients come */
		vrrp_strict_update(vi->vc, vi);
		if (vi->announce_left)
			inst_announce_cb(-1, EV_TIMEOUT, vi);
	}
	if (o->actions & VRRP_ACT_RESIGN_GIVEN_UP) {
		log_notice("%s: no new master heard %llu ms after the resign: handover given up, "
			   "advertising priority %u again",
			   vi->name,
			   (unsigned long long)(vi->resigned_at ? (vrrp_now() - vi->resigned_at) / 1000
								: 0),
			   o->priority);
		vi->handover_cookie = 0;
		vi->resigned_at = 0;
	}
	if (o->actions & VRRP_ACT_SEND)
		inst_send(vi, o->priority);
	if (o->actions & VRRP_ACT_DEL_VIPS)
		inst_addrs(vi, false, NULL);
	if (o->actions & VRRP_ACT_DROP_STALE)
		inst_addrs(vi, false, "found at start, held by another master");
	if (o->actions & VRRP_ACT_TRANSITION)
		inst_transition(vi, o);
	inst_arm(vi);
}

static void
inst_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct vrrp_inst *vi = arg;
	struct vrrp_fsm_out o;

	vrrp_fsm_timer(&vi->fsm, vrrp_now(), &o);
	inst_do(vi, &o);
}

static int
inst_cmp_addr(const struct vrrp_inst *vi, const struct vrrp_pkt_addr *a)
{
	return memcmp(a->b, vi->self.a.b, vi->family == AF_INET ? 4 : 16);
}

static bool
inst_from_peer(const struct vrrp_inst *vi, const struct vrrp_pkt_addr *src)
{
	for (size_t i = 0; i < vi->n_peers; i++)
		if (!memcmp(vi->peers[i].a.b, src->b, vi->family == AF_INET ? 4 : 16))
			return true;
	return false;
}

/* Whether another instance of ours runs VRID vrid on this interface: its
 * adverts reach every raw socket on the link and are not a drop. */
static bool
inst_vrid_ours(const struct vrrp_inst *vi, uint8_t vrid)
{
	const struct vrrp_child *vc = vi->vc;

	for (size_t i = 0; i < vc->n_inst; i++)
		if (vc->inst[i].vc && vc->inst[i].vrid == vrid && vc->inst[i].family == vi->family &&
		    !strcmp(vc->inst[i].ifname, vi->ifname))
			return true;
	return false;
}

/* The checks beyond the codec's: 0, -1 to ignore silently, or the drop
 * reason. */
static int
inst_check(const struct vrrp_inst *vi, const struct vrrp_pkt *p)
{
	struct vrrp_pkt_addr mine[VRRP_PKT_MAX_ADDRS];
	size_t n = 0;

	if (p->vrid != vi->vrid)
		return inst_vrid_ours(vi, p->vrid) ? -1 : VRRP_DROP_VRID;
	if (p->version != vi->version)
		return VRRP_DROP_INST_VERSION;
	if (vi->n_peers && !inst_from_peer(vi, &p->src))
		return VRRP_DROP_PEER;
	if (vi->version == 2 && p->interval_ms != vi->fsm.conf.advert_ms)
		return VRRP_DROP_ADV_INTERVAL;
	for (size_t i = 0; i < vi->n_vips && n < VRRP_PKT_MAX_ADDRS; i++)
		if (vi->vips[i].family == vi->family)
			mine[n++] = vi->vips[i].a;
	if (!vrrp_pkt_same_addrs(p, mine, n))
		return VRRP_DROP_ADDRS;
	return 0;
}

static void
inst_drop(struct vrrp_inst *vi, int reason)
{
	vi->dropped++;
	if (reason > 0 && reason < VRRP_DROP_REASONS)
		vi->drops[reason]++;
}

static void
inst_packet(struct vrrp_inst *vi, const struct vrrp_pkt *p)
{
	struct vrrp_fsm_advert a;
	struct vrrp_fsm_out o;
	int r;

	if (!inst_cmp_addr(vi, &p->src))
		return; /* our own, looped back */
	if ((r = inst_check(vi, p)) != 0) {
		if (r > 0)
			inst_drop(vi, r);
		return;
	}
	vi->received++;
	vi->last_heard = vrrp_now();
	a.priority = p->priority;
	a.interval_ms = p->interval_ms;
	a.addr_cmp = inst_cmp_addr(vi, &p->src);
	if (p->priority)
		vi->master = p->src;
	vrrp_fsm_advert(&vi->fsm, vrrp_now(), &a, &o);
	inst_do(vi, &o);
}

static void
inst_read_cb(evutil_socket_t fd, short what, void *arg)
{
	static struct vrrp_pkt p;
	struct vrrp_inst *vi = arg;

	for (int i = 0; i < 64; i++) {
		int drop = 0, r = vrrp_sock_recv(vi, &p, &drop);

		if (r == -EAGAIN)
			return;
		if (r < 0) {
			log_warn("%s: receiving: %s", vi->name, strerror(-r));
			return;
		}
		if (drop)
			inst_drop(vi, drop);
		else
			inst_packet(vi, &p);
	}
}

static int
inst_open_socket(struct vrrp_inst *vi)
{
	char a[64];
	int r = vrrp_addr_self(vi->ifname, vi->family, vi->vips, vi->n_vips, &vi->self);

	if (vi->source.family)
		vi->self = vi->source, r = 0;
	if (r < 0) {
		log_err("%s: %s has no %s address to advertise from", vi->name, vi->ifname,
			vi->family == AF_INET ? "IPv4" : "IPv6 link-local");
		return r;
	}
	vi->have_self = true;
	vi->fd = vrrp_sock_open(vi);
	if (vi->fd < 0) {
		log_err("%s: cannot open the VRRP socket on %s from %s: %s", vi->name, vi->ifname,
			vrrp_addr_str(&vi->self, a, sizeof(a)), strerror(-vi->fd));
		return vi->fd;
	}
	vi->ev_read = event_new(vi->vc->base, vi->fd, EV_READ | EV_PERSIST, inst_read_cb, vi);
	if (!vi->ev_read || event_add(vi->ev_read, NULL) < 0)
		return -ENOMEM;
	return 0;
}

static void
inst_close_socket(struct vrrp_inst *vi)
{
	if (vi->ev_read)
		event_free(vi->ev_read);
	vi->ev_read = NULL;
	if (vi->fd >= 0)
		close(vi->fd);
	vi->fd = -1;
}

/* Whether the instance's own interface and every tracked one are up. */
static bool
inst_links_up(struct vrrp_inst *vi)
{
	int ifx;
	bool up = false;

	if (vrrp_link_state(vi->ifname, &vi->ifindex, &up) < 0 || !up)
		return false;
	for (size_t i = 0; i < vi->n_track; i++)
		if (vrrp_link_state(vi->track[i], &ifx, &up) < 0 || !up)
			return false;
	return true;
}

int
vrrp_inst_start(struct vrrp_inst *vi, struct vrrp_child *vc)
{
	struct vrrp_fsm_out o;
	bool stale;
	int r;

	vi->vc = vc;
	vi->fd = -1;
	vi->ev_timer = evtimer_new(vc->base, inst_timer_cb, vi);
	vi->ev_announce = evtimer_new(vc->base, inst_announce_cb, vi);
	if (!vi->ev_timer || !vi->ev_announce)
		return -ENOMEM;
	vi->link_down = !inst_links_up(vi);
	if (vi->ifindex && (r = inst_open_socket(vi)) < 0 && !vi->link_down)
		return r;
	vrrp_fsm_ready(&vi->fsm, vrrp_now(), vc->ready, &o);
	if (vi->track_fault) {
		log_warn("%s: a tracked script or file fails: fault", vi->name);
		vrrp_fsm_fault(&vi->fsm, vrrp_now(), true, &o);
	}
	if (vi->link_down) {
		log_warn("%s: %s or a tracked interface is down: fault", vi->name, vi->ifname);
		vrrp_fsm_fault(&vi->fsm, vrrp_now(), true, &o);
	}
	stale = !vi->resume && vi->ifindex &&
		vrrp_addr_count_present(vi->ifname, vi->vips, vi->n_vips) > 0;
	if (stale)
		log_notice("%s: virtual addresses are on %s already: kept only if this "
			   "director becomes master",
			   vi->name, vi->ifname);
	vrrp_fsm_start(&vi->fsm, vrrp_now(), vi->resume, stale, &o);
	inst_do(vi, &o);
	return 0;
}

static bool
inst_has_vip(const struct vrrp_inst *vi, const struct vrrp_addr *a)
{
	for (size_t i = 0; i < vi->n_vips; i++)
		if (vi->vips[i].family == a->family && !memcmp(vi->vips[i].a.b, a->a.b, 16))
			return true;
	return false;
}

/* A master whose new generation lists other addresses: it lets go of the
 * ones gone, takes (and announces) the new ones. */
static void
inst_readdress(struct vrrp_inst *vi, const struct vrrp_inst *old)
{
	size_t gone = 0, added = 0;
	int err;

	for (size_t i = 0; i < old->n_vips; i++)
		if (!inst_has_vip(vi, &old->vips[i]) &&
		    vrrp_addr_set(vi->vc->route, vi->ifindex, &old->vips[i], 1, false, &err) == 0)
			gone++;
	for (size_t i = 0; i < vi->n_vips; i++)
		added += !inst_has_vip(old, &vi->vips[i]);
	if (!gone && !added)
		return;
	log_notice("%s: the new configuration's virtual addresses: %zu removed, %zu added", vi->name,
		   gone, added);
	inst_addrs(vi, true, NULL);
	if (added && vi->announce_repeat) {
		vi->announce_left = vi->announce_repeat;
		vi->announce_late = true; /* addresses new to every neighbour */
		event_active(vi->ev_announce, EV_TIMEOUT, 0);
	}
}

void
vrrp_inst_adopt(struct vrrp_inst *vi, struct vrrp_inst *old)
{
	uint8_t prio = vi->fsm.conf.priority;
	struct vrrp_fsm_conf conf = vi->fsm.conf;

	vi->vc = old->vc;
	vi->fsm = old->fsm;
	vi->fsm.conf = conf; /* the new generation's priority, timers, preempt */
	vi->track_fault = old->track_fault;
	vi->track_delta = old->track_delta;
	if (vi->fsm.conf.priority != 255)
		vi->fsm.priority = prio;
	if (vi->track_delta && vi->fsm.conf.priority != 255)
		vi->fsm.priority = inst_tracked_priority(vi);
	vi->fd = old->fd;
	vi->self = old->self;
	vi->have_self = old->have_self;
	vi->ifindex = old->ifindex;
	vi->master = old->master;
	vi->link_down = old->link_down;
	vi->handover_cookie = old->handover_cookie;
	vi->sent = old->sent;
	vi->received = old->received;
	vi->dropped = old->dropped;
	memcpy(vi->drops, old->drops, sizeof(vi->drops));
	vi->transitions = old->transitions;
	if (vi->source.family)
		vi->self = vi->source;
	old->fd = -1; /* the socket goes with the state */
	if (old->ev_read)
		event_free(old->ev_read);
	old->ev_read = NULL;
	vi->ev_timer = evtimer_new(vi->vc->base, inst_timer_cb, vi);
	vi->ev_announce = evtimer_new(vi->vc->base, inst_announce_cb, vi);
	if (vi->fd >= 0)
		vi->ev_read = event_new(vi->vc->base, vi->fd, EV_READ | EV_PERSIST, inst_read_cb, vi);
	if (!vi->ev_timer || !vi->ev_announce || (vi->fd >= 0 && !vi->ev_read) ||
	    (vi->ev_read && event_add(vi->ev_read, NULL) < 0))
		log_err("%s: out of memory taking over the running instance", vi->name);
	if (vi->fsm.state == VRRP_MASTER && vi->ev_announce)
		inst_readdress(vi, old);
	inst_arm(vi);
}

void
vrrp_inst_stop(struct vrrp_inst *vi, bool shutdown)
{
	struct vrrp_fsm_out o;

	if (shutdown && vi->vc) {
		vrrp_fsm_shutdown(&vi->fsm, vrrp_now(), &o);
		inst_do(vi, &o);
	}
	inst_close_socket(vi);
	if (vi->ev_timer)
		event_free(vi->ev_timer);
	if (vi->ev_announce)
		event_free(vi->ev_announce);
	vi->ev_timer = vi->ev_announce = NULL;
}

void
vrrp_inst_free(struct vrrp_inst *vi)
{
	free(vi->vips);
	free(vi->peers);
	free(vi->track);
	vi->vips = vi->peers = NULL;
	vi->track = NULL;
}

void
vrrp_inst_ready(struct vrrp_inst *vi, bool ready)
{
	struct vrrp_fsm_out o;

	vrrp_fsm_ready(&vi->fsm, vrrp_now(), ready, &o);
	inst_do(vi, &o);
}

bool
vrrp_inst_resign(struct vrrp_inst *vi, uint32_t cookie, bool give_up)
{
	struct vrrp_fsm_out o;
	uint64_t limit = give_up ? 3 * (uint64_t)vi->fsm.conf.advert_ms * 1000 + 1000000 : 0;

	if (!vrrp_fsm_resign(&vi->fsm, vrrp_now(), limit, &o))
		return false;
	vi->handover_cookie = cookie;
	vi->resigned_at = vrrp_now();
	log_notice("%s: handing over: advertising priority 0, keeping the virtual addresses "
		   "until the new master is heard",
		   vi->name);
	inst_do(vi, &o);
	return true;
}

static bool
inst_tracks(const struct vrrp_inst *vi, const char *ifname)
{
	if (!strcmp(vi->ifname, ifname))
		return true;
	for (size_t i = 0; i < vi->n_track; i++)
		if (!strcmp(vi->track[i], ifname))
			return true;
	return false;
}

void
vrrp_inst_link(struct vrrp_inst *vi, const char *ifname, int ifindex, bool up)
{
	struct vrrp_fsm_out o;
	char a[64];
	bool down;
	int r;

	if (!inst_tracks(vi, ifname))
		return;
	down = !inst_links_up(vi);
	if (down == vi->link_down)
		return;
	vi->link_down = down;
	log_notice("%s: %s is %s", vi->name, ifname, up ? "up" : "down");
	if (!down && vi->ifindex) {
		int n = vrrp_addr_flush_unresolved(vi->vc->route, vi->ifindex);

		if (n > 0)
			log_info("%s: forgot %d neighbour entries of %s left unresolved while it was "
				 "down",
				 vi->name, n, vi->ifname);
	}
	if (!down && vi->fd < 0 && inst_open_socket(vi) < 0)
		return; /* stays in fault: the socket said why */
	/* A unicast peer that sent to us while the link was down holds its
	 * advertisements until it resolves our address again, which it
	 * retries once a second: longer than a short master-down interval,
	 * and we would take over from a master we cannot hear yet (ready or
	 * not).  Our address announced, it sends them at once. */
	if (!down && vi->n_peers && (r = vrrp_announce_self(vi)) < 0)
		log_warn("%s: cannot announce %s on %s: %s", vi->name,
			 vrrp_addr_str(&vi->self, a, sizeof(a)), vi->ifname, strerror(-r));
	vrrp_fsm_fault(&vi->fsm, vrrp_now(), down || vi->track_fault, &o);
	inst_do(vi, &o);
}

/* The configured priority moved by the tracked delta, 1..254; an owner
 * (255) stays the owner. */
static uint8_t
inst_tracked_priority(const struct vrrp_inst *vi)
{
	int64_t p = (int64_t)vi->fsm.conf.priority + vi->track_delta;

	if (vi->fsm.conf.priority == 255)
		return 255;
	return (uint8_t)(p < 1 ? 1 : p > 254 ? 254 : p);
}

void
vrrp_inst_track(struct vrrp_inst *vi, int32_t delta, bool fault)
{
	struct vrrp_fsm_out o;
	uint8_t before = vi->fsm.priority, prio;

	vi->track_delta = delta;
	prio = inst_tracked_priority(vi);
	if (prio != before) {
		log_notice("%s: priority %u -> %u (tracked scripts and files: %+d)", vi->name,
			   before, prio, delta);
		vrrp_fsm_priority(&vi->fsm, vrrp_now(), prio, &o);
		inst_do(vi, &o);
	}
	if (fault != vi->track_fault) {
		vi->track_fault = fault;
		log_notice("%s: tracked scripts and files %s", vi->name,
			   fault ? "fail: fault" : "are fine again");
		vrrp_fsm_fault(&vi->fsm, vrrp_now(), fault || vi->link_down, &o);
		inst_do(vi, &o);
	}
	vrrp_inst_report(vi, (uint8_t)vi->fsm.state, VRRP_WHY_NONE);
}

void
vrrp_inst_hold(struct vrrp_inst *vi, bool hold)
{
	struct vrrp_fsm_out o;

	if (vi->fsm.held == hold)
		return;
	vrrp_fsm_hold(&vi->fsm, vrrp_now(), hold, &o);
	inst_do(vi, &o);
}

void
vrrp_inst_sync_leave(struct vrrp_inst *vi)
{
	struct vrrp_fsm_out o;

	vrrp_fsm_sync_leave(&vi->fsm, vrrp_now(), &o);
	inst_do(vi, &o);
}
