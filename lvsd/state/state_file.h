/* The state file's codec: what an operator set and what the directors
 * learnt, as bytes (lvsd/state/state.h keeps the file).  Pure: buffers in,
 * buffers out, no I/O.
 *
 * Layout, every integer little-endian:
 *
 *   header  (STATE_FILE_HEAD_LEN bytes)
 *     8   "LVSDSTAT"
 *     u32 version (STATE_FILE_VERSION), u32 header length
 *     16  boot id of the host that wrote it (/proc/sys/kernel/random/boot_id)
 *     u64 wall clock (ms since the epoch) and u64 CLOCK_MONOTONIC (ms) at
 *         writing: the learnt state's times are that host's monotonic ms,
 *         meaningful only for the same boot
 *     u32 flags (1: the director is drained), u32 reserved
 *     u64 wall clock ms when the director drain began (0: not drained)
 *     64  the director_id that wrote it, NUL-padded
 *   records, each: u16 kind, u16 reserved, u32 length, length bytes
 *     kind 1, a real server:
 *       service: u8 family, u8 IP protocol, u16 port, u32 fwmark, 16
 *                address (IPv4 in the first 4): the IPVS key
 *       server:  u8 family, u8 reserved, u16 port, 16 address
 *       u8 flags (1 drained, 2 an override, 4 a proposal, 8 learnt state
 *       follows), u8 health (0 unknown, 1 up, 2 down), u16 reserved,
 *       u32 override, u32 proposal
 *       learnt state (flag 8): the weight child's, the fields of struct
 *       ipc_wt_rs (lvsd/core/ipc.h) but its ids, in state_file.c's order
 *   trailer (STATE_FILE_TAIL_LEN bytes)
 *     8   "LVSDEND\0", u32 number of records,
 *     u32 CRC-32C of every byte before it
 *
 * A new field means a new version: a reader takes only its own. */
#ifndef LVSD_STATE_FILE_H
#define LVSD_STATE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lvsd/core/ipc.h"
#include "lvsd/ipvs/ipvs.h"

#define STATE_FILE_VERSION 1
#define STATE_FILE_HEAD_LEN 128
#define STATE_FILE_TAIL_LEN 16
#define STATE_FILE_ID_LEN 64
#define STATE_REC_RS 1
#define STATE_FILE_RS_MAX 512 /* bytes of one real server's record, at most */

struct state_file_head {
	uint8_t boot_id[16];
	uint64_t wall_ms;
	uint64_t mono_ms;
	bool director_drained;
	uint64_t director_drain_wall_ms;
	char director_id[STATE_FILE_ID_LEN]; /* NUL-terminated */
};

enum state_health { STATE_HEALTH_UNKNOWN, STATE_HEALTH_UP, STATE_HEALTH_DOWN };

/* One real server. */
struct state_file_rs {
	struct ipvs_service svc; /* the key: af, protocol, addr, port, fwmark */
	struct ipvs_dest dest;	 /* the key: af, addr, port */
	bool drained;
	bool has_override;
	bool has_proposal;
	bool has_wt;
	uint8_t health; /* enum state_health */
	uint32_t override;
	uint32_t proposal;
	struct ipc_wt_rs wt; /* has_wt; service_id and rs_id are not kept */
};

/* CRC-32C (Castagnoli) of len bytes, continuing from crc (0 to start). */
uint32_t state_crc32c(uint32_t crc, const void *buf, size_t len);

/* Writing: the header, then each record, then the trailer with the count
 * and the CRC of all written before it.  Each returns the bytes written
 * at buf (room: STATE_FILE_HEAD_LEN, STATE_FILE_RS_MAX, STATE_FILE_TAIL_LEN). */
size_t state_file_put_head(const struct state_file_head *h, uint8_t *buf);
size_t state_file_put_rs(const struct state_file_rs *r, uint8_t *buf);
size_t state_file_put_tail(uint32_t n_records, uint32_t crc, uint8_t *buf);

/* Reading: a whole file of len bytes.  state_file_open checks it all
 * (magic, version, lengths, the CRC, every record's framing) and reads the
 * header: 0, or -EBADMSG (not a state file, or damaged: truncated, bytes
 * changed), -EPROTONOSUPPORT (another version).  Then state_file_next
 * gives each real server: 1, 0 at the end, -EBADMSG for a record whose
 * values are out of range (the rest can still be read). */
struct state_file_iter {
	const uint8_t *p, *end;
};
int state_file_open(const void *buf, size_t len, struct state_file_head *h,
		    struct state_file_iter *it);
int state_file_next(struct state_file_iter *it, struct state_file_rs *out);

#endif
