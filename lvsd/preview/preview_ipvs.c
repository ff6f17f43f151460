/* The IPVS part of a preview: both configurations as tables with their
 * static weights, and the writer's own diff between them, each operation
 * said with the service's name and, for an edit, the values it changes. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/ip_vs.h>

#include "lvsd/conf/conf.h"
#include "lvsd/ipvs/ipvs_table.h"
#include "lvsd/preview/preview_int.h"
#include "lvsd/writer/table.h"

/* The configured name of the service with key k, "" when none has it. */
static const char *
pv_svc_name(const struct conf *c, const struct ipvs_service *k)
{
	struct ipvs_service s;

	for (size_t i = 0; i < c->n_services; i++)
		if (table_service(&c->services[i], &s) == 0 && ipvs_service_same_key(&s, k))
			return c->services[i].name;
	return "";
}

static const char *
pv_fwd(uint32_t fwd)
{
	switch (fwd & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ:
		return "nat";
	case IP_VS_CONN_F_TUNNEL:
		return "tunnel";
	case IP_VS_CONN_F_DROUTE:
		return "dr";
	default:
		return "other";
	}
}

static void
pv_svc_fields(const struct ipvs_service *s, struct pv_fields *f)
{
	memset(f, 0, sizeof(*f));
	pv_set(f, "scheduler", "%s", s->sched);
	pv_set(f, "flags", "%#x", s->flags);
	pv_set(f, "persistence", "%us", s->timeout);
	pv_set(f, "netmask", "%#x", s->netmask);
}

static void
pv_dest_fields(const struct ipvs_dest *d, struct pv_fields *f)
{
	memset(f, 0, sizeof(*f));
	pv_set(f, "weight", "%u", d->weight);
	pv_set(f, "forwarding", "%s", pv_fwd(d->fwd));
	pv_set(f, "tunnel_type", "%u", d->tun_type);
	pv_set(f, "tunnel_port", "%u", d->tun_port);
	pv_set(f, "u_threshold", "%u", d->u_threshold);
	pv_set(f, "l_threshold", "%u", d->l_threshold);
}

static const struct ipvs_dest *
pv_dest_find(const struct ipvs_table_svc *ts, const struct ipvs_dest *d)
{
	for (size_t i = 0; ts && i < ts->n_dests; i++)
		if (ipvs_dest_same_key(&ts->dests[i], d))
			return &ts->dests[i];
	return NULL;
}

static void
pv_ipvs_svc(struct pv *p, const struct ipvs_op *op, const struct ipvs_table *t_old,
	    const struct conf *old, const struct conf *new)
{
	const struct ipvs_table_svc *ts = ipvs_table_find(t_old, &op->svc);
	char k[IPVS_STRLEN], buf[4 * PV_VALUE];
	struct pv_fields a, b;

	ipvs_service_str(&op->svc, k, sizeof(k));
	if (op->cmd == IPVS_CMD_NEW_SERVICE) {
		pv_line(p, '+', "service %s (%s): scheduler %s", pv_svc_name(new, &op->svc), k,
			op->svc.sched);
	} else if (op->cmd == IPVS_CMD_DEL_SERVICE) {
		pv_line(p, '-', "service %s (%s) and its destinations: its connections are dropped",
			pv_svc_name(old, &op->svc), k);
	} else if (ts) {
		pv_svc_fields(&ts->svc, &a);
		pv_svc_fields(&op->svc, &b);
		pv_changed(&a, &b, buf, sizeof(buf));
		pv_line(p, '~', "service %s (%s): %s", pv_svc_name(new, &op->svc), k, buf);
	}
}

static void
pv_ipvs_dest(struct pv *p, const struct ipvs_op *op, const struct ipvs_table *t_old,
	     const struct conf *old, const struct conf *new)
{
	const struct ipvs_dest *od = pv_dest_find(ipvs_table_find(t_old, &op->svc), &op->dest);
	char k[IPVS_STRLEN], dn[IPVS_STRLEN], buf[4 * PV_VALUE];
	struct pv_fields a, b;

	ipvs_service_str(&op->svc, k, sizeof(k));
	ipvs_dest_str(&op->dest, dn, sizeof(dn));
	if (op->cmd == IPVS_CMD_NEW_DEST) {
		pv_line(p, '+', "destination %s in %s (%s): weight %u, %s", dn,
			pv_svc_name(new, &op->svc), k, op->dest.weight, pv_fwd(op->dest.fwd));
	} else if (op->cmd == IPVS_CMD_DEL_DEST) {
		pv_line(p, '-', "destination %s in %s (%s)", dn, pv_svc_name(old, &op->svc), k);
	} else if (od) {
		pv_dest_fields(od, &a);
		pv_dest_fields(&op->dest, &b);
		pv_changed(&a, &b, buf, sizeof(buf));
		pv_line(p, '~', "destination %s in %s (%s): %s", dn, pv_svc_name(new, &op->svc), k,
			buf);
	}
}

void
pv_ipvs(struct pv *p, const struct conf *old, const struct conf *new)
{
	struct ipvs_table t_old = {0}, t_new = {0};
	struct ipvs_ops ops = {0};

	pv_heading(p, "ipvs services and destinations (configured weights)");
	if (table_from_conf(old, &t_old) < 0 || table_from_conf(new, &t_new) < 0 ||
	    ipvs_table_diff(&t_new, &t_old, &t_old, &ops) < 0) {
		p->err = -ENOMEM;
	} else {
		for (size_t i = 0; i < ops.n; i++) {
			const struct ipvs_op *op = &ops.ops[i];

			if (op->cmd == IPVS_CMD_NEW_SERVICE || op->cmd == IPVS_CMD_SET_SERVICE ||
			    op->cmd == IPVS_CMD_DEL_SERVICE)
				pv_ipvs_svc(p, op, &t_old, old, new);
			else if (op->cmd == IPVS_CMD_NEW_DEST || op->cmd == IPVS_CMD_SET_DEST ||
				 op->cmd == IPVS_CMD_DEL_DEST)
				pv_ipvs_dest(p, op, &t_old, old, new);
		}
	}
	ipvs_ops_free(&ops);
	ipvs_table_free(&t_old);
	ipvs_table_free(&t_new);
}
