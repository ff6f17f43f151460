/* What a new configuration would change (see preview.h): the kinds
 * compared field by field (VRRP instances, checks, announces, weight
 * policies); IPVS is preview_ipvs.c's, the output and field lists both
 * write to preview_out.c's. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "lvsd/conf/conf.h"
#include "lvsd/preview/preview.h"
#include "lvsd/preview/preview_int.h"

/* "1.5s", "200ms", "2m" */
static const char *
pv_ms(uint32_t ms, char *buf, size_t len)
{
	if (ms % 60000 == 0 && ms)
		snprintf(buf, len, "%um", ms / 60000);
	else if (ms % 1000 == 0)
		snprintf(buf, len, "%us", ms / 1000);
	else
		snprintf(buf, len, "%ums", ms);
	return buf;
}

/* Addresses joined with ", " */
static void
pv_addrs(struct pv_fields *f, const char *key, const struct conf_addr *a, size_t n)
{
	char all[PV_VALUE] = "", one[CONF_ADDRSTRLEN];
	size_t o = 0;

	for (size_t i = 0; i < n && o < sizeof(all); i++)
		o += (size_t)snprintf(all + o, sizeof(all) - o, "%s%s", i ? ", " : "",
				      conf_addr_str(&a[i], one, sizeof(one)));
	pv_set(f, key, "%s", all);
}

static void
pv_vrrp_fields(const struct conf *c, const struct conf_vrrp *v, struct pv_fields *f)
{
	char t[32], ifs[PV_VALUE] = "";
	size_t o = 0;

	memset(f, 0, sizeof(*f));
	pv_set(f, "interface", "%s", v->interface);
	pv_set(f, "vrid", "%u", v->vrid);
	pv_set(f, "version", "%u", v->version);
	pv_set(f, "priority", "%u", v->priority);
	pv_set(f, "advert_interval", "%s", pv_ms(v->advert_interval_ms, t, sizeof(t)));
	pv_set(f, "preempt", "%s", v->preempt ? "true" : "false");
	pv_set(f, "preempt_delay", "%s", pv_ms(v->preempt_delay_ms, t, sizeof(t)));
	pv_addrs(f, "virtual_addresses", v->vips, v->n_vips);
	pv_addrs(f, "unicast_peers", v->unicast_peers, v->n_unicast_peers);
	pv_set(f, "strict", "%s", v->strict ? "true" : "false");
	for (size_t i = 0; i < v->n_track_interfaces && o < sizeof(ifs); i++)
		o += (size_t)snprintf(ifs + o, sizeof(ifs) - o, "%s%s", i ? ", " : "",
				      v->track_interfaces[i]);
	pv_set(f, "track_interfaces", "%s", ifs);
	pv_set(f, "track_scripts", "%zu", v->n_track_scripts);
	pv_set(f, "track_files", "%zu", v->n_track_files);
	pv_set(f, "notify", "%s", v->notify);
	pv_set(f, "sync_group", "%s", v->sync_group >= 0 ? c->sync_groups[v->sync_group].name : "");
}

static const struct conf_vrrp *
pv_vrrp_find(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_vrrp; i++)
		if (!strcmp(c->vrrp[i].name, name))
			return &c->vrrp[i];
	return NULL;
}

static void
pv_vrrp(struct pv *p, const struct conf *old, const struct conf *new)
{
	struct pv_fields a, b;
	char buf[4 * PV_VALUE];

	pv_heading(p, "vrrp instances");
	for (size_t i = 0; i < new->n_vrrp; i++) {
		const struct conf_vrrp *o = pv_vrrp_find(old, new->vrrp[i].name);

		pv_vrrp_fields(new, &new->vrrp[i], &b);
		if (!o) {
			pv_all(&b, buf, sizeof(buf));
			pv_line(p, '+', "%s: %s", new->vrrp[i].name, buf);
			continue;
		}
		pv_vrrp_fields(old, o, &a);
		if (pv_changed(&a, &b, buf, sizeof(buf)))
			pv_line(p, '~', "%s: %s", new->vrrp[i].name, buf);
	}
	for (size_t i = 0; i < old->n_vrrp; i++)
		if (!pv_vrrp_find(new, old->vrrp[i].name))
			pv_line(p, '-', "%s (interface %s, vrid %u): its addresses are removed",
				old->vrrp[i].name, old->vrrp[i].interface, old->vrrp[i].vrid);
}

static void
pv_check_fields(const struct conf_check *k, struct pv_fields *f)
{
	char t[32], src[CONF_ADDRSTRLEN] = "";

	memset(f, 0, sizeof(*f));
	pv_set(f, "type", "%s", conf_check_type_name(k->type));
	pv_set(f, "interval", "%s", pv_ms(k->interval_ms, t, sizeof(t)));
	pv_set(f, "timeout", "%s", pv_ms(k->timeout_ms, t, sizeof(t)));
	pv_set(f, "rise", "%u", k->rise);
	pv_set(f, "fall", "%u", k->fall);
	if (k->port)
		pv_set(f, "port", "%u", k->port);
	else
		pv_set(f, "port", "%s", "");
	pv_set(f, "retries", "%u", k->retries);
	pv_set(f, "retry_delay", "%s", pv_ms(k->retry_delay_ms, t, sizeof(t)));
	pv_set(f, "slow_start", "%s", pv_ms(k->slow_start_ms, t, sizeof(t)));
	if (k->source.family)
		conf_addr_str(&k->source, src, sizeof(src));
	pv_set(f, "source", "%s", src);
	pv_set(f, "path", "%s",
	       k->type == CONF_CHECK_HTTP || k->type == CONF_CHECK_HTTPS ? k->path : "");
	pv_set(f, "status", "%u", k->status);
	pv_set(f, "digest", "%s", k->digest);
	pv_set(f, "expect", "%s", k->expect);
	pv_set(f, "host", "%s", k->host);
	pv_set(f, "sni", "%s", k->sni);
	pv_set(f, "ca_file", "%s", k->ca_file);
	pv_set(f, "script", "%s", k->script);
}

static const struct conf_service *
pv_svc_find(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_services; i++)
		if (!strcmp(c->services[i].name, name))
			return &c->services[i];
	return NULL;
}

static const struct conf_rs *
pv_rs_find(const struct conf_service *s, const struct conf_rs *rs)
{
	for (size_t i = 0; i < s->n_rs; i++)
		if (conf_addr_same(&s->rs[i].addr, &rs->addr) && s->rs[i].port == rs->port)
			return &s->rs[i];
	return NULL;
}

/* A service's check, and the own checks of the real servers it keeps. */
static void
pv_checks_one(struct pv *p, const struct conf_service *o, const struct conf_service *n)
{
	struct pv_fields a, b;
	char buf[4 * PV_VALUE], name[CONF_ADDRSTRLEN + 16];

	pv_check_fields(&o->check, &a);
	pv_check_fields(&n->check, &b);
	if (pv_changed(&a, &b, buf, sizeof(buf)))
		pv_line(p, '~', "service %s: %s", n->name, buf);
	for (size_t k = 0; k < n->n_rs; k++) {
		const struct conf_rs *r = pv_rs_find(o, &n->rs[k]);

		if (!r || (!r->has_check && !n->rs[k].has_check))
			continue;
		pv_check_fields(r->has_check ? &r->check : &o->check, &a);
		pv_check_fields(n->rs[k].has_check ? &n->rs[k].check : &n->check, &b);
		if (pv_changed(&a, &b, buf, sizeof(buf)))
			pv_line(p, '~', "real server %s in %s: %s",
				conf_rs_endpoint(n, &n->rs[k], name, sizeof(name)), n->name, buf);
	}
}

static void
pv_announce_fields(const struct conf_service *s, struct pv_fields *f)
{
	memset(f, 0, sizeof(*f));
	pv_set(f, "announce", "%s", s->has_announce ? "on" : "off");
	pv_set(f, "table", "%u", s->has_announce ? s->announce.table : 0);
	pv_set(f, "min_up", "%u", s->has_announce ? s->announce.min_up : 0);
}

static void
pv_policy_fields(const struct conf_service *s, struct pv_fields *f)
{
	const struct conf_policy_params *k = &s->policy;
	char t[32];

	memset(f, 0, sizeof(*f));
	pv_set(f, "weight_policy", "%s", conf_policy_name(k->type));
	pv_set(f, "max_step", "%u", k->max_step);
	pv_set(f, "smoothing", "%u", k->smoothing);
	pv_set(f, "band", "%u", k->band);
	pv_set(f, "write_threshold", "%u", k->write_threshold);
	pv_set(f, "warmup", "%s", pv_ms(k->warmup_ms, t, sizeof(t)));
	pv_set(f, "stale_after", "%s", pv_ms(k->stale_after_ms, t, sizeof(t)));
	pv_set(f, "expire_after", "%s", pv_ms(k->expire_after_ms, t, sizeof(t)));
	pv_set(f, "quorum", "%u", s->quorum);
	pv_set(f, "quorum_hysteresis", "%u", s->quorum_hysteresis);
}

/* Checks, announces and policies of the services kept (by name): an added
 * or removed service is said once, under IPVS. */
static void
pv_services(struct pv *p, const struct conf *old, const struct conf *new,
	    void (*fields)(const struct conf_service *, struct pv_fields *), const char *heading)
{
	struct pv_fields a, b;
	char buf[4 * PV_VALUE];

	pv_heading(p, heading);
	for (size_t i = 0; i < new->n_services; i++) {
		const struct conf_service *o = pv_svc_find(old, new->services[i].name);

		if (!o)
			continue;
		if (!fields) {
			pv_checks_one(p, o, &new->services[i]);
			continue;
		}
		fields(o, &a);
		fields(&new->services[i], &b);
		if (pv_changed(&a, &b, buf, sizeof(buf)))
			pv_line(p, '~', "service %s: %s", new->services[i].name, buf);
	}
}

int
preview_diff(const struct conf *old, const struct conf *new, struct evbuffer *out)
{
	struct pv p = {.out = out};

	pv_vrrp(&p, old, new);
	pv_ipvs(&p, old, new);
	pv_services(&p, old, new, NULL, "checks");
	pv_services(&p, old, new, pv_announce_fields, "announces");
	pv_services(&p, old, new, pv_policy_fields, "weight policies and quorums");
	if (p.changes)
		evbuffer_add_printf(out, "%d change%s\n", p.changes, p.changes == 1 ? "" : "s");
	else
		evbuffer_add_printf(out, "no change\n");
	return p.err < 0 ? p.err : p.changes;
}
