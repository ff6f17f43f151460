/* Tracked scripts and files: the pure part (see track.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/core/ipc.h"
#include "lvsd/scripts/track_calc.h"

bool
track_rf_step(struct track_rf *rf, bool success, uint16_t rise, uint16_t fall)
{
	if (success == rf->ok) {
		rf->run = 0;
		return false;
	}
	if (++rf->run < (success ? rise : fall))
		return false;
	rf->ok = success;
	rf->run = 0;
	return true;
}

void
track_combine(const struct conf_vrrp *v, const bool *script_ok, const int64_t *file_value,
	      int32_t *delta, bool *fault)
{
	int64_t d = 0;
	bool f = false;

	for (size_t i = 0; i < v->n_track_scripts; i++) {
		const struct conf_track_ref *r = &v->track_scripts[i];
		bool ok = script_ok[r->id];

		if (r->weight == 0 && !ok)
			f = true;
		else if ((r->weight > 0 && ok) || (r->weight < 0 && !ok))
			d += r->weight;
	}
	for (size_t i = 0; i < v->n_track_files; i++) {
		const struct conf_track_ref *r = &v->track_files[i];
		int64_t x = file_value[r->id];

		if (x > TRACK_FILE_VALUE_MAX)
			x = TRACK_FILE_VALUE_MAX;
		if (x < -TRACK_FILE_VALUE_MAX)
			x = -TRACK_FILE_VALUE_MAX;
		d += x * r->weight;
	}
	if (d > IPC_TRACK_DELTA_MAX)
		d = IPC_TRACK_DELTA_MAX;
	if (d < -IPC_TRACK_DELTA_MAX)
		d = -IPC_TRACK_DELTA_MAX;
	/* keepalived: tracking that brings the priority to 0 or below is a fault */
	if (v->priority != 255 && (int64_t)v->priority + d <= 0)
		f = true;
	*delta = (int32_t)d;
	*fault = f;
}

int
track_parse_value(const char *buf, size_t len, int64_t *out)
{
	char tmp[32], *end;
	size_t a = 0, b = len;
	long long n;

	while (a < b && strchr(" \t\r\n", buf[a]))
		a++;
	while (b > a && strchr(" \t\r\n", buf[b - 1]))
		b--;
	if (a == b || b - a >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf + a, b - a);
	tmp[b - a] = '\0';
	errno = 0;
	n = strtoll(tmp, &end, 10);
	if (*end || errno)
		return -EINVAL;
	*out = n;
	return 0;
}
