#!/bin/bash
# A child killed with -9 is back within 1 s, under a new pid, and the
# parent logs which child died and of which signal.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
echo "1..13"
write_conf dir1
check "lvsd starts" start_lvsd

for role in vrrp checkers weight; do
	old=$(child_pid $role)
	new=
	kill -KILL "$old"
	t0=$(now_ms)
	while [ $(($(now_ms) - t0)) -lt 1000 ]; do
		new=$(child_pid $role)
		[ -n "$new" ] && [ "$new" != "$old" ] && break
		new=
		sleep 0.02
	done
	dt=$(($(now_ms) - t0))
	check "$role killed with -9 (pid $old) is back as pid ${new:-none} in ${dt} ms" \
		test -n "$new" -a "$dt" -le 1000
	check "log says the $role child died of SIGKILL" \
		grep -q "$role child (pid $old) killed by signal SIGKILL" "$LOG"
	check "status counts one restart of $role and its last exit" python3 -c '
import json, sys
p = {x["role"]: x for x in json.loads(sys.stdin.read())["processes"]}[sys.argv[1]]
assert p["restarts"] == 1 and p["last_exit"] == "killed by signal SIGKILL", p
assert p["pid"] == int(sys.argv[2]) and p["generation"] == 1, p
' "$role" "$new" < <(ctl status --json)
done
check "still exactly three children" test "$(children_of "$LVSD_PID" | wc -l)" = 3

# Dying again soon after a restart backs off: 500 ms, then doubling.
kill -KILL "$(child_pid vrrp)"
check "a second quick death of vrrp restarts it after 500 ms" \
	wait_for_log "restarting the vrrp child in 500 ms"
for _ in $(seq 40); do [ -n "$(child_pid vrrp)" ] && break; sleep 0.05; done
kill -KILL "$(child_pid vrrp)"
check "a third one after 1000 ms" wait_for_log "restarting the vrrp child in 1000 ms"
