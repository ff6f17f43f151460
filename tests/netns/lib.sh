# shellcheck shell=bash
# Shared by the namespace tests on the host (root): a link of our own (a
# bridge in a namespace of its own) with directors and a client on it,
# lvsd or keepalived in the directors, and waits for what a user would see
# (a state in lvsctl status, an address on an interface, a log line).
# Every name carries this run's prefix, so two runs can share the host;
# everything is removed on exit, and kept (and named) when a test failed.
# Only documentation addresses, only on links this file creates.
. "$(dirname "$0")/../proc/lib.sh"

NS_PFX=lt$$
VIP=192.0.2.100
VIP6=2001:db8::100
declare -A NS_IP=([d1]=192.0.2.1 [d2]=192.0.2.2 [c1]=192.0.2.50 [x1]=192.0.2.99)
declare -A NS_IP6=([d1]=2001:db8::1 [d2]=2001:db8::2 [c1]=2001:db8::50 [x1]=2001:db8::99)

ns_skip_unless_ready() {
	proc_skip_unless_root
	command -v ip >/dev/null || { echo "1..0 # SKIP no ip(8)"; exit 0; }
}

# ns NAME: the full name of a node's namespace
ns() { echo "$NS_PFX-$1"; }
# nsx NAME CMD...: run CMD in the node's namespace.  Not for a process in the
# background: with `nsx ... &`, $! is a subshell's pid, and killing it leaves
# CMD running; write `ip netns exec "$(ns NAME)" CMD &` (ip netns exec
# executes CMD in its own process: $! is CMD's pid) and add $! to NS_PIDS.
nsx() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

# ns_setup NODE...: the switch and one namespace per node, eth0 on the switch
ns_setup() {
	proc_setup
	trap ns_cleanup EXIT
	NS_NODES=("$@")
	ip netns add "$(ns sw)" || return 1
	ip -n "$(ns sw)" link add br0 type bridge forward_delay 0 mcast_snooping 0
	ip -n "$(ns sw)" link set br0 up
	for n in "$@"; do
		ip netns add "$(ns "$n")" || return 1
		ip -n "$(ns sw)" link add "v-$n" type veth peer name eth0 netns "$(ns "$n")"
		ip -n "$(ns sw)" link set "v-$n" master br0 up
		ip -n "$(ns "$n")" link set lo up
		ip -n "$(ns "$n")" addr add "${NS_IP[$n]}/24" dev eth0
		ip -n "$(ns "$n")" addr add "${NS_IP6[$n]}/64" dev eth0 nodad
		ip -n "$(ns "$n")" link set eth0 up
	done
	# every eth0 has carrier and an IPv6 link-local address before we go on
	for n in "$@"; do
		wait_until 30 link_ready "$n" || { echo "# $n: eth0 never came up"; return 1; }
	done
}

link_ready() {
	nsx "$1" ip -6 -br addr show dev eth0 scope link | grep -q fe80 &&
		nsx "$1" ip -br link show dev eth0 | grep -q 'LOWER_UP'
}

# ns_names: the namespaces of this run (the switch and the nodes)
ns_names() {
	local n
	for n in sw "${NS_NODES[@]}"; do ns "$n"; done
}

# Stop what the test started (NS_PIDS: SIGTERM, SIGKILL after 10 s), check
# that nothing it started is left, in its namespaces or anywhere (the last
# test point, killing what is), show the logs of a failed run, remove the
# namespaces.
ns_cleanup() {
	local rc=$? p
	for p in $NS_PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $NS_PIDS; do
		for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	proc_stop
	proc_no_leftovers $(ns_names)
	if [ "$tap_failed" != 0 ]; then
		for f in "$T"/*.log; do
			[ -f "$f" ] || continue
			echo "# ---- ${f##*/} (last 30 lines)"
			tail -n 30 "$f" | diag
		done
	fi
	for p in $(ns_names); do ip netns del "$p" 2>/dev/null; done
	LVSD_PID=
	(exit "$rc")
	proc_cleanup
}

# wait_until SECONDS CMD...: CMD until it succeeds, every 50 ms; 1 after SECONDS
wait_until() {
	local end=$(($(date +%s%N) / 1000000 + $1 * 1000))
	shift
	while :; do
		"$@" && return 0
		(($(date +%s%N) / 1000000 >= end)) && return 1
		sleep 0.05
	done
}

# vrrp_conf NODE PRIORITY [EXTRA-YAML]: lvsd's configuration for a director
vrrp_conf() {
	cat >"$T/$1.yaml" <<EOC
global:
  director_id: $1
  control_socket: $T/$1.sock
vrrp:
  - name: VI_1
    interface: eth0
    vrid: 51
    priority: $2
    advert_interval: ${ADVERT:-100ms}
    virtual_addresses: [$VIP/24]
${3:-}
EOC
}

# lvsd_start NODE: lvsd in the node's namespace, log in $T/NODE.log
lvsd_start() {
	# ip netns exec executes lvsd in its own process: $! is lvsd's pid
	ip netns exec "$(ns "$1")" "$LVSD" -n -f "$T/$1.yaml" >>"$T/$1.log" 2>&1 &
	eval "PID_$1=$!"
	NS_PIDS="$NS_PIDS $!"
	wait_until 30 quiet "$LVSCTL" -s "$T/$1.sock" status 2>/dev/null
}

# state NODE: the state of VI_1 as the node's lvsctl status --json says
state() {
	"$LVSCTL" -s "$T/$1.sock" status --json 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp"][0]["state"])' 2>/dev/null
}
is_state() { [ "$(state "$1")" = "$2" ]; }

# has_vip NODE: the VIP is on the node's eth0
has_vip() { nsx "$1" ip -br addr show dev eth0 | grep -q " $VIP/24"; }
no_vip() { ! has_vip "$1"; }

# log_has NODE TEXT: a fixed string in the node's log
log_has() { grep -qF -- "$2" "$T/$1.log"; }
# log_count NODE TEXT
log_count() { grep -cF -- "$2" "$T/$1.log"; }

# vrrp_json NODE KEY: a field of VI_1 in lvsctl status --json
vrrp_json() {
	"$LVSCTL" -s "$T/$1.sock" status --json 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp"][0][sys.argv[1]])' "$2"
}

# child_pid_of NODE ROLE: a child's pid from the node's lvsctl status
child_pid_of() {
	"$LVSCTL" -s "$T/$1.sock" status 2>/dev/null |
		awk -v r="$2" '$1 == r && $2 ~ /^[0-9]+$/ { print $2 }'
}
