/* The weight child's receiver (weight/wt_recv.c) on a generation built as
 * the parent's messages build it (weight/wt_gen.c): reports made with the
 * codec and signed with fresh keys, passed to wt_recv_one directly.  Each
 * drop reason, what port 0 names, two keys while rotating, a dropped
 * report changing nothing, and what a reload carries over. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/pem.h>

#include "weight/wt.h"
#include "weight/wt_ratelimit.h"

#define NOW_NS 1700000000000000000ull
#define NOW_MS 5000000ull
#define SEC_NS 1000000000ull

/* ------------------------------------------------------------- building */

/* The bytes the parent reads from a key file: the public key's PEM for
 * Ed25519, the secret as hexadecimal for HMAC. */
static size_t
key_bytes(const struct rpt_key *k, uint8_t *out, size_t cap)
{
	if (k->sig == RPT_SIG_HMAC_SHA256) {
		size_t n = 0;

		for (size_t i = 0; i < k->secret_len; i++)
			n += (size_t)snprintf((char *)out + n, cap - n, "%02x", k->secret[i]);
		out[n++] = '\n';
		return n;
	}
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;

	assert_non_null(b);
	assert_int_equal(PEM_write_bio_PUBKEY(b, k->pkey), 1);
	n = BIO_get_mem_data(b, &p);
	assert_true(n > 0 && (size_t)n <= cap);
	memcpy(out, p, (size_t)n);
	BIO_free(b);
	return (size_t)n;
}

/* Key id in g: k's verifying bytes, or none at all (unreadable) when k is
 * NULL. */
static void
gen_key(struct wt_gen *g, uint32_t id, int sig, const struct rpt_key *k)
{
	struct ipc_conf_key *m = calloc(1, sizeof(*m) + IPC_KEY_MAX);

	assert_non_null(m);
	m->id = id;
	m->type = sig == RPT_SIG_HMAC_SHA256 ? CONF_KEY_HMAC : CONF_KEY_ED25519;
	snprintf(m->name, sizeof(m->name), "key%u", id);
	m->len = k ? (uint32_t)key_bytes(k, m->material, IPC_KEY_MAX) : 0;
	assert_int_equal(wt_gen_key(g, m), 0);
	free(m);
}

static void
gen_service(struct wt_gen *g, uint32_t id, const char *name, enum conf_policy policy, uint32_t n_rs)
{
	struct ipc_conf_service s = {
	    .id = id,
	    .policy = (uint8_t)policy,
	    .mem_per_proc_kb = 3500,
	    .max_step = 10,
	    .smoothing = 30,
	    .band = 4,
	    .write_threshold = 5,
	    .warmup_ms = 60000,
	    .stale_after_ms = 180000,
	    .expire_after_ms = 600000,
	    .n_rs = n_rs,
	};

	snprintf(s.name, sizeof(s.name), "%s", name);
	assert_int_equal(wt_gen_service(g, &s), 0);
}

static void
gen_rs_w(struct wt_gen *g, uint32_t svc, uint32_t id, const char *addr, uint16_t port, int32_t key,
	 int32_t key2, uint32_t weight)
{
	struct ipc_conf_rs m = {
	    .service_id = svc, .id = id, .port = port, .weight = weight, .key = key, .key2 = key2};

	if (inet_pton(AF_INET, addr, m.addr.addr) == 1) {
		m.addr.family = AF_INET;
		m.addr.prefix = 32;
	} else {
		assert_int_equal(inet_pton(AF_INET6, addr, m.addr.addr), 1);
		m.addr.family = AF_INET6;
		m.addr.prefix = 128;
	}
	assert_int_equal(wt_gen_rs(g, &m), 0);
}

static void
gen_rs(struct wt_gen *g, uint32_t svc, uint32_t id, const char *addr, uint16_t port, int32_t key,
       int32_t key2)
{
	gen_rs_w(g, svc, id, addr, port, key, key2, 100);
}

static void
gen_begin(struct wt_gen *g)
{
	memset(g, 0, sizeof(*g));
	g->sock = -1;
	g->generation = 1;
	g->rep = (struct ipc_conf_reports){.enabled = 1,
					   .port = RPT_DEFAULT_PORT,
					   .max_skew_ms = 30000,
					   .round_ms = 1000,
					   .rate_limit = 50};
}

/* The fixture: keys A (Ed25519) and B (HMAC) and C (Ed25519, configured
 * nowhere); key ids 0 = A, 1 = B, 2 = an unreadable key.
 *   service web (damped): 198.51.100.11:80 (A), 198.51.100.12:80 (B),
 *                         198.51.100.13:80 (none), 198.51.100.14:80 (the
 *                         unreadable key)
 *   service tls (damped): 198.51.100.11:443 (A), 2001:db8::11 port 0 (A)
 */
struct fx {
	struct wt_gen g;
	struct rpt_key a, b, c;
};

static void
fx_gen(struct fx *f, struct wt_gen *g, const char *web_name)
{
	gen_begin(g);
	gen_key(g, 0, RPT_SIG_ED25519, &f->a);
	gen_key(g, 1, RPT_SIG_HMAC_SHA256, &f->b);
	gen_key(g, 2, RPT_SIG_ED25519, NULL);
	gen_service(g, 0, web_name, CONF_POLICY_DAMPED, 4);
	gen_rs(g, 0, 0, "198.51.100.11", 80, 0, -1);
	gen_rs(g, 0, 1, "198.51.100.12", 80, 1, -1);
	gen_rs(g, 0, 2, "198.51.100.13", 80, -1, -1);
	gen_rs(g, 0, 3, "198.51.100.14", 80, 2, -1);
	gen_service(g, 1, "tls", CONF_POLICY_DAMPED, 2);
	gen_rs(g, 1, 0, "198.51.100.11", 443, 0, -1);
	gen_rs(g, 1, 1, "2001:db8::11", 0, 0, -1);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(rpt_key_generate(RPT_SIG_ED25519, &f->a), 0);
	assert_int_equal(rpt_key_generate(RPT_SIG_HMAC_SHA256, &f->b), 0);
	assert_int_equal(rpt_key_generate(RPT_SIG_ED25519, &f->c), 0);
	fx_gen(f, &f->g, "web");
	assert_int_equal(wt_gen_commit(&f->g, NULL, NOW_MS), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	wt_gen_free(&f->g);
	rpt_key_free(&f->a);
	rpt_key_free(&f->b);
	rpt_key_free(&f->c);
	free(f);
	return 0;
}

/* --------------------------------------------------------------- reports */

struct dgram {
	uint8_t b[RPT_MAX_LEN];
	size_t len;
};

static void
report_of(struct rpt_report *r, const char *addr, uint16_t port, uint64_t seq, uint64_t time_ns)
{
	memset(r, 0, sizeof(*r));
	r->sig = RPT_SIG_ED25519;
	r->window_ms = 5000;
	if (inet_pton(AF_INET, addr, r->server.addr) == 1) {
		r->server.family = AF_INET;
	} else {
		assert_int_equal(inet_pton(AF_INET6, addr, r->server.addr), 1);
		r->server.family = AF_INET6;
	}
	r->server.port = port;
	memset(r->boot_id, 0xb0, sizeof(r->boot_id));
	r->seq = seq;
	r->time_ns = time_ns;
	r->m.flags = RPT_HAS_MEM | RPT_HAS_PROCS | RPT_HAS_CPU_IDLE;
	r->m.mem_available_kb = 1000000 + seq;
	r->m.mem_total_kb = 2000000;
	r->m.procs_running = 2;
	r->m.cpu_idle_pm = 900;
}

/* r encoded and signed with k (its type taken from k) */
static struct dgram
sign(struct rpt_report *r, const struct rpt_key *k)
{
	struct dgram d;
	int n;

	r->sig = (uint8_t)k->sig;
	n = rpt_encode(r, d.b, sizeof(d.b));
	assert_true(n > 0);
	d.len = (size_t)n;
	assert_int_equal(rpt_sign(k, d.b, d.len), 0);
	return d;
}

static struct dgram
mk(const struct rpt_key *k, const char *addr, uint16_t port, uint64_t seq, uint64_t time_ns)
{
	struct rpt_report r;

	report_of(&r, addr, port, seq, time_ns);
	return sign(&r, k);
}

static struct sockaddr_storage
src4(uint32_t host)
{
	struct sockaddr_storage ss = {0};
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(host);
	return ss;
}

/* the drop reason of d received now (WT_DROP_COUNT: accepted) */
static unsigned
recv_at(struct wt_gen *g, struct wt_rl *rl, const struct dgram *d, uint64_t now_ns, uint64_t now_ms)
{
	struct sockaddr_storage src = src4(0xcb007101); /* 203.0.113.1 */
	int r = wt_recv_one(g, rl, d->b, d->len, &src, now_ns, now_ms);

	return r == 0 ? WT_DROP_COUNT : wt_drop_of(r);
}

static unsigned
rx(struct wt_gen *g, const struct dgram *d)
{
	return recv_at(g, NULL, d, NOW_NS, NOW_MS);
}

/* The real server of service svc, index id. */
static struct wt_rs *
rs_of(struct wt_gen *g, uint32_t svc, uint32_t id)
{
	return &g->rs[g->svcs[svc].first + id];
}

/* ----------------------------------------------------------------- tests */

static void
test_accepted(void **state)
{
	struct fx *f = *state;
	struct dgram d = mk(&f->a, "198.51.100.11", 80, 1, NOW_NS);
	struct wt_rs *rs = rs_of(&f->g, 0, 0);
	struct ipc_weight props[8];
	struct ipc_feedback_rs fb;
	size_t n;

	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	assert_true(rs->has_report);
	assert_int_equal(rs->reports, 1);
	assert_int_equal(rs->seen.seq, 1);
	assert_int_equal(rs->last.mem_available_kb, 1000001);
	assert_int_equal(rs->last_mono_ms, NOW_MS);
	assert_true(rs->dirty);
	assert_true(f->g.svcs[0].prs[0].has_report);
	/* only that server: not the same address's :443 in tls */
	assert_false(rs_of(&f->g, 1, 0)->has_report);
	assert_false(rs_of(&f->g, 0, 1)->has_report);

	/* the next round proposes weights for web (a report arrived), warming */
	assert_int_equal(wt_round_compute(&f->g, NOW_MS + 1000, props, &n), 0);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(props[i].service_id, 0);
	wt_feedback_of(&f->g, rs, &fb);
	assert_int_equal(fb.state, WT_FB_WARMING);
	assert_int_equal(fb.reports, 1);
	assert_int_equal(fb.mem_total_kb, 2000000);

	/* HMAC, for the server keyed with B */
	d = mk(&f->b, "198.51.100.12", 80, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	assert_int_equal(rs_of(&f->g, 0, 1)->reports, 1);
	/* a later sequence, and a new boot id with a later time */
	d = mk(&f->a, "198.51.100.11", 80, 2, NOW_NS + 1);
	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	{
		struct rpt_report r;

		report_of(&r, "198.51.100.11", 80, 1, NOW_NS + 2);
		memset(r.boot_id, 0xb1, sizeof(r.boot_id));
		d = sign(&r, &f->a);
		assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	}
	assert_int_equal(rs->reports, 3);
	/* IPv6, a server configured with port 0 */
	d = mk(&f->a, "2001:db8::11", 0, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	assert_int_equal(rs_of(&f->g, 1, 1)->reports, 1);
}

/* the codec's refusals */
static void
test_drop_decode(void **state)
{
	struct fx *f = *state;
	struct dgram good = mk(&f->a, "198.51.100.11", 80, 1, NOW_NS), d;

	d = good;
	d.len--;
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIZE);
	d.len = 10;
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIZE);
	d.len = 0;
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIZE);
	d = good;
	d.b[0] ^= 0x01;
	assert_int_equal(rx(&f->g, &d), WT_DROP_MAGIC);
	d = good;
	d.b[4] = RPT_VERSION + 1;
	assert_int_equal(rx(&f->g, &d), WT_DROP_VERSION);
	d = good;
	d.b[5] = 9;
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIG_TYPE);
	d = good;
	d.b[6] = 5;
	assert_int_equal(rx(&f->g, &d), WT_DROP_FAMILY);
	d = good;
	d.b[7] = 1; /* reserved */
	assert_int_equal(rx(&f->g, &d), WT_DROP_MALFORMED);
	/* still nothing was accepted: the good one is */
	assert_int_equal(rs_of(&f->g, 0, 0)->reports, 0);
	assert_int_equal(rx(&f->g, &good), WT_DROP_COUNT);
}

static void
test_drop_signature(void **state)
{
	struct fx *f = *state;
	struct dgram good = mk(&f->a, "198.51.100.11", 80, 1, NOW_NS), d;

	/* a bit flipped in the metrics, in the sequence, in the signature */
	d = good;
	d.b[70] ^= 0x10; /* MemAvailable */
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIGNATURE);
	d = good;
	d.b[55] ^= 0x04; /* the sequence's last byte: 1 becomes 5, still fresh */
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIGNATURE);
	d = good;
	d.b[d.len - 1] ^= 0x80;
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIGNATURE);
	/* signed with a key no server has */
	d = mk(&f->c, "198.51.100.11", 80, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIGNATURE);
	/* HMAC for a server with an Ed25519 key, and the other way round */
	d = mk(&f->b, "198.51.100.11", 80, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIGNATURE);
	d = mk(&f->a, "198.51.100.12", 80, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIGNATURE);
	/* another server's key */
	d = mk(&f->a, "198.51.100.12", 80, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_SIGNATURE);
	assert_int_equal(rs_of(&f->g, 0, 0)->reports, 0);
	assert_int_equal(rs_of(&f->g, 0, 1)->reports, 0);
	assert_int_equal(rx(&f->g, &good), WT_DROP_COUNT);
}

static void
test_drop_replay_skew(void **state)
{
	struct fx *f = *state;
	struct dgram d5 = mk(&f->a, "198.51.100.11", 80, 5, NOW_NS), d;
	struct rpt_report r;

	assert_int_equal(rx(&f->g, &d5), WT_DROP_COUNT);
	assert_int_equal(rx(&f->g, &d5), WT_DROP_REPLAY);  /* the same datagram */
	d = mk(&f->a, "198.51.100.11", 80, 4, NOW_NS + 1); /* an older sequence */
	assert_int_equal(rx(&f->g, &d), WT_DROP_REPLAY);
	d = mk(&f->a, "198.51.100.11", 80, 5, NOW_NS + 1); /* the same sequence */
	assert_int_equal(rx(&f->g, &d), WT_DROP_REPLAY);
	/* another boot id, not later than the last accepted */
	report_of(&r, "198.51.100.11", 80, 100, NOW_NS);
	memset(r.boot_id, 0xee, sizeof(r.boot_id));
	d = sign(&r, &f->a);
	assert_int_equal(rx(&f->g, &d), WT_DROP_REPLAY);
	/* max_skew is 30 s: beyond it either way is skew, within is fine */
	d = mk(&f->a, "198.51.100.11", 80, 6, NOW_NS + 31 * SEC_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_SKEW);
	d = mk(&f->a, "198.51.100.11", 80, 6, NOW_NS - 31 * SEC_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_SKEW);
	/* the skew of a server with no report yet */
	d = mk(&f->b, "198.51.100.12", 80, 1, NOW_NS + 3600 * SEC_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_SKEW);
	d = mk(&f->a, "198.51.100.11", 80, 6, NOW_NS + 29 * SEC_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	assert_int_equal(rs_of(&f->g, 0, 0)->reports, 2);
	/* the same datagram later, within the skew: still a replay */
	assert_int_equal(recv_at(&f->g, NULL, &d, NOW_NS + 29 * SEC_NS, NOW_MS + 29000),
			 WT_DROP_REPLAY);
}

static void
test_drop_unknown_nokey(void **state)
{
	struct fx *f = *state;
	struct dgram d;

	d = mk(&f->a, "198.51.100.99", 80, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_UNKNOWN);
	d = mk(&f->a, "198.51.100.11", 8080, 1, NOW_NS); /* a known address, another port */
	assert_int_equal(rx(&f->g, &d), WT_DROP_UNKNOWN);
	d = mk(&f->a, "2001:db8::12", 0, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_UNKNOWN);
	/* configured without a key, with a key the parent could not read */
	d = mk(&f->a, "198.51.100.13", 80, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_NO_KEY);
	d = mk(&f->a, "198.51.100.14", 80, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_NO_KEY);
	assert_false(f->g.keys[2].usable);
	assert_false(rs_of(&f->g, 0, 2)->has_report);
	assert_false(rs_of(&f->g, 0, 3)->has_report);
}

static void
test_drop_rate(void **state)
{
	struct fx *f = *state;
	struct sockaddr_storage s1 = src4(0xcb007101), s2 = src4(0xcb007102);
	struct wt_rl *rl;
	uint64_t seq = 1;
	int r;

	/* 1 per second, a burst of 3 */
	assert_int_equal(wt_rl_new(64, 1, 3, 7, &rl), 0);
	for (int i = 0; i < 3; i++, seq++) {
		struct dgram d = mk(&f->a, "198.51.100.11", 80, seq, NOW_NS + seq);

		assert_int_equal(wt_recv_one(&f->g, rl, d.b, d.len, &s1, NOW_NS, NOW_MS), 0);
	}
	{
		struct dgram d = mk(&f->a, "198.51.100.11", 80, seq, NOW_NS + seq);

		r = wt_recv_one(&f->g, rl, d.b, d.len, &s1, NOW_NS, NOW_MS);
		assert_int_equal(wt_drop_of(r), WT_DROP_RATE);
		/* another source has its own bucket */
		assert_int_equal(wt_recv_one(&f->g, rl, d.b, d.len, &s2, NOW_NS, NOW_MS), 0);
		seq++;
	}
	{
		/* a second later, one more */
		struct dgram d = mk(&f->a, "198.51.100.11", 80, seq, NOW_NS + seq);

		assert_int_equal(wt_recv_one(&f->g, rl, d.b, d.len, &s1, NOW_NS, NOW_MS + 1000), 0);
	}
	/* replays and unknown servers are dropped before the rate: they take
	 * no token from the source */
	{
		struct dgram d = mk(&f->a, "198.51.100.11", 80, 1, NOW_NS + 1);

		for (int i = 0; i < 10; i++) {
			r = wt_recv_one(&f->g, rl, d.b, d.len, &s2, NOW_NS, NOW_MS + 1000);
			assert_int_equal(wt_drop_of(r), WT_DROP_REPLAY);
		}
	}
	assert_int_equal(rs_of(&f->g, 0, 0)->reports, 5);
	wt_rl_free(rl);
}

static void
test_port0(void **state)
{
	struct fx *f = *state;
	struct dgram d = mk(&f->a, "198.51.100.11", 0, 1, NOW_NS);

	/* port 0 names :80 in web and :443 in tls, both keyed with A */
	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	assert_int_equal(rs_of(&f->g, 0, 0)->reports, 1);
	assert_int_equal(rs_of(&f->g, 1, 0)->reports, 1);
	assert_true(f->g.svcs[0].prs[0].has_report);
	assert_true(f->g.svcs[1].prs[0].has_report);
	assert_false(rs_of(&f->g, 0, 1)->has_report);
	/* a port's own report afterwards is a replay for that port's server
	 * (the same boot id and sequence) */
	d = mk(&f->a, "198.51.100.11", 443, 1, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_REPLAY);
	d = mk(&f->a, "198.51.100.11", 443, 2, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	assert_int_equal(rs_of(&f->g, 0, 0)->reports, 1);
	assert_int_equal(rs_of(&f->g, 1, 0)->reports, 2);
	/* port 0 again: :80 is fresh at 2, :443 is not: only :80 takes it */
	d = mk(&f->a, "198.51.100.11", 0, 2, NOW_NS);
	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	assert_int_equal(rs_of(&f->g, 0, 0)->reports, 2);
	assert_int_equal(rs_of(&f->g, 1, 0)->reports, 2);
}

/* Port 0 over servers with different keys: each takes only what its own
 * key signed. */
static void
test_port0_keys(void **state)
{
	struct fx *f = *state;
	struct wt_gen g;
	struct dgram d;

	gen_begin(&g);
	gen_key(&g, 0, RPT_SIG_ED25519, &f->a);
	gen_key(&g, 1, RPT_SIG_ED25519, &f->c);
	gen_service(&g, 0, "web", CONF_POLICY_DAMPED, 2);
	gen_rs(&g, 0, 0, "198.51.100.11", 80, 0, -1);
	gen_rs(&g, 0, 1, "198.51.100.11", 81, 1, -1);
	assert_int_equal(wt_gen_commit(&g, NULL, NOW_MS), 0);
	d = mk(&f->c, "198.51.100.11", 0, 1, NOW_NS);
	assert_int_equal(rx(&g, &d), WT_DROP_COUNT);
	assert_int_equal(rs_of(&g, 0, 0)->reports, 0);
	assert_false(rs_of(&g, 0, 0)->seen.valid);
	assert_int_equal(rs_of(&g, 0, 1)->reports, 1);
	d = mk(&f->a, "198.51.100.11", 0, 1, NOW_NS);
	assert_int_equal(rx(&g, &d), WT_DROP_COUNT);
	assert_int_equal(rs_of(&g, 0, 0)->reports, 1);
	assert_int_equal(rs_of(&g, 0, 1)->reports, 1);
	d = mk(&f->b, "198.51.100.11", 0, 2, NOW_NS);
	assert_int_equal(rx(&g, &d), WT_DROP_SIGNATURE);
	wt_gen_free(&g);
}

static void
test_rotation(void **state)
{
	struct fx *f = *state;
	struct rpt_key d_key;
	struct wt_gen g;
	struct dgram d;

	assert_int_equal(rpt_key_generate(RPT_SIG_ED25519, &d_key), 0);
	gen_begin(&g);
	gen_key(&g, 0, RPT_SIG_ED25519, &f->a); /* old */
	gen_key(&g, 1, RPT_SIG_ED25519, &f->c); /* new */
	gen_service(&g, 0, "web", CONF_POLICY_DAMPED, 1);
	gen_rs(&g, 0, 0, "198.51.100.11", 80, 0, 1);
	assert_int_equal(wt_gen_commit(&g, NULL, NOW_MS), 0);
	d = mk(&f->a, "198.51.100.11", 80, 1, NOW_NS);
	assert_int_equal(rx(&g, &d), WT_DROP_COUNT);
	d = mk(&f->c, "198.51.100.11", 80, 2, NOW_NS);
	assert_int_equal(rx(&g, &d), WT_DROP_COUNT);
	d = mk(&f->a, "198.51.100.11", 80, 3, NOW_NS); /* either, in any order */
	assert_int_equal(rx(&g, &d), WT_DROP_COUNT);
	d = mk(&d_key, "198.51.100.11", 80, 4, NOW_NS); /* a third: refused */
	assert_int_equal(rx(&g, &d), WT_DROP_SIGNATURE);
	assert_int_equal(rs_of(&g, 0, 0)->reports, 3);
	assert_int_equal(rs_of(&g, 0, 0)->seen.seq, 3);
	wt_gen_free(&g);
	rpt_key_free(&d_key);
}

/* Everything a report can change, copied. */
struct snap {
	struct wt_rs rs[8];
	struct wt_policy_rs prs[2][4];
	struct ipc_feedback_rs fb[8];
};

static void
snap_take(const struct wt_gen *g, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	assert_true(g->n_rs <= 8);
	memcpy(s->rs, g->rs, g->n_rs * sizeof(g->rs[0]));
	for (size_t i = 0; i < g->n_svcs; i++)
		memcpy(s->prs[i], g->svcs[i].prs, g->svcs[i].n_rs * sizeof(g->svcs[i].prs[0]));
	for (size_t i = 0; i < g->n_rs; i++)
		wt_feedback_of(g, &g->rs[i], &s->fb[i]);
}

static void
test_drop_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct dgram good = mk(&f->a, "198.51.100.11", 0, 7, NOW_NS), bad[24];
	struct ipc_weight props[8];
	struct snap before, after;
	struct rpt_report r;
	struct wt_rl *rl;
	size_t n = 0, k = 0;

	assert_int_equal(rx(&f->g, &good), WT_DROP_COUNT);
	good = mk(&f->b, "198.51.100.12", 80, 7, NOW_NS);
	assert_int_equal(rx(&f->g, &good), WT_DROP_COUNT);
	assert_int_equal(wt_round_compute(&f->g, NOW_MS + 1000, props, &n), 0);
	assert_true(n > 0);
	for (size_t i = 0; i < f->g.n_rs; i++)
		f->g.rs[i].dirty = false; /* as after sending feedback */
	snap_take(&f->g, &before);

	bad[k] = mk(&f->a, "198.51.100.11", 80, 8, NOW_NS);
	bad[k++].len--;
	bad[k] = mk(&f->a, "198.51.100.11", 80, 8, NOW_NS);
	bad[k++].b[0] = 'X';
	bad[k] = mk(&f->a, "198.51.100.11", 80, 8, NOW_NS);
	bad[k++].b[4] = 7;
	bad[k] = mk(&f->a, "198.51.100.11", 80, 8, NOW_NS);
	bad[k++].b[90] ^= 1;
	bad[k] = mk(&f->a, "198.51.100.11", 0, 8, NOW_NS);
	bad[k++].b[RPT_SIGNED_LEN] ^= 1;
	bad[k++] = mk(&f->c, "198.51.100.11", 0, 8, NOW_NS);
	bad[k++] = mk(&f->b, "198.51.100.11", 80, 8, NOW_NS);
	bad[k++] = mk(&f->a, "198.51.100.12", 80, 8, NOW_NS);
	bad[k++] = mk(&f->a, "198.51.100.11", 0, 7, NOW_NS); /* replay */
	bad[k++] = mk(&f->a, "198.51.100.11", 80, 6, NOW_NS + 5);
	bad[k++] = mk(&f->b, "198.51.100.12", 80, 7, NOW_NS);
	bad[k++] = mk(&f->a, "198.51.100.11", 80, 8, NOW_NS + 60 * SEC_NS);
	bad[k++] = mk(&f->a, "198.51.100.11", 80, 8, NOW_NS - 60 * SEC_NS);
	bad[k++] = mk(&f->a, "198.51.100.99", 80, 8, NOW_NS);
	bad[k++] = mk(&f->a, "198.51.100.13", 80, 8, NOW_NS);
	bad[k++] = mk(&f->a, "198.51.100.14", 80, 8, NOW_NS);
	report_of(&r, "198.51.100.11", 80, 1000, NOW_NS);
	memset(r.boot_id, 0x77, sizeof(r.boot_id)); /* a new boot, not later */
	bad[k++] = sign(&r, &f->a);
	for (size_t i = 0; i < k; i++)
		assert_int_not_equal(rx(&f->g, &bad[i]), WT_DROP_COUNT);
	/* over the rate: the source's bucket is empty */
	assert_int_equal(wt_rl_new(8, 1, 1, 1, &rl), 0);
	{
		struct sockaddr_storage s = src4(0xcb007109);

		assert_true(wt_rl_allow(rl, &s, NOW_MS));
		good = mk(&f->a, "198.51.100.11", 80, 8, NOW_NS);
		assert_int_equal(
		    wt_drop_of(wt_recv_one(&f->g, rl, good.b, good.len, &s, NOW_NS, NOW_MS)),
		    WT_DROP_RATE);
	}
	wt_rl_free(rl);
	snap_take(&f->g, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	/* and the next round proposes nothing new */
	assert_int_equal(wt_round_compute(&f->g, NOW_MS + 1000, props, &n), 0);
	assert_int_equal(n, 0);
}

static void
test_reload(void **state)
{
	struct fx *f = *state;
	struct dgram d = mk(&f->a, "198.51.100.11", 0, 3, NOW_NS);
	struct ipc_weight props[8];
	struct wt_gen g2, g3;
	size_t n;

	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	assert_int_equal(wt_round_compute(&f->g, NOW_MS + 1000, props, &n), 0);
	/* the same configuration, as a reload sends it */
	fx_gen(f, &g2, "web");
	assert_int_equal(wt_gen_commit(&g2, &f->g, NOW_MS + 1500), 0);
	for (uint32_t s = 0; s < 2; s++) {
		struct wt_rs *o = rs_of(&f->g, s, 0), *w = rs_of(&g2, s, 0);

		assert_memory_equal(&o->seen, &w->seen, sizeof(o->seen));
		assert_int_equal(w->reports, 1);
		assert_true(w->has_report);
		assert_memory_equal(&o->last, &w->last, sizeof(o->last));
		assert_int_equal(w->last_mono_ms, o->last_mono_ms);
		assert_memory_equal(&f->g.svcs[s].prs[0], &g2.svcs[s].prs[0],
				    sizeof(g2.svcs[s].prs[0]));
		assert_int_equal(g2.svcs[s].prs[0].state, WT_FB_WARMING);
		assert_true(w->dirty);
		assert_false(w->proposed); /* the parent's new generation is told again */
		/* its feedback, sent before the next round, says what it was */
		{
			struct ipc_feedback_rs a, b;

			wt_feedback_of(&f->g, o, &a);
			wt_feedback_of(&g2, w, &b);
			assert_memory_equal(&a, &b, sizeof(a));
			assert_int_equal(b.state, WT_FB_WARMING);
		}
	}
	/* the replay protection carried over too */
	assert_int_equal(rx(&g2, &d), WT_DROP_REPLAY);
	d = mk(&f->a, "198.51.100.11", 80, 4, NOW_NS);
	assert_int_equal(rx(&g2, &d), WT_DROP_COUNT);
	assert_int_equal(rs_of(&g2, 0, 0)->reports, 2);
	assert_int_equal(wt_round_compute(&g2, NOW_MS + 2000, props, &n), 0);
	assert_true(n > 0);

	/* web renamed: its servers start over; tls keeps its own */
	fx_gen(f, &g3, "www");
	assert_int_equal(wt_gen_commit(&g3, &g2, NOW_MS + 2500), 0);
	assert_false(rs_of(&g3, 0, 0)->has_report);
	assert_int_equal(rs_of(&g3, 0, 0)->reports, 0);
	assert_int_equal(g3.svcs[0].prs[0].state, WT_FB_UNKNOWN);
	assert_int_equal(rs_of(&g3, 1, 0)->reports, 1);
	assert_int_equal(g3.svcs[1].prs[0].state, WT_FB_WARMING);
	d = mk(&f->a, "198.51.100.11", 80, 3, NOW_NS);
	assert_int_equal(rx(&g3, &d), WT_DROP_COUNT);
	wt_gen_free(&g2);
	wt_gen_free(&g3);
}

/* A reload that moves a server to another port, or drops it: nothing is
 * carried to a server that is not the same. */
static void
test_reload_moved(void **state)
{
	struct fx *f = *state;
	struct dgram d = mk(&f->a, "198.51.100.11", 80, 3, NOW_NS);
	struct wt_gen g2;

	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	gen_begin(&g2);
	gen_key(&g2, 0, RPT_SIG_ED25519, &f->a);
	gen_service(&g2, 0, "web", CONF_POLICY_DAMPED, 2);
	gen_rs(&g2, 0, 0, "198.51.100.11", 8080, 0, -1);
	gen_rs(&g2, 0, 1, "198.51.100.11", 80, 0, -1);
	assert_int_equal(wt_gen_commit(&g2, &f->g, NOW_MS), 0);
	assert_false(rs_of(&g2, 0, 0)->has_report);
	assert_true(rs_of(&g2, 0, 1)->has_report);
	assert_int_equal(rs_of(&g2, 0, 1)->seen.seq, 3);
	assert_true(g2.svcs[0].prs[1].has_report);
	assert_false(g2.svcs[0].prs[0].has_report);
	wt_gen_free(&g2);
}

/* A reload that changes the damped unit (a server of weight 1 joins
 * servers of weight 100) or a static weight: the weights carried over keep
 * their place relative to the static weights, in the new unit. */
static void
test_reload_unit(void **state)
{
	struct fx *f = *state;
	struct dgram d = mk(&f->a, "198.51.100.11", 80, 3, NOW_NS);
	struct ipc_weight props[8];
	struct wt_gen g2;
	uint64_t before, after;
	size_t n;

	assert_int_equal(rx(&f->g, &d), WT_DROP_COUNT);
	for (int i = 1; i <= 20; i++) /* warmed in and moved away from static */
		assert_int_equal(wt_round_compute(&f->g, NOW_MS + i * 1000ull, props, &n), 0);
	assert_int_equal(f->g.svcs[0].pool.unit, 10);
	before = (uint64_t)f->g.svcs[0].prs[0].weight * 1000000 /
		 (f->g.svcs[0].prs[0].static_weight * f->g.svcs[0].pool.unit);

	gen_begin(&g2);
	gen_key(&g2, 0, RPT_SIG_ED25519, &f->a);
	gen_service(&g2, 0, "web", CONF_POLICY_DAMPED, 3);
	gen_rs_w(&g2, 0, 0, "198.51.100.11", 80, 0, -1, 100);
	gen_rs_w(&g2, 0, 1, "198.51.100.12", 80, 0, -1, 100);
	gen_rs_w(&g2, 0, 2, "198.51.100.21", 80, 0, -1, 1);
	assert_int_equal(wt_gen_commit(&g2, &f->g, NOW_MS + 20500), 0);
	assert_int_not_equal(g2.svcs[0].pool.unit, 10);
	after = (uint64_t)g2.svcs[0].prs[0].weight * 1000000 /
		(g2.svcs[0].prs[0].static_weight * g2.svcs[0].pool.unit);
	assert_true(before - after < 100 || after - before < 100); /* 0.01% */
	assert_int_equal(g2.svcs[0].prs[0].proposed, g2.svcs[0].prs[0].weight);
	/* a server untouched by reports sits at its static weight, new unit */
	assert_int_equal(g2.svcs[0].prs[1].weight, 100 * g2.svcs[0].pool.unit);
	wt_gen_free(&g2);

	/* the static weight doubled: the weight doubles with it */
	gen_begin(&g2);
	gen_key(&g2, 0, RPT_SIG_ED25519, &f->a);
	gen_service(&g2, 0, "web", CONF_POLICY_DAMPED, 2);
	gen_rs_w(&g2, 0, 0, "198.51.100.11", 80, 0, -1, 200);
	gen_rs_w(&g2, 0, 1, "198.51.100.12", 80, 0, -1, 100);
	assert_int_equal(wt_gen_commit(&g2, &f->g, NOW_MS + 20500), 0);
	after = (uint64_t)g2.svcs[0].prs[0].weight * 1000000 /
		(g2.svcs[0].prs[0].static_weight * g2.svcs[0].pool.unit);
	assert_true(before - after < 100 || after - before < 100);
	assert_int_equal(g2.svcs[0].prs[0].static_weight, 200);
	wt_gen_free(&g2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_accepted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_drop_decode, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_drop_signature, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_drop_replay_skew, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_drop_unknown_nokey, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_drop_rate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_port0, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_port0_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_drop_changes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reload_moved, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reload_unit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
