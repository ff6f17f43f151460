# lab: fresh timeout=170
# Three directors active-active behind a router with ECMP, announced by
# BIRD (etc/lvsd-ecmp.yaml, etc/bird-ecmp-director.conf,
# etc/bird-ecmp-router.conf, as shipped but for paths and logging): the
# router has three nexthops once every director is fit; new connections
# spread over directors and real servers; a real server failing its checks
# changes every director's table alike; a director whose link goes down is
# withdrawn (BFD) and comes back; kept-alive connections are neither reset,
# stuck nor moved to another real server by that, nor by a director that
# loses every real server and withdraws itself, nor by a director drain.
# Timings (from `ip -ts monitor` on the router) are logged, not asserted:
# bench/scaleout measures them.
command -v bird >/dev/null || lab_skip "no bird (Debian package bird2)"
VIP=$LAB_VIP
DIRS="dir1 dir2 dir3"
lab_topo <<END || { lab_fail "topology"; exit 1; }
dir1 director 192.0.2.1/24 198.51.100.1/24
dir2 director 192.0.2.2/24 198.51.100.2/24
dir3 director 192.0.2.3/24 198.51.100.3/24
rt1  other    192.0.2.254/24
rs1  rs       198.51.100.11/24
rs2  rs       198.51.100.12/24
rs3  rs       198.51.100.13/24
cl1  client   192.0.2.50/24
END
D=$LAB_CASE_DIR

# the router: forwards, hashes on ports, sends no redirects (it forwards on
# the link it received on)
lab_in rt1 bash -c 'echo 1 >/proc/sys/net/ipv4/ip_forward
	echo 3 >/proc/sys/net/ipv4/fib_multipath_hash_policy
	echo 0x37 >/proc/sys/net/ipv4/fib_multipath_hash_fields
	for k in all default eth0; do echo 0 >/proc/sys/net/ipv4/conf/$k/send_redirects; done'
lab_in cl1 ip route add "$VIP/32" via 192.0.2.254
lab_in cl1 bash -c 'for k in all eth0; do echo 0 >/proc/sys/net/ipv4/conf/$k/accept_redirects; done'
sed 's/^log syslog all;/log stderr all;/' "$LAB_SRC/etc/bird-ecmp-router.conf" >"$D/bird-router.conf"
sed 's/^log syslog all;/log stderr all;/' "$LAB_SRC/etc/bird-ecmp-director.conf" >"$D/bird-director.conf"
lab_daemon rt1 rtmon ip -ts monitor route
lab_daemon rt1 bird-rt1 bird -f -c "$D/bird-router.conf" -s "$D/bird-rt1.ctl"
for d in $DIRS; do
	# the VIP on the loopback; no ARP answers for it on eth0
	lab_in "$d" bash -c "ip addr add $VIP/32 dev lo
		for k in all eth0; do echo 1 >/proc/sys/net/ipv4/conf/\$k/arp_ignore; echo 2 >/proc/sys/net/ipv4/conf/\$k/arp_announce; done"
	sed -e "s|^  director_id: .*|  director_id: $d|" \
		-e "s|^  control_socket: .*|  control_socket: $D/$d.sock|" \
		"$LAB_SRC/etc/lvsd-ecmp.yaml" >"$D/$d.yaml"
	lab_daemon "$d" "lvsd-$d" lvsd -n -f "$D/$d.yaml"
	lab_daemon "$d" "bird-$d" bird -f -c "$D/bird-director.conf" -s "$D/bird-$d.ctl"
done

# nexthops: the router's nexthops for the VIP, e.g. "192.0.2.1 192.0.2.3"
nexthops() {
	local out w prev= hops=()
	out=$(lab_in rt1 ip -4 route show "$VIP/32")
	for w in $out; do
		[[ $prev == via ]] && hops+=("$w")
		prev=$w
	done
	((${#hops[@]})) && printf '%s\n' "${hops[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
hops_are() { [[ $(nexthops) == "$1" ]]; }
ALL="192.0.2.1 192.0.2.2 192.0.2.3"
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
lab_is "and every director still announced" "$(nexthops)" "$ALL"

# kept-alive connections through every event below
STOP=$D/stop
for i in $(seq 12); do
	lab_in cl1 lab-http get -k -l -n 100000 -i 50 -t 10000 -s "$STOP" "$VIP:80" \
		>"$D/keep-$i.out" 2>&1 &
	KEEP_PIDS+=" $!"
done
keep_going() { # every client answered at least twice
	local i
	for i in $(seq 12); do (($(wc -l <"$D/keep-$i.out") >= 2)) || return 1; done
}
lab_check "12 kept-alive connections running" lab_wait_for 30 keep_going

# route_change_ms LINES T_US: ms from T_US (EPOCHREALTIME without the dot)
# to the first change of the VIP's route the router's `ip -ts monitor`
# logged after its first LINES lines
route_change_ms() {
	local line ts
	line=$(tail -n +"$(($1 + 1))" "$D/rtmon.log" | grep -m1 "^\[.*\] $VIP ") || return 1
	ts=${line%%]*}
	ts=${ts#[}
	echo $((($(date -d "$ts" +%s%6N) - $2) / 1000))
}
# where the kept-alive connections are (IPVS entries of each director)
for d in $DIRS; do
	lab_log "$d carries $(lab_in "$d" ipvsadm -Lnc | grep -c ESTABLISHED) established connections"
done

# a director's link goes down: withdrawn (BFD); back: announced again
mon_lines=$(wc -l <"$D/rtmon.log")
t_down=${EPOCHREALTIME/./}
ip link set v-dir3 down
lab_check "dir3's link down: the router drops its nexthop" \
	lab_wait_for 30 hops_are "192.0.2.1 192.0.2.2"
lab_log "from dir3's link down to the router's new route: $(route_change_ms "$mon_lines" "$t_down") ms (ip -ts monitor; a timing, not a check)"
lab_sleep 1 # traffic over two directors for a while (not a wait for an event)
ip link set v-dir3 up
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
lab_check "dir2 drained: not a nexthop" hops_are "192.0.2.1 192.0.2.3"
lab_check "lvsctl undrain --director" lvsctl -s "$D/dir2.sock" undrain --director
lab_check "dir2 undrained: a nexthop again" lab_wait_for 30 hops_are "$ALL"

: >"$STOP"
# shellcheck disable=SC2086 # one pid per word
wait $KEEP_PIDS
bad=0
for i in $(seq 12); do
	f=$D/keep-$i.out
	errs=$(grep -c ERR: "$f")
	names=$(grep -v "^failed\|^rs[0-9] [0-9]*$" "$f" | awk '{print $2}' | sort -u | tr '\n' ' ')
	lab_log "kept-alive $i: $(tail -n 4 "$f" | tr '\n' ' ')"
	if [[ $errs != 0 || $names != rs?" " ]]; then
		bad=$((bad + 1))
		lab_log "kept-alive $i: $errs errors, served by: $names"
		grep -m 5 ERR: "$f" | while read -r l; do lab_log "  $l"; done
	fi
done
lab_is "no kept-alive connection reset, stuck or moved to another real server" "$bad" 0

for d in $DIRS; do
	lab_check "$d: lvsd stops on SIGTERM" lab_stop "lvsd-$d" 30
done
lab_check "lvsd stopped everywhere: the router has no route for the VIP" \
	lab_wait_for 30 hops_are ""
