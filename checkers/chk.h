/* The checkers child, inside: one struct chk_rs per real server of the
 * installed generation, its check state machine (lvsd/core/chk_fsm.c), the
 * scheduler (chk_sched.c) that fires its probes spread across the
 * interval with a timeout and retries, and one file per check type:
 * chk_tcp.c (the connect every type starts with), chk_http.c (GET and the
 * bounded response parser of chk_resp.c), chk_https.c (the same over TLS). */
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
};

/* chk_sched.c */
int chk_rs_start(struct chk *c, struct chk_rs *rs, size_t i, size_t n);
void chk_rs_stop(struct chk_rs *rs);
void chk_health_fill(const struct chk_rs *rs, struct ipc_health_rs *h);
struct event_base *chk_base(const struct chk_rs *rs);
void *chk_ssl_ctx(const struct chk_rs *rs);
/* The attempt ended with reason (CHK_R_OK or why it failed) and code. */
void chk_done(struct chk_rs *rs, uint8_t reason, int32_t code);

/* chk_tcp.c: connect (over ssl when not NULL: taken); 0 or -reason. */
int chk_connect(struct chk_rs *rs, void *ssl);
uint8_t chk_errno_reason(int err);
int chk_tcp_start(struct chk_rs *rs);
/* At the deadline of a plain (TCP or HTTP) attempt: handle what its socket
 * has ready now.  True when that ended the attempt. */
bool chk_plain_last_look(struct chk_rs *rs);
/* chk_http.c */
int chk_http_start(struct chk_rs *rs);
void chk_http_connected(struct chk_rs *rs);
void chk_http_read(struct chk_rs *rs);
void chk_http_eof(struct chk_rs *rs);
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
