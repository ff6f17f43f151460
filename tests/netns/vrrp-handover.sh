#!/bin/bash
# A planned handover loses no client probe: `lvsctl handover` on the master
# hands the VIP to the backup make-before-break (the old master keeps it
# until it has heard the new one), and so does a SIGTERM of the master's
# lvsd.  A client opens a new TCP connection to the VIP every 20 ms
# throughout; each director answers on port 8080 with its name.  Also:
# handover on the backup is refused, lvsctl drill report tells what
# happened, and a handover nobody takes is given up: the master stays
# master, and a backup that joins later does not take over.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
tap_plan 17
ns_setup d1 d2 c1 || { echo "Bail out! cannot build the namespaces"; exit 1; }
# the VIP answers on whichever director holds it
for d in d1 d2; do
	ip netns exec "$(ns "$d")" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080)); s.listen(128)
while True:
    c, _ = s.accept()
    c.sendall(sys.argv[1].encode() + b"\n"); c.close()
' "$d" >/dev/null 2>&1 &
	NS_PIDS="$NS_PIDS $!"
done
vrrp_conf d1 150
vrrp_conf d2 100
check "lvsd starts on d1 and d2" eval 'lvsd_start d1 && lvsd_start d2'
check "d1 is master, d2 backup" wait_until 30 eval 'is_state d1 master && is_state d2 backup'
answers() { nsx c1 python3 -c '
import socket
s = socket.create_connection(("'"$VIP"'", 8080), timeout=1)
print(s.recv(64).decode().strip())' 2>/dev/null; }
check "the client reaches d1 through the VIP" wait_until 30 eval '[ "$(answers)" = d1 ]'

# probe FILE: a new connection every 20 ms until FILE.stop exists (at most
# 3,000 probes); one line per probe: ms name|ERR
probe_start() {
	ip netns exec "$(ns c1)" python3 - "$VIP" "$1" <<'EOP' &
import socket, sys, time, os
vip, out = sys.argv[1], sys.argv[2]
t0 = time.monotonic()
with open(out, "w", buffering=1) as f:
    for _ in range(3000):
        if os.path.exists(out + ".stop"):
            break
        t = time.monotonic()
        try:
            s = socket.create_connection((vip, 8080), timeout=0.5)
            s.settimeout(0.5)
            who = s.recv(64).decode().strip() or "EMPTY"
            s.close()
        except OSError as e:
            who = "ERR:" + type(e).__name__
        f.write("%d %s\n" % ((t - t0) * 1000, who))
        time.sleep(max(0, 0.02 - (time.monotonic() - t)))
EOP
	PROBE=$!
	NS_PIDS="$NS_PIDS $PROBE"
}
probe_stop() { : >"$1.stop"; wait "$PROBE"; }
probes() { grep -c . "$1"; }
failed() { grep -c ' ERR' "$1"; }
# answered_by FILE NAME: probes NAME answered (0 before the probe made FILE)
answered_by() {
	local n=0
	[ -f "$1" ] && n=$(grep -c " $2\$" "$1")
	echo "$n"
}

out=$("$LVSCTL" -s "$T/d2.sock" handover 2>&1); rc=$?
check "handover on the backup is refused: $out" \
	test "$rc" = 1 -a "$out" = "lvsctl: no instance is master here: hand over from the master"

probe_start "$T/p1"
wait_until 30 eval '[ "$(answered_by "$T/p1" d1)" -ge 20 ]'
out=$("$LVSCTL" -s "$T/d1.sock" handover 2>&1); rc=$?
echo "$out" | diag
check "lvsctl handover on d1 returns once d2 is heard as master" \
	test "$rc" = 0 -a -z "${out##*VI_1: handed over to ${NS_IP[d2]}*}"
check "d2 is master, d1 backup" wait_until 30 eval 'is_state d2 master && is_state d1 backup && no_vip d1'
wait_until 30 eval '[ "$(answered_by "$T/p1" d2)" -ge 20 ]'
probe_stop "$T/p1"
check "handover: no probe failed ($(failed "$T/p1") of $(probes "$T/p1"))" test "$(failed "$T/p1")" = 0
check "and the client was answered by d2 afterwards" test "$(answered_by "$T/p1" d2)" -ge 20
# a negative: nothing may happen over a few master-down intervals
check "d1 does not take the VIP back (it handed over: no preempting back)" \
	eval 'sleep 2; is_state d1 backup && is_state d2 master'

# SIGTERM of the master (d2 now) does the same before lvsd exits
probe_start "$T/p2"
wait_until 30 eval '[ "$(answered_by "$T/p2" d2)" -ge 20 ]'
kill -TERM "$PID_d2"
check "SIGTERM on d2: lvsd exits" wait_until 30 eval '! kill -0 "$PID_d2" 2>/dev/null'
check "after handing the VIP to d1" eval 'is_state d1 master && has_vip d1 && no_vip d2'
wait_until 30 eval '[ "$(answered_by "$T/p2" d1)" -ge 20 ]'
probe_stop "$T/p2"
check "SIGTERM: no probe failed ($(failed "$T/p2") of $(probes "$T/p2"))" test "$(failed "$T/p2")" = 0

report=$("$LVSCTL" -s "$T/d1.sock" drill report)
echo "$report" | diag
check "drill report on d1 lists its handover" grep -q "master  -> backup  handed over to the new master; the new master ${NS_IP[d2]} was heard" <<<"$report"
check "and its takeover when d2 resigned" grep -q "backup  -> master  the master resigned;" <<<"$report"

# d1 alone now: a handover nobody takes fails, and leaves nothing behind
out=$("$LVSCTL" -s "$T/d1.sock" handover 2>&1); rc=$?
check "handover with no backup fails: $out" \
	test "$rc" = 1 -a "$out" = "lvsctl: VI_1: no new master heard: still master"
check "d1 gave the handover up and advertises its priority again" \
	eval 'is_state d1 master && log_has d1 "handover given up, advertising priority 150 again"'
lvsd_start d2
check "d2 joining later stays backup, d1 master (over several master-down intervals)" \
	eval 'wait_until 30 is_state d2 backup && sleep 2 && is_state d1 master && is_state d2 backup'
