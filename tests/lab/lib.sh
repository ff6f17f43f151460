# shellcheck shell=bash
# The lab library: runs inside the user-mode Linux guest. guest-init sources it,
# and every case runs with it already sourced (cases do not source it).
# Forks cost milliseconds in the guest: helpers use bash builtins where they can.
# Public names start with lab_ (functions) or LAB_ (variables); lab__ is private.

# ---------------------------------------------------------------- the default topology
# One bridge br0 in the guest's root namespace; every node is a namespace whose
# eth0 is a veth whose other end (v-NAME) is a port of br0. Two subnets share the
# bridge: the front 192.0.2.0/24 (directors, clients, the VIP) and the back
# 198.51.100.0/24 (directors, real servers). Every node has on-link routes to the
# subnets it has no address in, so real servers answer clients directly.
LAB_VIP=192.0.2.100
LAB_VIP6=2001:db8::100
LAB_DIRECTORS="dir1 dir2"
LAB_REALSERVERS="rs1 rs2 rs3"
LAB_CLIENTS="cl1"
LAB_NETS="192.0.2.0/24 198.51.100.0/24 2001:db8::/64 2001:db8:1::/64"
# first (front) address of each node, and its back address when it has one
declare -A LAB_IP=([dir1]=192.0.2.1 [dir2]=192.0.2.2 [cl1]=192.0.2.50
	[rs1]=198.51.100.11 [rs2]=198.51.100.12 [rs3]=198.51.100.13)
declare -A LAB_BACK_IP=([dir1]=198.51.100.1 [dir2]=198.51.100.2)
declare -A LAB_IP6=([dir1]=2001:db8::1 [dir2]=2001:db8::2 [cl1]=2001:db8::50
	[rs1]=2001:db8:1::11 [rs2]=2001:db8:1::12 [rs3]=2001:db8:1::13)
# NAME ROLE ADDRESS... (roles: director, rs, client; see lab_topo)
LAB_DEFAULT_TOPO="
dir1 director 192.0.2.1/24 198.51.100.1/24 2001:db8::1/64 2001:db8:1::1/64
dir2 director 192.0.2.2/24 198.51.100.2/24 2001:db8::2/64 2001:db8:1::2/64
rs1  rs       198.51.100.11/24 2001:db8:1::11/64
rs2  rs       198.51.100.12/24 2001:db8:1::12/64
rs3  rs       198.51.100.13/24 2001:db8:1::13/64
cl1  client   192.0.2.50/24 2001:db8::50/64
"

# ---------------------------------------------------------------- small helpers
# lab__us SECONDS: print SECONDS (may be fractional, e.g. 1.5) in microseconds
lab__us() {
	local s=${1%%.*} f=
	[[ $1 == *.* ]] && f=${1#*.}
	f=${f}000000
	echo $((10#${s:-0} * 1000000 + 10#${f:0:6}))
}

# lab_now_us: microseconds since the epoch (no fork)
lab_now_us() {
	echo "${EPOCHREALTIME/./}"
}

# lab_sleep SECONDS: sleep without forking (SECONDS may be fractional)
lab_sleep() {
	[[ -n ${LAB__SLEEP_FD:-} ]] || exec {LAB__SLEEP_FD}<>"$LAB_RUN/sleep.fifo"
	read -r -t "$1" -u "$LAB__SLEEP_FD" _ || :
}

# lab_log TEXT...: diagnostics (TAP comments) in the case's output, one or more
# lines per argument
lab_log() {
	local arg line
	for arg in "$@"; do
		while IFS= read -r line; do
			echo "# $line"
		done <<<"$arg"
	done
}

# lab_wait_for TIMEOUT CMD [ARG...]: run CMD every LAB_POLL seconds (0.1) until
# it succeeds; 0 when it did within TIMEOUT seconds, 1 when it never did.
lab_wait_for() {
	local end now
	end=$(($(lab_now_us) + $(lab__us "$1")))
	shift
	while :; do
		"$@" && return 0
		now=${EPOCHREALTIME/./}
		((now >= end)) && return 1
		lab_sleep "${LAB_POLL:-0.1}"
	done
}

# lab_answers LOG: how many probes `lab_get -l` logged as answered in LOG
lab_answers() {
	local n
	n=$(grep -c '^[0-9]* rs' "$1")
	echo "${n:-0}"
}
lab__answers_at_least() { (($(lab_answers "$1") >= $2)); }
# lab_more_answers LOG N: wait, 30 s at most, until LOG has N more answers
# than now
lab_more_answers() {
	lab_wait_for 30 lab__answers_at_least "$1" $(($(lab_answers "$1") + $2))
}

# ---------------------------------------------------------------- TAP for cases
# A case passes when it exits 0 and printed no "not ok" line; exit 77 skips it.
lab_pass() {
	echo "ok - $*"
}

lab_fail() {
	echo "not ok - $*"
}

# lab_check DESC CMD [ARG...]: ok when CMD succeeds
lab_check() {
	local desc=$1
	shift
	if "$@"; then lab_pass "$desc"; else lab_fail "$desc"; return 1; fi
}

# lab_is DESC GOT WANT: ok when the two strings are equal
lab_is() {
	if [[ $2 == "$3" ]]; then
		lab_pass "$1"
	else
		lab_fail "$1"
		lab_log "got:  '$2'"
		lab_log "want: '$3'"
		return 1
	fi
}

# lab_skip REASON: skip the whole case (the host prints "ok N - case # SKIP REASON")
lab_skip() {
	echo "# SKIP $*"
	exit 77
}

# ---------------------------------------------------------------- namespaces and daemons
# lab_in NS CMD [ARG...]: run CMD in namespace NS ("root" is the guest's own)
lab_in() {
	local ns=$1
	shift
	if [[ $ns == root ]]; then "$@"; else ip netns exec "$ns" "$@"; fi
}

# lab_daemon NS NAME CMD [ARG...]: start CMD in the background in NS, output to
# $LAB_CASE_DIR/NAME.log. It must stay in the foreground (no self-daemonizing).
# The runner stops every daemon a case started once the case is over.
lab_daemon() {
	local ns=$1 name=$2 pid
	shift 2
	if [[ $ns == root ]]; then
		"$@" >"$LAB_CASE_DIR/$name.log" 2>&1 </dev/null &
	else
		ip netns exec "$ns" "$@" >"$LAB_CASE_DIR/$name.log" 2>&1 </dev/null &
	fi
	pid=$!
	echo "$pid" >"$LAB_RUN/daemons/$name.pid"
}

# lab_pid NAME: print the pid of daemon NAME
lab_pid() {
	local pid
	read -r pid 2>/dev/null <"$LAB_RUN/daemons/$1.pid" || return 1
	echo "$pid"
}

lab__pid_alive() {
	local stat
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# lab_alive NAME: is daemon NAME running?
lab_alive() {
	local pid
	pid=$(lab_pid "$1") && lab__pid_alive "$pid"
}

# lab_kill NAME SIGNAL: send SIGNAL (e.g. KILL, HUP) to daemon NAME
lab_kill() {
	local pid
	pid=$(lab_pid "$1") && kill -s "$2" "$pid"
}

# lab_stop NAME [TIMEOUT]: SIGTERM, then SIGKILL after TIMEOUT (5) seconds;
# 0 when the daemon had to be killed with neither, 1 when SIGKILL was needed
lab_stop() {
	local pid rc=0
	pid=$(lab_pid "$1") || return 0
	kill -s TERM "$pid" 2>/dev/null
	if ! lab_wait_for "${2:-5}" lab__pid_not_alive "$pid"; then
		kill -s KILL "$pid" 2>/dev/null
		lab_wait_for 5 lab__pid_not_alive "$pid"
		rc=1
	fi
	wait "$pid" 2>/dev/null
	rm -f "$LAB_RUN/daemons/$1.pid"
	return $rc
}

lab__pid_not_alive() {
	! lab__pid_alive "$1"
}

# lab_dirty: the case changed the shared topology; rebuild it after the case
lab_dirty() {
	: >"$LAB_RUN/dirty"
}

# ---------------------------------------------------------------- web servers and clients
# Every rs runs "lab-http serve NAME" on port 80 from topology start.
# lab_rs_down NAME / lab_rs_up NAME: make rs NAME answer 503 / 200
lab_rs_down() {
	: >"$LAB_RUN/rs/$1.down"
}

lab_rs_up() {
	rm -f "$LAB_RUN/rs/$1.down"
}

# lab_reports SEQ DIR KEYDIR DIRECTOR...: for each of rs1..rs3, one signed
# load report (report-forge, sequence SEQ, boot id byte 16+N) with
# unequal memory (rs1 the poorest, rs3 the richest; moving a little with
# SEQ), sent to the first director's listener (port 7946), and its very
# bytes to the other directors: they all get the same reports.  Keys
# KEYDIR/kN.key; the last datagram of rsN stays in DIR/capN (to replay).
lab_reports() {
	local seq=$1 dir=$2 keys=$3 i d mem
	shift 3
	for i in 1 2 3; do
		mem=$((300000 + 600000 * (i - 1) + (seq * 7919 % 40) * 1000))
		ip netns exec cl1 "$LAB_BUILD/tests/netns/report-forge" -d "${LAB_IP[$1]}:7946" \
			-s "${LAB_IP[rs$i]}:80" -k "$keys/k$i.key" -q "$seq" -b $((16 + i)) -M "$mem" \
			-w "$dir/cap$i" || return 1
		for d in "${@:2}"; do
			ip netns exec cl1 "$LAB_BUILD/tests/netns/report-forge" -d "${LAB_IP[$d]}:7946" \
				-R "$dir/cap$i" || return 1
		done
	done
}

# lvsd's IPVS writer logs one summary per apply: "ipvs: N services, N
# destinations; N changes, N refused".
# lab_lvsd_applied NAME N: the log of daemon NAME has at least N of them
lab_lvsd_applied() {
	(($(grep -c 'lvsd\[[0-9]*\]: ipvs: [0-9]* services, ' "$LAB_CASE_DIR/$1.log") >= $2))
}
# lab_lvsd_last_apply NAME: the last summary in the log of daemon NAME
lab_lvsd_last_apply() {
	grep -o 'ipvs: [0-9]* services, .*' "$LAB_CASE_DIR/$1.log" | tail -n 1
}

# lab_vrrp_state DIR: the state of instance VI_1 of the lvsd in DIR, whose
# control socket is $LAB_CASE_DIR/DIR.sock, as `lvsctl status` prints it
lab_vrrp_state() {
	local name st rest
	while read -r name _ _ st rest; do
		[[ $name == VI_1 ]] && { echo "$st"; return; }
	done < <(lvsctl -s "$LAB_CASE_DIR/$1.sock" status 2>/dev/null)
}
# lab_vrrp_is DIR STATE: VI_1 in DIR is in STATE
lab_vrrp_is() { [[ $(lab_vrrp_state "$1") == "$2" ]]; }
# lab_has_vip DIR: DIR's eth0 holds $LAB_VIP/24
lab_has_vip() { [[ $(lab_in "$1" ip -br addr show dev eth0) == *" $LAB_VIP/24"* ]]; }
# lab_vrrp_settled MASTER BACKUP: one master, alone with the VIP
lab_vrrp_settled() {
	lab_vrrp_is "$1" master && lab_vrrp_is "$2" backup && lab_has_vip "$1" && ! lab_has_vip "$2"
}

# lab_get NS [lab-http get options] HOST[:PORT] [PATH]: requests from NS; prints
# "NAME COUNT" lines and "failed COUNT" (see lab-http.c)
lab_get() {
	local ns=$1
	shift
	ip netns exec "$ns" lab-http get "$@"
}

# lab_count OUTPUT NAME: the count for NAME in lab_get's OUTPUT (0 when absent)
lab_count() {
	local line
	while read -r line; do
		[[ $line == "$2 "* ]] && { echo "${line#* }"; return 0; }
	done <<<"$1"
	echo 0
}

# ---------------------------------------------------------------- topology
# lab_topo: build a topology from a description on stdin, replacing the current
# one. One node per line: NAME ROLE ADDRESS/PREFIX... ("#" starts a comment).
#   director: nothing more; rs: VIP ($LAB_VIP on tunl0, $LAB_VIP6 on ip6tnl0),
#   rp_filter=0, arp_ignore=1, arp_announce=2 and a lab-http server on port 80;
#   client, other: nothing more.
# Called from a case, it also marks the topology dirty (rebuilt after the case).
lab_topo() {
	local name role addrs nodes=()
	lab_topo_down
	mkdir -p "$LAB_RUN/topo" "$LAB_RUN/rs"
	: >"$LAB_RUN/topo/nodes"
	while read -r name role addrs; do
		[[ -z $name || $name == \#* ]] && continue
		echo "$name $role $addrs" >>"$LAB_RUN/topo/nodes"
		nodes+=("$name")
	done
	lab__nodes_up "${nodes[@]}" || return 1
	[[ -n ${LAB_CASE:-} ]] && lab_dirty
	return 0
}

# lab_topo_default: (re)build the default topology
lab_topo_default() {
	lab_topo <<<"$LAB_DEFAULT_TOPO"
}

# lab_nodes [ROLE]: print the names of the current nodes (with ROLE)
lab_nodes() {
	local name role rest
	while read -r name role rest; do
		[[ -z ${1:-} || $role == "$1" ]] && echo "$name"
	done <"$LAB_RUN/topo/nodes"
}

# lab_topo_down: remove every node of the current topology and the bridge
lab_topo_down() {
	local name role rest batch=()
	[[ -f $LAB_RUN/topo/nodes ]] || return 0
	lab__stop_pids "$LAB_RUN/topo/pids"
	while read -r name role rest; do
		batch+=("link del v-$name" "netns del $name")
	done <"$LAB_RUN/topo/nodes"
	batch+=("link del br0")
	printf '%s\n' "${batch[@]}" | ip -force -batch - >/dev/null 2>&1
	rm -f "$LAB_RUN/topo/nodes" "$LAB_RUN"/rs/*
	return 0
}

# lab__nodes_up NAME...: (re)create these nodes of $LAB_RUN/topo/nodes
lab__nodes_up() {
	local name role addrs root=() want=" $* " rc=0
	ip link show br0 >/dev/null 2>&1 ||
		root+=("link add br0 type bridge forward_delay 0 mcast_snooping 0" "link set br0 up")
	while read -r name role addrs; do
		[[ $want == *" $name "* ]] || continue
		[[ -e /run/netns/$name ]] && root+=("link del v-$name" "netns del $name")
		root+=("netns add $name" "link add v-$name type veth peer name eth0 netns $name"
			"link set v-$name master br0 up")
	done <"$LAB_RUN/topo/nodes"
	printf '%s\n' "${root[@]}" | ip -force -batch - || return 1
	while read -r name role addrs; do
		[[ $want == *" $name "* ]] || continue
		# shellcheck disable=SC2086 # one address per word
		lab__node_batch "$role" $addrs | ip -n "$name" -force -batch - || rc=1
		[[ $role == rs ]] && { lab__rs_start "$name" || rc=1; }
	done <"$LAB_RUN/topo/nodes"
	for name in "$@"; do
		[[ ! -e $LAB_RUN/rs/$name.ready-wanted ]] && continue
		lab_wait_for 10 test -e "$LAB_RUN/rs/$name.ready" ||
			{ echo "lab: rs $name: web server did not start" >&2; rc=1; }
	done
	return $rc
}

# lab__node_batch ROLE ADDRESS...: ip -batch lines that set up one node
lab__node_batch() {
	local role=$1 a net have=" "
	shift
	echo "link set lo up"
	for a in "$@"; do
		if [[ $a == *:* ]]; then echo "addr add $a dev eth0 nodad"; else echo "addr add $a dev eth0"; fi
		have+="$(lab__net_of "$a") "
	done
	echo "link set eth0 up"
	for net in $LAB_NETS; do
		[[ $have == *" $net "* ]] || echo "route add $net dev eth0"
	done
	if [[ $role == rs ]]; then
		echo "link set tunl0 up"
		echo "addr add $LAB_VIP/32 dev tunl0"
		echo "link set ip6tnl0 up"
		echo "addr add $LAB_VIP6/128 dev ip6tnl0 nodad"
	fi
}

# lab__net_of ADDR/PREFIX: the network of LAB_NETS the address is in (LAB_NETS
# holds /24 IPv4 networks and IPv6 /64 networks written as PREFIX::/64)
lab__net_of() {
	local net
	for net in $LAB_NETS; do
		if [[ $net == *:* ]]; then
			[[ ${1%%::*} == "${net%%::*}" ]] && { echo "$net"; return; }
		else
			[[ ${1%/*} == "${net%.*}".* ]] && { echo "$net"; return; }
		fi
	done
}

# lab__rs_sysctls: the sysctls tunnel mode needs on a real server (run in its ns)
lab__rs_sysctls() {
	local k
	for k in all default eth0 tunl0 lo; do
		echo 0 >"/proc/sys/net/ipv4/conf/$k/rp_filter"
	done
	for k in all eth0; do
		echo 1 >"/proc/sys/net/ipv4/conf/$k/arp_ignore"
		echo 2 >"/proc/sys/net/ipv4/conf/$k/arp_announce"
	done
}

# lab__rs_start NAME: sysctls, then the web server of rs NAME (one fork)
lab__rs_start() {
	local pid
	: >"$LAB_RUN/rs/$1.ready-wanted"
	ip netns exec "$1" bash -c '. "$LAB_LIB" && lab__rs_sysctls &&
		exec lab-http serve -p 80 -f "$LAB_RUN/rs/$1.down" -r "$LAB_RUN/rs/$1.ready" "$1"' \
		lab-rs "$1" >"$LAB_TMP/rs-$1.log" 2>&1 </dev/null &
	pid=$!
	echo "$pid" >>"$LAB_RUN/topo/pids"
}

# lab__stop_pids FILE: TERM (then KILL) every pid listed in FILE, remove FILE
lab__stop_pids() {
	local pid pids=()
	[[ -f $1 ]] || return 0
	while read -r pid; do
		[[ -n $pid ]] && pids+=("$pid")
	done <"$1"
	rm -f "$1"
	((${#pids[@]})) || return 0
	kill -s TERM "${pids[@]}" 2>/dev/null
	for pid in "${pids[@]}"; do
		lab_wait_for 3 lab__pid_not_alive "$pid" || kill -s KILL "$pid" 2>/dev/null
	done
	for pid in "${pids[@]}"; do
		lab_wait_for 3 lab__pid_not_alive "$pid"
	done
	return 0
}
