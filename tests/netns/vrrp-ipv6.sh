#!/bin/bash
# VRRP version 3 over IPv6 between two lvsd: adverts from the link-local
# address to ff02::12, the master holds the IPv6 VIP (usable at once, no
# duplicate address detection) and the client reaches it; on the master's
# link down the backup takes over, and the client reaches it there.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
tap_plan 7
ns_setup d1 d2 c1 || { echo "Bail out! cannot build the namespaces"; exit 1; }
for n in d1 d2; do
	cat >"$T/$n.yaml" <<EOC
global:
  control_socket: $T/$n.sock
vrrp:
  - name: VI_6
    interface: eth0
    vrid: 61
    priority: $([ $n = d1 ] && echo 150 || echo 100)
    advert_interval: 100ms
    virtual_addresses: [$VIP6/64]
EOC
done
has_vip6() { nsx "$1" ip -6 -br addr show dev eth0 | grep -q " $VIP6/64"; }
no_vip6() { ! has_vip6 "$1"; }
# mac_of NODE: the MAC the client has for the VIP is that node's
vip6_mac() { nsx c1 ip -6 neigh show "$VIP6" dev eth0 | awk '{ print $3 }'; }
mac_of() { nsx "$1" cat /sys/class/net/eth0/address; }
reach() { nsx c1 ping -6 -c 1 -W 1 "$VIP6" >/dev/null 2>&1; }
check "lvsd starts on d1 and d2" eval 'lvsd_start d1 && lvsd_start d2'
check "d1 becomes master with $VIP6, d2 backup without it" \
	wait_until 30 eval 'is_state d1 master && is_state d2 backup && has_vip6 d1 && no_vip6 d2'
check "the client reaches the VIP at d1" wait_until 30 eval 'reach && [ "$(vip6_mac)" = "$(mac_of d1)" ]'
check "d2 names d1's link-local address as the master" \
	test "$(vrrp_json d2 master)" = "$(nsx d1 ip -6 -br addr show dev eth0 scope link | awk '{ sub("/64", "", $3); print $3 }')"
ip -n "$(ns sw)" link set v-d1 down
check "d1's link down: d2 becomes master with the VIP" \
	wait_until 30 eval 'is_state d2 master && has_vip6 d2'
check "the client reaches the VIP at d2 (its unsolicited NA moved it)" \
	wait_until 30 eval 'reach && [ "$(vip6_mac)" = "$(mac_of d2)" ]'
check "d2 dropped no advertisement" test "$(vrrp_json d2 adverts_dropped)" = 0
