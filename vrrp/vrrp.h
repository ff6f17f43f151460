/* The vrrp child: its instances and the kernel interfaces they use.
 *
 *   vrrp_main.c   the role: configuration generations, the parent's
 *                 messages (ready, handover), SIGTERM, reports to the parent
 *   vrrp_inst.c   one instance: runs the state machine (vrrp_fsm.c) on its
 *                 socket and timer, performs its actions
 *   vrrp_sock.c   the raw IPPROTO_VRRP socket of an instance: send, receive
 *   vrrp_addr.c   virtual addresses on the interface (libnl-route), the
 *                 interface's own addresses
 *   vrrp_announce.c  gratuitous ARP and unsolicited neighbour advertisements
 *   vrrp_link.c   interface state from rtnetlink notifications
 *   vrrp_pkt.c    the advertisement codec (pure)
 *   vrrp_fsm.c    the state machine (pure)
 *   vrrp_strict.c the strict filter at work; vrrp_nft.c its nftables adapter
 */
#ifndef VRRP_VRRP_H
#define VRRP_VRRP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lvsd/core/ipc.h"
#include "vrrp/vrrp_fsm.h"
#include "vrrp/vrrp_pkt.h"

struct child;
struct event;
struct nl_sock;
struct event_base;
struct vrrp_link;
struct vrrp_nft;

struct vrrp_addr {
	int family; /* AF_INET or AF_INET6 */
	uint8_t prefix;
	struct vrrp_pkt_addr a;
};

struct vrrp_inst {
	struct vrrp_child *vc;
	uint32_t id; /* index in the installed generation */
	char name[IPC_NAME_MAX];
	char ifname[IPC_NAME_MAX];
	int ifindex; /* 0 while the interface does not exist */
	uint8_t vrid, version;
	int family; /* of the advertisements: that of the first virtual address */
	struct vrrp_addr *vips;
	size_t n_vips;
	struct vrrp_addr *peers; /* unicast: send to and accept from these only */
	size_t n_peers;
	struct vrrp_addr source; /* configured unicast source; family 0 when none */
	struct vrrp_addr self;	 /* the source we advertise from */
	bool have_self;
	char (*track)[IPC_NAME_MAX]; /* tracked interfaces */
	size_t n_track;
	uint32_t announce_interval_ms;
	uint8_t announce_repeat;
	bool strict;
	bool resume;
	uint32_t sync_group; /* 0: none, else the group's index + 1 */
	int32_t track_delta; /* from the parent's tracked scripts and files */
	bool track_fault;

	struct vrrp_fsm fsm;
	int fd; /* the raw socket, -1 while closed */
	struct event *ev_read, *ev_timer, *ev_announce;
	unsigned announce_left;
	uint64_t announce_began;     /* the first announcement of this burst (us) */
	bool announce_late;	     /* the one after a neighbour's locktime is armed */
	struct vrrp_pkt_addr master; /* the last master heard (or ourselves) */
	bool link_down;		     /* its interface or a tracked one is down */
	uint32_t handover_cookie;    /* of a resign in progress, or 0 */
	uint64_t last_heard;	     /* when another master was last heard (us), 0 never */
	uint64_t resigned_at;	     /* when the resign began (us), 0 when none */

	uint64_t sent, received, dropped;
	uint32_t drops[VRRP_DROP_REASONS];
	uint32_t transitions;
};

struct vrrp_child {
	struct child *child;
	struct event_base *base;
	struct vrrp_link *link;
	struct nl_sock *route; /* for the virtual addresses */
	struct vrrp_nft *nft;  /* the strict filter, NULL when off or unavailable */
	bool nft_said;	       /* its absence was logged */
	unsigned nft_part_said; /* the families of a partial filter logged, 0 none */
	struct vrrp_inst *inst; /* the installed generation's */
	size_t n_inst;
	struct vrrp_inst *staged;
	size_t n_staged;
	uint64_t generation;
	bool ready;
	bool stopping; /* SIGTERM: resigning, exit when done */
	bool syncing;  /* moving the members of a sync group */
	uint64_t stop_deadline;
	uint64_t stop_wait_us; /* how long a clean stop waits for a new master */
	struct event *ev_stop;
	/* vrrp_main's: an instance of a sync group made a transition, its
	 * fellow members follow (installed at start) */
	void (*sync_transition)(struct vrrp_child *vc, struct vrrp_inst *vi, enum vrrp_st from,
				enum vrrp_st to);
};

/* vrrp_inst.c */
/* Set up an instance of the installed generation (sockets, timer) and
 * start its state machine; 0 or -errno (logged). */
int vrrp_inst_start(struct vrrp_inst *vi, struct vrrp_child *vc);
/* Take over the running state of old (same name, interface, VRID, version
 * and family): the state machine goes on where it was. */
void vrrp_inst_adopt(struct vrrp_inst *vi, struct vrrp_inst *old);
/* Stop: with shutdown, a master advertises priority 0 and lets go of its
 * addresses; without, the kernel keeps them (a restart resumes). */
void vrrp_inst_stop(struct vrrp_inst *vi, bool shutdown);
void vrrp_inst_free(struct vrrp_inst *vi);
void vrrp_inst_ready(struct vrrp_inst *vi, bool ready);
/* A planned handover: true when this master started resigning.  With
 * give_up (lvsctl handover) it advertises its own priority again when no
 * new master was heard within 3 advertisement intervals and a second;
 * without (SIGTERM) it resigns until the child's stop deadline, and lifts
 * the limit of a handover in progress. */
bool vrrp_inst_resign(struct vrrp_inst *vi, uint32_t cookie, bool give_up);
/* Interface ifname went up or down (or appeared with index). */
void vrrp_inst_link(struct vrrp_inst *vi, const char *ifname, int ifindex, bool up);
/* What tracked scripts and files make of it (IPC_TRACK). */
void vrrp_inst_track(struct vrrp_inst *vi, int32_t delta, bool fault);
/* Sync groups: hold the instance (another member is in fault), or make a
 * master leave with its group. */
void vrrp_inst_hold(struct vrrp_inst *vi, bool hold);
void vrrp_inst_sync_leave(struct vrrp_inst *vi);
/* Report the instance's state and counters to the parent. */
void vrrp_inst_report(struct vrrp_inst *vi, uint8_t prev, uint8_t why);

/* vrrp_sock.c */
/* Open the raw socket of vi on its interface (multicast group joined, or
 * unicast), TTL/hop limit 255, bound to the source vi->self.  fd or -errno. */
int vrrp_sock_open(const struct vrrp_inst *vi);
/* Send one advertisement of priority prio to the group or every peer. */
int vrrp_sock_send(struct vrrp_inst *vi, uint8_t prio);
/* Receive one packet: 0 with *drop 0 and *out filled, or 0 with *drop a
 * reason (VRRP_DROP_*) for a packet that is not valid; -EAGAIN when none
 * is left, another -errno when the socket failed.  (Drop reasons and
 * errnos share small numbers: never one in the place of the other.) */
int vrrp_sock_recv(struct vrrp_inst *vi, struct vrrp_pkt *out, int *drop);

/* vrrp_addr.c */
/* The interface's address to advertise from: IPv4, its first address that
 * is not a virtual one; IPv6, its link-local address.  0 or -errno. */
int vrrp_addr_self(const char *ifname, int family, const struct vrrp_addr *vips, size_t n_vips,
		   struct vrrp_addr *out);
/* How many of the virtual addresses are on the interface now. */
size_t vrrp_addr_count_present(const char *ifname, const struct vrrp_addr *vips, size_t n);
/* Add or remove the virtual addresses (libnl-route); present / absent ones
 * are fine.  Returns how many could not be changed; *err the first error. */
int vrrp_addr_set(struct nl_sock *sk, int ifindex, const struct vrrp_addr *vips, size_t n,
		  bool add, int *err);
/* Forget the interface's neighbour entries still resolving or failed
 * (their probes were lost while the link was down): how many, or -errno. */
int vrrp_addr_flush_unresolved(struct nl_sock *sk, int ifindex);
/* The route socket these use (one per child). */
int vrrp_addr_socket(struct nl_sock **out);

/* vrrp_strict.c: the nftables filter of the VIPs not held */
void vrrp_strict_rebuild(struct vrrp_child *vc);
void vrrp_strict_update(struct vrrp_child *vc, const struct vrrp_inst *vi);
void vrrp_strict_close(struct vrrp_child *vc, bool remove);

/* vrrp_announce.c */
/* Gratuitous ARP (IPv4) or unsolicited neighbour advertisement (IPv6) for
 * every virtual address of vi: 0 or the first -errno. */
int vrrp_announce(const struct vrrp_inst *vi);
/* The same for the address vi advertises from (self): 0 or -errno. */
int vrrp_announce_self(const struct vrrp_inst *vi);

/* vrrp_link.c */
typedef void (*vrrp_link_cb)(void *arg, const char *ifname, int ifindex, bool up);
int vrrp_link_open(struct event_base *base, vrrp_link_cb cb, void *arg, struct vrrp_link **out);
void vrrp_link_close(struct vrrp_link *l);
/* The interface's index and whether it is up with carrier; -ENODEV. */
int vrrp_link_state(const char *ifname, int *ifindex, bool *up);

/* Time now, CLOCK_MONOTONIC, in microseconds. */
uint64_t vrrp_now(void);
const char *vrrp_addr_str(const struct vrrp_addr *a, char *buf, size_t len);

#endif
