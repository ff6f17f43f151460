#!/bin/bash
# A split brain that heals at once leaves the clients with the master.  d1
# (priority 150) is master; its vrrp child is stopped just long enough for
# d2 to take over (d2 announces the VIP: the client c1 now sends to d2's
# MAC), then continued: d1, still master, hears d2's advertisements of lower
# priority, advertises at once (d2 backs off and lets the VIP go) and
# announces the VIP again, so c1 ends with d1's MAC and reaches the VIP,
# instead of sending to d2 until its entry goes stale (tens of seconds).
# (c1 changed its entry a moment before: Linux 6.1, Debian 12's, ignores
# an ARP update within its locktime, 1 s, without arp_accept, so d1's
# announcements go on past it; newer kernels take the first one.  The lab,
# on 6.1, sees the difference: tests/lab/cases/state-restart.sh.)
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
tap_plan 10
ns_setup d1 d2 c1 || { echo "Bail out! cannot build the namespaces"; exit 1; }
vrrp_conf d1 150
vrrp_conf d2 100
check "lvsd starts on d1" lvsd_start d1
check "lvsd starts on d2" lvsd_start d2
check "d1 is master with the VIP, d2 backup" \
	wait_until 30 eval 'is_state d1 master && is_state d2 backup && has_vip d1 && no_vip d2'
mac() { nsx "$1" cat /sys/class/net/eth0/address; }
# neigh: c1's entry for the VIP, its MAC
neigh() { nsx c1 ip neigh show "$VIP" dev eth0 | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'; }
neigh_is() { [ "$(neigh)" = "$(mac "$1")" ]; }
check "c1 reaches the VIP through d1" \
	eval 'nsx c1 ping -c 1 -W 2 "$VIP" >/dev/null && neigh_is d1'
# updated: seconds since c1's entry for the VIP last changed
updated() { nsx c1 ip -s neigh show "$VIP" dev eth0 | grep -o 'used [0-9]*/[0-9]*/[0-9]*' | cut -d/ -f3; }
older() { local u; u=$(updated); [ -n "$u" ] && [ "$u" -ge 2 ]; }
check "c1's entry is older than a locktime (d2's announcements will take)" wait_until 30 older

# what c1's entry for the VIP says, as it changes
ip netns exec "$(ns c1)" ip -ts monitor neigh dev eth0 >"$T/neigh.log" 2>&1 &
NS_PIDS="$NS_PIDS $!"
V=$(child_pid_of d1 vrrp)
kill -STOP "$V"
# continued as soon as d2 holds the VIP: d1 hears it within a moment of
# d2's announcements (polling the address only: lvsctl waits for the
# stopped child)
wait_until 30 has_vip d2
kill -CONT "$V"
check "d1's vrrp child stopped, then continued once d2 took the VIP: d1 is master alone" \
	wait_until 30 eval 'is_state d1 master && is_state d2 backup && has_vip d1 && no_vip d2'
check "c1 had followed d2's announcements" grep -q "lladdr $(mac d2)" "$T/neigh.log"
check "c1's entry for the VIP is d1's MAC again" wait_until 5 neigh_is d1
check "c1 reaches the VIP" quiet nsx c1 ping -c 1 -W 2 "$VIP"
check "d1 never left master" eval '! log_has d1 "master -> backup"'
