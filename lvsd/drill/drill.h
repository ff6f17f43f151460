/* Drills: planned handovers and the record of VRRP transitions.
 *
 * Every transition the vrrp child reports is kept (the last DRILL_LOG of
 * them) with its wall-clock time, reason, the master's address and the gap
 * it closed (how long after the old master's last advertisement a backup
 * took over, how long a handover took); `lvsctl drill report` prints them.
 * A handover (`lvsctl handover [INSTANCE]`) asks the vrrp child to resign
 * the master instances, make-before-break, and completes when each has
 * heard its new master. */
#ifndef LVSD_DRILL_H
#define LVSD_DRILL_H

#include <stdbool.h>
#include <stdint.h>

struct evbuffer;
struct ipc_vrrp_state;
struct lvsd;

#define DRILL_LOG 64

int drill_init(struct lvsd *d);
void drill_free(struct lvsd *d);

/* A transition reported by the vrrp child (its instance id is valid). */
void drill_record(struct lvsd *d, const struct ipc_vrrp_state *v);
void drill_report(const struct lvsd *d, struct evbuffer *out);

/* Start a handover of instance name (NULL: every master instance): 0 with
 * the cookie to wait on and *wait_ms, the longest it may take, or -errno
 * with a line in err (-ENOENT no such instance, -EAGAIN not master here,
 * -ENOTCONN no vrrp child). */
int drill_handover(struct lvsd *d, const char *name, uint32_t *cookie, uint32_t *wait_ms,
		   char *err, size_t len);
/* Whether handover cookie is complete; when it is, or when final (the
 * wait is over), a line per instance goes to out and it is forgotten.
 * Returns true when every instance was handed over. */
bool drill_handover_done(struct lvsd *d, uint32_t cookie, bool final, struct evbuffer *out,
			 bool *ok);

#endif
