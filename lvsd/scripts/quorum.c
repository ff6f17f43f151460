/* Quorum hooks: when a service's quorum is regained or lost (effective.c
 * decides, with its hysteresis), the parent runs the service's quorum_up
 * or quorum_down command, and once for the first state known after start
 * (keepalived runs quorum_up at start when the quorum is there).  The
 * command is run as written (a path and its own arguments), like
 * keepalived's, through the script runner as global.script_user; the hooks
 * of one service run one after another, in the order of the changes. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/scripts/quorum.h"
#include "lvsd/scripts/script.h"

#define QUORUM_TIMEOUT_MS 10000
#define QUORUM_SERIAL (2ULL << 32) /* + the service's index; notify uses below */

struct quorum_job {
	char what[CONF_NAME_MAX + 32]; /* "quorum_down of service web" */
};

static void
quorum_done(void *arg, const struct script_result *res)
{
	struct quorum_job *j = arg;
	char why[96];

	if (script_ok(res))
		log_info("%s: done", j->what);
	else
		log_warn("%s: %s", j->what, script_result_str(res, why, sizeof(why)));
	free(j);
}

void
quorum_hook(struct lvsd *d, size_t svc, bool up, bool first)
{
	const struct conf_service *s = &d->conf->services[svc];
	const char *cmd = up ? s->quorum_up : s->quorum_down;
	struct quorum_job *j;
	int r;

	if (first)
		log_notice("service %s: quorum %s at start", s->name, up ? "held" : "lost");
	if (!cmd[0] || !d->scripts)
		return;
	if (!(j = calloc(1, sizeof(*j)))) {
		log_err("service %s: out of memory: %s not run", s->name,
			up ? "quorum_up" : "quorum_down");
		return;
	}
	snprintf(j->what, sizeof(j->what), "%s of service %s", up ? "quorum_up" : "quorum_down",
		 s->name);
	log_notice("%s: running %s", j->what, cmd);
	r = script_run_cmd(d->scripts, cmd, QUORUM_TIMEOUT_MS, QUORUM_SERIAL + svc, quorum_done, j,
			   NULL);
	if (r < 0) {
		log_err("%s: cannot run %s: %s", j->what, cmd, strerror(-r));
		free(j);
	}
}
