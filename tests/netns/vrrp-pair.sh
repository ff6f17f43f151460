#!/bin/bash
# Two lvsd directors on one link elect the higher priority as master (the
# virtual address only there), fail over when the master's link goes down,
# take the address back when it returns (preempt, once ready), survive a
# kill -9 of the master's vrrp child without the backup seeing a
# transition, and heal a split brain within an advertisement interval of
# the link coming back.  Timers: 100 ms advertisements.  d2 announces a VIP
# it takes over with 5 gratuitous ARPs 50 ms apart (announce_repeat,
# announce_interval), counted as they leave it (tcpdump).
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
tap_plan 25
ns_setup d1 d2 || { echo "Bail out! cannot build the namespaces"; exit 1; }
vrrp_conf d1 150
vrrp_conf d2 100 "    announce_repeat: 5
    announce_interval: 50ms"
check "lvsd starts on d1" lvsd_start d1
check "lvsd starts on d2" lvsd_start d2
check "d1 (priority 150) becomes master" wait_until 30 is_state d1 master
check "d2 (priority 100) is backup" wait_until 30 is_state d2 backup
check "the VIP is on d1 only" wait_until 30 eval 'has_vip d1 && no_vip d2'
# the strict filter: the backup drops what is sent to the VIP it does not hold
notheld() { nsx "$1" nft list set inet lvsd notheld4 2>/dev/null | grep -q " $VIP "; }
check "strict filter: d2's nftables set of VIPs not held has $VIP" wait_until 30 notheld d2
check "and d1's (the master) does not" eval '! notheld d1 && nsx d1 nft list table inet lvsd >/dev/null'

# the master's link goes down: d2 takes over.  What leaves d2's eth0 (ARP
# and VRRP, in the order it leaves, a line each as it goes) is captured from
# before: the capture must be seen working first, on an ARP request of d2's
# own for d1 (else a capture that never started would count no ARP at all)
ip netns exec "$(ns d2)" tcpdump -i eth0 -Q out -n -l 'arp or ip proto 112' \
	>"$T/d2-out.txt" 2>"$T/d2-out.err" &
CAPTURE=$!
NS_PIDS="$NS_PIDS $CAPTURE"
arp_captured() { grep -q "Request who-has ${NS_IP[d1]} .*tell ${NS_IP[d2]}," "$T/d2-out.txt"; }
arp_seen() { nsx d2 arping -q -c 1 -w 1 -I eth0 "${NS_IP[d1]}"; arp_captured; }
check "a capture of what leaves d2 sees its ARP request for d1" wait_until 30 arp_seen
arp_captured || diag <"$T/d2-out.err" # why it did not start
# gratuitous: an ARP request for the VIP from the VIP
garp="Request who-has $VIP tell $VIP,"
garps() { grep -cF -- "$garp" "$T/d2-out.txt"; }
# adverts_after_garp N: d2's advertisements captured after its Nth gratuitous ARP
adverts_after_garp() {
	awk -v g="$garp" -v n="$1" 'index($0, g) { seen++; next } seen >= n && / VRRPv/ { a++ }
		END { print a + 0 }' "$T/d2-out.txt"
}
ip -n "$(ns sw)" link set v-d1 down
check "d1's link down: d1 goes to fault" wait_until 30 is_state d1 fault
check "and d2 becomes master with the VIP" wait_until 30 eval 'is_state d2 master && has_vip d2'
check "d2 says why: no advertisement from the master" \
	log_has d2 "backup -> master: no advertisement from the master"
check "d2 announces $VIP with gratuitous ARPs" wait_until 30 eval '[ "$(garps)" -ge 5 ]'
# the announcements are over once d2 has advertised three times after the
# fifth: adverts go every 100 ms from the same event loop, and a sixth
# announcement would have been due 50 ms after the fifth
check "d2 goes on advertising as master after its fifth" \
	wait_until 30 eval '[ "$(adverts_after_garp 5)" -ge 3 ]'
kill "$CAPTURE" 2>/dev/null
wait "$CAPTURE" 2>/dev/null
check "d2 sent exactly its 5 gratuitous ARPs for $VIP ($(garps))" test "$(garps)" = 5
ip -n "$(ns sw)" link set v-d1 up
check "d1's link back: d1 preempts, d2 hands the VIP back" \
	wait_until 30 eval 'is_state d1 master && is_state d2 backup && has_vip d1 && no_vip d2'
check "d1 says why: it preempted a lower-priority master" \
	log_has d1 "backup -> master: preempted a lower-priority master"

# kill -9 of d1's vrrp child: restarted, resumed as master, d2 unaware
# (unaware as long as the restart beats d2's master-down interval: 3
# adverts of 100 ms and a skew of (256 - 100) / 256 of one, 361 ms; a
# restart slower than that, on a busy host, is rightly taken for a dead
# master, and then d2 must give the VIP back to the resumed d1)
down_ms=361
# ms_of HH:MM:SS.mmm: milliseconds since midnight
ms_of() { local h=${1%%:*} m=${1#*:} s; s=${m#*:} m=${m%%:*}; echo $(((10#$h * 3600 + 10#$m * 60 + 10#${s%.*}) * 1000 + 10#${s#*.})); }
before=$(log_count d2 "backup -> master")
vrrp_pid=$(child_pid_of d1 vrrp)
t_kill=$(date +%T.%3N)
kill -KILL "$vrrp_pid"
check "d1's vrrp child killed with -9 is back and resumes as master" \
	wait_until 30 log_has d1 "init -> master: resumed after a restart"
t_back=$(grep -F "init -> master: resumed after a restart" "$T/d1.log" | tail -1 | cut -d' ' -f1)
restart_ms=$((($(ms_of "$t_back") - $(ms_of "$t_kill") + 86400000) % 86400000))
echo "# d1's vrrp child resumed ${restart_ms} ms after the kill (d2's master-down interval: $down_ms ms)"
if ((restart_ms < down_ms)); then
	check "d2 never became master meanwhile" test "$(log_count d2 "backup -> master")" = "$before"
else
	check "the restart outlasted d2's master-down interval: d2 backs off to the resumed d1" \
		wait_until 30 is_state d2 backup
fi
check "the VIP stayed on d1" has_vip d1

# split brain: the link between the two is cut (isolated bridge ports
# cannot talk to each other), then restored
bridge -n "$(ns sw)" link set dev v-d1 isolated on
bridge -n "$(ns sw)" link set dev v-d2 isolated on
check "cut off from d1, d2 becomes master too (split brain)" \
	wait_until 30 eval 'is_state d2 master && is_state d1 master'
t0=$(date +%s%N)
bridge -n "$(ns sw)" link set dev v-d2 isolated off
check "the link restored, d2 backs off to the higher priority" wait_until 30 is_state d2 backup
# at the first advertisement it hears from d1 (not a timer): within one
# interval of the restore; the time from d2's log line, not from polling
line=$(grep -F "master -> backup: a master of higher priority" "$T/d2.log" | tail -n 1)
check "d2 says why: a master of higher priority" test -n "$line"
ms=$((($(date -d "$(date +%F) ${line%% *}" +%s%N) - t0) / 1000000))
diag <<<"split brain healed ${ms} ms after the link came back (d2's log; adverts every 100 ms)"
check "and only d1 holds the VIP" wait_until 30 eval 'has_vip d1 && no_vip d2'
kill -TERM "$PID_d2"
check "d2 stopped cleanly leaves no nftables table of lvsd" \
	wait_until 30 eval '! kill -0 "$PID_d2" 2>/dev/null && ! nsx d2 nft list table inet lvsd 2>/dev/null'
check "and d1's filter is still there" nsx d1 nft list table inet lvsd
