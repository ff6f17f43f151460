# The paper bench, run inside the lab: by bench/paper/run (which puts the
# BENCH_* settings in front) and by tests/lab/cases/paper-smoke.sh (which
# sets small ones and sources this file). The source paper's experiment
# (PAPER.md: Workload, Table 2), one run per policy and repetition,
# alternated (static paper-1 paper-2 damped, then again):
#  - rs1 and rs2 each run `lab-paper serve` (pre-forking, a forked CGI
#    holding BENCH_CGI_KB) and `lvs-agent --cgroup`, both inside their own
#    cgroup v2 memory group (memory.max BENCH_MEM_MAX), new for every run;
#  - lvsd in dir1 holds the VIP and a TCP service VIP:8080, wlc, tunnel,
#    with the run's weight policy fed by the agents' signed reports;
#  - cl1 runs `lab-paper load`, the paper's 40-item agenda;
#  - a sampler in dir1 reads, every second, both groups' memory.current
#    and the service's destinations in /proc/net/ip_vs (weight, active and
#    inactive connections): the kernel's own view, for every policy.
# Writes to $BENCH_OUT: runs (one line per run: TAG POLICY REP T0 T1
# MEM_MAX_BYTES BASE1 BASE2 OK), mem-TAG (samples), load-TAG (the load
# generator's summary), req-TAG (one line per request), hist-TAG.jsonl
# (lvsd's weight history), conf-TAG.yaml; bench/paper/report reads them.
# lab: timeout=1200
# shellcheck shell=bash
: "${BENCH_RUNS:=3}" "${BENCH_POLICIES:=static paper-1 paper-2 damped}"
: "${BENCH_DURATION:=50}" "${BENCH_EVERY_MS:=700}" "${BENCH_THINK:=250}"
: "${BENCH_KEEPALIVE_MS:=5000}" "${BENCH_MEM_MAX:=64M}" "${BENCH_CGI_KB:=1700}" "${BENCH_CGI_CPU_MS:=20}"
: "${BENCH_CGI_HOLD_MS:=1000}" "${BENCH_WORKER_KB:=512}"
: "${BENCH_SAMPLE:=1s}" "${BENCH_WINDOW:=5s}" "${BENCH_REPORT:=5s}" "${BENCH_ROUND:=1s}"
: "${BENCH_MEM_PER_PROCESS:=2500}" "${BENCH_CONNS_PER_MIN:=650}"
: "${BENCH_CGI_KB_RS2:=$((BENCH_CGI_KB * 2))}"
: "${BENCH_DAMPED:=smoothing: 30, max_step: 10, band: 4, write_threshold: 5}"
: "${BENCH_SETTLE:=3}"
# a request not answered in this long is an error (ms)
: "${BENCH_REQ_TIMEOUT_MS:=10000}"
out=$BENCH_OUT
port=8080
svc=$LAB_VIP:$port
cg=$LAB_RUN/cgroup
keys=$LAB_CASE_DIR/keys
mkdir -p "$out"
: >"$out/runs"

# ---------------------------------------------------------------- helpers
bp_say() { echo "# $(date -u +%T) $*"; }
# bp_hex ADDR PORT: the address as /proc/net/ip_vs writes it (C6336410:1F90)
bp_hex() {
	local a b c d
	IFS=. read -r a b c d <<<"$1"
	printf '%02X%02X%02X%02X:%04X' "$a" "$b" "$c" "$d" "$2"
}
# bp_group_empty DIR: no process left in the group
bp_group_empty() { [[ ! -s $1/cgroup.procs ]]; }
# bp_groups_down: kill what is left in the run's groups, remove them
bp_groups_down() {
	local rs g pid
	for rs in rs1 rs2; do
		g=$cg/paper-$rs
		[[ -d $g ]] || continue
		lab_wait_for 3 bp_group_empty "$g" || {
			while read -r pid; do kill -KILL "$pid" 2>/dev/null; done <"$g/cgroup.procs"
			lab_wait_for 5 bp_group_empty "$g"
		}
		rmdir "$g" 2>/dev/null || lab_log "cannot remove $g"
	done
}
bp_cleanup() {
	local n
	for n in sampler load agent-rs1 agent-rs2 web-rs1 web-rs2 lvsd; do lab_stop "paper-$n" 5; done
	bp_groups_down
	lab_in dir1 ipvsadm -C 2>/dev/null
	ip -n dir1 addr del "$LAB_VIP/32" dev eth0 2>/dev/null
	[[ -e $cg/cgroup.procs ]] && { umount "$cg" && rmdir "$cg"; }
	return 0
}
trap bp_cleanup EXIT
bp_cleanup

# ---------------------------------------------------------------- cgroups, keys
mkdir -p "$cg"
mount -t cgroup2 cgroup2 "$cg" 2>/dev/null || lab_skip "the UML kernel cannot mount cgroup2"
[[ " $(<"$cg/cgroup.controllers") " == *" memory "* ]] ||
	lab_skip "the UML kernel's cgroup2 has no memory controller"
echo +memory >"$cg/cgroup.subtree_control" || { lab_fail "memory controller for the groups"; exit 1; }
rm -rf "$keys"
mkdir -p "$keys"
for rs in rs1 rs2; do
	lvs-agent keygen --type ed25519 --out "$keys/$rs" >/dev/null || { lab_fail "keygen $rs"; exit 1; }
done
# The programs' pages in the page cache are charged to the group that reads
# them first: read them here, in the root group, so that neither real
# server's group starts with the other's share (PAPER.md: the first Apache
# was charged ~2.9 MB of shared file pages).
cat "$(command -v lab-paper)" "$(command -v lvs-agent)" "$(command -v lvsd)" >/dev/null
lab_in cl1 sysctl -qw net.ipv4.ip_local_port_range="10000 60999" net.ipv4.tcp_tw_reuse=1
lab_in dir1 ip addr add "$LAB_VIP/32" dev eth0 || { lab_fail "VIP on dir1"; exit 1; }
lab_in cl1 ip neigh flush to "$LAB_VIP"
hex1=$(bp_hex "${LAB_IP[rs1]}" $port)
hex2=$(bp_hex "${LAB_IP[rs2]}" $port)

# bp_policy POLICY: the weight_policy line of lvsd.yaml
bp_policy() {
	local timers="warmup: 5s, stale_after: 15s, expire_after: 30s"
	case $1 in
	static) echo static ;;
	paper-1) echo "{ type: paper-1, mem_per_process: $BENCH_MEM_PER_PROCESS, $timers }" ;;
	paper-2) echo "{ type: paper-2, mem_per_process: $BENCH_MEM_PER_PROCESS," \
		"conns_per_min: $BENCH_CONNS_PER_MIN, $timers }" ;;
	damped) echo "{ type: damped, $BENCH_DAMPED, $timers }" ;;
	esac
}
# bp_conf POLICY TAG: lvsd.yaml for the run
bp_conf() {
	cat >"$out/conf-$2.yaml" <<END
global:
  control_socket: $LAB_CASE_DIR/dir1.sock
  user: lvsd
keys:
  rs1: { type: ed25519, file: $keys/rs1.pub }
  rs2: { type: ed25519, file: $keys/rs2.pub }
reports:
  listen: ${LAB_BACK_IP[dir1]}:7946
  round: $BENCH_ROUND
  history: $out/hist-$2.jsonl
services:
  - name: web
    address: $LAB_VIP
    port: $port
    scheduler: wlc
    forwarding: tunnel
    check: { type: none }
    weight_policy: $(bp_policy "$1")
    real_servers:
      - { address: ${LAB_IP[rs1]}, weight: 1, agent_key: rs1 }
      - { address: ${LAB_IP[rs2]}, weight: 1, agent_key: rs2 }
END
}

# bp_sampler FILE CG1 CG2 HEX1 HEX2 SECONDS: run in dir1; a line a second
#   EPOCH_MS CUR1 CUR2 W1 ACT1 INACT1 W2 ACT2 INACT2
# (group memory.current in bytes; the destinations of /proc/net/ip_vs)
bp_sampler() {
	local f=$1 n=$(($6 + 30)) fd c1 c2 arrow addr w a i line
	local -A W A I
	exec {fd}<>"$LAB_RUN/sleep.fifo"
	while ((n-- > 0)); do
		read -r c1 <"$2/memory.current" || c1=0
		read -r c2 <"$3/memory.current" || c2=0
		W=() A=() I=()
		while read -r arrow addr _ w a i; do
			[[ $arrow == '->' ]] || continue
			W[$addr]=$w A[$addr]=$a I[$addr]=$i
		done </proc/net/ip_vs
		line="$((${EPOCHREALTIME/./} / 1000)) $c1 $c2 ${W[$4]:-0} ${A[$4]:-0} ${I[$4]:-0}"
		echo "${line%% *} ${line#* } ${W[$5]:-0} ${A[$5]:-0} ${I[$5]:-0}" >>"$f"
		read -r -t 1 -u "$fd" _
	done
}

# bp_web RS: the run's web server and agent of RS, in its new group
bp_web() {
	local g=$cg/paper-$1 cgi_kb=$BENCH_CGI_KB
	[[ $1 == rs2 ]] && cgi_kb=$BENCH_CGI_KB_RS2
	mkdir "$g" && echo "$BENCH_MEM_MAX" >"$g/memory.max" || return 1
	rm -f "$LAB_CASE_DIR/$1.ready"
	# shellcheck disable=SC2016 # expanded by the inner bash, in the namespace
	lab_daemon "$1" "paper-web-$1" bash -c 'echo $BASHPID >"$1/cgroup.procs" && shift && exec "$@"' \
		web "$g" lab-paper serve -p $port -s 10 -m 5 -M 10 -c 40 -w "$BENCH_WORKER_KB" \
		-k "$BENCH_KEEPALIVE_MS" \
		-g "$cgi_kb" -u "$BENCH_CGI_CPU_MS" -h "$BENCH_CGI_HOLD_MS" \
		-r "$LAB_CASE_DIR/$1.ready" "$1"
	# shellcheck disable=SC2016
	lab_daemon "$1" "paper-agent-$1" bash -c 'echo $BASHPID >"$1/cgroup.procs" && shift && exec "$@"' \
		agent "$g" lvs-agent -d "${LAB_BACK_IP[dir1]}" -s "${LAB_IP[$1]}:$port" \
		-k "$keys/$1.key" --cgroup "$g" --sample "$BENCH_SAMPLE" --window "$BENCH_WINDOW" \
		--report "$BENCH_REPORT"
}

# bp_run POLICY REP: one run
bp_run() {
	local tag=$1-$2 ok=1 t0 t1 b1 b2 max n
	bp_say "run $tag: $1, repetition $2, ${BENCH_DURATION}s of load"
	bp_conf "$1" "$tag"
	rm -f "$out/mem-$tag" "$out/hist-$tag.jsonl"
	lab_daemon dir1 paper-lvsd lvsd -n -f "$out/conf-$tag.yaml"
	lab_wait_for 30 grep -q 'ipvs: 1 services, 2 destinations' "$LAB_CASE_DIR/paper-lvsd.log" ||
		{ lab_log "$tag: lvsd did not program the service"; ok=0; }
	bp_web rs1 && bp_web rs2 || { lab_log "$tag: cannot make the groups"; ok=0; }
	lab_wait_for 15 test -e "$LAB_CASE_DIR/rs1.ready" -a -e "$LAB_CASE_DIR/rs2.ready" ||
		{ lab_log "$tag: a web server did not start"; ok=0; }
	# the idle baseline, once the pools stand and the agents run
	lab_sleep "$BENCH_SETTLE"
	read -r b1 <"$cg/paper-rs1/memory.current"
	read -r b2 <"$cg/paper-rs2/memory.current"
	read -r max <"$cg/paper-rs1/memory.max"
	lab_daemon dir1 paper-sampler bash -c "$(declare -f bp_sampler); bp_sampler \"\$@\"" \
		sampler "$out/mem-$tag" "$cg/paper-rs1" "$cg/paper-rs2" "$hex1" "$hex2" "$BENCH_DURATION"
	t0=$(lab_now_us)
	lab_in cl1 lab-paper load -a "$BENCH_EVERY_MS" -d "$BENCH_DURATION" \
		-z "$BENCH_THINK" -t "$BENCH_REQ_TIMEOUT_MS" -o "$out/req-$tag" "$svc" >"$out/load-$tag" 2>&1 ||
		{ lab_log "$tag: the load generator failed"; ok=0; }
	t1=$(lab_now_us)
	lab_stop paper-sampler 5
	lab_log "$tag: $(head -n 1 "$out/load-$tag")"
	lab_log "$tag: lvsd: $(lab_in dir1 lvsctl -s "$LAB_CASE_DIR/dir1.sock" weights web 2>&1 |
		grep -E '^ +[0-9]' | tr -s ' ' | tr '\n' ';')"
	echo "$tag $1 $2 $((t0 / 1000)) $((t1 / 1000)) $max $b1 $b2 $ok" >>"$out/runs"
	for n in agent-rs1 agent-rs2 web-rs1 web-rs2 lvsd; do lab_stop "paper-$n" 10; done
	bp_groups_down
	lab_in dir1 ipvsadm -C
	cp "$LAB_CASE_DIR/paper-lvsd.log" "$out/lvsd-$tag.log"
}

for ((rep = 1; rep <= BENCH_RUNS; rep++)); do
	for policy in $BENCH_POLICIES; do
		bp_run "$policy" "$rep"
	done
done
bp_say "done"
