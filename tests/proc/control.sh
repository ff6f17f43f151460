#!/bin/bash
# The control socket cannot be held: idle clients are closed after 5 s,
# at most 16 at once (the rest told so at once), running out of
# descriptors pauses accepting instead of spinning, lvsctl gives up on a
# full backlog after 5 s, and lvsd never removes a file that is not a
# socket at the control socket's path.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
echo "1..12"
write_conf dir1
check "lvsd starts" start_lvsd

# 20 idle clients: 16 held until lvsd closes them, 4 refused at once.
python3 - "$SOCK" >"$T/idle.out" 2>&1 <<'EOP' &
import socket, sys, time
t0 = time.monotonic()
socks = []
for _ in range(20):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    s.settimeout(10)
    socks.append(s)
    time.sleep(0.01)
for i, s in enumerate(socks):
    data = b""
    while True:
        b = s.recv(256)
        if not b:
            break
        data += b
    print(i, "%.1f" % (time.monotonic() - t0), data.decode().strip() or "-")
EOP
IDLE=$!
sleep 1
out=$(ctl status 2>&1); rc=$?
check "with 16 idle clients, lvsctl is told: $out" \
	test "$rc" = 1 -a "$out" = "lvsctl: too many clients, try again later"
ok_at=
for i in $(seq 80); do
	if ctl status >/dev/null 2>&1; then ok_at=$i; break; fi
	sleep 0.1
done
check "status answers again once the idle clients are closed (after ${ok_at:-never}00 ms)" \
	test -n "$ok_at"
wait "$IDLE"
diag <"$T/idle.out"
check "lvsd closed each idle client within 4.5 to 6.5 s" python3 -c '
import sys
rows = [l.split(None, 2) for l in open(sys.argv[1])]
held = [r for r in rows if r[2].strip() == "-"]
assert len(held) == 16, rows
assert all(4.5 <= float(r[1]) <= 6.5 for r in held), held
' "$T/idle.out"
check "the 4 beyond 16 were refused at once with a reason" python3 -c '
import sys
rows = [l.split(None, 2) for l in open(sys.argv[1])]
refused = [r for r in rows if r[2].strip() != "-"]
assert len(refused) == 4, rows
assert all(r[2].strip() == "error: too many clients, try again later" for r in refused), refused
' "$T/idle.out"

# A stopped lvsd with a full backlog: lvsctl gives up after 5 s.
kill -STOP "$LVSD_PID"
python3 - "$SOCK" <<'EOP' &
import socket, sys, time
socks = []
for _ in range(100):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(sys.argv[1])
    except BlockingIOError:
        break
    socks.append(s)
time.sleep(8)
EOP
FILL=$!
sleep 0.5
t0=$(now_ms)
out=$(ctl status 2>&1); rc=$?
dt=$(($(now_ms) - t0))
check "lvsctl on a full backlog fails after ${dt} ms (4.5 to 7 s)" \
	test "$rc" = 1 -a "$dt" -ge 4500 -a "$dt" -le 7000
check "with one line saying so: $out" test -z "${out##*timed out after 5 s connecting to*}"
kill "$FILL" 2>/dev/null; wait "$FILL" 2>/dev/null
kill -CONT "$LVSD_PID"
check "and lvsd answers again once it runs" quiet ctl status
kill -TERM "$LVSD_PID"; wait "$LVSD_PID"

# Out of descriptors: accepting pauses (logged once), no busy loop.
: >"$LOG"
(ulimit -n 14 && exec "$LVSD" -n -f "$CONF" 2>>"$LOG") &
LVSD_PID=$!
for _ in $(seq 50); do ctl status >/dev/null 2>&1 && break; sleep 0.1; done
cpu() { awk '{ print $14 + $15 }' "/proc/$LVSD_PID/stat"; }
c0=$(cpu)
python3 - "$SOCK" <<'EOP'
import socket, sys, time
socks = []
for _ in range(12):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    socks.append(s)
time.sleep(3)
EOP
c1=$(cpu)
check "at EMFILE lvsd used $((c1 - c0)) ticks of CPU in 3 s (under 50)" test $((c1 - c0)) -lt 50
n=$(grep -c "pausing the control socket" "$LOG")
check "and logged the shortage once ($n)" test "$n" = 1
kill -TERM "$LVSD_PID"; wait "$LVSD_PID"

# control_socket pointing at a regular file: refused, the file kept.
echo precious >"$T/notasocket"
sed "s|^  control_socket: .*|  control_socket: $T/notasocket|" "$CONF" >"$T/file.yaml"
out=$("$LVSD" -n -f "$T/file.yaml" 2>&1); rc=$?
echo "$out" | diag
check "lvsd refuses a control_socket that is a regular file (exit $rc)" \
	test "$rc" = 1 -a -n "$(echo "$out" | grep "$T/notasocket: the path exists and is not a socket")"
check "and the file is still there, unchanged" test "$(cat "$T/notasocket")" = precious
LVSD_PID=
