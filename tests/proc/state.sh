#!/bin/bash
# What an operator set survives a restart of lvsd, through the state file
# beside the control socket (run/lvsd.state): a drained server stays
# drained, a weight override stays, the director drain stays, and a server
# down before the restart stays out (weight 0; removed with on_down:
# remove) until its first check says otherwise; whether lvsd stopped on
# SIGTERM or was killed with -9 (then the file is as of the change: written
# within a moment, not at stop).  Entries of servers no longer configured
# are dropped; a damaged file, one of another director, or one that is not
# a state file at all is logged and ignored, and lvsd runs.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 35
STATE=$T/run/lvsd.state
mkdir -m 1777 "$T/w"
# the script checks exit with the number in their verdict file; while
# $T/hold exists they wait (so a test sees lvsd before a first result)
cat >"$T/check.sh" <<'EOS'
#!/bin/sh
d=$(dirname "$0")
while [ -e "$d/hold" ]; do sleep 0.05; done
exit "$(cat "$d/verdict-$1")"
EOS
chmod 755 "$T/check.sh"
printf '1\n' >"$T/verdict-13"
printf '1\n' >"$T/verdict-14"

# conf DIRECTOR_ID [without .12]
conf() {
	{
		cat <<EOC
global:
  director_id: $1
  control_socket: $SOCK
  script_user: lvsd
services:
  - name: web
    address: 192.0.2.10
    port: 80
    check: { type: none }
    real_servers:
      - { address: 198.51.100.11, weight: 10 }
EOC
		[ "$2" = without ] ||
			echo "      - { address: 198.51.100.12, weight: 20 }"
		cat <<EOC
      - address: 198.51.100.13
        weight: 30
        check: { type: script, script: "$T/check.sh 13", interval: 60s, timeout: 50s, rise: 1, fall: 1 }
      - address: 198.51.100.14
        weight: 40
        on_down: remove
        check: { type: script, script: "$T/check.sh 14", interval: 1s, timeout: 900ms, rise: 1, fall: 1 }
EOC
	} >"$CONF"
}

# rs SERVER KEY: a field of that real server in status --json
rs() {
	ctl status --json 2>/dev/null | python3 -c '
import json, sys
r = {x["server"]: x for x in json.load(sys.stdin)["real_servers"]}[sys.argv[1]]
print(str(r[sys.argv[2]]).lower())' "$1" "$2"
}
is() { [ "$(rs "$1" "$2")" = "$3" ]; }
# st KEY: a field of status --json's "state"
st() { ctl status --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"][sys.argv[1]])' "$1"; }
draining() { ctl status --json 2>/dev/null | python3 -c 'import json,sys; sys.exit(not json.load(sys.stdin)["announce"]["draining"])'; }
writes() { st writes 2>/dev/null || echo 0; }
# written_after N: the state file was written more than N times
written_after() { [ "$(writes)" -gt "$1" ]; }
stop_lvsd() {
	kill -TERM "$LVSD_PID"
	wait "$LVSD_PID"
}
# gone PID...: none of them runs
gone() {
	local p
	for p in "$@"; do kill -0 "$p" 2>/dev/null && return 1; done
	return 0
}
# kill9_lvsd: the parent and its children stopped, then killed: nothing resigns
kill9_lvsd() {
	local all
	# shellcheck disable=SC2207
	all=($LVSD_PID $(children_of "$LVSD_PID"))
	kill -STOP "${all[@]}"
	kill -KILL "${all[@]}"
	wait "$LVSD_PID" 2>/dev/null
	wait_until gone "${all[@]}"
}
# stops: how many times lvsd wrote the state file at stop
stops() { grep -cF "state file $STATE written:" "$LOG"; }

conf dir1
check "lvsd starts" start_lvsd
check "the checks say down: .13 at weight 0, .14 removed" \
	wait_until eval 'is 198.51.100.13:80 effective_weight 0 && is 198.51.100.14:80 removed true'
check "the operator drains .11" quiet ctl drain web 198.51.100.11
check "sets .12's weight to 7" quiet ctl weight web 198.51.100.12 7
check "and drains the director" quiet ctl drain --director 0
check "the state file is written" wait_until test -s "$STATE"
n=$(writes)

# ---------------------------------------------------------------- SIGTERM
: >"$T/hold" # .13's first check after the restart waits: what lvsd starts with shows
stop_lvsd
check "lvsd wrote the state file at stop" grep -qE "state file $STATE written: 4 real servers" "$LOG"
check "lvsd starts again with the same file" start_lvsd
check "its log says what it restored" \
	grep -qF "restored 4 real servers (1 drained, 1 overrides, 2 down, 0 with learnt state); the director drained" "$LOG"
check ".11 is drained (weight 0) after the restart" \
	eval 'is 198.51.100.11:80 drained true && is 198.51.100.11:80 effective_weight 0'
check ".12 keeps its override: effective weight 7" is 198.51.100.12:80 effective_weight 7
check ".13 down before its first check: weight 0, health as restored" \
	eval 'is 198.51.100.13:80 health down && is 198.51.100.13:80 health_restored true && is 198.51.100.13:80 effective_weight 0'
check ".14 down before its first check: still removed" is 198.51.100.14:80 removed true
check "the director is still drained" draining
printf '0\n' >"$T/verdict-13"
rm "$T/hold"
check "once its check says up, .13 is back at its weight" \
	wait_until eval 'is 198.51.100.13:80 health up && is 198.51.100.13:80 health_restored false && is 198.51.100.13:80 effective_weight 30'
check "and .14, whose check confirms it down, stays removed" \
	wait_until eval 'is 198.51.100.14:80 health_restored false && is 198.51.100.14:80 removed true'

# ------------------------------------------------------ kill -9, all of it
n=$(writes)
check "the operator undrains .11" quiet ctl undrain web 198.51.100.11
check "and the director" quiet ctl undrain --director
check "the change is written within a moment, not at stop" wait_until written_after "$n"
kill9_lvsd
check "lvsd killed with -9, started again" start_lvsd
check ".11 is undrained: the file had the change" \
	eval 'is 198.51.100.11:80 drained false && is 198.51.100.11:80 effective_weight 10'
check "the director is no longer drained" eval '! draining'
check ".12 keeps its override" is 198.51.100.12:80 effective_weight 7

# ---------------------------------------------------- a server removed
stop_lvsd
conf dir1 without
check "lvsd starts on a file without .12" start_lvsd
check "the entry of .12 is dropped, logged" grep -qF "dropped 1 no longer configured" "$LOG"

# ---------------------------------------------------------- bad files
check "the operator drains .11 again" quiet ctl drain web 198.51.100.11
stop_lvsd
cp "$STATE" "$T/good.state"
printf 'garbage\n' >"$STATE"
check "lvsd starts on a file that is not a state file" start_lvsd
check "and says it ignored it" grep -qF "state file $STATE: not a state file, or damaged" "$LOG"
check "nothing restored: .11 is not drained" is 198.51.100.11:80 drained false
n=$(stops)
stop_lvsd
check "its stop wrote a good file again" test "$(stops)" -gt "$n"
# the good file with one byte changed in the middle: its checksum fails
cp "$T/good.state" "$STATE"
size=$(stat -c %s "$STATE")
printf 'X' | dd of="$STATE" bs=1 seek=$((size / 2)) conv=notrunc status=none
check "lvsd starts on a damaged file, ignores it" \
	eval 'start_lvsd && wait_for_log "checksum does not match"'
check "nothing restored from it: .11 is not drained" is 198.51.100.11:80 drained false
stop_lvsd
cp "$T/good.state" "$STATE"
conf dir9 without
check "a file of another director is ignored" \
	eval 'start_lvsd && wait_for_log "written by director dir1, this is dir9: ignored"'
check "nothing restored from it: .11 is not drained" is 198.51.100.11:80 drained false
check "lvsd stops cleanly" stop_lvsd
