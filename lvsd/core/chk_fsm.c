/* The check state machine of one real server: rise and fall counters
 * (chk_fsm.h). */
#include "config.h"

#include "lvsd/core/chk_fsm.h"
#include "lvsd/core/ipc.h"

bool
chk_fsm_result(struct chk_fsm *f, bool ok, uint16_t rise, uint16_t fall)
{
	uint8_t before = f->state;

	if (ok) {
		f->fail = 0;
		if (f->ok < UINT16_MAX)
			f->ok++;
	} else {
		f->ok = 0;
		if (f->fail < UINT16_MAX)
			f->fail++;
	}
	if (f->state == IPC_HEALTH_UNKNOWN)
		f->state = ok ? IPC_HEALTH_UP : IPC_HEALTH_DOWN;
	else if (f->state == IPC_HEALTH_UP && !ok && f->fail >= fall)
		f->state = IPC_HEALTH_DOWN;
	else if (f->state == IPC_HEALTH_DOWN && ok && f->ok >= rise)
		f->state = IPC_HEALTH_UP;
	return f->state != before;
}
