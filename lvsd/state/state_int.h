/* The state room's own struct, shared by state.c (the copy, loading,
 * status) and state_write.c (writing the file).  Not for other rooms. */
#ifndef LVSD_STATE_INT_H
#define LVSD_STATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lvsd/core/ipc.h"
#include "lvsd/writer/table.h"

struct event;

struct state {
	char path[CONF_PATH_MAX + 8];
	char tmp[CONF_PATH_MAX + 16];
	/* the weight child's state per real server of the running
	 * generation: wt[base[svc] + rs], has_wt[] saying which hold one */
	size_t n_svcs, n;
	size_t *base;
	struct ipc_wt_rs *wt;
	bool *has_wt;
	/* writing: wanted (soon or lazily) since the last write began */
	struct event *ev;
	bool want_soon, want_lazy;
	bool writing;
	int fd;
	size_t next;	 /* the next real server to encode (flat index) */
	size_t next_svc; /* and its service */
	uint32_t count;	 /* records written */
	uint32_t crc;	 /* of the bytes written */
	uint64_t gen;	 /* the generation being written */
	size_t key_svc;	 /* the service svc_key is of (SIZE_MAX: none) */
	struct ipvs_service svc_key;
	uint8_t *buf; /* one slice's bytes */
	size_t bytes; /* written to the temporary file so far */
	struct timespec began;
	double slice_max_ms;	 /* the longest slice of this write, wall clock */
	double slice_cpu_max_ms; /* and in CPU time */
	double busy_ms;		 /* its slices' CPU time, summed */
	/* what status shows */
	uint64_t writes, failures;
	int last_err; /* of the last attempt, 0 when it worked */
	bool written;
	struct timespec written_at; /* CLOCK_MONOTONIC */
	/* the last write: from start to rename, its longest slice (wall and
	 * CPU), the CPU time of its slices */
	double write_ms, write_slice_ms, write_slice_cpu_ms, write_busy_ms;
	size_t write_bytes, write_records;
	/* what the start brought back */
	char loaded[256];
};

/* state_write.c: a write in slices from the loop, or whole at once. */
int state_write_init(struct state *s);
void state_write_free(struct state *s);
/* Start a write when one is wanted and none runs; after delay_ms. */
void state_write_arm(struct lvsd *d, uint32_t delay_ms);
/* The delay of a write for learnt state (see STATE_LAZY_MIN_MS). */
uint32_t state_lazy_ms(const struct state *s);
/* The whole file at once (stop); 0 or -errno. */
int state_write_all(struct lvsd *d);
/* This host's boot id, as 16 bytes (zeros when it cannot be read). */
void state_boot_id(uint8_t out[16]);

#endif
