/* The shared vocabulary's names (see names.h).  Pure. */
#include "config.h"

#include "lvsd/core/ipc.h"
#include "lvsd/core/names.h"

_Static_assert(VRRP_DROP_REASONS <= IPC_VRRP_DROPS, "drop counters do not fit the report");
_Static_assert(WT_DROP_COUNT <= IPC_WT_DROPS, "drop reasons do not fit the feedback message");
_Static_assert((int)VRRP_MASTER == (int)IPC_VRRP_MASTER && (int)VRRP_FAULT == (int)IPC_VRRP_FAULT &&
		   (int)VRRP_BACKUP == (int)IPC_VRRP_BACKUP && (int)VRRP_INIT == (int)IPC_VRRP_INIT,
	       "VRRP states travel as they are");

#define NAMES_OF(a, i) ((size_t)(i) < sizeof(a) / sizeof((a)[0]) && (a)[i] ? (a)[i] : NULL)

const char *
chk_reason_name(uint8_t r)
{
	static const char *const names[CHK_R_COUNT] = {
	    [CHK_R_NONE] = "no result yet",
	    [CHK_R_OK] = "ok",
	    [CHK_R_TIMEOUT] = "timeout",
	    [CHK_R_REFUSED] = "refused",
	    [CHK_R_RESET] = "reset",
	    [CHK_R_UNREACHABLE] = "unreachable",
	    [CHK_R_ERROR] = "error",
	    [CHK_R_STATUS] = "status",
	    [CHK_R_DIGEST] = "digest mismatch",
	    [CHK_R_EXPECT] = "no such substring",
	    [CHK_R_HEADER_LONG] = "bad response: header too long",
	    [CHK_R_MALFORMED] = "bad response: malformed",
	    [CHK_R_BODY_LONG] = "body too long",
	    [CHK_R_TRUNCATED] = "bad response: truncated",
	    [CHK_R_TLS] = "TLS failure",
	    [CHK_R_SCRIPT_EXIT] = "script exit",
	    [CHK_R_SCRIPT_SIGNAL] = "script killed",
	};
	const char *n = NAMES_OF(names, r);

	return n ? n : "unknown";
}

const char *
vrrp_st_name(enum vrrp_st s)
{
	static const char *const names[] = {"init", "backup", "master", "fault"};
	const char *n = NAMES_OF(names, s);

	return n ? n : "unknown";
}

const char *
vrrp_why_name(enum vrrp_why w)
{
	static const char *const names[VRRP_WHY_COUNT] = {
	    [VRRP_WHY_NONE] = "none",
	    [VRRP_WHY_STARTUP] = "startup",
	    [VRRP_WHY_OWNER] = "address owner (priority 255)",
	    [VRRP_WHY_RESUME] = "resumed after a restart",
	    [VRRP_WHY_MASTER_DOWN] = "no advertisement from the master",
	    [VRRP_WHY_PREEMPT] = "preempted a lower-priority master",
	    [VRRP_WHY_RESIGNED] = "the master resigned",
	    [VRRP_WHY_HIGHER_PRIO] = "a master of higher priority",
	    [VRRP_WHY_HIGHER_ADDR] = "a master of equal priority and higher address",
	    [VRRP_WHY_HANDED_OVER] = "handed over to the new master",
	    [VRRP_WHY_FAULT] = "a tracked object failed",
	    [VRRP_WHY_FAULT_CLEARED] = "tracked objects are fine again",
	    [VRRP_WHY_SHUTDOWN] = "shutdown",
	    [VRRP_WHY_SYNC_GROUP] = "another member of its sync group left master",
	};
	const char *n = NAMES_OF(names, w);

	return n ? n : "unknown";
}

const char *
vrrp_drop_name(int reason)
{
	/* the instance's "interval-mismatch" and "version-mismatch" are
	 * distinct from the codec's "interval" (zero) and "version" (not 2
	 * or 3): status --json uses the names as keys */
	static const char *const names[VRRP_DROP_REASONS] = {
	    [VRRP_DROP_NONE] = "none",		 [VRRP_DROP_SHORT] = "short",
	    [VRRP_DROP_IP_HEADER] = "ip-header", [VRRP_DROP_TTL] = "ttl",
	    [VRRP_DROP_VERSION] = "version",	 [VRRP_DROP_FAMILY] = "family",
	    [VRRP_DROP_TYPE] = "type",		 [VRRP_DROP_LENGTH] = "length",
	    [VRRP_DROP_COUNT] = "count",	 [VRRP_DROP_CHECKSUM] = "checksum",
	    [VRRP_DROP_INTERVAL] = "interval",	 [VRRP_DROP_AUTH] = "auth",
	    [VRRP_DROP_RESERVED] = "reserved",	 [VRRP_DROP_VRID] = "vrid",
	    [VRRP_DROP_ADDRS] = "addresses",	 [VRRP_DROP_ADV_INTERVAL] = "interval-mismatch",
	    [VRRP_DROP_PEER] = "peer",		 [VRRP_DROP_INST_VERSION] = "version-mismatch",
	};
	const char *n;

	if (reason < 0)
		reason = -reason;
	n = NAMES_OF(names, reason);
	return n ? n : "unknown";
}

const char *
wt_drop_name(unsigned reason)
{
	static const char *const names[WT_DROP_COUNT] = {
	    [WT_DROP_SIZE] = "size",
	    [WT_DROP_MAGIC] = "magic",
	    [WT_DROP_VERSION] = "version",
	    [WT_DROP_SIG_TYPE] = "sig_type",
	    [WT_DROP_FAMILY] = "family",
	    [WT_DROP_MALFORMED] = "malformed",
	    [WT_DROP_UNKNOWN] = "unknown_server",
	    [WT_DROP_NO_KEY] = "no_key",
	    [WT_DROP_SIGNATURE] = "signature",
	    [WT_DROP_REPLAY] = "replay",
	    [WT_DROP_SKEW] = "skew",
	    [WT_DROP_RATE] = "rate",
	    [WT_DROP_OTHER] = "other",
	};
	const char *n = NAMES_OF(names, reason);

	return n ? n : "unknown";
}

const char *
wt_feedback_name(enum wt_feedback s)
{
	static const char *const names[] = {
	    [WT_FB_UNKNOWN] = "unknown", [WT_FB_WARMING] = "warming", [WT_FB_TRUSTED] = "trusted",
	    [WT_FB_STALE] = "stale",	 [WT_FB_EXPIRED] = "expired",
	};
	const char *n = NAMES_OF(names, s);

	return n ? n : "?";
}
