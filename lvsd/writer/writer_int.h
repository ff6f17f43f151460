/* The IPVS writer's state, shared by writer.c (the generation, the queue,
 * the batches), writer_kernel.c (the socket, the ownership record, the
 * sync daemons, the log lines) and writer_dump.c (reading the kernel's
 * table).  Not for other files; the two below writer.c never call it. */
#ifndef LVSD_WRITER_INT_H
#define LVSD_WRITER_INT_H

#include <time.h>

#include <event2/event.h>

#include "lvsd/ipvs/ipvs.h"
#include "lvsd/ipvs/ipvs_index.h"
#include "lvsd/ipvs/ipvs_table.h"
#include "lvsd/conf/conf.h"
#include "lvsd/writer/writer_stats.h"

#define WRITER_RETRY_S 2	 /* no IPVS in the kernel: try again this often */
#define WRITER_REPAIRS_LOGGED 20 /* per resync, one line each; then a count */

/* One destination slot of the running generation, in configuration order
 * (table_from_conf_w's slots: real servers, then the sorry server). */
struct writer_dest {
	uint32_t want;	/* the weight to have (when not absent) */
	uint32_t acked; /* the weight the kernel accepted (when in_kernel) */
	bool absent;	/* wanted out of the kernel's table */
	bool in_kernel; /* with the wanted options */
	bool queued;	/* a weight item for it waits in the queue */
	bool busy;	/* a reconcile's operation on it is queued or in flight */
};

/* One queued change: a weight for a destination (the latest want is sent:
 * SET_DEST, or NEW_DEST / DEL_DEST when it comes back or goes away) or an
 * operation of a reconcile. */
struct writer_item {
	struct ipvs_op op;
	size_t dest; /* weight items: the flat destination number */
	bool weight;
};

struct writer_waiter; /* writer.c's */

/* The reconcile whose summary is due once its operations are answered. */
struct writer_round {
	bool active;
	bool resync;
	uint64_t until; /* w->done reaching this ends it */
	unsigned ops, refused;
};

/* A read of the kernel's table in progress (writer_dump.c). */
struct writer_dump {
	bool active;
	uint32_t seq;
	size_t svc; /* whose destinations are being read; SIZE_MAX: the services */
	size_t cap; /* of the array being filled */
	int err;
	struct ipvs_table have;
	struct timespec t0; /* CLOCK_MONOTONIC */
};

struct writer {
	struct ipvs_nl *nl;
	struct event_base *base;
	struct event *ev_nl, *ev_kick, *ev_retry, *ev_resync;
	event_callback_fn readable; /* writer.c's: the socket has acks to read */
	uint32_t resync_ms;
	char sync_if[CONF_NAME_MAX];
	uint8_t sync_id;
	bool sync_owned;		/* the previous generation asked for the sync daemons */
	int8_t sloppy_tcp, sloppy_sctp; /* net.ipv4.vs.sloppy_*: -1 leave alone */
	bool said_sysctl;		/* could not read them: said once */
	bool said_unavailable;
	char *owned_path;  /* the ownership record, or NULL */
	bool said_unsaved; /* the record could not be written */
	/* the generation */
	bool have_want;
	struct ipvs_table want; /* every slot; absent ones weigh TABLE_ABSENT */
	struct ipvs_index wx;
	struct writer_dest *dst; /* wx.n_dests of them */
	bool *svc_in;		 /* per want service: in the kernel */
	bool *svc_refused;	 /* per want service: the kernel refused to create it */
	struct ipvs_table owned; /* service keys lvsd owns (the diff's "previous") */
	bool have_owned;
	bool reconcile_due, resync_due, reconciled;
	/* the queue */
	struct writer_item *q;
	size_t qh, qn, qcap;
	uint64_t enq, done; /* items ever queued; answered or dropped */
	struct writer_waiter *waiters;
	/* the batch in flight */
	bool in_flight;
	size_t b_items; /* queue items the batch consumed */
	struct ipvs_nl_batch b;
	struct ipvs_op bop[IPVS_BATCH_MAX];
	bool bweight[IPVS_BATCH_MAX];
	size_t bat[IPVS_BATCH_MAX]; /* queue position of each request */
	struct writer_round round;
	struct writer_dump dump;
	struct writer_stats st;
};

/* writer_kernel.c */
int writer_open(struct writer *w);
void writer_close(struct writer *w);
void writer_load_owned(struct writer *w);
void writer_save_owned(struct writer *w);
void writer_sync(struct writer *w);
void writer_sysctls(struct writer *w);
void writer_log_refusal(const struct writer *w, const struct ipvs_op *op);
void writer_log_repair(const struct ipvs_op *op, const struct ipvs_index *hx);
/* writer_dump.c: read the kernel's table from the loop; recv returns 1
 * when it is in w->dump.have, 0 for more to come, or -errno */
int writer_dump_start(struct writer *w);
int writer_dump_recv(struct writer *w);
void writer_dump_free(struct writer *w);

#endif
