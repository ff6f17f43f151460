/* Stream one configuration generation to a child: CONF_BEGIN, the objects
 * its role needs (by id, never by pointer), CONF_END with the count. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lvsd/core/ipc.h"
#include "lvsd/core/keyfile.h"
#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/push.h"
#include "lvsd/scripts/track.h"
#include "lvsd/sockets.h"
#include "lvsd/state/state.h"
#include "lvsd/writer/effective.h"

static void
push_addr(struct ipc_addr *dst, const struct conf_addr *a)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = (uint8_t)a->family;
	dst->prefix = a->prefix;
	if (a->family == AF_INET)
		memcpy(dst->addr, &a->u.v4, sizeof(a->u.v4));
	else if (a->family == AF_INET6)
		memcpy(dst->addr, &a->u.v6, sizeof(a->u.v6));
}

static void
push_check(struct ipc_check *dst, const struct conf_check *k)
{
	memset(dst, 0, sizeof(*dst));
	dst->type = (uint8_t)k->type;
	dst->rise = k->rise;
	dst->fall = k->fall;
	dst->port = k->port;
	dst->status = k->status;
	dst->interval_ms = k->interval_ms;
	dst->timeout_ms = k->timeout_ms;
	ipc_strset(dst->path, sizeof(dst->path), k->path);
	ipc_strset(dst->digest, sizeof(dst->digest), k->digest);
	ipc_strset(dst->script, sizeof(dst->script), k->script);
	dst->retries = k->retries;
	dst->retry_delay_ms = k->retry_delay_ms;
	if (k->source.family)
		push_addr(&dst->source, &k->source);
	ipc_strset(dst->host, sizeof(dst->host), k->host);
	ipc_strset(dst->sni, sizeof(dst->sni), k->sni);
	ipc_strset(dst->expect, sizeof(dst->expect), k->expect);
}

/* The previous generation's state of instance v, by name: resume as master
 * when the parent saw it master. */
static bool
push_vrrp_resume(const struct lvsd *d, const struct conf_vrrp *v, uint32_t id)
{
	return d->vrrp && d->vrrp[id].known && d->vrrp[id].state == IPC_VRRP_MASTER &&
	       !strcmp(d->vrrp[id].name, v->name);
}

static int
push_vrrp(const struct lvsd *d, struct ipc_chan *ch, const struct conf_vrrp *v, uint32_t id,
	  uint32_t *n)
{
	size_t nv = v->n_vips, np = v->n_unicast_peers;
	size_t len = sizeof(struct ipc_conf_vrrp) + (nv + np) * sizeof(struct ipc_addr);
	struct ipc_conf_vrrp *m;
	int r;

	if (nv > IPC_VRRP_MAX_VIPS || np > IPC_VRRP_MAX_PEERS)
		return -E2BIG;
	if (!(m = calloc(1, len)))
		return -ENOMEM;
	m->id = id;
	ipc_strset(m->name, sizeof(m->name), v->name);
	ipc_strset(m->interface, sizeof(m->interface), v->interface);
	m->vrid = v->vrid;
	m->version = v->version;
	m->priority = v->priority;
	m->preempt = v->preempt;
	m->advert_interval_ms = v->advert_interval_ms;
	m->preempt_delay_ms = v->preempt_delay_ms;
	m->announce_interval_ms = v->announce_interval_ms;
	m->announce_repeat = v->announce_repeat;
	m->strict = v->strict;
	m->resume = push_vrrp_resume(d, v, id);
	m->sync_group = v->sync_group >= 0 ? (uint32_t)v->sync_group + 1 : 0;
	push_addr(&m->unicast_source, &v->unicast_source);
	m->n_vips = (uint32_t)nv;
	m->n_peers = (uint32_t)np;
	m->n_addrs = (uint32_t)(nv + np);
	for (size_t i = 0; i < nv; i++)
		push_addr(&m->addrs[i], &v->vips[i]);
	for (size_t i = 0; i < np; i++)
		push_addr(&m->addrs[nv + i], &v->unicast_peers[i]);
	(*n)++;
	r = ipc_send(ch, IPC_CONF_VRRP, m, len);
	free(m);
	for (size_t i = 0; r == 0 && i < v->n_track_interfaces; i++) {
		struct ipc_conf_track_if t = {.instance_id = id};

		ipc_strset(t.ifname, sizeof(t.ifname), v->track_interfaces[i]);
		(*n)++;
		r = ipc_send(ch, IPC_CONF_TRACK_IF, &t, sizeof(t));
	}
	return r;
}

static int
push_service(struct ipc_chan *ch, const struct conf_service *s, uint32_t id, uint32_t *n)
{
	struct ipc_conf_service m;
	const struct conf_policy_params *p = &s->policy;

	memset(&m, 0, sizeof(m));
	m.id = id;
	ipc_strset(m.name, sizeof(m.name), s->name);
	m.fwmark = s->fwmark;
	push_addr(&m.addr, &s->addr);
	m.port = s->port;
	m.proto = (uint8_t)s->proto;
	m.policy = (uint8_t)p->type;
	m.mem_per_proc_kb = p->mem_per_proc_kb;
	m.conns_per_min = p->conns_per_min;
	m.max_step = p->max_step;
	m.smoothing = p->smoothing;
	m.band = p->band;
	m.write_threshold = p->write_threshold;
	m.integral = p->integral;
	m.warmup_ms = p->warmup_ms;
	m.stale_after_ms = p->stale_after_ms;
	m.expire_after_ms = p->expire_after_ms;
	m.n_rs = (uint32_t)s->n_rs;
	(*n)++;
	return ipc_send(ch, IPC_CONF_SERVICE, &m, sizeof(m));
}

/* The distinct ca_file paths of the checks, in order of first use: a
 * check's CA is sent once, whatever the number of servers using it. */
struct push_cas {
	const char **path;
	size_t n;
};

static const struct conf_check *
push_rs_check(const struct conf_service *s, size_t j)
{
	return s->rs[j].has_check ? &s->rs[j].check : &s->check;
}

static int32_t
push_ca_id(const struct push_cas *cas, const struct conf_check *k)
{
	if (!cas || k->type != CONF_CHECK_HTTPS || !k->ca_file[0])
		return -1;
	for (size_t i = 0; i < cas->n; i++)
		if (!strcmp(cas->path[i], k->ca_file))
			return (int32_t)i;
	return -1;
}

static int
push_cas_collect(const struct conf *c, struct push_cas *cas)
{
	cas->n = 0;
	cas->path = NULL;
	for (size_t i = 0; i < c->n_services; i++)
		for (size_t j = 0; j < c->services[i].n_rs; j++) {
			const struct conf_check *k = push_rs_check(&c->services[i], j);
			const char **p;

			if (k->type != CONF_CHECK_HTTPS || !k->ca_file[0] || push_ca_id(cas, k) >= 0)
				continue;
			if (!(p = realloc(cas->path, (cas->n + 1) * sizeof(*p))))
				return -ENOMEM;
			cas->path = p;
			cas->path[cas->n++] = k->ca_file;
		}
	return 0;
}

/* A CA file as its bytes: the checkers child cannot open it. */
static int
push_ca(struct ipc_chan *ch, const char *path, uint32_t id, uint32_t *n)
{
	struct ipc_conf_ca *m = calloc(1, sizeof(*m) + IPC_CA_MAX + 1);
	ssize_t len;
	int r;

	if (!m)
		return -ENOMEM;
	m->id = id;
	len = keyfile_read(path, m->pem, IPC_CA_MAX, NULL);
	if (len < 0) {
		log_warn("ca_file %s: cannot read it: %s; https checks verifying against it fail",
			 path, len == -EFBIG ? "longer than 60000 bytes" : strerror((int)-len));
		m->read_errno = (int32_t)-len;
		len = 0;
	}
	m->len = (uint32_t)len;
	(*n)++;
	r = ipc_send(ch, IPC_CONF_CA, m, sizeof(*m) + (size_t)len);
	free(m);
	return r;
}

static int
push_rs(struct ipc_chan *ch, const struct conf_service *s, uint32_t sid, uint32_t id, uint32_t *n,
	const struct push_cas *cas)
{
	const struct conf_rs *rs = &s->rs[id];
	struct ipc_conf_rs m;

	memset(&m, 0, sizeof(m));
	m.service_id = sid;
	m.id = id;
	push_addr(&m.addr, &rs->addr);
	m.port = rs->port;
	m.weight = rs->weight;
	m.key = rs->key;
	m.key2 = rs->key2;
	push_check(&m.check, rs->has_check ? &rs->check : &s->check);
	m.check.ca = push_ca_id(cas, push_rs_check(s, id));
	(*n)++;
	return ipc_send(ch, IPC_CONF_RS, &m, sizeof(m));
}

/* The key as the bytes of its file, read here: the weight child has no
 * right to open it.  A file that cannot be read goes as an empty key with
 * the reason, so the child counts its reports as unverifiable. */
static int
push_key(struct ipc_chan *ch, const struct conf_key *k, uint32_t id, uint32_t *n)
{
	struct ipc_conf_key *m = calloc(1, sizeof(*m) + IPC_KEY_MAX + 1);
	ssize_t len;
	int r;

	if (!m)
		return -ENOMEM;
	m->id = id;
	m->type = (uint8_t)k->type;
	ipc_strset(m->name, sizeof(m->name), k->name);
	len = keyfile_read(k->file, m->material, IPC_KEY_MAX, NULL);
	if (len < 0) {
		log_warn("key %s: cannot read %s: %s; reports signed with it will be dropped",
			 k->name, k->file, strerror((int)-len));
		m->read_errno = (int32_t)-len;
		len = 0;
	}
	m->len = (uint32_t)len;
	explicit_bzero(m->material + len, IPC_KEY_MAX + 1 - (size_t)len);
	(*n)++;
	r = ipc_send(ch, IPC_CONF_KEY, m, sizeof(*m) + (size_t)len);
	explicit_bzero(m, sizeof(*m) + IPC_KEY_MAX + 1);
	free(m);
	return r;
}

static int
push_reports(struct ipc_chan *ch, const struct conf_reports *rp, uint32_t *n)
{
	struct ipc_conf_reports m;

	memset(&m, 0, sizeof(m));
	m.enabled = rp->enabled;
	m.port = rp->listen.port;
	push_addr(&m.addr, &rp->listen.addr);
	m.max_skew_ms = rp->max_skew_ms;
	m.round_ms = rp->round_ms;
	m.rate_limit = rp->rate_limit;
	(*n)++;
	return ipc_send(ch, IPC_CONF_REPORTS, &m, sizeof(m));
}

/* A socket the parent opened and bound for a child (a report port may be
 * privileged; the metrics child may open nothing): fd from sockets.c,
 * none when it is off or cannot be had. */
static int
push_socket(struct ipc_chan *ch, enum ipc_socket_kind kind, int fd, uint32_t *n)
{
	struct ipc_conf_socket m = {.kind = kind};

	if (fd < 0)
		return 0;
	(*n)++;
	return ipc_send_fd(ch, IPC_CONF_SOCKET, &m, sizeof(m), fd);
}

/* Services with their real servers; for the weight child, first the
 * report listener, its socket and the keys. */
static int
push_services(struct lvsd *d, struct ipc_chan *ch, bool weight, uint32_t *n)
{
	const struct conf *c = d->conf;
	struct push_cas cas = {0};
	int r = 0;

	if (!weight) {
		r = push_cas_collect(c, &cas);
		for (size_t i = 0; r == 0 && i < cas.n; i++)
			r = push_ca(ch, cas.path[i], (uint32_t)i, n);
	}
	if (weight) {
		r = push_reports(ch, &c->reports, n);
		if (r == 0)
			r = push_socket(ch, IPC_SOCKET_REPORTS, sockets_reports(d), n);
		for (size_t i = 0; r == 0 && i < c->n_keys; i++)
			r = push_key(ch, &c->keys[i], (uint32_t)i, n);
	}
	for (size_t i = 0; r == 0 && i < c->n_services; i++) {
		r = push_service(ch, &c->services[i], (uint32_t)i, n);
		for (size_t j = 0; r == 0 && j < c->services[i].n_rs; j++)
			r = push_rs(ch, &c->services[i], (uint32_t)i, (uint32_t)j, n,
				    weight ? NULL : &cas);
	}
	/* a weight child started a moment ago takes back what the last one
	 * (or the last lvsd, through the state file) had learnt */
	if (r == 0 && weight && d->child[LVSD_WEIGHT].acked_generation == 0)
		r = state_wt_push(d, ch, n);
	free(cas.path);
	return r;
}

int
push_fits(const struct conf *c, char *err, size_t len)
{
	for (size_t i = 0; i < c->n_vrrp; i++) {
		if (c->vrrp[i].n_vips > IPC_VRRP_MAX_VIPS) {
			snprintf(err, len,
				 "%s:%u:%u: vrrp instance %s has %zu virtual addresses; "
				 "at most %d fit in a VRRP advertisement",
				 c->file, c->vrrp[i].pos.line, c->vrrp[i].pos.col, c->vrrp[i].name,
				 c->vrrp[i].n_vips, IPC_VRRP_MAX_VIPS);
			return -E2BIG;
		}
		if (c->vrrp[i].n_unicast_peers > IPC_VRRP_MAX_PEERS) {
			snprintf(err, len,
				 "%s:%u:%u: vrrp instance %s has %zu unicast peers; at most %d",
				 c->file, c->vrrp[i].peers_pos.line, c->vrrp[i].peers_pos.col,
				 c->vrrp[i].name, c->vrrp[i].n_unicast_peers, IPC_VRRP_MAX_PEERS);
			return -E2BIG;
		}
	}
	return 0;
}

int
push_conf(struct lvsd *d, struct ipc_chan *ch, enum lvsd_role role)
{
	const struct conf *c = d->conf;
	uint64_t generation = d->generation;
	struct ipc_conf_begin b = {generation};
	struct ipc_conf_end e;
	uint32_t n = 0;
	int r;

	r = ipc_send(ch, IPC_CONF_BEGIN, &b, sizeof(b));
	if (role == LVSD_VRRP)
		for (size_t i = 0; r == 0 && i < c->n_vrrp; i++)
			r = push_vrrp(d, ch, &c->vrrp[i], (uint32_t)i, &n);
	else if (role == LVSD_METRICS && r == 0)
		r = push_socket(ch, IPC_SOCKET_METRICS, sockets_metrics(d), &n);
	else if (r == 0)
		r = push_services(d, ch, role == LVSD_WEIGHT, &n);
	if (r < 0)
		return r;
	memset(&e, 0, sizeof(e));
	e.generation = generation;
	e.n_objects = n;
	r = ipc_send(ch, IPC_CONF_END, &e, sizeof(e));
	if (r == 0 && role == LVSD_VRRP)
		r = push_ready(d, ch);
	if (r == 0 && role == LVSD_VRRP)
		r = track_push(d, ch);
	if (r == 0 && role == LVSD_WEIGHT)
		r = push_health_all(d, ch);
	return r;
}

/* The health of every real server known to be up or down, to the weight
 * child after a generation (it may have restarted): a server that comes
 * back warms up again from its static weight. */
int
push_health_all(struct lvsd *d, struct ipc_chan *ch)
{
	const struct conf *c = d->conf;
	struct ipc_health *m = malloc(sizeof(*m) + IPC_BATCH_MAX * sizeof(m->rs[0]));
	int r = 0;

	if (!m)
		return -ENOMEM;
	memset(m, 0, sizeof(*m));
	m->generation = d->generation;
	for (size_t i = 0; r == 0 && i < c->n_services; i++)
		for (size_t k = 0; r == 0 && k < c->services[i].n_rs; k++) {
			struct eff_view v;

			if (!eff_get(d, i, k, &v) || v.health == EFF_HEALTH_UNKNOWN)
				continue;
			m->rs[m->n++] = (struct ipc_health_rs){
			    .service_id = (uint32_t)i,
			    .rs_id = (uint32_t)k,
			    .state = v.health == EFF_HEALTH_UP ? IPC_HEALTH_UP : IPC_HEALTH_DOWN,
			};
			if (m->n == IPC_BATCH_MAX) {
				r = ipc_send(ch, IPC_HEALTH, m, sizeof(*m) + m->n * sizeof(m->rs[0]));
				m->n = 0;
			}
		}
	if (r == 0 && m->n)
		r = ipc_send(ch, IPC_HEALTH, m, sizeof(*m) + m->n * sizeof(m->rs[0]));
	free(m);
	return r;
}

int
push_ready(struct lvsd *d, struct ipc_chan *ch)
{
	struct ipc_ready m;

	memset(&m, 0, sizeof(m));
	m.generation = d->generation;
	m.ready = eff_ready(d);
	return ipc_send(ch, IPC_READY, &m, sizeof(m));
}
