/* The parent's IPVS writer: the one process that changes the kernel's
 * virtual server table.
 *
 * It keeps the table of the running configuration with, per destination,
 * the weight it wants and the weight the kernel ACCEPTED (its ack).  A
 * weight change sends one SET_DEST for that destination only, and only
 * when it differs from what the kernel has or what is queued; changes
 * that arrive while a batch is in flight are coalesced (the latest weight
 * per destination wins) into the next one.  Exactly one batch is in
 * flight at a time; its acks are read when the event loop says the
 * netlink socket is readable, so a slow kernel never holds the loop.
 *
 * A full reconcile (start, reload, periodic resync, IPVS appearing after
 * start) reads the kernel's whole table from the loop too (netlink dumps,
 * a few datagrams per event: the kernel makes each part as it is read),
 * diffs it and queues the operations on the same non-blocking path.  What
 * still holds the loop: the kernel's handling of one batch inside sendmsg
 * (at most IPVS_BATCH_MAX requests) or of a few dump parts inside recvmsg;
 * connecting (family resolution, the kernel's version); at start and
 * reload, reading and setting the sync daemons (blocking requests, a few
 * ms) and writing the ownership record.  It keeps the services it owns
 * (ipvs_owned.h), so a reload that drops a service deletes exactly that
 * one and nothing lvsd does not own. */
#ifndef LVSD_WRITER_H
#define LVSD_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "lvsd/conf/conf.h"
#include "lvsd/writer/table.h"
#include "lvsd/writer/writer_stats.h"

struct event_base;
struct writer;

/* owned_path names the ownership record (ipvs_owned.h); NULL for none.
 * NULL only when out of memory. */
struct writer *writer_new(const char *owned_path);
void writer_free(struct writer *w);
/* Attach to the event loop: the socket's acks, the resync and the retry
 * timers.  0 or -ENOMEM. */
int writer_start(struct writer *w, struct event_base *base);

/* Make the kernel's table match c (weights from fn, NULL: static) for the
 * services lvsd owns: the new generation replaces the old at once, the
 * reconcile runs from the loop (after the batch in flight, if any).  Logs
 * each operation the kernel refused, once, and a summary line
 * "ipvs: N services, N destinations; N changes, N refused" when the
 * kernel has answered every operation.  A kernel without IPVS is reported
 * once and tried again every 2 s; the reconcile runs when it appears.
 * 0 or a negative errno (the table cannot be computed). */
int writer_apply(struct writer *w, const struct conf *c, table_weight_fn fn, void *arg);

/* Queue a weight for destination rs_idx of service svc_idx (indices into
 * the configuration last given to writer_apply) unless the kernel has it
 * or it is queued already.  0, -EINVAL (no such destination) or -ERANGE
 * (weight above 65535). */
int writer_set_weight(struct writer *w, size_t svc_idx, size_t rs_idx, uint32_t weight);

/* Whether everything queued before the call has been answered by the
 * kernel: writer_ticket names "now"; writer_wait calls cb(arg) once the
 * kernel has answered everything up to the ticket (returns 1 without
 * calling cb when it has already, 0 when cb is pending, -ENOMEM).  A
 * reconcile that replaces queued changes moves pending tickets to its own
 * end.  writer_wait_cancel forgets every pending callback with arg. */
typedef void (*writer_done_fn)(void *arg);
uint64_t writer_ticket(const struct writer *w);
int writer_wait(struct writer *w, uint64_t ticket, writer_done_fn cb, void *arg);
void writer_wait_cancel(struct writer *w, void *arg);

void writer_stats(const struct writer *w, struct writer_stats *out);

#endif
