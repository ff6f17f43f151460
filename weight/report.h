/* The load report datagram lvs-agent sends and the weight child receives
 * (doc/report-protocol.md has the table of fields).
 *
 * One UDP datagram, fixed layout, network byte order: a 16-byte header
 * (magic "LVSR", version, signature type, the server id's family and
 * port, which metrics are present, the sampling window), the server's
 * address, the agent's boot id, a sequence number, a timestamp, the
 * metrics, then the signature over every byte before it: Ed25519 (64
 * bytes) or HMAC-SHA256 (32 bytes).
 *
 * The server id is the real server as the YAML names it: its address, and
 * a port (0: the whole host, every real server with that address).  The
 * receiver finds the real servers, and through their agent_key the key,
 * from it.
 *
 * Pure functions: no I/O, no logging, no allocation.  Signing and
 * verifying are in report_sig.h.  The decoder accepts exactly what the
 * encoder writes (reserved bytes zero, absent metrics zero, no unknown
 * flag) and says why it refuses with a distinct negative errno, which
 * rpt_err_name() turns into a counter name. */
#ifndef LVSD_WEIGHT_REPORT_H
#define LVSD_WEIGHT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lvsd/core/names.h" /* RPT_UNLIMITED */

#define RPT_MAGIC 0x4c565352u /* "LVSR" */
#define RPT_VERSION 1
#define RPT_SIGNED_LEN 144 /* header, id, boot id, sequence, time, metrics */
#define RPT_ED25519_SIG_LEN 64
#define RPT_HMAC_SIG_LEN 32
#define RPT_MAX_LEN (RPT_SIGNED_LEN + RPT_ED25519_SIG_LEN)
#define RPT_BOOT_ID_LEN 16
#define RPT_DEFAULT_PORT 7946	 /* the listener's default in lvsd.yaml(5) */

/* Signature types, as the byte at offset 5. */
enum rpt_sig {
	RPT_SIG_ED25519 = 1,
	RPT_SIG_HMAC_SHA256 = 2,
};

/* Which metrics a report carries (offset 10, 16 bits); an absent metric
 * is sent as zero. */
enum rpt_flag {
	RPT_HAS_MEM = 1u << 0,	    /* mem_available_kb, mem_total_kb */
	RPT_HAS_PROCS = 1u << 1,    /* procs_running, procs_blocked */
	RPT_HAS_SWAPOUT = 1u << 2,  /* swapout_x100 */
	RPT_HAS_CPU_IDLE = 1u << 3, /* cpu_idle_pm */
	RPT_HAS_LOAD = 1u << 4,	    /* load_x100[3] */
	RPT_HAS_CG_MEM = 1u << 5,   /* cg_mem_current, cg_mem_max */
	RPT_HAS_CG_FILE = 1u << 6,  /* cg_inactive_file */
	RPT_HAS_CG_CPU = 1u << 7,   /* cg_cpu_pm */
	RPT_HAS_PSI_MEM = 1u << 8,  /* psi_mem_x100 */
	RPT_HAS_PSI_CPU = 1u << 9,  /* psi_cpu_x100 */
	RPT_FLAGS_ALL = (1u << 10) - 1,
};

/* What an agent measured, averaged over its window (rates: from the
 * window's first sample to its last). */
struct rpt_metrics {
	uint16_t flags;		   /* enum rpt_flag */
	uint64_t mem_available_kb; /* /proc/meminfo MemAvailable */
	uint64_t mem_total_kb;	   /* MemTotal */
	uint64_t cg_mem_current;   /* bytes: the cgroup's memory.current */
	uint64_t cg_mem_max;	   /* bytes: memory.max, RPT_UNLIMITED for "max" */
	uint64_t cg_inactive_file; /* bytes: memory.stat inactive_file */
	uint32_t procs_running;	   /* /proc/stat procs_running */
	uint32_t procs_blocked;	   /* procs_blocked */
	uint32_t swapout_x100;	   /* pages swapped out per second x 100 */
	uint32_t cpu_idle_pm;	   /* CPU idle, per mille of all CPUs: 0..1000 */
	uint32_t load_x100[3];	   /* load average 1, 5, 15 min x 100 */
	uint32_t psi_mem_x100;	   /* memory.pressure "some" avg10 (%) x 100 */
	uint32_t psi_cpu_x100;	   /* cpu.pressure "some" avg10 (%) x 100 */
	uint32_t cg_cpu_pm;	   /* the cgroup's CPU use, per mille of one CPU */
};

/* Which real server a report is about. */
struct rpt_server {
	int family;	  /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order; IPv4 in the first 4 (the rest 0) */
	uint16_t port;	  /* 0: every real server with this address */
};

/* One report, as encoded and as decoded. */
struct rpt_report {
	uint8_t sig;	    /* enum rpt_sig */
	uint32_t window_ms; /* what the metrics were averaged over */
	struct rpt_server server;
	uint8_t boot_id[RPT_BOOT_ID_LEN]; /* random at each agent start */
	uint64_t seq;			  /* strictly increasing per boot id */
	uint64_t time_ns;		  /* CLOCK_REALTIME at sending */
	struct rpt_metrics m;
};

/* The bytes of a datagram signed with sig (RPT_SIGNED_LEN + the
 * signature), or -EOPNOTSUPP for an unknown type. */
int rpt_len(int sig);

/* Write r into buf, the signature left zero for rpt_sign*() to fill.
 * Returns the datagram's length, -EINVAL when r is not a valid report
 * (family, an IPv4 address with bytes past the 4th, unknown flags, an
 * absent metric not zero, CPU idle over 1000), -EOPNOTSUPP for an unknown
 * signature type, -ENOBUFS when cap is short. */
int rpt_encode(const struct rpt_report *r, void *buf, size_t cap);

/* Decode the len bytes at buf: 0 and *out filled, or with *out untouched:
 *   -EMSGSIZE         shorter than the header, or not exactly the length
 *                     of its signature type
 *   -EBADMSG          not the magic "LVSR"
 *   -EPROTONOSUPPORT  a version other than RPT_VERSION
 *   -EOPNOTSUPP       an unknown signature type
 *   -EAFNOSUPPORT     a server family other than 4 or 6, or an IPv4
 *                     address with bytes past the 4th
 *   -EINVAL           a reserved byte or an unknown flag set, an absent
 *                     metric not zero, CPU idle over 1000
 * Decoding does not verify the signature (rpt_verify*() in report_sig.h). */
int rpt_decode(const void *buf, size_t len, struct rpt_report *out);

/* What a receiver remembers of the last report it accepted from one
 * server id. */
struct rpt_seen {
	bool valid; /* false before the first report */
	uint8_t boot_id[RPT_BOOT_ID_LEN];
	uint64_t seq;
	uint64_t time_ns;
};

/* Whether a verified report is fresh: 0, or
 *   -ETIME     its timestamp is more than max_skew_ns from now_ns
 *   -EALREADY  a replay: same boot id and a sequence not above the last
 *              one, or another boot id with a timestamp not after the
 *              last accepted report's
 * Call rpt_seen_update() once the report is accepted. */
int rpt_fresh(const struct rpt_seen *last, const struct rpt_report *r, uint64_t now_ns,
	      uint64_t max_skew_ns);
void rpt_seen_update(struct rpt_seen *last, const struct rpt_report *r);

/* The counter name of a drop reason ("size", "magic", "version", ...) for
 * the errors of rpt_decode, rpt_verify* and rpt_fresh, "unknown_server"
 * for -ENOENT, "no_key" for -ENOKEY; "other" for anything else.  Takes the
 * error or its negative. */
const char *rpt_err_name(int err);

/* "ed25519", "hmac-sha256", or "unknown". */
const char *rpt_sig_name(int sig);

#endif
