#!/bin/bash
# SIGTERM stops lvsd and every child cleanly and removes the control socket.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
echo "1..5"
write_conf dir1
check "lvsd starts" start_lvsd
kids=$(children_of "$LVSD_PID")
check "three children run" test "$(echo $kids | wc -w)" = 3
kill -TERM "$LVSD_PID"
rc=timeout
for _ in $(seq 50); do
	if ! kill -0 "$LVSD_PID" 2>/dev/null; then wait "$LVSD_PID"; rc=$?; break; fi
	sleep 0.1
done
check "lvsd exits with status 0 within 5 s (got $rc)" test "$rc" = 0
left=""
for k in $kids; do [ -d /proc/$k ] && left="$left $k"; done
check "no child is left (left:${left:- none})" test -z "$left"
check "the control socket is gone" test ! -e "$SOCK"
LVSD_PID=
