/* Tracking's pure pieces (track.h): rise and fall of a tracked script,
 * an instance's verdict, the value of a tracked file. */
#ifndef LVSD_TRACK_CALC_H
#define LVSD_TRACK_CALC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lvsd/conf/conf.h"

#define TRACK_FILE_VALUE_MAX 1000000 /* |value| beyond is clamped */

/* Rise and fall of one script: ok after rise successes in a row, failing
 * after fall failures in a row. */
struct track_rf {
	bool ok;
	uint16_t run; /* results in a row against the current state */
};

/* One result: true when the state changed. */
bool track_rf_step(struct track_rf *rf, bool success, uint16_t rise, uint16_t fall);
/* Instance v's verdict from its scripts' states (by script id) and its
 * files' values (by file id): the priority delta and whether to fault. */
void track_combine(const struct conf_vrrp *v, const bool *script_ok, const int64_t *file_value,
		   int32_t *delta, bool *fault);
/* The integer a tracked file holds (blanks around it allowed): 0 or -EINVAL. */
int track_parse_value(const char *buf, size_t len, int64_t *out);

#endif
