# The fail-over bench, run inside the lab by bench/failover/run (which puts
# the BENCH_* settings in front): two directors dir1 (priority 150) and dir2
# (100) share $LAB_VIP with VRRP and forward it with IPVS (tunnel, mh with
# mh-port and sloppy_tcp, so a connection caught mid-handshake by the move
# reaches the same real server through either director; rs1 and rs2); cl1 opens a new TCP connection to the VIP every 20 ms for the
# whole run (one lab-http process per block, wall-clock times with -T).
# For each daemon (lvsd; keepalived --vrrp) and timer it runs the drills on
# dir1 while it is master, then fails back, and records one line per drill
# in $BENCH_OUT/events:
#   DAEMON TIMER DRILL REP T_DRILL T_BACK T_END OK    (times: epoch ms)
# bench/failover/report reads the events against the prober's timelines.
# The data plane is the same for both daemons: the IPVS table is put in both
# directors once by ipvsadm -R and stays (lvsd's file has the same service,
# so lvsd finds nothing to change; keepalived runs VRRP only).
# lab: timeout=3000
# shellcheck shell=bash
: "${BENCH_REPS:=3}" "${BENCH_TIMERS:=v2:1s v3:100ms v3:20ms}" "${BENCH_SPURIOUS_S:=300}"
: "${BENCH_DAEMONS:=lvsd keepalived}" "${BENCH_DRILLS:=linkdown kill9 sigterm handover}"
: "${BENCH_PROBE_TIMEOUT:=100}"
out=$BENCH_OUT
dir=$LAB_CASE_DIR
vip=$LAB_VIP
mkdir -p "$out"
: >"$out/events"

# bs_now: epoch ms into $NOW without a fork
bs_now() { NOW=${EPOCHREALTIME/./}; NOW=$((NOW / 1000)); }
bs_say() { echo "$*"; }
# bs_vip NS: the VIP is on NS's eth0
bs_vip() { [[ $(ip -n "$1" -br -4 addr show dev eth0 2>/dev/null) == *" $vip/24"* ]]; }
bs_novip() { ! bs_vip "$1"; }
bs_stable() { bs_vip dir1 && bs_novip dir2; }
bs_flip() { bs_vip dir2 && bs_novip dir1; }

# the data plane, once, identical for both daemons
for d in dir1 dir2; do
	printf -- '-A -t %s:80 -s mh -b mh-port\n-a -t %s:80 -r %s:80 -i -w 1\n-a -t %s:80 -r %s:80 -i -w 1\n' \
		"$vip" "$vip" "${LAB_IP[rs1]}" "$vip" "${LAB_IP[rs2]}" | lab_in "$d" ipvsadm -R ||
		{ lab_fail "ipvsadm -R in $d"; exit 1; }
	lab_in "$d" sysctl -qw net.ipv4.vs.sloppy_tcp=1 || { lab_fail "sloppy_tcp in $d"; exit 1; }
done
lab_in root ip link set v-dir1 up

# bs_conf DAEMON TIMER DIR PRIO: write DIR's configuration
bs_conf() {
	local ver=${2%%:*} iv=${2#*:} ms
	ver=${ver#v}
	ms=$(bs_iv_ms "$2")
	if [[ $1 == lvsd ]]; then
		cat >"$dir/$3.yaml" <<END
global:
  director_id: $3
  control_socket: $dir/$3.sock
  sloppy_tcp: true
vrrp:
  - name: VI_1
    interface: eth0
    vrid: 51
    version: $ver
    priority: $4
    advert_interval: $iv
    preempt: true
    preempt_delay: 0s
    virtual_addresses: [$vip/24]
services:
  - name: web
    address: $vip
    port: 80
    scheduler: mh
    scheduler_flags: [mh-port]
    forwarding: tunnel
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: ${LAB_IP[rs1]}, weight: 1 }
      - { address: ${LAB_IP[rs2]}, weight: 1 }
END
	else
		cat >"$dir/$3.conf" <<END
global_defs {
    router_id $3
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $4
    advert_int $(printf '%d.%02d' $((ms / 1000)) $((ms % 1000 / 10)))
    version $ver
    virtual_ipaddress {
        $vip/24
    }
}
END
	fi
}
# bs_iv_ms TIMER: the advertisement interval in ms
bs_iv_ms() {
	local iv=${1#*:}
	if [[ $iv == *ms ]]; then echo "${iv%ms}"; else echo $((${iv%s} * 1000)); fi
}

# bs_start DAEMON DIR: start it (log appended to $out/LOG), pid in $LAB_RUN/daemons
bs_start() {
	local log=$out/$BLOCK-$2.log
	echo "=== $(date -u +%T.%N) start" >>"$log"
	# a session of its own: when the kill -9 drill kills a parent whose
	# children are stopped, the kernel sends SIGHUP to the orphaned process
	# group, which must not be the case's own (setsid does not fork here)
	if [[ $1 == lvsd ]]; then
		setsid ip netns exec "$2" lvsd -n -f "$dir/$2.yaml" >>"$log" 2>&1 </dev/null &
	else
		setsid ip netns exec "$2" keepalived -n -l -D --vrrp -f "$dir/$2.conf" \
			-p "$dir/k-$2.pid" -r "$dir/k-$2.vrrp.pid" >>"$log" 2>&1 </dev/null &
	fi
	echo "$!" >"$LAB_RUN/daemons/$1-$2.pid"
}
# bs_tree PID: PID and all its descendants
bs_tree() {
	local want=" $1 " f stat pid ppid more=1
	while ((more)); do
		more=0
		for f in /proc/[0-9]*/stat; do
			read -r stat 2>/dev/null <"$f" || continue
			pid=${stat%% *}
			stat=${stat##*) }
			read -r _ ppid _ <<<"$stat"
			if [[ $want == *" $ppid "* && $want != *" $pid "* ]]; then
				want+="$pid "
				more=1
			fi
		done
	done
	echo "${want# }"
}
bs_dead() { ! lab_alive "$1"; }
# bs_stop DAEMON DIR: SIGTERM and wait (SIGKILL the tree after 15 s)
bs_stop() {
	local name=$1-$2 pid
	pid=$(lab_pid "$name") || return 0
	kill -TERM "$pid" 2>/dev/null
	# shellcheck disable=SC2046 # one pid per word
	lab_wait_for 15 bs_dead "$name" || kill -KILL $(bs_tree "$pid") 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$LAB_RUN/daemons/$name.pid"
}
# bs_kill9 DAEMON DIR: stop every process of the daemon, then kill them all
bs_kill9() {
	local name=$1-$2 pid pids
	pid=$(lab_pid "$name") || return 1
	pids=$(bs_tree "$pid")
	# shellcheck disable=SC2086
	kill -STOP $pids
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null # children may be gone with their parent
	wait "$pid" 2>/dev/null
	rm -f "$LAB_RUN/daemons/$name.pid"
	echo "=== kill -9 of $pids" >>"$out/$BLOCK-$2.log"
}
bs_ctl() { ip netns exec "$1" lvsctl -s "$dir/$1.sock" -t 30 "${@:2}" >>"$out/$BLOCK-ctl.log" 2>&1; }

# bs_answered_after MS: the prober got an answer after epoch ms MS
bs_answered_after() {
	local line t
	line=$(tail -n 1 "$PROBE_LOG")
	t=${line%% *}
	[[ $line != *ERR:* && $t =~ ^[0-9]+$ ]] && ((t > $1))
}
# bs_settle: after a state is reached, an answer, then 3 advertisement intervals + 0.5 s
bs_settle() {
	bs_now
	lab_wait_for 10 bs_answered_after "$NOW"
	lab_sleep "$(printf '%d.%03d' $(((3 * IV + 500) / 1000)) $(((3 * IV + 500) % 1000)))"
}

# bs_drill DAEMON DRILL REP: one drill on dir1 (the master), then the fail-back
bs_drill() {
	local d=$1 t_drill t_back t_end ok=1 wait_s
	wait_s=$((IV * 5 / 1000 + 10))
	bs_now; t_drill=$NOW
	case $2 in
	linkdown) ip link set v-dir1 down ;;
	kill9) bs_kill9 "$d" dir1 ;;
	sigterm) kill -TERM "$(lab_pid "$d-dir1")"; lab_wait_for 30 bs_dead "$d-dir1" || ok=0
		wait "$(lab_pid "$d-dir1")" 2>/dev/null; rm -f "$LAB_RUN/daemons/$d-dir1.pid" ;;
	handover) bs_ctl dir1 handover || ok=0 ;;
	esac
	lab_wait_for "$wait_s" bs_vip dir2 || ok=0
	[[ $2 == handover || $2 == sigterm ]] && { lab_wait_for "$wait_s" bs_novip dir1 || ok=0; }
	bs_settle
	bs_now; t_back=$NOW
	case $2 in
	linkdown) ip link set v-dir1 up ;;
	kill9 | sigterm) bs_start "$d" dir1 ;;
	handover) bs_ctl dir2 handover || ok=0 ;;
	esac
	lab_wait_for $((wait_s + 20)) bs_stable || ok=0
	bs_settle
	bs_now; t_end=$NOW
	echo "$d $TIMER $2 $3 $t_drill $t_back $t_end $ok" >>"$out/events"
	((ok)) || lab_log "$d $TIMER $2 rep $3: did not reach the expected state in time"
	# whatever happened, start the next drill from dir1 master, dir2 backup
	if ! bs_stable; then
		lab_wait_for 30 bs_stable || lab_log "$d $TIMER: dir1 is not master again"
	fi
}

# bs_block_start DAEMON TIMER [BLOCK]: start the pair, wait until dir1 is
# master, start the prober; logs and timeline named after BLOCK
# (default DAEMON-vV-IV)
bs_block_start() {
	BLOCK=${3:-$1-${2/:/-}}
	TIMER=$2
	IV=$(bs_iv_ms "$2")
	bs_conf "$1" "$2" dir1 150
	bs_conf "$1" "$2" dir2 100
	ip -n dir1 addr del "$vip/24" dev eth0 2>/dev/null
	ip -n dir2 addr del "$vip/24" dev eth0 2>/dev/null
	bs_start "$1" dir2
	bs_start "$1" dir1
	lab_wait_for 60 bs_stable || { lab_log "$BLOCK: dir1 did not become master"; return 1; }
	PROBE_LOG=$out/probe-$BLOCK.log
	ip netns exec cl1 lab-http get -n 1000000 -i 20 -t "$BENCH_PROBE_TIMEOUT" -l -T "$vip:80" \
		>"$PROBE_LOG" 2>&1 </dev/null &
	PROBER=$!
	lab_wait_for 10 test -s "$PROBE_LOG"
	bs_settle
}
bs_block_stop() {
	kill -TERM "$PROBER" 2>/dev/null
	wait "$PROBER" 2>/dev/null
	bs_stop "$1" dir1
	bs_stop "$1" dir2
}

# bs_transitions DAEMON: state changes logged by both directors in this block
bs_transitions() {
	local n=0 d c
	for d in dir1 dir2; do
		if [[ $1 == lvsd ]]; then
			c=$(grep -cE 'VI_1: [a-z]+ -> [a-z]+: ' "$out/$BLOCK-$d.log")
		else
			c=$(grep -cE 'Entering (MASTER|BACKUP|FAULT) STATE' "$out/$BLOCK-$d.log")
		fi
		n=$((n + c))
	done
	echo "$n"
}

bad=0
for daemon in $BENCH_DAEMONS; do
	for timer in $BENCH_TIMERS; do
		bs_say "# $(date -u +%T) $daemon, $timer"
		bs_block_start "$daemon" "$timer" || { bad=1; bs_block_stop "$daemon"; continue; }
		for ((rep = 1; rep <= BENCH_REPS; rep++)); do
			for drill in $BENCH_DRILLS; do
				if [[ $daemon == keepalived && $drill == handover ]]; then
					echo "$daemon $timer $drill $rep 0 0 0 na" >>"$out/events"
					continue
				fi
				bs_drill "$daemon" "$drill" "$rep"
			done
		done
		bs_block_stop "$daemon"
	done
done

# spurious transitions: 20 ms adverts, a CPU hog on both host cores
if ((BENCH_SPURIOUS_S > 0)); then
	for daemon in $BENCH_DAEMONS; do
		bs_say "# $(date -u +%T) $daemon, spurious transitions, ${BENCH_SPURIOUS_S}s"
		bs_block_start "$daemon" v3:20ms "$daemon-spurious" ||
			{ bad=1; bs_block_stop "$daemon"; continue; }
		n0=$(bs_transitions "$daemon")
		rm -f "$out/hog.on" "$out/hog.off"
		echo "$BENCH_SPURIOUS_S" >"$out/hog.request"
		lab_wait_for 20 test -e "$out/hog.on" || lab_log "no CPU hog on the host (hog.on not seen)"
		bs_now; t0=$NOW
		lab_sleep "$BENCH_SPURIOUS_S"
		bs_now; t1=$NOW
		n1=$(bs_transitions "$daemon")
		lab_wait_for 60 test -e "$out/hog.off" || lab_log "the host's CPU hog did not end"
		echo "$daemon spurious $((n1 - n0)) $t0 $t1 $([[ -e $out/hog.on ]] && echo hog || echo nohog)" \
			>>"$out/spurious"
		bs_block_stop "$daemon"
	done
fi
ip -n dir1 addr del "$vip/24" dev eth0 2>/dev/null
ip -n dir2 addr del "$vip/24" dev eth0 2>/dev/null
lab_in dir1 ipvsadm -C
lab_in dir2 ipvsadm -C
((bad == 0)) || lab_fail "a block could not start (see above)"
echo "# $(date -u +%T) done"
