#!/bin/bash
# SIGTERM stops lvsd and every child cleanly and removes the control socket.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 5
write_conf dir1
check "lvsd starts" start_lvsd
kids=$(children_of "$LVSD_PID")
check "three children run" test "$(echo $kids | wc -w)" = 3
kill -TERM "$LVSD_PID"
rc=timeout
gone() { ! kill -0 "$LVSD_PID" 2>/dev/null; }
wait_until gone && { wait "$LVSD_PID"; rc=$?; }
check "lvsd exits with status 0 (got $rc)" test "$rc" = 0
left=""
for k in $kids; do [ -d /proc/$k ] && left="$left $k"; done
check "no child is left (left:${left:- none})" test -z "$left"
check "the control socket is gone" test ! -e "$SOCK"
LVSD_PID=
