/* reload --confirm: a generation on trial (see confirm.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "lvsd/confirm.h"
#include "lvsd/core/clock.h"
#include "lvsd/core/json.h"
#include "lvsd/core/log.h"
#include "lvsd/core/names.h"
#include "lvsd/lvsd.h"
#include "lvsd/writer/effective.h"

struct confirm {
	bool on; /* a trial runs */
	struct conf *prev;
	uint64_t prev_gen, trial_gen;
	uint32_t seconds;
	struct timespec deadline;	/* CLOCK_MONOTONIC */
	char (*masters)[CONF_NAME_MAX]; /* instances master when it began */
	char (*serving)[CONF_NAME_MAX]; /* services with a server up (and quorum) */
	size_t n_masters, n_serving;
	struct event *timer;
	char why[256]; /* why it rolls back; "" for the deadline */
	/* the last rollback, for status */
	unsigned rollbacks;
	uint64_t rolled_gen;
	time_t rolled_at;
	char rolled_why[256];
};

static void
confirm_clear(struct confirm *cf)
{
	free(cf->masters);
	free(cf->serving);
	cf->masters = cf->serving = NULL;
	cf->n_masters = cf->n_serving = 0;
	cf->on = false;
	cf->why[0] = '\0';
	if (cf->timer)
		evtimer_del(cf->timer);
}

/* Up and not below its quorum: the service serves. */
static bool
confirm_serves(const struct lvsd *d, size_t i)
{
	const struct conf_service *s = &d->conf->services[i];
	struct eff_view v;
	bool lost = false;
	uint64_t alive;
	size_t up = 0;

	if (eff_quorum_get(d, i, &lost, &alive) && lost)
		return false;
	for (size_t k = 0; k < s->n_rs; k++)
		up += eff_get(d, i, k, &v) && v.health == EFF_HEALTH_UP;
	return up > 0;
}

/* Whether the service has lost what it served with: its quorum, or every
 * real server (each known down, or none left). */
static const char *
confirm_broken(const struct lvsd *d, size_t i)
{
	const struct conf_service *s = &d->conf->services[i];
	struct eff_view v;
	bool lost = false;
	uint64_t alive;

	if (eff_quorum_get(d, i, &lost, &alive) && lost)
		return "is below its quorum";
	for (size_t k = 0; k < s->n_rs; k++)
		if (!eff_get(d, i, k, &v) || v.health != EFF_HEALTH_DOWN)
			return NULL;
	return s->n_rs ? "has no real server up" : "has no real server left";
}

static void
confirm_fire(evutil_socket_t fd, short what, void *arg)
{
	struct lvsd *d = arg;
	struct confirm *cf = d->confirm;

	if (!cf || !cf->on)
		return;
	if (!cf->why[0])
		snprintf(cf->why, sizeof(cf->why), "not confirmed within %u s", cf->seconds);
	snprintf(cf->rolled_why, sizeof(cf->rolled_why), "%s", cf->why);
	cf->rolled_gen = cf->trial_gen;
	cf->rolled_at = time(NULL);
	cf->rollbacks++;
	if (d->hooks.rollback)
		d->hooks.rollback(d, cf->rolled_why);
}

int
confirm_begin(struct lvsd *d, uint32_t seconds)
{
	const struct conf *c = d->conf;
	struct confirm *cf = d->confirm;

	if (cf && cf->on)
		return -EBUSY;
	if (!cf && !(cf = d->confirm = calloc(1, sizeof(*cf))))
		return -ENOMEM;
	if (!cf->timer && !(cf->timer = evtimer_new(d->base, confirm_fire, d)))
		return -ENOMEM;
	cf->masters = calloc(c->n_vrrp + 1, sizeof(*cf->masters));
	cf->serving = calloc(c->n_services + 1, sizeof(*cf->serving));
	if (!cf->masters || !cf->serving) {
		confirm_clear(cf);
		return -ENOMEM;
	}
	for (size_t i = 0; i < c->n_vrrp; i++)
		if (d->vrrp && d->vrrp[i].known && d->vrrp[i].state == IPC_VRRP_MASTER)
			memcpy(cf->masters[cf->n_masters++], c->vrrp[i].name, CONF_NAME_MAX);
	for (size_t i = 0; i < c->n_services; i++)
		if (confirm_serves(d, i))
			memcpy(cf->serving[cf->n_serving++], c->services[i].name, CONF_NAME_MAX);
	cf->seconds = seconds;
	cf->on = true;
	return 0;
}

void
confirm_abort(struct lvsd *d)
{
	if (d->confirm)
		confirm_clear(d->confirm);
}

void
confirm_keep(struct lvsd *d, struct conf *prev, uint64_t prev_gen)
{
	struct confirm *cf = d->confirm;
	struct timeval tv = {cf->seconds, 0};

	cf->prev = prev;
	cf->prev_gen = prev_gen;
	cf->trial_gen = d->generation;
	clock_gettime(CLOCK_MONOTONIC, &cf->deadline);
	cf->deadline.tv_sec += cf->seconds;
	d->confirm_deadline = cf->deadline;
	evtimer_add(cf->timer, &tv);
	log_notice("generation %llu on trial: it rolls back to generation %llu's configuration in "
		   "%u s unless lvsctl confirm (%zu masters and %zu serving services watched)",
		   (unsigned long long)cf->trial_gen, (unsigned long long)prev_gen, cf->seconds,
		   cf->n_masters, cf->n_serving);
}

int
confirm_accept(struct lvsd *d, char *msg, size_t len)
{
	struct confirm *cf = d->confirm;

	if (!cf || !cf->on || !cf->prev)
		return -ENOENT;
	snprintf(msg, len, "generation %llu confirmed; generation %llu's configuration dropped",
		 (unsigned long long)cf->trial_gen, (unsigned long long)cf->prev_gen);
	log_notice("%s", msg);
	conf_free(cf->prev);
	cf->prev = NULL;
	confirm_clear(cf);
	memset(&d->confirm_deadline, 0, sizeof(d->confirm_deadline));
	return 0;
}

static const char *
confirm_lost_master(const struct lvsd *d, const struct confirm *cf, char *why, size_t len)
{
	const struct conf *c = d->conf;

	for (size_t m = 0; m < cf->n_masters; m++)
		for (size_t i = 0; i < c->n_vrrp; i++)
			if (!strcmp(c->vrrp[i].name, cf->masters[m]) && d->vrrp[i].known &&
			    d->vrrp[i].state != IPC_VRRP_MASTER) {
				snprintf(why, len, "vrrp instance %s was master and is %s now",
					 cf->masters[m],
					 vrrp_st_name((enum vrrp_st)d->vrrp[i].state));
				return why;
			}
	return NULL;
}

void
confirm_judge(struct lvsd *d)
{
	struct confirm *cf = d->confirm;
	const struct conf *c = d->conf;
	char why[sizeof(cf->why)];
	const char *broken;

	if (!cf || !cf->on || !cf->prev || cf->why[0])
		return;
	if (!confirm_lost_master(d, cf, why, sizeof(why))) {
		why[0] = '\0';
		for (size_t s = 0; s < cf->n_serving && !why[0]; s++)
			for (size_t i = 0; i < c->n_services; i++)
				if (!strcmp(c->services[i].name, cf->serving[s]) &&
				    (broken = confirm_broken(d, i))) {
					snprintf(why, sizeof(why), "service %s %s", cf->serving[s],
						 broken);
					break;
				}
		if (!why[0])
			return;
	}
	/* from the loop, not from inside whatever reported the change */
	snprintf(cf->why, sizeof(cf->why), "%s", why);
	event_active(cf->timer, EV_TIMEOUT, 0);
}

struct conf *
confirm_take(struct lvsd *d, uint64_t *prev_gen)
{
	struct confirm *cf = d->confirm;
	struct conf *prev;

	if (!cf || !cf->prev)
		return NULL;
	prev = cf->prev;
	*prev_gen = cf->prev_gen;
	cf->prev = NULL;
	confirm_clear(cf);
	memset(&d->confirm_deadline, 0, sizeof(d->confirm_deadline));
	return prev;
}

void
confirm_free(struct lvsd *d)
{
	struct confirm *cf = d->confirm;

	if (!cf)
		return;
	confirm_clear(cf);
	conf_free(cf->prev);
	if (cf->timer)
		event_free(cf->timer);
	free(cf);
	d->confirm = NULL;
}

bool
confirm_pending(const struct lvsd *d, uint32_t *left_ms)
{
	const struct confirm *cf = d->confirm;
	struct timespec now;
	int64_t ms;

	if (!cf || !cf->on || !cf->prev)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(cf->deadline.tv_sec - now.tv_sec) * 1000 +
	     (cf->deadline.tv_nsec - now.tv_nsec) / 1000000;
	*left_ms = ms > 0 ? (uint32_t)ms : 0;
	return true;
}

unsigned
confirm_rollbacks(const struct lvsd *d)
{
	return d->confirm ? d->confirm->rollbacks : 0;
}

void
confirm_status_text(const struct lvsd *d, struct evbuffer *out)
{
	const struct confirm *cf = d->confirm;
	char t[64];
	uint32_t left;

	if (confirm_pending(d, &left))
		evbuffer_add_printf(out,
				    "  reload on trial: generation %llu rolls back to generation "
				    "%llu's configuration in %u s unless lvsctl confirm\n",
				    (unsigned long long)cf->trial_gen,
				    (unsigned long long)cf->prev_gen, (left + 999) / 1000);
	if (cf && cf->rollbacks) {
		struct tm tm;

		localtime_r(&cf->rolled_at, &tm);
		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S%z", &tm);
		evbuffer_add_printf(out, "  last rollback: generation %llu at %s: %s (%u in all)\n",
				    (unsigned long long)cf->rolled_gen, t, cf->rolled_why,
				    cf->rollbacks);
	}
}

void
confirm_status_json(const struct lvsd *d, struct json *j)
{
	const struct confirm *cf = d->confirm;
	uint32_t left = 0;
	bool pending = confirm_pending(d, &left);

	json_object_begin(j, "confirm");
	json_bool(j, "pending", pending);
	if (pending) {
		json_uint(j, "generation", cf->trial_gen);
		json_uint(j, "rolls_back_to", cf->prev_gen);
		json_double(j, "left_s", left / 1e3);
	}
	json_uint(j, "rollbacks", cf ? cf->rollbacks : 0);
	if (cf && cf->rollbacks) {
		json_uint(j, "last_rollback_generation", cf->rolled_gen);
		json_int(j, "last_rollback_at", (int64_t)cf->rolled_at);
		json_string(j, "last_rollback_why", cf->rolled_why);
	}
	json_object_end(j);
}
