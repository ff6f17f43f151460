# A planned handover under probing through real IPVS loses nothing:
# `lvsctl handover` on the master hands the VIP to the backup
# make-before-break while a client opens a new TCP connection to the VIP
# every 20 ms (five handovers, back and forth); no probe fails, and
# afterwards the client is served by the real servers through the new
# master (its own IPVS connection table has the client's connections: no
# sync daemon runs here to copy them).
# A probe whose SYN reached the old master while its next packets reach the
# new one (the client's ARP entry moved in between) is still served: both
# directors set sloppy_tcp, so the new master takes up the connection it did
# not see begin, and schedule with mh-port, so it picks the real server the
# old master picked. Without them such a probe is reset now and then.
# The lab kernel has no nftables: the strict filter's absence is said once
# per vrrp child, and the pair works without it.
# lab: timeout=300
# conf DIR PRIORITY PEER: lvsd's configuration for a director
conf() {
	cat >"$LAB_CASE_DIR/$1.yaml" <<END
global:
  director_id: $1
  control_socket: $LAB_CASE_DIR/$1.sock
  sloppy_tcp: true
vrrp:
  - name: VI_1
    interface: eth0
    vrid: 51
    version: 3
    priority: $2
    advert_interval: 100ms
    virtual_addresses: [$LAB_VIP/24]
    unicast_peers: [$3]
services:
  - address: $LAB_VIP
    port: 80
    forwarding: tunnel
    scheduler: mh
    scheduler_flags: [mh-port]
    real_servers:
      - address: ${LAB_IP[rs1]}
      - address: ${LAB_IP[rs2]}
      - address: ${LAB_IP[rs3]}
END
}
# conns DIR: connections from cl1 in DIR's IPVS connection table
conns() { lab_in "$1" ipvsadm -Lnc | grep -c " ${LAB_IP[cl1]}:[0-9]* *$LAB_VIP:80 "; }
answers() { lab_answers "$log"; }
# more_answers N: N more answers than now
more_answers() { lab_more_answers "$log" "$1"; }

conf dir1 150 "${LAB_IP[dir2]}"
conf dir2 100 "${LAB_IP[dir1]}"
lab_daemon dir1 lvsd-dir1 lvsd -n -f "$LAB_CASE_DIR/dir1.yaml"
lab_daemon dir2 lvsd-dir2 lvsd -n -f "$LAB_CASE_DIR/dir2.yaml"
lab_check "dir1 is master with the VIP, dir2 backup" lab_wait_for 30 lab_vrrp_settled dir1 dir2
for d in dir1 dir2; do
	lab_check "$d: lvsd set sloppy_tcp" lab_wait_for 30 \
		eval "[[ \$(lab_in $d cat /proc/sys/net/ipv4/vs/sloppy_tcp) == 1 ]]"
	lab_check "$d: the service schedules with mh-port" \
		eval "lab_in $d ipvsadm -Ln | grep -q '^TCP  $LAB_VIP:80 mh (mh-port)'"
done

# a new TCP connection every 20 ms (each allowed 1 s) until the stop file exists
log=$LAB_CASE_DIR/probe.log
lab_get cl1 -n 100000 -i 20 -t 1000 -l -s "$log.stop" "$LAB_VIP:80" >"$log" 2>&1 &
probe=$!
lab_check "the client is served through dir1" more_answers 20
# handover FROM TO: hand over from FROM and wait until TO is master alone
handover() {
	local out rc
	out=$(lvsctl -s "$LAB_CASE_DIR/$1.sock" handover 2>&1)
	rc=$?
	lab_log "$out"
	lab_check "lvsctl handover on $1 returns once $2 is heard as master" \
		test "$rc" = 0 -a -z "${out##*VI_1: handed over to "${LAB_IP[$2]}"*}"
	lab_check "$2 is master alone with the VIP, $1 backup" lab_wait_for 30 lab_vrrp_settled "$2" "$1"
	lab_check "the client goes on being served" more_answers 30
}
# back and forth a few times: a race in the handover shows more often
for i in 1 2 3; do
	before=$(conns dir2)
	handover dir1 dir2
	[[ $i == 3 ]] && break
	handover dir2 dir1
done
after=$(($(grep -c '^[0-9]' "$log") - 30))
: >"$log.stop"
wait "$probe"
lab_log "$(grep -v '^[0-9]' "$log")"
lab_is "no probe failed across the handovers" "$(grep -c ERR: "$log")" 0
lab_is "after the last one, all three real servers answered" \
	"$(tail -n +"$((after + 1))" "$log" | grep -o '^[0-9]* rs[123]$' | cut -d' ' -f2 | sort -u | tr '\n' ' ')" "rs1 rs2 rs3 "
lab_check "through dir2: its IPVS table has more of the client's connections ($before before)" \
	lab_wait_for 30 eval "((\$(conns dir2) > before))"
lab_log "$(lab_in dir2 ipvsadm -Ln --stats)"
# this kernel has no nftables: each vrrp child said so once, whatever the
# transitions (five handovers) and generations (a reload rebuilds the filter)
lab_check "dir1 reloads its file" lvsctl -s "$LAB_CASE_DIR/dir1.sock" reload
lab_check "and its vrrp child installs generation 2" lab_wait_for 30 \
	grep -q 'vrrp\[[0-9]*\]: configuration generation 2 installed' "$LAB_CASE_DIR/lvsd-dir1.log"
for d in dir1 dir2; do
	lab_is "$d: no nftables here, said once" \
		"$(grep -c 'strict filter: this kernel has no nftables for it' "$LAB_CASE_DIR/lvsd-$d.log")" 1
done
lab_check "dir2 stops" lab_stop lvsd-dir2 30
lab_check "dir1 stops" lab_stop lvsd-dir1 30
