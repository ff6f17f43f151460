#!/bin/bash
# The strict filter: a backup never answers for a VIP it does not hold.
# Two namespaces joined by veth: "backup" carries the VIPs 192.0.2.100 and
# 2001:db8::100 on its interface; "client" pings, connects, ARPs and
# solicits them.  nft-tool (vrrp/vrrp_nft.c) runs in the backup as a
# coprocess, as the vrrp child would; `nft` reads the kernel independently.
. "${abs_top_srcdir:?}/tests/proc/lib.sh"
TOOL=$abs_top_builddir/tests/netns/nft-tool

if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP namespace tests need root"; exit 0; fi
for c in nft arping ping ip setpriv; do
	command -v "$c" >/dev/null || { echo "1..0 # SKIP $c not installed (tests/deps.sh)"; exit 0; }
done
[ -x "$TOOL" ] || { echo "1..0 # SKIP nft-tool not built"; exit 0; }
PY=$(command -v python3) || { echo "1..0 # SKIP python3 not installed"; exit 0; }

B=lvsnft-b-$$
C=lvsnft-c-$$
T=$(mktemp -d /tmp/lvsd-nft.XXXXXX)
chmod 755 "$T"
VIP4=192.0.2.100
VIP6=2001:db8::100
SRV_PID=
# the plan comes last: the test points, then "no process left behind"
tap_leftovers=1
cleanup() {
	local p
	for p in ${TOOLP_PID:-} $SRV_PID; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	proc_no_leftovers "$B" "$C"
	echo "1..$tap_n"
	ip netns del "$B" 2>/dev/null
	ip netns del "$C" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
inb() { ip netns exec "$B" "$@"; }
inc() { ip netns exec "$C" "$@"; }

setup() {
	ip netns add "$B" && ip netns add "$C" &&
		ip link add vb netns "$B" type veth peer name vc netns "$C" || return 1
	inb sysctl -qw net.ipv6.conf.vb.accept_dad=0 && inc sysctl -qw net.ipv6.conf.vc.accept_dad=0
	inb ip link set lo up && inc ip link set lo up
	inb ip addr add 192.0.2.1/24 dev vb && inb ip addr add "$VIP4/24" dev vb &&
		inb ip addr add 2001:db8::1/64 dev vb nodad &&
		inb ip addr add "$VIP6/64" dev vb nodad || return 1
	inc ip addr add 192.0.2.2/24 dev vc && inc ip addr add 2001:db8::2/64 dev vc nodad &&
		inb ip link set vb up && inc ip link set vc up
}

# A TCP listener on every address of the backup, port 8080.
start_server() {
	ip netns exec "$B" "$PY" -c '
import socket
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 8080)); s.listen(16)
while True:
    c, _ = s.accept(); c.close()' </dev/null >/dev/null 2>&1 &
	SRV_PID=$!
	for _ in $(seq 50); do
		inb ss -Hltn 'sport = :8080' | grep -q LISTEN && return 0
		sleep 0.1
	done
	return 1
}

# The tool as a coprocess: tool CMD... sends one command, waits for its
# one-line answer (up to 10 s) and succeeds on "ok".
start_tool() {
	coproc TOOLP { ip netns exec "$B" "$TOOL" -; }
}
tool() {
	local reply
	echo "$*" >&"${TOOLP[1]}" || return 1
	read -r -t 10 reply <&"${TOOLP[0]}" || return 1
	REPLY_LINE=$reply
	[ "${reply%% *}" = ok ]
}

# counter FAMILY PATTERN: packets counted by our rule matching PATTERN
counter() {
	inb nft list table "$1" lvsd | grep -F -- "$2" | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}
grew() { [ "$(counter "$1" "$2")" -gt "${3:-0}" ]; }

# Answers from the client's side.  Positive probes retry up to a ceiling
# (they wait for the answer); negative ones are bounded and paired with a
# drop counter that must grow, so "no answer" is shown to be our drop.
arp_answers() { inc arping -q -f -c "${1:-5}" -w "${1:-5}" -I vc "$VIP4"; }
ping4() { inc ping -q -c "${2:-1}" -W 1 "$1" >/dev/null 2>&1; }
ping6() { inc ping -6 -q -c "${2:-1}" -W 1 "$1" >/dev/null 2>&1; }
tcp_connects() { inc timeout "${2:-5}" bash -c "exec 3<>/dev/tcp/$1/8080" 2>/dev/null; }
retry() {
	for _ in $(seq 10); do "$@" && return 0; done
	return 1
}
# (flush leaves permanent entries: the pinned ones are deleted by name)
flush_neigh() {
	inc ip neigh del "$VIP4" dev vc 2>/dev/null
	inc ip -6 neigh del "$VIP6" dev vc 2>/dev/null
	inc ip neigh flush dev vc && inc ip -6 neigh flush dev vc
}
# pin the VIPs' link-layer address on the client, so IP is tested past ARP/ND
pin_neigh() {
	local mac
	mac=$(inb cat /sys/class/net/vb/address)
	inc ip neigh replace "$VIP4" lladdr "$mac" dev vc nud permanent &&
		inc ip -6 neigh replace "$VIP6" lladdr "$mac" dev vc nud permanent
}
our_tables() { inb nft list tables | grep ' lvsd$' | sort | tr '\n' ' '; }
other_unchanged() { inb nft list table inet other | cmp -s - "$T/other.before"; }
nrules() { inb nft -a list chain "$1" lvsd input | grep -c 'drop # handle'; }

check "namespaces and veth" setup
check "a TCP listener on the backup" start_server

# The operator's own table, left untouched byte for byte.
inb nft -f - <<'EOF'
table inet other {
	set blocked { type ipv4_addr; elements = { 203.0.113.1 } }
	chain in { type filter hook input priority 0; policy accept; ip saddr @blocked counter drop; }
}
EOF
inb nft list table inet other >"$T/other.before"

start_tool
check "open installs our tables" tool open
check "inet and arp layout on this kernel" test "$REPLY_LINE" = "ok filtering ipv4 arp ipv6"
check "ruleset: table inet other, inet lvsd, arp lvsd" \
	test "$(inb nft list tables | sort | tr '\n' ' ')" = \
	"table arp lvsd table inet lvsd table inet other "
inb nft list table inet lvsd | diag
inb nft list table arp lvsd | diag

check "VIPs marked not held" tool notheld $VIP4 $VIP6
flush_neigh
check "ARP request for a not-held VIP: no answer" eval '! arp_answers 2'
check "... dropped by the ARP rule" grew arp 'arp daddr ip @notheld4'
check "the backup's own address still answers" retry ping4 192.0.2.1
pin_neigh
check "ping to a not-held VIP (neighbour pinned): no answer" eval '! ping4 $VIP4 2'
check "TCP connect to a not-held VIP: no answer" eval '! tcp_connects $VIP4 2'
check "... dropped by the ip daddr rule" grew inet 'ip daddr @notheld4'
check "ping6 to a not-held VIP (neighbour pinned): no answer" eval '! ping6 $VIP6 2'
check "TCP connect to a not-held IPv6 VIP: no answer" eval '! tcp_connects $VIP6 2'
check "... dropped by the ip6 daddr rule" grew inet 'ip6 daddr @notheld6'
flush_neigh
check "neighbour solicitation for a not-held VIP: no answer" eval '! ping6 $VIP6 2'
check "... dropped by the ND target rule" grew inet 'nd-neighbor-solicit'
check "the client never learnt the VIP's link-layer address" \
	eval '! inc ip -6 neigh show $VIP6 dev vc | grep -q lladdr'

check "VIPs marked held" tool held $VIP4 $VIP6
check "held twice and a held address never added: not an error" tool held $VIP4 $VIP6 203.0.113.9
flush_neigh
check "held: ARP answers" arp_answers 5
check "held: ping and TCP answer" eval 'retry ping4 $VIP4 && tcp_connects $VIP4'
check "held: ND, ping6 and TCP over IPv6 answer" eval 'retry ping6 $VIP6 && tcp_connects $VIP6'
check "the operator's table is untouched" other_unchanged

# A restart: another process opens while our tables (with VIPs) exist.
tool notheld $VIP4 $VIP6
check "a second open replaces our tables: one of each, 3 + 1 rules, empty sets" eval \
	'inb $TOOL open >/dev/null &&
	 test "$(our_tables)" = "table arp lvsd table inet lvsd " &&
	 test "$(nrules inet)" = 3 && test "$(nrules arp)" = 1 &&
	 ! inb nft list ruleset | grep -q elements.*$VIP4'

check "close without remove keeps our tables" eval \
	'tool close && test "$(our_tables)" = "table arp lvsd table inet lvsd "'
check "close --remove leaves no table of ours, the operator's untouched" eval \
	'tool open && tool close --remove && test -z "$(our_tables)" && other_unchanged'

# A kernel without IPv4 nftables (the lab's UML) gets the ip6 layout:
# forced here, since the host kernel has every family.
check "ip6-only layout: IPv6 filtered, IPv4 refused with a clear error" eval \
	'tool open6 && test "$REPLY_LINE" = "ok filtering ipv6" &&
	 test "$(our_tables)" = "table ip6 lvsd " && tool notheld $VIP6 &&
	 ! tool notheld $VIP4 && test "$REPLY_LINE" = "error notheld: Address family not supported by protocol"'
if id lvsd >/dev/null 2>&1; then
check "unprivileged without CAP_NET_ADMIN: refused, not crashed" eval \
	'out=$(inb setpriv --reuid=lvsd --regid=lvsd --clear-groups --inh-caps=-all $TOOL open); \
	 test "$out" = "error open: nftables filter unavailable: Operation not permitted"'
check "unprivileged user with CAP_NET_ADMIN (the vrrp child): open and close --remove" eval \
	'inb setpriv --reuid=lvsd --regid=lvsd --clear-groups --inh-caps=+net_admin \
	 --ambient-caps=+net_admin $TOOL open , notheld $VIP4 , close-remove >/dev/null &&
	 test -z "$(our_tables)" && other_unchanged'
else
	ok "# SKIP no user lvsd"
fi
exec {TOOLP[1]}>&-
