# lab: timeout=400
# bench/paper in one minute: the same case (bench/paper/case.sh) with one
# short run per policy (static, paper-1, paper-2, damped): two pre-forking
# web servers and their agents in memory groups, lvsd with a wlc tunnel
# service, the paper's agenda from cl1. Checks that every policy produced
# its numbers (memory samples, requests served) and its plot, with
# bench/paper/report --smoke; the balance itself is the full bench's
# business (bench/paper/run, by hand).
BENCH_OUT=$LAB_CASE_DIR/out
BENCH_RUNS=1 BENCH_DURATION=8 BENCH_SETTLE=1 BENCH_EVERY_MS=400
BENCH_WINDOW=2s BENCH_REPORT=1s BENCH_ROUND=500ms
# the smoke checks that every request is answered, not how fast: a starved
# lab took over 10 s (the bench's limit) for some
BENCH_REQ_TIMEOUT_MS=120000
rm -rf "$BENCH_OUT"
# shellcheck source=bench/paper/case.sh
. "$LAB_SRC/bench/paper/case.sh"
text=$(python3 "$LAB_SRC/bench/paper/report" --smoke --skip 2 "$BENCH_OUT" 2>&1)
rc=$?
lab_log "$text"
lab_is "report --smoke: every policy has its numbers and its plot" "$rc" 0
for p in static paper-1 paper-2 damped; do
	lab_check "$p: memory samples, requests and a plot" \
		eval '[[ -s $BENCH_OUT/mem-$p-1 && -s $BENCH_OUT/req-$p-1 && -s $BENCH_OUT/paper-$p.svg ]]'
done
lab_check "report.md names all four" eval \
	'(($(grep -cE "^\| (WLC|paper-1|paper-2|damped)" "$BENCH_OUT/report.md") == 4))'
lab_check "no request failed in the smoke runs" \
	eval '! grep -q " ERR:" "$BENCH_OUT"/req-*'
