# Shared by the process tests: TAP helpers and an lvsd in the foreground on
# a temporary configuration and control socket.  Source it, then call
# proc_setup; everything is cleaned up on exit, and the last test point
# says that nothing the test started is left running (see tap_plan).
LVSD=${abs_top_builddir:?}/lvsd/lvsd
LVSCTL=$abs_top_builddir/lvsctl/lvsctl

# Every process a test starts carries LVSD_TEST_TAG in its environment.  The
# value is new in each test shell and exported after that shell started, so
# the shell itself does not carry it (/proc/PID/environ is the environment a
# process was started with), and a test that re-executes itself (daemon.sh)
# gets a new one.  lvsd passes its environment to its children; scripts it
# runs get a clean one, but they die with it or at their timeout.
LVSD_TEST_TAG=${0##*/}.$$.$(date +%s%N)
export LVSD_TEST_TAG

tap_n=0
tap_failed=0
tap_leftovers=
# tap_plan N: the plan for a test's own N points and one more, the last,
# that proc_no_leftovers adds when the test exits
tap_plan() {
	echo "1..$(($1 + 1))"
	tap_leftovers=1
}
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=1; echo "not ok $tap_n - $*"; }
# check DESCRIPTION COMMAND...: one test point from a command's status
check() {
	local what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
diag() { sed 's/^/# /'; }
# quiet COMMAND...: run it with its stdout discarded (for check)
quiet() { "$@" >/dev/null; }

proc_skip_unless_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "1..0 # SKIP process tests need root"
		exit 0
	fi
	if [ ! -x "$LVSD" ] || [ ! -x "$LVSCTL" ]; then
		echo "1..0 # SKIP lvsd or lvsctl not built"
		exit 0
	fi
}

# Waits are for events, with a ceiling that only a broken lvsd reaches: they
# return as soon as the event happens, so a generous ceiling costs nothing.
WAIT_S=${PROC_WAIT_S:-30}

# A world-readable directory so an unprivileged user can run our binaries.
proc_setup() {
	T=$(mktemp -d /tmp/lvsd-proc.XXXXXX)
	chmod 755 "$T"
	SOCK=$T/run/lvsd.sock
	CONF=$T/lvsd.yaml
	LOG=$T/lvsd.log
	LVSD_PID=
	trap proc_cleanup EXIT
}

# proc_stop: stop lvsd (SIGTERM; SIGKILL after 5 s) and wait for it
proc_stop() {
	if [ -n "$LVSD_PID" ] && kill -0 "$LVSD_PID" 2>/dev/null; then
		kill -TERM "$LVSD_PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$LVSD_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$LVSD_PID" 2>/dev/null
		wait "$LVSD_PID" 2>/dev/null
	fi
}

# proc_survivors [NETNS...]: the pids of the processes still running that
# this test started (they carry its LVSD_TEST_TAG) or that run in one of the
# network namespaces NETNS; never this shell.  The commands that look run
# without the tag, so they never find themselves.
proc_survivors() (
	tag=$LVSD_TEST_TAG
	export -n LVSD_TEST_TAG
	{
		grep -lzxF "LVSD_TEST_TAG=$tag" /proc/[0-9]*/environ 2>/dev/null |
			sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p'
		for n in "$@"; do ip netns pids "$n" 2>/dev/null; done
	} | sort -un | grep -vx "$$"
)

# proc__none_left [NETNS...]: proc_survivors finds none
proc__none_left() { [ -z "$(proc_survivors "$@")" ]; }

# proc_no_leftovers [NETNS...]: once, when the test ends and has stopped
# what it started: the test point "no process left behind" (when tap_plan
# counted it) passes when, within $WAIT_S s, proc_survivors finds none.
# Those it still finds are named, then killed (so the next test starts
# clean and the namespaces can go), and the point fails: what a test
# starts, the test stops.
proc_no_leftovers() {
	local t0 left
	[ -z "${proc_leftovers_done:-}" ] || return 0
	proc_leftovers_done=1
	t0=$(now_ms)
	until proc__none_left "$@"; do
		[ $(($(now_ms) - t0)) -lt $((WAIT_S * 1000)) ] || break
		sleep 0.1
	done
	left=$(proc_survivors "$@")
	if [ -z "$left" ]; then
		[ -z "$tap_leftovers" ] || ok "no process left behind"
		return 0
	fi
	left=$(echo $left) # one line
	if [ -n "$tap_leftovers" ]; then
		not_ok "no process left behind: $(ps -o comm= -p "${left// /,}" | sort | uniq -c |
			awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }') still running ${WAIT_S} s after the test stopped what it knew"
	else
		tap_failed=1
	fi
	echo "# still running after the test, killed now:"
	ps -o pid=,ppid=,args= -p "${left// /,}" | diag
	kill -KILL $left 2>/dev/null
	wait $left 2>/dev/null # those that are the test's children, quietly
	t0=$(now_ms)
	while ! proc__none_left "$@" && [ $(($(now_ms) - t0)) -lt $((WAIT_S * 1000)) ]; do
		sleep 0.1
	done
}

# Stop lvsd and check that nothing is left running; remove $T when every
# test point passed, else keep it and say so.
proc_cleanup() {
	local rc=$?
	proc_stop
	proc_no_leftovers
	if [ "$tap_failed" != 0 ] && [ -f "$LOG" ]; then
		echo "# lvsd log:"; tail -40 "$LOG" | diag
	fi
	if [ "$tap_failed" != 0 ] || [ "$rc" != 0 ]; then
		echo "# kept $T"
	else
		rm -rf "$T"
	fi
}

# write_conf DIRECTOR_ID: a small valid configuration using $SOCK.  Its VRRP
# instance names an interface that does not exist: it stays in fault, so the
# process tests never put an address on the host's interfaces.
write_conf() {
	cat >"$CONF" <<EOC
global:
  director_id: ${1:-dir1}
  control_socket: $SOCK
  user: lvsd
vrrp:
  - name: vi_1
    interface: lvsd-none0
    vrid: 51
    priority: 150
    advert_interval: 1s
    virtual_addresses: [192.0.2.10/24]
services:
  - name: web
    address: 192.0.2.10
    port: 80
    protocol: tcp
    scheduler: wrr
    forwarding: tunnel
    check:
      type: tcp
      interval: 2s
      timeout: 1s
    real_servers:
      - address: 198.51.100.11
        weight: 10
      - address: 198.51.100.12
        weight: 20
EOC
}

ctl() { "$LVSCTL" -s "$SOCK" "$@"; }

# answers: the control socket answers status
answers() { ctl status >/dev/null 2>&1; }

# Start lvsd in the foreground; wait until its control socket answers.
start_lvsd() {
	"$LVSD" -n -f "$CONF" 2>>"$LOG" &
	LVSD_PID=$!
	lvsd_up
}

# lvsd_up: wait until lvsd answers; 1 if it died or never did
lvsd_up() {
	local t0
	t0=$(now_ms)
	until answers; do
		kill -0 "$LVSD_PID" 2>/dev/null || return 1
		[ $(($(now_ms) - t0)) -lt $((WAIT_S * 1000)) ] || return 1
		sleep 0.05
	done
}

# child_pid ROLE: its pid from `lvsctl status`, empty when down
child_pid() {
	ctl status 2>/dev/null | awk -v r="$1" '$1 == r && $2 ~ /^[0-9]+$/ { print $2 }'
}

# children_of PID: the pids of its direct children
children_of() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(awk '/^PPid:/ { print $2 }' "$p/status" 2>/dev/null)" = "$1" ] &&
			echo "${p#/proc/}"
	done
}

# now_ms: a monotonic-enough clock in milliseconds
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# status_field PID KEY: a field of /proc/PID/status
status_field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# wait_until COMMAND...: retry COMMAND every 50 ms until it succeeds; 1
# after $WAIT_S seconds
wait_until() {
	local t0
	t0=$(now_ms)
	until "$@"; do
		[ $(($(now_ms) - t0)) -lt $((WAIT_S * 1000)) ] || return 1
		sleep 0.05
	done
}

# wait_for_log TEXT: until a fixed string is in the log (up to $WAIT_S s)
wait_for_log() { wait_until grep -qF -- "$1" "$LOG"; }

# wait_for_log_re REGEX: until an extended regular expression matches a log line
wait_for_log_re() { wait_until grep -qE -- "$1" "$LOG"; }
