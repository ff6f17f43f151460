/* Privilege drop: user, groups, capabilities, no-new-privs. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lvsd/privdrop.h"

static int
privdrop_fail(const char **what, const char *step, int err)
{
	if (what)
		*what = step;
	return -err;
}

/* Empty the bounding set while we still have CAP_SETPCAP; stop at the
 * first capability the kernel does not know. */
static int
privdrop_bounding(void)
{
	for (int cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			return errno == EINVAL ? 0 : -errno;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EPERM)
			return -errno;
	}
	return 0;
}

static int
privdrop_caps(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	/* read back: every set must be empty */
	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable)
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

int
privdrop(const char *user, const char **what)
{
	int r;

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return privdrop_fail(what, "clearing ambient capabilities", errno);
	r = privdrop_bounding();
	if (r < 0)
		return privdrop_fail(what, "emptying the bounding set", -r);
	if (geteuid() == 0) {
		r = privdrop_user(user, what);
		if (r < 0)
			return r;
	}
	r = privdrop_caps();
	if (r < 0)
		return privdrop_fail(what, "clearing capabilities", -r);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return privdrop_fail(what, "no-new-privs", errno);
	return 0;
}
