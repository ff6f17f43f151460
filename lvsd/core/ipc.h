/* Messages between the lvsd parent and its children.
 *
 * The channel is a SOCK_SEQPACKET socketpair: one datagram is one frame, so
 * there is no stream to resynchronise and a descriptor passed with a frame
 * (SCM_RIGHTS) belongs to exactly that frame.  A frame is a header
 * { uint32 type; uint32 len } in host byte order (both ends are one binary
 * on one host) followed by exactly len bytes of payload.  Every type has
 * one plain struct; ipc_types[] says how long its payload must be and
 * whether it carries a descriptor.  Fixed-size types must match exactly;
 * the variable-size ones end in an array of elements and must be their
 * fixed part plus a whole number of elements, at most a maximum, agreeing
 * with the count the fixed part carries.  Anything else is a desync: the
 * channel is closed and the child restarted.
 *
 * The codec (ipc_encode, ipc_decode) is pure: buffers in, buffers out.
 * ipc_decode does not copy: the decoded message points into the caller's
 * buffer (which must be 8-byte aligned for the typed accessors).  The
 * libevent glue (struct ipc_chan) is at the end and lives in ipc_ev.c.
 *
 * Objects are named by ids (indexes into the parent's configuration),
 * never by pointers.  Every message a child sends about a service, a real
 * server or a VRRP instance carries the configuration generation its ids
 * belong to: the parent drops and counts one from another generation and
 * never applies it to whatever sits at that index now.
 */
#ifndef LVSD_IPC_H
#define LVSD_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipc_hdr {
	uint32_t type;
	uint32_t len;
};

#define IPC_HDR_LEN ((size_t)sizeof(struct ipc_hdr))
#define IPC_NAME_MAX 64
#define IPC_PATH_MAX 256
#define IPC_VRRP_MAX_VIPS 255 /* the VRRP count field is 8 bits */
#define IPC_VRRP_MAX_PEERS 64
#define IPC_VRRP_DROPS 24 /* advertisement drop counters, by reason */
#define IPC_KEY_MAX 4096      /* bytes of one key file */
#define IPC_CA_MAX 60000      /* bytes of one CA file (PEM) */
#define IPC_BATCH_MAX 4000    /* entries of one health or weight message */
#define IPC_PAYLOAD_MAX 65536 /* the largest payload of any type */
#define IPC_FRAME_MAX (IPC_HDR_LEN + IPC_PAYLOAD_MAX)

enum ipc_type {
	IPC_NONE = 0,
	/* parent -> child, first frame after the child starts */
	IPC_HELLO, /* struct ipc_hello */
	/* parent -> child: one configuration generation */
	IPC_CONF_BEGIN,	  /* struct ipc_conf_begin */
	IPC_CONF_VRRP,	  /* struct ipc_conf_vrrp + n_addrs x struct ipc_addr */
	IPC_CONF_TRACK_IF, /* struct ipc_conf_track_if */
	IPC_CONF_SERVICE, /* struct ipc_conf_service */
	IPC_CONF_RS,	  /* struct ipc_conf_rs */
	IPC_CONF_KEY,	  /* struct ipc_conf_key + len bytes of key material */
	IPC_CONF_REPORTS, /* struct ipc_conf_reports */
	IPC_CONF_SOCKET,  /* struct ipc_conf_socket, with one descriptor */
	IPC_CONF_END,	  /* struct ipc_conf_end */
	/* child -> parent: the generation is installed */
	IPC_CONF_ACK, /* struct ipc_conf_ack */
	/* parent -> child, and the reply */
	IPC_STATUS_REQ, /* struct ipc_status_req */
	IPC_STATUS,	/* struct ipc_status */
	/* parent -> vrrp: ready to forward or not; hand the VIPs over */
	IPC_READY,    /* struct ipc_ready */
	IPC_HANDOVER, /* struct ipc_handover */
	/* child -> parent: results, each for one generation */
	IPC_HEALTH,	/* checkers: struct ipc_health + n x struct ipc_health_rs */
	IPC_WEIGHTS,	/* weight: struct ipc_weights + n x struct ipc_weight */
	IPC_VRRP_STATE, /* vrrp: struct ipc_vrrp_state */
	/* parent -> vrrp: what tracked scripts and files make of an instance */
	IPC_TRACK, /* struct ipc_track */
	/* parent -> checkers, in a generation: a CA file's bytes */
	IPC_CONF_CA, /* struct ipc_conf_ca + len bytes of PEM */
	/* weight -> parent: what its proposals rest on, and its drop counters */
	IPC_FEEDBACK, /* struct ipc_feedback + n x struct ipc_feedback_rs */
	/* metrics -> parent: a scrape wants a snapshot; parent -> metrics: one
	 * snapshot, BEGIN, the objects' frames, END */
	IPC_SNAP_REQ,	/* struct ipc_snap_req */
	IPC_SNAP_BEGIN, /* struct ipc_snap_begin */
	IPC_SNAP_VRRP,	/* struct ipc_snap_vrrps + n x struct ipc_snap_vrrp */
	IPC_SNAP_SVC,	/* struct ipc_snap_svcs + n x struct ipc_snap_svc */
	IPC_SNAP_RS,	/* struct ipc_snap_rss + n x struct ipc_snap_rs */
	IPC_SNAP_END,	/* struct ipc_snap_end */
	/* weight -> parent: what it learnt of real servers, for a restarted
	 * child and the state file */
	IPC_WT_STATE, /* struct ipc_wt_state + n x struct ipc_wt_rs */
	/* parent -> weight, in a generation: the same, handed back */
	IPC_WT_RESTORE, /* struct ipc_wt_state + n x struct ipc_wt_rs */
	IPC_TYPE_COUNT
};

/* An address as the configuration has it: family is AF_INET or AF_INET6. */
struct ipc_addr {
	uint8_t family;
	uint8_t prefix;
	uint8_t pad[2];
	uint8_t addr[16];
};

/* Who the child is and how it logs; it checks that its parent is parent_pid. */
struct ipc_hello {
	int32_t parent_pid;
	uint8_t role; /* 0 vrrp, 1 checkers, 2 weight (enum lvsd_role) */
	uint8_t foreground;
	uint8_t debug;
	uint8_t pad;
	char user[IPC_NAME_MAX]; /* the unprivileged user to become */
};

struct ipc_conf_begin {
	uint64_t generation;
};

struct ipc_conf_end {
	uint64_t generation;
	uint32_t n_objects; /* object messages sent between BEGIN and END */
	uint32_t pad;
};

struct ipc_conf_ack {
	uint64_t generation;
	uint32_t n_objects; /* objects the child holds now */
	uint32_t pad;
};

struct ipc_conf_vrrp {
	uint32_t id;
	char name[IPC_NAME_MAX];
	char interface[IPC_NAME_MAX];
	uint8_t vrid;
	uint8_t version;
	uint8_t priority;
	uint8_t preempt;
	uint32_t advert_interval_ms;
	uint32_t preempt_delay_ms;
	uint32_t announce_interval_ms;
	uint8_t announce_repeat;
	uint8_t strict;
	uint8_t resume; /* the parent saw it master a moment ago: resume as master */
	uint8_t pad;
	struct ipc_addr unicast_source; /* family 0: the interface's own address */
	uint32_t n_vips;  /* addrs[0 .. n_vips - 1]: the virtual addresses */
	uint32_t n_peers; /* then the unicast peers */
	uint32_t n_addrs; /* n_vips + n_peers */
	uint32_t sync_group; /* 0: none; else its sync group's index + 1 */
	struct ipc_addr addrs[]; /* n_addrs of them */
};

/* An interface a VRRP instance tracks: down means fault. */
struct ipc_conf_track_if {
	uint32_t instance_id;
	char ifname[IPC_NAME_MAX];
};

/* Tracked scripts and files of one instance, combined by the parent (which
 * runs the scripts and reads the files): the priority changes by delta
 * (the child clamps the result to 1..254; an owner's 255 stays), and
 * fault is set while a script of weight 0 fails or the tracked values
 * would bring the priority to 0 or below.  Sent after each configuration
 * and whenever either changes. */
#define IPC_TRACK_DELTA_MAX 100000
struct ipc_track {
	uint64_t generation;
	uint32_t instance_id;
	int32_t delta; /* -IPC_TRACK_DELTA_MAX..IPC_TRACK_DELTA_MAX */
	uint8_t fault;
	uint8_t pad[7];
};

/* Whether the director is ready to forward (its IPVS table programmed for
 * this generation): a backup preempts only when it is. */
struct ipc_ready {
	uint64_t generation;
	uint8_t ready;
	uint8_t pad[7];
};

/* A planned handover: the master instances resign, make-before-break.
 * instance_id UINT32_MAX for all. */
struct ipc_handover {
	uint64_t generation;
	uint32_t instance_id;
	uint32_t cookie;
};

struct ipc_check {
	uint8_t type; /* enum conf_check_type */
	uint8_t pad;
	uint16_t rise;
	uint16_t fall;
	uint16_t port;
	uint16_t status;
	uint16_t pad2;
	uint32_t interval_ms;
	uint32_t timeout_ms;
	char path[IPC_PATH_MAX];
	char digest[65];
	char script[IPC_PATH_MAX];
	uint8_t pad3[3];
	uint16_t retries;	 /* attempts after a failure before it counts */
	uint16_t pad4;
	uint32_t retry_delay_ms; /* between them */
	struct ipc_addr source;	 /* family 0: any */
	char host[IPC_PATH_MAX]; /* http(s): the Host header; "" the server's address */
	char sni[IPC_PATH_MAX];	 /* https: the server name; "" the host */
	char expect[IPC_PATH_MAX]; /* http(s): a substring the body must hold; "" none */
	int32_t ca; /* https: id of an IPC_CONF_CA to verify against, -1 when none */
};

struct ipc_conf_service {
	uint32_t id;
	char name[IPC_NAME_MAX];
	uint32_t fwmark;
	struct ipc_addr addr;
	uint16_t port;
	uint8_t proto;	/* enum conf_proto */
	uint8_t policy; /* enum conf_policy */
	uint32_t mem_per_proc_kb;
	uint32_t conns_per_min;
	uint32_t max_step;
	uint32_t smoothing;
	uint32_t band;
	uint32_t write_threshold;
	uint32_t integral;
	uint32_t warmup_ms;
	uint32_t stale_after_ms;
	uint32_t expire_after_ms;
	uint32_t n_rs;
};

struct ipc_conf_rs {
	uint32_t service_id;
	uint32_t id; /* index within the service */
	struct ipc_addr addr;
	uint16_t port;
	uint16_t pad;
	uint32_t weight;
	int32_t key;  /* id of an IPC_CONF_KEY, -1 when none */
	int32_t key2; /* a second one (keys being rotated), -1 when none */
	uint32_t pad2;
	struct ipc_check check;
};

/* A key an agent signs with, as the bytes of its file: the parent reads
 * the file, the unprivileged weight child never opens it.  len is 0 when
 * the parent could not read it (the child then treats it as unusable). */
struct ipc_conf_key {
	uint32_t id;
	uint8_t type; /* enum conf_key_type */
	uint8_t pad[3];
	char name[IPC_NAME_MAX];
	int32_t read_errno; /* 0, or why the parent could not read the file */
	uint32_t len;
	uint8_t material[]; /* len bytes, at most IPC_KEY_MAX */
};

/* The CAs an https check verifies its server against, as the bytes of
 * the file: the parent reads it, the checkers child never opens a path.
 * len is 0 when the parent could not read it (verification then fails). */
struct ipc_conf_ca {
	uint32_t id;
	int32_t read_errno; /* 0, or why the parent could not read the file */
	uint32_t len;
	uint32_t pad;
	uint8_t pem[]; /* len bytes, at most IPC_CA_MAX */
};

struct ipc_conf_reports {
	uint8_t enabled;
	uint8_t pad;
	uint16_t port;
	struct ipc_addr addr;
	uint32_t max_skew_ms;
	uint32_t round_ms;
	uint32_t rate_limit; /* reports per second per source */
};

/* A socket the parent opened (and bound) for the child, which could not:
 * the descriptor travels with the frame. */
enum ipc_socket_kind { IPC_SOCKET_REPORTS = 1, IPC_SOCKET_METRICS };
struct ipc_conf_socket {
	uint32_t kind; /* enum ipc_socket_kind */
	uint32_t id;
};

struct ipc_status_req {
	uint32_t cookie;
	uint32_t pad;
};

struct ipc_status {
	uint32_t cookie; /* the request's */
	int32_t pid;
	uint64_t generation; /* last generation fully received */
	uint32_t n_objects;
	uint32_t pad;
};

/* Health of real servers, from the checkers child. */
enum ipc_health_state { IPC_HEALTH_UNKNOWN, IPC_HEALTH_UP, IPC_HEALTH_DOWN };
struct ipc_health_rs {
	uint32_t service_id;
	uint32_t rs_id;
	uint8_t state;	/* enum ipc_health_state */
	uint8_t reason; /* why, for the log (enum chk_reason of lvsd/core/names.h) */
	uint16_t count; /* results in a row that led to the state */
	int32_t code; /* with the reason: an HTTP status, an exit code, an errno */
};
struct ipc_health {
	uint64_t generation;
	uint32_t n;
	uint32_t pad;
	struct ipc_health_rs rs[]; /* n of them, at most IPC_BATCH_MAX */
};

/* Weight proposals, from the weight child: many destinations at once, or
 * in chunks of at most IPC_BATCH_MAX. */
struct ipc_weight {
	uint32_t service_id;
	uint32_t rs_id;
	uint32_t weight; /* 0..65535 */
	uint8_t state;	 /* the feedback state (defined by the weight child) */
	uint8_t pad[3];
};
struct ipc_weights {
	uint64_t generation;
	uint32_t n;
	uint32_t pad;
	struct ipc_weight w[]; /* n of them, at most IPC_BATCH_MAX */
};

/* What the weight child knows of real servers' reports, for status and the
 * history of applied weights: sent after a round for the servers whose
 * report or feedback state changed (all of them after a new generation),
 * with the receiver's counters. */
#define IPC_FEEDBACK_MAX 600
#define IPC_WT_DROPS 16 /* drop counters, by reason (enum wt_drop of lvsd/core/names.h) */
struct ipc_feedback_rs {
	uint32_t service_id;
	uint32_t rs_id;
	uint8_t state; /* enum wt_feedback of lvsd/core/names.h */
	uint8_t has_report;
	uint16_t pad;
	uint32_t weight;	   /* the policy's weight (before the write threshold) */
	uint32_t trim;		   /* damped's integral part, permille; 0 other policies */
	uint32_t pad2;
	uint64_t report_mono_ms;   /* CLOCK_MONOTONIC, ms, of the last report accepted */
	uint64_t reports;	   /* accepted for this server */
	uint64_t mem_available_kb; /* the last report's metrics */
	uint64_t mem_total_kb;
	uint32_t procs_running;
	uint32_t procs_blocked;
	uint32_t swapout_x100; /* pages per second x 100 */
	uint32_t cpu_idle_pm;
	uint32_t load_x100;    /* 1 minute */
	uint32_t psi_mem_x100; /* memory pressure, some avg10, % x 100 */
	uint64_t cg_mem_current; /* bytes, 0 without a cgroup */
	uint64_t cg_mem_max;
};
struct ipc_feedback {
	uint64_t generation;
	uint64_t accepted;		  /* reports accepted since the child started */
	uint64_t drops[IPC_WT_DROPS];	  /* dropped, by reason */
	uint32_t n;
	uint32_t pad;
	struct ipc_feedback_rs rs[]; /* n of them, at most IPC_FEEDBACK_MAX */
};

/* What the weight child learnt of one real server, so that a child
 * restarted (or a whole lvsd, through the state file) goes on where the
 * old one was: the anti-replay record, the receiver's last report and
 * counters, and the policy's state (weight/pool.h struct wt_policy_rs, the
 * report kept field by field).  Times are CLOCK_MONOTONIC ms of this host.
 * The child sends it after a burst of reports for the servers that
 * accepted one, and after a round for those whose state moved; the parent
 * keeps the last of each and sends them back (IPC_WT_RESTORE, between
 * CONF_BEGIN and CONF_END) to a child it has just started. */
#define IPC_WT_STATE_MAX 180
struct ipc_wt_metrics { /* a report's metrics (weight/report.h struct rpt_metrics) */
	uint64_t mem_available_kb;
	uint64_t mem_total_kb;
	uint64_t cg_mem_current;
	uint64_t cg_mem_max;
	uint64_t cg_inactive_file;
	uint32_t procs_running;
	uint32_t procs_blocked;
	uint32_t swapout_x100;
	uint32_t cpu_idle_pm;
	uint32_t load_x100[3];
	uint32_t psi_mem_x100;
	uint32_t psi_cpu_x100;
	uint32_t cg_cpu_pm;
	uint16_t flags;
	uint8_t pad[6];
};
struct ipc_wt_kept { /* the report a policy keeps (weight/pool.h struct wt_metrics) */
	uint64_t stamp;
	uint64_t mem_available_kb;
	uint64_t mem_total_kb;
	uint64_t cg_mem_current_kb;
	uint64_t cg_mem_max_kb;
	uint32_t present;
	uint32_t procs_running;
	uint32_t procs_blocked;
	uint32_t swapout_kb_per_s;
	uint32_t cpu_idle_permille;
	uint32_t load_centi[3];
	uint32_t psi_some_avg10_centi;
	uint32_t pad;
};
struct ipc_wt_policy { /* the policy's state, valid when ipc_wt_rs.pooled */
	struct ipc_wt_kept report;
	uint8_t policy; /* enum conf_policy it was computed by */
	uint8_t has_report;
	uint8_t fresh; /* recorded since the last round */
	uint8_t state; /* enum wt_feedback */
	uint32_t smooth_valid;
	uint32_t static_weight; /* and unit: the scale weight and proposed are in */
	uint32_t unit;
	uint32_t trim;
	uint32_t weight;
	uint32_t proposed;
	uint32_t pad;
	uint64_t report_ms;
	uint64_t state_ms;
	uint64_t s_free_ppm;
	uint64_t free_ppm;
	uint64_t s_blocked_milli;
	uint64_t s_swapout;
	uint64_t s_psi;
};
struct ipc_wt_rs {
	uint32_t service_id;
	uint32_t rs_id;
	uint8_t seen_valid; /* the anti-replay record (seen_*) holds a report */
	uint8_t has_report; /* the receiver accepted a report: last */
	uint8_t pooled;	    /* policy holds the policy's state */
	uint8_t state;	    /* the feedback state the parent was told */
	uint8_t pad[4];
	uint8_t seen_boot_id[16];
	uint64_t seen_seq;
	uint64_t seen_time_ns;
	uint64_t last_mono_ms; /* when the last report was accepted */
	uint64_t reports;      /* accepted for this server */
	struct ipc_wt_metrics last;
	struct ipc_wt_policy policy;
};
struct ipc_wt_state {
	uint64_t generation;
	uint32_t n;
	uint32_t pad;
	struct ipc_wt_rs rs[]; /* n of them, at most IPC_WT_STATE_MAX */
};

/* A VRRP instance changed state. */
enum ipc_vrrp_st { IPC_VRRP_INIT, IPC_VRRP_BACKUP, IPC_VRRP_MASTER, IPC_VRRP_FAULT };
struct ipc_vrrp_state {
	uint64_t generation;
	uint32_t instance_id;
	uint8_t state; /* enum ipc_vrrp_st */
	uint8_t prev;
	uint8_t reason;	  /* why (enum vrrp_why of lvsd/core/names.h) */
	uint8_t priority; /* effective priority now */
	struct ipc_addr master; /* the master's address, as seen in its adverts */
	/* counters since the child started */
	uint64_t adverts_sent;
	uint64_t adverts_received;
	uint64_t adverts_dropped;
	uint32_t transitions;
	uint32_t handover_cookie; /* of the handover this transition completes, or 0 */
	/* for a transition to master: ms since the last advertisement of the
	 * master it replaces; for a handover completed: ms since it resigned;
	 * UINT32_MAX when not known */
	uint32_t gap_ms;
	uint32_t pad2;
	uint32_t drops[IPC_VRRP_DROPS]; /* by reason (enum vrrp_drop of lvsd/core/names.h) */
};

/* ---- snapshots for the metrics child: what the parent knows, by value
 * (names and addresses as text), so the child renders them without a
 * configuration of its own.  A snapshot is IPC_SNAP_BEGIN, then its VRRP
 * instances, services and real servers in frames of at most the _MAX
 * elements each, in that order, then IPC_SNAP_END; the counts of BEGIN
 * are the elements that follow (metrics/metrics_snap.c checks them). */
#define IPC_SNAP_CHILDREN 8 /* processes of a snapshot: the parent and its children */
#define IPC_SNAP_VRRP_MAX 200
#define IPC_SNAP_SVC_MAX 400
#define IPC_SNAP_RS_MAX 500
#define IPC_SNAP_TEXT 48 /* a real server's "198.51.100.11:80", "[2001:db8::1]:80" */

struct ipc_snap_req {
	uint32_t cookie;
	uint32_t pad;
};

/* One process of lvsd: the parent (first) or a child. */
struct ipc_snap_proc {
	char name[16];
	uint8_t up;
	uint8_t lag_known; /* the process measures its loop lag */
	uint8_t pad[2];
	uint32_t restarts;
	uint64_t lag_max_us;	/* longest loop hold seen (0: not measured) */
	uint64_t lag_minute_us; /* over the last minute */
};

struct ipc_snap_begin {
	uint32_t cookie; /* the request's */
	uint32_t n_vrrp, n_svc, n_rs;
	char director[IPC_NAME_MAX]; /* global.director_id */
	char version[16];	     /* lvsd's */
	uint64_t generation;
	int64_t loaded_at; /* wall clock, seconds */
	uint64_t reloads, reloads_failed, rollbacks;
	uint8_t ready;		 /* the running generation's IPVS table is programmed */
	uint8_t ipvs_available;	 /* the kernel has IPVS */
	uint8_t confirm_pending; /* a reload --confirm waits for lvsctl confirm */
	uint8_t n_procs;
	uint32_t confirm_left_ms;
	/* the IPVS writer */
	uint64_t ipvs_applies, ipvs_batches, ipvs_ops, ipvs_refused, ipvs_resyncs, ipvs_repairs,
	    ipvs_dumps, ipvs_weight_changes;
	uint64_t ipvs_services, ipvs_services_accepted, ipvs_dests, ipvs_dests_accepted;
	/* the weight child's receiver, since it started */
	uint64_t reports_accepted;
	uint64_t reports_dropped[IPC_WT_DROPS];
	struct ipc_snap_proc procs[IPC_SNAP_CHILDREN];
};

struct ipc_snap_vrrp {
	char name[IPC_NAME_MAX];
	char interface[IPC_NAME_MAX];
	uint8_t vrid;
	uint8_t known;	  /* the vrrp child reported it */
	uint8_t state;	  /* enum ipc_vrrp_st */
	uint8_t priority; /* effective */
	uint8_t conf_priority;
	uint8_t pad[3];
	uint32_t transitions;
	uint64_t adverts_sent, adverts_received, adverts_dropped;
	uint32_t drops[IPC_VRRP_DROPS]; /* by reason (enum vrrp_drop of lvsd/core/names.h) */
};
struct ipc_snap_vrrps {
	uint32_t n;
	uint32_t pad;
	struct ipc_snap_vrrp v[]; /* n of them, at most IPC_SNAP_VRRP_MAX */
};

struct ipc_snap_svc {
	char name[IPC_NAME_MAX];
	uint32_t n_rs;
	uint32_t n_up;
	uint8_t has_quorum; /* the service sets one */
	uint8_t quorum_lost;
	uint8_t pad[2];
	uint32_t quorum;
	uint64_t alive_weight; /* configured weight of its servers not down */
};
struct ipc_snap_svcs {
	uint32_t n;
	uint32_t pad;
	struct ipc_snap_svc s[]; /* n of them, at most IPC_SNAP_SVC_MAX */
};

struct ipc_snap_rs {
	uint32_t svc; /* index of its service in this snapshot */
	char server[IPC_SNAP_TEXT];
	uint8_t health; /* enum ipc_health_state */
	uint8_t drained;
	uint8_t fb_state; /* enum wt_feedback of lvsd/core/names.h */
	uint8_t has_report;
	uint8_t has_feedback; /* fb_weight is the policy's */
	uint8_t check_reason; /* the last result (enum chk_reason) */
	uint8_t pad[2];
	uint32_t weight_configured, weight_feedback, weight_effective;
	uint32_t report_age_ms; /* UINT32_MAX without a report */
	uint64_t reports;	/* accepted for this server */
	uint32_t checks_up, checks_down; /* health changes to up, to down */
};
struct ipc_snap_rss {
	uint32_t n;
	uint32_t pad;
	struct ipc_snap_rs rs[]; /* n of them, at most IPC_SNAP_RS_MAX */
};

struct ipc_snap_end {
	uint32_t cookie;
	uint32_t pad;
};

/* Size rules of one type. */
struct ipc_type_info {
	const char *name;
	uint32_t size; /* fixed part: the exact size unless variable */
	bool variable; /* followed by elements of elem_size */
	bool fd;       /* exactly one descriptor travels with the frame */
	uint32_t elem_size;
	uint32_t max;	    /* largest payload of a variable type */
	uint32_t count_off; /* variable: offset of the uint32 count in the fixed part */
};

/* A decoded message: a view of one frame.  payload points into the buffer
 * it was decoded from (never copied); fd is the descriptor that came with
 * it, or -1.  A receiver that keeps fd sets it to -1; the channel closes
 * whatever is left there once the callback returns. */
struct ipc_msg {
	uint32_t type;
	uint32_t len;
	void *payload;
	int fd;
};

/* The payload as its struct, e.g. IPC_BODY(msg, struct ipc_status). */
#define IPC_BODY(msg, T) ((T *)(msg)->payload)

/* The rules of a type, or NULL for an unknown one. */
const struct ipc_type_info *ipc_type_info(uint32_t type);
const char *ipc_type_name(uint32_t type);

/* Whether len bytes of payload are valid for type: 0 or -EBADMSG. */
int ipc_check_payload(uint32_t type, const void *payload, size_t len);

/* Write one frame into buf.  Returns the number of bytes written, -EBADMSG
 * when the payload breaks its type's rules, -ENOBUFS when cap is short. */
int ipc_encode(uint32_t type, const void *payload, size_t len, void *buf, size_t cap);

/* Decode one whole frame (one datagram) of len bytes at buf.  0 and *msg
 * filled (fd -1, payload pointing into buf), or -EBADMSG on an unknown
 * type, a bad size or a length that is not exactly the frame's: the
 * channel is out of step and must be closed. */
int ipc_decode(void *buf, size_t len, struct ipc_msg *msg);

/* Helpers for the fixed-width text fields: copy with truncation, always
 * NUL-terminated; and read one back safely (NUL forced at the end). */
void ipc_strset(char *dst, size_t size, const char *src);
const char *ipc_strget(char *field, size_t size);

/* ---- libevent glue (ipc_ev.c) ---- */
struct event_base;
struct ipc_chan;

/* A message arrived.  The callback must not free the channel; it may take
 * msg->fd (setting it to -1). */
typedef void (*ipc_msg_cb)(struct ipc_chan *ch, struct ipc_msg *msg, void *arg);
/* The peer closed the socket (err 0), a read failed (-errno) or the stream
 * desynced (-EBADMSG).  No more messages will arrive; free the channel. */
typedef void (*ipc_close_cb)(struct ipc_chan *ch, int err, void *arg);

/* Take over fd (a connected SOCK_SEQPACKET socket; closed by ipc_chan_free). */
int ipc_chan_new(struct event_base *base, int fd, ipc_msg_cb on_msg, ipc_close_cb on_close,
		 void *arg, struct ipc_chan **out);
void ipc_chan_free(struct ipc_chan *ch);
/* Queue one message; 0 or -errno (-EBADMSG when the payload breaks its
 * rules, -ENOBUFS when the peer has not read what was queued before). */
int ipc_send(struct ipc_chan *ch, uint32_t type, const void *payload, size_t len);
/* The same with a descriptor for a type that carries one (fd is not taken:
 * the peer receives its own copy). */
int ipc_send_fd(struct ipc_chan *ch, uint32_t type, const void *payload, size_t len, int fd);

/* A connected pair for a parent and child: SOCK_SEQPACKET, close-on-exec,
 * send buffers large enough for the largest frame.  0 or -errno. */
int ipc_socketpair(int sv[2]);
/* Receive one frame synchronously (a child reading its IPC_HELLO before it
 * has an event loop), waiting at most timeout_ms.  The frame lands in buf
 * (IPC_FRAME_MAX bytes, 8-aligned); 0 or -errno (-ETIMEDOUT, -EBADMSG,
 * -EPIPE when the peer closed). */
int ipc_recv_once(int fd, void *buf, int timeout_ms, struct ipc_msg *msg);

#endif
