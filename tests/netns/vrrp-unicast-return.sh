#!/bin/bash
# A director whose link comes back hears the master at once, even when the
# master must resolve its address again: with unicast peers, the master's
# advertisements to it wait in the master's neighbour queue until it does,
# and it asks again only once a second (5 s here, to make it plain), far
# longer than a master-down interval of 100 ms advertisements (0.36 s).
# The returning director announces its own address (a gratuitous ARP) when
# its link comes back, so the held advertisements go out at once: it hears
# the master and preempts it, rather than taking over by the master-down
# timer from a master it cannot hear yet (which it would do ready or not).
# Three rounds, each with d2's entry for d1 unresolved when d1 returns.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
tap_plan 11
ns_setup d1 d2 || { echo "Bail out! cannot build the namespaces"; exit 1; }
vrrp_conf d1 150 "    unicast_peers: [${NS_IP[d2]}]"
vrrp_conf d2 100 "    unicast_peers: [${NS_IP[d1]}]"
nsx d2 sysctl -qw net.ipv4.neigh.eth0.retrans_time_ms=5000
check "lvsd starts on d1 and d2" eval 'lvsd_start d1 && lvsd_start d2'
check "d1 (150) is master, d2 (100) backup" wait_until 30 eval 'is_state d1 master && is_state d2 backup'

# unresolved: d2 is resolving d1's address (its advertisements wait)
unresolved() { nsx d2 ip neigh show "${NS_IP[d1]}" dev eth0 | grep -q INCOMPLETE; }
# took_over_since N: d1 logged a takeover after its first N
took_over_since() { [ "$(log_count d1 "backup -> master")" -gt "$1" ]; }
for round in 1 2 3; do
	ip -n "$(ns sw)" link set v-d1 down
	check "round $round: d1's link down, d2 becomes master" \
		wait_until 30 eval 'is_state d1 fault && is_state d2 master'
	# d2 forgets d1's link-layer address, as it does when the entry
	# expires, and its next advertisement asks for it again
	nsx d2 ip neigh del "${NS_IP[d1]}" dev eth0 2>/dev/null
	check "round $round: d2 resolves d1's address again, in vain" wait_until 30 unresolved
	before=$(log_count d1 "backup -> master")
	ip -n "$(ns sw)" link set v-d1 up
	wait_until 30 took_over_since "$before"
	line=$(grep -F "backup -> master" "$T/d1.log" | tail -n 1)
	check "round $round: d1 back preempts d2 it heard (${line#*: VI_1: })" \
		test -z "${line##*backup -> master: preempted a lower-priority master}"
done
