/* The announce section of a service (active-active directors behind
 * ECMP) and the director's drain wait: parsing and the checks across
 * services. */
#include "config.h"

#include <string.h>

#include "lvsd/conf/conf_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum { AN_TABLE, AN_MIN_UP };
static const struct conf_keydef announce_keys[] = {
    CONF_K("table", CK_U32, struct conf_announce, table, 1, UINT32_MAX),
    CONF_K("min_up", CK_U32, struct conf_announce, min_up, 0, UINT32_MAX),
};

int
conf_parse_announce(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;
	struct conf_announce *a = &s->announce;
	struct conf_map m;
	int r;

	a->pos = conf_node_pos(v);
	a->min_up = 1;
	if ((r = conf_walk(x, v, "announce", announce_keys, N(announce_keys), a, &m)) < 0)
		return r;
	if (!m.val[AN_TABLE])
		return conf_fail(x, v,
				 "announce needs 'table': the kernel routing table lvsd keeps "
				 "the VIP's route in, which the routing daemon imports");
	if (a->table == 255)
		return conf_fail(x, m.val[AN_TABLE],
				 "announce table 255 is the kernel's local table; choose a "
				 "table of its own (e.g. 100)");
	if (s->fwmark)
		return conf_fail(x, v,
				 "a fwmark service has no address to announce: announce the "
				 "services of its VIP instead");
	if (a->min_up > s->n_rs)
		return conf_fail(x, m.val[AN_MIN_UP] ? m.val[AN_MIN_UP] : v,
				 "announce min_up %u is more than the service's %zu real "
				 "servers: the route would never be announced",
				 a->min_up, s->n_rs);
	s->has_announce = true;
	return 0;
}

/* Services announcing one VIP keep one route: they name the same table. */
int
conf_check_announce(struct conf_ctx *x)
{
	const struct conf *c = x->c;

	for (size_t i = 0; i < c->n_services; i++) {
		const struct conf_service *s = &c->services[i];

		if (!s->has_announce)
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct conf_service *o = &c->services[j];
			char b[CONF_ADDRSTRLEN];

			if (!o->has_announce || !conf_addr_same(&s->addr, &o->addr) ||
			    s->announce.table == o->announce.table)
				continue;
			return conf_fail_pos(x, &s->announce.pos,
					     "service %s announces %s in table %u, and service "
					     "%s (line %u) in table %u: one VIP, one route, "
					     "one table",
					     s->name, conf_addr_str(&s->addr, b, sizeof(b)),
					     s->announce.table, o->name, o->announce.pos.line,
					     o->announce.table);
		}
	}
	return 0;
}
