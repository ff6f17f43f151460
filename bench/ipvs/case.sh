# The IPVS bench, run inside the lab by bench/ipvs/run (which prepends the
# BENCH_* settings): the same destination weight changes through lvsd's IPVS
# writer (ipvs-tool bench-weights: batched generic netlink, every ack matched)
# and through `ipvsadm -R`, from the same starting table, BENCH_RUNS times each
# (alternating which goes first); both must end with the same table as
# `ipvsadm -Ln --exact` shows it. Prints the medians, then one line
#   RESULT ipvs_weight_changes_speedup RATIO target >= 3
# where RATIO = median ipvsadm -R time / median lvsd writer time.
# lab: timeout=900
: "${BENCH_SERVICES:=100}" "${BENCH_DESTS:=100}" "${BENCH_CHANGES:=10000}" "${BENCH_RUNS:=3}"
tool=$LAB_BUILD/lvsd/ipvs-tool
ns=dir1
dir=$LAB_CASE_DIR

# the starting table: S services x D tunnel dests, weights 1..50
{
	for ((s = 1; s <= BENCH_SERVICES; s++)); do
		vip="203.0.113.$(((s - 1) % 250 + 1)):$((8000 + (s - 1) / 250))"
		echo "-A -t $vip -s wrr"
		for ((d = 1; d <= BENCH_DESTS; d++)); do
			echo "-a -t $vip -r 198.51.100.$(((d - 1) % 250 + 1)):$((80 + (d - 1) / 250)) -i -w $(((s + d) % 50 + 1))"
		done
	done
} >"$dir/base"

# bench__reset: the starting table, nothing else
bench__reset() {
	lab_in $ns ipvsadm -C && lab_in $ns ipvsadm -R <"$dir/base"
}

lab_check "build the table: $BENCH_SERVICES services x $BENCH_DESTS destinations" bench__reset || exit 1
base_list=$(lab_in $ns ipvsadm -Ln --exact)
lab_is "ipvsadm -Ln sees $((BENCH_SERVICES * BENCH_DESTS)) destinations" \
	"$(grep -c '^  ->.*Tunnel' <<<"$base_list")" "$((BENCH_SERVICES * BENCH_DESTS))"
lab_check "ipvs-tool writes the $BENCH_CHANGES changes as ipvsadm -R input" \
	lab_in $ns "$tool" bench-weights "$BENCH_CHANGES" -n -o "$dir/changes"
lab_is "the changes file has $BENCH_CHANGES edits" "$(grep -c '^-e ' "$dir/changes")" "$BENCH_CHANGES"

writer=() proc=() adm=() bad=0 want=""
# bench__lvsd: one timed run through lvsd's writer; appends to writer[] and proc[]
bench__lvsd() {
	local t0 t1 out s us
	bench__reset || return 1
	t0=${EPOCHREALTIME/./}
	out=$(lab_in $ns "$tool" bench-weights "$BENCH_CHANGES" 2>&1) || { lab_log "$out"; return 1; }
	t1=${EPOCHREALTIME/./}
	[[ $out =~ in\ ([0-9]+)\.([0-9]{6})\ s,\ 0\ refused ]] || { lab_log "$out"; return 1; }
	s=${BASH_REMATCH[1]} us=${BASH_REMATCH[2]}
	writer+=($((10#$s * 1000000 + 10#$us)))
	proc+=($((t1 - t0)))
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
		lab_check "run $r: lvsd writer, same table" bench__lvsd || bad=1
		lab_check "run $r: ipvsadm -R, same table" bench__ipvsadm || bad=1
	else
		lab_check "run $r: ipvsadm -R, same table" bench__ipvsadm || bad=1
		lab_check "run $r: lvsd writer, same table" bench__lvsd || bad=1
	fi
done
lab_in $ns ipvsadm -C
((bad == 0 && ${#writer[@]} == BENCH_RUNS && ${#adm[@]} == BENCH_RUNS)) || {
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

mw=$(bench__median "${writer[@]}")
mp=$(bench__median "${proc[@]}")
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
row "lvsd writer (batched netlink, acks matched)" "$BENCH_RUNS" "$mw" "${writer[@]}"
row "  same, whole ipvs-tool process *" "$BENCH_RUNS" "$mp" "${proc[@]}"
row "ipvsadm -R (whole process)" "$BENCH_RUNS" "$ma" "${adm[@]}"
echo "* includes exec and reading the whole ${BENCH_SERVICES}x$BENCH_DESTS table back from the kernel"
echo "speedup (ipvsadm -R / lvsd writer):         $(bench__ratio "$ma" "$mw")x"
echo "speedup (ipvsadm -R / whole ipvs-tool):     $(bench__ratio "$ma" "$mp")x"
echo "RESULT ipvs_weight_changes_speedup $(bench__ratio "$ma" "$mw") target >= 3"
