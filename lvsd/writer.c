#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/ipvs.h"
#include "lvsd/ipvs_table.h"
#include "lvsd/log.h"
#include "lvsd/writer.h"

struct writer {
	struct ipvs_nl *nl;
	struct ipvs_table prev; /* what the last apply asked for */
	bool have_prev;
	bool said_unavailable;
	struct writer_stats st;
};

struct writer *
writer_new(void)
{
	return calloc(1, sizeof(struct writer));
}

void
writer_free(struct writer *w)
{
	if (!w)
		return;
	if (w->nl)
		ipvs_nl_close(w->nl);
	if (w->have_prev)
		ipvs_table_free(&w->prev);
	free(w);
}

static int
writer_open(struct writer *w)
{
	int r;

	if (w->nl)
		return 0;
	r = ipvs_nl_open(&w->nl);
	if (r < 0) {
		w->nl = NULL;
		if (!w->said_unavailable)
			log_err("ipvs: %s; virtual services are not programmed "
				"(is the ip_vs module loaded?)",
				r == -ENOENT ? "this kernel has no IPVS" : strerror(-r));
		w->said_unavailable = true;
		return r;
	}
	if (w->said_unavailable)
		log_notice("ipvs: the kernel has IPVS now");
	w->said_unavailable = false;
	return 0;
}

static bool
op_is_dest(const struct ipvs_op *op)
{
	return op->cmd == IPVS_CMD_NEW_DEST || op->cmd == IPVS_CMD_SET_DEST ||
	       op->cmd == IPVS_CMD_DEL_DEST;
}

/* Whether the kernel refused to create the service op's destination is in:
 * the refusal of its destinations then says nothing new. */
static bool
op_service_refused(const struct ipvs_ops *ops, const struct ipvs_op *op)
{
	size_t i;

	for (i = 0; i < ops->n; i++)
		if (ops->ops[i].err && ops->ops[i].cmd == IPVS_CMD_NEW_SERVICE &&
		    ipvs_service_same_key(&ops->ops[i].svc, &op->svc))
			return true;
	return false;
}

/* One line per refusal, naming the object. */
static void
writer_log_refusals(const struct ipvs_ops *ops)
{
	char s[128], d[64];
	size_t i;

	for (i = 0; i < ops->n; i++) {
		const struct ipvs_op *op = &ops->ops[i];

		if (!op->err || (op_is_dest(op) && op_service_refused(ops, op)))
			continue;
		ipvs_service_str(&op->svc, s, sizeof(s));
		if (op_is_dest(op))
			log_err("ipvs: %s %s in %s refused by the kernel: %s",
				ipvs_cmd_name(op->cmd), ipvs_dest_str(&op->dest, d, sizeof(d)), s,
				strerror(-op->err));
		else
			log_err("ipvs: %s %s (scheduler %s) refused by the kernel: %s",
				ipvs_cmd_name(op->cmd), s, op->svc.sched, strerror(-op->err));
	}
}

static void
writer_count(struct writer *w, const struct ipvs_table *t, const struct ipvs_ops *ops, int r)
{
	size_t i;

	w->st.services = t->n;
	w->st.dests = 0;
	for (i = 0; i < t->n; i++)
		w->st.dests += t->svcs[i].n_dests;
	w->st.refused = r > 0 ? (unsigned)r : 0;
	w->st.applied_ops = (unsigned)ops->n - w->st.refused;
	w->st.applies++;
}

int
writer_apply(struct writer *w, const struct conf *c)
{
	struct ipvs_table want;
	struct ipvs_ops ops;
	int r;

	if ((r = writer_open(w)) < 0)
		return r;
	memset(&want, 0, sizeof(want));
	memset(&ops, 0, sizeof(ops));
	if ((r = ipvs_table_from_conf(c, &want)) < 0) {
		log_err("ipvs: cannot compute the table: %s", strerror(-r));
		return r;
	}
	r = ipvs_table_reconcile(w->nl, &want, w->have_prev ? &w->prev : NULL, &ops);
	if (r < 0) {
		/* The socket failed: reopen next time; the kernel keeps its table. */
		log_err("ipvs: cannot reconcile the table: %s", strerror(-r));
		ipvs_nl_close(w->nl);
		w->nl = NULL;
		ipvs_ops_free(&ops);
		ipvs_table_free(&want);
		return r;
	}
	writer_log_refusals(&ops);
	writer_count(w, &want, &ops, r);
	log_info("ipvs: %zu services, %zu destinations; %zu changes, %d refused", w->st.services,
		 w->st.dests, ops.n, r);
	ipvs_ops_free(&ops);
	if (w->have_prev)
		ipvs_table_free(&w->prev);
	w->prev = want;
	w->have_prev = true;
	return r;
}

void
writer_stats(const struct writer *w, struct writer_stats *out)
{
	*out = w->st;
	out->available = w->nl != NULL;
}
