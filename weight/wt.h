/* The weight child's state: one configuration generation (services, real
 * servers, keys, the report socket) with what the receiver learnt of each
 * real server, and the pieces that work on it:
 *   wt_gen.c    build a generation from the parent's objects, index the
 *               real servers by address, carry state across a reload
 *   wt_recv.c   one datagram: decode, find the server, freshness, rate,
 *               signature; then record it for the next round
 *   wt_round.c  every round: the policies' weights, proposals and
 *               feedback to the parent
 *   wt_state.c  what the child learnt of each real server, as the parent
 *               keeps it (struct ipc_wt_rs) and hands it back to a
 *               restarted child
 * wt_main.c ties them to the child runtime. */
#ifndef LVSD_WEIGHT_WT_H
#define LVSD_WEIGHT_WT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lvsd/core/ipc.h"
#include "weight/policy.h"
#include "weight/report.h"
#include "weight/report_sig.h"
#include "weight/wt_drop.h"

struct wt_rl;


struct wt_key {
	char name[IPC_NAME_MAX];
	bool readable; /* the parent could read its file */
	bool usable;   /* its bytes made a key */
	struct rpt_key k;
};

struct wt_rs {
	uint32_t svc, id; /* the parent's ids */
	int family;
	uint8_t addr[16];
	uint16_t port;
	int32_t key, key2; /* ids into the generation's keys, -1 none */
	uint32_t static_weight;
	/* what the receiver learnt */
	struct rpt_seen seen;
	bool has_report;
	struct rpt_metrics last;
	uint64_t last_mono_ms;
	uint64_t reports;
	bool dirty; /* feedback to send after the next round */
	bool down;  /* its health check says down (the parent says) */
	/* what the parent was told */
	bool proposed;
	uint32_t proposal;
	uint8_t state;
	/* its state as the parent keeps it (wt_state.c): waiting to be sent,
	 * and what moves a round makes as of the last one sent */
	bool sync;
	uint8_t sent_state;
	uint32_t sent_weight, sent_trim, sent_proposed;
};

struct wt_svc {
	char name[IPC_NAME_MAX];
	uint8_t policy; /* enum conf_policy */
	struct conf_policy_params params;
	uint32_t n_rs;
	size_t first; /* index of its first real server in the generation's rs */
	bool pooled;  /* pool set up */
	struct wt_policy_pool pool;
	struct wt_policy_rs *prs;
	uint32_t *out;
};

struct wt_gen {
	uint64_t generation;
	struct ipc_conf_reports rep;
	int sock; /* the report socket, or -1 */
	struct wt_key *keys;
	size_t n_keys;
	struct wt_svc *svcs;
	size_t n_svcs;
	struct wt_rs *rs;
	size_t n_rs;
	struct wt_rs **by_addr; /* rs sorted by family, address, port */
	/* the real servers whose state the parent has not been sent (wt_state.c) */
	uint32_t *sync; /* a ring of n_rs: n_sync of them from sync_head */
	size_t sync_head, n_sync;
	/* state handed back by the parent for a restarted child (IPC_WT_RESTORE),
	 * applied at commit to the servers no running generation knew */
	struct ipc_wt_rs *restore;
	size_t n_restore, cap_restore;
};

/* Building: the objects of one generation, in the parent's order.  0 or
 * -errno (a protocol error, or -ENOMEM). */
int wt_gen_key(struct wt_gen *g, const struct ipc_conf_key *k);
int wt_gen_service(struct wt_gen *g, const struct ipc_conf_service *s);
int wt_gen_rs(struct wt_gen *g, const struct ipc_conf_rs *rs);
/* The generation is complete: index it, set up the policies, take over
 * what old (the running one, or NULL) knew of the same real servers
 * (same service name, address and port).  0 or -errno. */
int wt_gen_commit(struct wt_gen *g, const struct wt_gen *old, uint64_t now_ms);
void wt_gen_free(struct wt_gen *g);
/* Take p, a server's policy state computed by the same policy with
 * static weight ostatic and unit ounit, as server id of v's pool: the
 * weights rescaled when either changed (from 0: the static weight)
 * (wt_adopt.c). */
void wt_adopt(struct wt_svc *v, uint32_t id, const struct wt_policy_rs *p, uint32_t ostatic,
	      uint32_t ounit);
/* The real servers a report's server id names: *first and *n into
 * by_addr (port 0: every port of that address). */
void wt_gen_find(const struct wt_gen *g, const struct rpt_server *id, size_t *first, size_t *n);

/* One datagram from src: 0 when accepted, or the negative error of its
 * drop (wt_drop_of() gives the reason). */
int wt_recv_one(struct wt_gen *g, struct wt_rl *rl, const void *buf, size_t len,
		const struct sockaddr_storage *src, uint64_t now_ns, uint64_t now_ms);
/* The metrics as the policies take them. */
void wt_metrics_of(const struct rpt_report *r, struct wt_metrics *out);

/* One round at now_ms: every pooled service's weights.  Fills props (room
 * for n_rs) with the proposals that changed, *n of them, and marks dirty
 * the servers whose feedback state changed.  0 or -errno. */
int wt_round_compute(struct wt_gen *g, uint64_t now_ms, struct ipc_weight *props, size_t *n);
/* Health from the parent: a server back up after being down warms up
 * again from its static weight, as a new one would. */
void wt_gen_health(struct wt_gen *g, const struct ipc_health *m);

/* The feedback entry of one real server. */
void wt_feedback_of(const struct wt_gen *g, const struct wt_rs *rs, struct ipc_feedback_rs *out);

/* What the child learnt of a real server, as the parent keeps it. */
void wt_state_export(const struct wt_gen *g, const struct wt_rs *rs, struct ipc_wt_rs *out);
/* Take it back into rs (same ids), the policy's part only when the service
 * has the same policy now: the weights rescaled when the static weight or
 * the unit changed, as across a reload. */
void wt_state_import(struct wt_gen *g, struct wt_rs *rs, const struct ipc_wt_rs *in);
/* A server's state is to be sent (after a report, a round, a generation). */
void wt_state_mark(struct wt_gen *g, struct wt_rs *rs);
/* After a round: mark the servers whose policy state it moved. */
void wt_state_mark_moved(struct wt_gen *g);
/* Up to max of the servers waiting, exported into out, oldest first: the
 * number taken (they are no longer waiting). */
size_t wt_state_take(struct wt_gen *g, struct ipc_wt_rs *out, size_t max);
/* Put back the last n taken (a send failed): they are sent next time. */
void wt_state_untake(struct wt_gen *g, const struct ipc_wt_rs *taken, size_t n);
/* An IPC_WT_RESTORE of the staged generation: keep its entries for the
 * commit.  0, -EINVAL (another generation) or -ENOMEM. */
int wt_state_stage(struct wt_gen *g, const struct ipc_wt_state *m);

#endif
