#!/bin/bash
# lvsctl's errors are one clear line and a non-zero exit: no daemon, not
# root, bad usage (naming what it did not take), a refusal from lvsd.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 14
write_conf dir1

out=$(ctl status 2>&1); rc=$?
check "no daemon: exit status is non-zero ($rc)" test "$rc" != 0
check "no daemon: one line saying lvsd is not running: $out" \
	test "$(echo "$out" | wc -l)" = 1 -a -z "${out##*lvsd is not running*}"

check "lvsd starts" start_lvsd
# a copy of lvsctl that an unprivileged user may run
mkdir "$T/bin" && cp "$LVSCTL" "$T/bin/" && chmod 755 "$T/bin/lvsctl"
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$T/bin/lvsctl" -s "$SOCK" status 2>&1)
rc=$?
check "as nobody: exit status is non-zero ($rc)" test "$rc" != 0
check "as nobody: one line saying permission denied: $out" \
	test "$(echo "$out" | wc -l)" = 1 -a -z "${out##*permission denied*}"

out=$(ctl stauts 2>&1); rc=$?
check "an unknown command says which, prints usage and exits 2" \
	test "$rc" = 2 -a "$(echo "$out" | head -1)" = "lvsctl: unknown command 'stauts'" -a -z "${out##*usage: lvsctl*}"
out=$(ctl drain web 2>&1); rc=$?
check "a command with the wrong words says what it takes: $(echo "$out" | head -1)" \
	test "$rc" = 2 -a "$(echo "$out" | head -1)" = "lvsctl: drain takes SERVICE SERVER, or --director"
out=$(ctl 2>&1); rc=$?
check "no command at all: said, exit 2" test "$rc" = 2 -a "$(echo "$out" | head -1)" = "lvsctl: a command is missing"
out=$(ctl --timeout 0 status 2>&1); rc=$?
check "a timeout that is not a positive number is bad usage (exit 2): $out" \
	test "$rc" = 2 -a "$out" = "lvsctl: bad timeout '0': seconds, more than 0 and at most 86400"
check "a fractional timeout is fine" quiet ctl -t 2.5 status
check "lvsctl --version" test "$("$LVSCTL" --version)" = "lvsctl $(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' "$abs_top_builddir/config.h")"

# refusals from lvsd: on stderr, exit 1, for one line and for a batch
out=$(ctl drain web 203.0.113.99 2>"$T/err"); rc=$?
cat "$T/err" | diag
check "drain of a server the service lacks exits 1" test "$rc" = 1
check "and says why on stderr" grep -qxF "lvsctl: refused: no real server 203.0.113.99 in web" "$T/err"
printf 'web 198.51.100.11 5\nweb 203.0.113.99 5\n' >"$T/batch"
out=$(ctl weight --batch "$T/batch" 2>"$T/err"); rc=$?
echo "$out" | diag
check "a batch with one refusal exits 1, the rest applied" \
	test "$rc" = 1 -a "$(echo "$out" | head -1)" = "applied 1, refused 1"
