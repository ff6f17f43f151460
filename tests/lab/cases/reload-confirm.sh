# lvsctl reload --dry-run and --confirm on a real IPVS, under traffic.
# A dry run of a file that replaces the service's real servers lists each
# destination it would remove and add, and the kernel's table does not
# change.  Reloaded with --confirm, that bad file (its real servers do not
# exist) is rolled back by itself as soon as its checks find no server up,
# long before its deadline: the kernel gets the old destinations back and
# no probe started after the rollback's table was programmed fails.  A
# good file reloaded with --confirm and confirmed stays.
# lab: timeout=300
# conf FILE WEIGHT RS...: dir1 alone, master of VI_1, one checked service
conf() {
	local f=$1 w=$2 rs
	shift 2
	cat >"$f" <<END
global:
  director_id: dir1
  control_socket: $LAB_CASE_DIR/dir1.sock
vrrp:
  - name: VI_1
    interface: eth0
    vrid: 51
    priority: 150
    advert_interval: 100ms
    virtual_addresses: [$LAB_VIP/24]
services:
  - name: web
    address: $LAB_VIP
    port: 80
    forwarding: tunnel
    scheduler: wrr
    check: { type: http, interval: 300ms, timeout: 250ms, rise: 1, fall: 2 }
    real_servers:
END
	for rs in "$@"; do
		echo "      - { address: $rs, weight: $w }" >>"$f"
	done
}
ctl() { lvsctl -s "$LAB_CASE_DIR/dir1.sock" "$@"; }
dests() { lab_in dir1 ipvsadm -Ln | grep -c -- '->.*Tunnel'; }
has_dest() { lab_in dir1 ipvsadm -Ln | grep -q -- "-> $1:80 .*Tunnel"; }
answers() { lab_answers "$log"; }
more_answers() { lab_more_answers "$log" "$1"; }
CONF=$LAB_CASE_DIR/dir1.yaml
BAD=$LAB_CASE_DIR/bad.yaml
conf "$CONF" 10 "${LAB_IP[rs1]}" "${LAB_IP[rs2]}" "${LAB_IP[rs3]}"
conf "$BAD" 10 198.51.100.21 198.51.100.22
lab_daemon dir1 lvsd-dir1 lvsd -n -f "$CONF"
lab_check "dir1 is master with the VIP" lab_wait_for 30 eval 'lab_vrrp_is dir1 master && lab_has_vip dir1'
lab_check "its three destinations are programmed" lab_wait_for 30 eval '[[ $(dests) == 3 ]]'

log=$LAB_CASE_DIR/probe.log
lab_get cl1 -n 100000 -i 20 -t 1000 -l -s "$log.stop" "$LAB_VIP:80" >"$log" 2>&1 &
probe=$!
lab_check "the client is served" more_answers 20

out=$(ctl reload --dry-run "$BAD" 2>&1)
lab_log "$out"
lab_check "the dry run lists the destinations it would remove and add" \
	eval '[[ $out == *"  - destination ${LAB_IP[rs1]}:80 in web (tcp $LAB_VIP:80)"* &&
		$out == *"  + destination 198.51.100.21:80 in web (tcp $LAB_VIP:80): weight 10, tunnel"* &&
		$out == *"5 changes"* ]]'
lab_is "and the kernel's table is as it was" "$(dests)" 3
lab_check "the client is still served" more_answers 20

cp "$BAD" "$CONF"
out=$(ctl reload --confirm 300 2>&1)
lab_log "$out"
lab_check "reload --confirm 300 of the bad file: generation 2 on trial" \
	eval '[[ $out == *"generation 2"*"on trial"* ]]'
lab_check "it is rolled back once its checks find no server up" \
	lab_wait_for 60 grep -q 'rolling back generation 2: service web has no real server up' \
	"$LAB_CASE_DIR/lvsd-dir1.log"
lab_check "the kernel has the three old destinations again" \
	lab_wait_for 30 eval 'has_dest ${LAB_IP[rs1]} && has_dest ${LAB_IP[rs2]} && has_dest ${LAB_IP[rs3]} && [[ $(dests) == 3 ]]'
# requests the probe starts from now on: the one in flight may have begun
# before the table was back
n0=$(($(grep -c '' "$log") + 1))
lab_check "the client is served again" more_answers 100
: >"$log.stop"
wait "$probe"
lab_log "$(grep -c ERR: "$log") probes failed in all (during the trial: expected)"
lab_is "no probe started after the rollback failed" "$(tail -n +"$((n0 + 1))" "$log" | grep -c ERR:)" 0
st=$(ctl status)
lab_log "$(grep -i 'rollback\|trial' <<<"$st")"
lab_check "status shows the rollback and why" \
	eval '[[ $st == *"last rollback: generation 2 at "*": service web has no real server up"* ]]'
lab_check "dir1 stayed master" lab_vrrp_is dir1 master

# a good file, confirmed: it stays
conf "$CONF" 20 "${LAB_IP[rs1]}" "${LAB_IP[rs2]}" "${LAB_IP[rs3]}"
lab_check "reload --confirm 300 of a good file" ctl reload --confirm 300
lab_check "lvsctl confirm keeps it" eval 'ctl confirm | grep -q "generation 4 confirmed"'
lab_check "the kernel has the new weights" lab_wait_for 30 \
	eval '[[ $(lab_in dir1 ipvsadm -Ln | grep -c -- "->.*Tunnel *20 ") == 3 ]]'
lab_check "dir1 stops" lab_stop lvsd-dir1 30
