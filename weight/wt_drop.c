/* The drop reasons' names, and the reason of a check's error (see
 * wt_drop.h). */
#include "config.h"

#include <errno.h>

#include "weight/wt_drop.h"

static const char *const drop_names[WT_DROP_COUNT] = {
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

const char *
wt_drop_name(unsigned reason)
{
	return reason < WT_DROP_COUNT ? drop_names[reason] : "unknown";
}

enum wt_drop
wt_drop_of(int err)
{
	switch (err < 0 ? -err : err) {
	case EMSGSIZE:
		return WT_DROP_SIZE;
	case EBADMSG:
		return WT_DROP_MAGIC;
	case EPROTONOSUPPORT:
		return WT_DROP_VERSION;
	case EOPNOTSUPP:
		return WT_DROP_SIG_TYPE;
	case EAFNOSUPPORT:
		return WT_DROP_FAMILY;
	case EINVAL:
		return WT_DROP_MALFORMED;
	case ENOENT:
		return WT_DROP_UNKNOWN;
	case ENOKEY:
		return WT_DROP_NO_KEY;
	case EKEYREJECTED:
		return WT_DROP_SIGNATURE;
	case EALREADY:
		return WT_DROP_REPLAY;
	case ETIME:
		return WT_DROP_SKEW;
	case EDQUOT:
		return WT_DROP_RATE;
	default:
		return WT_DROP_OTHER;
	}
}
