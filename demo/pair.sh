# The demo (demo/run boots the lab with this case): the paired deployment of
# etc/lvsd-pair-a.yaml and etc/lvsd-pair-b.yaml on directors dir1 and dir2,
# VRRP between them (version 3, unicast, adverts every 100 ms in the lab),
# a tunnel service to three real servers, and a client opening a new TCP
# connection to the VIP every 20 ms throughout three drills:
#   (a) a planned handover (lvsctl handover) and back: nothing may fail;
#   (b) a link-down fail-over of the master, and its return (it preempts
#       once ready);
#   (c) a kill -9 of the master's whole lvsd (every process stopped first,
#       so none resigns), then lvsd started again there.
# It fails only on what is wrong whatever the machine's load: no takeover,
# two masters that persist, a failed probe in a handover, requests failing
# once settled. Outages are measured and printed, never asserted.
# lab: timeout=600
# shellcheck shell=bash disable=SC2016 # eval '...' expands later, on purpose
cfg=$LAB_CASE_DIR
vip=$LAB_VIP
nfail=0
inst=VI_WEB
rows=()

say() { printf '%s\n' "$@"; }
section() { printf '\n==== %s\n' "$*"; }
indent() { sed -e 's/^/    /'; }
check() {
	if "${@:2}"; then lab_pass "$1"; else lab_fail "$1"; nfail=$((nfail + 1)); return 1; fi
}
# ctl DIR ARGS...: lvsctl against DIR's lvsd (its socket is a file: no namespace needed)
ctl() {
	local d=$1
	shift
	lvsctl -s "$cfg/$d.sock" "$@"
}
ctl_quiet() { ctl "$1" status >/dev/null 2>&1; }
# state DIR: the state of VI_WEB in DIR's lvsctl status (master, backup, fault...)
state() {
	local name st rest
	while read -r name _ _ st rest; do
		[[ $name == "$inst" ]] && { echo "$st"; return; }
	done < <(ctl "$1" status 2>/dev/null)
	echo none
}
is_state() { [[ $(state "$1") == "$2" ]]; }
has_vip() { [[ $(lab_in "$1" ip -br addr show dev eth0) == *" $vip/24"* ]]; }
# has_service DIR: DIR's kernel table has the web service with its 3 real servers
has_service() {
	[[ $(lab_in "$1" ipvsadm -Ln | grep -c -e '-> 198\.51\.100\.1[123]:80 *Tunnel') == 3 ]]
}
# settled MASTER OTHER: MASTER is master and alone with the VIP, OTHER is backup
settled() {
	is_state "$1" master && is_state "$2" backup && has_vip "$1" && ! has_vip "$2"
}
# took_over DIR OTHER: DIR's lvsd is master with the VIP, OTHER's lvsd is not
# master (fault with its link down, or not running: a killed lvsd leaves the
# VIP in its kernel, and that director still forwards)
took_over() {
	is_state "$1" master && has_vip "$1" && ! is_state "$2" master
}
# took_over_alone DIR OTHER: and OTHER no longer has the VIP
took_over_alone() { took_over "$1" "$2" && ! has_vip "$2"; }
# where: who holds what, for the log
where() {
	local d out=
	for d in dir1 dir2; do
		out+="$d: $(state "$d")$(has_vip "$d" && echo ", has the VIP")   "
	done
	echo "$out"
}
# lvsd_pids NAME: daemon NAME (an lvsd parent) and its children
lvsd_pids() {
	local parent f line rest
	parent=$(lab_pid "$1") || return 1
	echo "$parent"
	for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		rest=${line##*) }
		read -r _ ppid _ <<<"$rest"
		[[ $ppid == "$parent" ]] && { f=${f#/proc/}; echo "${f%/stat}"; }
	done
}
all_dead() {
	local p
	for p in "$@"; do [[ -e /proc/$p ]] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null && return 1; done
	return 0
}
distribution() {
	local line out=
	while read -r line; do out+="${line/ /: }   "; done <<<"$1"
	say "$out"
}

# ---------------------------------------------------------------- probes
# probe_start NAME: cl1 opens a new TCP connection to the VIP every 20 ms (each
# gives up after 200 ms) until the drill stops it; one line per request
probe_start() {
	plog=$cfg/probe-$1.log
	rm -f "$plog.stop"
	lab_get cl1 -n 100000 -i 20 -t 200 -l -s "$plog.stop" "$vip:80" >"$plog" 2>&1 &
	probe=$!
}
probe_lines() {
	local n
	n=$(grep -c '^[0-9]' "$plog" 2>/dev/null)
	echo "${n:-0}"
}
probe_answers() {
	local n
	n=$(grep -c '^[0-9]* rs' "$plog" 2>/dev/null)
	echo "${n:-0}"
}
# probe_wait_more N: N more answers than now
probe_wait_more() {
	local want=$(($(probe_answers) + $1))
	lab_wait_for 30 eval "((\$(probe_answers) >= $want))"
}
probe_stop() { : >"$plog.stop"; wait "$probe"; }

# drill NAME SETTLE MASTER_AFTER OTHER ACTION...: probe, act, wait until
# SETTLE MASTER_AFTER OTHER (30 s at most), probe on, then tabulate the probe
# log: failed probes, the outage (longest gap between two answers), who answered
drill() {
	local name=$1 settle=$2 master=$3 other=$4
	shift 4
	probe_start "${name%% *}-$master"
	probe_wait_more 20
	say "$name: $*"
	"$@" >"$cfg/action.out" 2>&1
	indent <"$cfg/action.out"
	if ! lab_wait_for 30 "$settle" "$master" "$other"; then
		lab_fail "$name: $master took over within 30 s: $settle $master $other never held (now $(where))"
		nfail=$((nfail + 1))
	else
		lab_pass "$name: $master took over ($(where))"
	fi
	settled_at=$(probe_lines)
	probe_wait_more 20
	probe_stop
	tabulate "$name" "$master"
}
tabulate() {
	local name=$1 master=$2 lines ms who prev=-1 gap=0 failed=0 i normal n=0 first=-1 rs by=
	declare -A after=()
	mapfile -t lines < <(grep -E '^[0-9]+ ' "$plog")
	for ((i = 0; i < ${#lines[@]}; i++)); do
		read -r ms who <<<"${lines[i]}"
		if [[ $who == ERR:* ]]; then failed=$((failed + 1)); continue; fi
		((prev >= 0 && ms - prev > gap)) && gap=$((ms - prev))
		((first < 0)) && first=$ms
		prev=$ms
		((++n == 20)) && normal=$(((ms - first) / 19))
		((i >= settled_at)) && after[$who]=1
	done
	if ((failed)); then
		say "  the failed probes and their neighbours (ms since the probe started, who answered):"
		grep -n -B2 -A2 'ERR:' "$plog" | grep -E '^[0-9]+[:-][0-9]+ ' | sed -e 's/^[0-9]*[:-]//' | head -n 30 | indent
	fi
	say "  probes: ${#lines[@]}, failed: $failed, longest gap between answers: $gap ms (normally ${normal:-?} ms)"
	for rs in rs1 rs2 rs3; do [[ -n ${after[$rs]:-} ]] && by+=" $rs"; done
	rows+=("$(printf '%-34s %9s %8s   %s' "$name" "$gap" "$failed/${#lines[@]}" \
		"$master (${by# })")")
	last_failed=$failed
}
# served_once_settled: 100 requests after the drill, none may fail
served_once_settled() {
	local out
	out=$(lab_get cl1 -n 100 -t 1000 "$vip:80")
	check "$1: 100 requests once settled, none failed ($(distribution "$out"))" \
		test "$(lab_count "$out" failed)" = 0
}

section "lvsd pair drills"
say "Two directors (dir1 at 192.0.2.1, dir2 at .2) share the VIP $vip with VRRP;" \
	"three real servers (rs1..rs3, 198.51.100.11-13) behind an IP-in-IP tunnel service," \
	"one client (cl1, 192.0.2.50). All in network namespaces of one user-mode Linux" \
	"kernel with real IPVS. The client opens a new TCP connection to the VIP every" \
	"20 ms during each drill (a request gives up after 200 ms)."

section "configuration"
# the shipped files, adjusted to the lab: control socket, peers, tracked
# interface, a fast advertisement interval, and the real servers' public
# keys, made for the demo (lvs-agent keygen) where the files name them
mkdir -p "$cfg/keys"
for k in web1 web2 web3; do
	lvs-agent keygen --out "$cfg/keys/$k" >/dev/null || echo "lvs-agent keygen $k failed"
done
lab_conf() {
	sed -e "s|control_socket: /run/lvsd/lvsd.sock|control_socket: $cfg/$1.sock|" \
		-e "s|file: /etc/lvsd/keys/|file: $cfg/keys/|" \
		-e "s|unicast_peers: \[192.0.2.[23]\]|unicast_peers: [$2]|" \
		-e 's|track_interfaces: \[eth1\]|track_interfaces: [eth0]|' \
		-e 's|advert_interval: 1s|advert_interval: 100ms|' \
		"$LAB_SRC/etc/lvsd-pair-$3.yaml" >"$cfg/$1.yaml"
}
lab_conf dir1 "${LAB_IP[dir2]}" a
lab_conf dir2 "${LAB_IP[dir1]}" b
say "dir1 runs etc/lvsd-pair-a.yaml and dir2 etc/lvsd-pair-b.yaml, changed for the lab" \
	"(control socket, the peer's address, the tracked interface: the lab's directors" \
	"have one, eth0; adverts every 100 ms, so the master-down interval is about 0.35 s;" \
	"the real servers' keys, made for the demo):"
diff -u "$LAB_SRC/etc/lvsd-pair-a.yaml" "$cfg/dir1.yaml" | tail -n +3 | grep '^[-+]' | indent
diff -u "$LAB_SRC/etc/lvsd-pair-b.yaml" "$cfg/dir2.yaml" | tail -n +3 | grep '^[-+]' | indent
for d in dir1 dir2; do
	check "$d: the configuration has the lab's socket, peer and interval" \
		eval 'grep -q "control_socket: $cfg/$d.sock" "$cfg/$d.yaml" &&
			grep -q "advert_interval: 100ms" "$cfg/$d.yaml"'
	# in the director's own namespace: the interfaces it names are its own
	warnings=$(lab_in "$d" lvsd -t -f "$cfg/$d.yaml" 2>&1 >/dev/null) ||
		{ lab_fail "$d: lvsd -t refuses the configuration: $warnings"; exit 1; }
	check "$d: lvsd -t accepts the configuration, with no warning${warnings:+: $warnings}" \
		test -z "$warnings"
done

section "starting lvsd on dir1 and dir2"
# each lvsd in a session of its own (setsid execs lvsd: same pid): the kill -9
# drill stops then kills lvsd's processes, and a process group left with
# stopped members gets SIGHUP from the kernel, which must not reach this script
for d in dir1 dir2; do
	lab_daemon "$d" "lvsd-$d" setsid lvsd -n -f "$cfg/$d.yaml"
done
for d in dir1 dir2; do
	check "$d: lvsd answers lvsctl status" lab_wait_for 30 ctl_quiet "$d"
	check "$d: lvsd programmed the web service into IPVS" lab_wait_for 30 has_service "$d"
done
check "VRRP: dir1 (priority 150) is master with the VIP, dir2 backup" \
	lab_wait_for 30 settled dir1 dir2
((nfail == 0)) || { lab_log "$(tail -n 20 "$cfg"/lvsd-dir*.log)"; exit 1; }
out=$(lab_get cl1 -n 300 -t 1000 "$vip:80")
check "300 requests through dir1, none failed: $(distribution "$out")" \
	test "$(lab_count "$out" failed)" = 0
section "lvsctl status on dir1 (excerpt: VRRP)"
ctl dir1 status | sed -n '/^vrrp instances/,/^[^ ]/p' | sed '$d' | indent

section "drill (a): planned handover, make-before-break"
drill "handover dir1 -> dir2" settled dir2 dir1 ctl dir1 handover
check "handover: no probe failed (make-before-break loses nothing)" test "$last_failed" = 0
served_once_settled "after the handover"
drill "handover back dir2 -> dir1" settled dir1 dir2 ctl dir2 handover
check "handover back: no probe failed" test "$last_failed" = 0
served_once_settled "after the handover back"

section "drill (b): dir1's link goes down (a hard failure; its lvsd keeps running)"
drill "link down dir1 (fail-over)" took_over_alone dir2 dir1 ip link set v-dir1 down
served_once_settled "after the link-down fail-over"
drill "link up dir1 (preempts when ready)" settled dir1 dir2 ip link set v-dir1 up
served_once_settled "after dir1 came back"
say "dir1's drill report (the transitions so far):"
ctl dir1 drill report | indent

section "drill (c): kill -9 of dir1's whole lvsd (stopped first: no process resigns)"
kill9() {
	local pids
	mapfile -t pids < <(lvsd_pids lvsd-dir1)
	echo "lvsd on dir1: pids ${pids[*]}: SIGSTOP, then SIGKILL"
	# this shell started it: forget the job first, or the shell reports
	# its death ("Killed") in the middle of the output
	disown "${pids[0]}" 2>/dev/null
	kill -STOP "${pids[@]}" 2>/dev/null # (a short-lived helper may be gone)
	kill -KILL "${pids[@]}" 2>/dev/null
	lab_wait_for 30 all_dead "${pids[@]}" || echo "some lvsd process of dir1 is still alive"
	rm -f "$LAB_RUN/daemons/lvsd-dir1.pid"
}
drill "kill -9 lvsd on dir1 (*)" took_over dir2 dir1 kill9
say "  left in dir1's kernel by the killed lvsd: $(lab_in dir1 ip -br addr show dev eth0 | grep -o "$vip/24" || echo "no VIP"), $(lab_in dir1 ipvsadm -Ln | grep -c Tunnel) tunnel destinations"
served_once_settled "after the kill -9"
restart() {
	lab_daemon dir1 lvsd-dir1-again setsid lvsd -n -f "$cfg/dir1.yaml"
	lab_wait_for 30 ctl_quiet dir1 || echo "the restarted lvsd does not answer"
}
drill "lvsd restarted on dir1" settled dir1 dir2 restart
say "  the restarted lvsd's log on the VIP it found:"
grep -E 'already|-> master|-> backup|ready' "$cfg/lvsd-dir1-again.log" | head -n 8 | indent
served_once_settled "after lvsd restarted on dir1"

section "lvsctl drill report on dir2 (it ran through every drill)"
ctl dir2 drill report | indent
for d in dir1 dir2; do
	section "lvsctl status on $d (excerpt: VRRP)"
	ctl "$d" status | sed -n '/^vrrp instances/,/^[^ ]/p' | sed '$d' | indent
done

section "stopping lvsd"
check "dir2: lvsd stops on SIGTERM" lab_stop lvsd-dir2 30
check "dir1: lvsd stops on SIGTERM (handing the VIP over first)" lab_stop lvsd-dir1-again 30
check "dir2: IPVS table kept after lvsd stopped (never flushed)" has_service dir2

section "summary"
say "outage = the longest gap between two answers the client got (a new connection" \
	"every 20 ms; a failed request waits 200 ms), measured on this machine now:" ""
printf '%-34s %9s %8s   %s\n' "drill" "outage ms" "failed" "who answered after (master, real servers)"
printf '%s\n' "${rows[@]}"
say "" "(*) the kill -9 loses nothing, and not because lvsd is fast: a killed lvsd" \
	"    leaves the VIP and the IPVS table in dir1's kernel, which goes on forwarding" \
	"    until dir2 takes over when the adverts stop. A daemon kill is not a" \
	"    data-plane failure; the link-down row is the hard one." ""
if ((nfail == 0)); then
	say "DEMO OK: every check passed"
else
	say "DEMO FAILED: $nfail check(s) failed (lines starting with 'not ok' above)"
	exit 1
fi
