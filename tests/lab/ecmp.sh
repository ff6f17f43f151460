# shellcheck shell=bash
# Three directors active-active behind a router with ECMP, for the lab case
# cases/ecmp-three.sh and bench/scaleout: source it inside the lab (after
# lib.sh).  ecmp_up builds the topology and starts the router's BIRD, and
# lvsd and BIRD on each director, from the shipped etc/lvsd-ecmp.yaml,
# etc/bird-ecmp-director.conf and etc/bird-ecmp-router.conf (paths and
# logging replaced).  Not a case: it is outside cases/.
ECMP_VIP=$LAB_VIP
ECMP_DIRS="dir1 dir2 dir3"
ECMP_ALL="192.0.2.1 192.0.2.2 192.0.2.3"
declare -A ECMP_IP=([dir1]=192.0.2.1 [dir2]=192.0.2.2 [dir3]=192.0.2.3)

# ecmp_up: the topology and every daemon; 1 when the topology failed
ecmp_up() {
	local d D=$LAB_CASE_DIR
	lab_topo <<END || return 1
dir1 director 192.0.2.1/24 198.51.100.1/24
dir2 director 192.0.2.2/24 198.51.100.2/24
dir3 director 192.0.2.3/24 198.51.100.3/24
rt1  other    192.0.2.254/24
rs1  rs       198.51.100.11/24
rs2  rs       198.51.100.12/24
rs3  rs       198.51.100.13/24
cl1  client   192.0.2.50/24
END
	# the router: forwards, hashes on ports (policy 1 would reuse the
	# sender's socket hash, which veth keeps), sends no redirects (it
	# forwards on the link it received on)
	lab_in rt1 bash -c 'echo 1 >/proc/sys/net/ipv4/ip_forward
		echo 3 >/proc/sys/net/ipv4/fib_multipath_hash_policy
		echo 0x37 >/proc/sys/net/ipv4/fib_multipath_hash_fields
		for k in all default eth0; do echo 0 >/proc/sys/net/ipv4/conf/$k/send_redirects; done'
	lab_in cl1 ip route add "$ECMP_VIP/32" via 192.0.2.254
	lab_in cl1 bash -c 'for k in all eth0; do echo 0 >/proc/sys/net/ipv4/conf/$k/accept_redirects; done'
	sed 's/^log syslog all;/log stderr all;/' "$LAB_SRC/etc/bird-ecmp-router.conf" >"$D/bird-router.conf"
	sed 's/^log syslog all;/log stderr all;/' "$LAB_SRC/etc/bird-ecmp-director.conf" \
		>"$D/bird-director.conf"
	lab_daemon rt1 rtmon ip -ts monitor route
	lab_daemon rt1 bird-rt1 bird -f -c "$D/bird-router.conf" -s "$D/bird-rt1.ctl"
	for d in $ECMP_DIRS; do
		# the VIP on the loopback; no ARP answers for it on eth0
		lab_in "$d" bash -c "ip addr add $ECMP_VIP/32 dev lo
			for k in all eth0; do echo 1 >/proc/sys/net/ipv4/conf/\$k/arp_ignore
			echo 2 >/proc/sys/net/ipv4/conf/\$k/arp_announce; done"
		sed -e "s|^  director_id: .*|  director_id: $d|" \
			-e "s|^  control_socket: .*|  control_socket: $D/$d.sock|" \
			"$LAB_SRC/etc/lvsd-ecmp.yaml" >"$D/$d.yaml"
		lab_daemon "$d" "lvsd-$d" lvsd -n -f "$D/$d.yaml"
		lab_daemon "$d" "bird-$d" bird -f -c "$D/bird-director.conf" -s "$D/bird-$d.ctl"
	done
}

# ecmp_router_bfd on|off: restart the router's BIRD with BFD on or off (the
# hold timer of 3 s decides without it); the directors' BIRD reconnect
ecmp_router_bfd() {
	local D=$LAB_CASE_DIR
	sed -e 's/^log syslog all;/log stderr all;/' -e "s/bfd on;/bfd $1;/" \
		"$LAB_SRC/etc/bird-ecmp-router.conf" >"$D/bird-router.conf"
	lab_stop bird-rt1 10
	lab_daemon rt1 bird-rt1 bird -f -c "$D/bird-router.conf" -s "$D/bird-rt1.ctl"
}

# ecmp_nexthops: the router's nexthops for the VIP, sorted, e.g.
# "192.0.2.1 192.0.2.3"; nothing when it has no route
ecmp_nexthops() {
	local out w prev= hops=()
	out=$(lab_in rt1 ip -4 route show "$ECMP_VIP/32")
	for w in $out; do
		[[ $prev == via ]] && hops+=("$w")
		prev=$w
	done
	((${#hops[@]})) && printf '%s\n' "${hops[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
ecmp_hops_are() { [[ $(ecmp_nexthops) == "$1" ]]; }
# ecmp_without DIR: every nexthop but DIR's
ecmp_without() {
	local a out=()
	for a in $ECMP_ALL; do [[ $a == "${ECMP_IP[$1]}" ]] || out+=("$a"); done
	echo "${out[*]}"
}

# ecmp_cut DIR / ecmp_mend DIR: DIR's link goes down / comes back, as the
# switch sees it: its bridge port stops (disabled) and starts (forwarding)
# passing frames.  Not `ip link set v-DIR down`: a carrier change can stall
# the whole guest for longer than BFD's 300 ms on a busy host, and every
# BFD session then fails at once (the router drops every nexthop: an
# artefact of the lab, not of a real network).
ecmp_cut() { bridge link set dev "v-$1" state 0; }
ecmp_mend() { bridge link set dev "v-$1" state 3; }

# ecmp_mon_lines: lines the router's route monitor has logged so far
ecmp_mon_lines() { wc -l <"$LAB_CASE_DIR/rtmon.log"; }
# ecmp_change_ms LINES T_US: ms from T_US (EPOCHREALTIME without the dot) to
# the first change of the VIP's route that `ip -ts monitor` on the router
# logged after its first LINES lines
ecmp_change_ms() {
	local line ts
	line=$(tail -n +"$(($1 + 1))" "$LAB_CASE_DIR/rtmon.log" | grep -m1 "^\[.*\] $ECMP_VIP ") ||
		return 1
	ts=${line%%]*}
	ts=${ts#[}
	echo $((($(date -d "$ts" +%s%6N) - $2) / 1000))
}

# Kept-alive connections: ecmp_keep_start N NAME starts N clients (one
# connection each, a request every 50 ms, 10 s before a request counts as
# stuck) writing $LAB_CASE_DIR/NAME-I.out; ecmp_keep_going N NAME: each
# answered twice; ecmp_keep_stop N NAME stops them and prints "RESET MOVED":
# clients with a failed request, clients served by more than one real server.
ecmp_keep_start() {
	local i
	rm -f "$LAB_CASE_DIR/$2.stop"
	ECMP_KEEP_PIDS=
	for ((i = 1; i <= $1; i++)); do
		lab_in cl1 lab-http get -k -l -n 1000000 -i 50 -t 10000 -s "$LAB_CASE_DIR/$2.stop" \
			"$ECMP_VIP:80" >"$LAB_CASE_DIR/$2-$i.out" 2>&1 &
		ECMP_KEEP_PIDS+=" $!"
	done
}
ecmp_keep_going() {
	local i n
	for ((i = 1; i <= $1; i++)); do
		n=$(grep -c "^[0-9]* rs" "$LAB_CASE_DIR/$2-$i.out")
		((n >= 2)) || return 1
	done
}
ecmp_keep_stop() {
	local i f reset=0 moved=0 names
	: >"$LAB_CASE_DIR/$2.stop"
	# shellcheck disable=SC2086 # one pid per word
	wait $ECMP_KEEP_PIDS
	for ((i = 1; i <= $1; i++)); do
		f=$LAB_CASE_DIR/$2-$i.out
		grep -q "^[0-9]* ERR:" "$f" && reset=$((reset + 1))
		names=$(grep "^[0-9]* rs" "$f" | awk '{print $2}' | sort -u | wc -l)
		((names > 1)) && moved=$((moved + 1))
	done
	echo "$reset $moved"
}
