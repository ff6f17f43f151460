/* Fuzz the IPC decoder: ipc_decode() over a byte stream, one frame after
 * another, the way a channel consumes its input buffer.  Invariants: a
 * decoded frame never claims more bytes than there are, is exactly its
 * header plus its payload, re-encodes (ipc_encode) to the very same bytes,
 * and every strict prefix of it asks for more; a short buffer consumes
 * nothing; the only error is -EBADMSG. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/core/ipc.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_UNTOUCHED ((size_t)-1)

/* Every strict prefix of a valid frame is incomplete, never an error. */
static void
fuzz_ipc_prefixes(const uint8_t *p, size_t frame)
{
	const size_t lens[] = {0, IPC_HDR_LEN - 1, IPC_HDR_LEN, frame - 1};
	struct ipc_msg m;

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t used = FUZZ_UNTOUCHED;

		if (lens[i] >= frame)
			continue;
		FUZZ_ASSERT(ipc_decode(p, lens[i], &m, &used) == 0);
		FUZZ_ASSERT(used == FUZZ_UNTOUCHED);
	}
}

/* The text fields read back NUL-terminated whatever the peer sent. */
static void
fuzz_ipc_strings(struct ipc_msg *m)
{
	switch (m->type) {
	case IPC_CONF_VRRP:
		FUZZ_ASSERT(strlen(ipc_strget(m->body.conf_vrrp.name, IPC_NAME_MAX)) < IPC_NAME_MAX);
		FUZZ_ASSERT(strlen(ipc_strget(m->body.conf_vrrp.interface, IPC_NAME_MAX)) <
			    IPC_NAME_MAX);
		break;
	case IPC_CONF_KEY:
		FUZZ_ASSERT(strlen(ipc_strget(m->body.conf_key.file, IPC_PATH_MAX)) < IPC_PATH_MAX);
		break;
	case IPC_CONF_RS:
		FUZZ_ASSERT(strlen(ipc_strget(m->body.conf_rs.check.script, IPC_PATH_MAX)) <
			    IPC_PATH_MAX);
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipc_msg m;
	static unsigned char out[IPC_MSG_MAX];
	size_t off = 0;

	while (off < size) {
		size_t used = FUZZ_UNTOUCHED;
		int r = ipc_decode(data + off, size - off, &m, &used), n;

		if (r <= 0) {
			FUZZ_ASSERT(r == 0 || r == -EBADMSG);
			FUZZ_ASSERT(used == FUZZ_UNTOUCHED);
			break;
		}
		FUZZ_ASSERT(r == 1);
		FUZZ_ASSERT(used <= size - off);
		FUZZ_ASSERT(used == IPC_HDR_LEN + m.len);
		FUZZ_ASSERT(ipc_type_info(m.type) != NULL);
		FUZZ_ASSERT(strcmp(ipc_type_name(m.type), "unknown") != 0);
		FUZZ_ASSERT(ipc_check_payload(m.type, &m.body, m.len) == 0);
		n = ipc_encode(m.type, &m.body, m.len, out, sizeof(out));
		FUZZ_ASSERT(n > 0 && (size_t)n == used);
		FUZZ_ASSERT(memcmp(out, data + off, used) == 0);
		fuzz_ipc_prefixes(data + off, used);
		fuzz_ipc_strings(&m);
		off += used; /* at least IPC_HDR_LEN: the loop ends */
	}
	return 0;
}
