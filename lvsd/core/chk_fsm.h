/* The check state machine of one real server, rise and fall, shared by the
 * checkers child and the parent's script checks.  Pure. */
#ifndef LVSD_CORE_CHK_FSM_H
#define LVSD_CORE_CHK_FSM_H

#include <stdbool.h>
#include <stdint.h>

/* state is an enum ipc_health_state.  From unknown the first result
 * decides; then fall failures in a row take an up server down and rise
 * successes in a row bring a down one up. */
struct chk_fsm {
	uint8_t state;
	uint16_t ok;   /* successes in a row */
	uint16_t fail; /* failures in a row */
};

/* One result: true when the state changed. */
bool chk_fsm_result(struct chk_fsm *f, bool ok, uint16_t rise, uint16_t fall);

#endif
