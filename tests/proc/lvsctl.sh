#!/bin/bash
# lvsctl's errors are one clear line and a non-zero exit: no daemon, not
# root, bad usage.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 9
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

out=$(ctl frobnicate 2>&1); rc=$?
check "an unknown command prints usage and exits 2" test "$rc" = 2 -a -z "${out##*usage: lvsctl*}"
out=$(ctl --timeout 0 status 2>&1); rc=$?
check "a timeout that is not a positive number is bad usage (exit 2): $out" \
	test "$rc" = 2 -a "$out" = "lvsctl: bad timeout '0': seconds, more than 0 and at most 86400"
check "a fractional timeout is fine" quiet ctl -t 2.5 status
check "lvsctl --version" test "$("$LVSCTL" --version)" = "lvsctl $(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' "$abs_top_builddir/config.h")"
