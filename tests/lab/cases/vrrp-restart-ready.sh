# lvsd killed -9 as master (every process stopped, then killed) and started
# again finds the kernel's IPVS table already right (0 changes) and still
# becomes ready to forward, so with the higher priority it preempts the
# backup that took over meanwhile. (A reconcile with nothing to send used
# to leave the director unready for good: it stayed backup.) A client
# opens a new TCP connection every 20 ms throughout: the fail-back after the
# restart (make-before-break, once ready) costs no probe.
# lab: timeout=300
conf() { # conf DIR PRIORITY PEER
	cat >"$LAB_CASE_DIR/$1.yaml" <<END
global:
  director_id: $1
  control_socket: $LAB_CASE_DIR/$1.sock
vrrp:
  - name: VI_1
    interface: eth0
    vrid: 51
    priority: $2
    advert_interval: 100ms
    virtual_addresses: [$LAB_VIP/24]
    unicast_peers: [$3]
services:
  - address: $LAB_VIP
    port: 80
    forwarding: tunnel
    real_servers:
      - address: ${LAB_IP[rs1]}
END
}
# pids NAME: daemon NAME and its children
pids() {
	local parent f line ppid
	parent=$(lab_pid "$1") || return 1
	echo "$parent"
	for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		read -r _ ppid _ <<<"${line##*) }"
		[[ $ppid == "$parent" ]] && { f=${f#/proc/}; echo "${f%/stat}"; }
	done
}
gone() {
	local p
	for p in "$@"; do [[ -e /proc/$p ]] && return 1; done
	return 0
}

conf dir1 150 "${LAB_IP[dir2]}"
conf dir2 100 "${LAB_IP[dir1]}"
# setsid: lvsd in a session of its own, so that the kernel's SIGHUP to an
# orphaned process group with stopped members does not reach this script
lab_daemon dir1 lvsd-dir1 setsid lvsd -n -f "$LAB_CASE_DIR/dir1.yaml"
lab_daemon dir2 lvsd-dir2 setsid lvsd -n -f "$LAB_CASE_DIR/dir2.yaml"
lab_check "dir1 is master with the VIP, dir2 backup" lab_wait_for 30 lab_vrrp_settled dir1 dir2
log=$LAB_CASE_DIR/probe.log
answers() { lab_answers "$log"; }
# more_answers N: N more answers than now
more_answers() { lab_more_answers "$log" "$1"; }
rm -f "$log.stop" # a run before this one in the same boot left it
lab_get cl1 -n 100000 -i 20 -t 1000 -l -s "$log.stop" "$LAB_VIP:80" >"$log" 2>&1 &
probe=$!
lab_check "the client is served through dir1" more_answers 20

mapfile -t all < <(pids lvsd-dir1)
lab_log "lvsd on dir1: ${all[*]}"
kill -STOP "${all[@]}" 2>/dev/null
kill -KILL "${all[@]}" 2>/dev/null
lab_check "every lvsd process of dir1 is gone" lab_wait_for 30 gone "${all[@]}"
wait "${all[0]}" 2>/dev/null
lab_check "dir2 takes over" lab_wait_for 30 eval 'lab_vrrp_is dir2 master && lab_has_vip dir2'

from=$(grep -c '^[0-9]' "$log")
lab_daemon dir1 lvsd-dir1-again setsid lvsd -n -f "$LAB_CASE_DIR/dir1.yaml"
lab_check "the restarted lvsd applied its table" lab_wait_for 30 lab_lvsd_applied lvsd-dir1-again 1
lab_is "with nothing to change: the kernel kept it" \
	"$(lab_lvsd_last_apply lvsd-dir1-again | grep -o '; [0-9]* changes')" "; 0 changes"
lab_check "and is ready to forward" lab_wait_for 30 \
	grep -q 'the director is ready to forward' "$LAB_CASE_DIR/lvsd-dir1-again.log"
lab_check "dir1 preempts: master alone with the VIP, dir2 backup" \
	lab_wait_for 30 lab_vrrp_settled dir1 dir2
lab_check "and the client is served on" more_answers 50
: >"$log.stop"
wait "$probe"
lab_log "$(tail -n +"$((from + 1))" "$log" | grep -B2 -A2 ERR: | head -20)"
lab_is "no probe failed from the restart to the end (the fail-back)" \
	"$(tail -n +"$((from + 1))" "$log" | grep -c ERR:)" 0
lab_log "probes failed before the restart (kill -9, dir2 taking over): $(head -n "$from" "$log" | grep -c ERR:)"
lab_check "dir2 stops" lab_stop lvsd-dir2 30
lab_check "dir1 stops" lab_stop lvsd-dir1-again 30
