/* What lvsd keeps across restarts (see state.h): the parent's copy of the
 * weight child's state, loading the file at start, and status.  Writing
 * the file is state_write.c's. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "lvsd/announce/announce.h"
#include "lvsd/core/clock.h"
#include "lvsd/core/json.h"
#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/state/state.h"
#include "lvsd/state/state_file.h"
#include "lvsd/state/state_int.h"
#include "lvsd/writer/effective.h"

#define STATE_FILE_MAX (1024u * 1024 * 1024) /* bytes read at most: 100,000 servers take ~40 MB */

/* ------------------------------------------------------ the copy's shape */

/* Arrays for the real servers of c, empty. */
static int
state_shape(struct state *s, const struct conf *c)
{
	size_t n = 0;

	s->n_svcs = c->n_services;
	if (!(s->base = calloc(c->n_services ? c->n_services : 1, sizeof(*s->base))))
		return -ENOMEM;
	for (size_t i = 0; i < c->n_services; i++) {
		s->base[i] = n;
		n += c->services[i].n_rs;
	}
	s->n = n;
	s->wt = calloc(n ? n : 1, sizeof(*s->wt));
	s->has_wt = calloc(n ? n : 1, sizeof(*s->has_wt));
	return s->wt && s->has_wt ? 0 : -ENOMEM;
}

static void
state_unshape(struct state *s)
{
	free(s->base);
	free(s->wt);
	free(s->has_wt);
	s->base = NULL;
	s->wt = NULL;
	s->has_wt = NULL;
	s->n = s->n_svcs = 0;
}

int
state_init(struct lvsd *d, const char *path)
{
	struct state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	if (path && (snprintf(s->path, sizeof(s->path), "%s", path) >= (int)sizeof(s->path) ||
		     snprintf(s->tmp, sizeof(s->tmp), "%s.tmp", path) >= (int)sizeof(s->tmp))) {
		free(s);
		return -ENAMETOOLONG;
	}
	if (state_write_init(s) < 0 || state_shape(s, d->conf) < 0) {
		state_write_free(s);
		state_unshape(s);
		free(s);
		return -ENOMEM;
	}
	d->state = s;
	return 0;
}

void
state_free(struct lvsd *d)
{
	if (!d->state)
		return;
	state_write_free(d->state);
	state_unshape(d->state);
	free(d->state);
	d->state = NULL;
}

/* ---------------------------------------------------- the weight child's */

struct state_carry {
	struct state *to;
	const struct state *from;
};

static void
state_carry_one(void *arg, size_t svc, size_t rs, size_t osvc, size_t ors)
{
	struct state_carry *k = arg;
	size_t i = k->to->base[svc] + rs, o = k->from->base[osvc] + ors;

	k->to->has_wt[i] = k->from->has_wt[o];
	k->to->wt[i] = k->from->wt[o];
	k->to->wt[i].service_id = (uint32_t)svc;
	k->to->wt[i].rs_id = (uint32_t)rs;
}

int
state_reload(struct lvsd *d, const struct conf *old)
{
	struct state *s = d->state, n = {0};
	struct state_carry k = {&n, s};
	int r;

	if (!s)
		return 0;
	if ((r = state_shape(&n, d->conf)) < 0 ||
	    (r = table_map(d->conf, old, state_carry_one, &k)) < 0) {
		state_unshape(&n);
		/* the old numbering does not fit the new file: start empty */
		state_unshape(s);
		if (state_shape(s, d->conf) < 0)
			state_unshape(s);
		return r;
	}
	state_unshape(s);
	s->n_svcs = n.n_svcs;
	s->n = n.n;
	s->base = n.base;
	s->wt = n.wt;
	s->has_wt = n.has_wt;
	state_touch(d, false);
	return 0;
}

/* The child learnt something of this server: a report, or a feedback
 * state (an entry of a server it knows nothing of is not kept). */
static bool
state_wt_learnt(const struct ipc_wt_rs *w)
{
	return w->seen_valid || w->has_report || (w->pooled && w->policy.state != 0);
}

void
state_wt_apply(struct lvsd *d, const struct ipc_wt_state *m)
{
	struct state *s = d->state;

	if (!s)
		return;
	for (uint32_t i = 0; i < m->n; i++) {
		const struct ipc_wt_rs *w = &m->rs[i];
		size_t k;

		if (w->service_id >= s->n_svcs || s->base[w->service_id] + w->rs_id >= s->n ||
		    w->rs_id >= d->conf->services[w->service_id].n_rs)
			continue;
		k = s->base[w->service_id] + w->rs_id;
		s->wt[k] = *w;
		s->has_wt[k] = state_wt_learnt(w);
	}
	if (m->n)
		state_touch(d, false);
}

int
state_wt_push(struct lvsd *d, struct ipc_chan *ch, uint32_t *n)
{
	const struct state *s = d->state;
	struct ipc_wt_state *m;
	int r = 0;

	if (!s || !s->n)
		return 0;
	if (!(m = malloc(sizeof(*m) + IPC_WT_STATE_MAX * sizeof(m->rs[0]))))
		return -ENOMEM;
	memset(m, 0, sizeof(*m));
	m->generation = d->generation;
	for (size_t k = 0; r == 0 && k <= s->n; k++) {
		if ((k == s->n && m->n) || m->n == IPC_WT_STATE_MAX) {
			(*n)++;
			r = ipc_send(ch, IPC_WT_RESTORE, m, sizeof(*m) + m->n * sizeof(m->rs[0]));
			m->n = 0;
		}
		if (k < s->n && s->has_wt[k])
			m->rs[m->n++] = s->wt[k];
	}
	free(m);
	return r;
}

void
state_touch(struct lvsd *d, bool soon)
{
	struct state *s = d->state;

	if (!s || !s->path[0])
		return;
	if (soon)
		s->want_soon = true;
	else
		s->want_lazy = true;
	state_write_arm(d, soon ? STATE_SOON_MS : state_lazy_ms(s));
}

int
state_start(struct lvsd *d)
{
	/* whatever start restored is written back soon: the file then holds
	 * what this lvsd runs with */
	state_touch(d, true);
	return 0;
}

int
state_save(struct lvsd *d)
{
	struct state *s = d->state;
	int r;

	if (!s || !s->path[0])
		return 0;
	if ((r = state_write_all(d)) < 0)
		log_err("state file %s: cannot write it at stop: %s; the next start restores "
			"%s",
			s->path, strerror(-r), s->written ? "an older state" : "nothing");
	else
		log_info("state file %s written: %zu real servers, %zu bytes in %.1f ms", s->path,
			 s->write_records, s->write_bytes, s->write_ms);
	return r;
}

/* ---------------------------------------------------------------- loading */

/* The whole file mapped at *buf (munmap it), *len its size: 0, -ENOENT
 * when there is none, or -errno.  An empty file maps nothing (*buf NULL). */
static int
state_map(const char *path, const uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), e = 0;
	struct stat st;
	void *p = NULL;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		e = -errno;
	else if (!S_ISREG(st.st_mode))
		e = -EINVAL;
	else if ((uint64_t)st.st_size > STATE_FILE_MAX)
		e = -EFBIG;
	else if (st.st_size > 0 && (p = mmap(NULL, (size_t)st.st_size, PROT_READ,
					     MAP_PRIVATE | MAP_POPULATE, fd, 0)) == MAP_FAILED)
		e = -errno;
	close(fd);
	if (e < 0)
		return e;
	*buf = p;
	*len = (size_t)st.st_size;
	return 0;
}

/* What the restart brings back, counted for the log. */
struct state_counts {
	size_t restored, dropped, bad, drained, overrides, down, learnt;
};

/* One record: back into the effective weights and the copy, when its
 * server is still configured.  same_boot: its monotonic times are ours. */
static void
state_restore_rs(struct lvsd *d, const struct table_ids *ids, const struct state_file_rs *r,
		 bool same_boot, struct state_counts *c)
{
	struct state *s = d->state;
	struct eff_saved v = {
	    .drained = r->drained,
	    .has_override = r->has_override,
	    .override = r->override,
	    /* a proposal rests on the learnt state: only with it */
	    .has_proposal = r->has_proposal && same_boot,
	    .proposal = r->proposal,
	    .health = r->health == STATE_HEALTH_UP     ? EFF_HEALTH_UP
		      : r->health == STATE_HEALTH_DOWN ? EFF_HEALTH_DOWN
						       : EFF_HEALTH_UNKNOWN,
	};
	size_t svc, rs, k;

	if (!table_ids_find(ids, &r->svc, &r->dest, &svc, &rs)) {
		c->dropped++;
		return;
	}
	eff_restore(d, svc, rs, &v);
	k = s->base[svc] + rs;
	if (r->has_wt) {
		s->wt[k] = r->wt;
		s->wt[k].service_id = (uint32_t)svc;
		s->wt[k].rs_id = (uint32_t)rs;
		/* another boot: the anti-replay record holds (agents' clocks),
		 * the policy's times do not */
		if (!same_boot) {
			s->wt[k].pooled = 0;
			s->wt[k].last_mono_ms = 0;
		}
		s->has_wt[k] = true;
	}
	c->restored++;
	c->drained += r->drained;
	c->overrides += r->has_override;
	c->down += r->health == STATE_HEALTH_DOWN;
	c->learnt += r->has_wt;
}

/* The file's records for the configuration running now. */
static int
state_restore(struct lvsd *d, const struct state_file_head *h, struct state_file_iter *it)
{
	struct state *s = d->state;
	struct state_counts c = {0};
	uint8_t boot[16] = {0};
	struct state_file_rs r;
	struct table_ids ids;
	bool same_boot;
	int k;

	if ((k = table_ids_build(d->conf, &ids)) < 0)
		return k;
	state_boot_id(boot);
	same_boot = !memcmp(boot, h->boot_id, sizeof(boot));
	while ((k = state_file_next(it, &r)) != 0)
		if (k < 0)
			c.bad++;
		else
			state_restore_rs(d, &ids, &r, same_boot, &c);
	table_ids_free(&ids);
	eff_restore_done(d);
	if (h->director_drained &&
	    announce_restore(d, true,
			     (double)(lvsd_clock_ms(CLOCK_REALTIME) - h->director_drain_wall_ms) /
				 1000) < 0)
		log_err("state file %s: out of memory: the director drain is not restored",
			s->path);
	snprintf(
	    s->loaded, sizeof(s->loaded),
	    "%zu real servers (%zu drained, %zu overrides, %zu down, %zu with learnt state)%s%s; "
	    "dropped %zu no longer configured, %zu unreadable",
	    c.restored, c.drained, c.overrides, c.down, c.learnt,
	    h->director_drained ? "; the director drained" : "",
	    same_boot || !c.learnt ? "" : "; written before a reboot: learnt weights start again",
	    c.dropped, c.bad);
	return 0;
}

void
state_load(struct lvsd *d)
{
	struct state *s = d->state;
	struct state_file_head h;
	struct state_file_iter it;
	const uint8_t *buf = NULL;
	size_t len = 0;
	int r;

	if (!s || !s->path[0])
		return;
	if ((r = state_map(s->path, &buf, &len)) < 0) {
		if (r == -ENOENT)
			log_info("state file %s: none: nothing to restore", s->path);
		else
			log_warn("state file %s: cannot read it: %s; nothing restored", s->path,
				 strerror(-r));
		snprintf(s->loaded, sizeof(s->loaded), "nothing (%s)",
			 r == -ENOENT ? "no file" : strerror(-r));
		return;
	}
	r = state_file_open(buf, len, &h, &it);
	if (r == 0 && strcmp(h.director_id, d->conf->global.director_id)) {
		log_warn("state file %s: written by director %s, this is %s: ignored", s->path,
			 h.director_id, d->conf->global.director_id);
		snprintf(s->loaded, sizeof(s->loaded), "nothing (a file of director %s)",
			 h.director_id);
	} else if (r < 0) {
		log_warn("state file %s: %s: ignored, nothing restored", s->path,
			 r == -EPROTONOSUPPORT ? "another version of the file"
					       : "not a state file, or damaged (truncated, or its "
						 "checksum does not match)");
		snprintf(s->loaded, sizeof(s->loaded), "nothing (%s)",
			 r == -EPROTONOSUPPORT ? "another version" : "damaged");
	} else if ((r = state_restore(d, &h, &it)) < 0) {
		log_err("state file %s: %s: nothing restored", s->path, strerror(-r));
	} else {
		log_notice("state file %s (written %.0f s ago): restored %s", s->path,
			   (double)(lvsd_clock_ms(CLOCK_REALTIME) - h.wall_ms) / 1000, s->loaded);
	}
	if (buf)
		munmap((void *)buf, len);
}

/* ----------------------------------------------------------------- status */

void
state_stats_get(const struct lvsd *d, struct state_stats *out)
{
	const struct state *s = d->state;

	memset(out, 0, sizeof(*out));
	if (!s)
		return;
	out->writes = s->writes;
	out->failures = s->failures;
	out->write_ms = s->write_ms;
	out->longest_slice_ms = s->write_slice_ms;
	out->longest_slice_cpu_ms = s->write_slice_cpu_ms;
	out->busy_ms = s->write_busy_ms;
	out->bytes = s->write_bytes;
	out->records = s->write_records;
}

void
state_status_text(const struct lvsd *d, struct evbuffer *out)
{
	const struct state *s = d->state;

	if (!s || !s->path[0])
		return;
	evbuffer_add_printf(out, "state file %s\n", s->path);
	if (s->written)
		evbuffer_add_printf(out,
				    "  written %.0f s ago: %zu real servers, %zu bytes in %.1f ms "
				    "(%.1f ms CPU; longest slice %.1f ms)\n",
				    lvsd_since(&s->written_at), s->write_records, s->write_bytes,
				    s->write_ms, s->write_busy_ms, s->write_slice_ms);
	if (s->last_err)
		evbuffer_add_printf(out, "  last write failed: %s (%llu failures)\n",
				    strerror(-s->last_err), (unsigned long long)s->failures);
	if (s->loaded[0])
		evbuffer_add_printf(out, "  at start: restored %s\n", s->loaded);
}

void
state_status_json(const struct lvsd *d, struct json *j)
{
	const struct state *s = d->state;

	json_object_begin(j, "state");
	json_string(j, "file", s && s->path[0] ? s->path : "");
	json_uint(j, "writes", s ? s->writes : 0);
	json_uint(j, "failures", s ? s->failures : 0);
	if (s && s->last_err)
		json_string(j, "last_error", strerror(-s->last_err));
	else
		json_null(j, "last_error");
	if (s && s->written) {
		json_double(j, "written_s_ago", lvsd_since(&s->written_at));
		json_double(j, "write_ms", s->write_ms);
		json_double(j, "longest_slice_ms", s->write_slice_ms);
		json_double(j, "longest_slice_cpu_ms", s->write_slice_cpu_ms);
		json_double(j, "cpu_ms", s->write_busy_ms);
		json_uint(j, "bytes", s->write_bytes);
		json_uint(j, "real_servers", s->write_records);
	} else {
		json_null(j, "written_s_ago");
	}
	json_string(j, "restored_at_start", s ? s->loaded : "");
	json_object_end(j);
}
