/* Why a check passed or failed: the reason codes the checkers child sends
 * in struct ipc_health_rs (reason, with code) and their names, shared with
 * the parent, which logs and shows them. */
#ifndef CHK_REASON_H
#define CHK_REASON_H

#include <stdint.h>

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

static inline const char *
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

	return r < CHK_R_COUNT ? names[r] : "unknown";
}

#endif
