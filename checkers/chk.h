/* The checkers child, inside: one struct chk_rs per real server of the
 * installed generation, its check state machine (lvsd/core/chk_fsm.c), the
 * scheduler (chk_sched.c) that fires its probes spread across the
 * interval with a timeout and retries, the connection every check runs on
 * (chk_conn.c), and one file per check type: chk_tcp.c (the connect
 * alone), chk_http.c (GET and the bounded response parser of chk_resp.c),
 * chk_https.c (the same over TLS).  A check type tells the connection
 * what to do through its struct chk_proto, and ends an attempt through
 * the scheduler's hook (chk_done): calls run down, never back up. */
#ifndef CHK_H
#define CHK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "lvsd/core/chk_fsm.h"
#include "lvsd/core/ipc.h"
#include "lvsd/core/names.h"

/* ---- the HTTP response parser (pure, bounded) ---- */

#define CHK_LINE_MAX 8192	   /* one status or header line */
#define CHK_HEADERS_MAX 100	   /* header lines */
#define CHK_BODY_MAX (1024 * 1024) /* body bytes read, digested or searched */
#define CHK_LATE_MS 100 /* a deadline this late: the loop was behind, not the server */

enum chk_resp_phase { CHK_RESP_STATUS, CHK_RESP_HEADERS, CHK_RESP_BODY, CHK_RESP_DONE };

struct chk_resp {
	enum chk_resp_phase phase;
	size_t line_len;
	unsigned n_headers;
	int status;
	long long content_length; /* -1 when not given */
	size_t body_len;
	void *md;	/* EVP_MD_CTX of the body's SHA-256, when a digest is wanted */
	char *body;	/* the body (up to CHK_BODY_MAX), when a substring is wanted */
	char line[CHK_LINE_MAX];
};

/* 0 or -ENOMEM. */
int chk_resp_init(struct chk_resp *r, bool digest, bool keep_body);
void chk_resp_free(struct chk_resp *r);
/* n more bytes: 0 (more wanted), 1 (the response is complete: its
 * Content-Length reached), or -reason (enum chk_reason) when it is bad. */
int chk_resp_feed(struct chk_resp *r, const void *p, size_t n);
/* The verdict once complete or at the end of the stream (eof): a reason
 * (CHK_R_OK when it passes) and *code (the status for CHK_R_STATUS). */
uint8_t chk_resp_judge(struct chk_resp *r, bool eof, uint16_t status, const char *digest,
		       const char *expect, int32_t *code);

/* ---- the runtime ---- */

struct chk;
struct chk_probe;
struct chk_rs;

/* What a check type does on its connection (chk_conn.c calls it): the
 * connect completed, bytes arrived, the peer closed.  read and eof may be
 * NULL for a type that ends at the connect. */
struct chk_proto {
	void (*connected)(struct chk_rs *rs);
	void (*read)(struct chk_rs *rs);
	void (*eof)(struct chk_rs *rs);
};

struct chk_rs {
	struct chk *chk;
	uint32_t service_id, rs_id;
	struct sockaddr_storage sa, src; /* src family 0: no source address */
	socklen_t sa_len, src_len;
	struct ipc_check check;
	char name[64]; /* "ADDR:PORT", for debug logs */
	struct chk_fsm fsm;
	uint8_t reason; /* of the last result */
	int32_t code;
	uint16_t tries; /* failed attempts of this round */
	struct timeval round_start;
	struct event *timer;	/* the next attempt */
	struct event *deadline; /* the running attempt's timeout */
	struct chk_probe *probe; /* the running attempt, or NULL */
};

/* A plain (TCP, HTTP) attempt runs on its socket with one edge-triggered
 * event (fd, ev): a connect, the request, the answer read as it comes, in
 * as few system calls as the check needs; a TLS one under an OpenSSL
 * bufferevent (bev). */
struct chk_probe {
	const struct chk_proto *proto;
	struct bufferevent *bev;
	struct event *ev;
	int fd;
	bool connected;
	bool extended;		/* its deadline came late once and was pushed back */
	struct timeval due;	/* when its deadline should fire */
	struct chk_resp resp; /* last: its line buffer is not cleared */
};

/* The child's state: the staged generation's servers while it arrives,
 * the installed one's running. */
struct chk {
	struct child *child;
	struct event_base *base;
	void *tls; /* SSL_CTX for https checks */
	uint64_t generation;
	uint32_t staged_services;
	struct chk_rs *staged, *rs;
	size_t n_staged, cap_staged, n_rs;
	void **ca_staged, **ca; /* X509_STORE of each IPC_CONF_CA, by id */
	size_t n_ca_staged, n_ca;
	/* the scheduler's: an attempt ended (chk_main installs chk_result) */
	void (*done)(struct chk_rs *rs, uint8_t reason, int32_t code);
};

static inline struct event_base *
chk_base(const struct chk_rs *rs)
{
	return rs->chk->base;
}

/* The SSL_CTX of https checks. */
static inline void *
chk_ssl_ctx(const struct chk_rs *rs)
{
	return rs->chk->tls;
}

/* The X509_STORE of rs's ca_file, or NULL when it has none. */
static inline void *
chk_ca_of(const struct chk_rs *rs)
{
	return rs->check.ca >= 0 && (size_t)rs->check.ca < rs->chk->n_ca
		   ? rs->chk->ca[rs->check.ca]
		   : NULL;
}

/* The attempt ended with reason (CHK_R_OK or why it failed) and code:
 * what every check type calls, through the scheduler's hook. */
static inline void
chk_done(struct chk_rs *rs, uint8_t reason, int32_t code)
{
	rs->chk->done(rs, reason, code);
}

/* chk_sched.c */
int chk_rs_start(struct chk *c, struct chk_rs *rs, size_t i, size_t n);
void chk_rs_stop(struct chk_rs *rs);
void chk_health_fill(const struct chk_rs *rs, struct ipc_health_rs *h);
/* An attempt ended: a retry, or the result into the state machine and the
 * next round.  chk_main installs it as the done hook of struct chk. */
void chk_result(struct chk_rs *rs, uint8_t reason, int32_t code);

/* chk_conn.c: connect (over ssl when not NULL: taken), then tell proto;
 * 0 or -reason. */
int chk_connect(struct chk_rs *rs, void *ssl, const struct chk_proto *proto);
uint8_t chk_errno_reason(int err);
/* At the deadline of a plain (TCP or HTTP) attempt: handle what its socket
 * has ready now.  True when that ended the attempt. */
bool chk_plain_last_look(struct chk_rs *rs);
/* chk_tcp.c */
int chk_tcp_start(struct chk_rs *rs);
/* chk_http.c */
int chk_http_start(struct chk_rs *rs);
/* the HTTP exchange on a connection, plain or TLS */
extern const struct chk_proto chk_http_proto;
/* chk_https.c */
int chk_https_start(struct chk_rs *rs);
void *chk_tls_ctx_new(void);
void chk_tls_ctx_free(void *ctx);
/* An X509_STORE of the certificates of a PEM buffer (empty when it holds
 * none: verification then fails), or NULL without memory. */
void *chk_ca_load(const void *pem, size_t len);
void chk_ca_free(void *store);
void *chk_ca_of(const struct chk_rs *rs);

#endif
