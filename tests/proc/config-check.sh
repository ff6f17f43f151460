#!/bin/bash
# lvsd -t exits 0 on a valid file and 1 on a broken one, printing
# file:line:col: message; --dump-config prints YAML that loads back.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 11
write_conf dir1

# stdout only: the warnings about what is not acted on yet go to stderr (lint.sh)
out=$("$LVSD" -t -f "$CONF" 2>/dev/null); rc=$?
check "lvsd -t on a valid file exits 0 and says so" test "$rc" = 0 -a "$out" = "$CONF: configuration is valid"
sed -i '4a\  no_such_key: 1' "$CONF"
out=$("$LVSD" -t -f "$CONF" 2>&1); rc=$?
echo "$out" | diag
check "lvsd -t on a broken file exits 1" test "$rc" = 1
check "and prints file:line:col: message" test -z "${out##"$CONF":5:3:\ *}"
out=$("$LVSD" -t -f "$T/missing.yaml" 2>&1); rc=$?
check "lvsd -t on a missing file exits 1 naming it: $out" test "$rc" = 1 -a -z "${out##*missing.yaml*}"
write_conf dir1
sed 's/^  user: lvsd$/  user: no-such-user-here/' "$CONF" >"$T/user.yaml"
out=$("$LVSD" -t -f "$T/user.yaml" 2>&1); rc=$?
check "lvsd -t rejects an unknown user: $out" \
	test "$rc" = 1 -a -z "${out##"$T"/user.yaml:*user \'no-such-user-here\' does not exist*}"
sed 's/^  user: lvsd$/  user: root/' "$CONF" >"$T/root.yaml"
out=$("$LVSD" -t -f "$T/root.yaml" 2>&1); rc=$?
check "lvsd -t rejects user root at global: $out" \
	test "$rc" = 1 -a -z "${out##"$T"/root.yaml:2:3: global.user must be an unprivileged user, not root*}"
sed 's/^  user: lvsd$/  user: nobody/' "$CONF" >"$T/nobody.yaml"
out=$("$LVSD" -t -f "$T/nobody.yaml" 2>&1); rc=$?
check "lvsd -t rejects user nobody, shared with other daemons: $out" \
	test "$rc" = 1 -a -z "${out##"$T"/nobody.yaml:2:3: global.user must be a user of lvsd\'s own, not \'nobody\'*}"
sed 's/^  user: lvsd$/  user: lvsd\n  script_user: no-such-user-here/' "$CONF" >"$T/suser.yaml"
out=$("$LVSD" -t -f "$T/suser.yaml" 2>&1); rc=$?
check "lvsd -t rejects an unknown script_user at its key: $out" \
	test "$rc" = 1 -a -z "${out##"$T"/suser.yaml:5:3: script_user \'no-such-user-here\' does not exist*}"

write_conf dir1
"$LVSD" --dump-config -f "$CONF" >"$T/dump.yaml"; rc=$?
check "--dump-config exits 0" test "$rc" = 0
check "its output is valid for lvsd -t" quiet "$LVSD" -t -f "$T/dump.yaml"
"$LVSD" --dump-config -f "$T/dump.yaml" >"$T/dump2.yaml"
check "and dumps back to itself" cmp -s "$T/dump.yaml" "$T/dump2.yaml"
