#!/bin/bash
# Regenerate the keepalived fixtures of tests/unit/test_vrrp_pkt.c (not run
# by make check: it needs root, keepalived and tcpdump).
#
#   tests/unit/vrrp-fixtures.sh      (as root; prints the C arrays)
#
# Two network namespaces joined by a veth pair with fixed MAC addresses (so
# the IPv6 link-local source is fixed: fe80::ff:fe00:1), addresses
# 192.0.2.1/24 + 2001:db8::1/64 in A and 192.0.2.2/24 + 2001:db8::2/64 in B,
# no DAD.  keepalived (VRRP only: no virtual servers) runs in A, one
# instance per case; tcpdump in B captures its adverts and the second one
# is printed as the whole IP packet, the bytes a raw socket sees (IPv6:
# with the 40-byte IPv6 header in front).  Nothing leaves the namespaces.
set -eu
case_filter=${1:-}
a=vrrpfx-a b=vrrpfx-b
tmp=$(mktemp -d /tmp/vrrp-fixtures.XXXXXX)
ka=
cleanup() {
	[ -n "$ka" ] && kill "$ka" 2>/dev/null && wait "$ka" 2>/dev/null
	ip netns del $a 2>/dev/null || true
	ip netns del $b 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add $a
ip netns add $b
for n in $a $b; do
	ip netns exec $n sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip netns exec $n sysctl -qw net.ipv6.conf.all.accept_dad=0
	ip -n $n link set lo up
done
ip -n $a link add vfa address 02:00:00:00:00:01 type veth peer name vfb netns $b address 02:00:00:00:00:02
ip -n $a addr add 192.0.2.1/24 dev vfa
ip -n $a addr add 2001:db8::1/64 dev vfa nodad
ip -n $b addr add 192.0.2.2/24 dev vfb
ip -n $b addr add 2001:db8::2/64 dev vfb nodad
ip -n $a link set vfa up
ip -n $b link set vfb up

# capture NAME VERSION INSTANCE-BODY
capture() {
	local name=$1 conf=$tmp/$1.conf pcap=$tmp/$1.pcap tp i
	[ -z "$case_filter" ] || [ "$case_filter" = "$name" ] || return 0
	cat >"$conf" <<CONF
global_defs {
	router_id lvsd_fixture
}
vrrp_instance $name {
	state MASTER
	interface vfa
$2
}
CONF
	ip netns exec $b tcpdump -i vfb -n -U -c 2 -w "$pcap" 'ip proto 112 or ip6 proto 112' \
		2>"$tmp/$name.tcpdump" &
	tp=$!
	for i in $(seq 100); do
		grep -q listening "$tmp/$name.tcpdump" && break
		sleep 0.1
	done
	ip netns exec $a keepalived -n -l -D -f "$conf" -p "$tmp/$name.pid" \
		-r "$tmp/$name.vrrp.pid" --vrrp >"$tmp/$name.log" 2>&1 &
	ka=$!
	if ! timeout 30 tail --pid=$tp -f /dev/null; then
		echo "$name: no adverts captured; keepalived said:" >&2
		tail -20 "$tmp/$name.log" >&2
		exit 1
	fi
	kill "$ka"
	wait "$ka" || true
	ka=
	python3 - "$pcap" "$name" "$conf" <<'PY'
import struct, sys
pcap, name, conf = sys.argv[1:4]
data = open(pcap, 'rb').read()
pos, pkts = 24, []
while pos < len(data):
    _, _, incl, _ = struct.unpack_from('<IIII', data, pos)
    pkts.append(data[pos + 16:pos + 16 + incl])
    pos += 16 + incl
pkt = pkts[-1][14:]  # Ethernet header off
print('/* %s: keepalived.conf instance:' % name)
for line in open(conf).read().split('vrrp_instance', 1)[1].splitlines()[1:-1]:
    print(' *   ' + line.strip())
print(' */')
print('static const uint8_t fx_%s[] = {' % name)
for i in range(0, len(pkt), 12):
    print('\t' + ' '.join('0x%02x,' % b for b in pkt[i:i + 12]))
print('};')
PY
}

capture v2_ip4 "	version 2
	virtual_router_id 51
	priority 150
	advert_int 1
	virtual_ipaddress {
		198.51.100.10
		198.51.100.11
		198.51.100.12
	}"
capture v3_ip4 "	version 3
	virtual_router_id 52
	priority 200
	advert_int 0.1
	virtual_ipaddress {
		203.0.113.20
		203.0.113.21
	}"
capture v3_ip6 "	version 3
	virtual_router_id 53
	priority 100
	advert_int 0.02
	virtual_ipaddress {
		2001:db8:1::30/64
		2001:db8:1::31/64
		2001:db8:1::32/64
	}"
capture v3_ip4_unicast "	version 3
	virtual_router_id 54
	priority 120
	advert_int 0.5
	unicast_src_ip 192.0.2.1
	unicast_peer {
		192.0.2.2
	}
	virtual_ipaddress {
		198.51.100.40
		198.51.100.41
		198.51.100.42
	}"
