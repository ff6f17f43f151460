/* The state file's codec; the layout is in state_file.h. */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "lvsd/state/state_file.h"

static const uint8_t state_magic[8] = {'L', 'V', 'S', 'D', 'S', 'T', 'A', 'T'};
static const uint8_t state_end[8] = {'L', 'V', 'S', 'D', 'E', 'N', 'D', '\0'};

#define STATE_RS_FIXED 56 /* a real server's record without the learnt state */
#define STATE_F_DRAINED 1u
#define STATE_F_OVERRIDE 2u
#define STATE_F_PROPOSAL 4u
#define STATE_F_WT 8u

/* ---------------------------------------------------------------- CRC-32C */

static uint32_t state_crc_table[8][256];

static void
state_crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		state_crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			state_crc_table[t][i] =
			    (state_crc_table[t - 1][i] >> 8) ^
			    state_crc_table[0][state_crc_table[t - 1][i] & 0xff];
}

/* Eight bytes a step (slicing-by-8): the file is tens of megabytes at
 * 100,000 real servers. */
uint32_t
state_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!state_crc_table[0][1])
		state_crc_init();
	crc = ~crc;
	for (; len >= 8; p += 8, len -= 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
				     (uint32_t)p[3] << 24);
		uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
			      (uint32_t)p[7] << 24;

		crc = state_crc_table[7][lo & 0xff] ^ state_crc_table[6][(lo >> 8) & 0xff] ^
		      state_crc_table[5][(lo >> 16) & 0xff] ^ state_crc_table[4][lo >> 24] ^
		      state_crc_table[3][hi & 0xff] ^ state_crc_table[2][(hi >> 8) & 0xff] ^
		      state_crc_table[1][(hi >> 16) & 0xff] ^ state_crc_table[0][hi >> 24];
	}
	while (len--)
		crc = (crc >> 8) ^ state_crc_table[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

/* ----------------------------------------------------- little-endian ints */

static uint8_t *
put_le(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return p + n;
}

static uint64_t
get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* ------------------------------------------------------------ the header */

size_t
state_file_put_head(const struct state_file_head *h, uint8_t *buf)
{
	uint8_t *p = buf;

	memset(buf, 0, STATE_FILE_HEAD_LEN);
	memcpy(p, state_magic, 8);
	p = put_le(p + 8, STATE_FILE_VERSION, 4);
	p = put_le(p, STATE_FILE_HEAD_LEN, 4);
	memcpy(p, h->boot_id, 16);
	p = put_le(p + 16, h->wall_ms, 8);
	p = put_le(p, h->mono_ms, 8);
	p = put_le(p, h->director_drained ? 1 : 0, 4);
	p = put_le(p + 4, h->director_drained ? h->director_drain_wall_ms : 0, 8);
	memcpy(p, h->director_id, strnlen(h->director_id, STATE_FILE_ID_LEN - 1));
	return STATE_FILE_HEAD_LEN;
}

static int
state_file_get_head(const uint8_t *p, struct state_file_head *h)
{
	uint32_t flags = (uint32_t)get_le(p + 48, 4);

	memset(h, 0, sizeof(*h));
	if (flags & ~1u || get_le(p + 52, 4))
		return -EBADMSG;
	memcpy(h->boot_id, p + 16, 16);
	h->wall_ms = get_le(p + 32, 8);
	h->mono_ms = get_le(p + 40, 8);
	h->director_drained = flags & 1;
	h->director_drain_wall_ms = get_le(p + 56, 8);
	memcpy(h->director_id, p + 64, STATE_FILE_ID_LEN);
	h->director_id[STATE_FILE_ID_LEN - 1] = '\0';
	return 0;
}

/* ------------------------------------------------- the weight child's part */

/* The learnt state's fields in the order the file has them: each an
 * integer of 1, 2, 4 or 8 bytes, or 16 bytes as they are. */
struct state_field {
	uint16_t off, size;
};
#define WF(f)                                                                                      \
	{                                                                                          \
		offsetof(struct ipc_wt_rs, f), sizeof(((struct ipc_wt_rs *)0)->f)                  \
	}
static const struct state_field state_wt_fields[] = {
    WF(seen_valid),
    WF(has_report),
    WF(pooled),
    WF(state),
    WF(seen_boot_id),
    WF(seen_seq),
    WF(seen_time_ns),
    WF(last_mono_ms),
    WF(reports),
    /* the receiver's last report */
    WF(last.mem_available_kb),
    WF(last.mem_total_kb),
    WF(last.cg_mem_current),
    WF(last.cg_mem_max),
    WF(last.cg_inactive_file),
    WF(last.procs_running),
    WF(last.procs_blocked),
    WF(last.swapout_x100),
    WF(last.cpu_idle_pm),
    WF(last.load_x100[0]),
    WF(last.load_x100[1]),
    WF(last.load_x100[2]),
    WF(last.psi_mem_x100),
    WF(last.psi_cpu_x100),
    WF(last.cg_cpu_pm),
    WF(last.flags),
    /* the policy's */
    WF(policy.report.stamp),
    WF(policy.report.mem_available_kb),
    WF(policy.report.mem_total_kb),
    WF(policy.report.cg_mem_current_kb),
    WF(policy.report.cg_mem_max_kb),
    WF(policy.report.present),
    WF(policy.report.procs_running),
    WF(policy.report.procs_blocked),
    WF(policy.report.swapout_kb_per_s),
    WF(policy.report.cpu_idle_permille),
    WF(policy.report.load_centi[0]),
    WF(policy.report.load_centi[1]),
    WF(policy.report.load_centi[2]),
    WF(policy.report.psi_some_avg10_centi),
    WF(policy.policy),
    WF(policy.has_report),
    WF(policy.fresh),
    WF(policy.state),
    WF(policy.smooth_valid),
    WF(policy.static_weight),
    WF(policy.unit),
    WF(policy.trim),
    WF(policy.weight),
    WF(policy.proposed),
    WF(policy.report_ms),
    WF(policy.state_ms),
    WF(policy.s_free_ppm),
    WF(policy.free_ppm),
    WF(policy.s_blocked_milli),
    WF(policy.s_swapout),
    WF(policy.s_psi),
};
#undef WF
#define STATE_N_WT (sizeof(state_wt_fields) / sizeof(state_wt_fields[0]))

static size_t
state_wt_len(void)
{
	size_t n = 0;

	for (size_t i = 0; i < STATE_N_WT; i++)
		n += state_wt_fields[i].size;
	return n;
}

/* One integer field of the struct, whatever its width, copied between the
 * struct and the file's little-endian bytes, either way: to and from
 * little-endian is the same swap (none on such a host). */
static void
field_le(uint8_t *dst, const uint8_t *src, size_t size)
{
	uint16_t h;
	uint32_t w;
	uint64_t q;

	switch (size) {
	case 1:
		*dst = *src;
		break;
	case 2:
		memcpy(&h, src, 2);
		h = htole16(h);
		memcpy(dst, &h, 2);
		break;
	case 4:
		memcpy(&w, src, 4);
		w = htole32(w);
		memcpy(dst, &w, 4);
		break;
	default:
		memcpy(&q, src, 8);
		q = htole64(q);
		memcpy(dst, &q, 8);
	}
}

static uint8_t *
state_put_wt(const struct ipc_wt_rs *w, uint8_t *p)
{
	const uint8_t *base = (const uint8_t *)w;

	for (size_t i = 0; i < STATE_N_WT; i++) {
		const struct state_field *f = &state_wt_fields[i];

		if (f->size == 16)
			memcpy(p, base + f->off, 16);
		else
			field_le(p, base + f->off, f->size);
		p += f->size;
	}
	return p;
}

static void
state_get_wt(const uint8_t *p, struct ipc_wt_rs *w)
{
	uint8_t *base = (uint8_t *)w;

	memset(w, 0, sizeof(*w));
	for (size_t i = 0; i < STATE_N_WT; i++) {
		const struct state_field *f = &state_wt_fields[i];

		if (f->size == 16)
			memcpy(base + f->off, p, 16);
		else
			field_le(base + f->off, p, f->size);
		p += f->size;
	}
}

/* ------------------------------------------------------- a real server */

static size_t
addr_len(uint16_t af)
{
	return af == AF_INET ? 4 : 16;
}

size_t
state_file_put_rs(const struct state_file_rs *r, uint8_t *buf)
{
	size_t len = STATE_RS_FIXED + (r->has_wt ? state_wt_len() : 0);
	uint8_t *p = buf;

	memset(buf, 0, 8 + STATE_RS_FIXED);
	p = put_le(p, STATE_REC_RS, 2);
	p = put_le(p + 2, len, 4);
	p[0] = (uint8_t)r->svc.af;
	p[1] = (uint8_t)r->svc.protocol;
	put_le(p + 2, r->svc.port, 2);
	put_le(p + 4, r->svc.fwmark, 4);
	memcpy(p + 8, r->svc.addr.bytes, addr_len(r->svc.af));
	p[24] = (uint8_t)r->dest.af;
	put_le(p + 26, r->dest.port, 2);
	memcpy(p + 28, r->dest.addr.bytes, addr_len(r->dest.af));
	p[44] = (uint8_t)((r->drained ? STATE_F_DRAINED : 0) |
			  (r->has_override ? STATE_F_OVERRIDE : 0) |
			  (r->has_proposal ? STATE_F_PROPOSAL : 0) | (r->has_wt ? STATE_F_WT : 0));
	p[45] = r->health;
	put_le(p + 48, r->override, 4);
	put_le(p + 52, r->proposal, 4);
	if (r->has_wt)
		state_put_wt(&r->wt, p + STATE_RS_FIXED);
	return 8 + len;
}

static bool
state_af_ok(uint8_t af)
{
	return af == AF_INET || af == AF_INET6;
}

/* The record body p of len bytes (framing checked): 0 or -EBADMSG. */
static int
state_get_rs(const uint8_t *p, size_t len, struct state_file_rs *r)
{
	uint8_t flags = p[44];

	memset(r, 0, sizeof(*r));
	if (!state_af_ok(p[0]) || !state_af_ok(p[24]) || p[45] > STATE_HEALTH_DOWN ||
	    flags & ~0xfu || len != STATE_RS_FIXED + (flags & STATE_F_WT ? state_wt_len() : 0))
		return -EBADMSG;
	r->svc.af = p[0];
	r->svc.protocol = p[1];
	r->svc.port = (uint16_t)get_le(p + 2, 2);
	r->svc.fwmark = (uint32_t)get_le(p + 4, 4);
	memcpy(r->svc.addr.bytes, p + 8, addr_len(r->svc.af));
	r->dest.af = p[24];
	r->dest.port = (uint16_t)get_le(p + 26, 2);
	memcpy(r->dest.addr.bytes, p + 28, addr_len(r->dest.af));
	r->drained = flags & STATE_F_DRAINED;
	r->has_override = flags & STATE_F_OVERRIDE;
	r->has_proposal = flags & STATE_F_PROPOSAL;
	r->has_wt = flags & STATE_F_WT;
	r->health = p[45];
	r->override = (uint32_t)get_le(p + 48, 4);
	r->proposal = (uint32_t)get_le(p + 52, 4);
	if (r->has_wt)
		state_get_wt(p + STATE_RS_FIXED, &r->wt);
	return 0;
}

/* ------------------------------------------------------------ the trailer */

size_t
state_file_put_tail(uint32_t n_records, uint32_t crc, uint8_t *buf)
{
	memcpy(buf, state_end, 8);
	put_le(buf + 8, n_records, 4);
	crc = state_crc32c(crc, buf, 12);
	put_le(buf + 12, crc, 4);
	return STATE_FILE_TAIL_LEN;
}

/* Every record's framing between the header and the trailer, and their
 * number: 0 or -EBADMSG. */
static int
state_file_frames(const uint8_t *p, const uint8_t *end, uint32_t n)
{
	uint32_t k = 0;

	while (p < end) {
		uint64_t len;

		if ((size_t)(end - p) < 8)
			return -EBADMSG;
		len = get_le(p + 4, 4);
		if (len > (size_t)(end - p) - 8)
			return -EBADMSG;
		p += 8 + len;
		k++;
	}
	return k == n ? 0 : -EBADMSG;
}

int
state_file_open(const void *buf, size_t len, struct state_file_head *h, struct state_file_iter *it)
{
	const uint8_t *p = buf, *tail;
	uint32_t version;

	if (len < 8 || memcmp(p, state_magic, 8))
		return -EBADMSG;
	if (len < 16)
		return -EBADMSG;
	version = (uint32_t)get_le(p + 8, 4);
	if (version != STATE_FILE_VERSION)
		return -EPROTONOSUPPORT;
	if (len < STATE_FILE_HEAD_LEN + STATE_FILE_TAIL_LEN ||
	    get_le(p + 12, 4) != STATE_FILE_HEAD_LEN)
		return -EBADMSG;
	tail = p + len - STATE_FILE_TAIL_LEN;
	if (memcmp(tail, state_end, 8) ||
	    state_crc32c(0, p, len - 4) != (uint32_t)get_le(tail + 12, 4))
		return -EBADMSG;
	if (state_file_frames(p + STATE_FILE_HEAD_LEN, tail, (uint32_t)get_le(tail + 8, 4)) < 0 ||
	    state_file_get_head(p, h) < 0)
		return -EBADMSG;
	it->p = p + STATE_FILE_HEAD_LEN;
	it->end = tail;
	return 0;
}

int
state_file_next(struct state_file_iter *it, struct state_file_rs *out)
{
	while (it->p < it->end) {
		const uint8_t *p = it->p;
		uint32_t len = (uint32_t)get_le(p + 4, 4);

		it->p += 8 + len;
		if (get_le(p, 2) == STATE_REC_RS)
			return state_get_rs(p + 8, len, out) < 0 ? -EBADMSG : 1;
		/* another kind: a version that has it would have said so */
		return -EBADMSG;
	}
	return 0;
}
