/* The IPVS writer's read of the kernel's whole table, without blocking the
 * event loop: the services, then each service's destinations, one netlink
 * dump after the other, a few datagrams each time the socket is readable.
 * Nothing else uses the socket meanwhile (no batch is in flight). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/writer/writer_int.h"

#define WRITER_DUMP_DATAGRAMS 4 /* per readable event: then the loop runs */

static void *
grow(void *arr, size_t n, size_t *cap, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return arr;
	c = *cap ? *cap * 2 : 64;
	if (!(p = realloc(arr, c * size)))
		return NULL;
	*cap = c;
	return p;
}

static int
dump_service(const void *buf, size_t len, void *arg)
{
	struct writer_dump *x = arg;
	struct ipvs_table_svc *s;
	struct ipvs_service v;
	int r = ipvs_parse_service(buf, len, &v);

	if (r < 0)
		return r;
	if (!(s = grow(x->have.svcs, x->have.n, &x->cap, sizeof(*s))))
		return -ENOMEM;
	x->have.svcs = s;
	memset(&s[x->have.n], 0, sizeof(*s));
	s[x->have.n++].svc = v;
	return 0;
}

static int
dump_dest(const void *buf, size_t len, void *arg)
{
	struct writer_dump *x = arg;
	struct ipvs_table_svc *s = &x->have.svcs[x->svc];
	struct ipvs_dest d, *p;
	int r = ipvs_parse_dest(buf, len, s->svc.af, &d);

	if (r < 0)
		return r;
	if (!(p = grow(s->dests, s->n_dests, &x->cap, sizeof(*p))))
		return -ENOMEM;
	s->dests = p;
	p[s->n_dests++] = d;
	return 0;
}

void
writer_dump_free(struct writer *w)
{
	ipvs_table_free(&w->dump.have);
	memset(&w->dump, 0, sizeof(w->dump));
}

int
writer_dump_start(struct writer *w)
{
	int r;

	writer_dump_free(w);
	clock_gettime(CLOCK_MONOTONIC, &w->dump.t0);
	w->dump.svc = SIZE_MAX;
	if ((r = ipvs_nl_dump_start(w->nl, NULL, &w->dump.seq)) < 0)
		return r;
	w->dump.active = true;
	return 0;
}

/* The next service's destinations: 0, or 1 when every service is read. */
static int
dump_next(struct writer *w)
{
	struct writer_dump *x = &w->dump;

	x->svc = x->svc == SIZE_MAX ? 0 : x->svc + 1;
	x->cap = 0;
	if (x->svc >= x->have.n)
		return 1;
	return ipvs_nl_dump_start(w->nl, &x->have.svcs[x->svc].svc, &x->seq);
}

int
writer_dump_recv(struct writer *w)
{
	struct writer_dump *x = &w->dump;
	int r = ipvs_nl_dump_recv(w->nl, x->seq, x->svc == SIZE_MAX ? dump_service : dump_dest, x,
				  &x->err, WRITER_DUMP_DATAGRAMS);

	if (r <= 0)
		return r; /* more to come, or the socket failed */
	if (x->err)
		return x->err;
	return dump_next(w); /* 1: all read; 0: the next service's dump is on its way */
}
