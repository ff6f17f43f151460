/* The configuration model: one generation of a parsed, validated lvsd.yaml.
 *
 * A struct conf owns everything in it; conf_free() releases it as a whole.
 * A reload builds a second struct conf beside the running one and swaps
 * only when conf_load() succeeded, so a bad file never touches the running
 * configuration.  Every object remembers where it was written (struct
 * conf_pos) so that conflicts found after parsing still name a line.
 */
#ifndef LVSD_CONF_H
#define LVSD_CONF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CONF_NAME_MAX 64
#define CONF_PATH_MAX 256
#define CONF_ERR_MAX 512

#define CONF_DEFAULT_CONTROL_SOCKET "/run/lvsd/lvsd.sock"
#define CONF_DEFAULT_METRICS_PORT 9642
#define CONF_DEFAULT_REPORTS_PORT 7946
#define CONF_DEFAULT_USER "lvsd"

struct conf_pos {
	unsigned line; /* 1-based; 0 when the value was filled in by default */
	unsigned col;  /* 1-based */
};

/* An IPv4 or IPv6 address, with a prefix length when written as a CIDR. */
struct conf_addr {
	int family; /* AF_INET or AF_INET6; 0 when unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
	uint8_t prefix; /* 32/128 for a plain address */
};

/* A socket address: an address and a port (metrics, report listener). */
struct conf_sockaddr {
	struct conf_addr addr;
	uint16_t port;
};

enum conf_proto { CONF_PROTO_TCP, CONF_PROTO_UDP, CONF_PROTO_SCTP };
enum conf_fwd { CONF_FWD_TUNNEL, CONF_FWD_DR, CONF_FWD_NAT };
enum conf_tun { CONF_TUN_IPIP, CONF_TUN_GUE, CONF_TUN_GRE };
/* Checksums of gue/gre encapsulation: remcsum is gue only. */
enum conf_tun_csum { CONF_TUN_CSUM_NONE, CONF_TUN_CSUM_CSUM, CONF_TUN_CSUM_REMCSUM };
enum conf_check_type { CONF_CHECK_NONE, CONF_CHECK_TCP, CONF_CHECK_HTTP, CONF_CHECK_HTTPS,
		       CONF_CHECK_SCRIPT };
enum conf_policy { CONF_POLICY_STATIC, CONF_POLICY_PAPER1, CONF_POLICY_PAPER2,
		   CONF_POLICY_DAMPED };
enum conf_key_type { CONF_KEY_ED25519, CONF_KEY_HMAC };
/* What a real server whose check says down becomes: a destination at
 * weight 0 (inhibit: its connections drain) or no destination (remove). */
enum conf_on_down { CONF_ON_DOWN_INHIBIT, CONF_ON_DOWN_REMOVE };

struct conf_global {
	char director_id[CONF_NAME_MAX];   /* default: the host name */
	char control_socket[CONF_PATH_MAX]; /* default: /run/lvsd/lvsd.sock */
	bool metrics_enabled;
	struct conf_sockaddr metrics;     /* default: 127.0.0.1:9642 when enabled */
	char user[CONF_NAME_MAX];         /* unprivileged user of the children: lvsd */
	/* The IPVS connection-sync daemon; runs when sync_interface is set. */
	char sync_interface[CONF_NAME_MAX];
	uint8_t sync_id;                  /* default 0 */
	/* Period of the IPVS resync (read the kernel's table, repair drift);
	 * default 60s, 0 = off. */
	uint32_t ipvs_resync_ms;
	/* net.ipv4.vs.sloppy_tcp and sloppy_sctp: 1 lets IPVS take up a
	 * connection it did not see begin (moved from the other director);
	 * -1 (the default) leaves the kernel's value alone. */
	int8_t sloppy_tcp;
	int8_t sloppy_sctp;
	/* lvsctl drain --director: how long the director waits, its routes
	 * withdrawn, for the router to move flows before it lets go;
	 * default 5s */
	uint32_t director_drain_ms;
	/* Who runs operator scripts (track and notify); default root */
	char script_user[CONF_NAME_MAX];
	struct conf_pos pos;
	struct conf_pos script_user_pos;  /* where script_user was written */
	struct conf_pos metrics_pos;      /* where metrics was written */
};

/* A key an agent signs its reports with: an Ed25519 public key or an HMAC secret. */
struct conf_key {
	char name[CONF_NAME_MAX];
	enum conf_key_type type;
	char file[CONF_PATH_MAX];
	struct conf_pos pos;
	struct conf_pos file_pos;   /* where the file's path was written */
};

struct conf_reports {
	bool enabled;
	struct conf_sockaddr listen; /* default 0.0.0.0:7946 */
	uint32_t max_skew_ms;        /* default 30s */
	uint32_t round_ms;           /* how often weights are computed; default 1s */
	uint32_t rate_limit;         /* reports per second per source; default 50 */
	char history[CONF_PATH_MAX]; /* applied weight changes, JSON lines; "" none */
	uint32_t history_max_kb;     /* rotated beyond this; default 10240 */
	struct conf_pos pos;
};

#define CONF_TRACK_WEIGHT_MAX 254

/* A script run periodically by the parent: its exit status is tracked. */
struct conf_track_script {
	char name[CONF_NAME_MAX];
	char script[CONF_PATH_MAX]; /* "path args", split on blanks */
	uint32_t interval_ms;	    /* default 2s */
	uint32_t timeout_ms;	    /* default 2s, below interval */
	int16_t weight;		    /* -254..254; 0 = fault while failing (default) */
	uint16_t rise;		    /* default 1 */
	uint16_t fall;		    /* default 1 */
	struct conf_pos pos;
};

/* A file holding an integer: the priority changes by value x weight. */
struct conf_track_file {
	char name[CONF_NAME_MAX];
	char file[CONF_PATH_MAX];
	int16_t weight; /* -254..254; default 1 */
	struct conf_pos pos;
};

/* An instance's reference to a tracked script or file. */
struct conf_track_ref {
	uint32_t id;	/* index into conf.track_scripts / conf.track_files */
	int16_t weight; /* the object's, or the reference's override */
	struct conf_pos pos;
};

/* Instances that fail over together. */
struct conf_sync_group {
	char name[CONF_NAME_MAX];
	uint32_t *members; /* indexes into conf.vrrp */
	size_t n_members;
	char notify[CONF_PATH_MAX]; /* "" when unset */
	struct conf_pos pos;
};

struct conf_vrrp {
	char name[CONF_NAME_MAX];
	char interface[CONF_NAME_MAX];
	uint8_t vrid;               /* 1..255 */
	uint8_t version;            /* 2 or 3; default 3 */
	uint8_t priority;           /* 1..255; default 100 */
	uint32_t advert_interval_ms; /* default 1s; v2: whole seconds; v3: 10ms..40.95s */
	bool preempt;               /* default true */
	uint32_t preempt_delay_ms;  /* default 0 */
	struct conf_addr *vips;
	size_t n_vips;
	struct conf_addr *unicast_peers;
	size_t n_unicast_peers;
	struct conf_addr unicast_source; /* family 0: the interface's own address */
	uint8_t announce_repeat;    /* gratuitous ARPs / NAs on becoming master, default 3 */
	uint32_t announce_interval_ms; /* between them, default 200ms */
	bool strict;                /* the nftables filter for VIPs not held, default true */
	char (*track_interfaces)[CONF_NAME_MAX];
	size_t n_track_interfaces;
	char notify[CONF_PATH_MAX]; /* script run on every state change; "" when unset */
	struct conf_track_ref *track_scripts;
	size_t n_track_scripts;
	struct conf_track_ref *track_files;
	size_t n_track_files;
	int sync_group; /* index into conf.sync_groups, -1 when none */
	struct conf_pos pos;
	struct conf_pos interface_pos; /* where the interface's name was written */
	/* where these keys were written; line 0 when absent */
	struct conf_pos notify_pos, peers_pos, track_pos;
};

struct conf_check {
	enum conf_check_type type;  /* default tcp */
	uint32_t interval_ms;       /* default 2s */
	uint32_t timeout_ms;        /* default 1s; must be below interval */
	uint16_t rise;              /* default 2 */
	uint16_t fall;              /* default 3 */
	uint16_t port;              /* 0: the real server's port */
	char path[CONF_PATH_MAX];   /* http(s): default "/" */
	uint16_t status;            /* http(s): default 200 */
	char digest[65];            /* http(s): hex SHA-256 of the body; "" when unset */
	char script[CONF_PATH_MAX]; /* script: the command */
	uint16_t retries;           /* attempts after a failure before it counts, default 0 */
	uint32_t retry_delay_ms;    /* between them, default 1s */
	struct conf_addr source;    /* family 0: any */
	char host[CONF_PATH_MAX];   /* http(s): Host header; "" the server's address */
	char expect[CONF_PATH_MAX]; /* http(s): a substring the body must hold; "" none */
	char sni[CONF_PATH_MAX];    /* https: server name; "" the host */
	char ca_file[CONF_PATH_MAX]; /* https: verify the server against these CAs; "" no */
	uint32_t slow_start_ms;     /* a recovered server's weight ramps over it; default 0: none */
	struct conf_pos pos;
};

struct conf_policy_params {
	enum conf_policy type;      /* default damped */
	uint32_t mem_per_proc_kb;   /* paper-1/2: default 3500 */
	uint32_t conns_per_min;     /* paper-2: default 0 (floor K = 0) */
	uint32_t max_step;          /* damped: largest change per update, default 10 (percent) */
	uint32_t smoothing;         /* damped: EWMA weight of a new report, percent, default 30 */
	uint32_t band;              /* damped: clamp to [median/band, median*band], default 4 */
	uint32_t write_threshold;   /* damped: skip kernel writes below, percent, default 5 */
	uint32_t integral;          /* damped: gain of the trim per report, percent, default 50 */
	uint32_t warmup_ms;         /* ramp-in time of a new server, default 60s */
	uint32_t stale_after_ms;    /* default 3 report intervals: 180s */
	uint32_t expire_after_ms;   /* default 10 minutes */
	struct conf_pos pos;
};

struct conf_rs {
	struct conf_addr addr;
	/* The port IPVS uses: nat may map it; tunnel and dr keep the service's
	 * port (0 for fwmark services, where only nat may give one). */
	uint16_t port;
	uint32_t weight;            /* static weight, 0..65535; default 1 */
	uint32_t u_threshold;       /* upper connection threshold, 0 = none */
	uint32_t l_threshold;       /* lower connection threshold, 0 = none */
	int key;                    /* index into conf.keys, -1 when none */
	int key2;                   /* a second one while keys rotate, -1 when none */
	bool has_check;             /* check overrides the service's */
	struct conf_check check;
	enum conf_on_down on_down; /* default: the service's */
	struct conf_pos pos;
	struct conf_pos key_pos;    /* where agent_key was written */
};

/* The scheduler's own flags (sh-port, mh-port, ...): the kernel's
 * scheduler flags 1 to 3, whose meaning depends on the scheduler. */
enum {
	CONF_SCHED_FLAG_1 = 1,
	CONF_SCHED_FLAG_2 = 2,
	CONF_SCHED_FLAG_3 = 4,
};

/* The destination a service gets while none of its real servers takes
 * new connections (keepalived's sorry_server).  Not health-checked. */
struct conf_sorry {
	struct conf_addr addr;
	uint16_t port;		  /* the port IPVS uses, as conf_rs.port */
	enum conf_fwd forwarding; /* default: the service's */
	uint32_t weight;	  /* 1..65535; default 1 */
	struct conf_pos pos;
};

/* Active-active behind ECMP: while the director is fit to serve the
 * service (its IPVS service programmed, at least min_up real servers up,
 * the director not draining), lvsd keeps the VIP's /32 or /128 route in
 * kernel routing table `table`, which a routing daemon (BIRD, FRR)
 * imports and announces. */
#define CONF_ANNOUNCE_RTPROT 240 /* the routes' protocol: how lvsd knows its own */
struct conf_announce {
	uint32_t table;	 /* 1..2^32-1 but 255 (local); required */
	uint32_t min_up; /* real servers up needed; default 1 */
	struct conf_pos pos;
};

struct conf_service {
	char name[CONF_NAME_MAX];   /* default "ADDR:PORT" or "fwmark N" */
	uint32_t fwmark;            /* non-zero: a fwmark service (no address/port) */
	int family;                 /* AF_INET/AF_INET6; for fwmark services, from the rs */
	struct conf_addr addr;
	struct conf_pos addr_pos;   /* where address (or fwmark) was written */
	uint16_t port;
	enum conf_proto proto;      /* default tcp */
	char scheduler[16];         /* default wrr */
	uint32_t sched_flags;       /* CONF_SCHED_FLAG_*: scheduler_flags */
	struct conf_pos sched_flags_pos;
	enum conf_fwd forwarding;   /* default tunnel */
	enum conf_tun tunnel_type;  /* default ipip */
	bool persistent;
	uint32_t persistence_timeout_s; /* default 300 when persistent */
	struct conf_addr persistence_netmask; /* default /32 or /128 */
	struct conf_check check;    /* default for its real servers */
	struct conf_policy_params policy;
	struct conf_rs *rs;
	size_t n_rs;
	struct conf_pos pos;
	uint16_t tun_port;          /* tunnel_port: gue only (required there); else 0 */
	enum conf_tun_csum tun_csum; /* tunnel_checksum: gue/gre only; default none */
	/* quorum: the configured weights of the servers not down must reach
	 * quorum + quorum_hysteresis to regain it, fall below quorum -
	 * quorum_hysteresis to lose it; 0: none */
	uint32_t quorum;
	uint32_t quorum_hysteresis;
	/* run by the parent (as global.script_user) when the quorum is
	 * regained / lost, and once when it is first known; "" when unset */
	char quorum_up[CONF_PATH_MAX];
	char quorum_down[CONF_PATH_MAX];
	enum conf_on_down on_down; /* default inhibit */
	bool has_sorry;
	struct conf_sorry sorry;
	bool has_announce;
	struct conf_announce announce;
};

struct conf {
	char file[CONF_PATH_MAX];
	struct conf_global global;
	struct conf_reports reports;
	struct conf_key *keys;
	size_t n_keys;
	struct conf_track_script *track_scripts;
	size_t n_track_scripts;
	struct conf_track_file *track_files;
	size_t n_track_files;
	struct conf_vrrp *vrrp;
	size_t n_vrrp;
	struct conf_sync_group *sync_groups;
	size_t n_sync_groups;
	struct conf_service *services;
	size_t n_services;
};

/* Where and why loading failed: "FILE:LINE:COL: message". */
struct conf_error {
	char file[CONF_PATH_MAX];
	unsigned line;
	unsigned col;
	char msg[CONF_ERR_MAX];
};

/* Parse and validate a YAML file.  Returns 0 and sets *out (owned by the
 * caller, release with conf_free) or a negative errno and fills *err. */
int conf_load(const char *path, struct conf **out, struct conf_error *err);
/* The same from a buffer; name is what error messages call it. */
int conf_load_buffer(const char *name, const char *buf, size_t len, struct conf **out,
		     struct conf_error *err);
void conf_free(struct conf *c);

/* Write the effective configuration, defaults filled in, as YAML that
 * loads back to an equal struct conf. */
int conf_dump(const struct conf *c, FILE *f);

/* Format an error as "file:line:col: message" into buf. */
void conf_error_format(const struct conf_error *err, char *buf, size_t len);

/* Helpers other roles use to name things in logs. */
const char *conf_addr_str(const struct conf_addr *a, char *buf, size_t len);
/* A real server as logs name it: ADDR:PORT, [ADDR6]:PORT, or ADDR alone
 * when it has no port of its own. */
const char *conf_rs_name(const struct conf_rs *rs, char *buf, size_t len);
/* A real server as status and metrics name it: ADDR:PORT or [ADDR6]:PORT
 * with the service's port when it has none of its own, ADDR alone when
 * neither has one (fwmark services). */
const char *conf_rs_endpoint(const struct conf_service *s, const struct conf_rs *rs, char *buf,
			     size_t len);
/* A socket address as the file writes it: ADDR:PORT or [ADDR6]:PORT. */
const char *conf_sockaddr_str(const struct conf_sockaddr *s, char *buf, size_t len);
const char *conf_proto_name(enum conf_proto p);
const char *conf_fwd_name(enum conf_fwd f);
/* A scheduler flag's name for the service's scheduler (mh-port, flag-3). */
const char *conf_sched_flag_name(const struct conf_service *s, uint32_t flag);
const char *conf_policy_name(enum conf_policy p);
const char *conf_check_type_name(enum conf_check_type t);
const char *conf_tun_name(enum conf_tun t);
const char *conf_tun_csum_name(enum conf_tun_csum c);
const char *conf_key_type_name(enum conf_key_type t);
const char *conf_on_down_name(enum conf_on_down o);
/* True when a and b are the same address (family and bytes; prefix ignored). */
bool conf_addr_same(const struct conf_addr *a, const struct conf_addr *b);

#define CONF_ADDRSTRLEN (INET6_ADDRSTRLEN + 4)

#endif
