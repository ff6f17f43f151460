#!/bin/bash
# Kernel state outlives lvsd: a master killed outright (every process of
# it stopped, then killed, so none could resign) leaves its virtual address
# on the interface; the backup takes over.  The restarted lvsd finds the
# address and reconciles it: with preempt it becomes master again and keeps
# it; without, it hears the other master and removes it, saying so once.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
tap_plan 10
ns_setup d1 d2 || { echo "Bail out! cannot build the namespaces"; exit 1; }
vrrp_conf d1 150
vrrp_conf d2 100
check "lvsd starts on d1 and d2" eval 'lvsd_start d1 && lvsd_start d2'
check "d1 master, d2 backup" wait_until 30 eval 'is_state d1 master && is_state d2 backup && has_vip d1'

# kill_hard NODE: SIGSTOP every lvsd process of the node, then SIGKILL them
kill_hard() {
	local p pids
	pids="$(eval echo \$PID_$1) $(children_of "$(eval echo \$PID_$1)")"
	for p in $pids; do kill -STOP "$p"; done
	for p in $pids; do kill -KILL "$p"; done
	wait_until 30 eval '! kill -0 '"$(eval echo \$PID_$1)"' 2>/dev/null'
}
kill_hard d1
check "d1's lvsd killed outright: its address stays on the interface" has_vip d1
check "d2 takes over" wait_until 30 eval 'is_state d2 master && has_vip d2'
lvsd_start d1
check "the restarted lvsd on d1 says it found its address" \
	wait_until 30 log_has d1 "virtual addresses are on eth0 already: kept only if this director becomes master"
check "with preempt it becomes master again and keeps it; d2 lets go" \
	wait_until 30 eval 'is_state d1 master && has_vip d1 && is_state d2 backup && no_vip d2'

# again, but d1 does not preempt: it must give the address up
kill_hard d1
wait_until 30 eval 'is_state d2 master'
vrrp_conf d1 150 "    preempt: false"
lvsd_start d1
check "without preempt, the restarted d1 stays backup" wait_until 30 is_state d1 backup
check "and removes the address it found, saying why" \
	wait_until 30 eval 'no_vip d1 && log_has d1 "removed 1 virtual addresses from eth0 (found at start, held by another master)"'
check "said once" test "$(log_count d1 "found at start, held by another master")" = 1
check "d2 stays master with the address" eval 'is_state d2 master && has_vip d2'
