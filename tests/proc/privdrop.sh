#!/bin/bash
# The weight and checkers children run as the unprivileged user with no
# capabilities and no-new-privs; vrrp stays root for raw sockets and
# addresses but keeps only CAP_NET_ADMIN and CAP_NET_RAW.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
echo "1..12"
write_conf dir1
check "lvsd starts" start_lvsd
nobody=$(id -u nobody)
for role in weight checkers; do
	pid=$(child_pid $role)
	check "$role runs as nobody (uid $nobody)" \
		test "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$pid/status)" = \
		"$nobody $nobody $nobody $nobody"
	check "$role has CapEff 0 and an empty bounding set" \
		test "$(status_field $pid CapEff) $(status_field $pid CapBnd) $(status_field $pid CapPrm)" = \
		"0000000000000000 0000000000000000 0000000000000000"
	check "$role has NoNewPrivs 1 and no supplementary groups" \
		test "$(status_field $pid NoNewPrivs) $(awk '/^Groups:/ { print $2 }' /proc/$pid/status)" = \
		"1 $(id -g nobody)"
done
vrrp=$(child_pid vrrp)
check "vrrp stays uid 0" test "$(status_field "$vrrp" Uid)" = 0
check "vrrp has only CAP_NET_ADMIN and CAP_NET_RAW (effective, permitted, bounding)" \
	test "$(status_field $vrrp CapEff) $(status_field $vrrp CapPrm) $(status_field $vrrp CapBnd) $(status_field $vrrp CapInh)" = \
	"0000000000003000 0000000000003000 0000000000003000 0000000000000000"
check "vrrp has NoNewPrivs 1" test "$(status_field $vrrp NoNewPrivs)" = 1

# Without CAP_SETPCAP the bounding set cannot be emptied: the children
# must refuse to run rather than keep a bounding set they promise is empty.
kill -TERM "$LVSD_PID"; wait "$LVSD_PID"
LVSD_PID=
: >"$LOG"
if setpriv --bounding-set -setpcap true 2>/dev/null; then
	setpriv --bounding-set -setpcap "$LVSD" -n -f "$CONF" 2>>"$LOG" &
	LVSD_PID=$!
	check "without CAP_SETPCAP, weight says it cannot empty the bounding set" \
		wait_for_log "cannot drop privileges to user nobody: emptying the bounding set: Operation not permitted"
	# the parent logs the exit a moment after the child's own line
	check "and exits instead of running" \
		wait_for_log_re "weight child \(pid [0-9]*\) exited with status 1"
else
	ok "# SKIP setpriv cannot drop CAP_SETPCAP"
	ok "# SKIP setpriv cannot drop CAP_SETPCAP"
fi
