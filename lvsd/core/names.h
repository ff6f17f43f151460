/* The vocabulary every process shares: the reason codes and states a child
 * puts in its messages to the parent (lvsd/core/ipc.h), and their names as
 * the logs, lvsctl and status --json say them.  A child and the parent
 * both include this room; neither includes the other's headers. */
#ifndef LVSD_CORE_NAMES_H
#define LVSD_CORE_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* ---- health checks: the checkers child, and the parent's script checks */

/* Why a check passed or failed: reason, with code, in struct ipc_health_rs. */
enum chk_reason {
	CHK_R_NONE,	     /* no result yet */
	CHK_R_OK,	     /* passed */
	CHK_R_TIMEOUT,	     /* no answer within the timeout */
	CHK_R_REFUSED,	     /* connection refused */
	CHK_R_RESET,	     /* connection reset */
	CHK_R_UNREACHABLE,   /* no route to the host or network */
	CHK_R_ERROR,	     /* another socket error: code is the errno */
	CHK_R_STATUS,	     /* unexpected HTTP status: code is the status */
	CHK_R_DIGEST,	     /* body digest mismatch */
	CHK_R_EXPECT,	     /* the expected substring is not in the body */
	CHK_R_HEADER_LONG,   /* bad response: a header line or the header too long */
	CHK_R_MALFORMED,     /* bad response: not HTTP */
	CHK_R_BODY_LONG,     /* body longer than the cap */
	CHK_R_TRUNCATED,     /* closed before the end of the header or body */
	CHK_R_TLS,	     /* TLS failure: code is the OpenSSL error (0 unknown) */
	CHK_R_SCRIPT_EXIT,   /* a script check exited non-zero: code is its status */
	CHK_R_SCRIPT_SIGNAL, /* a script check was killed: code is the signal */
	CHK_R_COUNT
};

/* "timeout", "refused", ...; "unknown" out of range.  The parent says a
 * result with its code (lvsd_check_reason in lvsd/results.c). */
const char *chk_reason_name(uint8_t r);

/* ---- VRRP: the vrrp child */

/* An instance's state; the same values as enum ipc_vrrp_st. */
enum vrrp_st { VRRP_INIT, VRRP_BACKUP, VRRP_MASTER, VRRP_FAULT };

/* Why a transition happened (logged, reported to the parent, in drills). */
enum vrrp_why {
	VRRP_WHY_NONE,
	VRRP_WHY_STARTUP,	/* initial state */
	VRRP_WHY_OWNER,		/* priority 255: the address owner is master at once */
	VRRP_WHY_RESUME,	/* restarted while master: resumed */
	VRRP_WHY_MASTER_DOWN,	/* no advertisement within the master-down interval */
	VRRP_WHY_PREEMPT,	/* took over from a lower-priority master */
	VRRP_WHY_RESIGNED,	/* the master resigned (priority 0) */
	VRRP_WHY_HIGHER_PRIO,	/* heard a master of higher priority */
	VRRP_WHY_HIGHER_ADDR,	/* heard a master of equal priority and higher address */
	VRRP_WHY_HANDED_OVER,	/* we resigned and heard the new master */
	VRRP_WHY_FAULT,		/* a tracked object failed */
	VRRP_WHY_FAULT_CLEARED, /* every tracked object is fine again */
	VRRP_WHY_SHUTDOWN,	/* stopped */
	VRRP_WHY_SYNC_GROUP,	/* another member of its sync group left master */
	VRRP_WHY_COUNT
};

/* Why an advertisement was dropped: the codec's reasons (its decoders
 * return the negative value), then the instance's, counted per instance
 * in struct ipc_vrrp_state. */
enum vrrp_drop {
	VRRP_DROP_NONE = 0,
	VRRP_DROP_SHORT,		   /* shorter than an IPv4 header or the VRRP header */
	VRRP_DROP_IP_HEADER,		   /* IPv4 header: not version 4, a header length
					      under 20 or past the end, a total length other than
					      the packet's, a protocol other than 112 */
	VRRP_DROP_TTL,			   /* TTL / hop limit other than 255 */
	VRRP_DROP_VERSION,		   /* VRRP version other than 2 or 3 */
	VRRP_DROP_FAMILY,		   /* not AF_INET / AF_INET6, or version 2 over IPv6 */
	VRRP_DROP_TYPE,			   /* type other than 1 (advertisement) */
	VRRP_DROP_LENGTH,		   /* not the header plus whole addresses (v2: plus
					      the 8 authentication bytes) */
	VRRP_DROP_COUNT,		   /* count 0, or not the number of addresses present */
	VRRP_DROP_CHECKSUM,		   /* not the checksum the encoder computes */
	VRRP_DROP_INTERVAL,		   /* advertisement interval 0 */
	VRRP_DROP_AUTH,			   /* v2 auth type other than 0 (1 and 2 are RFC 3768's
					      deprecated authentication), or auth data not zero */
	VRRP_DROP_RESERVED,		   /* v3 reserved bits set */
	VRRP_DROP_COUNT_,		   /* the number of the codec's reasons; the
					      instance's follow */
	VRRP_DROP_VRID = VRRP_DROP_COUNT_, /* another virtual router on the link */
	VRRP_DROP_ADDRS,		   /* the address list is not ours */
	VRRP_DROP_ADV_INTERVAL,		   /* v2: not our advertisement interval
					      ("interval-mismatch") */
	VRRP_DROP_PEER,			   /* unicast: not from a configured peer */
	VRRP_DROP_INST_VERSION,		   /* not the instance's VRRP version
					      ("version-mismatch") */
	VRRP_DROP_REASONS
};

/* "init", "backup", "master", "fault"; "unknown" out of range. */
const char *vrrp_st_name(enum vrrp_st s);
const char *vrrp_why_name(enum vrrp_why w);
/* The counter name of a drop reason ("short", "checksum", "vrid", ...),
 * distinct for every reason (status --json uses them as keys); "unknown"
 * out of range.  Takes the reason or its negative. */
const char *vrrp_drop_name(int reason);

/* ---- load reports: the weight child */

/* cg_mem_max of a report (and of struct ipc_feedback_rs) for a group
 * without a memory limit ("max"). */
#define RPT_UNLIMITED UINT64_MAX

/* Why the receiver drops a report: the counters lvsctl weights shows. */
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
const char *wt_drop_name(unsigned reason);

/* A real server's feedback state (see weight/policy.h). */
enum wt_feedback {
	WT_FB_UNKNOWN,
	WT_FB_WARMING,
	WT_FB_TRUSTED,
	WT_FB_STALE,
	WT_FB_EXPIRED,
};
/* "unknown", "warming", ...; "?" out of range. */
const char *wt_feedback_name(enum wt_feedback s);

#endif
