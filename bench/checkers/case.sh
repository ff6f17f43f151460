# The checkers bench, run inside the lab by bench/checkers/run (which
# prepends the BENCH_* settings): lvsd's checkers child and keepalived's
# checker process (`keepalived --check`, which needs IPVS: hence the lab)
# check the same real servers with the same timers, one daemon at a time,
# in the director namespace dir1.  The real servers are one chk-target
# process in the namespace tgt: 40 addresses (198.51.100.100-139) x 250
# ports (20000-20249) listening; a size of N uses the first N/250 addresses,
# one service of 250 real servers per address.  Every check: interval 1 s,
# timeout 900 ms, HTTP GET / expecting 200, or a TCP connect.
# Per block (daemon, size, type): start the daemon; warm up until the
# targets saw every real server connected to (at most BENCH_WARM_MAX s) and
# BENCH_SETTLE s more; then over BENCH_WINDOW s measure, from the targets'
# counters, the checks per second achieved (TCP: connections accepted,
# HTTP: requests answered) and how many distinct real servers were checked,
# and, from /proc, the CPU (utime + stime) of the checker process and of
# the daemon's other processes, and the checker's VmRSS at the end.
# One line per block into $BENCH_OUT/results:
#   DAEMON SIZE TYPE WINDOW_S CHECKS SEEN CHK_CPU_TICKS OTHER_CPU_TICKS RSS_KB HWM_KB DOWNS
# (ticks of USER_HZ 100); bench/checkers/report makes the table.
# lab: fresh timeout=1500
: "${BENCH_SIZES:=1000 10000}" "${BENCH_TYPES:=tcp http}" "${BENCH_DAEMONS:=lvsd keepalived}"
: "${BENCH_WINDOW:=20}" "${BENCH_WARM_MAX:=60}" "${BENCH_SETTLE:=5}"
dir=$LAB_CASE_DIR
out=${BENCH_OUT:?}
target=$LAB_BUILD/bench/checkers/chk-target
stats=$dir/target.stats
: >"$out/results"

# ---------------------------------------------------------------- topology
# dir1 and the targets on the lab's bridge; no rs, no client
addrs=()
for ((i = 100; i < 140; i++)); do addrs+=("198.51.100.$i/24"); done
lab_topo <<END || exit 1
dir1 director 198.51.100.1/24
tgt other ${addrs[*]}
END
# many short connections from one address: every port, TIME_WAIT reused
lab_in dir1 sysctl -qw net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1
lab_in tgt sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=8192
ulimit -n 65536
lab_daemon tgt target "$target" -p 20000 -n 250 -a 198.51.100.100 -N 40 -s "$stats" \
	-r "$dir/target.ready"
lab_check "the targets listen" lab_wait_for 30 test -s "$stats" -a -e "$dir/target.ready" ||
	exit 1

# ---------------------------------------------------------------- configurations
# gen_lvsd SIZE TYPE: N/250 services of 250 real servers
gen_lvsd() {
	local s j
	printf 'global:\n  director_id: bench\n  control_socket: %s\nservices:\n' "$dir/lvsd.sock"
	for ((s = 0; s < $1 / 250; s++)); do
		printf '  - name: s%d\n    address: 192.0.2.100\n    port: %d\n' "$s" $((1000 + s))
		printf '    forwarding: nat\n    weight_policy: static\n'
		if [[ $2 == http ]]; then
			printf '    check: {type: http, path: /, status: 200, '
		else
			printf '    check: {type: tcp, '
		fi
		printf 'interval: 1s, timeout: 900ms, rise: 1, fall: 1}\n    real_servers:\n'
		for ((j = 0; j < 250; j++)); do
			printf '      - {address: 198.51.100.%d, port: %d}\n' $((100 + s)) $((20000 + j))
		done
	done
}
# gen_keepalived SIZE TYPE: the same services, keepalived's words
gen_keepalived() {
	local s j chk
	if [[ $2 == http ]]; then
		chk='HTTP_GET { url { path / status_code 200 } connect_timeout 0.9 retry 0 }'
	else
		chk='TCP_CHECK { connect_timeout 0.9 retry 0 }'
	fi
	printf 'global_defs {\n  router_id bench\n}\n'
	for ((s = 0; s < $1 / 250; s++)); do
		printf 'virtual_server 192.0.2.100 %d {\n  delay_loop 1\n  lb_algo wrr\n' $((1000 + s))
		printf '  lb_kind NAT\n  protocol TCP\n'
		for ((j = 0; j < 250; j++)); do
			printf '  real_server 198.51.100.%d %d {\n    weight 1\n    %s\n  }\n' \
				$((100 + s)) $((20000 + j)) "$chk"
		done
		printf '}\n'
	done
}

# ---------------------------------------------------------------- /proc
# ticks PID: utime + stime (USER_HZ ticks), 0 when gone
ticks() {
	local s
	read -r s 2>/dev/null <"/proc/$1/stat" || { echo 0; return; }
	s=${s##*) }
	read -r -a f <<<"$s"
	echo $((f[11] + f[12]))
}
# status_kb PID FIELD: a VmRSS-like field of /proc/PID/status in kB
status_kb() {
	local k v _
	while read -r k v _; do
		[[ $k == "$2:" ]] && { echo "$v"; return; }
	done 2>/dev/null <"/proc/$1/status"
	echo 0
}
# tree PID: PID and its descendants
tree() {
	local want=" $1 " f s pid ppid more=1
	while ((more)); do
		more=0
		for f in /proc/[0-9]*/stat; do
			read -r s 2>/dev/null <"$f" || continue
			pid=${s%% *}
			s=${s##*) }
			read -r _ ppid _ <<<"$s"
			if [[ $want == *" $ppid "* && $want != *" $pid "* ]]; then
				want+="$pid "
				more=1
			fi
		done
	done
	echo $want
}
# checker_pid DAEMON: the process that runs the checks
checker_pid() {
	local p c
	if [[ $1 == keepalived ]]; then
		read -r p 2>/dev/null <"$dir/k.check.pid" && [[ -e /proc/$p ]] && echo "$p"
		return
	fi
	for p in $(tree "$(lab_pid "$1")"); do
		c=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
		[[ $c == "lvsd: checkers"* ]] && { echo "$p"; return; }
	done
}
# target_stats: "EPOCH_US ACCEPTED REQUESTS SEEN"
target_stats() {
	cat "$stats"
}
seen() {
	local s
	read -r -a s <"$stats"
	echo "${s[3]}"
}

# ---------------------------------------------------------------- one block
block() {
	local daemon=$1 size=$2 type=$3 name=$1 cp root t0 t1 c0 c1 o0 o1 p a r down i
	local -a s0 s1
	if [[ $daemon == lvsd ]]; then
		gen_lvsd "$size" "$type" >"$dir/lvsd.yaml"
		lab_in dir1 lvsd -t -f "$dir/lvsd.yaml" >/dev/null || { lab_fail "lvsd -t refuses the file"; return 1; }
	else
		gen_keepalived "$size" "$type" >"$dir/keepalived.conf"
		rm -f "$dir/k.pid" "$dir/k.check.pid"
	fi
	kill -HUP "$(lab_pid target)"
	if [[ $daemon == lvsd ]]; then
		lab_daemon dir1 "$name" lvsd -n -f "$dir/lvsd.yaml"
	else
		lab_daemon dir1 "$name" keepalived -n -l --check -f "$dir/keepalived.conf" \
			-p "$dir/k.pid" -c "$dir/k.check.pid"
	fi
	lab_wait_for 60 eval '[[ -n $(checker_pid '"$daemon"') ]]' ||
		{ lab_fail "$daemon $size $type: no checker process"; lab_stop "$name" 10; return 1; }
	cp=$(checker_pid "$daemon")
	root=$(lab_pid "$name")
	# warm-up: every real server checked once, then the settling time
	lab_wait_for "$BENCH_WARM_MAX" eval '(($(seen) >= size))' ||
		lab_log "$daemon $size $type: only $(seen) of $size real servers checked after ${BENCH_WARM_MAX}s"
	lab_sleep "$BENCH_SETTLE"
	down=$(grep -cE ': down: |Removing service|Disabling service|failed' "$dir/$name.log")
	# the window
	kill -HUP "$(lab_pid target)"
	lab_sleep 0.3
	read -r -a s0 <"$stats"
	c0=$(ticks "$cp")
	o0=0
	for p in $(tree "$root"); do [[ $p != "$cp" ]] && o0=$((o0 + $(ticks "$p"))); done
	lab_sleep "$BENCH_WINDOW"
	read -r -a s1 <"$stats"
	c1=$(ticks "$cp")
	o1=0
	for p in $(tree "$root"); do [[ $p != "$cp" ]] && o1=$((o1 + $(ticks "$p"))); done
	rss=$(status_kb "$cp" VmRSS)
	hwm=$(status_kb "$cp" VmHWM)
	down=$(($(grep -cE ': down: |Removing service|Disabling service|failed' "$dir/$name.log") - down))
	if [[ $type == tcp ]]; then i=1; else i=2; fi
	# the stats file is rewritten every 250 ms: its own times bound the window
	t0=${s0[0]} t1=${s1[0]}
	echo "$daemon $size $type $(((t1 - t0) / 1000)) $((s1[i] - s0[i])) ${s1[3]}" \
		"$((c1 - c0)) $((o1 - o0)) $rss $hwm $down" >>"$out/results"
	lab_log "$(tail -n 1 "$out/results")"
	lab_check "$daemon stops" lab_stop "$name" 30
	lab_in dir1 ipvsadm -C
	lab_sleep 2
}

for size in $BENCH_SIZES; do
	for type in $BENCH_TYPES; do
		for daemon in $BENCH_DAEMONS; do
			block "$daemon" "$size" "$type"
		done
	done
done
lab_stop target 5
exit 0
