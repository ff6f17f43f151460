/* Dropping privileges in a child that needs none (weight, checkers). */
#ifndef LVSD_PRIVDROP_H
#define LVSD_PRIVDROP_H

/* Become user (its uid, its gid, no supplementary groups), with no
 * capabilities in any set (effective, permitted, inheritable, ambient,
 * bounding) and no-new-privs.  When not running as root only the
 * capability and no-new-privs part applies.  0 or -errno; on failure the
 * process is in an unknown state and must exit.  what, if not NULL, names
 * the step that failed. */
int privdrop(const char *user, const char **what);

#endif
