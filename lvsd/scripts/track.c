/* Tracked scripts and files at work in the parent: see track.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/core/ipc.h"
#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/scripts/script.h"
#include "lvsd/scripts/track.h"

struct track_script {
	struct track *t;
	struct conf_track_script conf; /* a copy: the generation may go */
	bool used;		       /* some instance references it */
	struct track_rf rf;
	bool known; /* has had a result */
	bool running;
	uint64_t job;
	struct event *ev;
	char last[96]; /* how its last run ended */
};

struct track_verdict {
	bool sent;
	int32_t delta;
	bool fault;
};

struct track {
	struct lvsd *d;
	struct track_script *s;
	size_t n_s;
	bool *ok;	/* per script, for track_combine() */
	int64_t *value; /* per file */
	bool *bad;	/* per file: could not be read (said once) */
	size_t n_f;
	struct track_verdict *v; /* per instance: what the child was told */
	size_t n_v;
	struct event *ev_files;
	int ino_fd; /* inotify on the files' directories, -1 without */
	struct event *ev_ino;
};

static void
track_send(struct track *t, size_t i, bool force, struct ipc_chan *ch)
{
	struct ipc_track m;
	int32_t delta;
	bool fault;

	track_combine(&t->d->conf->vrrp[i], t->ok, t->value, &delta, &fault);
	if (!force && t->v[i].sent && t->v[i].delta == delta && t->v[i].fault == fault)
		return;
	t->v[i] = (struct track_verdict){true, delta, fault};
	if (!ch)
		ch = t->d->child[LVSD_VRRP].ch;
	if (!ch)
		return;
	memset(&m, 0, sizeof(m));
	m.generation = t->d->generation;
	m.instance_id = (uint32_t)i;
	m.delta = delta;
	m.fault = fault;
	if (ipc_send(ch, IPC_TRACK, &m, sizeof(m)) < 0)
		log_err("vrrp child: cannot send the tracked state of %s",
			t->d->conf->vrrp[i].name);
}

static void
track_update(struct track *t)
{
	for (size_t i = 0; i < t->n_v; i++)
		track_send(t, i, false, NULL);
}

static void
track_script_done(void *arg, const struct script_result *res)
{
	struct track_script *s = arg;
	char why[96];
	bool ok = script_ok(res);

	s->running = false;
	script_result_str(res, why, sizeof(why));
	snprintf(s->last, sizeof(s->last), "%s", ok ? "ok" : why);
	if (track_rf_step(&s->rf, ok, s->conf.rise, s->conf.fall) || !s->known) {
		if (s->rf.ok)
			log_notice("track script %s: succeeds", s->conf.name);
		else
			log_warn("track script %s: fails: %s", s->conf.name, why);
	}
	s->known = true;
	s->t->ok[s - s->t->s] = s->rf.ok;
	track_update(s->t);
}

static void
track_script_cb(evutil_socket_t fd, short what, void *arg)
{
	struct track_script *s = arg;
	struct timeval tv = {s->conf.interval_ms / 1000,
			     (suseconds_t)(s->conf.interval_ms % 1000) * 1000};
	int r;

	evtimer_add(s->ev, &tv);
	if (s->running || !s->t->d->scripts)
		return; /* cannot be: its timeout is shorter than its interval */
	r = script_run_cmd(s->t->d->scripts, s->conf.script, s->conf.timeout_ms, 0,
			   track_script_done, s, &s->job);
	if (r < 0) {
		struct script_result res = {SCRIPT_NOSTART, -r};

		track_script_done(s, &res);
		return;
	}
	s->running = true;
}

/* A file's value: its integer, or 0 (said once) when it has none. */
static void
track_read_file(struct track *t, size_t i)
{
	const struct conf_track_file *f = &t->d->conf->track_files[i];
	char buf[64];
	ssize_t n = -1;
	int64_t v = 0;
	int fd = open(f->file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf));
		close(fd);
	}
	if (n < 0 || track_parse_value(buf, (size_t)n, &v) < 0) {
		if (!t->bad[i])
			log_warn("track file %s: %s %s: counted as 0", f->name, f->file,
				 n < 0 ? "cannot be read" : "holds no integer");
		t->bad[i] = true;
		v = 0;
	} else if (t->bad[i]) {
		log_notice("track file %s: %s holds %lld again", f->name, f->file, (long long)v);
		t->bad[i] = false;
	}
	if (v != t->value[i])
		log_info("track file %s: value %lld", f->name, (long long)v);
	t->value[i] = v;
}

static void
track_files_cb(evutil_socket_t fd, short what, void *arg)
{
	struct track *t = arg;
	struct timeval tv = {TRACK_FILE_PERIOD_MS / 1000, (TRACK_FILE_PERIOD_MS % 1000) * 1000};

	for (size_t i = 0; i < t->n_f; i++)
		track_read_file(t, i);
	track_update(t);
	if (t->n_f)
		evtimer_add(t->ev_files, &tv);
}

/* Something changed in a directory of a tracked file: read them all now
 * (the periodic read stays, for what inotify cannot see). */
static void
track_ino_cb(evutil_socket_t fd, short what, void *arg)
{
	struct track *t = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	for (size_t i = 0; i < t->n_f; i++)
		track_read_file(t, i);
	track_update(t);
}

/* inotify on the directory of each tracked file (files come and go, are
 * replaced by rename); without it the periodic read alone does. */
static void
track_watch(struct track *t)
{
	const struct conf *c = t->d->conf;
	unsigned n = 0;

	t->ino_fd = -1;
	if (!t->n_f || (t->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return;
	for (size_t i = 0; i < t->n_f; i++) {
		char dir[CONF_PATH_MAX];

		snprintf(dir, sizeof(dir), "%s", c->track_files[i].file);
		n += inotify_add_watch(t->ino_fd, dirname(dir),
				       IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
					   IN_MODIFY) >= 0;
	}
	t->ev_ino =
	    n ? event_new(t->d->base, t->ino_fd, EV_READ | EV_PERSIST, track_ino_cb, t) : NULL;
	if (!t->ev_ino || event_add(t->ev_ino, NULL) < 0) {
		log_info("track files: no inotify; read every %d ms", TRACK_FILE_PERIOD_MS);
		if (t->ev_ino)
			event_free(t->ev_ino);
		t->ev_ino = NULL;
		close(t->ino_fd);
		t->ino_fd = -1;
	}
}

static void
track_release(struct track *t)
{
	for (size_t i = 0; i < t->n_s; i++) {
		if (t->s[i].running && t->d->scripts)
			script_forget(t->d->scripts, t->s[i].job);
		if (t->s[i].ev)
			event_free(t->s[i].ev);
	}
	if (t->ev_files)
		event_free(t->ev_files);
	if (t->ev_ino)
		event_free(t->ev_ino);
	if (t->ino_fd >= 0)
		close(t->ino_fd);
	free(t->s);
	free(t->ok);
	free(t->value);
	free(t->bad);
	free(t->v);
	free(t);
}

static bool
track_script_used(const struct conf *c, size_t id)
{
	for (size_t i = 0; i < c->n_vrrp; i++)
		for (size_t j = 0; j < c->vrrp[i].n_track_scripts; j++)
			if (c->vrrp[i].track_scripts[j].id == id)
				return true;
	return false;
}

/* The state a script of the previous generation had, when its name and
 * command are the same. */
static void
track_carry(struct track_script *s, const struct track *old)
{
	for (size_t i = 0; old && i < old->n_s; i++) {
		const struct track_script *o = &old->s[i];

		if (!strcmp(o->conf.name, s->conf.name) &&
		    !strcmp(o->conf.script, s->conf.script)) {
			s->rf = o->rf;
			s->known = o->known;
			memcpy(s->last, o->last, sizeof(s->last));
		}
	}
}

/* Start the scripts in use, spread over their interval. */
static int
track_start(struct track *t, const struct track *old)
{
	const struct conf *c = t->d->conf;
	size_t k = 0, n_used = 0;

	for (size_t i = 0; i < t->n_s; i++)
		n_used += (t->s[i].used = track_script_used(c, i));
	for (size_t i = 0; i < t->n_s; i++) {
		struct track_script *s = &t->s[i];
		uint64_t at;
		struct timeval tv;

		s->t = t;
		s->conf = c->track_scripts[i];
		track_carry(s, old);
		t->ok[i] = s->rf.ok;
		snprintf(s->last, sizeof(s->last), "%s", s->known ? s->last : "not run yet");
		if (!s->used)
			continue;
		s->ev = evtimer_new(t->d->base, track_script_cb, s);
		if (!s->ev)
			return -ENOMEM;
		at = (uint64_t)s->conf.interval_ms * k++ / n_used;
		tv.tv_sec = (time_t)(at / 1000);
		tv.tv_usec = (suseconds_t)(at % 1000) * 1000;
		evtimer_add(s->ev, &tv);
	}
	t->ev_files = evtimer_new(t->d->base, track_files_cb, t);
	if (!t->ev_files)
		return -ENOMEM;
	track_watch(t);
	track_files_cb(-1, 0, t);
	return 0;
}

int
track_reload(struct lvsd *d)
{
	const struct conf *c = d->conf;
	struct track *t = calloc(1, sizeof(*t)), *old = d->track;
	int r;

	if (!t)
		return -ENOMEM;
	t->d = d;
	t->ino_fd = -1;
	t->n_s = c->n_track_scripts;
	t->n_f = c->n_track_files;
	t->n_v = c->n_vrrp;
	t->s = calloc(t->n_s + 1, sizeof(*t->s));
	t->ok = calloc(t->n_s + 1, sizeof(*t->ok));
	t->value = calloc(t->n_f + 1, sizeof(*t->value));
	t->bad = calloc(t->n_f + 1, sizeof(*t->bad));
	t->v = calloc(t->n_v + 1, sizeof(*t->v));
	if (!t->s || !t->ok || !t->value || !t->bad || !t->v || (r = track_start(t, old)) < 0) {
		track_release(t);
		return -ENOMEM;
	}
	d->track = t;
	if (old)
		track_release(old);
	return 0;
}

int
track_init(struct lvsd *d)
{
	return track_reload(d);
}

int
track_push(struct lvsd *d, struct ipc_chan *ch)
{
	struct track *t = d->track;

	for (size_t i = 0; t && i < t->n_v; i++)
		track_send(t, i, true, ch);
	return 0;
}

void
track_verdict(const struct lvsd *d, size_t i, int32_t *delta, bool *fault)
{
	*delta = 0;
	*fault = false;
	if (d->track && i < d->track->n_v)
		track_combine(&d->conf->vrrp[i], d->track->ok, d->track->value, delta, fault);
}

void
track_describe(const struct lvsd *d, size_t i, char *buf, size_t len)
{
	const struct track *t = d->track;
	const struct conf_vrrp *v = &d->conf->vrrp[i];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t k = 0; t && k < v->n_track_scripts && o < len; k++) {
		const struct track_script *s = &t->s[v->track_scripts[k].id];

		o += (size_t)snprintf(buf + o, len - o, "%sscript %s %s (weight %d)%s%s",
				      o ? ", " : "", s->conf.name, s->rf.ok ? "ok" : "failing",
				      v->track_scripts[k].weight, s->rf.ok ? "" : ": ",
				      s->rf.ok ? "" : s->last);
	}
	for (size_t k = 0; t && k < v->n_track_files && o < len; k++) {
		uint32_t id = v->track_files[k].id;

		o += (size_t)snprintf(buf + o, len - o, "%sfile %s = %lld (weight %d)%s",
				      o ? ", " : "", d->conf->track_files[id].name,
				      (long long)t->value[id], v->track_files[k].weight,
				      t->bad[id] ? " unreadable" : "");
	}
}

void
track_free(struct lvsd *d)
{
	if (d->track)
		track_release(d->track);
	d->track = NULL;
}
