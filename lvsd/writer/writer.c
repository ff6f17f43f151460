/* The parent's IPVS writer: the generation it wants, per destination what
 * the kernel accepted, one queue of changes, one batch in flight, acks
 * read from the event loop.  See writer.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "lvsd/core/log.h"
#include "lvsd/ipvs/ipvs_owned.h"
#include "lvsd/writer/writer.h"
#include "lvsd/writer/writer_int.h"

/* A callback waiting for the kernel to answer up to its ticket. */
struct writer_waiter {
	uint64_t ticket;
	writer_done_fn cb;
	void *arg;
	struct writer_waiter *next;
};

static void writer_kick(struct writer *w);
static void writer_readable(evutil_socket_t fd, short what, void *arg);

static void
writer_gen_free(struct writer *w)
{
	if (w->have_want) {
		ipvs_index_free(&w->wx);
		ipvs_table_free(&w->want);
	}
	free(w->dst);
	free(w->svc_in);
	free(w->svc_refused);
	w->dst = NULL;
	w->svc_in = w->svc_refused = NULL;
	w->have_want = false;
}

void
writer_free(struct writer *w)
{
	if (!w)
		return;
	while (w->waiters) {
		struct writer_waiter *n = w->waiters->next;

		free(w->waiters);
		w->waiters = n;
	}
	if (w->ev_nl)
		event_free(w->ev_nl);
	if (w->ev_kick)
		event_free(w->ev_kick);
	if (w->ev_retry)
		event_free(w->ev_retry);
	if (w->ev_resync)
		event_free(w->ev_resync);
	if (w->nl)
		ipvs_nl_close(w->nl);
	writer_dump_free(w);
	writer_gen_free(w);
	ipvs_table_free(&w->owned);
	free(w->q);
	free(w->owned_path);
	free(w);
}

struct writer *
writer_new(const char *owned_path)
{
	struct writer *w = calloc(1, sizeof(*w));

	if (w && owned_path && !(w->owned_path = strdup(owned_path))) {
		free(w);
		return NULL;
	}
	if (w)
		w->readable = writer_readable; /* writer_open watches the socket with it */
	return w;
}

/* ------------------------------------------------------------------ queue */

static int
queue_push(struct writer *w, const struct writer_item *it)
{
	if (w->qh > 0 && w->qn == w->qcap) {
		memmove(w->q, w->q + w->qh, (w->qn - w->qh) * sizeof(*w->q));
		w->qn -= w->qh;
		w->qh = 0;
	}
	if (w->qn == w->qcap) {
		size_t cap = w->qcap ? w->qcap * 2 : 256;
		struct writer_item *q = realloc(w->q, cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		w->q = q;
		w->qcap = cap;
	}
	w->q[w->qn++] = *it;
	w->enq++;
	return 0;
}

/* A reconcile replaces what is queued: those changes count as answered. */
static void
queue_drop(struct writer *w)
{
	for (size_t i = w->qh; i < w->qn; i++)
		if (w->q[i].weight && w->q[i].dest < w->wx.n_dests)
			w->dst[w->q[i].dest].queued = false;
	w->done += w->qn - w->qh;
	w->qh = w->qn = 0;
}

/* The kernel has what the slot wants: its weight, or no destination. */
static bool
writer_dest_agrees(const struct writer_dest *d)
{
	return d->absent ? !d->in_kernel : d->in_kernel && d->acked == d->want;
}

/* The destination slot of the generation an operation names, or NULL. */
static struct writer_dest *
writer_dest_of(struct writer *w, const struct ipvs_op *op, size_t *si, size_t *ri)
{
	if (op->cmd != IPVS_CMD_NEW_DEST && op->cmd != IPVS_CMD_SET_DEST &&
	    op->cmd != IPVS_CMD_DEL_DEST)
		return NULL;
	if (!w->have_want || !ipvs_index_svc(&w->wx, &op->svc, si) ||
	    !ipvs_index_dest(&w->wx, *si, &op->dest, ri))
		return NULL;
	return &w->dst[ipvs_index_flat(&w->wx, *si, *ri)];
}

/* Queue the current want of destination (si, ri). */
static int
queue_weight(struct writer *w, size_t si, size_t ri)
{
	struct writer_item it = {.weight = true, .dest = ipvs_index_flat(&w->wx, si, ri)};
	int r;

	it.op.cmd = IPVS_CMD_SET_DEST;
	it.op.svc = w->want.svcs[si].svc;
	it.op.dest = w->want.svcs[si].dests[ri];
	if ((r = queue_push(w, &it)) == 0) {
		w->dst[it.dest].queued = true;
		writer_kick(w);
	}
	return r;
}

int
writer_set_weight(struct writer *w, size_t svc_idx, size_t rs_idx, uint32_t weight)
{
	struct writer_dest *d;

	bool absent = weight == TABLE_ABSENT, back;

	if (!w->have_want || svc_idx >= w->want.n || rs_idx >= w->want.svcs[svc_idx].n_dests)
		return -EINVAL;
	if (weight > 65535 && !absent)
		return -ERANGE;
	d = &w->dst[ipvs_index_flat(&w->wx, svc_idx, rs_idx)];
	back = d->absent && !absent;
	d->want = absent ? 0 : weight;
	d->absent = absent;
	w->want.svcs[svc_idx].dests[rs_idx].weight = weight; /* what a reconcile wants */
	if (d->queued || d->busy || writer_dest_agrees(d))
		return 0; /* coalesced; or the reconcile's ack queues it (ack_dest) */
	if (!d->in_kernel && !back)
		return 0; /* the next reconcile adds it (or the kernel refused it) */
	return queue_weight(w, svc_idx, rs_idx);
}

/* ---------------------------------------------------------------- waiters */

uint64_t
writer_ticket(const struct writer *w)
{
	return w->enq;
}

int
writer_wait(struct writer *w, uint64_t ticket, writer_done_fn cb, void *arg)
{
	struct writer_waiter *x;

	if (w->reconcile_due || w->resync_due)
		ticket = UINT64_MAX; /* the reconcile's end: set when it runs */
	else if (w->done >= ticket)
		return 1;
	if (!(x = calloc(1, sizeof(*x))))
		return -ENOMEM;
	*x = (struct writer_waiter){.ticket = ticket, .cb = cb, .arg = arg, .next = w->waiters};
	w->waiters = x;
	return 0;
}

void
writer_wait_cancel(struct writer *w, void *arg)
{
	for (struct writer_waiter **pp = &w->waiters; *pp;) {
		struct writer_waiter *x = *pp;

		if (x->arg == arg) {
			*pp = x->next;
			free(x);
		} else {
			pp = &x->next;
		}
	}
}

static void
waiters_notify(struct writer *w)
{
	struct writer_waiter *due = NULL;

	for (struct writer_waiter **pp = &w->waiters; *pp;) {
		struct writer_waiter *x = *pp;

		if (x->ticket <= w->done) {
			*pp = x->next;
			x->next = due;
			due = x;
		} else {
			pp = &x->next;
		}
	}
	while (due) {
		struct writer_waiter *n = due->next;

		due->cb(due->arg);
		free(due);
		due = n;
	}
}

/* ------------------------------------------------------------ reconciles */

/* Per destination, what the kernel has, from a dump. */
static void
writer_fill_state(struct writer *w, const struct ipvs_index *hx)
{
	for (size_t si = 0; si < w->want.n; si++) {
		const struct ipvs_table_svc *s = &w->want.svcs[si];
		size_t hs = 0;
		bool found = ipvs_index_svc(hx, &s->svc, &hs) != NULL;

		w->svc_in[si] = found;
		w->svc_refused[si] = false;
		for (size_t ri = 0; ri < s->n_dests; ri++) {
			struct writer_dest *d = &w->dst[ipvs_index_flat(&w->wx, si, ri)];
			const struct ipvs_dest *k =
			    found ? ipvs_index_dest(hx, hs, &s->dests[ri], NULL) : NULL;

			d->in_kernel = k != NULL;
			d->acked = k ? k->weight : 0;
			d->busy = false;
		}
	}
}

/* The services of the generation become the ones lvsd owns. */
static void
writer_own_want(struct writer *w)
{
	struct ipvs_table t = {0};

	for (size_t i = 0; i < w->want.n; i++)
		if (ipvs_owned_add(&t, &w->want.svcs[i].svc) < 0) {
			log_err("ipvs: out of memory recording the services lvsd owns");
			ipvs_table_free(&t);
			return;
		}
	ipvs_table_free(&w->owned);
	w->owned = t;
	w->have_owned = true;
	writer_save_owned(w);
}

/* Destinations wanted in the kernel (slots not absent). */
static size_t
writer_n_present(const struct writer *w)
{
	size_t n = 0;

	for (size_t i = 0; w->have_want && i < w->wx.n_dests; i++)
		n += !w->dst[i].absent;
	return n;
}

static void
writer_round_end(struct writer *w)
{
	struct writer_round *rd = &w->round;

	rd->active = false;
	if (rd->resync) {
		if (rd->ops || rd->refused)
			log_notice("ipvs: resync: %u repairs made, %u refused", rd->ops,
				   rd->refused);
		return;
	}
	w->st.applied_ops = rd->ops;
	w->st.refused = rd->refused;
	w->st.applies++;
	/* changes = operations the kernel accepted, as lvsctl status counts them */
	log_info("ipvs: %zu services, %zu destinations; %u changes, %u refused", w->want.n,
		 writer_n_present(w), rd->ops, rd->refused);
}

static int
writer_queue_ops(struct writer *w, const struct ipvs_ops *ops, bool resync,
		 const struct ipvs_index *hx)
{
	for (size_t i = 0; i < ops->n; i++) {
		struct writer_item it = {.op = ops->ops[i], .dest = SIZE_MAX};
		struct writer_dest *d;
		size_t si, ri;
		int r;

		/* weight changes wait for it: its ack queues them (ack_dest) */
		if ((d = writer_dest_of(w, &it.op, &si, &ri)))
			d->busy = true;
		if (resync && i < WRITER_REPAIRS_LOGGED)
			writer_log_repair(&ops->ops[i], hx);
		if ((r = queue_push(w, &it)) < 0)
			return r;
	}
	if (resync && ops->n > WRITER_REPAIRS_LOGGED)
		log_notice("ipvs: resync: %zu more repairs not listed",
			   ops->n - WRITER_REPAIRS_LOGGED);
	return 0;
}

/* The kernel's table is read (w->dump.have): diff, queue the operations.
 * At an apply the sync daemons are read and set too (blocking requests,
 * a few ms).  No batch is in flight. */
static void
writer_reconcile(struct writer *w)
{
	struct ipvs_table *have = &w->dump.have, present = {0};
	struct ipvs_index hx = {0};
	struct ipvs_ops ops = {0};
	bool resync = w->reconciled && !w->reconcile_due;
	uint64_t old_done = w->done;
	struct timespec t1;
	int r;

	w->reconcile_due = w->resync_due = false;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	w->st.dumps++;
	w->st.last_dump_s = (double)(t1.tv_sec - w->dump.t0.tv_sec) +
			    (double)(t1.tv_nsec - w->dump.t0.tv_nsec) / 1e9;
	writer_load_owned(w);
	/* destinations wanted out (removed while down, idle sorry servers)
	 * are not in it: the diff deletes them, a resync never puts them back */
	r = table_present(&w->want, &present);
	if (r == 0)
		r = ipvs_table_diff(&present, w->have_owned ? &w->owned : NULL, have, &ops);
	if (r == 0)
		r = ipvs_index_build(&hx, have);
	if (r == 0) {
		writer_fill_state(w, &hx);
		queue_drop(w);
		r = writer_queue_ops(w, &ops, resync, &hx);
	}
	if (r < 0) {
		log_err("ipvs: cannot reconcile the table: %s", strerror(-r));
		writer_dump_free(w);
		writer_close(w); /* reconnect and try again in 2 s */
	} else {
		/* whoever waits for queued changes now waits for the reconcile */
		for (struct writer_waiter *x = w->waiters; x; x = x->next)
			x->ticket = x->ticket > old_done ? w->enq : x->ticket;
		w->round = (struct writer_round){.active = true, .resync = resync, .until = w->enq};
		if (resync) {
			w->st.resyncs++;
			w->st.repairs += ops.n;
		} else {
			writer_sync(w);
		}
		writer_sysctls(w); /* a resync repairs them too */
		writer_own_want(w);
		w->reconciled = true;
		if (ops.n == 0) { /* nothing to send: no ack will wake the waiters */
			writer_round_end(w);
			waiters_notify(w);
		}
	}
	ipvs_index_free(&hx);
	ipvs_ops_free(&ops);
	ipvs_table_free(&present);
	writer_dump_free(w);
}

int
writer_apply(struct writer *w, const struct conf *c, table_weight_fn fn, void *arg)
{
	struct ipvs_table t;
	struct ipvs_index x;
	int r;

	/* whoever waits for queued changes waits for the next reconcile */
	for (struct writer_waiter *wt = w->waiters; wt; wt = wt->next)
		wt->ticket = wt->ticket > w->done ? UINT64_MAX : wt->ticket;
	if (w->round.active) /* cut short: say what the kernel took so far */
		writer_round_end(w);
	queue_drop(w);	    /* before the old generation's numbering goes */
	writer_gen_free(w); /* even on failure: its numbering is not c's */
	if ((r = table_from_conf_w(c, fn, arg, &t)) < 0) {
		log_err("ipvs: cannot compute the table: %s", strerror(-r));
		return r;
	}
	if ((r = ipvs_index_build(&x, &t)) < 0) {
		ipvs_table_free(&t);
		log_err("ipvs: cannot index the table: %s", strerror(-r));
		return r;
	}
	w->want = t;
	w->wx = x;
	w->wx.t = &w->want;
	w->have_want = true;
	w->dst = calloc(x.n_dests ? x.n_dests : 1, sizeof(*w->dst));
	w->svc_in = calloc(t.n ? t.n : 1, sizeof(bool));
	w->svc_refused = calloc(t.n ? t.n : 1, sizeof(bool));
	if (!w->dst || !w->svc_in || !w->svc_refused) {
		writer_gen_free(w);
		log_err("ipvs: out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < t.n; i++)
		for (size_t j = 0; j < t.svcs[i].n_dests; j++) {
			struct writer_dest *d = &w->dst[ipvs_index_flat(&w->wx, i, j)];

			d->absent = t.svcs[i].dests[j].weight == TABLE_ABSENT;
			d->want = d->absent ? 0 : t.svcs[i].dests[j].weight;
		}
	snprintf(w->sync_if, sizeof(w->sync_if), "%s", c->global.sync_interface);
	w->sync_id = c->global.sync_id;
	w->sloppy_tcp = c->global.sloppy_tcp;
	w->sloppy_sctp = c->global.sloppy_sctp;
	if (w->resync_ms != c->global.ipvs_resync_ms && w->ev_resync) {
		struct timeval tv = {c->global.ipvs_resync_ms / 1000,
				     (c->global.ipvs_resync_ms % 1000) * 1000};

		event_del(w->ev_resync);
		if (c->global.ipvs_resync_ms)
			event_add(w->ev_resync, &tv);
	}
	w->resync_ms = c->global.ipvs_resync_ms;
	w->reconcile_due = true;
	writer_kick(w);
	return 0;
}

/* ---------------------------------------------------------------- batches */

/* The kernel answered an operation on a destination (added, set or
 * deleted it when gone is true): what changed meanwhile is queued now. */
static void
ack_dest(struct writer *w, const struct ipvs_op *op, bool gone)
{
	struct writer_dest *d;
	size_t si, ri;

	if (!(d = writer_dest_of(w, op, &si, &ri)))
		return; /* not of this generation */
	d->busy = false;
	d->in_kernel = !gone;
	d->acked = gone ? 0 : op->dest.weight;
	if (!d->queued && !writer_dest_agrees(d) && queue_weight(w, si, ri) < 0)
		log_err("ipvs: out of memory queueing a weight change");
}

/* A refused operation on a destination is not tried again until the next
 * reconcile; one deleting what is not there says it is gone. */
static void
ack_dest_refused(struct writer *w, const struct ipvs_op *op)
{
	struct writer_dest *d;
	size_t si, ri;

	if (!(d = writer_dest_of(w, op, &si, &ri)))
		return;
	d->busy = false;
	if (op->cmd == IPVS_CMD_DEL_DEST && op->err == -ENOENT)
		d->in_kernel = false;
}

/* One answered request: what the kernel has now. */
static void
ack_one(struct writer *w, const struct ipvs_op *op)
{
	size_t si;

	if (op->err) {
		writer_log_refusal(w, op);
		ack_dest_refused(w, op);
		if (op->cmd == IPVS_CMD_NEW_SERVICE && ipvs_index_svc(&w->wx, &op->svc, &si))
			w->svc_refused[si] = true;
		/* a service whose deletion the kernel refused is still lvsd's */
		if (op->cmd == IPVS_CMD_DEL_SERVICE && op->err != -ESRCH) {
			if (ipvs_owned_add(&w->owned, &op->svc) < 0)
				log_err("ipvs: out of memory keeping a refused deletion; it is not "
					"retried");
			writer_save_owned(w);
		}
		return;
	}
	switch (op->cmd) {
	case IPVS_CMD_NEW_SERVICE:
	case IPVS_CMD_SET_SERVICE:
		if (ipvs_index_svc(&w->wx, &op->svc, &si))
			w->svc_in[si] = true;
		break;
	case IPVS_CMD_NEW_DEST:
	case IPVS_CMD_SET_DEST:
		ack_dest(w, op, false);
		break;
	case IPVS_CMD_DEL_DEST:
		ack_dest(w, op, true);
		break;
	default:
		break;
	}
}

static void
writer_batch_done(struct writer *w)
{
	if (w->b.k)
		w->st.batches++;
	for (size_t i = 0; i < w->b.k; i++) {
		w->st.ops_total += w->bop[i].err == 0;
		w->st.refused_total += w->bop[i].err != 0;
		if (!w->bweight[i] && w->round.active) {
			w->round.ops += w->bop[i].err == 0;
			w->round.refused += w->bop[i].err != 0;
		}
		ack_one(w, &w->bop[i]);
	}
	w->done += w->b_items;
	w->b_items = 0;
	w->b.k = 0;
	w->in_flight = false;
	if (w->round.active && w->done >= w->round.until)
		writer_round_end(w);
	waiters_notify(w);
	if (w->reconcile_due || w->resync_due || w->qh < w->qn)
		writer_kick(w);
}

/* Take the next batch from the queue and send it without waiting.  Weight
 * items send the latest want, or nothing when the kernel has it: the
 * weight (SET_DEST), the destination back (NEW_DEST) or away (DEL_DEST). */
static void
writer_send(struct writer *w)
{
	size_t *at = w->bat, k = 0, pos = w->qh, c;
	int r;

	for (; pos < w->qn && k < IPVS_BATCH_MAX; pos++) {
		struct writer_item *it = &w->q[pos];

		if (it->weight) {
			struct writer_dest *d = &w->dst[it->dest];

			if (d->busy || writer_dest_agrees(d)) {
				d->queued = false;
				continue;
			}
			it->op.cmd = d->absent	    ? IPVS_CMD_DEL_DEST
				     : d->in_kernel ? IPVS_CMD_SET_DEST
						    : IPVS_CMD_NEW_DEST;
			it->op.dest.weight = d->want;
		}
		w->bop[k] = it->op;
		w->bweight[k] = it->weight;
		at[k++] = pos;
	}
	if (k == 0) {
		w->done += pos - w->qh;
		w->qh = w->qn = 0;
		waiters_notify(w);
		return;
	}
	r = ipvs_nl_batch_send(w->nl, w->bop, k, &w->b);
	c = w->b.k;
	for (size_t i = 0; i < c; i++)
		if (w->bweight[i]) {
			w->dst[w->q[at[i]].dest].queued = false;
			w->st.weight_changes++;
		}
	pos = c < k ? at[c] : pos;
	w->b_items = pos - w->qh;
	w->qh = pos;
	w->in_flight = true;
	if (r < 0) {
		log_err("ipvs: cannot send to the kernel: %s", strerror(-r));
		writer_batch_done(w);
		writer_close(w);
	} else if (w->b.pending == 0) {
		writer_batch_done(w);
	}
}

static void
writer_readable(evutil_socket_t fd, short what, void *arg)
{
	struct writer *w = arg;
	int r;

	(void)fd;
	(void)what;
	if (w->dump.active) {
		r = writer_dump_recv(w);
		if (r == 1 && w->have_want) {
			writer_reconcile(w);
			writer_kick(w);
		} else if (r == 1) {
			writer_dump_free(w);
		}
		if (r < 0)
			writer_dump_free(w);
	} else if (!w->in_flight) {
		struct ipvs_nl_batch none = {.k = 0};

		r = ipvs_nl_batch_recv(w->nl, &none); /* stray: read and drop */
	} else {
		r = ipvs_nl_batch_recv(w->nl, &w->b);
		if (r == 0)
			writer_batch_done(w);
	}
	if (r < 0) {
		log_err("ipvs: %s failed: %s; reconnecting",
			w->in_flight ? "the netlink socket" : "reading the kernel's table",
			strerror(-r));
		if (w->in_flight)
			writer_batch_done(w);
		writer_close(w);
	}
}

/* From the loop: connect if needed, reconcile if due, send what is queued. */
static void
writer_step(evutil_socket_t fd, short what, void *arg)
{
	struct writer *w = arg;

	(void)fd;
	(void)what;
	if (w->in_flight || w->dump.active || !w->have_want)
		return;
	if (!w->nl) {
		if (writer_open(w) < 0)
			return;
		w->reconcile_due = true;
	}
	/* A periodic resync waits for the round in progress: reading the
	 * table now would drop the round's queued operations (to be redone
	 * as "repairs") and its summary with them.  batch_done kicks again. */
	if (w->reconcile_due || (w->resync_due && !w->round.active)) {
		int r = writer_dump_start(w); /* the reconcile goes on when it is read */

		if (r < 0) {
			log_err("ipvs: cannot read the kernel's table: %s; reconnecting",
				strerror(-r));
			writer_close(w);
		}
		return;
	}
	if (w->nl && w->qh < w->qn)
		writer_send(w);
}

static void
writer_kick(struct writer *w)
{
	if (w->ev_kick && !w->in_flight && !w->dump.active)
		event_active(w->ev_kick, 0, 0);
}

static void
writer_resync_timer(evutil_socket_t fd, short what, void *arg)
{
	struct writer *w = arg;

	(void)fd;
	(void)what;
	w->resync_due = true;
	writer_kick(w);
}

int
writer_start(struct writer *w, struct event_base *base)
{
	w->base = base;
	w->ev_kick = event_new(base, -1, 0, writer_step, w);
	w->ev_retry = evtimer_new(base, writer_step, w);
	w->ev_resync = event_new(base, -1, EV_PERSIST, writer_resync_timer, w);
	if (!w->ev_kick || !w->ev_retry || !w->ev_resync)
		return -ENOMEM;
	if (w->nl) {
		w->ev_nl =
		    event_new(base, ipvs_nl_fd(w->nl), EV_READ | EV_PERSIST, writer_readable, w);
		if (!w->ev_nl || event_add(w->ev_nl, NULL) < 0)
			return -ENOMEM;
	}
	return 0;
}

void
writer_stats(const struct writer *w, struct writer_stats *out)
{
	*out = w->st;
	out->available = w->nl != NULL;
	out->services = w->have_want ? w->want.n : 0;
	out->dests = 0;
	out->services_accepted = out->dests_accepted = out->dests_weight_ok = 0;
	for (size_t i = 0; i < out->services; i++)
		out->services_accepted += w->svc_in[i];
	for (size_t i = 0; w->have_want && i < w->wx.n_dests; i++) {
		const struct writer_dest *d = &w->dst[i];

		if (d->absent)
			continue; /* wanted out of the kernel: not counted */
		out->dests++;
		out->dests_accepted += d->in_kernel;
		out->dests_weight_ok += d->in_kernel && d->acked == d->want;
	}
	out->pending = w->qn - w->qh;
	out->in_flight = w->in_flight ? w->b.pending : 0;
}
