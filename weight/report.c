/* The load report datagram: layout, checks and freshness (see report.h
 * and doc/report-protocol.md).  Pure: buffers in, buffers out. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "weight/report.h"

/* Offsets of the fields, as in doc/report-protocol.md. */
enum {
	RPT_OFF_MAGIC = 0,
	RPT_OFF_VERSION = 4,
	RPT_OFF_SIG = 5,
	RPT_OFF_FAMILY = 6,
	RPT_OFF_RESERVED = 7,
	RPT_OFF_PORT = 8,
	RPT_OFF_FLAGS = 10,
	RPT_OFF_WINDOW = 12,
	RPT_OFF_ADDR = 16,
	RPT_OFF_BOOT_ID = 32,
	RPT_OFF_SEQ = 48,
	RPT_OFF_TIME = 56,
	RPT_OFF_METRICS = 64,
	RPT_HDR_LEN = 16, /* what decode reads before knowing the length */
};

/* A cursor over the metrics, which follow each other without gaps. */
struct rpt_cur {
	uint8_t *p;
	const uint8_t *q;
};

static void
rpt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
rpt_put32(uint8_t *p, uint32_t v)
{
	rpt_put16(p, (uint16_t)(v >> 16));
	rpt_put16(p + 2, (uint16_t)v);
}

static void
rpt_put64(uint8_t *p, uint64_t v)
{
	rpt_put32(p, (uint32_t)(v >> 32));
	rpt_put32(p + 4, (uint32_t)v);
}

static uint16_t
rpt_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rpt_get32(const uint8_t *p)
{
	return (uint32_t)rpt_get16(p) << 16 | rpt_get16(p + 2);
}

static uint64_t
rpt_get64(const uint8_t *p)
{
	return (uint64_t)rpt_get32(p) << 32 | rpt_get32(p + 4);
}

static void
rpt_w64(struct rpt_cur *c, uint64_t v)
{
	rpt_put64(c->p, v);
	c->p += 8;
}

static void
rpt_w32(struct rpt_cur *c, uint32_t v)
{
	rpt_put32(c->p, v);
	c->p += 4;
}

static uint64_t
rpt_r64(struct rpt_cur *c)
{
	uint64_t v = rpt_get64(c->q);

	c->q += 8;
	return v;
}

static uint32_t
rpt_r32(struct rpt_cur *c)
{
	uint32_t v = rpt_get32(c->q);

	c->q += 4;
	return v;
}

int
rpt_len(int sig)
{
	switch (sig) {
	case RPT_SIG_ED25519:
		return RPT_SIGNED_LEN + RPT_ED25519_SIG_LEN;
	case RPT_SIG_HMAC_SHA256:
		return RPT_SIGNED_LEN + RPT_HMAC_SIG_LEN;
	default:
		return -EOPNOTSUPP;
	}
}

/* Whether every metric the flags leave out is zero, CPU idle in range. */
static bool
rpt_metrics_valid(const struct rpt_metrics *m)
{
	uint16_t f = m->flags;

	if (f & ~RPT_FLAGS_ALL || m->cpu_idle_pm > 1000)
		return false;
	if (!(f & RPT_HAS_MEM) && (m->mem_available_kb || m->mem_total_kb))
		return false;
	if (!(f & RPT_HAS_PROCS) && (m->procs_running || m->procs_blocked))
		return false;
	if ((!(f & RPT_HAS_SWAPOUT) && m->swapout_x100) ||
	    (!(f & RPT_HAS_CPU_IDLE) && m->cpu_idle_pm))
		return false;
	if (!(f & RPT_HAS_LOAD) && (m->load_x100[0] || m->load_x100[1] || m->load_x100[2]))
		return false;
	if (!(f & RPT_HAS_CG_MEM) && (m->cg_mem_current || m->cg_mem_max))
		return false;
	if ((!(f & RPT_HAS_CG_FILE) && m->cg_inactive_file) ||
	    (!(f & RPT_HAS_CG_CPU) && m->cg_cpu_pm))
		return false;
	return (f & RPT_HAS_PSI_MEM || !m->psi_mem_x100) &&
	       (f & RPT_HAS_PSI_CPU || !m->psi_cpu_x100);
}

/* 0, or -EAFNOSUPPORT for a family other than IPv4/IPv6 or an IPv4
 * address with bytes past the 4th. */
static int
rpt_server_valid(const struct rpt_server *s)
{
	static const uint8_t zero[12];

	if (s->family == AF_INET6)
		return 0;
	if (s->family != AF_INET || memcmp(s->addr + 4, zero, sizeof(zero)) != 0)
		return -EAFNOSUPPORT;
	return 0;
}

static void
rpt_put_metrics(uint8_t *p, const struct rpt_metrics *m)
{
	struct rpt_cur c = {.p = p};

	rpt_w64(&c, m->mem_available_kb);
	rpt_w64(&c, m->mem_total_kb);
	rpt_w64(&c, m->cg_mem_current);
	rpt_w64(&c, m->cg_mem_max);
	rpt_w64(&c, m->cg_inactive_file);
	rpt_w32(&c, m->procs_running);
	rpt_w32(&c, m->procs_blocked);
	rpt_w32(&c, m->swapout_x100);
	rpt_w32(&c, m->cpu_idle_pm);
	for (int i = 0; i < 3; i++)
		rpt_w32(&c, m->load_x100[i]);
	rpt_w32(&c, m->psi_mem_x100);
	rpt_w32(&c, m->psi_cpu_x100);
	rpt_w32(&c, m->cg_cpu_pm);
}

static void
rpt_get_metrics(const uint8_t *p, uint16_t flags, struct rpt_metrics *m)
{
	struct rpt_cur c = {.q = p};

	m->flags = flags;
	m->mem_available_kb = rpt_r64(&c);
	m->mem_total_kb = rpt_r64(&c);
	m->cg_mem_current = rpt_r64(&c);
	m->cg_mem_max = rpt_r64(&c);
	m->cg_inactive_file = rpt_r64(&c);
	m->procs_running = rpt_r32(&c);
	m->procs_blocked = rpt_r32(&c);
	m->swapout_x100 = rpt_r32(&c);
	m->cpu_idle_pm = rpt_r32(&c);
	for (int i = 0; i < 3; i++)
		m->load_x100[i] = rpt_r32(&c);
	m->psi_mem_x100 = rpt_r32(&c);
	m->psi_cpu_x100 = rpt_r32(&c);
	m->cg_cpu_pm = rpt_r32(&c);
}

int
rpt_encode(const struct rpt_report *r, void *buf, size_t cap)
{
	uint8_t *p = buf;
	int len = rpt_len(r->sig);

	if (len < 0)
		return len;
	if (rpt_server_valid(&r->server) < 0 || !rpt_metrics_valid(&r->m))
		return -EINVAL;
	if (cap < (size_t)len)
		return -ENOBUFS;
	memset(p, 0, (size_t)len);
	rpt_put32(p + RPT_OFF_MAGIC, RPT_MAGIC);
	p[RPT_OFF_VERSION] = RPT_VERSION;
	p[RPT_OFF_SIG] = r->sig;
	p[RPT_OFF_FAMILY] = r->server.family == AF_INET ? 4 : 6;
	rpt_put16(p + RPT_OFF_PORT, r->server.port);
	rpt_put16(p + RPT_OFF_FLAGS, r->m.flags);
	rpt_put32(p + RPT_OFF_WINDOW, r->window_ms);
	memcpy(p + RPT_OFF_ADDR, r->server.addr, sizeof(r->server.addr));
	memcpy(p + RPT_OFF_BOOT_ID, r->boot_id, RPT_BOOT_ID_LEN);
	rpt_put64(p + RPT_OFF_SEQ, r->seq);
	rpt_put64(p + RPT_OFF_TIME, r->time_ns);
	rpt_put_metrics(p + RPT_OFF_METRICS, &r->m);
	return len;
}

/* The header's checks, in the order of the reasons' precedence. */
static int
rpt_check_header(const uint8_t *p, size_t len)
{
	int want;

	if (len < RPT_HDR_LEN)
		return -EMSGSIZE;
	if (rpt_get32(p + RPT_OFF_MAGIC) != RPT_MAGIC)
		return -EBADMSG;
	if (p[RPT_OFF_VERSION] != RPT_VERSION)
		return -EPROTONOSUPPORT;
	want = rpt_len(p[RPT_OFF_SIG]);
	if (want < 0)
		return want;
	if (len != (size_t)want)
		return -EMSGSIZE;
	if (p[RPT_OFF_FAMILY] != 4 && p[RPT_OFF_FAMILY] != 6)
		return -EAFNOSUPPORT;
	return p[RPT_OFF_RESERVED] ? -EINVAL : 0;
}

int
rpt_decode(const void *buf, size_t len, struct rpt_report *out)
{
	const uint8_t *p = buf;
	struct rpt_report r;
	int e = rpt_check_header(p, len);

	if (e < 0)
		return e;
	memset(&r, 0, sizeof(r));
	r.sig = p[RPT_OFF_SIG];
	r.window_ms = rpt_get32(p + RPT_OFF_WINDOW);
	r.server.family = p[RPT_OFF_FAMILY] == 4 ? AF_INET : AF_INET6;
	r.server.port = rpt_get16(p + RPT_OFF_PORT);
	memcpy(r.server.addr, p + RPT_OFF_ADDR, sizeof(r.server.addr));
	memcpy(r.boot_id, p + RPT_OFF_BOOT_ID, RPT_BOOT_ID_LEN);
	r.seq = rpt_get64(p + RPT_OFF_SEQ);
	r.time_ns = rpt_get64(p + RPT_OFF_TIME);
	rpt_get_metrics(p + RPT_OFF_METRICS, rpt_get16(p + RPT_OFF_FLAGS), &r.m);
	e = rpt_server_valid(&r.server);
	if (e < 0)
		return e;
	if (!rpt_metrics_valid(&r.m))
		return -EINVAL;
	*out = r;
	return 0;
}

int
rpt_fresh(const struct rpt_seen *last, const struct rpt_report *r, uint64_t now_ns,
	  uint64_t max_skew_ns)
{
	uint64_t d = r->time_ns > now_ns ? r->time_ns - now_ns : now_ns - r->time_ns;

	if (d > max_skew_ns)
		return -ETIME;
	if (!last->valid)
		return 0;
	if (memcmp(last->boot_id, r->boot_id, RPT_BOOT_ID_LEN) == 0)
		return r->seq > last->seq ? 0 : -EALREADY;
	return r->time_ns > last->time_ns ? 0 : -EALREADY;
}

void
rpt_seen_update(struct rpt_seen *last, const struct rpt_report *r)
{
	last->valid = true;
	memcpy(last->boot_id, r->boot_id, RPT_BOOT_ID_LEN);
	last->seq = r->seq;
	last->time_ns = r->time_ns;
}

const char *
rpt_err_name(int err)
{
	switch (err < 0 ? -err : err) {
	case EMSGSIZE:
		return "size";
	case EBADMSG:
		return "magic";
	case EPROTONOSUPPORT:
		return "version";
	case EOPNOTSUPP:
		return "sig_type";
	case EAFNOSUPPORT:
		return "family";
	case EINVAL:
		return "malformed";
	case EKEYREJECTED:
		return "signature";
	case EALREADY:
		return "replay";
	case ETIME:
		return "skew";
	case ENOENT:
		return "unknown_server";
	case ENOKEY:
		return "no_key";
	default:
		return "other";
	}
}

const char *
rpt_sig_name(int sig)
{
	switch (sig) {
	case RPT_SIG_ED25519:
		return "ed25519";
	case RPT_SIG_HMAC_SHA256:
		return "hmac-sha256";
	default:
		return "unknown";
	}
}
