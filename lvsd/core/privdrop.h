/* Dropping privileges in a child: all of them (weight, checkers), or all
 * but a few capabilities (vrrp), always as the unprivileged user. */
#ifndef LVSD_PRIVDROP_H
#define LVSD_PRIVDROP_H

#include <linux/capability.h>
#include <stdint.h>

/* the bit of capability cap (CAP_NET_ADMIN, ...) in a privdrop_role() keep set */
#define PRIVDROP_CAP(cap) (UINT64_C(1) << (cap))

/* A child's whole drop, after it was executed as root by the parent:
 * become user (uid, gid, no supplementary groups) keeping only the
 * capabilities in keep (effective and permitted; bounding set keep alone;
 * none inheritable or ambient), lock the securebits so that no setuid or
 * exec can give privileges back, set no-new-privs, and become not
 * dumpable.  Not running as root, only the capability part applies (and
 * fails without CAP_SETPCAP: the bounding set cannot be reduced).  0 or
 * -errno, with what (if not NULL) naming the step that failed; on failure
 * the process must exit. */
int privdrop_role(const char *user, uint64_t keep, const char **what);

#endif
