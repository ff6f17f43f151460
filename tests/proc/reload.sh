#!/bin/bash
# SIGHUP and `lvsctl reload`: a broken file keeps the running configuration
# and says why (file:line:col); a good changed file becomes the next
# generation and reaches every child.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
export CONF
tap_plan 12
write_conf dir1
check "lvsd starts" start_lvsd

# json_get EXPR: evaluate EXPR on the status (s = the document, p = processes by role)
json_get() {
	ctl status --json | python3 -c '
import json, os, sys
s = json.loads(sys.stdin.read())
p = {x["role"]: x for x in s["processes"]}
print(eval(sys.argv[1]))' "$1"
}
# json_is EXPR VALUE: EXPR evaluates to VALUE now
json_is() { [ "$(json_get "$1")" = "$2" ]; }
# wait_for EXPR VALUE: until EXPR is VALUE (up to $WAIT_S s)
wait_for() {
	wait_until json_is "$1" "$2" && return 0
	echo "# $1 is $(json_get "$1"), wanted $2"
	return 1
}

# an unknown key on line 5, column 3
write_conf dir2
sed -i '4a\  no_such_key: 1' "$CONF"
kill -HUP "$LVSD_PID"
check "SIGHUP with a broken file is logged with file:line:col" \
	wait_for_log "reload failed, keeping generation 1: $CONF:5:3: "
check "the running configuration stays (generation 1, director dir1)" \
	test "$(json_get '(s["config"]["generation"], s["director_id"])')" = "(1, 'dir1')"
check "status counts the failed reload and shows why" \
	wait_for '(s["config"]["reloads_failed"], s["config"]["last_reload_error"].startswith(os.environ["CONF"] + ":5:3: "))' "(1, True)"
check "children still run" test "$(children_of "$LVSD_PID" | wc -l)" = 3

write_conf dir2
kill -HUP "$LVSD_PID"
check "SIGHUP with a good changed file makes generation 2" wait_for 's["config"]["generation"]' 2
check "the new configuration is the running one" test "$(json_get 's["director_id"]')" = dir2
check "every child installed generation 2" \
	wait_for '[p[r]["generation"] for r in ("vrrp", "checkers", "weight")]' "[2, 2, 2]"

sed -i '4a\  no_such_key: 1' "$CONF"
out=$(ctl reload 2>&1); rc=$?
echo "$out" | diag
check "lvsctl reload of a broken file fails with one line naming $CONF:5:3" \
	test "$rc" != 0 -a "$(echo "$out" | wc -l)" = 1 -a -z "${out##*"$CONF":5:3:*}"
check "and generation 2 stays" test "$(json_get 's["config"]["generation"]')" = 2

write_conf dir3
out=$(ctl reload 2>&1); rc=$?
check "lvsctl reload of a good file succeeds: $out" test "$rc" = 0
check "and makes generation 3 everywhere" \
	wait_for '[s["config"]["generation"], s["director_id"]] + [p[r]["generation"] for r in ("vrrp", "checkers", "weight")]' \
	"[3, 'dir3', 3, 3, 3]"
