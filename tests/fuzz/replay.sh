#!/bin/sh
# Replay the seed corpora and the saved reproducers of fixed bugs
# (crashes/TARGET-*) through the fuzz targets, built without libFuzzer.  One test point per
# target: it passes when every input ran without a crash, a sanitizer report
# or a broken invariant.
src=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${abs_top_builddir:-$(pwd)}
echo 1..5
i=0 rc=0
for t in conf ipc ipvs vrrp report; do
	i=$((i + 1))
	bin=$build/tests/fuzz/fuzz_$t
	corpus=$src/tests/fuzz/corpus/$t
	# shellcheck disable=SC2046 # reproducer names have no spaces
	out=$("$bin" "$corpus" $(ls "$src/tests/fuzz/crashes/$t"-* 2>/dev/null) 2>&1)
	st=$?
	n=$(printf '%s\n' "$out" | sed -n 's/^\([0-9][0-9]*\) inputs$/\1/p' | tail -1)
	if [ "$st" = 0 ] && [ "${n:-0}" -gt 0 ]; then
		echo "ok $i - fuzz_$t: $n inputs from corpus/$t and crashes/$t-*"
	else
		printf '%s\n' "$out" | tail -40 | sed 's/^/# /'
		echo "not ok $i - fuzz_$t: exit $st after ${n:-?} inputs from corpus/$t"
		rc=1
	fi
done
exit $rc
