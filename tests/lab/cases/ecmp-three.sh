# lab: fresh timeout=400
# Three directors active-active behind a router with ECMP, announced by
# BIRD (etc/lvsd-ecmp.yaml, etc/bird-ecmp-director.conf,
# etc/bird-ecmp-router.conf, as shipped but for paths and logging): the
# router has three nexthops once every director is fit; new connections
# spread over directors and real servers; a real server failing its checks
# changes every director's table alike; a director whose link goes down is
# withdrawn (BFD) and comes back; kept-alive connections are neither reset,
# stuck nor moved to another real server by that, nor by a director that
# loses every real server and withdraws itself, nor by a director drain.
# A director's link goes down as the switch sees it (its bridge port stops
# passing frames, tests/lab/ecmp.sh says why not `ip link set`).  Timings
# (from `ip -ts monitor` on the router) are logged, not asserted:
# bench/scaleout measures them.
command -v bird >/dev/null || lab_skip "no bird (Debian package bird2)"
. "$LAB_SRC/tests/lab/ecmp.sh"
VIP=$ECMP_VIP
DIRS=$ECMP_DIRS
ALL=$ECMP_ALL
D=$LAB_CASE_DIR
ecmp_up || { lab_fail "topology"; exit 1; }
nexthops() { ecmp_nexthops; }
hops_are() { ecmp_hops_are "$1"; }
lab_check "three nexthops once every director is fit" lab_wait_for 60 hops_are "$ALL"
lab_log "router: $(lab_in rt1 ip route show "$VIP/32")"
for d in $DIRS; do
	lab_check "$d: lvsctl status says announced" \
		eval 'lvsctl -s "$D/$d.sock" status | grep -q "$VIP/32 table 100: announced for .*: service web: 3 of 3 real servers up"'
done

# new connections spread over the directors (their IPVS connection entries)
# and the real servers
out=$(lab_get cl1 -n 300 -t 5000 "$VIP:80")
lab_is "300 new connections, none failed" "$(lab_count "$out" failed)" 0
for r in rs1 rs2 rs3; do
	n=$(lab_count "$out" "$r")
	lab_check "$r served a share of them ($n of 300)" test "$n" -ge 30
done
for d in $DIRS; do
	n=$(lab_in "$d" ipvsadm -Lnc | grep -c "$VIP:80")
	lab_check "$d carried a share of them ($n of 300)" test "$n" -ge 30
done

# a real server failing on every director: every table alike
table() { lab_in "$1" ipvsadm -Sn; }
tables_alike() {
	local t1
	t1=$(table dir1)
	[[ $t1 == *"$1"* && $t1 == "$(table dir2)" && $t1 == "$(table dir3)" ]]
}
lab_rs_down rs2
lab_check "rs2 down: weight 0 on every director, the tables alike" \
	lab_wait_for 30 tables_alike "-r 198.51.100.12:80 -i -w 0"
lab_rs_up rs2
lab_check "rs2 up again: weight 1 on every director, the tables alike" \
	lab_wait_for 30 tables_alike "-r 198.51.100.12:80 -i -w 1"
lab_check "and every director announced" lab_wait_for 30 hops_are "$ALL"

# kept-alive connections through every event below
ecmp_keep_start 12 keep
lab_check "12 kept-alive connections running" lab_wait_for 30 ecmp_keep_going 12 keep

# where the kept-alive connections are (IPVS entries of each director)
for d in $DIRS; do
	lab_log "$d carries $(lab_in "$d" ipvsadm -Lnc | grep -c ESTABLISHED) established connections"
done

# a director's link goes down: withdrawn (BFD); back: announced again
mon_lines=$(ecmp_mon_lines)
t_down=${EPOCHREALTIME/./}
ecmp_cut dir3
lab_check "dir3's link down: the router drops its nexthop" \
	lab_wait_for 30 hops_are "192.0.2.1 192.0.2.2"
lab_log "from dir3's link down to the router's new route: $(ecmp_change_ms "$mon_lines" "$t_down") ms (ip -ts monitor; a timing, not a check)"
lab_sleep 1 # traffic over two directors for a while (not a wait for an event)
ecmp_mend dir3
lab_check "dir3's link up: announced again" lab_wait_for 60 hops_are "$ALL"

# a director that loses every real server withdraws by itself
lab_in dir1 ip -batch - <<END
route add blackhole 198.51.100.11/32
route add blackhole 198.51.100.12/32
route add blackhole 198.51.100.13/32
END
lab_check "dir1 cannot reach a real server: withdrawn by lvsd" \
	lab_wait_for 30 hops_are "192.0.2.2 192.0.2.3"
lab_check "dir1's log says why, once" \
	eval '[ $(grep -c "announce $VIP/32 table 100: withdrawn: service web: 0 of 3 real servers up, 1 needed" "$D/lvsd-dir1.log") = 1 ]'
lab_in dir1 ip -batch - <<END
route del blackhole 198.51.100.11/32
route del blackhole 198.51.100.12/32
route del blackhole 198.51.100.13/32
END
lab_check "dir1 reaches them again: announced again" lab_wait_for 30 hops_are "$ALL"

# a director drained by the operator: routes first, then the wait
lab_check "dir2: lvsctl drain --director 1 answers after its wait" \
	eval 'lvsctl -s "$D/dir2.sock" drain --director 1 | grep -q "withdrew 1 routes"'
lab_check "dir2 drained: not a nexthop" lab_wait_for 30 hops_are "192.0.2.1 192.0.2.3"
lab_check "lvsctl undrain --director" lvsctl -s "$D/dir2.sock" undrain --director
lab_check "dir2 undrained: a nexthop again" lab_wait_for 30 hops_are "$ALL"

# a route removed by hand is put back, as a resync repairs the IPVS table
lab_check "dir3: its announced route removed by hand" \
	lab_in dir3 ip route del "$VIP/32" table 100 proto 240
lab_check "dir3's lvsd puts it back and says so" lab_wait_for 30 \
	grep -q "announce $VIP/32 table 100: the route was gone from the kernel; put back" \
	"$D/lvsd-dir3.log"
lab_check "and the router has the three nexthops again" lab_wait_for 30 hops_are "$ALL"

read -r reset moved < <(ecmp_keep_stop 12 keep)
for i in $(seq 12); do
	lab_log "kept-alive $i: $(tail -n 4 "$D/keep-$i.out" | tr '\n' ' ')"
	grep -m 3 ERR: "$D/keep-$i.out" | while read -r l; do lab_log "  $l"; done
done
lab_is "no kept-alive connection reset or stuck" "$reset" 0
lab_is "no kept-alive connection moved to another real server" "$moved" 0

for d in $DIRS; do
	lab_check "$d: lvsd stops on SIGTERM" lab_stop "lvsd-$d" 30
done
lab_check "lvsd stopped everywhere: the router has no route for the VIP" \
	lab_wait_for 30 hops_are ""
