/* Validation across objects, once everything is parsed: conflicts between
 * VRRP instances, between services, between real servers of a service, and
 * services whose VIP no VRRP instance holds.  Each error points at the later
 * object and names the line of the earlier one. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/conf/conf_int.h"

/* Duplicates in O(n log n): sort indices by key (then by index), and among
 * equal neighbours find the earliest later one, so the report is the same
 * as a pairwise scan would give: the first object that repeats an earlier one. */
typedef int (*conf_cmp_fn)(const void *arr, size_t a, size_t b);

struct dup_sort {
	const void *arr;
	conf_cmp_fn cmp;
};

static int
dup_order(const void *pa, const void *pb, void *arg)
{
	const struct dup_sort *d = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int r = d->cmp(d->arr, a, b);

	return r ? r : (a > b) - (a < b);
}

/* Sets *later and *first to a duplicate pair and returns 1, 0 when none, -ENOMEM. */
static int
find_dup(const void *arr, size_t n, conf_cmp_fn cmp, size_t *later, size_t *first)
{
	struct dup_sort d = {arr, cmp};
	size_t *idx, best = SIZE_MAX, group = 0;

	if (n < 2)
		return 0;
	idx = malloc(n * sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), dup_order, &d);
	for (size_t i = 1; i < n; i++) {
		if (cmp(arr, idx[i - 1], idx[i])) {
			group = i;
			continue;
		}
		if (idx[i] < best) {
			best = idx[i];
			*first = idx[group];
		}
	}
	free(idx);
	if (best == SIZE_MAX)
		return 0;
	*later = best;
	return 1;
}

static int
cmp_addr(const struct conf_addr *a, const struct conf_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(&a->u, &b->u, a->family == AF_INET ? sizeof(a->u.v4) : sizeof(a->u.v6));
}

/* rs->port is the port IPVS uses (see rs_fits), so this is the kernel's key. */
static int
cmp_rs(const void *arr, size_t a, size_t b)
{
	const struct conf_rs *x = (const struct conf_rs *)arr + a,
			     *y = (const struct conf_rs *)arr + b;
	int r = cmp_addr(&x->addr, &y->addr);

	return r ? r : (int)x->port - (int)y->port;
}

/* fwmark services are keyed by (fwmark, family); others by (address, port, protocol). */
static int
cmp_service(const void *arr, size_t a, size_t b)
{
	const struct conf_service *x = (const struct conf_service *)arr + a;
	const struct conf_service *y = (const struct conf_service *)arr + b;
	int r;

	if (x->fwmark != y->fwmark)
		return x->fwmark < y->fwmark ? -1 : 1;
	if (x->fwmark)
		return x->family - y->family;
	if ((r = cmp_addr(&x->addr, &y->addr)))
		return r;
	if (x->port != y->port)
		return (int)x->port - (int)y->port;
	return (int)x->proto - (int)y->proto;
}

/* One entry per (instance, address family) or per (instance, address). */
struct vr_ent {
	const struct conf_vrrp *v;
	int family;
	const struct conf_addr *addr;
};

static int
cmp_vr_name(const void *arr, size_t a, size_t b)
{
	const struct conf_vrrp *v = arr;

	return strcmp(v[a].name, v[b].name);
}

static int
cmp_vr_router(const void *arr, size_t a, size_t b)
{
	const struct vr_ent *x = (const struct vr_ent *)arr + a,
			    *y = (const struct vr_ent *)arr + b;
	int r = strcmp(x->v->interface, y->v->interface);

	if (r)
		return r;
	if (x->v->vrid != y->v->vrid)
		return (int)x->v->vrid - (int)y->v->vrid;
	return x->family - y->family;
}

static int
cmp_vr_addr(const void *arr, size_t a, size_t b)
{
	const struct vr_ent *x = (const struct vr_ent *)arr + a,
			    *y = (const struct vr_ent *)arr + b;

	return cmp_addr(x->addr, y->addr);
}

/* Entries per family (routers) and per address (vips), in file order. */
static int
vr_entries(const struct conf *c, struct vr_ent **routers, size_t *n_routers, struct vr_ent **vips,
	   size_t *n_vips)
{
	size_t total = 0;

	for (size_t i = 0; i < c->n_vrrp; i++)
		total += c->vrrp[i].n_vips;
	*routers = calloc(total + 1, sizeof(**routers));
	*vips = calloc(total + 1, sizeof(**vips));
	*n_routers = *n_vips = 0;
	if (!*routers || !*vips)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_vrrp; i++) {
		const struct conf_vrrp *v = &c->vrrp[i];
		bool fam4 = false, fam6 = false;

		for (size_t j = 0; j < v->n_vips; j++) {
			(*vips)[(*n_vips)++] = (struct vr_ent){v, v->vips[j].family, &v->vips[j]};
			fam4 |= v->vips[j].family == AF_INET;
			fam6 |= v->vips[j].family == AF_INET6;
		}
		if (fam4)
			(*routers)[(*n_routers)++] = (struct vr_ent){v, AF_INET, NULL};
		if (fam6)
			(*routers)[(*n_routers)++] = (struct vr_ent){v, AF_INET6, NULL};
	}
	return 0;
}

static int
check_vrrp(struct conf_ctx *x, struct vr_ent *routers, size_t n_routers, struct vr_ent *vips,
	   size_t n_vips)
{
	const struct conf *c = x->c;
	const struct conf_vrrp *a, *b;
	char s[CONF_ADDRSTRLEN];
	size_t i, j;
	int r;

	if ((r = find_dup(c->vrrp, c->n_vrrp, cmp_vr_name, &i, &j)) != 0)
		return r < 0 ? r
			     : conf_fail_pos(x, &c->vrrp[i].pos,
					     "duplicate vrrp instance name "
					     "'%s' (first used at line %u); give "
					     "each instance its own name",
					     c->vrrp[i].name, c->vrrp[j].pos.line);
	if ((r = find_dup(routers, n_routers, cmp_vr_router, &i, &j)) != 0) {
		if (r < 0)
			return r;
		a = routers[j].v;
		b = routers[i].v;
		return conf_fail_pos(x, &b->pos,
				     "vrrp instance %s uses vrid %u on %s, like instance "
				     "%s at line %u; each virtual router on a link "
				     "needs its own vrid",
				     b->name, b->vrid, b->interface, a->name, a->pos.line);
	}
	if ((r = find_dup(vips, n_vips, cmp_vr_addr, &i, &j)) != 0) {
		if (r < 0)
			return r;
		a = vips[j].v;
		b = vips[i].v;
		return conf_fail_pos(x, &b->pos,
				     "vrrp instance %s lists virtual address %s, which "
				     "instance %s at line %u already holds",
				     b->name, conf_addr_str(vips[i].addr, s, sizeof(s)), a->name,
				     a->pos.line);
	}
	return 0;
}

static int
cmp_vip_sorted(const void *pa, const void *pb)
{
	const struct vr_ent *x = pa, *y = pb;

	return cmp_addr(x->addr, y->addr);
}

static int
check_rs_dups(struct conf_ctx *x, const struct conf_service *s)
{
	char a[CONF_ADDRSTRLEN];
	size_t i, j;
	int r;

	if ((r = find_dup(s->rs, s->n_rs, cmp_rs, &i, &j)) <= 0)
		return r;
	conf_addr_str(&s->rs[i].addr, a, sizeof(a));
	if (!s->rs[i].port)
		return conf_fail_pos(x, &s->rs[i].pos,
				     "real server %s is listed twice in service %s (first at "
				     "line %u)",
				     a, s->name, s->rs[j].pos.line);
	return conf_fail_pos(x, &s->rs[i].pos,
			     "real server %s port %u is listed twice in service "
			     "%s (first at line %u)",
			     a, s->rs[i].port, s->name, s->rs[j].pos.line);
}

/* A check's source address is of its server's family. */
static int
check_rs_source(struct conf_ctx *x, const struct conf_service *s)
{
	char a[CONF_ADDRSTRLEN], b[CONF_ADDRSTRLEN];

	for (size_t i = 0; i < s->n_rs; i++) {
		const struct conf_rs *rs = &s->rs[i];
		const struct conf_check *k = rs->has_check ? &rs->check : &s->check;

		if (k->source.family && k->source.family != rs->addr.family)
			return conf_fail_pos(x, &k->pos,
					     "check source %s is not of the family of real server "
					     "%s in service %s",
					     conf_addr_str(&k->source, a, sizeof(a)),
					     conf_addr_str(&rs->addr, b, sizeof(b)), s->name);
	}
	return 0;
}

/* vips is sorted by address. */
static int
check_vip_owned(struct conf_ctx *x, const struct conf_service *s, const struct vr_ent *vips,
		size_t n_vips)
{
	const struct conf *c = x->c;
	struct vr_ent key = {NULL, 0, &s->addr};
	char a[CONF_ADDRSTRLEN], names[160] = "";
	size_t used = 0;

	if (s->fwmark || !c->n_vrrp || bsearch(&key, vips, n_vips, sizeof(*vips), cmp_vip_sorted))
		return 0;
	for (size_t i = 0; i < c->n_vrrp && used < sizeof(names); i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
					 c->vrrp[i].name);
	return conf_fail_pos(x, &s->addr_pos,
			     "service %s: address %s is not among the "
			     "virtual_addresses of any vrrp instance (%s); add it "
			     "to one so that the backup director can take it over",
			     s->name, conf_addr_str(&s->addr, a, sizeof(a)), names);
}

static int
cmp_service_name(const void *arr, size_t a, size_t b)
{
	const struct conf_service *s = arr;

	return strcmp(s[a].name, s[b].name);
}

static int
check_services(struct conf_ctx *x, struct vr_ent *vips, size_t n_vips)
{
	const struct conf *c = x->c;
	size_t i, j;
	int r;

	if ((r = find_dup(c->services, c->n_services, cmp_service, &i, &j)) < 0)
		return r;
	if (r > 0) {
		const struct conf_service *s = &c->services[i], *t = &c->services[j];

		return conf_fail_pos(x, &s->pos,
				     "service %s is the same virtual service as %s at "
				     "line %u (%s); merge them or change one",
				     s->name, t->name, t->pos.line,
				     s->fwmark ? "same fwmark" : "same address, port and protocol");
	}
	/* lvsctl names services: a name must say which one */
	if ((r = find_dup(c->services, c->n_services, cmp_service_name, &i, &j)) != 0)
		return r < 0 ? r
			     : conf_fail_pos(x, &c->services[i].pos,
					     "duplicate service name '%s' (first used at line %u); "
					     "give each service its own name",
					     c->services[i].name, c->services[j].pos.line);
	qsort(vips, n_vips, sizeof(*vips), cmp_vip_sorted);
	for (i = 0; i < c->n_services; i++)
		if ((r = check_rs_dups(x, &c->services[i])) < 0 ||
		    (r = check_rs_source(x, &c->services[i])) < 0 ||
		    (r = check_vip_owned(x, &c->services[i], vips, n_vips)) < 0)
			return r;
	return 0;
}

int
conf_validate(struct conf_ctx *x)
{
	struct vr_ent *routers = NULL, *vips = NULL;
	size_t n_routers, n_vips;
	int r;

	r = vr_entries(x->c, &routers, &n_routers, &vips, &n_vips);
	if (r == 0)
		r = check_vrrp(x, routers, n_routers, vips, n_vips);
	if (r == 0)
		r = check_services(x, vips, n_vips);
	if (r == 0)
		r = conf_check_announce(x);
	free(routers);
	free(vips);
	return r;
}
