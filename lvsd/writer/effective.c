/* Effective weights of the running configuration's real servers; see
 * effective.h. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/scripts/quorum.h"
#include "lvsd/writer/effective.h"
#include "lvsd/writer/table.h"
#include "lvsd/writer/writer.h"

enum eff_told { EFF_TOLD_NONE, EFF_TOLD_UP, EFF_TOLD_DOWN };

/* What is known of a service as a whole. */
struct eff_svc {
	bool quorum_lost;
	uint8_t quorum_told; /* enum eff_told: the hook run last */
	bool sorry;	     /* its sorry server is in */
};

struct eff {
	size_t n_svcs;
	size_t *base; /* first real server of each service in rs[] */
	struct eff_view *rs;
	size_t n;
	struct event *ramp_ev; /* slow start steps, while a server ramps */
	struct eff_svc *svc;   /* per service */
};

static struct eff *
eff_build(const struct conf *c)
{
	struct eff *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->n_svcs = c->n_services;
	e->base = calloc(c->n_services ? c->n_services : 1, sizeof(*e->base));
	for (size_t i = 0; i < c->n_services; i++) {
		e->base[i] = e->n;
		e->n += c->services[i].n_rs;
	}
	e->rs = calloc(e->n ? e->n : 1, sizeof(*e->rs));
	e->svc = calloc(c->n_services ? c->n_services : 1, sizeof(*e->svc));
	if (!e->base || !e->rs || !e->svc) {
		free(e->base);
		free(e->rs);
		free(e->svc);
		free(e);
		return NULL;
	}
	for (size_t i = 0; i < c->n_services; i++)
		for (size_t j = 0; j < c->services[i].n_rs; j++) {
			struct eff_view *v = &e->rs[e->base[i] + j];

			v->static_weight = c->services[i].rs[j].weight;
			v->effective = v->static_weight;
		}
	return e;
}

static void
eff_destroy(struct eff *e)
{
	if (!e)
		return;
	if (e->ramp_ev)
		event_free(e->ramp_ev);
	free(e->svc);
	free(e->base);
	free(e->rs);
	free(e);
}

static uint32_t
eff_target(const struct eff_view *v)
{
	if (v->health == EFF_HEALTH_DOWN || v->drained)
		return 0;
	if (v->has_override)
		return v->override;
	if (v->has_proposal)
		return v->proposal;
	return v->static_weight;
}

static uint64_t
eff_ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - t->tv_sec) * 1000 + (uint64_t)now.tv_nsec / 1000000 -
	       (uint64_t)t->tv_nsec / 1000000;
}

/* The target, scaled by the time since a recovery while it ramps (at
 * least 1, so the server takes a little traffic at once). */
static uint32_t
eff_compute(const struct eff_view *v)
{
	uint32_t w = eff_target(v);
	uint64_t t;

	if (!v->ramp_ms || v->health != EFF_HEALTH_UP || v->has_override || !w)
		return w;
	t = eff_ms_since(&v->ramp_from);
	if (t >= v->ramp_ms)
		return w;
	w = (uint32_t)((uint64_t)w * t / v->ramp_ms);
	return w ? w : 1;
}

/* Its check is none: no result will ever come. */
static bool
eff_unchecked(const struct conf *c, size_t svc, size_t rs)
{
	const struct conf_service *s = &c->services[svc];
	const struct conf_check *k = s->rs[rs].has_check ? &s->rs[rs].check : &s->check;

	return k->type == CONF_CHECK_NONE;
}

static struct eff_view *
eff_at(const struct lvsd *d, size_t svc, size_t rs)
{
	const struct eff *e = d->eff;

	if (!e || svc >= e->n_svcs || svc >= d->conf->n_services ||
	    rs >= d->conf->services[svc].n_rs)
		return NULL;
	return &e->rs[e->base[svc] + rs];
}

bool
eff_health_first_known(const struct eff_view *v)
{
	return v->health != EFF_HEALTH_UNKNOWN && !v->restored;
}

bool
eff_quorum_step(bool lost, uint64_t alive, uint32_t quorum, uint32_t hysteresis)
{
	if (!quorum)
		return false;
	if (!lost)
		return alive + hysteresis < quorum;
	return alive < (uint64_t)quorum + hysteresis;
}

static uint64_t
eff_alive(const struct lvsd *d, size_t svc)
{
	const struct eff *e = d->eff;
	uint64_t sum = 0;

	for (size_t j = 0; j < d->conf->services[svc].n_rs; j++) {
		const struct eff_view *v = &e->rs[e->base[svc] + j];

		if (v->health != EFF_HEALTH_DOWN && !v->drained)
			sum += v->static_weight;
	}
	return sum;
}

/* Every checked server of svc has its first result. */
static bool
eff_known(const struct lvsd *d, size_t svc)
{
	const struct conf_service *s = &d->conf->services[svc];

	for (size_t j = 0; j < s->n_rs; j++)
		if (!eff_health_first_known(&d->eff->rs[d->eff->base[svc] + j]) &&
		    !eff_unchecked(d->conf, svc, j))
			return false;
	return true;
}

/* The hook of the quorum's state, once per change, and once for the
 * first state known (every checked server has its first result). */
static void
eff_quorum_tell(struct lvsd *d, size_t svc)
{
	struct eff_svc *sv = &d->eff->svc[svc];
	uint8_t now = sv->quorum_lost ? EFF_TOLD_DOWN : EFF_TOLD_UP;
	bool first = sv->quorum_told == EFF_TOLD_NONE;

	if (now == sv->quorum_told || !eff_known(d, svc))
		return;
	sv->quorum_told = now;
	quorum_hook(d, svc, now == EFF_TOLD_UP, first);
}

/* A server of svc changed: the service's quorum, lost or regained, logged
 * once, and its hook. */
static void
eff_quorum(struct lvsd *d, size_t svc)
{
	const struct conf_service *s = &d->conf->services[svc];
	bool *lost = &d->eff->svc[svc].quorum_lost;
	uint64_t alive;
	bool now;

	if (!s->quorum)
		return;
	alive = eff_alive(d, svc);
	now = eff_quorum_step(*lost, alive, s->quorum, s->quorum_hysteresis);
	if (now && !*lost)
		log_warn("service %s: quorum lost: weight %llu of the servers up, quorum %u", s->name,
			 (unsigned long long)alive, s->quorum);
	else if (!now && *lost)
		log_notice("service %s: quorum regained: weight %llu of the servers up, quorum %u",
			   s->name, (unsigned long long)alive, s->quorum);
	*lost = now;
	eff_quorum_tell(d, svc);
}

bool
eff_quorum_get(const struct lvsd *d, size_t svc, bool *lost, uint64_t *alive)
{
	if (!d->eff || svc >= d->eff->n_svcs || !d->conf->services[svc].quorum)
		return false;
	*lost = d->eff->svc[svc].quorum_lost;
	*alive = eff_alive(d, svc);
	return true;
}

static void
eff_write(struct lvsd *d, size_t svc, size_t slot, uint32_t w)
{
	int r;

	if (d->ipvs && (r = writer_set_weight(d->ipvs, svc, slot, w)) < 0)
		log_err("destination %zu of service %s: cannot queue %s %u: %s", slot,
			d->conf->services[svc].name, w == TABLE_ABSENT ? "its removal" : "weight",
			w == TABLE_ABSENT ? 0 : w, strerror(-r));
}

/* "198.51.100.11:80", "[2001:db8::11]:80", the address alone for port 0 */
static const char *
eff_name(const struct conf_addr *addr, uint16_t port, char *buf, size_t len)
{
	char a[CONF_ADDRSTRLEN];

	conf_addr_str(addr, a, sizeof(a));
	if (!port)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, addr->family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
	return buf;
}

/* Some real server of svc takes new connections. */
static bool
eff_any_takes(const struct lvsd *d, size_t svc)
{
	for (size_t j = 0; j < d->conf->services[svc].n_rs; j++) {
		const struct eff_view *v = &d->eff->rs[d->eff->base[svc] + j];

		if (!v->removed && v->effective > 0)
			return true;
	}
	return false;
}

/* The sorry server goes in when no real server of svc takes new
 * connections (each is down, drained, removed or at weight 0) and out when
 * one does; each change logged once.  write: tell the writer (not while a
 * reload builds the state the next writer_apply reads). */
static void
eff_sorry(struct lvsd *d, size_t svc, bool write)
{
	const struct conf_service *s = &d->conf->services[svc];
	struct eff_svc *sv = &d->eff->svc[svc];
	char a[CONF_ADDRSTRLEN + 8];
	bool on;

	if (!s->has_sorry) {
		sv->sorry = false;
		return;
	}
	on = !eff_any_takes(d, svc);
	if (on == sv->sorry)
		return;
	sv->sorry = on;
	eff_name(&s->sorry.addr, s->sorry.port, a, sizeof(a));
	if (on)
		log_warn("service %s: sorry server %s in: no real server takes connections",
			 s->name, a);
	else
		log_notice("service %s: sorry server %s out: a real server takes connections",
			   s->name, a);
	if (write)
		eff_write(d, svc, s->n_rs, on ? s->sorry.weight : TABLE_ABSENT);
}

static bool
eff_removed(const struct lvsd *d, size_t svc, size_t rs, const struct eff_view *v)
{
	return v->health == EFF_HEALTH_DOWN &&
	       d->conf->services[svc].rs[rs].on_down == CONF_ON_DOWN_REMOVE;
}

/* Recompute one server's weight and whether it is removed; a change goes
 * to the writer, and may take the sorry server in or out. */
static void
eff_update(struct lvsd *d, size_t svc, size_t rs, struct eff_view *v)
{
	uint32_t w = eff_compute(v);
	bool removed = eff_removed(d, svc, rs, v);
	char a[CONF_ADDRSTRLEN + 8];

	if (w == v->effective && removed == v->removed)
		return;
	if (removed != v->removed)
		log_info("rs %s in %s: %s the IPVS table (on_down: remove)",
			 eff_name(&d->conf->services[svc].rs[rs].addr,
				  d->conf->services[svc].rs[rs].port, a, sizeof(a)),
			 d->conf->services[svc].name, removed ? "removed from" : "back in");
	v->effective = w;
	v->removed = removed;
	eff_write(d, svc, rs, removed ? TABLE_ABSENT : w);
	eff_sorry(d, svc, true);
}

static void eff_ramp_arm(struct lvsd *d);

static void
eff_on_ramp(evutil_socket_t fd, short what, void *arg)
{
	if (eff_ramp_tick(arg))
		eff_ramp_arm(arg);
}

/* The next step in 100 ms: at most 10 weight writes a second per server. */
static void
eff_ramp_arm(struct lvsd *d)
{
	struct timeval tv = {0, 100000};

	if (!d->base || !d->eff)
		return;
	if (!d->eff->ramp_ev && !(d->eff->ramp_ev = event_new(d->base, -1, 0, eff_on_ramp, d))) {
		log_err("out of memory: slow start ends at once");
		return;
	}
	if (!event_pending(d->eff->ramp_ev, EV_TIMEOUT, NULL))
		event_add(d->eff->ramp_ev, &tv);
}

bool
eff_ramp_tick(struct lvsd *d)
{
	struct eff *e = d->eff;
	bool more = false;

	for (size_t i = 0; e && i < e->n_svcs; i++)
		for (size_t j = 0; j < d->conf->services[i].n_rs; j++) {
			struct eff_view *v = &e->rs[e->base[i] + j];

			if (!v->ramp_ms)
				continue;
			if (v->health != EFF_HEALTH_UP || eff_ms_since(&v->ramp_from) >= v->ramp_ms)
				v->ramp_ms = 0;
			else
				more = true;
			eff_update(d, i, j, v);
		}
	return more;
}

int
eff_init(struct lvsd *d)
{
	d->eff = eff_build(d->conf);
	if (!d->eff)
		return -ENOMEM;
	for (size_t i = 0; i < d->conf->n_services; i++)
		eff_sorry(d, i, false); /* the first writer_apply reads it */
	return 0;
}

void
eff_settle(struct lvsd *d)
{
	for (size_t i = 0; d->eff && i < d->conf->n_services; i++)
		eff_quorum(d, i);
}

void
eff_free(struct lvsd *d)
{
	eff_destroy(d->eff);
	d->eff = NULL;
}

struct eff_carry {
	struct eff *e;
	const struct eff *o;
	const struct conf *c;
};

/* One server found in the old generation: its inputs, the new static weight. */
static void
eff_carry_one(void *arg, size_t svc, size_t rs, size_t osvc, size_t ors)
{
	struct eff_carry *k = arg;
	struct eff_view *v = &k->e->rs[k->e->base[svc] + rs];
	uint32_t sw = v->static_weight;

	*v = k->o->rs[k->o->base[osvc] + ors];
	v->static_weight = sw;
	/* no check any more: nothing will say it is up again */
	if (eff_unchecked(k->c, svc, rs)) {
		v->health = EFF_HEALTH_UNKNOWN;
		v->check_reason = 0;
		v->restored = false;
	}
}

/* Carry the inputs of every server found in old (by IPVS key) to e. */
static int
eff_carry(struct eff *e, const struct eff *o, const struct conf *c, const struct conf *old)
{
	struct eff_carry k = {e, o, c};

	return table_map(c, old, eff_carry_one, &k);
}

/* Every server's weight and removal, and the sorry servers, from the
 * inputs as they are now, for the writer_apply that comes next. */
static void
eff_recompute(struct lvsd *d)
{
	struct eff *e = d->eff;

	for (size_t i = 0; i < d->conf->n_services; i++) {
		for (size_t j = 0; j < d->conf->services[i].n_rs; j++) {
			struct eff_view *v = &e->rs[e->base[i] + j];

			v->effective = eff_compute(v);
			v->removed = eff_removed(d, i, j, v);
		}
		eff_sorry(d, i, false);
	}
}

int
eff_reload(struct lvsd *d, const struct conf *old)
{
	struct eff *e = eff_build(d->conf);
	int r;

	if (!e) {
		eff_free(d); /* the old numbering does not fit the new file */
		return -ENOMEM;
	}
	if (d->eff && (r = eff_carry(e, d->eff, d->conf, old)) < 0)
		log_warn("reload: cannot carry weights and overrides to the new generation: %s",
			 strerror(-r));
	for (size_t i = 0; d->eff && i < d->conf->n_services; i++)
		for (size_t j = 0; j < old->n_services && j < d->eff->n_svcs; j++)
			if (!strcmp(d->conf->services[i].name, old->services[j].name))
				e->svc[i] = d->eff->svc[j];
	eff_destroy(d->eff);
	d->eff = e;
	eff_recompute(d);
	eff_settle(d);
	for (size_t i = 0; i < e->n; i++)
		if (e->rs[i].ramp_ms) {
			eff_ramp_arm(d);
			break;
		}
	return 0;
}

void
eff_propose(struct lvsd *d, uint32_t svc, uint32_t rs, uint32_t weight)
{
	struct eff_view *v = eff_at(d, svc, rs);

	if (!v)
		return;
	v->has_proposal = true;
	v->proposal = weight > 65535 ? 65535 : weight;
	eff_update(d, svc, rs, v);
}

static uint32_t
eff_slow_start(const struct lvsd *d, size_t svc, size_t rs)
{
	const struct conf_service *s = &d->conf->services[svc];

	return (s->rs[rs].has_check ? &s->rs[rs].check : &s->check)->slow_start_ms;
}

void
eff_health(struct lvsd *d, uint32_t svc, uint32_t rs, bool up)
{
	struct eff_view *v = eff_at(d, svc, rs);

	if (!v)
		return;
	if (v->health != (up ? EFF_HEALTH_UP : EFF_HEALTH_DOWN)) {
		clock_gettime(CLOCK_MONOTONIC, &v->health_since);
		if (up)
			v->went_up++;
		else
			v->went_down++;
	} else if (v->restored) {
		clock_gettime(CLOCK_MONOTONIC, &v->health_since);
	}
	v->restored = false;
	/* back from down: slow start when configured */
	if (up && v->health == EFF_HEALTH_DOWN && (v->ramp_ms = eff_slow_start(d, svc, rs))) {
		v->ramp_from = v->health_since;
		eff_ramp_arm(d);
	}
	v->health = up ? EFF_HEALTH_UP : EFF_HEALTH_DOWN;
	eff_update(d, svc, rs, v);
	eff_quorum(d, svc);
}

void
eff_check_note(struct lvsd *d, uint32_t svc, uint32_t rs, uint8_t reason, uint16_t count,
	       int32_t code)
{
	struct eff_view *v = eff_at(d, svc, rs);

	if (!v)
		return;
	v->check_reason = reason;
	v->check_count = count;
	v->check_code = code;
}

void
eff_restore(struct lvsd *d, size_t svc, size_t rs, const struct eff_saved *s)
{
	struct eff_view *v = eff_at(d, svc, rs);

	if (!v)
		return;
	v->drained = s->drained;
	v->has_override = s->has_override;
	v->override = s->has_override && s->override <= 65535 ? s->override : 0;
	v->has_proposal = s->has_proposal;
	v->proposal = s->has_proposal && s->proposal <= 65535 ? s->proposal : 0;
	/* a server with no check keeps no health: nothing would change it */
	if (s->health != EFF_HEALTH_UNKNOWN && !eff_unchecked(d->conf, svc, rs)) {
		v->health = s->health == EFF_HEALTH_DOWN ? EFF_HEALTH_DOWN : EFF_HEALTH_UP;
		v->restored = true;
		clock_gettime(CLOCK_MONOTONIC, &v->health_since);
	}
}

void
eff_restore_done(struct lvsd *d)
{
	if (d->eff)
		eff_recompute(d);
}

int
eff_drain(struct lvsd *d, uint32_t svc, uint32_t rs, bool drain)
{
	struct eff_view *v = eff_at(d, svc, rs);

	if (!v)
		return -EINVAL;
	v->drained = drain;
	eff_update(d, svc, rs, v);
	eff_quorum(d, svc);
	return 0;
}

int
eff_override(struct lvsd *d, uint32_t svc, uint32_t rs, uint32_t weight, bool clear)
{
	struct eff_view *v = eff_at(d, svc, rs);

	if (!v)
		return -EINVAL;
	if (!clear && weight > 65535)
		return -ERANGE;
	v->has_override = !clear;
	v->override = clear ? 0 : weight;
	eff_update(d, svc, rs, v);
	return 0;
}

uint32_t
eff_table_weight(void *arg, size_t svc, size_t rs, uint32_t static_weight)
{
	const struct lvsd *d = arg;
	const struct eff_view *v = eff_at(d, svc, rs);

	if (d->eff && svc < d->eff->n_svcs && svc < d->conf->n_services &&
	    rs == d->conf->services[svc].n_rs)
		return d->eff->svc[svc].sorry ? static_weight : TABLE_ABSENT;
	if (!v)
		return static_weight;
	return v->removed ? TABLE_ABSENT : v->effective;
}

bool
eff_sorry_get(const struct lvsd *d, size_t svc, bool *active)
{
	if (!d->eff || svc >= d->eff->n_svcs || !d->conf->services[svc].has_sorry)
		return false;
	*active = d->eff->svc[svc].sorry;
	return true;
}

bool
eff_get(const struct lvsd *d, size_t svc, size_t rs, struct eff_view *out)
{
	const struct eff_view *v = eff_at(d, svc, rs);

	if (v)
		*out = *v;
	return v != NULL;
}

/* ------------------------------------------------------------ lvsctl lines */

/* "ADDR", "[ADDR6]", "ADDR:PORT", "[ADDR6]:PORT": 0 or -EINVAL; port 0 when absent. */
static int
parse_server(const char *s, struct conf_addr *a, uint16_t *port)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *p = NULL, *colon = strchr(s, ':');
	char *end;

	memset(a, 0, sizeof(*a));
	*port = 0;
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	if (buf[0] == '[') {
		char *rb = strchr(buf, ']');

		if (!rb || (rb[1] && rb[1] != ':'))
			return -EINVAL;
		*rb = '\0';
		p = rb[1] ? rb + 2 : NULL;
		memmove(buf, buf + 1, strlen(buf + 1) + 1);
	} else if (colon && !strchr(colon + 1, ':')) {
		buf[colon - s] = '\0';
		p = buf + (colon - s) + 1;
	}
	if (p) {
		unsigned long v = strtoul(p, &end, 10);

		if (!*p || *end || v == 0 || v > 65535)
			return -EINVAL;
		*port = (uint16_t)v;
	}
	if (inet_pton(AF_INET, buf, &a->u.v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, &a->u.v6) == 1)
		a->family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

static bool
addr_equal(const struct conf_addr *a, const struct conf_addr *b)
{
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? a->u.v4.s_addr == b->u.v4.s_addr
				    : !memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
}

/* The real server of s at a (and port, when not 0): its index, -ENOENT,
 * or -EEXIST when the address alone names several. */
static int
find_rs(const struct conf_service *s, const struct conf_addr *a, uint16_t port, size_t *out)
{
	size_t n = 0;

	for (size_t j = 0; j < s->n_rs; j++) {
		const struct conf_rs *rs = &s->rs[j];
		uint16_t rp = rs->port ? rs->port : s->port;

		if (!addr_equal(&rs->addr, a) || (port && rp != port))
			continue;
		*out = j;
		n++;
	}
	return n == 0 ? -ENOENT : n > 1 ? -EEXIST : 0;
}

/* Split off the last word of line[0..*n): its start. */
static const char *
last_word(const char *line, size_t *n, size_t *wl)
{
	size_t e = *n, b;

	while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\t'))
		e--;
	b = e;
	while (b > 0 && line[b - 1] != ' ' && line[b - 1] != '\t')
		b--;
	*wl = e - b;
	*n = b;
	return line + b;
}

static int
parse_weight(const char *w, size_t wl, struct eff_line *out)
{
	char buf[16];
	char *end;
	unsigned long v;

	if (wl == 5 && !strncmp(w, "clear", 5)) {
		out->clear = true;
		return 0;
	}
	if (wl == 0 || wl >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, w, wl);
	buf[wl] = '\0';
	v = strtoul(buf, &end, 10);
	if (*end || buf[0] < '0' || buf[0] > '9' || v > 65535)
		return -ERANGE;
	out->weight = (uint32_t)v;
	return 0;
}

int
eff_parse_line(const struct conf *c, const char *line, struct eff_line *out, char *why, size_t len)
{
	struct eff_line l = {0};
	size_t n = strlen(line), wl, sl, si;
	const char *w = last_word(line, &n, &wl), *sv;
	char server[INET6_ADDRSTRLEN + 8], name[CONF_NAME_MAX];
	struct conf_addr a;
	uint16_t port;
	int r;

	sv = last_word(line, &n, &sl);
	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	while (n > 0 && (*line == ' ' || *line == '\t'))
		line++, n--;
	if (n == 0 || sl == 0 || wl == 0) {
		snprintf(why, len, "'%s': want SERVICE SERVER WEIGHT|clear", line);
		return -EINVAL;
	}
	if ((r = parse_weight(w, wl, &l)) < 0) {
		snprintf(why, len, "'%.*s': the weight is 0 to 65535 or 'clear'", (int)wl, w);
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%.*s", (int)n, line);
	snprintf(server, sizeof(server), "%.*s", (int)sl, sv);
	for (si = 0; si < c->n_services && strcmp(c->services[si].name, name); si++)
		;
	if (si == c->n_services || n >= sizeof(name)) {
		snprintf(why, len, "no service named '%.*s'", (int)n, line);
		return -EINVAL;
	}
	if (sl >= sizeof(server) || parse_server(server, &a, &port) < 0) {
		snprintf(why, len, "'%.*s' is not ADDR or ADDR:PORT", (int)sl, sv);
		return -EINVAL;
	}
	r = find_rs(&c->services[si], &a, port, &l.rs);
	if (r < 0) {
		snprintf(why, len,
			 r == -EEXIST ? "%s in %s: several servers, give the port"
				      : "no real server %s in %s",
			 server, name);
		return -EINVAL;
	}
	l.svc = si;
	*out = l;
	return 0;
}

/* Every real server with a check that runs has its first result: a
 * returning director preempts only with its health known. */
static bool
eff_health_known(const struct lvsd *d)
{
	const struct conf *c = d->conf;
	struct eff_view v;

	for (size_t i = 0; i < c->n_services; i++)
		for (size_t j = 0; j < c->services[i].n_rs; j++) {
			const struct conf_rs *rs = &c->services[i].rs[j];
			enum conf_check_type t =
			    rs->has_check ? rs->check.type : c->services[i].check.type;

			if ((t == CONF_CHECK_TCP || t == CONF_CHECK_HTTP || t == CONF_CHECK_HTTPS ||
			     t == CONF_CHECK_SCRIPT) &&
			    eff_get(d, i, j, &v) && !eff_health_first_known(&v))
				return false;
		}
	return true;
}

/* Every service whose real servers are checked has one up: a director
 * whose checks say a service has nowhere to go (its own link was down, say)
 * does not take the VIPs from a peer that may still have. */
static bool
eff_health_usable(const struct lvsd *d)
{
	const struct conf *c = d->conf;
	struct eff_view v;

	for (size_t i = 0; i < c->n_services; i++) {
		bool checked = false, up = false;

		for (size_t j = 0; j < c->services[i].n_rs && !up; j++) {
			const struct conf_rs *rs = &c->services[i].rs[j];

			if ((rs->has_check ? rs->check.type : c->services[i].check.type) ==
			    CONF_CHECK_NONE)
				continue;
			checked = true;
			up = eff_get(d, i, j, &v) && v.health == EFF_HEALTH_UP && !v.restored;
		}
		if (checked && !up)
			return false;
	}
	return true;
}

bool
eff_ready(const struct lvsd *d)
{
	return d->conf->n_services == 0 ||
	       (d->applied && eff_health_known(d) && eff_health_usable(d));
}
