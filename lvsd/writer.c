#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/core/log.h"
#include "lvsd/ipvs/ipvs.h"
#include "lvsd/ipvs/ipvs_owned.h"
#include "lvsd/table.h"
#include "lvsd/writer.h"

struct writer {
	struct ipvs_nl *nl;
	struct ipvs_table prev; /* what the last apply asked for */
	bool have_prev;
	bool sync_owned; /* the previous generation asked for the sync daemons */
	bool said_unavailable;
	char *owned_path;  /* the ownership record, or NULL */
	bool said_unsaved; /* the record could not be written */
	struct writer_stats st;
};

struct writer *
writer_new(const char *owned_path)
{
	struct writer *w = calloc(1, sizeof(*w));

	if (w && owned_path && !(w->owned_path = strdup(owned_path))) {
		free(w);
		return NULL;
	}
	return w;
}

void
writer_free(struct writer *w)
{
	if (!w)
		return;
	if (w->nl)
		ipvs_nl_close(w->nl);
	if (w->have_prev)
		ipvs_table_free(&w->prev);
	free(w->owned_path);
	free(w);
}

/* After a restart, the services the last run owned are the previous
 * generation: the ones gone from the file meanwhile are deleted. */
static void
writer_load_owned(struct writer *w)
{
	unsigned line = 0;
	int r;

	if (w->have_prev || !w->owned_path)
		return;
	r = ipvs_owned_load(w->owned_path, &w->prev, &line);
	if (r == -EBADMSG)
		log_warn("ipvs: ignoring the ownership record %s: line %u is not a service key",
			 w->owned_path, line);
	else if (r < 0 && r != -ENOENT)
		log_warn("ipvs: cannot read the ownership record %s: %s", w->owned_path,
			 strerror(-r));
	else if (r == 0)
		log_info("ipvs: the last run owned %zu services (%s)", w->prev.n, w->owned_path);
	w->have_prev = r == 0;
}

static void
writer_save_owned(struct writer *w, const struct ipvs_table *t)
{
	int r;

	if (!w->owned_path)
		return;
	r = ipvs_owned_save(w->owned_path, t);
	if (r < 0 && !w->said_unsaved)
		log_warn("ipvs: cannot write the ownership record %s: %s; after a restart, "
			 "services removed meanwhile stay in the kernel",
			 w->owned_path, strerror(-r));
	w->said_unsaved = r < 0;
}

static int
writer_open(struct writer *w)
{
	struct ipvs_info info;
	int r;

	if (w->nl)
		return 0;
	r = ipvs_nl_open(&w->nl);
	if (r < 0) {
		w->nl = NULL;
		if (!w->said_unavailable)
			log_err("ipvs: %s; virtual services are not programmed "
				"(is the ip_vs module loaded?)",
				r == -ENOENT ? "this kernel has no IPVS" : strerror(-r));
		w->said_unavailable = true;
		return r;
	}
	if (w->said_unavailable)
		log_notice("ipvs: the kernel has IPVS now");
	w->said_unavailable = false;
	if (ipvs_nl_info(w->nl, &info) == 0) {
		w->st.version = info.version;
		w->st.conn_tab_size = info.conn_tab_size;
		log_info("ipvs: kernel IPVS %u.%u.%u, connection table size %u", info.version >> 16,
			 (info.version >> 8) & 0xff, info.version & 0xff, info.conn_tab_size);
	}
	return 0;
}

static bool
op_is_dest(const struct ipvs_op *op)
{
	return op->cmd == IPVS_CMD_NEW_DEST || op->cmd == IPVS_CMD_SET_DEST ||
	       op->cmd == IPVS_CMD_DEL_DEST;
}

/* Whether the kernel refused to create the service op's destination is in:
 * the refusal of its destinations then says nothing new. */
static bool
op_service_refused(const struct ipvs_ops *ops, const struct ipvs_op *op)
{
	size_t i;

	for (i = 0; i < ops->n; i++)
		if (ops->ops[i].err && ops->ops[i].cmd == IPVS_CMD_NEW_SERVICE &&
		    ipvs_service_same_key(&ops->ops[i].svc, &op->svc))
			return true;
	return false;
}

/* One line per refusal, naming the object. */
static void
writer_log_refusals(const struct ipvs_ops *ops)
{
	char s[128], d[64];
	size_t i;

	for (i = 0; i < ops->n; i++) {
		const struct ipvs_op *op = &ops->ops[i];

		if (!op->err || (op_is_dest(op) && op_service_refused(ops, op)))
			continue;
		ipvs_service_str(&op->svc, s, sizeof(s));
		if (op_is_dest(op))
			log_err("ipvs: %s %s in %s refused by the kernel: %s",
				ipvs_cmd_name(op->cmd), ipvs_dest_str(&op->dest, d, sizeof(d)), s,
				strerror(-op->err));
		else
			log_err("ipvs: %s %s (scheduler %s) refused by the kernel: %s",
				ipvs_cmd_name(op->cmd), s, op->svc.sched, strerror(-op->err));
	}
}

static void
writer_count(struct writer *w, const struct ipvs_table *t, const struct ipvs_ops *ops, int r)
{
	size_t i;

	w->st.services = t->n;
	w->st.dests = 0;
	for (i = 0; i < t->n; i++)
		w->st.dests += t->svcs[i].n_dests;
	w->st.refused = r > 0 ? (unsigned)r : 0;
	w->st.applied_ops = (unsigned)ops->n - w->st.refused;
	w->st.applies++;
}

/* Start the sync daemon (state IP_VS_STATE_MASTER or _BACKUP) the
 * configuration asks for on global.sync_interface. */
static int
writer_sync_start(struct ipvs_nl *nl, const struct conf *c, uint32_t state)
{
	struct ipvs_daemon d = {.state = state, .syncid = c->global.sync_id};

	if (strlen(c->global.sync_interface) >= sizeof(d.ifname))
		return -EINVAL;
	strcpy(d.ifname, c->global.sync_interface);
	return ipvs_nl_daemon_start(nl, &d);
}

static const char *
sync_state_name(uint32_t state)
{
	return state == IP_VS_STATE_MASTER ? "master" : "backup";
}

/* Make one sync daemon (master or backup) match the configuration: start
 * it, restart it when its interface or sync id differ, stop it when the
 * configuration no longer asks for it and an earlier generation did. */
static void
writer_sync_one(struct writer *w, const struct conf *c, const struct ipvs_daemon *have,
		uint32_t state)
{
	const char *ifname = c->global.sync_interface;
	int r;

	if (!ifname[0]) {
		if (have && w->sync_owned && (r = ipvs_nl_daemon_stop(w->nl, state)) < 0)
			log_err("ipvs: cannot stop the %s sync daemon: %s", sync_state_name(state),
				strerror(-r));
		else if (have && w->sync_owned)
			log_info("ipvs: %s sync daemon stopped", sync_state_name(state));
		return;
	}
	if (have && !strcmp(have->ifname, ifname) && have->syncid == c->global.sync_id)
		return;
	if (have && (r = ipvs_nl_daemon_stop(w->nl, state)) < 0) {
		log_err("ipvs: cannot restart the %s sync daemon: %s", sync_state_name(state),
			strerror(-r));
		return;
	}
	if ((r = writer_sync_start(w->nl, c, state)) < 0)
		log_err("ipvs: cannot start the %s sync daemon on %s (sync id %u): %s",
			sync_state_name(state), ifname, c->global.sync_id, strerror(-r));
	else
		log_info("ipvs: %s sync daemon running on %s, sync id %u", sync_state_name(state),
			 ifname, c->global.sync_id);
}

/* The connection-sync daemons run as master and backup at once on each
 * director: the one holding the VIPs sends its connections, the other
 * receives them, and neither needs to know which it is. */
static void
writer_sync(struct writer *w, const struct conf *c)
{
	struct ipvs_daemon have[2];
	const struct ipvs_daemon *m = NULL, *b = NULL;
	size_t n = 0, i;
	int r;

	if ((r = ipvs_nl_list_daemons(w->nl, have, &n)) < 0) {
		log_err("ipvs: cannot read the sync daemons: %s", strerror(-r));
		return;
	}
	for (i = 0; i < n; i++) {
		if (have[i].state == IP_VS_STATE_MASTER)
			m = &have[i];
		else if (have[i].state == IP_VS_STATE_BACKUP)
			b = &have[i];
	}
	writer_sync_one(w, c, m, IP_VS_STATE_MASTER);
	writer_sync_one(w, c, b, IP_VS_STATE_BACKUP);
	w->sync_owned = c->global.sync_interface[0] != '\0';
}

/* A service whose deletion the kernel refused is still lvsd's: keep it in
 * the table that becomes "previous", so the next apply tries again. */
static int
writer_keep_undeleted(struct ipvs_table *want, const struct ipvs_ops *ops)
{
	int r = 0;

	for (size_t i = 0; i < ops->n && r == 0; i++)
		if (ops->ops[i].cmd == IPVS_CMD_DEL_SERVICE && ops->ops[i].err &&
		    ops->ops[i].err != -ESRCH)
			r = ipvs_owned_add(want, &ops->ops[i].svc);
	return r;
}

int
writer_apply(struct writer *w, const struct conf *c)
{
	struct ipvs_table want;
	struct ipvs_ops ops;
	int r;

	if ((r = writer_open(w)) < 0)
		return r;
	memset(&want, 0, sizeof(want));
	memset(&ops, 0, sizeof(ops));
	if ((r = table_from_conf(c, &want)) < 0) {
		log_err("ipvs: cannot compute the table: %s", strerror(-r));
		return r;
	}
	writer_load_owned(w);
	r = ipvs_table_reconcile(w->nl, &want, w->have_prev ? &w->prev : NULL, &ops);
	if (r < 0) {
		/* The socket failed: reopen next time; the kernel keeps its table. */
		log_err("ipvs: cannot reconcile the table: %s", strerror(-r));
		ipvs_nl_close(w->nl);
		w->nl = NULL;
		ipvs_ops_free(&ops);
		ipvs_table_free(&want);
		return r;
	}
	writer_log_refusals(&ops);
	writer_sync(w, c);
	writer_count(w, &want, &ops, r);
	/* changes = operations the kernel accepted, as lvsctl status counts them */
	log_info("ipvs: %zu services, %zu destinations; %u changes, %u refused", w->st.services,
		 w->st.dests, w->st.applied_ops, w->st.refused);
	if (writer_keep_undeleted(&want, &ops) < 0)
		log_err("ipvs: out of memory keeping refused deletions; they are not retried");
	ipvs_ops_free(&ops);
	writer_save_owned(w, &want);
	if (w->have_prev)
		ipvs_table_free(&w->prev);
	w->prev = want;
	w->have_prev = true;
	return r;
}

void
writer_stats(const struct writer *w, struct writer_stats *out)
{
	*out = w->st;
	out->available = w->nl != NULL;
}
