# An established TCP connection survives a link-down fail-over: both
# directors run the IPVS connection-sync daemons (global.sync_interface; lvsd
# runs master and backup on each), so the backup already has the client's
# connection in its table when VRRP moves the VIP to it, and forwards the
# connection's next packets to the same real server. The client keeps one
# kept-alive HTTP connection (lab_get -k) throughout: no request fails and
# one real server answers every request, before and after.
# lab: timeout=300
# conf DIR PRIORITY PEER: lvsd's configuration for a director
conf() {
	cat >"$LAB_CASE_DIR/$1.yaml" <<END
global:
  director_id: $1
  control_socket: $LAB_CASE_DIR/$1.sock
  sync_interface: eth0
  sync_id: 1
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
    real_servers:
      - address: ${LAB_IP[rs1]}
      - address: ${LAB_IP[rs2]}
      - address: ${LAB_IP[rs3]}
END
}
# synced DIR: DIR's connection table has an established connection from cl1
synced() {
	lab_in "$1" ipvsadm -Lnc | grep -q "ESTABLISHED ${LAB_IP[cl1]}:[0-9]* *$LAB_VIP:80"
}
# sync_daemons DIR: DIR runs the master and the backup sync daemon on eth0
sync_daemons() {
	[[ $(lab_in "$1" ipvsadm -L --daemon | grep -c 'sync daemon (mcast=eth0, syncid=1,') == 2 ]]
}
answers() { lab_answers "$log"; }
# more_answers N: N more answers than now
more_answers() { lab_more_answers "$log" "$1"; }

conf dir1 150 "${LAB_IP[dir2]}"
conf dir2 100 "${LAB_IP[dir1]}"
lab_daemon dir1 lvsd-dir1 lvsd -n -f "$LAB_CASE_DIR/dir1.yaml"
lab_daemon dir2 lvsd-dir2 lvsd -n -f "$LAB_CASE_DIR/dir2.yaml"
lab_check "dir1 is master with the VIP, dir2 backup" \
	lab_wait_for 30 eval 'lab_vrrp_is dir1 master && lab_vrrp_is dir2 backup && lab_has_vip dir1'
for d in dir1 dir2; do
	lab_check "$d runs the master and backup sync daemons" lab_wait_for 30 sync_daemons "$d"
done

# one kept-alive connection, a request every 20 ms, each allowed 10 s (TCP
# retransmits across the fail-over), until the stop file exists
log=$LAB_CASE_DIR/client.log
lab_get cl1 -k -n 100000 -i 20 -t 10000 -l -s "$log.stop" "$LAB_VIP:80" >"$log" 2>&1 &
client=$!
lab_check "the client is served through dir1" more_answers 20
lab_check "dir2 learnt the client's connection from dir1's sync daemon" lab_wait_for 30 synced dir2
lab_log "$(lab_in dir2 ipvsadm -Lnc)"

lab_check "dir1's link goes down" ip link set v-dir1 down
lab_check "dir2 takes over the VIP" lab_wait_for 30 eval 'lab_vrrp_is dir2 master && lab_has_vip dir2'
lab_check "the connection goes on through dir2" more_answers 20
: >"$log.stop"
wait "$client"
lab_check "dir1's link comes back" ip link set v-dir1 up
lab_log "$(grep -v '^[0-9]' "$log")"
lab_is "no request failed on the kept-alive connection" "$(grep -c ERR: "$log")" 0
lab_is "one real server answered every request (one connection, never reset)" \
	"$(grep '^[0-9]' "$log" | cut -d' ' -f2 | sort -u | wc -l)" 1
lab_check "dir1 takes the VIP back once its link is up" \
	lab_wait_for 30 lab_vrrp_settled dir1 dir2
lab_check "dir2 stops" lab_stop lvsd-dir2 30
lab_check "dir1 stops" lab_stop lvsd-dir1 30
