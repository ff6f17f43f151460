# Shared by the process tests: TAP helpers and an lvsd in the foreground on
# a temporary configuration and control socket.  Source it, then call
# proc_setup; everything is cleaned up on exit.
LVSD=${abs_top_builddir:?}/lvsd/lvsd
LVSCTL=$abs_top_builddir/lvsctl/lvsctl

tap_n=0
tap_failed=0
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

proc_cleanup() {
	if [ -n "$LVSD_PID" ] && kill -0 "$LVSD_PID" 2>/dev/null; then
		kill -TERM "$LVSD_PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$LVSD_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$LVSD_PID" 2>/dev/null
	fi
	if [ "$tap_failed" != 0 ] && [ -f "$LOG" ]; then
		echo "# lvsd log:"; tail -40 "$LOG" | diag
	fi
	rm -rf "$T"
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

# Start lvsd in the foreground; wait until its control socket answers.
start_lvsd() {
	"$LVSD" -n -f "$CONF" 2>>"$LOG" &
	LVSD_PID=$!
	for _ in $(seq 50); do
		ctl status >/dev/null 2>&1 && return 0
		kill -0 "$LVSD_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
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

# wait_for_log TEXT: up to 2 s for a fixed string in the log
wait_for_log() {
	for _ in $(seq 40); do
		grep -qF -- "$1" "$LOG" && return 0
		sleep 0.05
	done
	return 1
}
