#!/bin/bash
# lvsd and keepalived 2.2.7 (Debian's, VRRP only) as a pair, both ways, for
# VRRP version 2 and version 3, each over multicast and over unicast:
# the higher priority is master whichever daemon it is, the other stays
# backup without the address, and each takes over when the other stops.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
command -v keepalived >/dev/null || { echo "1..0 # SKIP no keepalived (apt-get install keepalived)"; exit 0; }
modes="v2 v3 v2-unicast v3-unicast"
tap_plan $((8 * 4))
ns_setup d1 d2 || { echo "Bail out! cannot build the namespaces"; exit 1; }

# keepalived_conf MODE PRIORITY: keepalived in d2
keepalived_conf() {
	local ver=${1%%-*} uni=
	[ "${1#*-}" = unicast ] && uni="unicast_src_ip ${NS_IP[d2]}
    unicast_peer { ${NS_IP[d1]} }"
	cat >"$T/k.conf" <<EOC
global_defs {
    router_id k-d2
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int $([ "$ver" = v2 ] && echo 1 || echo 0.1)
    version ${ver#v}
    virtual_ipaddress {
        $VIP/24
    }
    $uni
}
EOC
}

keepalived_start() {
	ip netns exec "$(ns d2)" keepalived -n -l -D --vrrp -f "$T/k.conf" -p "$T/k.pid" -r "$T/k.vrrp.pid" \
		>>"$T/keepalived.log" 2>&1 &
	K_PID=$!
	NS_PIDS="$NS_PIDS $!"
}
keepalived_stop() {
	kill -TERM "$K_PID"
	wait_until 30 eval '! kill -0 "$K_PID" 2>/dev/null'
}
lvsd_stop() {
	kill -TERM "$PID_d1"
	wait_until 30 eval '! kill -0 "$PID_d1" 2>/dev/null'
}

for mode in $modes; do
	ver=${mode%%-*}
	uni=
	[ "${mode#*-}" = unicast ] && uni="    unicast_peers: [${NS_IP[d2]}]"
	ADVERT=$([ "$ver" = v2 ] && echo 1s || echo 100ms)
	vrrp_conf d1 150 "    version: ${ver#v}
$uni"
	keepalived_conf "$mode" 100
	: >"$T/d1.log"
	: >"$T/keepalived.log"
	check "$mode: lvsd (150) and keepalived (100) start" eval 'lvsd_start d1 && keepalived_start'
	check "$mode: lvsd is master with the address, keepalived backup without it" \
		wait_until 30 eval 'is_state d1 master && has_vip d1 && no_vip d2 &&
			grep -q "Entering BACKUP STATE" "$T/keepalived.log"'
	check "$mode: lvsd dropped nothing keepalived sent" \
		test "$(vrrp_json d1 adverts_dropped)" = 0
	lvsd_stop
	check "$mode: lvsd stopped (it hands over): keepalived takes the address" \
		wait_until 30 eval 'has_vip d2 && no_vip d1'
	keepalived_stop
	# the other way round: keepalived the higher priority
	keepalived_conf "$mode" 200
	keepalived_start
	check "$mode: keepalived (200) alone becomes master" wait_until 30 has_vip d2
	lvsd_start d1
	check "$mode: lvsd (150) joins as backup, without the address" \
		wait_until 30 eval 'is_state d1 backup && no_vip d1 && has_vip d2'
	check "$mode: lvsd counts keepalived's adverts as received, none dropped" \
		wait_until 30 eval '[ "$(vrrp_json d1 adverts_received)" -gt 1 ] &&
			[ "$(vrrp_json d1 adverts_dropped)" = 0 ]'
	keepalived_stop
	check "$mode: keepalived stopped: lvsd becomes master" \
		wait_until 30 eval 'is_state d1 master && has_vip d1'
	lvsd_stop
	nsx d1 ip addr flush dev eth0 to "$VIP/32" 2>/dev/null
	nsx d2 ip addr flush dev eth0 to "$VIP/32" 2>/dev/null
done
