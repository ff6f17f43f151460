/* The reason of a check's error (see wt_drop.h). */
#include "config.h"

#include <errno.h>

#include "weight/wt_drop.h"

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
