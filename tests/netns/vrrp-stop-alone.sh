#!/bin/bash
# A master without a peer, stopped with SIGTERM (lvsd(8), SIGNALS): it
# hands over (priority 0, the address kept), hears no new master within
# its wait, says so, removes the virtual address and exits; a killed one
# (SIGKILL) leaves the address where it is.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
tap_plan 6
ns_setup d1 || { echo "Bail out! cannot build the namespaces"; exit 1; }
vrrp_conf d1 150
check "lvsd starts on d1" lvsd_start d1
check "d1, alone, becomes master with the address" \
	wait_until 30 eval 'is_state d1 master && has_vip d1'
kill -TERM "$PID_d1"
check "SIGTERM: it hands over first, the address kept meanwhile" \
	wait_until 30 log_has d1 "VI_1: handing over: advertising priority 0, keeping the virtual addresses"
check "no other director is heard: it says so and lets go" \
	wait_until 30 log_has d1 "no other director was heard as master within"
check "lvsd exits, and the address is gone" \
	wait_until 30 eval '! kill -0 $PID_d1 2>/dev/null && no_vip d1'

lvsd_start d1
wait_until 30 eval 'is_state d1 master && has_vip d1'
pids="$PID_d1 $(children_of "$PID_d1")"
disown "$PID_d1" 2>/dev/null # no "Killed" report from this shell
for p in $pids; do kill -STOP "$p"; done
for p in $pids; do kill -KILL "$p"; done
wait_until 30 eval '! kill -0 $PID_d1 2>/dev/null'
check "a killed lvsd leaves the address on the interface" has_vip d1
