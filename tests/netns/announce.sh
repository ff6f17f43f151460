#!/bin/bash
# Announce routes (active-active directors behind ECMP) on the host kernel,
# which has no IPVS: the kernel adapter adds, replaces, lists and removes
# VIP routes in a table of a namespace; lvsd itself never announces where it
# cannot forward (no IPVS: nothing programmed), removes the routes it left
# for VIPs it no longer announces, leaves routes of other protocols alone,
# withdraws an adopted route, says why in lvsctl status (text and JSON),
# drains the director and lets go after the wait.  The lab proves the
# announcing side on a kernel with IPVS (tests/lab/cases/ecmp-*.sh).
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
ROUTE_TOOL=$abs_top_builddir/tests/netns/route-tool
[ -x "$ROUTE_TOOL" ] || { echo "1..0 # SKIP route-tool not built"; exit 0; }
command -v python3 >/dev/null || { echo "1..0 # SKIP needs python3"; exit 0; }
tap_plan 13
ns_setup d1 || { echo "Bail out! cannot build the namespaces"; exit 1; }

# routes TABLE: the table as ip(8) shows it, one line each
routes() { nsx d1 ip -d route show table "$1" 2>/dev/null; nsx d1 ip -6 -d route show table "$1" 2>/dev/null; }
has_route() { routes "$1" | grep -q "$2"; }
no_route() { ! has_route "$@"; }

# the adapter alone
nsx d1 "$ROUTE_TOOL" add 100 192.0.2.10 && nsx d1 "$ROUTE_TOOL" add 100 192.0.2.10 &&
	nsx d1 "$ROUTE_TOOL" add 100 2001:db8::10
check "add: a /32 and a /128 dev lo, protocol 240, in table 100; adding again is no error" \
	eval 'has_route 100 "unicast 192.0.2.10 dev lo proto 240 scope host" &&
	has_route 100 "unicast 2001:db8::10 dev lo proto 240"'
check "list: lvsd's routes, whatever their table" \
	eval '[ "$(nsx d1 "$ROUTE_TOOL" list | sort)" = "$(printf "100 192.0.2.10\n100 2001:db8::10")" ]'
nsx d1 "$ROUTE_TOOL" del 100 192.0.2.10 && nsx d1 "$ROUTE_TOOL" del 100 192.0.2.10 &&
	nsx d1 "$ROUTE_TOOL" del 100 2001:db8::10
check "del: gone; deleting again is no error" eval '[ -z "$(routes 100)" ]'

# lvsd: a stale route of its own, its VIP's route left by a crash, a route
# of another daemon in the same table
nsx d1 ip route add 192.0.2.77/32 dev lo table 100 proto 240
nsx d1 ip route add 192.0.2.10/32 dev lo table 100 proto 240
nsx d1 ip route add 192.0.2.88/32 dev lo table 100 proto static
cat >"$T/d1.yaml" <<EOC
global:
  director_id: d1
  control_socket: $T/d1.sock
  director_drain_wait: 1s
  sloppy_tcp: true
services:
  - name: web
    address: 192.0.2.10
    port: 80
    scheduler: mh
    check: {type: none}
    real_servers: [{address: 198.51.100.11}, {address: 198.51.100.12}]
    announce: {table: 100, min_up: 1}
EOC
LOG=$T/d1.log
lvsd_start d1 || { echo "Bail out! lvsd did not start"; exit 1; }
check "a route lvsd left for a VIP it no longer announces is removed, and logged" \
	wait_until 30 eval 'no_route 100 192.0.2.77 && grep -q "announce 192.0.2.77/32 table 100: removed: no longer announced" "$LOG"'
check "no IPVS: the VIP's route left by a crash is withdrawn, with the reason, once" \
	wait_until 30 eval 'no_route 100 "192.0.2.10 " &&
	[ "$(grep -c "announce 192.0.2.10/32 table 100: withdrawn: service web: the kernel has no IPVS" "$LOG")" = 1 ]'
check "another daemon's route in the table stays" has_route 100 "192.0.2.88 dev lo proto static"
"$LVSCTL" -s "$T/d1.sock" status >"$T/status.txt" 2>&1
check "status says so as text" grep -q "192.0.2.10/32 table 100: withdrawn for [0-9]*s: service web: the kernel has no IPVS" "$T/status.txt"
# json KEY-PATH: a value of lvsctl status --json, as Python prints it
json() {
	"$LVSCTL" -s "$T/d1.sock" status --json 2>/dev/null |
		python3 -c "import json,sys; d=json.load(sys.stdin)['announce']; print($1)"
}
check "and as JSON" eval '[ "$(json "d[\"routes\"][0][\"announced\"], d[\"routes\"][0][\"why\"], d[\"routes\"][0][\"table\"], d[\"draining\"]")" = "False no-ipvs 100 False" ]'

# drain the director: the answer comes after the wait
start=$(now_ms)
"$LVSCTL" -s "$T/d1.sock" drain --director >"$T/drain.txt" 2>&1
rc=$?
check "drain --director answers ok after its wait" eval '[ $rc = 0 ] && grep -q "withdrew 0 routes and waited" "$T/drain.txt"'
diag <<<"drain --director took $(($(now_ms) - start)) ms (director_drain_wait 1s)"
check "status shows the director draining, and why the route is out" eval '[ "$(json "d[\"draining\"], d[\"routes\"][0][\"why\"]")" = "True draining" ]'
"$LVSCTL" -s "$T/d1.sock" drain --director 0 >/dev/null 2>&1
check "drain --director 0 does not wait" eval '[ $? = 0 ]'
check "drain --director with a bad wait is refused" eval '! "$LVSCTL" -s "$T/d1.sock" drain --director soon 2>/dev/null'
"$LVSCTL" -s "$T/d1.sock" undrain --director >/dev/null 2>&1
check "undrain --director: serving again (still no IPVS, so no route)" eval '[ "$(json "d[\"draining\"], d[\"routes\"][0][\"why\"]")" = "False no-ipvs" ] && no_route 100 "192.0.2.10 "'
