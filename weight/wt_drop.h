/* Why the receiver drops a report: the counters lvsctl weights shows,
 * named the same in the weight child and in the parent.  Pure. */
#ifndef LVSD_WEIGHT_WT_DROP_H
#define LVSD_WEIGHT_WT_DROP_H

#include "lvsd/core/ipc.h"

/* Why a report was dropped: the counters lvsctl weights shows. */
enum wt_drop {
	WT_DROP_SIZE,	   /* not the length of its type */
	WT_DROP_MAGIC,	   /* not a report */
	WT_DROP_VERSION,   /* another protocol version */
	WT_DROP_SIG_TYPE,  /* an unknown signature type */
	WT_DROP_FAMILY,	   /* a bad server address family */
	WT_DROP_MALFORMED, /* reserved bytes, unknown flags, values out of range */
	WT_DROP_UNKNOWN,   /* no real server has that address (and port) */
	WT_DROP_NO_KEY,	   /* its real servers have no usable key */
	WT_DROP_SIGNATURE, /* signed with none of their keys */
	WT_DROP_REPLAY,	   /* not newer than the last one accepted */
	WT_DROP_SKEW,	   /* timestamp too far from the director's clock */
	WT_DROP_RATE,	   /* above the source's rate */
	WT_DROP_OTHER,	   /* a receive error, OpenSSL failing */
	WT_DROP_COUNT
};
_Static_assert(WT_DROP_COUNT <= IPC_WT_DROPS, "drop reasons do not fit the feedback message");

const char *wt_drop_name(unsigned reason);
/* The reason of an error of rpt_decode, rpt_fresh, rpt_verify or wt_recv. */
enum wt_drop wt_drop_of(int err);

#endif
