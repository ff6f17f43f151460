/* Writing the state file: the whole state, into PATH.tmp, then renamed
 * over PATH, so a reader (the next start) finds the old file or the new
 * one, never half of one.  From the event loop a write goes in slices of
 * STATE_SLICE real servers, one per turn, so the loop is never held for
 * the whole file; a reload while a write runs starts it again (the ids
 * changed).  No fsync: the runtime directory is memory (/run), and the
 * file is for restarts of lvsd, not of the host; a file cut short by a
 * crash of the host fails its CRC and is ignored. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/announce/announce.h"
#include "lvsd/core/clock.h"
#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/state/state.h"
#include "lvsd/state/state_file.h"
#include "lvsd/state/state_int.h"
#include "lvsd/writer/effective.h"

int
state_write_init(struct state *s)
{
	s->fd = -1;
	s->buf = malloc((size_t)STATE_SLICE * STATE_FILE_RS_MAX + STATE_FILE_HEAD_LEN +
			STATE_FILE_TAIL_LEN);
	return s->buf ? 0 : -ENOMEM;
}

static void
state_write_abort(struct state *s)
{
	if (s->fd >= 0) {
		close(s->fd);
		unlink(s->tmp);
	}
	s->fd = -1;
	s->writing = false;
}

void
state_write_free(struct state *s)
{
	state_write_abort(s);
	if (s->ev)
		event_free(s->ev);
	s->ev = NULL;
	free(s->buf);
	s->buf = NULL;
}

void
state_boot_id(uint8_t out[16])
{
	char text[64];
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	size_t k = 0;

	memset(out, 0, 16);
	if (!f)
		return;
	if (fgets(text, sizeof(text), f))
		for (const char *p = text; *p && k < 32; p++) {
			int v = *p >= '0' && *p <= '9'	 ? *p - '0'
				: *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
							 : -1;
			if (v < 0)
				continue;
			out[k / 2] |= (uint8_t)(k % 2 ? v : v << 4);
			k++;
		}
	fclose(f);
}

/* All of len bytes at p to the temporary file: 0 or -errno. */
static int
state_put(struct state *s, const uint8_t *p, size_t len)
{
	s->crc = state_crc32c(s->crc, p, len);
	while (len) {
		ssize_t w = write(s->fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		len -= (size_t)w;
		s->bytes += (size_t)w;
	}
	return 0;
}

/* Open the temporary file and write the header: 0 or -errno. */
static int
state_begin(struct lvsd *d)
{
	struct state *s = d->state;
	struct state_file_head h;

	memset(&h, 0, sizeof(h));
	state_boot_id(h.boot_id);
	h.wall_ms = lvsd_clock_ms(CLOCK_REALTIME);
	h.mono_ms = lvsd_clock_ms(CLOCK_MONOTONIC);
	h.director_drained = announce_draining(d);
	h.director_drain_wall_ms = h.wall_ms - (uint64_t)(announce_drained_for(d) * 1000);
	snprintf(h.director_id, sizeof(h.director_id), "%s", d->conf->global.director_id);
	s->fd = open(s->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (s->fd < 0)
		return -errno;
	clock_gettime(CLOCK_MONOTONIC, &s->began);
	s->writing = true;
	s->want_soon = s->want_lazy = false; /* what changes from now on wants the next one */
	s->next = 0;
	s->next_svc = 0;
	s->key_svc = SIZE_MAX;
	s->count = 0;
	s->crc = 0;
	s->bytes = 0;
	s->gen = d->generation;
	s->slice_max_ms = s->slice_cpu_max_ms = 0;
	s->busy_ms = 0;
	return state_put(s, s->buf, state_file_put_head(&h, s->buf));
}

/* Real server (svc, rs) as a record into buf: its length, 0 when there is
 * nothing to keep of it. */
static size_t
state_record(const struct lvsd *d, size_t svc, size_t rs, uint8_t *buf)
{
	struct state *s = d->state;
	size_t k = s->base[svc] + rs;
	struct state_file_rs r;
	struct eff_view v;

	if (!eff_get(d, svc, rs, &v))
		return 0;
	memset(&r, 0, sizeof(r));
	r.drained = v.drained;
	r.has_override = v.has_override;
	r.override = v.override;
	r.has_proposal = v.has_proposal;
	r.proposal = v.proposal;
	r.health = v.health == EFF_HEALTH_UP	 ? STATE_HEALTH_UP
		   : v.health == EFF_HEALTH_DOWN ? STATE_HEALTH_DOWN
						 : STATE_HEALTH_UNKNOWN;
	r.has_wt = s->has_wt[k];
	if (r.has_wt)
		r.wt = s->wt[k];
	if (!r.drained && !r.has_override && !r.has_proposal && !r.has_wt &&
	    r.health == STATE_HEALTH_UNKNOWN)
		return 0;
	/* the keys: the service's once per service */
	if (s->key_svc != svc) {
		if (table_service(&d->conf->services[svc], &s->svc_key) < 0)
			return 0;
		s->key_svc = svc;
	}
	r.svc = s->svc_key;
	if (table_dest(&d->conf->services[svc], &s->svc_key, &d->conf->services[svc].rs[rs], 0,
		       &r.dest) < 0)
		return 0;
	return state_file_put_rs(&r, buf);
}

/* Up to STATE_SLICE more real servers: 0, 1 when the last is written
 * with the trailer, or -errno. */
static int
state_slice(struct lvsd *d)
{
	struct state *s = d->state;
	size_t len = 0, done = 0;
	int r;

	while (s->next < s->n && done < STATE_SLICE) {
		size_t k = s->next++, n;

		while (s->next_svc + 1 < s->n_svcs && s->base[s->next_svc + 1] <= k)
			s->next_svc++;
		n = state_record(d, s->next_svc, k - s->base[s->next_svc], s->buf + len);
		len += n;
		s->count += n > 0;
		done++;
	}
	if (s->next < s->n)
		return state_put(s, s->buf, len);
	len += state_file_put_tail(s->count, state_crc32c(s->crc, s->buf, len), s->buf + len);
	r = state_put(s, s->buf, len);
	return r < 0 ? r : 1;
}

/* The temporary file is complete: close it and rename it over the file. */
static int
state_finish(struct state *s)
{
	int fd = s->fd;

	s->fd = -1;
	s->writing = false;
	if (close(fd) < 0 || rename(s->tmp, s->path) < 0) {
		int e = -errno;

		unlink(s->tmp);
		return e;
	}
	s->writes++;
	s->written = true;
	clock_gettime(CLOCK_MONOTONIC, &s->written_at);
	s->write_ms = lvsd_since(&s->began) * 1000;
	s->write_slice_ms = s->slice_max_ms;
	s->write_slice_cpu_ms = s->slice_cpu_max_ms;
	s->write_busy_ms = s->busy_ms;
	s->write_bytes = s->bytes;
	s->write_records = s->count;
	return 0;
}

static void
state_failed(struct state *s, int err)
{
	if (err != s->last_err)
		log_err("state file %s: cannot write it: %s; what lvsd keeps across a restart is "
			"%s",
			s->path, strerror(-err), s->written ? "as of its last write" : "not kept");
	s->last_err = err;
	s->failures++;
	state_write_abort(s);
}

/* One turn's share of a write: the header first, then a slice; the next
 * slice in the next turn, so the loop stays free in between. */
static void
state_write_step(evutil_socket_t fd, short what, void *arg)
{
	struct lvsd *d = arg;
	struct state *s = d->state;
	struct timespec t0;
	uint64_t c0 = lvsd_clock_ns(CLOCK_THREAD_CPUTIME_ID);
	double ms, cpu;
	int r = 0;

	(void)fd;
	(void)what;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (s->writing && s->gen != d->generation)
		state_write_abort(s); /* a reload renumbered the servers: again */
	if (!s->writing && (r = state_begin(d)) < 0) {
		state_failed(s, r);
		state_write_arm(d, STATE_LAZY_MAX_MS);
		return;
	}
	r = state_slice(d);
	ms = lvsd_since(&t0) * 1000;
	cpu = (double)(lvsd_clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / 1e6;
	s->busy_ms += cpu;
	if (ms > s->slice_max_ms)
		s->slice_max_ms = ms;
	if (cpu > s->slice_cpu_max_ms)
		s->slice_cpu_max_ms = cpu;
	if (r == 0) {
		event_add(s->ev, &(struct timeval){0, 0});
		return;
	}
	if (r > 0 && (r = state_finish(s)) == 0) {
		if (s->last_err)
			log_notice("state file %s: written again", s->path);
		s->last_err = 0;
	}
	if (r < 0)
		state_failed(s, r);
	if (r < 0)
		state_write_arm(d, STATE_LAZY_MAX_MS);
	else if (s->want_soon || s->want_lazy)
		state_write_arm(d, s->want_soon ? STATE_SOON_MS : state_lazy_ms(s));
}

uint32_t
state_lazy_ms(const struct state *s)
{
	double ms = 50 * s->write_busy_ms;

	return ms < STATE_LAZY_MIN_MS	? STATE_LAZY_MIN_MS
	       : ms > STATE_LAZY_MAX_MS ? STATE_LAZY_MAX_MS
					: (uint32_t)ms;
}

void
state_write_arm(struct lvsd *d, uint32_t delay_ms)
{
	struct state *s = d->state;
	struct timeval tv = {delay_ms / 1000, (delay_ms % 1000) * 1000};
	struct timeval left;

	if (!s || !d->base || s->writing)
		return; /* a write running: it arms the next when it ends */
	if (!s->ev && !(s->ev = evtimer_new(d->base, state_write_step, d))) {
		log_err("state file %s: out of memory: not written", s->path);
		return;
	}
	/* armed already, and sooner: leave it */
	if (evtimer_pending(s->ev, &left)) {
		struct timeval now, due;

		evutil_gettimeofday(&now, NULL);
		evutil_timeradd(&now, &tv, &due);
		if (evutil_timercmp(&left, &due, <=))
			return;
	}
	evtimer_add(s->ev, &tv);
}

int
state_write_all(struct lvsd *d)
{
	struct state *s = d->state;
	int r;

	state_write_abort(s);
	if ((r = state_begin(d)) < 0)
		return r;
	while ((r = state_slice(d)) == 0)
		;
	if (r > 0)
		r = state_finish(s);
	if (r < 0)
		state_write_abort(s);
	return r;
}
