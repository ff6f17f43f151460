#!/bin/bash
# lvsd as a daemon (no -n) logging to syslog: its children run their roles
# on their channels (not on syslog's socket, which may hold fd 3), every
# process logs to /dev/log, and a relative -f still reloads after daemon()
# moved to /.  Runs in a private mount namespace with a /dev of its own, so
# /dev/log is the test's listener and nothing of the host's is touched.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
if [ -z "$LVSD_TEST_IN_NS" ]; then
	command -v unshare >/dev/null && command -v python3 >/dev/null ||
		{ echo "1..0 # SKIP needs unshare and python3"; exit 0; }
	LVSD_TEST_IN_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
proc_setup
tap_plan 9

# A /dev with only what lvsd and the test use, and /dev/log ours.
mkdir "$T/dev" && mount -t tmpfs -o mode=755 lvsd-test-dev "$T/dev" || exit 1
for n in null zero random urandom tty; do
	[ -e /dev/$n ] && touch "$T/dev/$n" && mount --bind /dev/$n "$T/dev/$n"
done
ln -s /proc/self/fd "$T/dev/fd"
for i in 0 1 2; do ln -s /proc/self/fd/$i "$T/dev/$(echo stdin stdout stderr | cut -d' ' -f$((i + 1)))"; done
mount --rbind "$T/dev" /dev || { echo "# cannot mount a private /dev"; exit 1; }
SYSLOG=$T/syslog.txt
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
with open(sys.argv[1], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536) + b"\n")
' "$SYSLOG" &
LISTENER=$!
ns_cleanup() {
	local rc=$?
	kill "$LISTENER" 2>/dev/null
	umount -l /dev 2>/dev/null
	umount -l -R "$T/dev" 2>/dev/null
	(exit "$rc")
	proc_cleanup
}
trap ns_cleanup EXIT
wait_until test -S /dev/log

# lvsd_pids: the pids of running processes of our lvsd binary
lvsd_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$(readlink -f "$LVSD")" ] && echo "${p#/proc/}"
	done
}
before=$(lvsd_pids)
write_conf dir1
cd "$T" || exit 1
"$LVSD" -f "$(basename "$CONF")" 2>>"$LOG"; rc=$?
cd / || exit 1
check "lvsd without -n, with a relative -f, exits 0 after forking ($rc)" test "$rc" = 0
check "its control socket answers" wait_until answers
LVSD_PID=$(ctl status --json 2>/dev/null |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["processes"][0]["pid"])' 2>/dev/null)
if [ -z "$LVSD_PID" ]; then # no answer: find the daemon to stop it at the end
	for p in $(lvsd_pids); do
		echo "$before" | grep -qx "$p" && continue
		[ "$(status_field "$p" PPid)" = 1 ] && LVSD_PID=$p
	done
fi
# installed: every child reports generation 1 in the status saved in status.json
installed() {
	ctl status --json >"$T/status.json" 2>/dev/null && python3 -c '
import json, sys
ps = json.load(open(sys.argv[1]))["processes"]
assert len(ps) == 4 and all(p["generation"] == 1 for p in ps[1:]), ps
' "$T/status.json" 2>/dev/null
}
wait_until installed
diag <"$T/status.json"
check "all three children installed generation 1 and never restarted" python3 -c '
import json, sys
ps = json.load(open(sys.argv[1]))["processes"]
assert len(ps) == 4, ps
for p in ps[1:]:
    assert p["running"] and p["generation"] == 1 and p["restarts"] == 0, p
' "$T/status.json"
check "status names the configuration by its absolute path" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["config"]["file"] == sys.argv[2]
' "$T/status.json" "$CONF"
# the listener writes what it receives a moment later
check "the parent logs to syslog" \
	wait_until grep -q "lvsd\[$LVSD_PID\]: lvsd .* running, pid $LVSD_PID" "$SYSLOG"
for role in vrrp checkers weight; do
	check "the $role child logs to syslog" \
		wait_until grep -q "$role\[[0-9]*\]: configuration generation 1 installed" "$SYSLOG"
done
out=$(ctl reload 2>&1)
check "reload of the relative -f works: $out" test "$out" = "reloaded $CONF: generation 2"
if [ "$tap_failed" != 0 ]; then echo "# syslog:"; tail -30 "$SYSLOG" | tr -d '\0' | diag; fi
