# The scale-out bench, run inside the lab by bench/scaleout/run (which puts
# the BENCH_* settings in front): three directors active-active behind a
# router with ECMP (tests/lab/ecmp.sh: BIRD, BFD, lvsd announcing its VIP
# route, mh with mh-port and sloppy_tcp).  It records in $BENCH_OUT:
#   split     N DIR CONNS   new connections each director carried with N
#             directors announced (the others drained), BENCH_CONNS per N
#   rs        N RS CONNS    the same per real server
#   events    MODE REP EVENT DIR MS RESET MOVED
#             MODE bfd or hold (the router's BIRD with BFD off: the 3 s
#             hold timer decides); EVENT death (DIR's link down: its
#             switch port stops passing frames) or return (back up); MS from the event to the router's new route
#             (ip -ts monitor); RESET and MOVED: of BENCH_KEEP kept-alive
#             connections running through the event, those with a failed
#             or stuck request and those served by another real server
# bench/scaleout/run prints the table from them.
# lab: fresh timeout=1500
# shellcheck shell=bash
: "${BENCH_REPS:=5}" "${BENCH_CONNS:=300}" "${BENCH_KEEP:=12}" "${BENCH_MODES:=bfd hold}"
out=$BENCH_OUT
mkdir -p "$out"
: >"$out/split"
: >"$out/rs"
: >"$out/events"
. "$LAB_SRC/tests/lab/ecmp.sh"
ecmp_up || { lab_fail "topology"; exit 1; }
lab_check "three nexthops" lab_wait_for 60 ecmp_hops_are "$ECMP_ALL" || exit 1
ctl() { lvsctl -s "$LAB_CASE_DIR/$1.sock" "${@:2}"; }

# conns DIR: new connections IPVS counted for the VIP since the last -Z
conns() {
	local l
	l=$(lab_in "$1" ipvsadm -Ln --stats -t "$ECMP_VIP:80" | grep "^TCP")
	set -- $l
	echo "${3:-0}"
}
sum_is() {
	local d n=0
	for d in $ECMP_DIRS; do n=$((n + $(conns "$d"))); done
	((n == $1))
}

# the split with 1, 2 and 3 directors: the others drained
for n in 1 2 3; do
	want=""
	i=0
	for d in $ECMP_DIRS; do
		i=$((i + 1))
		if ((i <= n)); then
			ctl "$d" undrain --director >/dev/null
			want+=" ${ECMP_IP[$d]}"
		else
			ctl "$d" drain --director 0 >/dev/null
		fi
	done
	lab_check "$n directors announced" lab_wait_for 60 ecmp_hops_are "${want# }" || exit 1
	for d in $ECMP_DIRS; do lab_in "$d" ipvsadm -Z; done
	res=$(lab_get cl1 -n "$BENCH_CONNS" -t 5000 "$ECMP_VIP:80")
	# IPVS folds its counters in every 2 s: wait for all of them
	lab_check "$n directors: $BENCH_CONNS connections counted" \
		lab_wait_for 30 sum_is "$((BENCH_CONNS - $(lab_count "$res" failed)))"
	for d in $ECMP_DIRS; do echo "$n $d $(conns "$d")" >>"$out/split"; done
	for r in rs1 rs2 rs3; do echo "$n $r $(lab_count "$res" "$r")" >>"$out/rs"; done
	echo "$n failed $(lab_count "$res" failed)" >>"$out/rs"
done

# deaths and returns, with BFD and with the hold timer
for mode in $BENCH_MODES; do
	if [[ $mode == hold ]]; then
		ecmp_router_bfd off
	else
		ecmp_router_bfd on
	fi
	lab_check "$mode: three nexthops" lab_wait_for 60 ecmp_hops_are "$ECMP_ALL" || exit 1
	for ((rep = 1; rep <= BENCH_REPS; rep++)); do
		d=dir$(((rep - 1) % 3 + 1))
		for ev in death return; do
			ecmp_keep_start "$BENCH_KEEP" "k-$mode-$rep-$ev"
			lab_wait_for 30 ecmp_keep_going "$BENCH_KEEP" "k-$mode-$rep-$ev" ||
				lab_fail "$mode $rep $ev: kept-alive connections did not start"
			lines=$(ecmp_mon_lines)
			t0=${EPOCHREALTIME/./}
			if [[ $ev == death ]]; then
				ecmp_cut "$d"
				want=$(ecmp_without "$d")
			else
				ecmp_mend "$d"
				want=$ECMP_ALL
			fi
			lab_wait_for 60 ecmp_hops_are "$want" || lab_fail "$mode $rep $ev of $d: no new route"
			ms=$(ecmp_change_ms "$lines" "$t0") || ms=-1
			lab_sleep 1 # flows on the new paths for a while before counting
			read -r reset moved < <(ecmp_keep_stop "$BENCH_KEEP" "k-$mode-$rep-$ev")
			echo "$mode $rep $ev $d $ms $reset $moved" | tee -a "$out/events"
		done
	done
done
lab_pass "scale-out bench recorded"
