/* The scheduler: each real server's probes, spread across its interval
 * (the first of server i of n fires at interval * i / n), each with a
 * deadline, retried after retry_delay up to retries times before a
 * failure counts, and the result into the state machine.  A change of
 * state goes to the parent at once. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "checkers/chk.h"
#include "lvsd/conf/conf.h"
#include "lvsd/core/child.h"
#include "lvsd/core/log.h"

static void
ms_tv(uint32_t ms, struct timeval *tv)
{
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

static void
chk_probe_end(struct chk_rs *rs)
{
	if (rs->probe) {
		if (rs->probe->bev)
			bufferevent_free(rs->probe->bev);
		if (rs->probe->ev)
			event_free(rs->probe->ev);
		if (rs->probe->fd >= 0)
			close(rs->probe->fd);
		chk_resp_free(&rs->probe->resp);
		free(rs->probe);
		rs->probe = NULL;
	}
	if (rs->deadline)
		event_del(rs->deadline);
}

/* The deadline passed.  When the loop is behind (many checks, a busy
 * machine, the child stopped a while) the deadline and the socket's
 * readiness come due in the same turn, timers first; and the attempt may
 * not even have sent its request yet.  A late loop is not a slow server:
 * one last look at the socket, and a deadline that fired well after its
 * time gets one more timeout from now, once. */
static void
chk_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct chk_rs *rs = arg;
	struct timeval now, late, tv;

	if (chk_plain_last_look(rs))
		return;
	event_base_gettimeofday_cached(chk_base(rs), &now);
	if (rs->probe && !rs->probe->extended && evutil_timercmp(&now, &rs->probe->due, >)) {
		evutil_timersub(&now, &rs->probe->due, &late);
		if (late.tv_sec > 0 || late.tv_usec >= CHK_LATE_MS * 1000) {
			rs->probe->extended = true;
			ms_tv(rs->check.timeout_ms, &tv);
			event_add(rs->deadline, &tv);
			return;
		}
	}
	chk_done(rs, CHK_R_TIMEOUT, 0);
}

static void
chk_attempt(evutil_socket_t fd, short what, void *arg)
{
	struct chk_rs *rs = arg;
	struct timeval tv, now;
	int r;

	/* the loop's cached time: no system call per attempt */
	if (!rs->tries)
		event_base_gettimeofday_cached(chk_base(rs), &rs->round_start);
	ms_tv(rs->check.timeout_ms, &tv);
	event_add(rs->deadline, &tv);
	event_base_gettimeofday_cached(chk_base(rs), &now);
	switch (rs->check.type) {
	case CONF_CHECK_TCP:
		r = chk_tcp_start(rs);
		break;
	case CONF_CHECK_HTTP:
		r = chk_http_start(rs);
		break;
	case CONF_CHECK_HTTPS:
		r = chk_https_start(rs);
		break;
	default:
		r = 0; /* not run: none, and script (not yet) */
		event_del(rs->deadline);
		return;
	}
	if (r < 0)
		chk_done(rs, (uint8_t)-r, errno);
	else if (rs->probe)
		evutil_timeradd(&now, &tv, &rs->probe->due);
}

/* The next attempt: a retry after its delay, or the next round one
 * interval after this one started. */
static void
chk_schedule(struct chk_rs *rs, bool retry)
{
	struct timeval now, next, tv;

	if (retry) {
		ms_tv(rs->check.retry_delay_ms, &tv);
	} else {
		ms_tv(rs->check.interval_ms, &tv);
		evutil_timeradd(&rs->round_start, &tv, &next);
		event_base_gettimeofday_cached(chk_base(rs), &now);
		if (evutil_timercmp(&next, &now, <))
			tv = (struct timeval){0, 0};
		else
			evutil_timersub(&next, &now, &tv);
	}
	event_add(rs->timer, &tv);
}

void
chk_health_fill(const struct chk_rs *rs, struct ipc_health_rs *h)
{
	memset(h, 0, sizeof(*h));
	h->service_id = rs->service_id;
	h->rs_id = rs->rs_id;
	h->state = rs->fsm.state;
	h->reason = rs->reason;
	h->code = rs->code;
	h->count = rs->fsm.state == IPC_HEALTH_UP ? rs->fsm.ok : rs->fsm.fail;
}

static void
chk_report(struct chk_rs *rs)
{
	struct {
		struct ipc_health h;
		struct ipc_health_rs rs;
	} m;

	memset(&m, 0, sizeof(m));
	m.h.generation = rs->chk->generation;
	m.h.n = 1;
	chk_health_fill(rs, &m.rs);
	if (child_send(rs->chk->child, IPC_HEALTH, &m, sizeof(m)) < 0)
		log_warn("checkers: cannot report %s to the parent", rs->name);
}

void
chk_result(struct chk_rs *rs, uint8_t reason, int32_t code)
{
	bool ok = reason == CHK_R_OK;

	chk_probe_end(rs);
	if (!ok && rs->tries < rs->check.retries) {
		rs->tries++;
		log_debug("checkers: %s: %s (%d), retrying", rs->name, chk_reason_name(reason),
			  (int)code);
		chk_schedule(rs, true);
		return;
	}
	rs->tries = 0;
	rs->reason = reason;
	rs->code = code;
	if (chk_fsm_result(&rs->fsm, ok, rs->check.rise, rs->check.fall))
		chk_report(rs);
	chk_schedule(rs, false);
}

int
chk_rs_start(struct chk *c, struct chk_rs *rs, size_t i, size_t n)
{
	struct timeval tv;

	rs->chk = c;
	rs->timer = event_new(c->base, -1, 0, chk_attempt, rs);
	rs->deadline = event_new(c->base, -1, 0, chk_on_deadline, rs);
	if (!rs->timer || !rs->deadline)
		return -ENOMEM;
	if (rs->check.type != CONF_CHECK_TCP && rs->check.type != CONF_CHECK_HTTP &&
	    rs->check.type != CONF_CHECK_HTTPS)
		return 0;
	ms_tv((uint32_t)((uint64_t)rs->check.interval_ms * i / (n ? n : 1)), &tv);
	event_add(rs->timer, &tv);
	return 0;
}

void
chk_rs_stop(struct chk_rs *rs)
{
	chk_probe_end(rs);
	if (rs->timer)
		event_free(rs->timer);
	if (rs->deadline)
		event_free(rs->deadline);
	rs->timer = rs->deadline = NULL;
}
