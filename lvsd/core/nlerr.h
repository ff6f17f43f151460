/* libnl's errors as errnos, for the roles that speak rtnetlink through
 * libnl-route (the parent's announced routes, the vrrp child's addresses):
 * one mapping, so that the same kernel refusal reads the same in either
 * log.  Header only: the roles that do not use libnl do not link it. */
#ifndef LVSD_CORE_NLERR_H
#define LVSD_CORE_NLERR_H

#include <errno.h>

#include <netlink/errno.h>

/* nle: a libnl error (negative NLE_*); returns -errno, -EIO for the rest. */
static inline int
lvsd_nl_errno(int nle)
{
	switch (-nle) {
	case NLE_PERM:
		return -EPERM;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	default:
		return -EIO;
	}
}

#endif
