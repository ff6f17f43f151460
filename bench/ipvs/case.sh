# The IPVS bench, run inside the lab by bench/ipvs/run (which prepends the
# BENCH_* settings): lvsd runs in dir1 with a table of S services x D tunnel
# destinations; the same BENCH_CHANGES destination weight changes go
#  - through the daemon: `lvsctl weight --batch FILE`, the whole lvsctl process
#    until lvsd's reply, which it sends once the kernel acknowledged every
#    change (lvsd's writer: batched generic netlink, acks read from its loop);
#  - through `ipvsadm -R` (the whole process),
# from the same starting table, BENCH_RUNS times each (alternating which goes
# first); both must end with the same table as `ipvsadm -Ln --exact` shows it.
# Prints the medians, then one line
#   RESULT ipvs_weight_changes_speedup RATIO target >= 3
# where RATIO = median ipvsadm -R time / median lvsctl weight --batch time.
# lab: timeout=900
: "${BENCH_SERVICES:=100}" "${BENCH_DESTS:=100}" "${BENCH_CHANGES:=10000}" "${BENCH_RUNS:=3}"
tool=$LAB_BUILD/lvsd/ipvs-tool
ns=dir1
dir=$LAB_CASE_DIR
sock=$dir/lvsd.sock

# the starting table: S services x D tunnel dests, weights 1..50, programmed by
# lvsd from its file (ipvs_resync off: nothing but the bench touches the table)
{
	printf 'global:\n  control_socket: %s\n  ipvs_resync: 0\nservices:\n' "$sock"
	for ((s = 1; s <= BENCH_SERVICES; s++)); do
		printf '  - address: 203.0.113.%d\n    port: %d\n' $(((s - 1) % 250 + 1)) $((8000 + (s - 1) / 250))
		printf '    scheduler: wrr\n    check: { type: none }\n    weight_policy: static\n'
		printf '    real_servers:\n'
		for ((d = 1; d <= BENCH_DESTS; d++)); do
			printf '      - { address: 198.51.100.%d, weight: %d }\n' \
				$(((d - 1) % 250 + 1)) $(((s + d) % 50 + 1))
		done
	done
} >"$dir/lvsd.yaml"
lab_daemon $ns lvsd lvsd -n -f "$dir/lvsd.yaml"
lab_check "lvsd programmed $BENCH_SERVICES services x $BENCH_DESTS destinations" \
	lab_wait_for 300 lab_lvsd_applied lvsd 1 || exit 1
lab_log "$(lab_lvsd_last_apply lvsd)"
base_list=$(lab_in $ns ipvsadm -Ln --exact)
lab_is "ipvsadm -Ln sees $((BENCH_SERVICES * BENCH_DESTS)) destinations" \
	"$(grep -c '^  ->.*Tunnel' <<<"$base_list")" "$((BENCH_SERVICES * BENCH_DESTS))"
lab_check "ipvs-tool writes the $BENCH_CHANGES changes as ipvsadm -R input" \
	lab_in $ns "$tool" bench-weights "$BENCH_CHANGES" -n -o "$dir/changes"
lab_is "the changes file has $BENCH_CHANGES edits" "$(grep -c '^-e ' "$dir/changes")" "$BENCH_CHANGES"
# the same changes for lvsctl: "-e -t VIP:PORT -r RS:PORT -i -w W" -> "VIP:PORT RS:PORT W"
# (a service's default name is VIP:PORT); the way back to the static weights
# for lvsd ("clear") and, from the starting table, for the kernel (ipvsadm -R)
while read -r _ _ vip _ rs _ _ w; do
	echo "$vip $rs $w" >&3
	echo "$vip $rs clear" >&4
done <"$dir/changes" 3>"$dir/changes.lvsctl" 4>"$dir/clear.lvsctl"
lab_in $ns ipvsadm -Sn | sed -n 's/^-a /-e /p' >"$dir/base.edits"

# bench__reset: the starting table in the kernel and in lvsd (no override)
bench__reset() {
	local out
	out=$(lab_in $ns lvsctl -s "$sock" weight --batch "$dir/clear.lvsctl" 2>&1) ||
		{ lab_log "$out"; return 1; }
	lab_in $ns ipvsadm -R <"$dir/base.edits" || return 1
	[[ $(lab_in $ns ipvsadm -Ln --exact) == "$base_list" ]] ||
		{ lab_log "the table is not the starting one"; return 1; }
}

ctl=() adm=() bad=0 want=""
# bench__lvsd: one timed run of lvsctl weight --batch; appends to ctl[]
bench__lvsd() {
	local t0 t1 out
	bench__reset || return 1
	t0=${EPOCHREALTIME/./}
	out=$(lab_in $ns lvsctl -s "$sock" weight --batch "$dir/changes.lvsctl" 2>&1) ||
		{ lab_log "$out"; return 1; }
	t1=${EPOCHREALTIME/./}
	[[ $out == "applied $BENCH_CHANGES, refused 0" ]] || { lab_log "$out"; return 1; }
	ctl+=($((t1 - t0)))
	bench__same lvsd
}

# bench__ipvsadm: one timed run of ipvsadm -R; appends to adm[]
bench__ipvsadm() {
	local t0 t1
	bench__reset || return 1
	t0=${EPOCHREALTIME/./}
	lab_in $ns ipvsadm -R <"$dir/changes" || return 1
	t1=${EPOCHREALTIME/./}
	adm+=($((t1 - t0)))
	bench__same ipvsadm
}

# bench__same WHO: the table after a run equals the first run's, and differs from the start
bench__same() {
	local got
	got=$(lab_in $ns ipvsadm -Ln --exact)
	[[ $got != "$base_list" ]] || { lab_log "$1: the table did not change"; return 1; }
	if [[ -z $want ]]; then
		want=$got
		echo "$got" >"$dir/after.$1"
		return 0
	fi
	[[ $got == "$want" ]] && return 0
	echo "$got" >"$dir/after.$1"
	lab_log "$1: the table differs from the first run's:"
	lab_log "$(diff "$dir"/after.* | head -n 20)"
	return 1
}

for ((r = 1; r <= BENCH_RUNS; r++)); do
	if ((r % 2)); then
		lab_check "run $r: lvsctl weight --batch, same table" bench__lvsd || bad=1
		lab_check "run $r: ipvsadm -R, same table" bench__ipvsadm || bad=1
	else
		lab_check "run $r: ipvsadm -R, same table" bench__ipvsadm || bad=1
		lab_check "run $r: lvsctl weight --batch, same table" bench__lvsd || bad=1
	fi
done
# how long lvsd's full read of the table takes (a reload or resync does one)
lab_check "a reload of the same file" eval 'lab_in $ns lvsctl -s "$sock" reload >/dev/null'
lab_check "applied (nothing to change)" lab_wait_for 120 lab_lvsd_applied lvsd 2
dump_line=$(lab_in $ns lvsctl -s "$sock" status | grep -o 'dumps (last took .*')
lab_check "lvsd stops on SIGTERM" lab_stop lvsd 10
lab_in $ns ipvsadm -C
((bad == 0 && ${#ctl[@]} == BENCH_RUNS && ${#adm[@]} == BENCH_RUNS)) || {
	echo "RESULT ipvs_weight_changes_speedup 0 target >= 3"
	exit 1
}

# bench__median US...: the median (the lower middle one for an even count)
bench__median() {
	local -a s
	mapfile -t s < <(printf '%s\n' "$@" | sort -n)
	echo "${s[(${#s[@]} - 1) / 2]}"
}
# bench__sec US: microseconds as seconds with 3 decimals
bench__sec() {
	printf '%d.%03d' $(($1 / 1000000)) $((($1 % 1000000) / 1000))
}
# bench__rate US: changes per second
bench__rate() {
	echo $((BENCH_CHANGES * 1000000 / ($1 > 0 ? $1 : 1)))
}
# bench__ratio A B: A / B with 2 decimals
bench__ratio() {
	local x=$(($1 * 100 / ($2 > 0 ? $2 : 1)))
	printf '%d.%02d' $((x / 100)) $((x % 100))
}

mc=$(bench__median "${ctl[@]}")
ma=$(bench__median "${adm[@]}")
echo
echo "IPVS bench: $BENCH_CHANGES destination weight changes on a table of" \
	"$BENCH_SERVICES services x $BENCH_DESTS destinations (UML guest, one CPU)"
printf '%-44s %5s %14s %12s   %s\n' method runs "median s" "changes/s" "all runs (ms)"
row() {
	local -a ms=()
	local v
	for v in "${@:4}"; do ms+=($((v / 1000))); done
	printf '%-44s %5s %14s %12s   %s\n' "$1" "$2" "$(bench__sec "$3")" "$(bench__rate "$3")" "${ms[*]}"
}
row "lvsctl weight --batch (whole process) *" "$BENCH_RUNS" "$mc" "${ctl[@]}"
row "ipvsadm -R (whole process)" "$BENCH_RUNS" "$ma" "${adm[@]}"
echo "* until lvsd's reply, sent once the kernel acknowledged every change"
echo "lvsd's full read of the $((BENCH_SERVICES * BENCH_DESTS))-destination table at a reload: ${dump_line:-?}"
echo "speedup (ipvsadm -R / lvsctl weight --batch): $(bench__ratio "$ma" "$mc")x"
echo "RESULT ipvs_weight_changes_speedup $(bench__ratio "$ma" "$mc") target >= 3"
