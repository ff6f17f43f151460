/* A table of services with their destinations, its difference to the
 * kernel's table, and reconcile.  See ipvs_table.h for the ownership rule. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/ipvs/ipvs_index.h"
#include "lvsd/ipvs/ipvs_table.h"

void
ipvs_table_free(struct ipvs_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->svcs[i].dests);
	free(t->svcs);
	t->svcs = NULL;
	t->n = 0;
}

const struct ipvs_table_svc *
ipvs_table_find(const struct ipvs_table *t, const struct ipvs_service *key)
{
	if (!t)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (ipvs_service_same_key(&t->svcs[i].svc, key))
			return &t->svcs[i];
	return NULL;
}

/* ------------------------------------------------------------------- diff */

void
ipvs_ops_free(struct ipvs_ops *ops)
{
	free(ops->ops);
	ops->ops = NULL;
	ops->n = ops->cap = 0;
}

static int
ops_push(struct ipvs_ops *o, uint8_t cmd, const struct ipvs_service *svc,
	 const struct ipvs_dest *dest)
{
	struct ipvs_op *op;

	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 32;
		struct ipvs_op *p = realloc(o->ops, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		o->ops = p;
		o->cap = cap;
	}
	op = &o->ops[o->n++];
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->svc = *svc;
	op->svc.has_stats = false;
	if (dest)
		op->dest = *dest;
	return 0;
}

/* The kernel adds IP_VS_SVC_F_HASHED itself. */
static bool
service_opts_equal(const struct ipvs_service *a, const struct ipvs_service *b)
{
	return strcmp(a->sched, b->sched) == 0 &&
	       (a->flags & ~IP_VS_SVC_F_HASHED) == (b->flags & ~IP_VS_SVC_F_HASHED) &&
	       a->timeout == b->timeout && a->netmask == b->netmask;
}

static bool
dest_opts_equal(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	if (a->fwd != b->fwd || a->weight != b->weight || a->u_threshold != b->u_threshold ||
	    a->l_threshold != b->l_threshold)
		return false;
	if (a->fwd != IP_VS_CONN_F_TUNNEL)
		return true;
	return a->tun_type == b->tun_type && a->tun_port == b->tun_port &&
	       a->tun_flags == b->tun_flags;
}

/* The three tables of a diff, each with its index. */
struct diff_ctx {
	const struct ipvs_table *want, *prev, *have;
	struct ipvs_index wx, px, hx;
	struct ipvs_ops *out;
};

/* Destinations of want service wi against the kernel's service hi
 * (SIZE_MAX: the kernel does not have it). */
static int
diff_dests(struct diff_ctx *x, size_t wi, size_t hi)
{
	const struct ipvs_table_svc *w = &x->want->svcs[wi];
	const struct ipvs_table_svc *h = hi == SIZE_MAX ? NULL : &x->have->svcs[hi];
	int r = 0;

	for (size_t i = 0; h && i < h->n_dests && r == 0; i++)
		if (!ipvs_index_dest(&x->wx, wi, &h->dests[i], NULL))
			r = ops_push(x->out, IPVS_CMD_DEL_DEST, &w->svc, &h->dests[i]);
	for (size_t i = 0; h && i < w->n_dests && r == 0; i++) {
		const struct ipvs_dest *d = ipvs_index_dest(&x->hx, hi, &w->dests[i], NULL);

		if (d && !dest_opts_equal(d, &w->dests[i]))
			r = ops_push(x->out, IPVS_CMD_SET_DEST, &w->svc, &w->dests[i]);
	}
	for (size_t i = 0; i < w->n_dests && r == 0; i++)
		if (!h || !ipvs_index_dest(&x->hx, hi, &w->dests[i], NULL))
			r = ops_push(x->out, IPVS_CMD_NEW_DEST, &w->svc, &w->dests[i]);
	return r;
}

static int
diff_services(struct diff_ctx *x)
{
	const struct ipvs_table *want = x->want, *have = x->have;
	int r = 0;

	for (size_t i = 0; i < have->n && r == 0; i++) {
		const struct ipvs_service *k = &have->svcs[i].svc;

		if (!ipvs_index_svc(&x->wx, k, NULL) && x->prev && ipvs_index_svc(&x->px, k, NULL))
			r = ops_push(x->out, IPVS_CMD_DEL_SERVICE, k, NULL);
	}
	for (size_t i = 0; i < want->n && r == 0; i++) {
		const struct ipvs_table_svc *h = ipvs_index_svc(&x->hx, &want->svcs[i].svc, NULL);

		if (h && !service_opts_equal(&h->svc, &want->svcs[i].svc))
			r = ops_push(x->out, IPVS_CMD_SET_SERVICE, &want->svcs[i].svc, NULL);
	}
	for (size_t i = 0; i < want->n && r == 0; i++)
		if (!ipvs_index_svc(&x->hx, &want->svcs[i].svc, NULL))
			r = ops_push(x->out, IPVS_CMD_NEW_SERVICE, &want->svcs[i].svc, NULL);
	return r;
}

int
ipvs_table_diff(const struct ipvs_table *want, const struct ipvs_table *prev,
		const struct ipvs_table *have, struct ipvs_ops *out)
{
	struct ipvs_ops o = {0};
	struct diff_ctx x = {.want = want, .prev = prev, .have = have, .out = &o};
	int r = ipvs_index_build(&x.wx, want);

	if (r == 0)
		r = ipvs_index_build(&x.hx, have);
	if (r == 0 && prev)
		r = ipvs_index_build(&x.px, prev);
	if (r == 0)
		r = diff_services(&x);
	for (size_t i = 0; i < want->n && r == 0; i++) {
		size_t hi = SIZE_MAX;

		ipvs_index_svc(&x.hx, &want->svcs[i].svc, &hi);
		r = diff_dests(&x, i, hi);
	}
	ipvs_index_free(&x.wx);
	ipvs_index_free(&x.hx);
	ipvs_index_free(&x.px);
	if (r < 0) {
		ipvs_ops_free(&o);
		return r;
	}
	*out = o;
	return 0;
}

/* ----------------------------------------------------------- kernel side */

int
ipvs_table_read(struct ipvs_nl *nl, struct ipvs_table *out)
{
	struct ipvs_table t = {0};
	struct ipvs_service *svcs = NULL;
	size_t n = 0;
	int r = ipvs_nl_list_services(nl, &svcs, &n);

	if (r < 0)
		return r;
	if (n && !(t.svcs = calloc(n, sizeof(*t.svcs)))) {
		free(svcs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		t.svcs[i].svc = svcs[i];
		t.n++;
		r = ipvs_nl_list_dests(nl, &svcs[i], &t.svcs[i].dests, &t.svcs[i].n_dests);
	}
	free(svcs);
	if (r < 0) {
		ipvs_table_free(&t);
		return r;
	}
	*out = t;
	return 0;
}

int
ipvs_table_apply(struct ipvs_nl *nl, struct ipvs_ops *ops)
{
	if (ops->n == 0)
		return 0;
	return ipvs_nl_send(nl, ops->ops, ops->n);
}

int
ipvs_table_reconcile(struct ipvs_nl *nl, const struct ipvs_table *want,
		     const struct ipvs_table *prev, struct ipvs_ops *out)
{
	struct ipvs_table have;
	struct ipvs_ops o;
	int r = ipvs_table_read(nl, &have);

	if (r < 0)
		return r;
	r = ipvs_table_diff(want, prev, &have, &o);
	ipvs_table_free(&have);
	if (r < 0)
		return r;
	r = ipvs_table_apply(nl, &o);
	*out = o;
	return r;
}
