/* Notify scripts: on every transition the vrrp child reports, the
 * instance's notify script runs as "PATH INSTANCE NAME STATE PRIORITY"
 * (keepalived's convention; STATE is MASTER, BACKUP, FAULT or STOP), and
 * when a sync group's state changes (MASTER when all its members are,
 * FAULT when one is, BACKUP otherwise) the group's as
 * "PATH GROUP NAME STATE PRIORITY" (priority 0).  They run through the
 * script runner as global.script_user; the scripts of one instance (or
 * group) run one after another, in the order of the transitions. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/core/ipc.h"
#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/scripts/notify.h"
#include "lvsd/scripts/script.h"

#define NOTIFY_TIMEOUT_MS 10000
#define NOTIFY_SERIAL_GROUP (1ULL << 32)

struct notify_job {
	char what[CONF_NAME_MAX + 16]; /* "instance VI_1 MASTER" */
};

static const char *
notify_state(uint8_t st)
{
	switch (st) {
	case IPC_VRRP_MASTER:
		return "MASTER";
	case IPC_VRRP_BACKUP:
		return "BACKUP";
	case IPC_VRRP_FAULT:
		return "FAULT";
	default:
		return "STOP";
	}
}

static void
notify_done(void *arg, const struct script_result *res)
{
	struct notify_job *j = arg;
	char why[96];

	if (!script_ok(res))
		log_warn("notify script of %s: %s", j->what,
			 script_result_str(res, why, sizeof(why)));
	free(j);
}

/* The command (a path and its own arguments, split like a track script's)
 * followed by keepalived's four arguments. */
static void
notify_run(struct lvsd *d, const char *cmd, const char *kind, const char *name, uint8_t st,
	   unsigned prio, uint64_t serial)
{
	char p[8], buf[CONF_PATH_MAX * 2], *argv[SCRIPT_ARGV_MAX];
	struct notify_job *j;
	int n, r;

	if (!cmd[0] || !d->scripts)
		return;
	n = script_split(cmd, argv, SCRIPT_ARGV_MAX - 4, buf, sizeof(buf));
	if (n < 0) {
		log_err("notify script of %s: cannot split '%s'", name, cmd);
		return;
	}
	snprintf(p, sizeof(p), "%u", prio);
	argv[n] = (char *)kind;
	argv[n + 1] = (char *)name;
	argv[n + 2] = (char *)notify_state(st);
	argv[n + 3] = p;
	argv[n + 4] = NULL;
	j = calloc(1, sizeof(*j));
	if (!j) {
		log_err("notify script of %s: out of memory", name);
		return;
	}
	snprintf(j->what, sizeof(j->what), "%s %s %s", kind[0] == 'I' ? "instance" : "group", name,
		 notify_state(st));
	r = script_run(d->scripts, argv, NOTIFY_TIMEOUT_MS, serial, notify_done, j, NULL);
	if (r < 0) {
		log_err("notify script of %s: cannot run %s: %s", j->what, cmd, strerror(-r));
		free(j);
	}
}

/* A group's state from its members': MASTER when all are, FAULT when one
 * is, BACKUP otherwise (STOP when all are stopped). */
static uint8_t
notify_group_state(const struct lvsd *d, const struct conf_sync_group *g)
{
	unsigned master = 0, init = 0;

	for (size_t i = 0; i < g->n_members; i++) {
		const struct lvsd_vrrp *v = &d->vrrp[g->members[i]];

		if (v->known && v->state == IPC_VRRP_FAULT)
			return IPC_VRRP_FAULT;
		master += v->known && v->state == IPC_VRRP_MASTER;
		init += !v->known || v->state == IPC_VRRP_INIT;
	}
	return master == g->n_members ? IPC_VRRP_MASTER
	       : init == g->n_members ? IPC_VRRP_INIT
				      : IPC_VRRP_BACKUP;
}

void
notify_transition(struct lvsd *d, const struct ipc_vrrp_state *v)
{
	const struct conf *c = d->conf;
	const struct conf_vrrp *cv = &c->vrrp[v->instance_id];
	int gi = cv->sync_group;
	uint8_t gs;

	notify_run(d, cv->notify, "INSTANCE", cv->name, v->state, v->priority, v->instance_id + 1);
	if (gi < 0 || (size_t)gi >= d->n_group_state)
		return;
	gs = notify_group_state(d, &c->sync_groups[gi]);
	if (gs == d->group_state[gi] || (gs == IPC_VRRP_INIT && d->group_state[gi] == 0xff))
		return;
	d->group_state[gi] = gs;
	log_notice("sync group %s: %s", c->sync_groups[gi].name, notify_state(gs));
	notify_run(d, c->sync_groups[gi].notify, "GROUP", c->sync_groups[gi].name, gs, 0,
		   NOTIFY_SERIAL_GROUP + (uint64_t)gi);
}

int
notify_reset(struct lvsd *d)
{
	size_t n = d->conf->n_sync_groups;
	uint8_t *s = malloc(n ? n : 1);

	if (!s)
		return -ENOMEM;
	memset(s, 0xff, n ? n : 1);
	free(d->group_state);
	d->group_state = s;
	d->n_group_state = n;
	return 0;
}

void
notify_free(struct lvsd *d)
{
	free(d->group_state);
	d->group_state = NULL;
	d->n_group_state = 0;
}
