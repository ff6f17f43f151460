/* Warnings about a valid configuration.
 *
 * lvsd accepts the whole of lvsd.yaml(5) but acts on part of it only: the
 * table lint_inert[] below lists what it does not act on yet, one row per
 * key or section, and each row names every place the file writes it.  When
 * a feature lands, its row goes.  After the table come the checks against
 * the system: key files that cannot be read, interfaces that do not exist.
 * None of this makes a file invalid: lvsd -t still exits 0.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lvsd/core/log.h"
#include "lvsd/lint.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct lint {
	const struct conf *c;
	lint_emit_fn emit;
	void *arg;
	unsigned n;
};

static void lint_at(struct lint *l, const struct conf_pos *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One warning at p; nothing when p is a default's (line 0). */
static void
lint_at(struct lint *l, const struct conf_pos *p, const char *fmt, ...)
{
	char msg[CONF_ERR_MAX], line[CONF_PATH_MAX + CONF_ERR_MAX + 48];
	va_list ap;

	if (!p->line)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s:%u:%u: warning: %s", l->c->file, p->line, p->col, msg);
	l->emit(l->arg, line);
	l->n++;
}

/* The keys accepted but not acted on yet.  Each finder calls lint_at() for
 * every place its key is written, with why (the row's reason) at the end. */

struct lint_inert {
	void (*find)(struct lint *l, const char *why);
	const char *why;
};


/* A key no real server names. */
static void
inert_keys(struct lint *l, const char *why)
{
	for (size_t k = 0; k < l->c->n_keys; k++) {
		bool used = false;

		for (size_t i = 0; i < l->c->n_services; i++)
			for (size_t j = 0; j < l->c->services[i].n_rs; j++)
				used |= l->c->services[i].rs[j].key == (int)k ||
					l->c->services[i].rs[j].key2 == (int)k;
		if (!used)
			lint_at(l, &l->c->keys[k].pos, "key %s %s", l->c->keys[k].name, why);
	}
}

static bool
lint_any_agent_key(const struct conf_service *s)
{
	for (size_t j = 0; j < s->n_rs; j++)
		if (s->rs[j].key >= 0)
			return true;
	return false;
}

/* Reports on, and nothing to accept them for. */
static void
inert_reports(struct lint *l, const char *why)
{
	for (size_t i = 0; i < l->c->n_services; i++)
		if (lint_any_agent_key(&l->c->services[i]))
			return;
	if (l->c->reports.enabled)
		lint_at(l, &l->c->reports.pos, "reports %s", why);
}

/* A feedback policy written out where no report can reach it. */
static void
inert_policy(struct lint *l, const char *why)
{
	for (size_t i = 0; i < l->c->n_services; i++) {
		const struct conf_service *s = &l->c->services[i];

		if (s->policy.type == CONF_POLICY_STATIC || !s->policy.pos.line)
			continue;
		if (!l->c->reports.enabled)
			lint_at(l, &s->policy.pos,
				"weight_policy %s of service %s %s: reports are off",
				conf_policy_name(s->policy.type), s->name, why);
		else if (!lint_any_agent_key(s))
			lint_at(l, &s->policy.pos,
				"weight_policy %s of service %s %s: none of its real servers has "
				"an agent_key",
				conf_policy_name(s->policy.type), s->name, why);
	}
}

/* An agent_key with reports off. */
static void
inert_agent_key(struct lint *l, const char *why)
{
	char a[CONF_ADDRSTRLEN];

	if (l->c->reports.enabled)
		return;
	for (size_t i = 0; i < l->c->n_services; i++) {
		const struct conf_service *s = &l->c->services[i];

		for (size_t j = 0; j < s->n_rs; j++)
			lint_at(l, &s->rs[j].key_pos,
				"agent_key of real server %s in service %s %s",
				conf_addr_str(&s->rs[j].addr, a, sizeof(a)), s->name, why);
	}
}

static const struct lint_inert lint_inert[] = {
    {inert_keys, "is not the agent_key of any real server"},
    {inert_reports, "is on but no real server has an agent_key: every report would be "
		    "dropped"},
    {inert_policy, "has no reports to work on"},
    {inert_agent_key, "has no effect: reports are off (add a reports section)"},
};

/* The system: what the file names must exist here. */

static void
lint_key_files(struct lint *l)
{
	for (size_t i = 0; i < l->c->n_keys; i++) {
		const struct conf_key *k = &l->c->keys[i];
		struct stat st;
		int fd = open(k->file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

		if (fd < 0) {
			lint_at(l, &k->file_pos, "key %s: cannot read %s: %s", k->name, k->file,
				strerror(errno));
			continue;
		}
		if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
			lint_at(l, &k->file_pos, "key %s: %s is not a regular file", k->name,
				k->file);
		close(fd);
	}
}

/* The CA files of https checks must be readable here (the parent reads
 * them and sends their bytes to the checkers child). */
static void
lint_ca_file(struct lint *l, const struct conf_check *k)
{
	int fd;

	if (k->type != CONF_CHECK_HTTPS || !k->ca_file[0])
		return;
	if ((fd = open(k->ca_file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
		lint_at(l, &k->pos, "check: cannot read ca_file %s: %s", k->ca_file,
			strerror(errno));
		return;
	}
	close(fd);
}

static void
lint_ca_files(struct lint *l)
{
	for (size_t i = 0; i < l->c->n_services; i++) {
		const struct conf_service *s = &l->c->services[i];

		lint_ca_file(l, &s->check);
		for (size_t j = 0; j < s->n_rs; j++)
			if (s->rs[j].has_check)
				lint_ca_file(l, &s->rs[j].check);
	}
}

static void
lint_interfaces(struct lint *l)
{
	for (size_t i = 0; i < l->c->n_vrrp; i++) {
		const struct conf_vrrp *v = &l->c->vrrp[i];

		if (!if_nametoindex(v->interface))
			lint_at(l, &v->interface_pos,
				"vrrp instance %s: interface %s does not exist on this system",
				v->name, v->interface);
		for (size_t j = 0; j < v->n_track_interfaces; j++)
			if (!if_nametoindex(v->track_interfaces[j]))
				lint_at(l, &v->track_pos,
					"vrrp instance %s: tracked interface %s does not exist on "
					"this system",
					v->name, v->track_interfaces[j]);
	}
}

/* Active-active behind ECMP: a flow may move to another director (a
 * nexthop added or removed changes the router's hash).  It survives only
 * when that director picks the same real server (a hashing scheduler, the
 * same on every director: mh or sh) and takes up a connection it did not
 * see begin (sloppy_tcp / sloppy_sctp). */
static bool
lint_consistent_sched(const char *sched)
{
	return !strcmp(sched, "mh") || !strcmp(sched, "sh");
}

/* The sysctl as this kernel has it now: 0/1, or -1 when unreadable. */
static int
lint_sysctl(const char *name)
{
	char path[64], buf[8] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/vs/%s", name);
	if (!(f = fopen(path, "re")))
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] == '1' ? 1 : buf[0] == '0' ? 0 : -1;
}

static void
lint_sloppy(struct lint *l, const struct conf_service *s, const char *key, int8_t conf)
{
	const struct conf_global *g = &l->c->global;

	if (conf == 1 || (conf < 0 && lint_sysctl(key) == 1))
		return;
	lint_at(l, &s->announce.pos,
		"service %s is announced by several directors, and %s is %s: a connection "
		"that moves to this director (another director's route added or withdrawn) "
		"is reset%s; set global.%s: true",
		s->name, key, conf == 0 ? "false" : "not set (the kernel's default is 0)",
		g->sync_interface[0] ? " (the sync daemon does not help: the kernel syncs a "
				       "connection once established, and a returning director "
				       "missed the flows synced while it was away)"
				     : "",
		key);
}

static void
lint_announce(struct lint *l)
{
	const struct conf *c = l->c;
	bool tcp = false, sctp = false;

	for (size_t i = 0; i < c->n_services; i++) {
		const struct conf_service *s = &c->services[i];

		if (!s->has_announce)
			continue;
		if (!lint_consistent_sched(s->scheduler))
			lint_at(l, &s->announce.pos,
				"service %s is announced by several directors with scheduler "
				"%s, which does not pick the same real server for a flow on "
				"each director: a flow that moves between directors lands on "
				"another real server and is reset; use mh (or sh)",
				s->name, s->scheduler);
		if (s->proto == CONF_PROTO_TCP && !tcp) {
			tcp = true;
			lint_sloppy(l, s, "sloppy_tcp", c->global.sloppy_tcp);
		}
		if (s->proto == CONF_PROTO_SCTP && !sctp) {
			sctp = true;
			lint_sloppy(l, s, "sloppy_sctp", c->global.sloppy_sctp);
		}
	}
}

unsigned
lint_config(const struct conf *c, lint_emit_fn emit, void *arg)
{
	struct lint l = {c, emit, arg, 0};

	for (size_t i = 0; i < N(lint_inert); i++)
		lint_inert[i].find(&l, lint_inert[i].why);
	lint_key_files(&l);
	lint_ca_files(&l);
	lint_interfaces(&l);
	lint_announce(&l);
	return l.n;
}

void
lint_print(void *arg, const char *line)
{
	fprintf(arg, "%s\n", line);
}

void
lint_log(void *arg, const char *line)
{
	log_warn("%s", line);
}
