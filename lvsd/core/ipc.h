/* Messages between the lvsd parent and its children.
 *
 * A frame is a header { uint32 type; uint32 len } in host byte order (both
 * ends are processes on one host, forked from one binary) followed by len
 * bytes of payload.  Every type has one plain struct; ipc_types[] says how
 * long its payload must be.  Fixed-size types must match exactly; the few
 * variable-size ones end in an array of elements and must be their fixed
 * part plus a whole number of elements, no more than a maximum, and agree
 * with the count the fixed part carries.  Anything else is a desync.
 *
 * The codec (ipc_encode, ipc_decode) is pure: buffers in, buffers out.
 * The libevent glue (struct ipc_chan) is at the end and lives in ipc_ev.c.
 * Objects are named by ids (indexes into the parent's configuration),
 * never by pointers.
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

enum ipc_type {
	IPC_NONE = 0,
	/* parent -> child: one configuration generation */
	IPC_CONF_BEGIN,	  /* struct ipc_conf_begin */
	IPC_CONF_VRRP,	  /* struct ipc_conf_vrrp + n_vips x struct ipc_addr */
	IPC_CONF_SERVICE, /* struct ipc_conf_service */
	IPC_CONF_RS,	  /* struct ipc_conf_rs */
	IPC_CONF_KEY,	  /* struct ipc_conf_key */
	IPC_CONF_REPORTS, /* struct ipc_conf_reports */
	IPC_CONF_END,	  /* struct ipc_conf_end */
	/* child -> parent: the generation is installed */
	IPC_CONF_ACK, /* struct ipc_conf_ack */
	/* parent -> child, and the reply */
	IPC_STATUS_REQ, /* struct ipc_status_req */
	IPC_STATUS,	/* struct ipc_status */
	IPC_TYPE_COUNT
};

/* An address as the configuration has it: family is AF_INET or AF_INET6. */
struct ipc_addr {
	uint8_t family;
	uint8_t prefix;
	uint8_t pad[2];
	uint8_t addr[16];
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
	uint32_t n_vips;
	struct ipc_addr vips[]; /* n_vips of them, at most IPC_VRRP_MAX_VIPS */
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
	int32_t key; /* id of an IPC_CONF_KEY, -1 when none */
	struct ipc_check check;
};

struct ipc_conf_key {
	uint32_t id;
	uint8_t type; /* enum conf_key_type */
	uint8_t pad[3];
	char name[IPC_NAME_MAX];
	char file[IPC_PATH_MAX];
};

struct ipc_conf_reports {
	uint8_t enabled;
	uint8_t pad;
	uint16_t port;
	struct ipc_addr addr;
	uint32_t max_skew_ms;
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

/* Size rules of one type. */
struct ipc_type_info {
	const char *name;
	uint32_t size; /* fixed part: the exact size unless variable */
	bool variable; /* followed by elements of elem_size */
	uint32_t elem_size;
	uint32_t max; /* largest payload of a variable type */
};

/* A decoded message: the header and a copy of the payload, aligned. */
union ipc_body {
	struct ipc_conf_begin conf_begin;
	struct ipc_conf_end conf_end;
	struct ipc_conf_ack conf_ack;
	struct ipc_conf_vrrp conf_vrrp;
	struct ipc_conf_service conf_service;
	struct ipc_conf_rs conf_rs;
	struct ipc_conf_key conf_key;
	struct ipc_conf_reports conf_reports;
	struct ipc_status_req status_req;
	struct ipc_status status;
	unsigned char
	    raw[sizeof(struct ipc_conf_vrrp) + IPC_VRRP_MAX_VIPS * sizeof(struct ipc_addr)];
};

struct ipc_msg {
	uint32_t type;
	uint32_t len;
	union ipc_body body;
};

#define IPC_MSG_MAX (IPC_HDR_LEN + sizeof(union ipc_body))

/* The rules of a type, or NULL for an unknown one. */
const struct ipc_type_info *ipc_type_info(uint32_t type);
const char *ipc_type_name(uint32_t type);

/* Whether len bytes of payload are valid for type: 0 or -EBADMSG. */
int ipc_check_payload(uint32_t type, const void *payload, size_t len);

/* Write one frame into buf.  Returns the number of bytes written, -EBADMSG
 * when the payload breaks its type's rules, -ENOBUFS when cap is short. */
int ipc_encode(uint32_t type, const void *payload, size_t len, void *buf, size_t cap);

/* Decode the frame at the start of buf.  Returns 1 and fills *msg and
 * *consumed when a whole valid frame is there, 0 when more bytes are needed
 * (nothing written), -EBADMSG on an unknown type or a bad size: the stream
 * is out of step and must be closed. */
int ipc_decode(const void *buf, size_t len, struct ipc_msg *msg, size_t *consumed);

/* Helpers for the fixed-width text fields: copy with truncation, always
 * NUL-terminated; and read one back safely (NUL forced at the end). */
void ipc_strset(char *dst, size_t size, const char *src);
const char *ipc_strget(char *field, size_t size);

/* ---- libevent glue (ipc_ev.c) ---- */
struct event_base;
struct ipc_chan;

/* A message arrived.  The callback must not free the channel. */
typedef void (*ipc_msg_cb)(struct ipc_chan *ch, const struct ipc_msg *msg, void *arg);
/* The peer closed the socket (err 0), a read failed (-errno) or the stream
 * desynced (-EBADMSG).  No more messages will arrive; free the channel. */
typedef void (*ipc_close_cb)(struct ipc_chan *ch, int err, void *arg);

/* Take over fd (a connected SOCK_STREAM socket; it is closed by ipc_chan_free). */
int ipc_chan_new(struct event_base *base, int fd, ipc_msg_cb on_msg, ipc_close_cb on_close,
		 void *arg, struct ipc_chan **out);
void ipc_chan_free(struct ipc_chan *ch);
/* Queue one message; 0 or -errno (-EBADMSG when the payload breaks its rules). */
int ipc_send(struct ipc_chan *ch, uint32_t type, const void *payload, size_t len);

#endif
