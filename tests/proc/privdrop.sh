#!/bin/bash
# The weight and checkers children run as the unprivileged user with no
# capabilities and no-new-privs; vrrp keeps root for raw sockets.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
echo "1..8"
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
check "vrrp keeps root" test "$(status_field "$(child_pid vrrp)" Uid)" = 0
