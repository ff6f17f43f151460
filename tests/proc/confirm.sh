#!/bin/bash
# reload --dry-run [FILE] says what a file would change and applies nothing;
# reload --confirm SECONDS puts a generation on trial: lvsctl confirm keeps
# it, the deadline rolls it back, and so does, at once, a generation that
# takes every real server of a serving service down; another reload waits
# for the trial to end.  (tests/lab/cases/reload-confirm: the same under
# traffic, on a real IPVS.)
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 20
mkdir -m 755 "$T/bin"
printf '#!/bin/sh\nexit 0\n' >"$T/bin/ok"
printf '#!/bin/sh\nexit 1\n' >"$T/bin/fail"
chmod 755 "$T/bin/ok" "$T/bin/fail"

# conf FILE PRIORITY SCRIPT [EXTRA_RS]: a service whose two servers are
# checked by a script (up with ok, down with fail)
conf() {
	cat >"$1" <<EOC
global:
  control_socket: $SOCK
  script_user: lvsd
vrrp:
  - name: vi_1
    interface: lvsd-none0
    vrid: 51
    priority: $2
    virtual_addresses: [192.0.2.10/24]
services:
  - name: web
    address: 192.0.2.10
    port: 80
    check: { type: script, script: "$T/bin/$3", interval: 1s, timeout: 900ms, rise: 1, fall: 2 }
    real_servers:
      - address: 198.51.100.11
      - address: 198.51.100.12
$4
EOC
}
# json EXPR: EXPR on status --json (s)
json() {
	ctl status --json 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$1"
}
is() { [ "$(json "$1")" = "$2" ]; }
both_up='[r["health"] for r in s["real_servers"]]'

conf "$CONF" 150 ok
check "lvsd starts" start_lvsd
check "both servers are up" wait_until is "$both_up" "['up', 'up']"

out=$(ctl reload --dry-run 2>&1); rc=$?
echo "$out" | diag
check "a dry run of the running file: no change" \
	eval '[ "$rc" = 0 ] && echo "$out" | grep -qxF "no change"'
conf "$T/next.yaml" 100 ok "      - address: 198.51.100.13"
out=$(ctl reload --dry-run "$T/next.yaml" 2>&1); rc=$?
echo "$out" | diag
check "a dry run of another file lists each change with old -> new" \
	eval '[ "$rc" = 0 ] && echo "$out" | grep -qxF "  ~ vi_1: priority 150 -> 100" &&
	echo "$out" | grep -qxF "  + destination 198.51.100.13:80 in web (tcp 192.0.2.10:80): weight 1, tunnel" &&
	echo "$out" | grep -qxF "2 changes"'
check "and applies nothing (generation 1, two servers)" \
	is '(s["config"]["generation"], len(s["real_servers"]))' "(1, 2)"
sed -i 's/^services:/services: [/' "$T/next.yaml"
out=$(ctl reload --dry-run "$T/next.yaml" 2>&1); rc=$?
check "a dry run of a broken file fails with file:line:col" \
	test "$rc" != 0 -a -z "${out##*next.yaml:*:*:*}"

# on trial: status says so, another reload waits, lvsctl confirm keeps it
# (a long trial: nothing here may depend on how fast a busy host runs)
gen() { json 's["config"]["generation"]'; }
conf "$CONF" 100 ok
out=$(ctl reload --confirm 600 2>&1); rc=$?
echo "$out" | diag
check "reload --confirm 600: generation 2, on trial" \
	eval '[ "$rc" = 0 ] && is "(s[\"config\"][\"generation\"], s[\"config\"][\"confirm\"][\"pending\"])" "(2, True)"'
check "status says when it rolls back" eval 'ctl status | grep -q "reload on trial: generation 2 rolls back to generation 1"'
out=$(ctl reload 2>&1); rc=$?
check "another reload is refused while it is on trial: $out" test "$rc" != 0 -a -z "${out##*on trial*}"
check "lvsctl confirm: it stays" \
	eval 'ctl confirm | grep -q "generation 2 confirmed" &&
		is "(s[\"config\"][\"generation\"], s[\"config\"][\"confirm\"][\"pending\"])" "(2, False)"'
out=$(ctl confirm 2>&1); rc=$?
check "confirm with nothing on trial fails: $out" test "$rc" != 0

# deadline: the previous configuration comes back
conf "$CONF" 150 ok
check "reload --confirm 3 of a change (priority 100 -> 150): generation 3" \
	eval 'quiet ctl reload --confirm 3 && is "s[\"config\"][\"generation\"]" 3'
check "unconfirmed, it rolls back: generation 4" wait_until is 's["config"]["generation"]' 4
check "logged with why" wait_for_log "rolling back generation 3: not confirmed within 3 s"
check "status shows the rollback" \
	is '(s["config"]["confirm"]["pending"], s["config"]["confirm"]["rollbacks"], s["config"]["confirm"]["last_rollback_why"])' \
	"(False, 1, 'not confirmed within 3 s')"
check "the running priority is generation 2's again (the file's is a change: 100 -> 150)" \
	eval 'ctl reload --dry-run | grep -qxF "  ~ vi_1: priority 100 -> 150"'

# a generation that takes the serving service down: rolled back at once
conf "$CONF" 100 fail
check "reload --confirm 600 of a file whose checks fail" quiet ctl reload --confirm 600
check "is rolled back long before its deadline, with why" \
	wait_for_log "rolling back generation 5: service web has no real server up"
check "generation 6 is the one before, and its servers come back up" \
	wait_until is "(s[\"config\"][\"generation\"], $both_up)" "(6, ['up', 'up'])"
check "no trial is left" is 's["config"]["confirm"]["pending"]' False
