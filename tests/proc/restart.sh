#!/bin/bash
# A child killed with -9 is restarted at once under a new pid, and the
# parent logs which child died and of which signal; a child that dies again
# soon after a restart comes back after a back-off of 500 ms, doubling with
# each quick death; one that ran 10 s or more (PROC_STABLE_S) starts over.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 18
write_conf dir1
check "lvsd starts" start_lvsd

# new_pid ROLE OLD: the child's pid once it is running and is not OLD
new_pid() {
	local p
	p=$(child_pid "$1")
	[ -n "$p" ] && [ "$p" != "$2" ] && echo "$p"
}
# restarted ROLE OLD: wait until ROLE runs again under a pid other than OLD
restarted() { wait_until quiet new_pid "$1" "$2"; }

# died_line ROLE PID: lvsd's line saying the child PID died (waited for)
died_line() {
	wait_for_log_re "$1 child \\(pid $2\\) killed by signal SIGKILL after " &&
		grep -E "$1 child \\(pid $2\\) killed by signal SIGKILL after " "$LOG" | tail -1
}

# between ROLE OLD: lvsd's lines about ROLE from the death of pid OLD to the
# next "started ROLE child" line (waited for)
between() {
	wait_until awk -v d="$1 child (pid $2) killed" -v s="started $1 child" '
		index($0, d) { on = 1; next } on && index($0, s) { ok = 1; exit } END { exit !ok }' "$LOG" &&
		awk -v d="$1 child (pid $2) killed" -v s="started $1 child" -v r="$1 child" '
		index($0, d) { on = 1; next } on && index($0, r) { print } on && index($0, s) { exit }' "$LOG"
}

# The first death of each child: back at once, no back-off line.
for role in vrrp checkers weight; do
	old=$(child_pid $role)
	kill -KILL "$old"
	restarted $role "$old"
	new=$(new_pid $role "$old")
	check "$role killed with -9 (pid $old) is back as pid ${new:-none}" test -n "$new"
	check "log says the $role child died of SIGKILL" \
		grep -q "$role child (pid $old) killed by signal SIGKILL" "$LOG"
	lines=$(between $role "$old")
	echo "$lines" | diag
	check "and restarted it at once, with no back-off" \
		test -n "$lines" -a -z "$(echo "$lines" | grep "restarting the $role child in")"
	check "status counts one restart of $role and its last exit" python3 -c '
import json, sys
p = {x["role"]: x for x in json.loads(sys.stdin.read())["processes"]}[sys.argv[1]]
assert p["restarts"] == 1 and p["last_exit"] == "killed by signal SIGKILL", p
assert p["pid"] == int(sys.argv[2]) and p["generation"] == 1, p
' "$role" "$new" < <(ctl status --json)
done
check "still exactly three children" test "$(children_of "$LVSD_PID" | wc -l)" = 3

# Quick deaths of vrrp, each killed as soon as its restart is seen: the
# back-off the log announces follows from the uptime the log reports (the
# previous back-off doubled, 500 ms after a restart at once, nothing when
# the child ran 10 s or more).  Expected on any machine: 500, 1000, 2000.
backoff=500 # the first death above was restarted at once
for n in 2 3 4; do
	old=$(child_pid vrrp)
	kill -KILL "$old"
	up=$(died_line vrrp "$old" | sed -n 's/.* after \([0-9.]*\) s$/\1/p')
	if [ -n "$up" ] && awk -v u="$up" 'BEGIN { exit !(u >= 10) }'; then
		want="at once" backoff=500
	else
		want="in $backoff ms" backoff=$((backoff * 2))
	fi
	restarted vrrp "$old"
	lines=$(between vrrp "$old")
	echo "$lines" | diag
	got=$(echo "$lines" | sed -n 's/.*restarting the vrrp child \(in [0-9]* ms\)$/\1/p')
	check "death $n of vrrp (up ${up:-?} s) restarts it ${want}: ${got:-at once}" \
		test -n "$up" -a -n "$lines" -a "${got:-at once}" = "$want"
done
check "status counts four restarts of vrrp" python3 -c '
import json, sys
p = {x["role"]: x for x in json.loads(sys.stdin.read())["processes"]}["vrrp"]
assert p["restarts"] == 4 and p["running"], p
' < <(ctl status --json)
