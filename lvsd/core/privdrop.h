/* Dropping privileges in a child: all of them (weight, checkers), or all
 * but a few capabilities (vrrp). */
#ifndef LVSD_PRIVDROP_H
#define LVSD_PRIVDROP_H

#include <linux/capability.h>
#include <stdint.h>

/* the bit of capability cap (CAP_NET_ADMIN, ...) in a privdrop_keep() set */
#define PRIVDROP_CAP(cap) (UINT64_C(1) << (cap))

/* Become user (its uid, its gid, no supplementary groups), with no
 * capabilities in any set (effective, permitted, inheritable, ambient,
 * bounding) and no-new-privs.  When not running as root only the
 * capability and no-new-privs part applies (the bounding set can only be
 * emptied with CAP_SETPCAP: without it this fails).  0 or -errno; on failure the
 * process is in an unknown state and must exit.  what, if not NULL, names
 * the step that failed. */
int privdrop(const char *user, const char **what);

/* Stay the same user, but with only the capabilities in keep (a set of
 * PRIVDROP_CAP bits; those not permitted now are left out) effective and
 * permitted, none inheritable or ambient, a bounding set of keep alone,
 * and no-new-privs.  Fails (-EPERM) when a capability outside keep cannot
 * be dropped from the bounding set.  0 or -errno, with what as for
 * privdrop(). */
int privdrop_keep(uint64_t keep, const char **what);

#endif
