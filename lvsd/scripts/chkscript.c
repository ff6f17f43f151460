/* Health checks of type script, run by the parent: the checkers child
 * parses network input, so it never runs operator scripts (lvsd(8),
 * Scripts).  Each real server with a script check gets a timer; every
 * interval (the first ones spread over it) its command runs through the
 * script runner (as global.script_user, own process group, the check's
 * timeout), exit 0 is a success, and the results go through the checkers'
 * state machine (rise, fall) into the same path as theirs through the
 * health hook (main's: lvsd_health() logs a change once with its reason
 * and sets the weight). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "lvsd/core/chk_fsm.h"
#include "lvsd/core/log.h"
#include "lvsd/core/names.h"
#include "lvsd/lvsd.h"
#include "lvsd/scripts/chkscript.h"
#include "lvsd/scripts/script.h"

struct chkscript_ent {
	struct lvsd *d;
	uint32_t svc, rs;
	const struct conf_check *k; /* in d->conf, valid for the generation */
	struct chk_fsm fsm;
	struct event *timer;
	bool running;
	uint64_t job;
};

struct chkscript {
	struct chkscript_ent *e;
	size_t n;
};

static const struct conf_check *
chkscript_check(const struct conf_service *s, size_t j)
{
	return s->rs[j].has_check ? &s->rs[j].check : &s->check;
}

static void
chkscript_arm(struct chkscript_ent *e, uint64_t ms)
{
	struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};

	evtimer_add(e->timer, &tv);
}

/* How a run ended, as a check result. */
static void
chkscript_reason(const struct script_result *res, bool *ok, uint8_t *reason, int32_t *code)
{
	*ok = res->how == SCRIPT_EXITED && res->code == 0;
	*code = res->code;
	switch (res->how) {
	case SCRIPT_EXITED:
		*reason = *ok ? CHK_R_OK : CHK_R_SCRIPT_EXIT;
		break;
	case SCRIPT_SIGNALED:
		*reason = CHK_R_SCRIPT_SIGNAL;
		break;
	case SCRIPT_TIMEOUT:
		*reason = CHK_R_TIMEOUT;
		break;
	default:
		*reason = CHK_R_ERROR;
		break;
	}
}

static void
chkscript_done(void *arg, const struct script_result *res)
{
	struct chkscript_ent *e = arg;
	struct ipc_health_rs h;
	int32_t code;
	uint8_t reason;
	bool ok;

	e->running = false;
	chkscript_reason(res, &ok, &reason, &code);
	chk_fsm_result(&e->fsm, ok, e->k->rise, e->k->fall);
	memset(&h, 0, sizeof(h));
	h.service_id = e->svc;
	h.rs_id = e->rs;
	h.state = e->fsm.state;
	h.reason = reason;
	h.code = code;
	h.count = ok ? e->fsm.ok : e->fsm.fail;
	if (e->d->hooks.health) /* as a checkers child's result */
		e->d->hooks.health(e->d, &h);
}

static void
chkscript_tick(evutil_socket_t fd, short what, void *arg)
{
	struct chkscript_ent *e = arg;
	int r;

	chkscript_arm(e, e->k->interval_ms);
	if (e->running) /* still running: its timeout ends it */
		return;
	r = script_run_cmd(e->d->scripts, e->k->script, e->k->timeout_ms, 0, chkscript_done, e,
			   &e->job);
	if (r < 0)
		log_err("script check of %s: cannot run '%s': %s",
			e->d->conf->services[e->svc].name, e->k->script, strerror(-r));
	else
		e->running = true;
}

void
chkscript_free(struct lvsd *d)
{
	struct chkscript *cs = d->chkscript;

	if (!cs)
		return;
	for (size_t i = 0; i < cs->n; i++) {
		if (cs->e[i].running && d->scripts)
			script_forget(d->scripts, cs->e[i].job);
		if (cs->e[i].timer)
			event_free(cs->e[i].timer);
	}
	free(cs->e);
	free(cs);
	d->chkscript = NULL;
}

static size_t
chkscript_count(const struct conf *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n_services; i++)
		for (size_t j = 0; j < c->services[i].n_rs; j++)
			n += chkscript_check(&c->services[i], j)->type == CONF_CHECK_SCRIPT;
	return n;
}

int
chkscript_reset(struct lvsd *d)
{
	const struct conf *c = d->conf;
	struct chkscript *cs;
	size_t n = chkscript_count(c), k = 0;

	chkscript_free(d);
	if (!n || !d->scripts)
		return 0;
	if (!(cs = calloc(1, sizeof(*cs))) || !(cs->e = calloc(n, sizeof(*cs->e)))) {
		free(cs);
		return -ENOMEM;
	}
	d->chkscript = cs;
	for (size_t i = 0; i < c->n_services; i++)
		for (size_t j = 0; j < c->services[i].n_rs; j++) {
			struct chkscript_ent *e = &cs->e[k];

			if (chkscript_check(&c->services[i], j)->type != CONF_CHECK_SCRIPT)
				continue;
			e->d = d;
			e->svc = (uint32_t)i;
			e->rs = (uint32_t)j;
			e->k = chkscript_check(&c->services[i], j);
			e->fsm.state = IPC_HEALTH_UNKNOWN;
			if (!(e->timer = evtimer_new(d->base, chkscript_tick, e)))
				return -ENOMEM;
			cs->n = ++k;
			/* spread: the k-th of n starts k/n of its interval late */
			chkscript_arm(e, (uint64_t)e->k->interval_ms * (k - 1) / n);
		}
	return 0;
}
