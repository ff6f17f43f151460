/* Why the receiver drops a report: the reason of an error (the reasons
 * and their names, shared with the parent, are in lvsd/core/names.h).
 * Pure. */
#ifndef LVSD_WEIGHT_WT_DROP_H
#define LVSD_WEIGHT_WT_DROP_H

#include "lvsd/core/names.h" /* enum wt_drop, wt_drop_name() */

/* The reason of an error of rpt_decode, rpt_fresh, rpt_verify or wt_recv. */
enum wt_drop wt_drop_of(int err);

#endif
