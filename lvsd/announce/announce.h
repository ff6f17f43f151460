/* Announcing VIPs for active-active directors behind ECMP.
 *
 * lvsd keeps a VIP's /32 or /128 route (dev lo, protocol
 * CONF_ANNOUNCE_RTPROT) in a kernel routing table while the director is fit
 * to serve every service that announces the VIP, and removes it when not;
 * a routing daemon imports the table and announces the route over BGP.
 * Three parts: the pure judgement of one service (announce_calc.h), the
 * kernel adapter (announce_kernel.h, rtnetlink through libnl-route, silent)
 * and the policy that ties them to the parent's state and logs
 * (announce.c, this header). */
#ifndef LVSD_ANNOUNCE_H
#define LVSD_ANNOUNCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lvsd;
struct evbuffer;
struct json;

/* For the running configuration: adopt the routes lvsd left (a restart
 * after a crash keeps them until judged), remove those of VIPs no longer
 * announced.  0 or -ENOMEM (logged either way). */
int announce_reset(struct lvsd *d);
/* Judge every VIP again; change the routes that must change; log each
 * transition once with its reason. */
void announce_update(struct lvsd *d);
/* At start, before announce_reset: the director drain a restart brings
 * back (the state file), drained since_s seconds ago.  0 or -ENOMEM. */
int announce_restore(struct lvsd *d, bool draining, double since_s);
/* lvsctl drain --director / undrain --director: the number of routes
 * withdrawn now (drain) or 0. */
size_t announce_drain(struct lvsd *d, bool drain);
bool announce_draining(const struct lvsd *d);
/* Seconds since the director was drained (0 when it is not). */
double announce_drained_for(const struct lvsd *d);
/* Remove every route and close (on stop). */
void announce_free(struct lvsd *d);
/* status */
void announce_status_text(const struct lvsd *d, struct evbuffer *out);
/* member "announce": {"draining": ..., "routes": [...]} */
void announce_status_json(const struct lvsd *d, struct json *j);

#endif
