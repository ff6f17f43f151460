/* Privilege drop: user, groups, capabilities, no-new-privs. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lvsd/core/privdrop.h"

static int
privdrop_fail(const char **what, const char *step, int err)
{
	if (what)
		*what = step;
	return -err;
}

/* Reduce the bounding set to keep while we still have CAP_SETPCAP; stop
 * at the first capability the kernel does not know.  A drop may fail
 * (EPERM without CAP_SETPCAP), so read the set back: whatever is left
 * outside keep is a failure. */
static int
privdrop_bounding(uint64_t keep)
{
	int cap, r;

	for (cap = 0; cap < 64; cap++) {
		r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
		if (r < 0)
			break;
		if (r == 1 && !(keep & PRIVDROP_CAP(cap)) &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EPERM)
			return -errno;
	}
	if (cap < 64 && errno != EINVAL)
		return -errno;
	for (int i = 0; i < cap; i++)
		if (!(keep & PRIVDROP_CAP(i)) && prctl(PR_CAPBSET_READ, i, 0, 0, 0) != 0)
			return -EPERM;
	return 0;
}

/* effective = permitted = keep, inheritable empty; read back to be sure. */
static int
privdrop_caps(uint64_t keep)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		d[i].effective = d[i].permitted = (uint32_t)(keep >> (32 * i));
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].effective != (uint32_t)(keep >> (32 * i)) ||
		    d[i].permitted != (uint32_t)(keep >> (32 * i)) || d[i].inheritable)
			return -EPERM;
	return 0;
}

static int
privdrop_user(const char *user, const char **what)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int r;

	r = getpwnam_r(user, &pw, buf, sizeof(buf), &res);
	if (!res)
		return privdrop_fail(what, "unknown user", r ? r : ENOENT);
	if (setgroups(1, &pw.pw_gid) < 0)
		return privdrop_fail(what, "setgroups", errno);
	if (setresgid(pw.pw_gid, pw.pw_gid, pw.pw_gid) < 0)
		return privdrop_fail(what, "setgid", errno);
	if (setresuid(pw.pw_uid, pw.pw_uid, pw.pw_uid) < 0)
		return privdrop_fail(what, "setuid", errno);
	/* no way back */
	if (pw.pw_uid != 0 && setuid(0) == 0)
		return privdrop_fail(what, "setuid(0) still works", EPERM);
	return 0;
}

/* The permitted set now: what privdrop_role() can keep at most. */
static int
privdrop_permitted(uint64_t *out)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	*out = 0;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		*out |= (uint64_t)d[i].permitted << (32 * i);
	return 0;
}

/* Root becoming user while keeping its permitted capabilities: with
 * SECBIT_KEEP_CAPS the permitted set survives setresuid (the effective
 * set is cleared), so raise effective again to set the final securebits,
 * which need CAP_SETPCAP. */
static int
privdrop_user_keep(const char *user, const char **what)
{
	uint64_t have = 0;
	int r;

	if (prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS, 0, 0, 0) < 0)
		return privdrop_fail(what, "keeping capabilities across setuid", errno);
	r = privdrop_user(user, what);
	if (r < 0)
		return r;
	if ((r = privdrop_permitted(&have)) < 0 || (r = privdrop_caps(have)) < 0)
		return privdrop_fail(what, "raising capabilities after setuid", -r);
	/* locked: uid 0 means nothing, no fixups on setuid, no kept or ambient
	 * capabilities on exec */
	if (prctl(PR_SET_SECUREBITS,
		  SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
		      SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
		      SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
		  0, 0, 0) < 0)
		return privdrop_fail(what, "locking the securebits", errno);
	return 0;
}

int
privdrop_role(const char *user, uint64_t keep, const char **what)
{
	uint64_t have = 0;
	int r;

	r = privdrop_permitted(&have);
	if (r < 0)
		return privdrop_fail(what, "reading capabilities", -r);
	keep &= have;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return privdrop_fail(what, "clearing ambient capabilities", errno);
	r = privdrop_bounding(keep);
	if (r < 0)
		return privdrop_fail(what, keep ? "reducing the bounding set"
						: "emptying the bounding set",
				     -r);
	if (geteuid() == 0 && (r = privdrop_user_keep(user, what)) < 0)
		return r;
	r = privdrop_caps(keep);
	if (r < 0)
		return privdrop_fail(what, "reducing capabilities", -r);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return privdrop_fail(what, "no-new-privs", errno);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return privdrop_fail(what, "making the process not dumpable", errno);
	return 0;
}
