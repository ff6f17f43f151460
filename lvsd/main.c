/* lvsd: options, the first load, reloads, and the parent's event loop. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "lvsd/announce/announce.h"
#include "lvsd/confirm.h"
#include "lvsd/control.h"
#include "lvsd/core/child.h"
#include "lvsd/core/log.h"
#include "lvsd/core/privdrop.h"
#include "lvsd/drill/drill.h"
#include "lvsd/feedback/feedback.h"
#include "lvsd/lint.h"
#include "lvsd/lvsd.h"
#include "lvsd/preview/preview.h"
#include "lvsd/proc.h"
#include "lvsd/push.h"
#include "lvsd/results.h"
#include "lvsd/scripts/chkscript.h"
#include "lvsd/scripts/notify.h"
#include "lvsd/scripts/script.h"
#include "lvsd/scripts/track.h"
#include "lvsd/sdnotify.h"
#include "lvsd/snapshot.h"
#include "lvsd/sockets.h"
#include "lvsd/state/state.h"
#include "lvsd/writer/effective.h"
#include "lvsd/writer/writer.h"

#define LVSD_DEFAULT_CONF SYSCONFDIR "/lvsd/lvsd.yaml"

enum lvsd_mode { LVSD_RUN, LVSD_TEST, LVSD_DUMP };

struct lvsd_opts {
	const char *file;
	bool foreground;
	bool debug;
	enum lvsd_mode mode;
};

static void
lvsd_usage(FILE *f)
{
	fprintf(f,
		"usage: lvsd [-n] [-d] [-f FILE]\n"
		"       lvsd -t [-f FILE]\n"
		"       lvsd --dump-config [-f FILE]\n"
		"  -f, --config FILE  configuration (default %s)\n"
		"  -n, --foreground   stay in the foreground and log to stderr\n"
		"  -d, --debug        log debug messages too\n"
		"  -t, --test         check the configuration, exit 0 if valid, 1 if not\n"
		"      --dump-config  print the effective configuration as YAML\n"
		"  -v, --version      print the version\n",
		LVSD_DEFAULT_CONF);
}

/* 0 to go on, or 1 + exit code to stop with (after --version, --help, errors). */
static int
lvsd_parse_opts(int argc, char **argv, struct lvsd_opts *o)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'f'}, {"foreground", no_argument, NULL, 'n'},
	    {"debug", no_argument, NULL, 'd'},	      {"test", no_argument, NULL, 't'},
	    {"dump-config", no_argument, NULL, 'D'},  {"version", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	int c;

	o->file = LVSD_DEFAULT_CONF;
	while ((c = getopt_long(argc, argv, "f:ndtvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->file = optarg;
			break;
		case 'n':
			o->foreground = true;
			break;
		case 'd':
			o->debug = true;
			break;
		case 't':
			o->mode = LVSD_TEST;
			break;
		case 'D':
			o->mode = LVSD_DUMP;
			break;
		case 'v':
			printf("lvsd %s\n", PACKAGE_VERSION);
			return 1 + 0;
		case 'h':
			lvsd_usage(stdout);
			return 1 + 0;
		default:
			lvsd_usage(stderr);
			return 1 + 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "lvsd: unexpected argument '%s'\n", argv[optind]);
		lvsd_usage(stderr);
		return 1 + 2;
	}
	return 0;
}

/* What the loader cannot know: the system and the IPC limits.  0, or
 * -errno with "file:line:col: why" in err. */
static int
lvsd_validate(const struct conf *c, char *err, size_t len)
{
	const struct passwd *pw = getpwnam(c->global.user);

	if (!pw) {
		snprintf(err, len,
			 "%s:%u:%u: user '%s' does not exist on this system; set "
			 "global.user to an unprivileged user that does",
			 c->file, c->global.pos.line, c->global.pos.col, c->global.user);
		return -ENOENT;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, len,
			 "%s:%u:%u: global.user must be an unprivileged user, not root "
			 "(user '%s' has uid 0)",
			 c->file, c->global.pos.line, c->global.pos.col, c->global.user);
		return -EPERM;
	}
	/* nobody is shared by every daemon that wants no identity: a child of
	 * lvsd running as nobody could signal or trace them, and they it */
	if (!strcmp(pw->pw_name, "nobody") || pw->pw_uid == 65534) {
		snprintf(err, len,
			 "%s:%u:%u: global.user must be a user of lvsd's own, not '%s' "
			 "(create one: useradd --system lvsd, or systemd-sysusers)",
			 c->file, c->global.pos.line, c->global.pos.col, c->global.user);
		return -EPERM;
	}
	if (!getpwnam(c->global.script_user)) {
		const struct conf_pos *p =
		    c->global.script_user_pos.line ? &c->global.script_user_pos : &c->global.pos;

		snprintf(err, len,
			 "%s:%u:%u: script_user '%s' does not exist on this system; set "
			 "global.script_user to a user that does (default root)",
			 c->file, p->line, p->col, c->global.script_user);
		return -ENOENT;
	}
	return push_fits(c, err, len);
}

/* -t and --dump-config: load, report, exit. */
static int
lvsd_check(const struct lvsd_opts *o)
{
	struct conf_error err;
	struct conf *c = NULL;
	char msg[CONF_PATH_MAX + CONF_ERR_MAX + 32];
	int r;

	memset(&err, 0, sizeof(err));
	if (conf_load(o->file, &c, &err) < 0 || lvsd_validate(c, msg, sizeof(msg)) < 0) {
		if (!c)
			conf_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		conf_free(c);
		return 1;
	}
	if (o->mode == LVSD_DUMP) {
		r = conf_dump(c, stdout);
		if (r < 0 || fflush(stdout) != 0) {
			fprintf(stderr, "lvsd: cannot write the configuration: %s\n",
				strerror(r < 0 ? -r : errno));
			conf_free(c);
			return 1;
		}
	} else {
		lint_config(c, lint_print, stderr);
		printf("%s: configuration is valid\n", o->file);
	}
	conf_free(c);
	return 0;
}

/*
 * The hook every successful load and reload goes through, after the new
 * configuration is in d->conf and before it is pushed to the children.
 * This is where the parent makes the kernel match the configuration
 * (e.g. ipvs_reconcile(d->conf)).
 */
/* Readiness (for the vrrp child) and the announced routes, judged again:
 * after an apply, and through the judge hook when health changed. */
static void
lvsd_judge(struct lvsd *d)
{
	proc_ready(d);
	announce_update(d);
	struct writer_stats st;

	writer_stats(d->ipvs, &st);
	/* the first table programmed, or a reload's; or no IPVS to program:
	 * lvsd runs, and its status says so */
	if (d->applied || !st.available)
		sdnotify_ready(d);
	sdnotify_status(d);
	confirm_judge(d);
}

/* The kernel answered every operation of the generation's reconcile. */
static void
lvsd_applied(void *arg)
{
	struct lvsd *d = arg;

	d->applied = true;
	lvsd_judge(d);
}

static void
lvsd_apply(struct lvsd *d)
{
	log_debug("applying generation %llu", (unsigned long long)d->generation);
	d->applied = false;
	writer_wait_cancel(d->ipvs, d);
	if (writer_apply(d->ipvs, d->conf, eff_table_weight, d) == 0 &&
	    writer_wait(d->ipvs, writer_ticket(d->ipvs), lvsd_applied, d) == 1)
		d->applied = true;
	lvsd_judge(d);
}

/* c becomes the running generation; returns the one it replaces (the
 * caller frees it, or keeps it to roll back to). */
static struct conf *
lvsd_installed(struct lvsd *d, struct conf *c)
{
	struct conf *old = d->conf;

	d->conf = c;
	/* weights and overrides of the servers that stay, by identity */
	if (eff_reload(d, old) < 0)
		log_err("reload: out of memory: weights start again from the file");
	if (state_reload(d, old) < 0)
		log_err("reload: out of memory: a restarted weight child would start afresh");
	if (lvsd_results_reset(d, old->n_vrrp) < 0)
		log_err("out of memory: VRRP states of the new generation are not kept");
	if (fb_reset(d) < 0)
		log_err("out of memory: lvsctl weights shows no feedback");
	d->generation++;
	if (notify_reset(d) < 0 || track_reload(d) < 0 || chkscript_reset(d) < 0)
		log_err("out of memory: tracked scripts and files or script checks are not "
			"running");
	if (d->scripts && script_runner_user(d->scripts, c->global.script_user) < 0)
		log_err("script_user %s: cannot look it up; scripts keep the previous user",
			c->global.script_user);
	d->loaded_at = time(NULL);
	log_info("configuration generation %llu loaded from %s: %zu vrrp instances, "
		 "%zu services",
		 (unsigned long long)d->generation, d->conf_path, c->n_vrrp, c->n_services);
	lvsd_apply(d);
	announce_reset(d);
	return old;
}

/* A warning about a previewed file, under the changes. */
static void
lvsd_preview_warn(void *arg, const char *line)
{
	evbuffer_add_printf(arg, "%s\n", line);
}

/* Load and check a configuration file: 0 and *out, or -errno with the
 * reason ("file:line:col: msg") in err. */
static int
lvsd_load(const char *path, struct conf **out, char *err, size_t len)
{
	struct conf_error e;
	struct conf *c = NULL;
	int r;

	memset(&e, 0, sizeof(e));
	r = conf_load(path, &c, &e);
	if (r == 0 && (r = lvsd_validate(c, err, len)) < 0)
		conf_free(c);
	else if (r < 0)
		conf_error_format(&e, err, len);
	if (r == 0)
		*out = c;
	return r;
}

/* Load the configuration file again; on success swap it in, bump the
 * generation, apply it and push it to the children.  0 or -errno, with
 * the reason ("file:line:col: msg") in err.  SIGHUP, and lvsctl reload
 * through the reload hook; with confirm_s, the generation before is kept
 * to roll back to (confirm.h). */
static int
lvsd_reload(struct lvsd *d, uint32_t confirm_s, char *err, size_t len)
{
	struct conf *c = NULL, *old;
	uint32_t left;
	int r;

	if (confirm_pending(d, &left)) {
		snprintf(err, len,
			 "generation %llu is on trial for %u s more: lvsctl confirm it, or let "
			 "it roll back, before another reload",
			 (unsigned long long)d->generation, (left + 999) / 1000);
		log_err("reload refused: %s", err);
		return -EBUSY;
	}
	sdnotify_reloading(d);
	r = lvsd_load(d->conf_path, &c, err, len);
	if (r == 0 && confirm_s && (r = confirm_begin(d, confirm_s)) < 0) {
		snprintf(err, len, "cannot keep the running generation: %s", strerror(-r));
		conf_free(c);
	}
	if (r < 0) {
		d->reloads_failed++;
		snprintf(d->last_reload_error, sizeof(d->last_reload_error), "%s", err);
		log_err("reload failed, keeping generation %llu: %s",
			(unsigned long long)d->generation, err);
		sdnotify_ready(d); /* the running generation stays */
		return r;
	}
	lint_config(c, lint_log, NULL);
	if (strcmp(c->global.control_socket, d->conf->global.control_socket))
		log_warn("control_socket changed to %s: takes effect at the next start",
			 c->global.control_socket);
	old = lvsd_installed(d, c);
	if (confirm_s)
		confirm_keep(d, old, d->generation - 1);
	else
		conf_free(old);
	d->reloads_ok++;
	proc_push_all(d);
	snprintf(err, len, "ok");
	return 0;
}

/* The rollback hook: the configuration before a reload on trial goes in
 * again as the next generation, as a reload would. */
static void
lvsd_rollback(struct lvsd *d, const char *why)
{
	uint64_t prev_gen = 0, trial = d->generation;
	struct conf *prev = confirm_take(d, &prev_gen);

	if (!prev)
		return;
	log_warn("rolling back generation %llu: %s; generation %llu's configuration goes in "
		 "again as generation %llu (the file on disk still holds the rejected one)",
		 (unsigned long long)trial, why, (unsigned long long)prev_gen,
		 (unsigned long long)trial + 1);
	sdnotify_reloading(d);
	conf_free(lvsd_installed(d, prev));
	proc_push_all(d);
}

/* reload --dry-run: what file would change, nothing applied. */
static int
lvsd_preview(struct lvsd *d, const char *file, struct evbuffer *out, char *err, size_t len)
{
	const char *path = file ? file : d->conf_path;
	struct conf *c = NULL;
	int r = lvsd_load(path, &c, err, len);

	if (r < 0)
		return r;
	evbuffer_add_printf(out, "%s against generation %llu (nothing applied):\n", path,
			    (unsigned long long)d->generation);
	r = preview_diff(d->conf, c, out);
	if (r >= 0)
		lint_config(c, lvsd_preview_warn, out);
	conf_free(c);
	if (r < 0)
		snprintf(err, len, "%s", strerror(-r));
	return r < 0 ? r : 0;
}

/* A result of a check the parent runs itself (type script): as one of the
 * checkers child's, and a first result may make the director ready. */
static void
lvsd_script_health(struct lvsd *d, const struct ipc_health_rs *h)
{
	lvsd_health(d, h);
	lvsd_ready_soon(d);
}

/* A child answered a status request: replies and snapshots may be due. */
static void
lvsd_status_progress(struct lvsd *d)
{
	control_status_progress(d);
	snapshot_progress(d);
}

/* The vrrp child reported a transition: a handover may be complete, and
 * the service manager's status line says how many masters. */
static void
lvsd_vrrp_progress(struct lvsd *d)
{
	control_vrrp_progress(d);
	sdnotify_status(d);
	confirm_judge(d);
}

/* The rooms below call up only through these. */
static void
lvsd_hooks(struct lvsd *d)
{
	d->hooks.reload = lvsd_reload;
	d->hooks.preview = lvsd_preview;
	d->hooks.rollback = lvsd_rollback;
	d->hooks.status_progress = lvsd_status_progress;
	d->hooks.vrrp_progress = lvsd_vrrp_progress;
	d->hooks.judge = lvsd_judge;
	d->hooks.health = lvsd_script_health;
	d->hooks.snapshot = snapshot_request;
}

/* SIGTERM, SIGINT: the routes are withdrawn first (the router moves flows
 * while we stop), the control socket closes, the children stop; the loop
 * ends once they are gone. */
static void
lvsd_stop(struct lvsd *d)
{
	if (d->stopping)
		return;
	d->stopping = true;
	sdnotify_stopping(d);
	announce_update(d);
	control_close(d);
	proc_stop(d);
}

static void
lvsd_on_sighup(evutil_socket_t sig, short what, void *arg)
{
	struct lvsd *d = arg;
	char err[sizeof(d->last_reload_error)];

	log_info("SIGHUP received: reloading %s", d->conf_path);
	lvsd_reload(d, 0, err, sizeof(err));
}

static void
lvsd_on_sigterm(evutil_socket_t sig, short what, void *arg)
{
	struct lvsd *d = arg;

	log_info("%s received: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	lvsd_stop(d);
}

/* SIGHUP reloads, SIGTERM and SIGINT stop (SIGCHLD is proc.c's). */
static int
lvsd_signals(struct lvsd *d)
{
	d->ev_hup = evsignal_new(d->base, SIGHUP, lvsd_on_sighup, d);
	d->ev_term = evsignal_new(d->base, SIGTERM, lvsd_on_sigterm, d);
	d->ev_int = evsignal_new(d->base, SIGINT, lvsd_on_sigterm, d);
	if (!d->ev_hup || !d->ev_term || !d->ev_int)
		return -ENOMEM;
	if (evsignal_add(d->ev_hup, NULL) < 0 || evsignal_add(d->ev_term, NULL) < 0 ||
	    evsignal_add(d->ev_int, NULL) < 0)
		return -EINVAL;
	return 0;
}

static void
lvsd_signals_free(struct lvsd *d)
{
	struct event *evs[] = {d->ev_hup, d->ev_term, d->ev_int};

	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		if (evs[i])
			event_free(evs[i]);
	d->ev_hup = d->ev_term = d->ev_int = NULL;
}

/* libevent's own warnings go where lvsd's go. */
static void
lvsd_event_log(int severity, const char *msg)
{
	log_msg(severity >= EVENT_LOG_ERR    ? LOG_ERR
		: severity == EVENT_LOG_WARN ? LOG_WARNING
					     : LOG_DEBUG,
		"libevent: %s", msg);
}

static int
lvsd_run(struct lvsd *d)
{
	int r;

	event_set_log_callback(lvsd_event_log);

	d->base = event_base_new();
	if (!d->base) {
		log_err("cannot create the event loop");
		return 1;
	}
	if (sdnotify_init(d) == -ENOMEM || writer_start(d->ipvs, d->base) < 0 ||
	    lvsd_signals(d) < 0) {
		log_err("out of memory");
		return 1;
	}
	r = control_open(d, d->conf->global.control_socket);
	if (r < 0) {
		log_err("control socket %s: %s", d->conf->global.control_socket,
			r == -EADDRINUSE  ? "another lvsd is running there"
			: r == -ENOTSOCK ? "the path exists and is not a socket; not removing it"
					 : strerror(-r));
		return 1;
	}
	if (script_runner_new(d->base, SCRIPT_MAX_RUNNING, &d->scripts) < 0 ||
	    script_runner_user(d->scripts, d->conf->global.script_user) < 0 || track_init(d) < 0) {
		log_err("cannot start the script runner: script_user %s",
			d->conf->global.script_user);
		return 1;
	}
	if (chkscript_reset(d) < 0) {
		log_err("cannot start the script checks: out of memory");
		return 1;
	}
	eff_settle(d); /* quorums known without a check result, now that hooks can run */
	lvsd_apply(d);
	announce_reset(d); /* after the apply: a route lvsd left waits for it */
	state_start(d);
	r = proc_init(d);
	if (r < 0) {
		log_err("cannot start the children: %s", strerror(-r));
		lvsd_stop(d);
	}
	log_info("lvsd %s running, pid %d", PACKAGE_VERSION, (int)getpid());
	event_base_dispatch(d->base);
	state_save(d); /* what the next start restores */
	log_info("stopped");
	return r < 0 ? 1 : 0;
}

/* The IPVS ownership record and the state file sit beside the control
 * socket: /run/lvsd/lvsd.sock -> /run/lvsd/lvsd.owned, lvsd.state. */
static const char *
lvsd_runtime_path(const struct lvsd *d, const char *ext, char *buf, size_t len)
{
	const char *sock = d->conf->global.control_socket;
	size_t n = strlen(sock);

	if (n > 5 && !strcmp(sock + n - 5, ".sock"))
		n -= 5;
	if (snprintf(buf, len, "%.*s%s", (int)n, sock, ext) >= (int)len)
		return NULL;
	return buf;
}

/* The first load, from o->file made absolute (a daemon works in /, and
 * reloads read the file again): 0, or 1 with the reason logged (and on
 * stderr too for a daemon: syslog alone would hide it from whoever started
 * us). */
static int
lvsd_first_load(struct lvsd *d, const struct lvsd_opts *o)
{
	char abs[PATH_MAX], msg[CONF_PATH_MAX + CONF_ERR_MAX + 32];
	struct conf_error e;

	memset(&e, 0, sizeof(e));
	if (!realpath(o->file, abs))
		snprintf(abs, sizeof(abs), "%s", o->file); /* the load says why */
	if (strlen(abs) >= sizeof(d->conf_path)) {
		snprintf(msg, sizeof(msg), "configuration path too long: %.200s...", abs);
	} else {
		memcpy(d->conf_path, abs, strlen(abs) + 1);
		if (conf_load(d->conf_path, &d->conf, &e) == 0 &&
		    lvsd_validate(d->conf, msg, sizeof(msg)) == 0)
			return 0;
		if (!d->conf)
			conf_error_format(&e, msg, sizeof(msg));
		conf_free(d->conf);
		d->conf = NULL;
	}
	log_err("%s", msg);
	if (!o->foreground)
		fprintf(stderr, "lvsd: %s\n", msg);
	return 1;
}

/* Everything the loop needs beside the configuration; 0 or 1 (logged). */
static int
lvsd_prepare(struct lvsd *d)
{
	char owned[CONF_PATH_MAX + 8], kept[CONF_PATH_MAX + 8];

	/* the binary each child runs: this one, even if the file is replaced */
	d->self_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (d->self_fd < 0) {
		log_err("cannot start: /proc/self/exe: %s", strerror(errno));
		return 1;
	}
	if (!d->foreground && daemon(0, 0) < 0) {
		log_err("cannot become a daemon: %s", strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &d->started);
	d->ipvs = writer_new(lvsd_runtime_path(d, ".owned", owned, sizeof(owned)));
	if (!d->ipvs || eff_init(d) < 0 || lvsd_results_reset(d, 0) < 0 || drill_init(d) < 0 ||
	    notify_reset(d) < 0 || fb_reset(d) < 0 ||
	    state_init(d, lvsd_runtime_path(d, ".state", kept, sizeof(kept))) < 0) {
		log_err("cannot start: out of memory");
		return 1;
	}
	/* drains, overrides, health and learnt weights, before the first apply */
	state_load(d);
	return 0;
}

static int
lvsd_start(struct lvsd *d, const struct lvsd_opts *o)
{
	int rc;

	d->foreground = o->foreground;
	d->debug = o->debug;
	lvsd_hooks(d);
	if (lvsd_first_load(d, o))
		return 1;
	d->generation = 1;
	d->loaded_at = time(NULL);
	log_info("configuration generation 1 loaded from %s", d->conf_path);
	lint_config(d->conf, lint_log, NULL);
	rc = lvsd_prepare(d) ? 1 : lvsd_run(d);
	announce_free(d); /* every route withdrawn: lvsd no longer judges */
	control_close(d);
	proc_free(d);
	lvsd_signals_free(d);
	chkscript_free(d);
	track_free(d);
	script_runner_free(d->scripts);
	notify_free(d);
	writer_free(d->ipvs); /* the kernel keeps its table: never flushed on exit */
	state_free(d);
	eff_free(d);
	fb_free(d);
	sockets_close(d);
	sockets_metrics_close(d);
	snapshot_free(d);
	sdnotify_free(d);
	confirm_free(d);
	lvsd_results_free(d);
	drill_free(d);
	if (d->self_fd >= 0)
		close(d->self_fd);
	if (d->base)
		event_base_free(d->base);
	conf_free(d->conf);
	return rc;
}

/* The children: the parent executes this binary again as "lvsd: NAME". */
static const struct child_entry lvsd_children[] = {
    /* the kernel keeps the virtual addresses when lvsd dies: a restart
     * finds and reconciles them */
    {"vrrp", PRIVDROP_CAP(CAP_NET_ADMIN) | PRIVDROP_CAP(CAP_NET_RAW), SIGKILL, vrrp_main},
    {"checkers", 0, SIGTERM, chk_main},
    {"weight", 0, SIGTERM, wt_main},
    {"metrics", 0, SIGTERM, metrics_main},
};

int
main(int argc, char **argv)
{
	struct lvsd_opts o = {0};
	struct lvsd d;
	int r;

	if (argc >= 1 && !strncmp(argv[0], CHILD_ARGV0_PREFIX, strlen(CHILD_ARGV0_PREFIX))) {
		for (size_t i = 0; i < sizeof(lvsd_children) / sizeof(lvsd_children[0]); i++)
			if (!strcmp(argv[0] + strlen(CHILD_ARGV0_PREFIX), lvsd_children[i].name))
				return child_boot(&lvsd_children[i]);
		fprintf(stderr, "lvsd: no child role '%s'\n", argv[0]);
		return 2;
	}
	r = lvsd_parse_opts(argc, argv, &o);
	if (r)
		return r - 1;
	if (o.mode != LVSD_RUN)
		return lvsd_check(&o);
	log_init("lvsd", o.foreground, o.debug);
	memset(&d, 0, sizeof(d));
	d.self_fd = -1;
	d.reports_fd = -1;
	d.metrics_fd = -1;
	return lvsd_start(&d, &o);
}
