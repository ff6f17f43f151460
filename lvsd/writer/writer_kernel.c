/* The IPVS writer's edges: the netlink socket coming and going, the
 * ownership record, the connection-sync daemons, IPVS's sysctls, and the log lines that
 * name what the kernel refused or what a resync repaired. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "lvsd/core/log.h"
#include "lvsd/ipvs/ipvs_owned.h"
#include "lvsd/writer/writer_int.h"

static void
writer_retry_later(struct writer *w)
{
	struct timeval tv = {WRITER_RETRY_S, 0};

	if (w->ev_retry)
		evtimer_add(w->ev_retry, &tv);
}

/* Connect when not connected; watch the socket for acks. */
int
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
				"(is the ip_vs module loaded?); trying again every %d s",
				r == -ENOENT ? "this kernel has no IPVS" : strerror(-r),
				WRITER_RETRY_S);
		w->said_unavailable = true;
		writer_retry_later(w);
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
	if (w->base) {
		w->ev_nl =
		    event_new(w->base, ipvs_nl_fd(w->nl), EV_READ | EV_PERSIST, w->readable, w);
		if (!w->ev_nl || event_add(w->ev_nl, NULL) < 0) {
			writer_close(w);
			return -ENOMEM;
		}
	}
	return 0;
}

/* The socket failed: the kernel keeps its table; reconnect and resync. */
void
writer_close(struct writer *w)
{
	if (w->ev_nl)
		event_free(w->ev_nl);
	w->ev_nl = NULL;
	if (w->nl)
		ipvs_nl_close(w->nl);
	w->nl = NULL;
	writer_dump_free(w);
	w->reconcile_due = true;
	writer_retry_later(w);
}

/* After a restart, the services the last run owned are the previous
 * generation: the ones gone from the file meanwhile are deleted. */
void
writer_load_owned(struct writer *w)
{
	unsigned line = 0;
	int r;

	if (w->have_owned || !w->owned_path)
		return;
	r = ipvs_owned_load(w->owned_path, &w->owned, &line);
	if (r == -EBADMSG)
		log_warn("ipvs: ignoring the ownership record %s: line %u is not a service key",
			 w->owned_path, line);
	else if (r < 0 && r != -ENOENT)
		log_warn("ipvs: cannot read the ownership record %s: %s", w->owned_path,
			 strerror(-r));
	else if (r == 0)
		log_info("ipvs: the last run owned %zu services (%s)", w->owned.n, w->owned_path);
	w->have_owned = r == 0;
}

void
writer_save_owned(struct writer *w)
{
	int r;

	if (!w->owned_path)
		return;
	r = ipvs_owned_save(w->owned_path, &w->owned);
	if (r < 0 && !w->said_unsaved)
		log_warn("ipvs: cannot write the ownership record %s: %s; after a restart, "
			 "services removed meanwhile stay in the kernel",
			 w->owned_path, strerror(-r));
	w->said_unsaved = r < 0;
}

/* ------------------------------------------------------------ sync daemons */

static int
writer_sync_start(struct writer *w, uint32_t state)
{
	struct ipvs_daemon d = {.state = state, .syncid = w->sync_id};

	if (strlen(w->sync_if) >= sizeof(d.ifname))
		return -EINVAL;
	strcpy(d.ifname, w->sync_if);
	return ipvs_nl_daemon_start(w->nl, &d);
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
writer_sync_one(struct writer *w, const struct ipvs_daemon *have, uint32_t state)
{
	const char *ifname = w->sync_if;
	int r;

	if (!ifname[0]) {
		if (have && w->sync_owned && (r = ipvs_nl_daemon_stop(w->nl, state)) < 0)
			log_err("ipvs: cannot stop the %s sync daemon: %s", sync_state_name(state),
				strerror(-r));
		else if (have && w->sync_owned)
			log_info("ipvs: %s sync daemon stopped", sync_state_name(state));
		return;
	}
	if (have && !strcmp(have->ifname, ifname) && have->syncid == w->sync_id)
		return;
	if (have && (r = ipvs_nl_daemon_stop(w->nl, state)) < 0) {
		log_err("ipvs: cannot restart the %s sync daemon: %s", sync_state_name(state),
			strerror(-r));
		return;
	}
	if ((r = writer_sync_start(w, state)) < 0)
		log_err("ipvs: cannot start the %s sync daemon on %s (sync id %u): %s",
			sync_state_name(state), ifname, w->sync_id, strerror(-r));
	else
		log_info("ipvs: %s sync daemon running on %s, sync id %u", sync_state_name(state),
			 ifname, w->sync_id);
}

/* The connection-sync daemons run as master and backup at once on each
 * director: the one holding the VIPs sends its connections, the other
 * receives them, and neither needs to know which it is.  Blocking
 * requests: called only when no batch is in flight. */
void
writer_sync(struct writer *w)
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
	writer_sync_one(w, m, IP_VS_STATE_MASTER);
	writer_sync_one(w, b, IP_VS_STATE_BACKUP);
	w->sync_owned = w->sync_if[0] != '\0';
}

/* ---------------------------------------------------------------- sysctls */

/* net.ipv4.vs.NAME of lvsd's network namespace (the files exist once
 * ip_vs is loaded); 0 or -errno. */
static int
sysctl_get(const char *name, int *out)
{
	char path[64];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/vs/%s", name);
	if (!(f = fopen(path, "re")))
		return -errno;
	r = fscanf(f, "%d", out) == 1 ? 0 : -EIO;
	fclose(f);
	return r;
}

static int
sysctl_set(const char *name, int v)
{
	char path[64];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/vs/%s", name);
	if (!(f = fopen(path, "we")))
		return -errno;
	r = fprintf(f, "%d\n", v) < 0 ? -EIO : 0;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	return r;
}

static void
writer_sysctl(struct writer *w, const char *name, int8_t want)
{
	int have, r;

	if (want < 0)
		return;
	if ((r = sysctl_get(name, &have)) < 0) {
		if (!w->said_sysctl)
			log_err("ipvs: cannot read net.ipv4.vs.%s: %s", name, strerror(-r));
		w->said_sysctl = true;
		return;
	}
	if (have == want)
		return;
	if ((r = sysctl_set(name, want)) < 0)
		log_err("ipvs: cannot set net.ipv4.vs.%s to %d: %s", name, want, strerror(-r));
	else
		log_info("ipvs: net.ipv4.vs.%s set to %d (it was %d)", name, want, have);
}

/* The sysctls the configuration sets; after each reconcile and resync,
 * so a value changed by hand or lost with the module comes back. */
void
writer_sysctls(struct writer *w)
{
	writer_sysctl(w, "sloppy_tcp", w->sloppy_tcp);
	writer_sysctl(w, "sloppy_sctp", w->sloppy_sctp);
}

/* ---------------------------------------------------------------- log lines */

static bool
op_is_dest(const struct ipvs_op *op)
{
	return op->cmd == IPVS_CMD_NEW_DEST || op->cmd == IPVS_CMD_SET_DEST ||
	       op->cmd == IPVS_CMD_DEL_DEST;
}

/* One line per refusal, naming the object; nothing for the destinations
 * of a service the kernel refused to create (that line says it all). */
void
writer_log_refusal(const struct writer *w, const struct ipvs_op *op)
{
	char s[128], d[64];
	size_t si;

	ipvs_service_str(&op->svc, s, sizeof(s));
	if (!op_is_dest(op)) {
		log_err("ipvs: %s %s (scheduler %s) refused by the kernel: %s",
			ipvs_cmd_name(op->cmd), s, op->svc.sched, strerror(-op->err));
		return;
	}
	if (ipvs_index_svc(&w->wx, &op->svc, &si) && w->svc_refused[si])
		return;
	log_err("ipvs: %s %s in %s refused by the kernel: %s", ipvs_cmd_name(op->cmd),
		ipvs_dest_str(&op->dest, d, sizeof(d)), s, strerror(-op->err));
}

/* What a resync found and is about to repair, naming the object. */
void
writer_log_repair(const struct ipvs_op *op, const struct ipvs_index *hx)
{
	char s[128], d[64];
	const struct ipvs_dest *k;
	size_t si;

	ipvs_service_str(&op->svc, s, sizeof(s));
	ipvs_dest_str(&op->dest, d, sizeof(d));
	switch (op->cmd) {
	case IPVS_CMD_NEW_SERVICE:
		log_notice("ipvs: resync: service %s is missing from the kernel; adding it", s);
		break;
	case IPVS_CMD_SET_SERVICE:
		log_notice("ipvs: resync: service %s differs in the kernel; setting it back", s);
		break;
	case IPVS_CMD_DEL_SERVICE:
		log_notice("ipvs: resync: service %s is no longer configured; deleting it", s);
		break;
	case IPVS_CMD_NEW_DEST:
		log_notice(
		    "ipvs: resync: destination %s in %s is missing from the kernel; adding it", d,
		    s);
		break;
	case IPVS_CMD_SET_DEST:
		if (ipvs_index_svc(hx, &op->svc, &si) &&
		    (k = ipvs_index_dest(hx, si, &op->dest, NULL)) && k->weight != op->dest.weight)
			log_notice(
			    "ipvs: resync: destination %s in %s has weight %u in the kernel, "
			    "not %u; setting it back",
			    d, s, k->weight, op->dest.weight);
		else
			log_notice("ipvs: resync: destination %s in %s differs in the kernel; "
				   "setting it back",
				   d, s);
		break;
	case IPVS_CMD_DEL_DEST:
		log_notice("ipvs: resync: destination %s in %s is not configured; deleting it", d,
			   s);
		break;
	default:
		break;
	}
}
