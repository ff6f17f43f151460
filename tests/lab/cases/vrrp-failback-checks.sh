# Failing back after a link-down costs no client probe, with health checks
# running.  While dir1's link is down (1) its checker finds every real server
# down: back on the link, dir1 is not ready to take the VIP back until its
# checks see a server up again (else it would take the clients to a table of
# weights 0); (2) the neighbour entries its checker's tries leave behind can
# never resolve (their probes went nowhere), and the client's first packets
# through IPVS would wait on them and get "host unreachable" when they run
# out: the vrrp child forgets such entries when the link comes back.  A new
# TCP connection every 20 ms: none fails from the link's return to the end.
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
  - name: web
    address: $LAB_VIP
    port: 80
    forwarding: tunnel
    check: { type: http, interval: 200ms, timeout: 100ms, fall: 3, rise: 2 }
    real_servers:
      - address: ${LAB_IP[rs1]}
      - address: ${LAB_IP[rs2]}
      - address: ${LAB_IP[rs3]}
END
}
answers() { lab_answers "$log"; }
# more_answers N: N more answers than now
more_answers() { lab_more_answers "$log" "$1"; }

conf dir1 150 "${LAB_IP[dir2]}"
conf dir2 100 "${LAB_IP[dir1]}"
lab_daemon dir1 lvsd-dir1 setsid lvsd -n -f "$LAB_CASE_DIR/dir1.yaml"
lab_daemon dir2 lvsd-dir2 setsid lvsd -n -f "$LAB_CASE_DIR/dir2.yaml"
lab_check "dir1 is master with the VIP, dir2 backup" lab_wait_for 30 lab_vrrp_settled dir1 dir2
log=$LAB_CASE_DIR/probe.log
lab_get cl1 -n 100000 -i 20 -t 1000 -l -s "$log.stop" "$LAB_VIP:80" >"$log" 2>&1 &
probe=$!
lab_check "the client is served through dir1" more_answers 20
ip link set v-dir1 down
lab_check "dir1's link down: dir1 in fault, dir2 takes over" \
	lab_wait_for 30 eval 'lab_vrrp_is dir1 fault && lab_vrrp_is dir2 master && lab_has_vip dir2'
lab_check "the client is served through dir2" more_answers 20
# long enough for dir1's checker to try (every 200 ms) and leave entries behind
lab_check "dir1's checker keeps trying while its link is down" \
	lab_wait_for 30 eval '[[ $(lab_in dir1 ip neigh show dev eth0) == *INCOMPLETE* ||
		$(lab_in dir1 ip neigh show dev eth0) == *FAILED* ]]'
# every server down, hence dir1 not ready: only then is its return the case
# this proves (with one server still up it would be ready at once, and which
# came first, the link or the last checks, would be a race)
all_down() {
	local rs
	for rs in rs1 rs2 rs3; do
		grep -q "rs ${LAB_IP[$rs]}:80 in web: down" "$LAB_CASE_DIR/lvsd-dir1.log" || return 1
	done
}
lab_check "dir1's checks find every real server down meanwhile" lab_wait_for 30 all_down
lab_check "so dir1 is not ready to forward" \
	lab_wait_for 30 grep -q "the director is not ready to forward" "$LAB_CASE_DIR/lvsd-dir1.log"
from=$(grep -c '^[0-9]' "$log")
ip link set v-dir1 up
lab_check "dir1's link back: it takes the VIP back" lab_wait_for 30 lab_vrrp_settled dir1 dir2
lab_check "and the client is served through dir1 again" more_answers 50
: >"$log.stop"
wait "$probe"
failed=$(tail -n +"$((from + 1))" "$log" | grep -c ERR:)
lab_log "$(tail -n +"$((from + 1))" "$log" | grep -B2 -A2 ERR: | head -20)"
lab_is "no probe failed from the link's return to the end" "$failed" 0
# in dir1's log after its link came back (before, the start-up has both)
lab_check "dir1 took the VIP back only once a server was up again" \
	awk '/eth0 is up/ { back = 1 } back && /in web: up/ { up = 1 }
		back && /preempted/ { took = 1; exit !up } END { if (!took) exit 1 }' \
	"$LAB_CASE_DIR/lvsd-dir1.log"
lab_check "dir1 said it forgot the unresolved neighbour entries" \
	grep -q "forgot [0-9]* neighbour entries of eth0 left unresolved" "$LAB_CASE_DIR/lvsd-dir1.log"
lab_dirty # the link of dir1 went down and up
