#!/bin/bash
# make check's entry to the lab: one user-mode Linux boot runs every case in
# tests/lab/cases. The verdict travels in TAP: run-lab prints a "not ok" line
# for each failure (and for a lab that cannot start under LAB_REQUIRE=1) and
# exits 1; the driver counts the lines, so passing that status on as well
# would count each failure twice. The status passes through only when
# run-lab failed without a "not ok" line (it was called wrongly, crashed or
# was killed): the driver then reports the error.
"$(dirname "$0")/run-lab" "$@" |
	awk '{ print; fflush() } /^not ok/ { said = 1 } END { exit !said }'
st=("${PIPESTATUS[@]}")
if [ "${st[0]}" != 0 ] && [ "${st[1]}" != 0 ]; then
	exit "${st[0]}"
fi
exit 0
