#!/bin/bash
# A child that cannot be started (no descriptor left for its socketpair)
# does not crash lvsd: it is retried with the usual back-off, lvsd keeps
# running and stops cleanly; without descriptors for its own setup lvsd
# exits 1 saying why.  Never a crash, whatever the limit.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 11
write_conf dir1

# run_limited N: lvsd -n with at most N descriptors, in the background
run_limited() {
	: >"$LOG"
	(exec 2>>"$LOG" && ulimit -n "$1" && exec "$LVSD" -n -f "$CONF") &
	LVSD_PID=$!
}

# settled: lvsd says it runs (a child it could not start is already
# scheduled for a retry then), or it has exited
settled() { grep -q "running, pid $LVSD_PID\$" "$LOG" || ! kill -0 "$LVSD_PID" 2>/dev/null; }

# How many descriptors the test inherited decides where the limits fall,
# so try a range: each run either runs (and stops with 0 on SIGTERM) or
# exits 1 with a reason, and some run must retry a child that failed.
retried=
for n in 5 6 7 8 9 10 11 12 13 14; do
	run_limited $n
	wait_until settled
	if kill -0 "$LVSD_PID" 2>/dev/null; then
		grep -q "restarting the [a-z]* child in 500 ms" "$LOG" && retried="$retried $n"
		kill -TERM "$LVSD_PID" 2>/dev/null
		wait "$LVSD_PID"; rc=$?
		check "ulimit -n $n: lvsd runs, and SIGTERM stops it with status 0 ($rc)" test "$rc" = 0
	else
		wait "$LVSD_PID"; rc=$?
		check "ulimit -n $n: lvsd exits 1 with a reason ($rc: $(tail -1 "$LOG" | cut -c 14-))" \
			test "$rc" = 1 -a -s "$LOG"
	fi
done
LVSD_PID=
check "with some limits (${retried# }) a child could not start and was retried" test -n "$retried"
