/* The IPVS adapter: the kernel's virtual server table over generic netlink.
 *
 * Three layers, each usable alone:
 *  - plain structs (struct ipvs_service, ipvs_dest, ipvs_info, ipvs_daemon);
 *  - pure builders and parsers (ipvs_msg.c): a builder fills a struct nl_msg
 *    with one complete request (nlmsghdr + genlmsghdr + attributes) for a
 *    given family id and sequence number; a parser takes one reply message
 *    as (buf, len) and returns -EBADMSG for malformed or truncated netlink
 *    framing and -EINVAL for a missing mandatory attribute or a wrong size;
 *  - the socket (ipvs_nl.c): family resolution, dumps, and one sender that
 *    batches many requests per round trip and matches every ack or error to
 *    its request by sequence number.
 * Everything returns 0 or a negative errno and logs nothing.
 */
#ifndef LVSD_IPVS_H
#define LVSD_IPVS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ip_vs.h>

struct nl_msg;

union ipvs_addr {
	struct in_addr v4;
	struct in6_addr v6;
	uint8_t bytes[16];
};

/* Counters of a service or destination (STATS64 when the kernel has it). */
struct ipvs_stats {
	uint64_t conns;
	uint64_t inpkts;
	uint64_t outpkts;
	uint64_t inbytes;
	uint64_t outbytes;
};

/* A virtual service.  Its key is (af, fwmark) for a fwmark service and
 * (af, protocol, addr, port) otherwise. */
struct ipvs_service {
	uint16_t af;	      /* AF_INET or AF_INET6 */
	uint16_t protocol;    /* IPPROTO_TCP/UDP/SCTP; 0 for a fwmark service */
	union ipvs_addr addr; /* zero for a fwmark service */
	uint16_t port;	      /* host byte order; 0 for a fwmark service */
	uint32_t fwmark;      /* non-zero: a fwmark service */
	char sched[IP_VS_SCHEDNAME_MAXLEN];
	uint32_t flags;	  /* IP_VS_SVC_F_* */
	uint32_t timeout; /* persistence timeout, seconds */
	uint32_t netmask; /* AF_INET: mask in network byte order; AF_INET6: prefix length */
	bool has_stats;	  /* parsed replies only */
	struct ipvs_stats stats;
};

/* A destination (real server) of a service. */
struct ipvs_dest {
	uint16_t af; /* family of addr; may differ from the service's (TUN) */
	union ipvs_addr addr;
	uint16_t port;	    /* host byte order */
	uint32_t fwd;	    /* IP_VS_CONN_F_MASQ, _TUNNEL or _DROUTE */
	uint8_t tun_type;   /* IP_VS_CONN_F_TUNNEL_TYPE_*; sent only for TUN */
	uint16_t tun_port;  /* host byte order; GUE only */
	uint16_t tun_flags; /* IP_VS_TUNNEL_ENCAP_FLAG_* */
	uint32_t weight;    /* 0..65535 (the kernel takes a signed int) */
	uint32_t u_threshold;
	uint32_t l_threshold;
	/* parsed replies only */
	uint32_t active_conns;
	uint32_t inact_conns;
	uint32_t persist_conns;
	bool has_stats;
	struct ipvs_stats stats;
};

struct ipvs_info {
	uint32_t version; /* e.g. 0x010201 for 1.2.1 */
	uint32_t conn_tab_size;
};

/* The connection-sync daemon. */
struct ipvs_daemon {
	uint32_t state; /* IP_VS_STATE_MASTER or IP_VS_STATE_BACKUP */
	char ifname[IP_VS_IFNAME_MAXLEN];
	uint32_t syncid;
};

/* One write request and, after ipvs_nl_send, its result.  cmd is one of
 * IPVS_CMD_{NEW,SET,DEL}_SERVICE, IPVS_CMD_{NEW,SET,DEL}_DEST and
 * IPVS_CMD_{NEW,DEL}_DAEMON; svc is used by service and dest commands,
 * dest by dest commands, daemon by daemon commands. */
struct ipvs_op {
	uint8_t cmd;
	int err; /* 0 or the kernel's -errno for this request */
	struct ipvs_service svc;
	struct ipvs_dest dest;
	struct ipvs_daemon daemon;
};

/* ---- builders (ipvs_msg.c) ----
 * Each fills an empty msg (from nlmsg_alloc) with a request carrying
 * NLM_F_REQUEST|NLM_F_ACK (dumps: NLM_F_REQUEST|NLM_F_DUMP), port id 0,
 * the given generic netlink family id and sequence number.
 * -EINVAL for a bad command or a value that cannot be encoded,
 * -EMSGSIZE when msg is too small. */
int ipvs_msg_service(struct nl_msg *msg, int family, uint32_t seq, uint8_t cmd,
		     const struct ipvs_service *svc);
int ipvs_msg_dest(struct nl_msg *msg, int family, uint32_t seq, uint8_t cmd,
		  const struct ipvs_service *svc, const struct ipvs_dest *dest);
int ipvs_msg_daemon(struct nl_msg *msg, int family, uint32_t seq, uint8_t cmd,
		    const struct ipvs_daemon *d);
int ipvs_msg_op(struct nl_msg *msg, int family, uint32_t seq, const struct ipvs_op *op);
int ipvs_msg_get_services(struct nl_msg *msg, int family, uint32_t seq);
int ipvs_msg_get_dests(struct nl_msg *msg, int family, uint32_t seq,
		       const struct ipvs_service *svc);
int ipvs_msg_get_info(struct nl_msg *msg, int family, uint32_t seq);
int ipvs_msg_get_daemons(struct nl_msg *msg, int family, uint32_t seq);

/* ---- parsers (ipvs_msg.c) ----
 * buf holds exactly one netlink message (nlmsghdr included, len its size
 * or more; trailing bytes beyond nlmsg_len are ignored). */
int ipvs_parse_service(const void *buf, size_t len, struct ipvs_service *out);
/* svc_af is the family used when the reply has no IPVS_DEST_ATTR_ADDR_FAMILY */
int ipvs_parse_dest(const void *buf, size_t len, uint16_t svc_af, struct ipvs_dest *out);
int ipvs_parse_info(const void *buf, size_t len, struct ipvs_info *out);
int ipvs_parse_daemon(const void *buf, size_t len, struct ipvs_daemon *out);
/* An NLMSG_ERROR message: *seq the request's sequence, *err its 0/-errno. */
int ipvs_parse_ack(const void *buf, size_t len, uint32_t *seq, int *err);

/* ---- batches (ipvs_batch.c): pure, no I/O ----
 * ipvs_batch_build writes the requests of ops[0..), each with sequence
 * number seq0 + i, one after another (NLMSG_ALIGN'ed) into buf, until
 * max_ops requests or until the next one does not fit in cap bytes.
 * state[i] becomes IPVS_BATCH_SENT for a request in buf (ops[i].err = -EIO
 * until its ack) or IPVS_BATCH_DONE for one that could not be built
 * (ops[i].err says why: -EINVAL, -EMSGSIZE, -ENOMEM).  Returns how many ops
 * it consumed (built or failed); *len the bytes to send. */
enum { IPVS_BATCH_DONE = 0, IPVS_BATCH_SENT = 1 };
size_t ipvs_batch_build(int family, uint32_t seq0, struct ipvs_op *ops, size_t n, size_t max_ops,
			void *buf, size_t cap, size_t *len, uint8_t *state);
/* One received datagram (len bytes, one or more netlink messages): every
 * ack or error whose sequence number is seq0 + i (i < k) for a SENT
 * request sets ops[i].err and state[i] = DONE.  Other messages and acks
 * of other requests are ignored.  Returns the number of requests it
 * answered, or -EBADMSG for broken framing or a malformed ack. */
int ipvs_batch_acks(const void *buf, size_t len, uint32_t seq0, struct ipvs_op *ops, size_t k,
		    uint8_t *state);

/* One received datagram of the dump that answers request seq: each reply
 * message of the family goes to cb.  Returns 1 when the dump ended
 * (NLMSG_DONE, an error or a single reply), 0 when more is to come, or
 * -EBADMSG for broken framing.  *err keeps the first error: the kernel's,
 * or cb's (the dump is still read to its end).  Other requests' messages
 * are ignored. */
typedef int (*ipvs_dump_cb)(const void *msg, size_t len, void *arg);
int ipvs_dump_take(const void *buf, size_t len, int family, uint32_t seq, ipvs_dump_cb cb, void *arg,
		   int *err);

/* Helpers. */
uint32_t ipvs_netmask_v4(unsigned prefix); /* network byte order */
bool ipvs_service_same_key(const struct ipvs_service *a, const struct ipvs_service *b);
bool ipvs_dest_same_key(const struct ipvs_dest *a, const struct ipvs_dest *b);
/* "tcp 192.0.2.1:80", "fwmark 7 (inet6)", "[2001:db8::1]:80" into buf; returns buf */
const char *ipvs_service_str(const struct ipvs_service *s, char *buf, size_t len);
const char *ipvs_dest_str(const struct ipvs_dest *d, char *buf, size_t len);
const char *ipvs_cmd_name(uint8_t cmd);
#define IPVS_STRLEN 80

/* ---- the socket (ipvs_nl.c) ---- */
struct ipvs_nl;

/* Connect and resolve the IPVS family: -ENOENT when the kernel has no IPVS. */
int ipvs_nl_open(struct ipvs_nl **out);
void ipvs_nl_close(struct ipvs_nl *nl);
int ipvs_nl_family(const struct ipvs_nl *nl);
int ipvs_nl_info(struct ipvs_nl *nl, struct ipvs_info *out);
/* Dumps: *out is malloc'ed (free() it); NULL with *n = 0 when empty. */
int ipvs_nl_list_services(struct ipvs_nl *nl, struct ipvs_service **out, size_t *n);
int ipvs_nl_list_dests(struct ipvs_nl *nl, const struct ipvs_service *svc, struct ipvs_dest **out,
		       size_t *n);
int ipvs_nl_list_daemons(struct ipvs_nl *nl, struct ipvs_daemon out[2], size_t *n);
/* Send n requests, as many per sendmsg as the socket buffers allow, and
 * set every ops[i].err from its ack.  Returns the number of refused
 * requests (>= 0), or a negative errno when the socket itself failed
 * (requests without an answer then carry -EIO). */
int ipvs_nl_send(struct ipvs_nl *nl, struct ipvs_op *ops, size_t n);
/* Non-blocking batches, for an event loop: watch ipvs_nl_fd for reading.
 * One batch at a time per socket, and no blocking call above (dumps,
 * info, daemons, ipvs_nl_send) while one is in flight: they would take its
 * acks.  The kernel handles a request inside sendmsg, so a batch costs the
 * caller the kernel's time for at most IPVS_BATCH_MAX requests. */
#define IPVS_BATCH_MAX 1024
struct ipvs_nl_batch {
	struct ipvs_op *ops; /* the caller's, valid until the batch completes */
	size_t k;	     /* ops in the batch */
	size_t pending;	     /* acks still expected */
	uint32_t seq0;
	uint8_t state[IPVS_BATCH_MAX];
};
int ipvs_nl_fd(const struct ipvs_nl *nl);
/* Send the first batch of ops[0..n) without waiting; b describes it.
 * Returns how many ops it took (those that could not be built already
 * carry their error), or -errno when the socket refused (the batch's ops
 * then carry -EIO). */
int ipvs_nl_batch_send(struct ipvs_nl *nl, struct ipvs_op *ops, size_t n, struct ipvs_nl_batch *b);
/* Take every datagram that has arrived, without waiting (a b with k = 0
 * drops them): returns the acks
 * still expected (0: every op of the batch has its result), or -errno when
 * the socket failed (unanswered ops keep -EIO). */
int ipvs_nl_batch_recv(struct ipvs_nl *nl, struct ipvs_nl_batch *b);
/* Non-blocking dumps, for an event loop, under the same rule (nothing else
 * on the socket meanwhile): start one of the services (svc NULL) or of
 * svc's destinations, then take at most max datagrams of it each time the
 * socket is readable.  recv returns 1 when the dump ended (its result in
 * *err), 0 when more is to come, or -errno when the socket failed.  The
 * kernel makes each part of a dump when it is read, so a dump costs the
 * loop one part (up to 128 KB of replies) per datagram taken. */
int ipvs_nl_dump_start(struct ipvs_nl *nl, const struct ipvs_service *svc, uint32_t *seq);
int ipvs_nl_dump_recv(struct ipvs_nl *nl, uint32_t seq, ipvs_dump_cb cb, void *arg, int *err,
		      unsigned max);
/* Start (state MASTER or BACKUP, ifname, syncid) or stop (state only) the sync daemon. */
int ipvs_nl_daemon_start(struct ipvs_nl *nl, const struct ipvs_daemon *d);
int ipvs_nl_daemon_stop(struct ipvs_nl *nl, uint32_t state);

/* A table: services with their destinations.  The adapter's own type;
 * ipvs_table.h diffs and applies it, ipvs_index.h looks into it. */
struct ipvs_table_svc {
	struct ipvs_service svc;
	struct ipvs_dest *dests;
	size_t n_dests;
};

struct ipvs_table {
	struct ipvs_table_svc *svcs;
	size_t n;
};

/* A list of operations, each with its result after ipvs_table_apply. */
struct ipvs_ops {
	struct ipvs_op *ops;
	size_t n, cap;
};

#endif
