/* The ownership record: which IPVS services this lvsd put in the kernel.
 *
 * The writer owns the services of its current and previous configuration
 * (ipvs_table.h).  The record carries "previous" across a restart: after
 * every apply the writer saves the keys of the table it asked for, and
 * after a restart it loads them as the previous generation, so a service
 * removed from the file while lvsd was down is deleted at start, and a
 * service someone else added is still never touched.  The file lives in
 * /run beside the control socket: it is gone after a reboot, exactly when
 * the kernel's table is gone too.
 *
 * Format: text, one service key a line, '#' starts a comment:
 *   tcp 192.0.2.100 80
 *   udp 2001:db8::100 53
 *   fwmark inet 4
 */
#ifndef LVSD_IPVS_OWNED_H
#define LVSD_IPVS_OWNED_H

#include <stdio.h>

#include "lvsd/ipvs/ipvs_table.h"

/* Add one service key (no destinations) to t unless it is there. */
int ipvs_owned_add(struct ipvs_table *t, const struct ipvs_service *key);

/* Write the keys of t to f. */
int ipvs_owned_write(const struct ipvs_table *t, FILE *f);
/* Read keys into *out (services without destinations).  -EBADMSG with the
 * 1-based line in *bad_line for a line that is not a key; out is then
 * untouched. */
int ipvs_owned_read(FILE *f, struct ipvs_table *out, unsigned *bad_line);

/* The same on a file: save writes a temporary file and renames it over
 * path; load returns -ENOENT when there is no record. */
int ipvs_owned_save(const char *path, const struct ipvs_table *t);
int ipvs_owned_load(const char *path, struct ipvs_table *out, unsigned *bad_line);

#endif
