#!/bin/bash
# Several instances on one interface: VI_A (VRID 51) prefers d1 and VI_B
# (VRID 52) prefers d2, so each director is master of one; each instance
# ignores the other's adverts without counting them as drops; d1's link
# down moves both to d2.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
tap_plan 5
ns_setup d1 d2 || { echo "Bail out! cannot build the namespaces"; exit 1; }
VIPB=192.0.2.110
for n in d1 d2; do
	pa=$([ $n = d1 ] && echo 150 || echo 100) pb=$([ $n = d1 ] && echo 100 || echo 150)
	cat >"$T/$n.yaml" <<EOC
global:
  control_socket: $T/$n.sock
vrrp:
  - { name: VI_A, interface: eth0, vrid: 51, priority: $pa, advert_interval: 100ms, virtual_addresses: [$VIP/24] }
  - { name: VI_B, interface: eth0, vrid: 52, priority: $pb, advert_interval: 100ms, virtual_addresses: [$VIPB/24] }
EOC
done
# st NODE I KEY: a field of instance I (0 or 1) in status --json
st() {
	"$LVSCTL" -s "$T/$1.sock" status --json 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp"][int(sys.argv[1])][sys.argv[2]])' "$2" "$3"
}
has() { nsx "$1" ip -br addr show dev eth0 | grep -q " $2/24"; }
check "lvsd starts on d1 and d2" eval 'lvsd_start d1 && lvsd_start d2'
check "d1 is master of VI_A, d2 of VI_B, each with its address" \
	wait_until 30 eval '[ "$(st d1 0 state) $(st d1 1 state) $(st d2 0 state) $(st d2 1 state)" = \
		"master backup backup master" ] && has d1 $VIP && has d2 $VIPB && ! has d1 $VIPB && ! has d2 $VIP'
check "the other instance's adverts are not drops" \
	wait_until 30 eval '[ "$(st d1 1 adverts_received)" -gt 5 ] &&
		[ "$(st d1 0 adverts_dropped)$(st d1 1 adverts_dropped)$(st d2 0 adverts_dropped)$(st d2 1 adverts_dropped)" = 0000 ]'
ip -n "$(ns sw)" link set v-d1 down
check "d1's link down: d2 is master of both" \
	wait_until 30 eval '[ "$(st d2 0 state) $(st d2 1 state)" = "master master" ] && has d2 $VIP && has d2 $VIPB'
check "d1 is in fault for both" \
	wait_until 30 eval '[ "$(st d1 0 state) $(st d1 1 state)" = "fault fault" ]'
