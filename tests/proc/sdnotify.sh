#!/bin/bash
# The service manager's protocol (Type=notify), against a listener that
# stands in for systemd: READY=1 once the first IPVS table is programmed,
# STATUS= lines a person can read, RELOADING=1 and READY=1 around a reload
# (a failed one too), WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1 on
# SIGTERM; the children never see NOTIFY_SOCKET.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 10
NOTIFY=$T/notify.sock
GOT=$T/notify.log

# the listener: one line per datagram, newlines inside shown as " | "
python3 - "$NOTIFY" "$GOT" <<'EOP' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(1.0)
end = time.monotonic() + 300
with open(sys.argv[2], "a", buffering=1) as out:
    while time.monotonic() < end:
        try:
            d = s.recv(4096)
        except socket.timeout:
            continue
        out.write(d.decode().replace("\n", " | ") + "\n")
EOP
LISTENER=$!
trap 'st=$?; kill $LISTENER 2>/dev/null; (exit $st); proc_cleanup' EXIT
wait_until test -S "$NOTIFY"
: >>"$GOT"

# got REGEX: a datagram matching it arrived
got() { grep -qE -- "$1" "$GOT"; }
count() { grep -cE -- "$1" "$GOT"; }

write_conf dir1
NOTIFY_SOCKET=$NOTIFY WATCHDOG_USEC=400000 "$LVSD" -n -f "$CONF" 2>>"$LOG" &
LVSD_PID=$!
check "lvsd answers" lvsd_up
check "READY=1 comes, with a status line" \
	wait_until got '^READY=1 \| STATUS=generation 1: 1 vrrp instances \(0 master\), 1 services, 0 of 2 real servers up; IPVS not available in this kernel$'
grep -v "^WATCHDOG" "$GOT" | diag
check "WATCHDOG=1 from the loop, again and again" wait_until eval '[ "$(count "^WATCHDOG=1$")" -ge 3 ]'
pid=$(child_pid checkers)
check "the children do not inherit NOTIFY_SOCKET or WATCHDOG_USEC" \
	eval '[ -n "$pid" ] && ! tr "\0" "\n" <"/proc/$pid/environ" | grep -qE "^(NOTIFY_SOCKET|WATCHDOG_)"'

write_conf dir2
check "lvsctl reload succeeds" quiet ctl reload
check "RELOADING=1 with MONOTONIC_USEC, then READY=1 again" \
	wait_until eval 'got "^RELOADING=1 \| MONOTONIC_USEC=[0-9]+ \| STATUS=reloading " &&
		sed -n "/^RELOADING=1/,\$p" "$GOT" | grep -qE "^READY=1 \| STATUS=generation 2: "'
sed -i '4a\  no_such_key: 1' "$CONF"
before=$(count '^READY=1')
ctl reload >/dev/null 2>&1
check "a failed reload ends with READY=1 too (the running generation stays)" \
	wait_until eval '[ "$(count "^READY=1")" -gt "$before" ] && [ "$(count "^RELOADING=1")" = 2 ]'
check "and the status says generation 2 still" \
	test "$(grep '^READY=1' "$GOT" | tail -1 | grep -c 'generation 2:')" = 1

kill -TERM "$LVSD_PID"
check "SIGTERM: STOPPING=1" wait_until got '^STOPPING=1'
check "lvsd ends" wait_until eval '! kill -0 $LVSD_PID 2>/dev/null'
