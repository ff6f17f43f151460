#!/bin/bash
# The control socket cannot be held: idle clients are closed after 5 s,
# at most 16 at once (the rest told so at once), running out of
# descriptors pauses accepting instead of spinning, lvsctl gives up when
# its one deadline passes (saying whether lvsd did not accept or did not
# reply), and lvsd never removes a file that is not a socket at the
# control socket's path.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 15
write_conf dir1
check "lvsd starts" start_lvsd

# 20 idle clients: 16 held until lvsd closes them, 4 refused at once.  Each
# line: index, seconds from its connect to lvsd's close, what lvsd said;
# idle.first: the wall-clock time lvsd closed the first held one.
python3 - "$SOCK" "$T/idle.ready" "$T/idle.first" >"$T/idle.out" 2>&1 <<'EOP' &
import selectors, socket, sys, time
sel = selectors.DefaultSelector()
start, data, rows = {}, {}, {}
for i in range(20):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    start[i] = time.monotonic()
    s.connect(sys.argv[1])
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, i)
    data[i] = b""
open(sys.argv[2], "w").close()
while len(rows) < 20:
    events = sel.select(timeout=60)
    if not events:
        break
    for key, _ in events:
        i = key.data
        b = key.fileobj.recv(256)
        if b:
            data[i] += b
            continue
        rows[i] = time.monotonic() - start[i]
        if i < 16 and "first_close" not in data:
            data["first_close"] = time.time()
        sel.unregister(key.fileobj)
for i in range(20):
    print(i, "%.1f" % rows[i] if i in rows else "never", data[i].decode().strip() or "-")
with open(sys.argv[3], "w") as f:
    f.write("%.3f\n" % data.get("first_close", 0))
EOP
IDLE=$!
# lvsd accepts in order: once the 20 are connected, lvsctl is the 21st
wait_until test -e "$T/idle.ready"
t_ctl=$(date +%s.%N)
out=$(ctl status 2>&1); rc=$?
check "status answers again once the idle clients are closed" wait_until answers
wait "$IDLE"
diag <"$T/idle.out"
# a host so busy that lvsctl started after lvsd's 5 s had closed the idle
# clients did not try the limit: said so, not counted either way
first_close=$(cat "$T/idle.first" 2>/dev/null)
if [ "$rc" != 1 ] && python3 -c 'import sys; sys.exit(not 0 < float(sys.argv[2]) < float(sys.argv[1]))' \
	"$t_ctl" "${first_close:-0}"; then
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP lvsctl started after lvsd had closed the idle clients: a busy host"
else
	check "with 16 idle clients, lvsctl is told: $out" \
		test "$rc" = 1 -a "$out" = "lvsctl: too many clients, try again later"
fi
# lvsd's deadline is 5 s from accept, which follows connect; a busy machine
# only makes the client see the close later
check "lvsd closed each idle client no sooner than 4.5 s after it connected (under 15 s)" \
	python3 -c '
import sys
rows = [l.split(None, 2) for l in open(sys.argv[1])]
held = [r for r in rows if r[2].strip() == "-"]
assert len(held) == 16, rows
assert all(r[1] != "never" and 4.5 <= float(r[1]) <= 15 for r in held), held
' "$T/idle.out"
check "the 4 beyond 16 were refused at once with a reason" python3 -c '
import sys
rows = [l.split(None, 2) for l in open(sys.argv[1])]
refused = [r for r in rows if r[2].strip() != "-"]
assert len(refused) == 4, rows
assert all(r[2].strip() == "error: too many clients, try again later" for r in refused), refused
' "$T/idle.out"

# A stopped lvsd: lvsctl's connection waits in the backlog, and lvsctl gives
# up when its deadline passes, saying lvsd did not reply.
# timed CMD...: run it; $out its output, $rc its status, $dt its time in ms
timed() {
	local t0
	t0=$(now_ms)
	out=$("$@" 2>&1); rc=$?
	dt=$(($(now_ms) - t0))
}
kill -STOP "$LVSD_PID"
timed ctl --timeout 1 status
check "a stopped lvsd: lvsctl --timeout 1 fails after $dt ms (1 to 10 s)" \
	test "$rc" = 1 -a "$dt" -ge 1000 -a "$dt" -le 10000
check "with one line saying lvsd did not reply: $out" \
	test "$out" = "lvsctl: no reply from lvsd within 1 s"

# And with its backlog full: lvsctl cannot connect, and says that.
python3 - "$SOCK" "$T/full" <<'EOP' &
import socket, sys, time
socks = []
while True:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(sys.argv[1])
    except BlockingIOError:
        break
    socks.append(s)
open(sys.argv[2], "w").close()
time.sleep(120)
EOP
FILL=$!
check "the backlog of the stopped lvsd fills up" wait_until test -e "$T/full"
timed ctl --timeout 2 status
check "a full backlog: lvsctl --timeout 2 fails after $dt ms (1.5 to 12 s)" \
	test "$rc" = 1 -a "$dt" -ge 1500 -a "$dt" -le 12000
check "with one line saying it could not connect: $out" \
	test "$out" = "lvsctl: timed out after 2 s connecting to $SOCK: lvsd is not accepting connections"
kill "$FILL" 2>/dev/null; wait "$FILL" 2>/dev/null
kill -CONT "$LVSD_PID"
check "and lvsd answers again once it runs" wait_until answers
kill -TERM "$LVSD_PID"; wait "$LVSD_PID"

# Out of descriptors: accepting pauses (logged once), no busy loop.
: >"$LOG"
(ulimit -n 14 && exec "$LVSD" -n -f "$CONF" 2>>"$LOG") &
LVSD_PID=$!
lvsd_up
python3 - "$SOCK" <<'EOP' &
import socket, sys, time
socks = []
for _ in range(12):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    socks.append(s)
time.sleep(120)
EOP
HOLD=$!
wait_for_log "pausing the control socket"
cpu() { awk '{ print $14 + $15 }' "/proc/$LVSD_PID/stat"; }
c0=$(cpu)
sleep 3
c1=$(cpu)
check "at EMFILE lvsd used $((c1 - c0)) ticks of CPU in 3 s (under 50)" test $((c1 - c0)) -lt 50
n=$(grep -c "pausing the control socket" "$LOG")
check "and logged the shortage once ($n)" test "$n" = 1
kill "$HOLD" 2>/dev/null; wait "$HOLD" 2>/dev/null
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
