#!/bin/bash
# A reload keeps a running VRRP instance running: the master stays master
# (no transition, the backup sees nothing), takes a virtual address the new
# file adds and lets go of one it drops; an instance removed from the file
# is shut down (its addresses go); a broken file changes nothing.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
tap_plan 10
ns_setup d1 d2 || { echo "Bail out! cannot build the namespaces"; exit 1; }
VIP2=192.0.2.101
# 1 s adverts: between the two reloads the directors disagree on the address
# list (adverts are dropped); the backup must not time out meanwhile
ADVERT=1s
vrrp_conf d1 150
vrrp_conf d2 100
check "lvsd starts on d1 and d2" eval 'lvsd_start d1 && lvsd_start d2'
check "d1 master, d2 backup" wait_until 30 eval 'is_state d1 master && is_state d2 backup && has_vip d1'
t1=$(vrrp_json d1 transitions) t2=$(vrrp_json d2 transitions)
has() { nsx "$1" ip -br addr show dev eth0 | grep -q " $2/24"; }
# d1's new file: VIP2 instead of VIP, another priority; d2's the same list
for n in d1 d2; do sed -i "s|virtual_addresses: \[$VIP/24\]|virtual_addresses: [$VIP2/24]|" "$T/$n.yaml"; done
sed -i 's/priority: 150/priority: 160/' "$T/d1.yaml"
check "reload on d1" quiet "$LVSCTL" -s "$T/d1.sock" reload
check "reload on d2" quiet "$LVSCTL" -s "$T/d2.sock" reload
check "d1 holds $VIP2 and no longer $VIP" wait_until 30 eval 'has d1 $VIP2 && ! has d1 $VIP'
check "nobody changed state over the reloads" \
	test "$(vrrp_json d1 transitions) $(vrrp_json d2 transitions) $(state d1) $(state d2)" = \
	"$t1 $t2 master backup"
check "d1 advertises its new priority" wait_until 30 eval '[ "$(vrrp_json d1 effective_priority)" = 160 ]'
# a broken file: the running generation stays, and so does everything
echo "vrrp: [" >>"$T/d1.yaml"
check "a broken file is refused" eval '! "$LVSCTL" -s "$T/d1.sock" reload 2>/dev/null'
check "and d1 still holds $VIP2 as master" eval 'has d1 $VIP2 && is_state d1 master'
# the instance removed from the file: shut down, its address gone
vrrp_conf d1 150
sed -i '/^vrrp:/,$d' "$T/d1.yaml"
check "the instance removed from d1's file: its address goes" \
	eval 'quiet "$LVSCTL" -s "$T/d1.sock" reload && wait_until 30 eval "! has d1 $VIP2"'
