/* Announcing VIPs for active-active directors behind ECMP.
 *
 * lvsd keeps a VIP's /32 or /128 route (dev lo, protocol
 * CONF_ANNOUNCE_RTPROT) in a kernel routing table while the director is fit
 * to serve every service that announces the VIP, and removes it when not;
 * a routing daemon imports the table and announces the route over BGP.
 * Three parts: the pure judgement of one service (announce_calc.c), the
 * kernel adapter (announce_kernel.c, rtnetlink through libnl-route, silent)
 * and the policy that ties them to the parent's state and logs
 * (announce.c). */
#ifndef LVSD_ANNOUNCE_H
#define LVSD_ANNOUNCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lvsd/conf/conf.h"

struct lvsd;
struct evbuffer;
struct json;

/* Why a service is fit or not.  ANN_WAIT: not known yet (the first
 * reconcile of a generation in flight, or too few results): the route stays
 * as the kernel has it, so neither a restart nor a reload flaps it. */
enum ann_why {
	ANN_FIT,
	ANN_WAIT_APPLY,
	ANN_WAIT_HEALTH,
	ANN_STOPPING,
	ANN_DRAINING,
	ANN_NO_IPVS,
	ANN_REFUSED,
	ANN_TOO_FEW_UP,
};

/* What the judgement of one service reads. */
struct ann_input {
	bool stopping;	  /* lvsd is stopping */
	bool draining;	  /* lvsctl drain --director */
	bool ipvs;	  /* the kernel has IPVS */
	bool applied;	  /* the kernel answered the generation's reconcile */
	bool programmed;  /* ...and accepted every service */
	uint32_t up;	  /* real servers up (or unchecked), not drained, weight > 0 */
	uint32_t unknown; /* checked real servers without a first result */
	uint32_t n_rs;
	uint32_t min_up;
};

/* announce_calc.c (pure) */
enum ann_why ann_judge(const struct ann_input *in);
/* true: announce; false: withdraw; ANN_WAIT_*: keep (*keep = true). */
bool ann_wants(enum ann_why w, bool *keep);
/* "3 of 3 real servers up", "draining", ... */
const char *ann_why_str(enum ann_why w, const struct ann_input *in, char *buf, size_t len);
/* "fit", "wait-apply", ... for JSON */
const char *ann_why_name(enum ann_why w);

/* announce_kernel.c: the routes, through rtnetlink.  0 or -errno. */
struct ann_nl;
int ann_nl_open(struct ann_nl **out);
void ann_nl_close(struct ann_nl *nl);
/* Add (replace) or delete the route of vip in table; as asked already is 0. */
int ann_nl_set(struct ann_nl *nl, uint32_t table, const struct conf_addr *vip, bool present);
/* Add the route of vip in table unless it is there: 1 when it was missing
 * (and is back), 0 when it was there, or -errno. */
int ann_nl_ensure(struct ann_nl *nl, uint32_t table, const struct conf_addr *vip);
/* Every route of protocol CONF_ANNOUNCE_RTPROT, in any table. */
typedef void (*ann_nl_fn)(void *arg, uint32_t table, const struct conf_addr *dst);
int ann_nl_list(struct ann_nl *nl, ann_nl_fn fn, void *arg);

/* announce.c: the policy, in the parent */
/* For the running configuration: adopt the routes lvsd left (a restart
 * after a crash keeps them until judged), remove those of VIPs no longer
 * announced.  0 or -ENOMEM (logged either way). */
int announce_reset(struct lvsd *d);
/* Judge every VIP again; change the routes that must change; log each
 * transition once with its reason. */
void announce_update(struct lvsd *d);
/* lvsctl drain --director / undrain --director: the number of routes
 * withdrawn now (drain) or 0. */
size_t announce_drain(struct lvsd *d, bool drain);
bool announce_draining(const struct lvsd *d);
/* Remove every route and close (on stop). */
void announce_free(struct lvsd *d);
/* status */
void announce_status_text(const struct lvsd *d, struct evbuffer *out);
/* member "announce": {"draining": ..., "routes": [...]} */
void announce_status_json(const struct lvsd *d, struct json *j);

#endif
