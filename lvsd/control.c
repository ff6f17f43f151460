/* The control socket lvsctl talks to.
 *
 * A unix stream socket, mode 0600, owned by root, in a directory lvsd
 * creates if missing; peers must also be root (SO_PEERCRED).  Protocol: the
 * client sends one command line ("status", "status --json", "reload",
 * "reload --confirm SECONDS", "reload --dry-run [FILE]", "confirm",
 * "weight SERVICE SERVER WEIGHT|clear", or "weight --batch" followed by
 * such lines without "weight " and a last line ".", "drain SERVICE SERVER",
 * "undrain SERVICE SERVER", "drain --director [SECONDS]", "undrain --director",
 * "weights [SERVICE] [--json]"); lvsd answers with
 * "ok" or "error: REASON" on the first line, then the body, and closes the
 * connection.  A weight command is answered once the kernel acknowledged
 * the changes it caused ("applied N, refused M", then the reasons).  A
 * connection gets CONTROL_DEADLINE_S from accept to the end of its reply
 * (CONTROL_WEIGHT_DEADLINE_S for weight), and at most CONTROL_CONNS_MAX
 * are open at once: an idle client cannot hold lvsd's descriptors.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "lvsd/announce/announce.h"
#include "lvsd/confirm.h"
#include "lvsd/control.h"
#include "lvsd/core/clock.h"
#include "lvsd/core/log.h"
#include "lvsd/drill/drill.h"
#include "lvsd/feedback/feedback.h"
#include "lvsd/lvsd.h"
#include "lvsd/proc.h"
#include "lvsd/state/state.h"
#include "lvsd/status.h"
#include "lvsd/writer/effective.h"
#include "lvsd/writer/writer.h"

#define CONTROL_LINE_MAX 256
#define CONTROL_STATUS_WAIT_MS 500
#define CONTROL_DEADLINE_S 5
#define CONTROL_CONNS_MAX 16
#define CONTROL_WEIGHT_DEADLINE_S 120 /* weight: until the kernel acknowledged */
#define CONTROL_BATCH_MAX 200000      /* lines of one weight --batch */
#define CONTROL_WHY_MAX 20	      /* refusal reasons in a reply */
#define CONTROL_PAUSE_S 1 /* accept failed (no descriptors left): wait this long */
#define CONTROL_PAUSE_LOG_S 60.0 /* and say so at most this often */

struct control_conn {
	struct control *ctl;
	struct bufferevent *bev;
	struct event *timer;    /* waiting for the children's status */
	struct event *deadline; /* CONTROL_DEADLINE_S after accept */
	bool json;
	bool waiting;
	uint32_t cookie;
	uint32_t handover; /* the handover cookie it waits on, or 0 */
	size_t withdrawn;  /* drain --director: routes it withdrew */
	/* weight: the lines read so far, refusals with their reasons */
	bool batch;
	struct eff_line *lines;
	size_t n_lines, cap_lines;
	unsigned refused, applied;
	struct evbuffer *why;
	struct control_conn *next;
};

struct control {
	struct lvsd *d;
	struct evconnlistener *lis;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct control_conn *conns;
	unsigned n_conns;
	struct event *resume; /* re-enables the listener after a pause */
	struct timespec paused_at; /* CLOCK_MONOTONIC, of the last pause logged */
	bool paused_logged;
};

static void
control_conn_free(struct control_conn *cc)
{
	struct control_conn **pp;

	for (pp = &cc->ctl->conns; *pp; pp = &(*pp)->next) {
		if (*pp == cc) {
			*pp = cc->next;
			cc->ctl->n_conns--;
			break;
		}
	}
	if (cc->timer)
		event_free(cc->timer);
	if (cc->deadline)
		event_free(cc->deadline);
	if (cc->ctl->d->ipvs)
		writer_wait_cancel(cc->ctl->d->ipvs, cc);
	if (cc->why)
		evbuffer_free(cc->why);
	free(cc->lines);
	bufferevent_free(cc->bev);
	free(cc);
}

static void
control_conn_written(struct bufferevent *bev, void *arg)
{
	control_conn_free(arg);
}

static void
control_conn_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		control_conn_free(arg);
}

/* Send "ok"/"error: ..." plus body, then close once it is written. */
static void
control_reply(struct control_conn *cc, const char *head, struct evbuffer *body)
{
	struct evbuffer *out = bufferevent_get_output(cc->bev);

	cc->waiting = false;
	if (cc->timer)
		evtimer_del(cc->timer);
	bufferevent_disable(cc->bev, EV_READ);
	evbuffer_add_printf(out, "%s\n", head);
	if (body)
		evbuffer_add_buffer(out, body);
	bufferevent_setcb(cc->bev, NULL, control_conn_written, control_conn_event, cc);
	bufferevent_enable(cc->bev, EV_WRITE);
}

static void
control_status_reply(struct control_conn *cc)
{
	struct evbuffer *body = evbuffer_new();

	if (!body) {
		control_reply(cc, "error: out of memory", NULL);
		return;
	}
	if (cc->json)
		status_render_json(cc->ctl->d, body);
	else
		status_render_text(cc->ctl->d, body);
	control_reply(cc, "ok", body);
	evbuffer_free(body);
}

static void
control_status_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct control_conn *cc = arg;

	if (!cc->waiting)
		return;
	log_warn("status: a child did not answer within %d ms", CONTROL_STATUS_WAIT_MS);
	control_status_reply(cc);
}

void
control_status_progress(struct lvsd *d)
{
	if (!d->ctl)
		return;
	for (struct control_conn *cc = d->ctl->conns; cc; cc = cc->next)
		if (cc->waiting && proc_status_complete(d, cc->cookie))
			control_status_reply(cc);
}

static void
control_status(struct control_conn *cc, bool json)
{
	struct lvsd *d = cc->ctl->d;
	struct timeval tv = {0, CONTROL_STATUS_WAIT_MS * 1000};

	cc->json = json;
	cc->cookie = proc_status_request(d);
	if (proc_status_complete(d, cc->cookie)) {
		control_status_reply(cc);
		return;
	}
	cc->timer = evtimer_new(d->base, control_status_timeout, cc);
	if (!cc->timer) {
		control_status_reply(cc);
		return;
	}
	cc->waiting = true;
	evtimer_add(cc->timer, &tv);
}

/* reload --dry-run [FILE]: the changes, nothing applied. */
static void
control_preview(struct control_conn *cc, const char *file)
{
	struct lvsd *d = cc->ctl->d;
	char err[sizeof(d->last_reload_error)], head[sizeof(err) + 32];
	struct evbuffer *body = evbuffer_new();

	if (!body || !d->hooks.preview) {
		control_reply(cc, "error: a dry run is not possible here", NULL);
	} else if (file && file[0] != '/') {
		control_reply(cc, "error: reload --dry-run takes an absolute path", NULL);
	} else if (d->hooks.preview(d, file, body, err, sizeof(err)) < 0) {
		snprintf(head, sizeof(head), "error: %s", err);
		control_reply(cc, head, NULL);
	} else {
		control_reply(cc, "ok", body);
	}
	if (body)
		evbuffer_free(body);
}

/* confirm: the generation on trial stays. */
static void
control_confirm(struct control_conn *cc)
{
	struct evbuffer *body = evbuffer_new();
	char msg[256];

	if (confirm_accept(cc->ctl->d, msg, sizeof(msg)) < 0) {
		control_reply(cc, "error: no reload is waiting for confirmation", NULL);
	} else {
		if (body)
			evbuffer_add_printf(body, "%s\n", msg);
		control_reply(cc, "ok", body);
	}
	if (body)
		evbuffer_free(body);
}

/* reload, reload --confirm SECONDS, reload --dry-run [FILE]; false when
 * line is none of them. */
static bool
control_reload(struct control_conn *cc, const char *line)
{
	struct lvsd *d = cc->ctl->d;
	char err[sizeof(d->last_reload_error)], head[sizeof(err) + 64];
	unsigned long confirm_s = 0;
	struct evbuffer *body;
	char *end;

	if (!strcmp(line, "reload --dry-run") || !strncmp(line, "reload --dry-run ", 17)) {
		control_preview(cc, line[16] ? line + 17 : NULL);
		return true;
	}
	if (!strncmp(line, "reload --confirm ", 17)) {
		errno = 0;
		confirm_s = strtoul(line + 17, &end, 10);
		if (errno || end == line + 17 || *end || confirm_s < 1 || confirm_s > 86400) {
			control_reply(cc, "error: reload --confirm takes SECONDS from 1 to 86400",
				      NULL);
			return true;
		}
	} else if (strcmp(line, "reload")) {
		return false;
	}
	log_info("reload%s requested over the control socket", confirm_s ? " --confirm" : "");
	if (!d->hooks.reload) {
		control_reply(cc, "error: reload is not possible here", NULL);
		return true;
	}
	if (d->hooks.reload(d, (uint32_t)confirm_s, err, sizeof(err)) < 0) {
		snprintf(head, sizeof(head), "error: reload failed, keeping generation %llu: %s",
			 (unsigned long long)d->generation, err);
		control_reply(cc, head, NULL);
		return true;
	}
	body = evbuffer_new();
	if (body)
		evbuffer_add_printf(body, "reloaded %s: generation %llu\n", d->conf_path,
				    (unsigned long long)d->generation);
	if (body && confirm_s)
		evbuffer_add_printf(body,
				    "on trial: it rolls back in %lu s unless lvsctl confirm (and at "
				    "once if a master or a serving service is lost)\n",
				    confirm_s);
	control_reply(cc, "ok", body);
	if (body)
		evbuffer_free(body);
	return true;
}

/* ------------------------------------------------------------- weight */

static void
control_weight_reply(void *arg)
{
	struct control_conn *cc = arg;
	struct evbuffer *body = evbuffer_new();
	struct writer_stats st;

	writer_stats(cc->ctl->d->ipvs, &st);
	if (body) {
		evbuffer_add_printf(body, "applied %u, refused %u\n", cc->applied, cc->refused);
		if (!st.available)
			evbuffer_add_printf(body, "the kernel has no IPVS now: the weights go to "
						  "it when it has\n");
		if (cc->why)
			evbuffer_add_buffer(body, cc->why);
	}
	control_reply(cc, "ok", body);
	if (body)
		evbuffer_free(body);
}

static void
control_weight_refuse(struct control_conn *cc, const char *why)
{
	cc->refused++;
	if (cc->refused > CONTROL_WHY_MAX || (!cc->why && !(cc->why = evbuffer_new())))
		return;
	evbuffer_add_printf(cc->why, "refused: %s\n", why);
	if (cc->refused == CONTROL_WHY_MAX)
		evbuffer_add_printf(cc->why, "(further refusals not listed)\n");
}

/* One "SERVICE SERVER WEIGHT|clear" line: resolved now, applied at the end. */
static void
control_weight_line(struct control_conn *cc, const char *line)
{
	char why[CONTROL_LINE_MAX + 128];
	struct eff_line l;

	if (eff_parse_line(cc->ctl->d->conf, line, &l, why, sizeof(why)) < 0) {
		control_weight_refuse(cc, why);
		return;
	}
	if (cc->n_lines == cc->cap_lines) {
		size_t cap = cc->cap_lines ? cc->cap_lines * 2 : 16;
		struct eff_line *p = realloc(cc->lines, cap * sizeof(*p));

		if (!p) {
			control_weight_refuse(cc, "out of memory");
			return;
		}
		cc->lines = p;
		cc->cap_lines = cap;
	}
	cc->lines[cc->n_lines++] = l;
}

/* Every override at once (one coalesced change for the writer), then the
 * reply once the kernel has acknowledged what they changed. */
static void
control_weight_apply(struct control_conn *cc)
{
	struct lvsd *d = cc->ctl->d;
	struct writer_stats st;
	int r;

	for (size_t i = 0; i < cc->n_lines; i++) {
		const struct eff_line *l = &cc->lines[i];

		if (eff_override(d, (uint32_t)l->svc, (uint32_t)l->rs, l->weight, l->clear) < 0)
			control_weight_refuse(cc, "the server is gone");
		else
			cc->applied++;
	}
	if (cc->applied)
		state_touch(d, true);
	if (cc->n_lines == 1 && cc->applied == 1) {
		const struct conf_service *s = &d->conf->services[cc->lines[0].svc];
		char a[CONF_ADDRSTRLEN];

		conf_addr_str(&s->rs[cc->lines[0].rs].addr, a, sizeof(a));
		if (cc->lines[0].clear)
			log_notice("rs %s in %s: weight override cleared by the operator", a,
				   s->name);
		else
			log_notice("rs %s in %s: weight %u set by the operator", a, s->name,
				   cc->lines[0].weight);
	} else {
		log_notice("weight overrides from the operator: %u applied, %u refused",
			   cc->applied, cc->refused);
	}
	writer_stats(d->ipvs, &st);
	r = st.available ? writer_wait(d->ipvs, writer_ticket(d->ipvs), control_weight_reply, cc)
			 : 1;
	if (r != 0) /* answered already, no IPVS, or no memory to wait: say what we know */
		control_weight_reply(cc);
}

static void
control_weight_deadline(struct control_conn *cc)
{
	struct timeval tv = {CONTROL_WEIGHT_DEADLINE_S, 0};

	evtimer_add(cc->deadline, &tv);
}

/* weight --batch: lines until "." */
static void
control_batch_read(struct control_conn *cc, struct evbuffer *in)
{
	char *line;
	size_t n;

	while ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF))) {
		bool end = !strcmp(line, ".");

		if (!end && cc->n_lines + cc->refused >= CONTROL_BATCH_MAX)
			control_weight_refuse(cc, "too many lines in one batch");
		else if (!end && line[0] && line[0] != '#')
			control_weight_line(cc, line);
		free(line);
		if (end) {
			bufferevent_disable(cc->bev, EV_READ);
			cc->batch = false;
			control_weight_apply(cc);
			return;
		}
	}
	if (evbuffer_get_length(in) > CONTROL_LINE_MAX)
		control_reply(cc, "error: request too long", NULL);
}

static bool
control_weight(struct control_conn *cc, const char *line, struct evbuffer *in)
{
	if (strncmp(line, "weight ", 7))
		return false;
	control_weight_deadline(cc);
	if (!strcmp(line, "weight --batch")) {
		cc->batch = true;
		bufferevent_enable(cc->bev, EV_READ);
		control_batch_read(cc, in);
		return true;
	}
	control_weight_line(cc, line + 7);
	control_weight_apply(cc);
	return true;
}

/* drain / undrain SERVICE SERVER: weight 0 until undrain (connections
 * drain), answered once the kernel has it. */
static bool
control_drain(struct control_conn *cc, const char *line)
{
	struct lvsd *d = cc->ctl->d;
	bool drain = !strncmp(line, "drain ", 6);
	char buf[CONTROL_LINE_MAX + 8], why[CONTROL_LINE_MAX + 128], a[CONF_ADDRSTRLEN + 8];
	struct writer_stats st;
	struct eff_line l;
	int r;

	if (!drain && strncmp(line, "undrain ", 8))
		return false;
	control_weight_deadline(cc);
	/* SERVICE SERVER resolve as a weight line does */
	snprintf(buf, sizeof(buf), "%s 0", line + (drain ? 6 : 8));
	if (eff_parse_line(d->conf, buf, &l, why, sizeof(why)) < 0 ||
	    eff_drain(d, (uint32_t)l.svc, (uint32_t)l.rs, drain) < 0) {
		control_weight_refuse(cc, why);
		control_weight_reply(cc);
		return true;
	}
	cc->applied++;
	announce_update(d);
	state_touch(d, true);
	log_notice("rs %s in %s: %s by the operator",
		   conf_rs_name(&d->conf->services[l.svc].rs[l.rs], a, sizeof(a)),
		   d->conf->services[l.svc].name, drain ? "drained" : "undrained");
	writer_stats(d->ipvs, &st);
	r = st.available ? writer_wait(d->ipvs, writer_ticket(d->ipvs), control_weight_reply, cc)
			 : 1;
	if (r != 0)
		control_weight_reply(cc);
	return true;
}

/* Call cb on cc after wait_ms, and keep the connection that long and
 * CONTROL_DEADLINE_S more; false when the timer cannot be made (the caller
 * answers at once). */
static bool
control_wait(struct control_conn *cc, uint32_t wait_ms, event_callback_fn cb)
{
	struct timeval tv = {.tv_sec = wait_ms / 1000,
			     .tv_usec = (suseconds_t)(wait_ms % 1000) * 1000};
	struct timeval dl = {.tv_sec = tv.tv_sec + CONTROL_DEADLINE_S};

	evtimer_add(cc->deadline, &dl);
	cc->timer = evtimer_new(cc->ctl->d->base, cb, cc);
	if (!cc->timer)
		return false;
	evtimer_add(cc->timer, &tv);
	return true;
}

static void
control_director_drained(evutil_socket_t fd, short what, void *arg)
{
	struct control_conn *cc = arg;
	struct evbuffer *body = evbuffer_new();

	if (body)
		evbuffer_add_printf(body, "withdrew %zu routes and waited: %s\n", cc->withdrawn,
				    "the director carries no new flows; it may stop (lvsctl "
				    "undrain --director to serve again)");
	log_notice("director drained: the wait is over, lvsd may stop");
	control_reply(cc, "ok", body);
	if (body)
		evbuffer_free(body);
}

/* drain --director [SECONDS] / undrain --director: withdraw every announced
 * route first, then answer after the wait (director_drain_wait or SECONDS)
 * that lets the router move new flows to the other directors. */
static bool
control_director(struct control_conn *cc, const char *line)
{
	struct lvsd *d = cc->ctl->d;
	uint32_t wait_ms = d->conf->global.director_drain_ms;
	char *end;

	if (!strcmp(line, "undrain --director")) {
		announce_drain(d, false);
		state_touch(d, true);
		control_reply(cc, "ok", NULL);
		return true;
	}
	if (strcmp(line, "drain --director") && strncmp(line, "drain --director ", 17))
		return false;
	if (line[16]) {
		unsigned long s;

		errno = 0;
		s = strtoul(line + 17, &end, 10);
		if (errno || end == line + 17 || *end || s > 3600) {
			control_reply(cc, "error: drain --director takes SECONDS from 0 to 3600",
				      NULL);
			return true;
		}
		wait_ms = (uint32_t)s * 1000;
	}
	cc->withdrawn = announce_drain(d, true);
	state_touch(d, true);
	if (!control_wait(cc, wait_ms, control_director_drained))
		control_director_drained(-1, 0, cc);
	return true;
}

static void
control_handover_reply(struct control_conn *cc, bool final)
{
	struct evbuffer *body = evbuffer_new();
	bool ok = false;

	if (!body) {
		control_reply(cc, "error: out of memory", NULL);
		return;
	}
	if (!drill_handover_done(cc->ctl->d, cc->handover, final, body, &ok)) {
		evbuffer_free(body);
		return;
	}
	cc->handover = 0;
	if (ok) {
		control_reply(cc, "ok", body);
	} else {
		char head[512];
		size_t n = evbuffer_copyout(body, head + 7, sizeof(head) - 8);

		memcpy(head, "error: ", 7);
		head[7 + n] = '\0';
		for (char *p = head; *p; p++) /* one line */
			if (*p == '\n')
				*p = p[1] ? ';' : '\0';
		control_reply(cc, head, NULL);
	}
	evbuffer_free(body);
}

void
control_vrrp_progress(struct lvsd *d)
{
	struct control_conn *cc, *next;

	if (!d->ctl)
		return;
	for (cc = d->ctl->conns; cc; cc = next) {
		next = cc->next; /* a reply may free cc once written, never at once */
		if (cc->handover)
			control_handover_reply(cc, false);
	}
}

static void
control_handover_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct control_conn *cc = arg;

	if (cc->handover)
		control_handover_reply(cc, true);
}

/* handover [INSTANCE]: the reply comes when the new master was heard. */
static void
control_handover(struct control_conn *cc, const char *name)
{
	struct lvsd *d = cc->ctl->d;
	char err[256], head[300];
	uint32_t wait_ms;
	int r;

	r = drill_handover(d, name, &cc->handover, &wait_ms, err, sizeof(err));
	if (r < 0) {
		snprintf(head, sizeof(head), "error: %s", err);
		control_reply(cc, head, NULL);
		return;
	}
	if (!control_wait(cc, wait_ms, control_handover_timeout))
		control_handover_reply(cc, true);
}

static void
control_drill(struct control_conn *cc)
{
	struct evbuffer *body = evbuffer_new();

	if (!body) {
		control_reply(cc, "error: out of memory", NULL);
		return;
	}
	drill_report(cc->ctl->d, body);
	control_reply(cc, "ok", body);
	evbuffer_free(body);
}

/* "weights [SERVICE] [--json]": the weight child's feedback per real server. */
static bool
control_weights(struct control_conn *cc, const char *line)
{
	char service[CONF_NAME_MAX + 1] = "", head[CONF_NAME_MAX + 64];
	const char *rest;
	struct evbuffer *body;
	bool json = false;
	size_t len;

	if (strcmp(line, "weights") && strncmp(line, "weights ", 8))
		return false;
	rest = line + 7;
	len = strlen(rest);
	if (len >= 7 && !strcmp(rest + len - 7, " --json")) {
		json = true;
		len -= 7;
	}
	if (len > 1 && len - 1 <= CONF_NAME_MAX) {
		memcpy(service, rest + 1, len - 1);
		service[len - 1] = '\0';
	} else if (len > 1) {
		control_reply(cc, "error: no such service", NULL);
		return true;
	}
	if (!(body = evbuffer_new())) {
		control_reply(cc, "error: out of memory", NULL);
		return true;
	}
	if (fb_render(cc->ctl->d, service[0] ? service : NULL, json, body) < 0) {
		snprintf(head, sizeof(head), "error: no service named '%s'", service);
		control_reply(cc, head, NULL);
	} else {
		control_reply(cc, "ok", body);
	}
	evbuffer_free(body);
	return true;
}

static void
control_conn_read(struct bufferevent *bev, void *arg)
{
	struct control_conn *cc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char head[CONTROL_LINE_MAX + 256];
	size_t n;
	char *line;

	if (cc->batch) {
		control_batch_read(cc, in);
		return;
	}
	line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF);
	if (!line) {
		if (evbuffer_get_length(in) > CONTROL_LINE_MAX)
			control_reply(cc, "error: request too long", NULL);
		return;
	}
	bufferevent_disable(bev, EV_READ); /* one request per connection */
	if (!strcmp(line, "status"))
		control_status(cc, false);
	else if (!strcmp(line, "status --json"))
		control_status(cc, true);
	else if (control_reload(cc, line))
		;
	else if (!strcmp(line, "confirm"))
		control_confirm(cc);
	else if (control_weights(cc, line))
		;
	else if (control_weight(cc, line, in))
		;
	else if (control_director(cc, line))
		;
	else if (control_drain(cc, line))
		;
	else if (!strcmp(line, "handover"))
		control_handover(cc, NULL);
	else if (!strncmp(line, "handover ", 9))
		control_handover(cc, line + 9);
	else if (!strcmp(line, "drill report"))
		control_drill(cc);
	else {
		snprintf(head, sizeof(head),
			 "error: unknown command '%.*s' (status, status --json, reload, reload "
			 "--dry-run, reload --confirm, confirm, weights, weight, drain, undrain, "
			 "handover, drill report)",
			 CONTROL_LINE_MAX, line);
		control_reply(cc, head, NULL);
	}
	free(line);
}

static void
control_conn_expired(evutil_socket_t fd, short what, void *arg)
{
	struct control_conn *cc = arg;

	log_debug("control: closing a client that did not finish within %d s",
		  CONTROL_DEADLINE_S);
	control_conn_free(cc);
}

/* Over the cap: a best-effort line on the new (non-blocking) socket, then close. */
static void
control_refuse(evutil_socket_t fd)
{
	static const char msg[] = "error: too many clients, try again later\n";

	if (send(fd, msg, sizeof(msg) - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		log_debug("control: cannot tell a client it is one too many: %s",
			  strerror(errno));
	close(fd);
}

static void
control_accept(struct evconnlistener *lis, evutil_socket_t fd, struct sockaddr *sa, int len,
	       void *arg)
{
	struct control *ctl = arg;
	struct timeval tv = {CONTROL_DEADLINE_S, 0};
	struct control_conn *cc;
	struct ucred cred;
	socklen_t cl = sizeof(cred);

	if (ctl->n_conns >= CONTROL_CONNS_MAX) {
		control_refuse(fd);
		return;
	}
	cc = calloc(1, sizeof(*cc));
	if (!cc || !(cc->bev = bufferevent_socket_new(ctl->d->base, fd, BEV_OPT_CLOSE_ON_FREE))) {
		free(cc);
		close(fd);
		return;
	}
	cc->ctl = ctl;
	cc->next = ctl->conns;
	ctl->conns = cc;
	ctl->n_conns++;
	cc->deadline = evtimer_new(ctl->d->base, control_conn_expired, cc);
	if (!cc->deadline || evtimer_add(cc->deadline, &tv) < 0) {
		control_conn_free(cc);
		return;
	}
	bufferevent_setcb(cc->bev, control_conn_read, NULL, control_conn_event, cc);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0 ||
	    (cred.uid != 0 && cred.uid != geteuid())) {
		log_warn("control: refused a client with uid %d", (int)cred.uid);
		control_reply(cc, "error: permission denied: only root may control lvsd", NULL);
		return;
	}
	bufferevent_enable(cc->bev, EV_READ);
}

static void
control_resume(evutil_socket_t fd, short what, void *arg)
{
	struct control *ctl = arg;

	evconnlistener_enable(ctl->lis);
}

/* accept() failed, typically out of descriptors (EMFILE, ENFILE): the
 * pending connection stays queued and accept would fail again at once, so
 * stop listening for a moment instead of spinning.  Logged at most once
 * a minute. */
static void
control_accept_error(struct evconnlistener *lis, void *arg)
{
	struct control *ctl = arg;
	struct timeval tv = {CONTROL_PAUSE_S, 0};
	int err = EVUTIL_SOCKET_ERROR();

	if (!ctl->paused_logged || lvsd_since(&ctl->paused_at) >= CONTROL_PAUSE_LOG_S) {
		log_err("control: cannot accept a connection: %s; pausing the control socket "
			"for %d s at a time",
			evutil_socket_error_to_string(err), CONTROL_PAUSE_S);
		clock_gettime(CLOCK_MONOTONIC, &ctl->paused_at);
		ctl->paused_logged = true;
	}
	evconnlistener_disable(lis);
	evtimer_add(ctl->resume, &tv);
}

/* Make the socket's directory when missing (root-only), clear a stale socket. */
static int
control_prepare(const char *path)
{
	char tmp[CONF_PATH_MAX];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, r;

	snprintf(tmp, sizeof(tmp), "%s", path);
	if (mkdir(dirname(tmp), 0750) < 0 && errno != EEXIST)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (r == 0)
		return -EADDRINUSE; /* another lvsd answers there */
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK; /* never remove what is not a stale socket */
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

static int
control_bind(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	mode_t old;
	int fd, r;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* bind creates the file with mode 0600; never chmod or chown through
	 * a name that could have become a symbolic link */
	old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || (geteuid() == 0 && lchown(path, 0, 0) < 0) || listen(fd, 16) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

int
control_open(struct lvsd *d, const char *path)
{
	struct control *ctl;
	int fd, r;

	if (strlen(path) >= sizeof(ctl->path))
		return -ENAMETOOLONG;
	r = control_prepare(path);
	if (r < 0)
		return r;
	fd = control_bind(path);
	if (fd < 0)
		return fd;
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl) {
		close(fd);
		return -ENOMEM;
	}
	ctl->d = d;
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	ctl->resume = evtimer_new(d->base, control_resume, ctl);
	ctl->lis = evconnlistener_new(d->base, control_accept, ctl,
				      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (!ctl->lis || !ctl->resume) {
		if (ctl->lis)
			evconnlistener_free(ctl->lis);
		else
			close(fd);
		if (ctl->resume)
			event_free(ctl->resume);
		unlink(path);
		free(ctl);
		return -ENOMEM;
	}
	evconnlistener_set_error_cb(ctl->lis, control_accept_error);
	d->ctl = ctl;
	log_info("control socket %s", path);
	return 0;
}

void
control_close(struct lvsd *d)
{
	struct control *ctl = d->ctl;

	if (!ctl)
		return;
	while (ctl->conns)
		control_conn_free(ctl->conns);
	evconnlistener_free(ctl->lis);
	event_free(ctl->resume);
	unlink(ctl->path);
	free(ctl);
	d->ctl = NULL;
}
