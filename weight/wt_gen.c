/* A generation of the weight child: built from the parent's objects,
 * indexed by real server address, and taking over what the previous
 * generation knew of the same real servers (see wt.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "weight/wt.h"

static void *
grow(void *p, size_t n, size_t size)
{
	/* arrays grow by powers of two: n is the count after adding one */
	if (n & (n - 1))
		return p;
	return realloc(p, 2 * n * size);
}

int
wt_gen_key(struct wt_gen *g, const struct ipc_conf_key *k)
{
	struct wt_key *keys, *w;
	int sig = k->type == CONF_KEY_HMAC ? RPT_SIG_HMAC_SHA256 : RPT_SIG_ED25519;

	if (k->id != g->n_keys)
		return -EINVAL;
	if (!(keys = grow(g->keys, g->n_keys + 1, sizeof(*keys))))
		return -ENOMEM;
	g->keys = keys;
	w = &keys[g->n_keys++];
	memset(w, 0, sizeof(*w));
	memcpy(w->name, k->name, sizeof(w->name));
	w->name[sizeof(w->name) - 1] = '\0';
	w->readable = k->len > 0;
	w->usable = w->readable && rpt_key_parse(sig, false, k->material, k->len, &w->k) == 0;
	return 0;
}

int
wt_gen_service(struct wt_gen *g, const struct ipc_conf_service *s)
{
	struct wt_svc *svcs, *v;

	if (s->id != g->n_svcs || s->policy > CONF_POLICY_DAMPED)
		return -EINVAL;
	if (!(svcs = grow(g->svcs, g->n_svcs + 1, sizeof(*svcs))))
		return -ENOMEM;
	g->svcs = svcs;
	v = &svcs[g->n_svcs++];
	memset(v, 0, sizeof(*v));
	memcpy(v->name, s->name, sizeof(v->name));
	v->name[sizeof(v->name) - 1] = '\0';
	v->policy = s->policy;
	v->params = (struct conf_policy_params){
	    .type = (enum conf_policy)s->policy,
	    .mem_per_proc_kb = s->mem_per_proc_kb,
	    .conns_per_min = s->conns_per_min,
	    .max_step = s->max_step,
	    .smoothing = s->smoothing,
	    .band = s->band,
	    .write_threshold = s->write_threshold,
	    .integral = s->integral,
	    .warmup_ms = s->warmup_ms,
	    .stale_after_ms = s->stale_after_ms,
	    .expire_after_ms = s->expire_after_ms,
	};
	v->first = g->n_rs;
	return 0;
}

int
wt_gen_rs(struct wt_gen *g, const struct ipc_conf_rs *m)
{
	struct wt_svc *v;
	struct wt_rs *rs, *w;

	/* real servers come after their service, in order */
	if (!g->n_svcs || m->service_id != g->n_svcs - 1)
		return -EINVAL;
	v = &g->svcs[g->n_svcs - 1];
	if (m->id != v->n_rs || m->key >= (int32_t)g->n_keys || m->key2 >= (int32_t)g->n_keys ||
	    (m->addr.family != AF_INET && m->addr.family != AF_INET6))
		return -EINVAL;
	if (!(rs = grow(g->rs, g->n_rs + 1, sizeof(*rs))))
		return -ENOMEM;
	g->rs = rs;
	w = &rs[g->n_rs++];
	memset(w, 0, sizeof(*w));
	w->svc = m->service_id;
	w->id = m->id;
	w->family = m->addr.family;
	memcpy(w->addr, m->addr.addr, m->addr.family == AF_INET ? 4 : 16);
	w->port = m->port;
	w->key = m->key;
	w->key2 = m->key2;
	w->static_weight = m->weight;
	v->n_rs++;
	return 0;
}

static int
addr_cmp(int fa, const uint8_t *a, int fb, const uint8_t *b)
{
	if (fa != fb)
		return fa < fb ? -1 : 1;
	return memcmp(a, b, 16);
}

static int
rs_cmp(const void *x, const void *y)
{
	const struct wt_rs *a = *(struct wt_rs *const *)x, *b = *(struct wt_rs *const *)y;
	int r = addr_cmp(a->family, a->addr, b->family, b->addr);

	if (r)
		return r;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* The first entry of by_addr not below (family, addr, port). */
static size_t
lower_bound(const struct wt_gen *g, int family, const uint8_t *addr, uint16_t port)
{
	size_t lo = 0, hi = g->n_rs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct wt_rs *m = g->by_addr[mid];
		int r = addr_cmp(m->family, m->addr, family, addr);

		if (r < 0 || (r == 0 && m->port < port))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
wt_gen_find(const struct wt_gen *g, const struct rpt_server *id, size_t *first, size_t *n)
{
	size_t i = lower_bound(g, id->family, id->addr, id->port), j = i;

	while (j < g->n_rs &&
	       !addr_cmp(g->by_addr[j]->family, g->by_addr[j]->addr, id->family, id->addr) &&
	       (id->port == 0 || g->by_addr[j]->port == id->port))
		j++;
	*first = i;
	*n = j - i;
}

/* A pool for a service whose reports can arrive: a feedback policy, and
 * a key on at least one of its real servers. */
static int
svc_pool(struct wt_gen *g, struct wt_svc *v)
{
	bool keyed = false;
	int r;

	for (uint32_t i = 0; i < v->n_rs; i++)
		keyed |= g->rs[v->first + i].key >= 0;
	if (v->policy == CONF_POLICY_STATIC || !keyed || !g->rep.enabled)
		return 0;
	v->prs = calloc(v->n_rs ? v->n_rs : 1, sizeof(*v->prs));
	v->out = calloc(v->n_rs ? v->n_rs : 1, sizeof(*v->out));
	if (!v->prs || !v->out)
		return -ENOMEM;
	for (uint32_t i = 0; i < v->n_rs; i++)
		wt_policy_rs_init(&v->prs[i], g->rs[v->first + i].static_weight, 0);
	if ((r = wt_policy_init(&v->pool, &v->params, v->prs, v->n_rs)) < 0)
		return r;
	v->pooled = true;
	return 0;
}

/* What the old generation knew of rs (same service name, address, port):
 * false when it knew nothing. */
static bool
take_over(struct wt_gen *g, struct wt_rs *rs, const struct wt_gen *old)
{
	size_t i = lower_bound(old, rs->family, rs->addr, rs->port);
	struct wt_svc *v = &g->svcs[rs->svc];

	for (; i < old->n_rs; i++) {
		const struct wt_rs *o = old->by_addr[i];
		const struct wt_svc *ov = &old->svcs[o->svc];

		if (addr_cmp(o->family, o->addr, rs->family, rs->addr) || o->port != rs->port)
			return false;
		if (strcmp(ov->name, v->name))
			continue;
		rs->seen = o->seen;
		rs->has_report = o->has_report;
		rs->last = o->last;
		rs->last_mono_ms = o->last_mono_ms;
		rs->reports = o->reports;
		rs->down = o->down;
		if (v->pooled && ov->pooled && v->policy == ov->policy) {
			wt_adopt(v, rs->id, &ov->prs[o->id], ov->prs[o->id].static_weight,
				     ov->pool.unit);
			rs->state = (uint8_t)v->prs[rs->id].state;
		}
		return true;
	}
	return false;
}

/* The state the parent handed back (a restarted child): for the servers
 * the running generation did not know, each entry naming one of this
 * generation's servers (the parent numbered them for it). */
static void
gen_restore(struct wt_gen *g, const bool *taken)
{
	for (size_t i = 0; i < g->n_restore; i++) {
		const struct ipc_wt_rs *in = &g->restore[i];
		size_t k;

		if (in->service_id >= g->n_svcs || in->rs_id >= g->svcs[in->service_id].n_rs)
			continue;
		k = g->svcs[in->service_id].first + in->rs_id;
		if (!taken[k])
			wt_state_import(g, &g->rs[k], in);
	}
	free(g->restore);
	g->restore = NULL;
	g->n_restore = g->cap_restore = 0;
}

int
wt_gen_commit(struct wt_gen *g, const struct wt_gen *old, uint64_t now_ms)
{
	size_t n = g->n_rs ? g->n_rs : 1;
	bool *taken;
	int r;

	(void)now_ms;
	if (!(g->by_addr = calloc(n, sizeof(*g->by_addr))) ||
	    !(g->sync = calloc(n, sizeof(*g->sync))) || !(taken = calloc(n, sizeof(*taken))))
		return -ENOMEM;
	for (size_t i = 0; i < g->n_rs; i++)
		g->by_addr[i] = &g->rs[i];
	qsort(g->by_addr, g->n_rs, sizeof(*g->by_addr), rs_cmp);
	for (size_t i = 0; i < g->n_svcs; i++)
		if ((r = svc_pool(g, &g->svcs[i])) < 0) {
			free(taken);
			return r;
		}
	for (size_t i = 0; i < g->n_rs; i++) {
		if (old && old->by_addr)
			taken[i] = take_over(g, &g->rs[i], old);
		g->rs[i].dirty = true; /* the parent's new generation knows nothing yet */
	}
	gen_restore(g, taken);
	free(taken);
	/* and the parent's copy of the state is numbered afresh */
	for (size_t i = 0; i < g->n_rs; i++)
		wt_state_mark(g, &g->rs[i]);
	return 0;
}

void
wt_gen_health(struct wt_gen *g, const struct ipc_health *m)
{
	if (m->generation != g->generation)
		return;
	for (uint32_t i = 0; i < m->n; i++) {
		const struct ipc_health_rs *h = &m->rs[i];
		struct wt_svc *v;
		struct wt_rs *rs;
		bool down;

		if (h->service_id >= g->n_svcs || h->rs_id >= g->svcs[h->service_id].n_rs ||
		    h->state == IPC_HEALTH_UNKNOWN)
			continue;
		v = &g->svcs[h->service_id];
		rs = &g->rs[v->first + h->rs_id];
		down = h->state == IPC_HEALTH_DOWN;
		if (rs->down && !down && v->pooled)
			wt_policy_forget(&v->pool, h->rs_id);
		rs->down = down;
	}
}

void
wt_gen_free(struct wt_gen *g)
{
	for (size_t i = 0; i < g->n_keys; i++)
		if (g->keys[i].usable)
			rpt_key_free(&g->keys[i].k);
	for (size_t i = 0; i < g->n_svcs; i++) {
		if (g->svcs[i].pooled)
			wt_policy_release(&g->svcs[i].pool);
		free(g->svcs[i].prs);
		free(g->svcs[i].out);
	}
	if (g->sock >= 0)
		close(g->sock);
	free(g->keys);
	free(g->svcs);
	free(g->rs);
	free(g->by_addr);
	free(g->sync);
	free(g->restore);
	memset(g, 0, sizeof(*g));
	g->sock = -1;
}
