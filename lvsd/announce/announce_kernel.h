/* The VIP routes in the kernel (announce.h), through rtnetlink with
 * libnl-route: silent, every function 0 or -errno. */
#ifndef LVSD_ANNOUNCE_KERNEL_H
#define LVSD_ANNOUNCE_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "lvsd/conf/conf.h"

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

#endif
