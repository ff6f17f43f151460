/* Fuzz the IPC decoder: the input is one datagram, as a channel receives
 * it.  Invariants: a decoded frame is exactly its header plus its payload,
 * its payload points into the input (no copy), it re-encodes (ipc_encode)
 * to the very same bytes, and every strict prefix or extension of it is a
 * desync; the only error is -EBADMSG. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/core/ipc.h"
#include "metrics/metrics_snap.h"
#include "tests/fuzz/fuzz.h"

/* A datagram is one frame: any other length is refused. */
static void
fuzz_ipc_lengths(uint8_t *p, size_t frame)
{
	const size_t lens[] = {0, IPC_HDR_LEN - 1, IPC_HDR_LEN, frame - 1, frame + 1};
	struct ipc_msg m;

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		if (lens[i] == frame || lens[i] > IPC_FRAME_MAX + 1)
			continue;
		FUZZ_ASSERT(ipc_decode(p, lens[i], &m) == -EBADMSG);
	}
}

/* A snapshot frame goes to the metrics child's assembly as it would: after
 * a BEGIN of its own (counts of one frame's worth) or alone.  It accepts or
 * refuses; whatever it holds reads back NUL-terminated, in range. */
static void
fuzz_ipc_snapshot(struct ipc_msg *m)
{
	struct ipc_snap_begin b = {.n_vrrp = IPC_SNAP_VRRP_MAX,
				   .n_svc = IPC_SNAP_SVC_MAX,
				   .n_rs = IPC_SNAP_RS_MAX};
	struct ipc_msg bm = {.type = IPC_SNAP_BEGIN, .len = sizeof(b), .payload = &b, .fd = -1};
	struct metrics_snap s = {0};
	int r;

	if (m->type < IPC_SNAP_BEGIN || m->type > IPC_SNAP_END)
		return;
	if (m->type == IPC_SNAP_BEGIN && IPC_BODY(m, struct ipc_snap_begin)->n_rs > 100000)
		return; /* the parent's word: a large snapshot is only memory */
	r = metrics_snap_frame(&s, m);
	FUZZ_ASSERT(r == 0 || r == 1 || r == -EBADMSG || r == -ENOMEM);
	metrics_snap_clear(&s);
	if (metrics_snap_frame(&s, &bm) != 0)
		return;
	r = metrics_snap_frame(&s, m);
	FUZZ_ASSERT(r == 0 || r == 1 || r == -EBADMSG || r == -ENOMEM);
	for (size_t i = 0; r >= 0 && i < s.n_vrrp; i++)
		FUZZ_ASSERT(strlen(s.vrrp[i].name) < IPC_NAME_MAX && s.vrrp[i].state <= 3);
	for (size_t i = 0; r >= 0 && i < s.n_rs; i++)
		FUZZ_ASSERT(strlen(s.rs[i].server) < IPC_SNAP_TEXT && s.rs[i].svc < s.n_svc);
	metrics_snap_clear(&s);
}

/* The text fields read back NUL-terminated whatever the peer sent. */
static void
fuzz_ipc_strings(struct ipc_msg *m)
{
	switch (m->type) {
	case IPC_CONF_VRRP:
		FUZZ_ASSERT(strlen(ipc_strget(IPC_BODY(m, struct ipc_conf_vrrp)->name,
					      IPC_NAME_MAX)) < IPC_NAME_MAX);
		FUZZ_ASSERT(strlen(ipc_strget(IPC_BODY(m, struct ipc_conf_vrrp)->interface,
					      IPC_NAME_MAX)) < IPC_NAME_MAX);
		break;
	case IPC_CONF_KEY:
		FUZZ_ASSERT(IPC_BODY(m, struct ipc_conf_key)->len ==
			    m->len - sizeof(struct ipc_conf_key));
		break;
	case IPC_CONF_RS:
		FUZZ_ASSERT(strlen(ipc_strget(IPC_BODY(m, struct ipc_conf_rs)->check.script,
					      IPC_PATH_MAX)) < IPC_PATH_MAX);
		FUZZ_ASSERT(strlen(ipc_strget(IPC_BODY(m, struct ipc_conf_rs)->check.expect,
					      IPC_PATH_MAX)) < IPC_PATH_MAX);
		break;
	case IPC_CONF_CA:
		FUZZ_ASSERT(IPC_BODY(m, struct ipc_conf_ca)->len ==
			    m->len - sizeof(struct ipc_conf_ca));
		break;
	case IPC_HELLO:
		FUZZ_ASSERT(strlen(ipc_strget(IPC_BODY(m, struct ipc_hello)->user,
					      IPC_NAME_MAX)) < IPC_NAME_MAX);
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t in[(IPC_FRAME_MAX + 16) / 8]; /* aligned, like a channel's buffer */
	static unsigned char out[IPC_FRAME_MAX];
	uint8_t *p = (uint8_t *)in;
	struct ipc_msg m;
	int r, n;

	if (size > IPC_FRAME_MAX)
		size = IPC_FRAME_MAX;
	memcpy(p, data, size);
	memset(p + size, 0, 8);
	r = ipc_decode(p, size, &m);
	if (r < 0) {
		FUZZ_ASSERT(r == -EBADMSG);
		return 0;
	}
	FUZZ_ASSERT(r == 0);
	FUZZ_ASSERT(size == IPC_HDR_LEN + m.len);
	FUZZ_ASSERT(m.payload == p + IPC_HDR_LEN && m.fd == -1);
	FUZZ_ASSERT(ipc_type_info(m.type) != NULL);
	FUZZ_ASSERT(strcmp(ipc_type_name(m.type), "unknown") != 0);
	FUZZ_ASSERT(ipc_check_payload(m.type, m.payload, m.len) == 0);
	n = ipc_encode(m.type, m.payload, m.len, out, sizeof(out));
	FUZZ_ASSERT(n > 0 && (size_t)n == size);
	FUZZ_ASSERT(memcmp(out, p, size) == 0);
	fuzz_ipc_lengths(p, size);
	fuzz_ipc_strings(&m);
	fuzz_ipc_snapshot(&m);
	return 0;
}
