#!/bin/bash
# The children are the lvsd binary executed again ("lvsd: ROLE" in ps), each
# under the dedicated user lvsd, not dumpable, with no-new-privs: weight and
# checkers with no capabilities at all, vrrp with CAP_NET_ADMIN and
# CAP_NET_RAW only (not root).  A child checks that its parent is the one
# that started it, and one that closes its channel is killed and restarted.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 23
write_conf dir1
check "lvsd starts" start_lvsd
uid=$(id -u lvsd) gid=$(id -g lvsd)
for role in weight checkers vrrp; do
	pid=$(child_pid $role)
	check "$role runs as lvsd (uid $uid)" \
		test "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$pid/status)" = \
		"$uid $uid $uid $uid"
	check "$role has NoNewPrivs 1 and no supplementary groups" \
		test "$(status_field $pid NoNewPrivs) $(awk '/^Groups:/ { print $2 }' /proc/$pid/status)" = \
		"1 $gid"
	check "$role is not dumpable (its /proc files belong to root)" \
		test "$(stat -c %u /proc/$pid/status)" = 0
	check "$role is named 'lvsd: $role' in ps" \
		test "$(ps -o args= -p "$pid")" = "lvsd: $role"
done
for role in weight checkers; do
	pid=$(child_pid $role)
	check "$role has CapEff 0 and an empty bounding set" \
		test "$(status_field $pid CapEff) $(status_field $pid CapBnd) $(status_field $pid CapPrm) $(status_field $pid CapAmb)" = \
		"0000000000000000 0000000000000000 0000000000000000 0000000000000000"
done
vrrp=$(child_pid vrrp)
check "vrrp has only CAP_NET_ADMIN and CAP_NET_RAW (effective, permitted, bounding), none inheritable or ambient" \
	test "$(status_field $vrrp CapEff) $(status_field $vrrp CapPrm) $(status_field $vrrp CapBnd) $(status_field $vrrp CapInh) $(status_field $vrrp CapAmb)" = \
	"0000000000003000 0000000000003000 0000000000003000 0000000000000000 0000000000000000"
# executed, not only forked: its own address layout (with ASLR on)
if [ "$(cat /proc/sys/kernel/randomize_va_space)" != 0 ]; then
	stack() { awk '/\[stack\]/ { print $1 }' "/proc/$1/maps"; }
	check "vrrp's stack is not where the parent's is (an address layout of its own)" \
		test "$(stack "$vrrp")" != "$(stack "$LVSD_PID")"
else
	ok "# SKIP address space randomization is off"
fi

# A child whose parent is not the one that started it exits at once.
out=$(python3 - "$LVSD" <<'EOP'
import os, socket, struct, subprocess, sys
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
# IPC_HELLO (type 1): parent_pid 1 (not ours), role 2, foreground 1, debug 0, user
hello = struct.pack("=iBBBx64s", 1, 2, 1, 0, b"lvsd")
a.send(struct.pack("=II", 1, len(hello)) + hello)
os.dup2(b.fileno(), 3, inheritable=True)
p = subprocess.run(["lvsd: weight"], executable=sys.argv[1], pass_fds=(3,),
                   stderr=subprocess.PIPE, timeout=30)
print(p.returncode, p.stderr.decode().strip().splitlines()[-1])
EOP
)
check "a child started by another parent exits: $out" \
	test -z "${out##1 *the parent (pid 1) is gone; exiting}"
out=$(bash -c 'exec -a "lvsd: weight" "$0"' "$LVSD" 2>&1 3>&-); rc=$?
check "lvsd as 'lvsd: weight' without a channel refuses ($rc): $out" \
	test "$rc" = 2 -a -z "${out##*not started by lvsd*}"

# A child that closes its channel (it can no longer hear the parent) is
# killed and restarted like one that died.  Which comes first is a race:
# the parent reading the channel's end or a reset (it kills the child), or
# the child seeing it too and exiting by itself (the parent reaps it);
# either way it goes and a new one starts.
if command -v gdb >/dev/null; then
	old=$(child_pid checkers)
	gdb -p "$old" -batch -ex 'call (int)shutdown(3, 2)' >/dev/null 2>&1
	check "a checkers child that shut its channel is killed, or exits by itself" \
		wait_for_log_re "checkers child \(pid $old\) (closed its channel; killing it|failed: |exited)"
	new=
	for _ in $(seq 200); do
		new=$(child_pid checkers)
		[ -n "$new" ] && [ "$new" != "$old" ] && break
		new=
		sleep 0.05
	done
	check "and starts a new one (pid ${new:-none})" test -n "$new"
else
	ok "# SKIP no gdb to make a child shut its channel"
	ok "# SKIP no gdb to make a child shut its channel"
fi

# Without CAP_SETPCAP the bounding set cannot be emptied: the children
# must refuse to run rather than keep a bounding set they promise is empty.
kill -TERM "$LVSD_PID"; wait "$LVSD_PID"
LVSD_PID=
: >"$LOG"
if setpriv --bounding-set -setpcap true 2>/dev/null; then
	setpriv --bounding-set -setpcap "$LVSD" -n -f "$CONF" 2>>"$LOG" &
	LVSD_PID=$!
	check "without CAP_SETPCAP, weight says it cannot empty the bounding set" \
		wait_for_log "cannot drop privileges to user lvsd: emptying the bounding set: Operation not permitted"
	# the parent logs the exit a moment after the child's own line
	check "and exits instead of running" \
		wait_for_log_re "weight child \(pid [0-9]*\) exited with status 1"
else
	ok "# SKIP setpriv cannot drop CAP_SETPCAP"
	ok "# SKIP setpriv cannot drop CAP_SETPCAP"
fi
