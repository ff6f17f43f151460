/* The vrrp child: its instances across configuration generations, the
 * parent's messages (ready to forward, hand over), SIGTERM (hand over,
 * then exit), and the status it reports.
 *
 * A new generation keeps an instance running when its name, interface,
 * VRID, version and address family are unchanged: the state machine goes
 * on with the new priority and timers, and the peer sees nothing.  An
 * instance that is gone is shut down (a master advertises priority 0 and
 * lets go of its addresses); a new one starts in backup (or resumes as
 * master when the parent saw it master a moment ago: a restarted child). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <netlink/socket.h>

#include "lvsd/core/child.h"
#include "lvsd/core/log.h"
#include "vrrp/vrrp.h"

#define VRRP_STOP_MAX_MS 10000 /* SIGTERM: give up waiting for a new master */

static void
vrrp_free_array(struct vrrp_inst *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vrrp_inst_free(&v[i]);
	free(v);
}

static void
vrrp_begin(void *state, uint64_t generation)
{
	struct vrrp_child *vc = state;

	vrrp_free_array(vc->staged, vc->n_staged);
	vc->staged = NULL;
	vc->n_staged = 0;
}

static int
vrrp_addr_from(struct vrrp_addr *dst, const struct ipc_addr *a)
{
	if (a->family != AF_INET && a->family != AF_INET6)
		return -EINVAL;
	memset(dst, 0, sizeof(*dst));
	dst->family = a->family;
	dst->prefix = a->prefix;
	memcpy(dst->a.b, a->addr, a->family == AF_INET ? 4 : 16);
	return 0;
}

static int
vrrp_copy_addrs(const struct ipc_addr *a, size_t n, struct vrrp_addr **out)
{
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (vrrp_addr_from(&(*out)[i], &a[i]) < 0)
			return -EINVAL;
	return 0;
}

/* One instance of the staged generation, from its message. */
static int
vrrp_stage(struct vrrp_child *vc, struct ipc_conf_vrrp *m)
{
	struct vrrp_inst *vi, *arr;
	struct vrrp_fsm_conf fc;
	int r;

	if (m->id != vc->n_staged || m->vrid == 0 || (m->version != 2 && m->version != 3) ||
	    m->n_vips == 0 || m->n_vips > IPC_VRRP_MAX_VIPS || m->n_peers > IPC_VRRP_MAX_PEERS ||
	    m->n_vips + m->n_peers != m->n_addrs || m->priority == 0 || !m->advert_interval_ms)
		return -EINVAL;
	arr = realloc(vc->staged, (vc->n_staged + 1) * sizeof(*arr));
	if (!arr)
		return -ENOMEM;
	vc->staged = arr;
	vi = &arr[vc->n_staged++];
	memset(vi, 0, sizeof(*vi));
	vi->fd = -1;
	vi->id = m->id;
	snprintf(vi->name, sizeof(vi->name), "%s", ipc_strget(m->name, sizeof(m->name)));
	snprintf(vi->ifname, sizeof(vi->ifname), "%s",
		 ipc_strget(m->interface, sizeof(m->interface)));
	vi->vrid = m->vrid;
	vi->version = m->version;
	vi->announce_interval_ms = m->announce_interval_ms ? m->announce_interval_ms : 200;
	vi->announce_repeat = m->announce_repeat;
	vi->strict = m->strict;
	vi->resume = m->resume;
	vi->sync_group = m->sync_group;
	if ((r = vrrp_copy_addrs(m->addrs, m->n_vips, &vi->vips)) < 0 ||
	    (r = vrrp_copy_addrs(m->addrs + m->n_vips, m->n_peers, &vi->peers)) < 0)
		return r;
	vi->n_vips = m->n_vips;
	vi->n_peers = m->n_peers;
	vi->family = vi->vips[0].family;
	if (m->unicast_source.family && vrrp_addr_from(&vi->source, &m->unicast_source) < 0)
		return -EINVAL;
	fc = (struct vrrp_fsm_conf){m->version, m->priority, m->preempt != 0,
				    m->advert_interval_ms, m->preempt_delay_ms};
	vrrp_fsm_init(&vi->fsm, &fc);
	return 1;
}

static int
vrrp_stage_track(struct vrrp_child *vc, struct ipc_conf_track_if *t)
{
	struct vrrp_inst *vi;
	char(*tr)[IPC_NAME_MAX];

	if (t->instance_id >= vc->n_staged)
		return -EINVAL;
	vi = &vc->staged[t->instance_id];
	tr = realloc(vi->track, (vi->n_track + 1) * sizeof(*tr));
	if (!tr)
		return -ENOMEM;
	vi->track = tr;
	snprintf(tr[vi->n_track++], IPC_NAME_MAX, "%s", ipc_strget(t->ifname, sizeof(t->ifname)));
	return 0;
}

static int
vrrp_object(void *state, struct ipc_msg *msg)
{
	struct vrrp_child *vc = state;

	if (msg->type == IPC_CONF_TRACK_IF)
		return vrrp_stage_track(vc, IPC_BODY(msg, struct ipc_conf_track_if));
	return vrrp_stage(vc, IPC_BODY(msg, struct ipc_conf_vrrp));
}

/* The running instance (of old) a staged one continues, or NULL. */
static struct vrrp_inst *
vrrp_same(struct vrrp_inst *old, size_t n_old, const struct vrrp_inst *n)
{
	for (size_t i = 0; i < n_old; i++) {
		struct vrrp_inst *o = &old[i];

		if (o->vc && !strcmp(o->name, n->name) && !strcmp(o->ifname, n->ifname) &&
		    o->vrid == n->vrid && o->version == n->version && o->family == n->family &&
		    (o->n_peers == 0) == (n->n_peers == 0)) /* the socket's group membership */
			return o;
	}
	return NULL;
}

static void vrrp_sync_refresh(struct vrrp_child *vc);

static void
vrrp_commit(void *state, uint64_t generation)
{
	struct vrrp_child *vc = state;
	struct vrrp_inst *old = vc->inst;
	size_t n_old = vc->n_inst;

	vc->generation = generation;
	vc->inst = vc->staged;
	vc->n_inst = vc->n_staged;
	vc->staged = NULL;
	vc->n_staged = 0;
	for (size_t i = 0; i < vc->n_inst; i++) {
		struct vrrp_inst *vi = &vc->inst[i], *o = vrrp_same(old, n_old, vi);

		if (o) {
			vrrp_inst_adopt(vi, o);
			o->vc = NULL; /* taken over */
			vrrp_inst_report(vi, (uint8_t)vi->fsm.state, VRRP_WHY_NONE);
		} else if (vrrp_inst_start(vi, vc) < 0) {
			log_err("%s: cannot start; it stays down until the next configuration",
				vi->name);
			vrrp_inst_stop(vi, false);
			vi->vc = NULL;
		}
	}
	for (size_t i = 0; i < n_old; i++) {
		if (old[i].vc)
			log_info("%s: no longer configured: shutting down", old[i].name);
		vrrp_inst_stop(&old[i], old[i].vc != NULL);
	}
	vrrp_free_array(old, n_old);
	vrrp_strict_rebuild(vc);
	vrrp_sync_refresh(vc);
}

static void
vrrp_on_link(void *arg, const char *ifname, int ifindex, bool up)
{
	struct vrrp_child *vc = arg;

	for (size_t i = 0; i < vc->n_inst; i++)
		if (vc->inst[i].vc)
			vrrp_inst_link(&vc->inst[i], ifname, ifindex, up);
}

static void
vrrp_handover(struct vrrp_child *vc, const struct ipc_handover *h)
{
	unsigned n = 0;

	for (size_t i = 0; i < vc->n_inst; i++)
		if ((h->instance_id == UINT32_MAX || h->instance_id == vc->inst[i].id) &&
		    vc->inst[i].vc && vrrp_inst_resign(&vc->inst[i], h->cookie, true))
			n++;
	if (!n)
		log_info("handover asked: no instance %s is master",
			 h->instance_id == UINT32_MAX ? "at all" : "of those asked");
}

/* The parent's verdict on an instance's tracked scripts and files; one
 * for another generation is stale (the next push brings the right one). */
static void
vrrp_track(struct vrrp_child *vc, const struct ipc_track *t)
{
	if (t->generation != vc->generation || t->instance_id >= vc->n_inst ||
	    !vc->inst[t->instance_id].vc)
		return;
	if (t->delta < -IPC_TRACK_DELTA_MAX || t->delta > IPC_TRACK_DELTA_MAX)
		return;
	vrrp_inst_track(&vc->inst[t->instance_id], t->delta, t->fault != 0);
}

/* A member of a sync group moved: its fellow members follow.  While one
 * is in fault the others are held in backup; one leaving master for
 * backup takes the other masters along. */
static void
vrrp_sync_transition(struct vrrp_child *vc, struct vrrp_inst *vi, enum vrrp_st from,
		     enum vrrp_st to)
{
	bool fault = false;

	if (vc->syncing)
		return;
	vc->syncing = true;
	for (size_t i = 0; i < vc->n_inst; i++)
		if (vc->inst[i].vc && vc->inst[i].sync_group == vi->sync_group &&
		    vc->inst[i].fsm.state == VRRP_FAULT)
			fault = true;
	for (size_t i = 0; i < vc->n_inst; i++) {
		struct vrrp_inst *m = &vc->inst[i];

		if (m == vi || !m->vc || m->sync_group != vi->sync_group)
			continue;
		if (from == VRRP_MASTER && to == VRRP_BACKUP && m->fsm.state == VRRP_MASTER) {
			log_notice("%s: following %s of its sync group out of master", m->name,
				   vi->name);
			vrrp_inst_sync_leave(m);
		}
		vrrp_inst_hold(m, fault && m->fsm.state != VRRP_FAULT);
	}
	vc->syncing = false;
}

/* After a new generation: groups may have changed, holds follow them. */
static void
vrrp_sync_refresh(struct vrrp_child *vc)
{
	for (size_t i = 0; i < vc->n_inst; i++) {
		struct vrrp_inst *vi = &vc->inst[i];
		bool fault = false;

		if (!vi->vc)
			continue;
		for (size_t j = 0; vi->sync_group && j < vc->n_inst; j++)
			if (j != i && vc->inst[j].vc && vc->inst[j].sync_group == vi->sync_group &&
			    vc->inst[j].fsm.state == VRRP_FAULT)
				fault = true;
		vrrp_inst_hold(vi, fault && vi->fsm.state != VRRP_FAULT);
	}
}

static void
vrrp_message(void *state, struct ipc_msg *msg)
{
	struct vrrp_child *vc = state;
	struct ipc_ready *r;

	if (msg->type == IPC_TRACK) {
		vrrp_track(vc, IPC_BODY(msg, struct ipc_track));
	} else if (msg->type == IPC_READY) {
		r = IPC_BODY(msg, struct ipc_ready);
		if (vc->ready != (r->ready != 0))
			log_info("the director is %s to forward", r->ready ? "ready" : "not ready");
		vc->ready = r->ready != 0;
		for (size_t i = 0; i < vc->n_inst; i++)
			if (vc->inst[i].vc)
				vrrp_inst_ready(&vc->inst[i], vc->ready);
	} else if (msg->type == IPC_HANDOVER) {
		vrrp_handover(vc, IPC_BODY(msg, struct ipc_handover));
	}
}

static void
vrrp_status(void *state)
{
	struct vrrp_child *vc = state;

	for (size_t i = 0; i < vc->n_inst; i++)
		if (vc->inst[i].vc)
			vrrp_inst_report(&vc->inst[i], (uint8_t)vc->inst[i].fsm.state,
					 VRRP_WHY_NONE);
}

/* SIGTERM: every master hands over; exit once none is left resigning. */
static bool
vrrp_resigning(const struct vrrp_child *vc)
{
	for (size_t i = 0; i < vc->n_inst; i++)
		if (vc->inst[i].vc && vc->inst[i].fsm.state == VRRP_MASTER &&
		    vc->inst[i].fsm.resigning)
			return true;
	return false;
}

static void
vrrp_stop_check(evutil_socket_t fd, short what, void *arg)
{
	struct vrrp_child *vc = arg;
	struct timeval tv = {0, 20000};

	if (vrrp_resigning(vc) && vrrp_now() < vc->stop_deadline) {
		event_add(vc->ev_stop, &tv);
		return;
	}
	if (vrrp_resigning(vc))
		log_warn("no other director was heard as master within %.1f s: removing the "
			 "virtual addresses anyway (a director without a peer stops this way)",
			 (double)vc->stop_wait_us / 1e6);
	child_exit(vc->child, 0);
}

/* How long a clean stop waits for a new master: a backup takes over within
 * its skew time of our priority 0, so three of the master intervals and a
 * second are plenty; never more than VRRP_STOP_MAX_MS. */
static uint64_t
vrrp_stop_wait_us(const struct vrrp_child *vc)
{
	uint64_t w = 0;

	for (size_t i = 0; i < vc->n_inst; i++) {
		uint64_t x = 3 * (uint64_t)vc->inst[i].fsm.master_advert_ms * 1000 + 1000000;

		if (vc->inst[i].vc && x > w)
			w = x;
	}
	return w < VRRP_STOP_MAX_MS * 1000ULL ? w : VRRP_STOP_MAX_MS * 1000ULL;
}

static bool
vrrp_term(void *state)
{
	struct vrrp_child *vc = state;
	unsigned n = 0;

	/* a master already handing over (lvsctl handover) goes on, without its
	 * limit: this deadline is the one now */
	for (size_t i = 0; i < vc->n_inst; i++)
		if (vc->inst[i].vc &&
		    (vrrp_inst_resign(&vc->inst[i], 0, false) ||
		     (vc->inst[i].fsm.state == VRRP_MASTER && vc->inst[i].fsm.resigning)))
			n++;
	if (!n)
		return false;
	log_info("SIGTERM received: handing over %u instances before exiting", n);
	vc->stopping = true;
	vc->stop_wait_us = vrrp_stop_wait_us(vc);
	vc->stop_deadline = vrrp_now() + vc->stop_wait_us;
	event_active(vc->ev_stop, EV_TIMEOUT, 0);
	return true;
}

static int
vrrp_start(void *state, struct child *c, struct event_base *base)
{
	struct vrrp_child *vc = state;
	int r;

	vc->child = c;
	vc->base = base;
	vc->sync_transition = vrrp_sync_transition;
	if ((r = vrrp_addr_socket(&vc->route)) < 0)
		return r;
	if ((r = vrrp_link_open(base, vrrp_on_link, vc, &vc->link)) < 0)
		return r;
	vc->ev_stop = evtimer_new(base, vrrp_stop_check, vc);
	return vc->ev_stop ? 0 : -ENOMEM;
}

/* The loop is over: a clean stop has handed over what it could; the rest
 * shuts down (addresses removed).  A killed child never gets here, and the
 * kernel keeps its addresses for the next one. */
static void
vrrp_stop(void *state)
{
	struct vrrp_child *vc = state;

	for (size_t i = 0; i < vc->n_inst; i++)
		vrrp_inst_stop(&vc->inst[i], vc->inst[i].vc != NULL);
	vrrp_free_array(vc->inst, vc->n_inst);
	vrrp_free_array(vc->staged, vc->n_staged);
	vc->inst = vc->staged = NULL;
	vc->n_inst = vc->n_staged = 0;
	vrrp_strict_close(vc, true); /* a clean stop: no table left behind */
	if (vc->ev_stop)
		event_free(vc->ev_stop);
	vrrp_link_close(vc->link);
	if (vc->route)
		nl_socket_free(vc->route);
}

int
vrrp_main(int fd)
{
	struct vrrp_child vc;
	const struct child_role role = {
	    .name = "vrrp",
	    .accept = 1u << IPC_CONF_VRRP | 1u << IPC_CONF_TRACK_IF,
	    .state = &vc,
	    .start = vrrp_start,
	    .begin = vrrp_begin,
	    .object = vrrp_object,
	    .commit = vrrp_commit,
	    .stop = vrrp_stop,
	    .accept_msgs = 1u << IPC_READY | 1u << IPC_HANDOVER | 1u << IPC_TRACK,
	    .message = vrrp_message,
	    .status = vrrp_status,
	    .term = vrrp_term,
	};

	memset(&vc, 0, sizeof(vc));
	return child_run(&role, fd);
}
