#!/bin/bash
# Health checks of type script run in the parent (never in the checkers
# child, which parses network input), as global.script_user: exit 0 is a
# success; fall failures in a row take the server down with the reason
# (the exit status, a timeout), rise successes bring it back.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 8
# The script (sh, cat, id) takes a few ms on an idle host and over 150 ms on
# a busy one: its timeout is 1.5 s, so that only the hanging one meets it.
# the script user may write in $T/w only
mkdir -m 1777 "$T/w"
printf '0\n' >"$T/verdict"
cat >"$T/check.sh" <<'EOS'
#!/bin/sh
# exit with the number in the verdict file; "hang" sleeps past the timeout
id -u >"$(dirname "$0")/w/uid"
v=$(cat "$(dirname "$0")/verdict")
[ "$v" = hang ] && exec sleep 60
exit "$v"
EOS
chmod 755 "$T/check.sh"
cat >"$CONF" <<EOC
global:
  control_socket: $SOCK
  script_user: lvsd
services:
  - name: web
    address: 192.0.2.10
    port: 80
    real_servers:
      - address: 198.51.100.11
        check: { type: script, script: "$T/check.sh", interval: 2s, timeout: 1500ms, rise: 2, fall: 2 }
EOC
# rs KEY: a field of the real server in status --json
rs() {
	ctl status --json 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["real_servers"][0][sys.argv[1]])' "$1"
}
is() { [ "$(rs "$1")" = "$2" ]; }
check "lvsd starts" start_lvsd
check "the script check passes: the server is up" wait_until is health up
check "the script runs as script_user lvsd" \
	wait_until eval '[ "$(cat "$T/w/uid" 2>/dev/null)" = "$(id -u lvsd)" ]'
printf '3\n' >"$T/verdict"
check "exit 3 twice: down, with the reason" \
	wait_until eval 'is health down && is last_result "script exit 3"'
check "logged once with its reason" \
	wait_for_log "rs 198.51.100.11:80 in web: down: script exit 3 (2 failures in a row)"
printf '0\n' >"$T/verdict"
check "exit 0 twice: up again" wait_until is health up
printf 'hang\n' >"$T/verdict"
check "a script that hangs past its timeout: down, reason timeout" \
	wait_until eval 'is health down && is last_result timeout'
printf '0\n' >"$T/verdict" # no new hang: what hangs now was started before
check "every hung script's process group is gone (killed at its timeout, not 60 s later)" \
	wait_until eval '! pgrep -u lvsd -f "^sleep 60$" >/dev/null'
