/* Gathering a snapshot's frames (see metrics_snap.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics_snap.h"

void
metrics_snap_clear(struct metrics_snap *s)
{
	free(s->vrrp);
	free(s->svc);
	free(s->rs);
	memset(s, 0, sizeof(*s));
}

static int
metrics_snap_begin(struct metrics_snap *s, const struct ipc_snap_begin *b)
{
	metrics_snap_clear(s);
	if (b->n_vrrp > METRICS_SNAP_MAX_VRRP || b->n_svc > METRICS_SNAP_MAX_SVC ||
	    b->n_rs > METRICS_SNAP_MAX_RS || b->n_procs > IPC_SNAP_CHILDREN)
		return -EBADMSG;
	s->head = *b;
	s->vrrp = calloc(b->n_vrrp ? b->n_vrrp : 1, sizeof(*s->vrrp));
	s->svc = calloc(b->n_svc ? b->n_svc : 1, sizeof(*s->svc));
	s->rs = calloc(b->n_rs ? b->n_rs : 1, sizeof(*s->rs));
	if (!s->vrrp || !s->svc || !s->rs)
		return -ENOMEM;
	for (size_t i = 0; i < IPC_SNAP_CHILDREN; i++)
		ipc_strget(s->head.procs[i].name, sizeof(s->head.procs[i].name));
	return 0;
}

/* Append n elements of size sz to arr (have of want so far); the objects
 * come in order: nothing of a later kind may have come yet. */
static int
metrics_snap_add(void *arr, size_t *have, size_t want, const void *elems, size_t n, size_t sz)
{
	if (n > want - *have)
		return -EBADMSG;
	memcpy((char *)arr + *have * sz, elems, n * sz);
	*have += n;
	return 0;
}

static int
metrics_snap_objects(struct metrics_snap *s, const struct ipc_msg *m)
{
	const struct ipc_snap_vrrps *v;
	const struct ipc_snap_svcs *sv;
	const struct ipc_snap_rss *r;
	size_t first;
	int rc;

	switch (m->type) {
	case IPC_SNAP_VRRP:
		v = IPC_BODY(m, struct ipc_snap_vrrps);
		if (s->n_svc || s->n_rs)
			return -EBADMSG;
		first = s->n_vrrp;
		rc = metrics_snap_add(s->vrrp, &s->n_vrrp, s->head.n_vrrp, v->v, v->n,
				      sizeof(v->v[0]));
		for (size_t i = first; rc == 0 && i < s->n_vrrp; i++) {
			ipc_strget(s->vrrp[i].name, sizeof(s->vrrp[i].name));
			ipc_strget(s->vrrp[i].interface, sizeof(s->vrrp[i].interface));
			if (s->vrrp[i].state > IPC_VRRP_FAULT)
				rc = -EBADMSG;
		}
		return rc;
	case IPC_SNAP_SVC:
		sv = IPC_BODY(m, struct ipc_snap_svcs);
		if (s->n_rs)
			return -EBADMSG;
		first = s->n_svc;
		rc = metrics_snap_add(s->svc, &s->n_svc, s->head.n_svc, sv->s, sv->n,
				      sizeof(sv->s[0]));
		for (size_t i = first; rc == 0 && i < s->n_svc; i++)
			ipc_strget(s->svc[i].name, sizeof(s->svc[i].name));
		return rc;
	default: /* IPC_SNAP_RS */
		r = IPC_BODY(m, struct ipc_snap_rss);
		first = s->n_rs;
		rc = metrics_snap_add(s->rs, &s->n_rs, s->head.n_rs, r->rs, r->n, sizeof(r->rs[0]));
		for (size_t i = first; rc == 0 && i < s->n_rs; i++) {
			ipc_strget(s->rs[i].server, sizeof(s->rs[i].server));
			if (s->rs[i].svc >= s->n_svc || s->rs[i].health > IPC_HEALTH_DOWN)
				rc = -EBADMSG;
		}
		return rc;
	}
}

static int
metrics_snap_end(struct metrics_snap *s, const struct ipc_snap_end *e)
{
	if (e->cookie != s->head.cookie || s->n_vrrp != s->head.n_vrrp ||
	    s->n_svc != s->head.n_svc || s->n_rs != s->head.n_rs)
		return -EBADMSG;
	s->complete = true;
	return 1;
}

int
metrics_snap_frame(struct metrics_snap *s, const struct ipc_msg *m)
{
	int r;

	if (m->type == IPC_SNAP_BEGIN)
		r = metrics_snap_begin(s, IPC_BODY(m, struct ipc_snap_begin));
	else if (!s->vrrp || s->complete)
		r = -EBADMSG; /* no BEGIN before it, or after the END */
	else if (m->type == IPC_SNAP_END)
		r = metrics_snap_end(s, IPC_BODY(m, struct ipc_snap_end));
	else if (m->type == IPC_SNAP_VRRP || m->type == IPC_SNAP_SVC || m->type == IPC_SNAP_RS)
		r = metrics_snap_objects(s, m);
	else
		r = -EBADMSG;
	if (r < 0)
		metrics_snap_clear(s);
	return r;
}
