# What an operator set and what the directors learnt survives a restart of
# lvsd on the master, under traffic. A pair with connection sync: dir1
# (priority 150) and dir2 (100) share the VIP; service web (VIP:80, mh
# with mh-port and sloppy_tcp, so that a connection caught mid-handshake by
# a move reaches the same real server through either director, and
# mh-fallback, as a client hashed to a weight-0 server is otherwise refused; http
# checks) and service feed (VIP:81, NAT, no traffic: damped weights
# from signed reports that report-forge sends to both directors, the same
# bytes to each, with unequal memory per real server). On both directors the
# operator drains rs1 and sets rs2's weight to 7 in web; rs3 fails its
# checks (down: weight 0); feed's weights have moved away from static and
# agree. A client opens a new connection to web every 20 ms, and another
# keeps one connection alive. Then lvsd on dir1 stops (SIGTERM: it hands
# the VIP to dir2) and starts again: its first apply changes nothing in the
# kernel (drain, override, down and learnt weights all came back from the
# state file before it), it takes the VIP back, and through all of it rs1
# got no new connection, no probe failed and the kept-alive connection was
# never broken. Then rs3 recovers and comes back.
# lab: timeout=300
[[ -x $LAB_BUILD/tests/netns/report-forge ]] || lab_skip "tests/netns/report-forge is not built"
for k in 1 2 3; do
	lvs-agent keygen --type ed25519 --out "$LAB_CASE_DIR/k$k" >/dev/null ||
		{ lab_fail "lvs-agent keygen"; exit 1; }
done
conf() { # conf DIR PRIORITY PEER
	cat >"$LAB_CASE_DIR/$1.yaml" <<END
global:
  director_id: $1
  control_socket: $LAB_CASE_DIR/$1.sock
  sloppy_tcp: true
  sync_interface: eth0
  sync_id: 1
keys:
  k1: {type: ed25519, file: $LAB_CASE_DIR/k1.pub}
  k2: {type: ed25519, file: $LAB_CASE_DIR/k2.pub}
  k3: {type: ed25519, file: $LAB_CASE_DIR/k3.pub}
reports:
  listen: "${LAB_IP[$1]}:7946"
  round: 300ms
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
  - name: web
    address: $LAB_VIP
    port: 80
    scheduler: mh
    scheduler_flags: [mh-fallback, mh-port]
    forwarding: tunnel
    weight_policy: static
    check: { type: http, path: /, interval: 1s, timeout: 900ms, rise: 1, fall: 3 }
    real_servers:
      - { address: ${LAB_IP[rs1]}, weight: 100 }
      - { address: ${LAB_IP[rs2]}, weight: 100 }
      - { address: ${LAB_IP[rs3]}, weight: 100 }
  - name: feed
    address: $LAB_VIP
    port: 81
    forwarding: nat
    check: { type: none }
    weight_policy: {type: damped, warmup: 1s, write_threshold: 0, integral: 30}
    real_servers:
      - { address: ${LAB_IP[rs1]}, port: 80, weight: 100, agent_key: k1 }
      - { address: ${LAB_IP[rs2]}, port: 80, weight: 100, agent_key: k2 }
      - { address: ${LAB_IP[rs3]}, port: 80, weight: 100, agent_key: k3 }
END
}
ctl() { lvsctl -s "$LAB_CASE_DIR/$1.sock" "${@:2}"; }
# weights DIR web|feed: the kernel's weights of the service, in rs order
weights() {
	local svc=$LAB_VIP:80 a=${LAB_IP[rs1]}:80 b=${LAB_IP[rs2]}:80 c=${LAB_IP[rs3]}:80
	[[ $2 == feed ]] && svc=$LAB_VIP:81
	lab_in "$1" ipvsadm -Ln -t "$svc" | awk -v a="$a" -v b="$b" -v c="$c" '
		$1 == "->" { w[$2] = $4 }
		END { print w[a] + 0, w[b] + 0, w[c] + 0 }'
}
# batch: one report per real server to dir1, the same bytes to dir2
SEQ=1000
batch() {
	SEQ=$((SEQ + 1))
	lab_reports "$SEQ" "$LAB_CASE_DIR" "$LAB_CASE_DIR" dir1 dir2
}
# learnt: feed's weights agree on both directors and moved from static (100
# x damped's unit of 10): rs1 the poorest server well below, rs3 above
learnt() {
	local a b
	a=$(weights dir1 feed)
	b=$(weights dir2 feed)
	[[ $a == "$b" ]] || return 1
	read -r w1 _ w3 <<<"$a"
	((w1 < 700 && w3 > 1300))
}
converge() {
	local k
	for k in $(seq 40); do
		batch || return 1
		lab_wait_for 3 learnt && return 0
	done
	return 1
}
# within_step: feed's weights on dir1 and dir2 differ by at most a step (10%)
within_step() {
	local a b i
	read -ra a <<<"$(weights dir1 feed)"
	read -ra b <<<"$(weights dir2 feed)"
	for i in 0 1 2; do
		local x=${a[i]} y=${b[i]} m
		m=$((x > y ? x : y))
		(((x > y ? x - y : y - x) <= (m / 10 > 1 ? m / 10 : 1))) || return 1
	done
}
# web DIR: web's weights in DIR's kernel are the operator's and the checks'
web_as_set() { [[ $(weights "$1" web) == "0 7 0" ]]; }
synced() { lab_in dir2 ipvsadm -Lnc | grep -q "ESTABLISHED ${LAB_IP[cl1]}:[0-9]* *$LAB_VIP:80"; }

conf dir1 150 "${LAB_IP[dir2]}"
conf dir2 100 "${LAB_IP[dir1]}"
lab_daemon dir1 lvsd-dir1 lvsd -n -f "$LAB_CASE_DIR/dir1.yaml"
lab_daemon dir2 lvsd-dir2 lvsd -n -f "$LAB_CASE_DIR/dir2.yaml"
lab_check "dir1 is master with the VIP, dir2 backup" lab_wait_for 60 lab_vrrp_settled dir1 dir2 ||
	exit 1
lab_check "the same signed reports to both: feed's weights learnt, equal on both" converge ||
	exit 1
lab_log "feed's weights: dir1 $(weights dir1 feed), dir2 $(weights dir2 feed)"

# the operator's changes, on both directors; rs3 fails its checks
for d in dir1 dir2; do
	lab_check "$d: drain rs1 in web" ctl "$d" drain web "${LAB_IP[rs1]}"
	lab_check "$d: weight 7 for rs2 in web" ctl "$d" weight web "${LAB_IP[rs2]}" 7
done
lab_rs_down rs3
lab_check "web's table on both: rs1 0 (drained), rs2 7, rs3 0 (down)" \
	lab_wait_for 30 eval 'web_as_set dir1 && web_as_set dir2'

# the clients: a new connection every 20 ms, and one kept alive
probe=$LAB_CASE_DIR/probe.log
keep=$LAB_CASE_DIR/keep.log
rm -f "$probe.stop" "$keep.stop"
lab_get cl1 -n 100000 -i 20 -t 1000 -l -s "$probe.stop" "$LAB_VIP:80" >"$probe" 2>&1 &
prober=$!
lab_get cl1 -k -n 100000 -i 20 -t 10000 -l -s "$keep.stop" "$LAB_VIP:80" >"$keep" 2>&1 &
keeper=$!
lab_check "the clients are served through dir1" lab_more_answers "$probe" 20
lab_check "dir2 has the kept-alive connection from dir1's sync daemon" lab_wait_for 30 synced

# ------------------------------------------------- lvsd on dir1 restarted
lab_check "lvsd on dir1 stops on SIGTERM" lab_stop lvsd-dir1 30
lab_check "dir2 holds the VIP" lab_wait_for 30 eval 'lab_vrrp_is dir2 master && lab_has_vip dir2'
lab_check "the clients are served through dir2" lab_more_answers "$probe" 20
lab_log "dir1 while lvsd is down: web $(weights dir1 web), feed $(weights dir1 feed)"
lab_daemon dir1 lvsd-dir1-again lvsd -n -f "$LAB_CASE_DIR/dir1.yaml"
lab_check "lvsd on dir1 applied its table" lab_wait_for 60 lab_lvsd_applied lvsd-dir1-again 1
log=$LAB_CASE_DIR/lvsd-dir1-again.log
lab_log "$(grep -E 'state file|ipvs: ' "$log")"
lab_check "it restored drains, the override, health and learnt state before" \
	grep -qE "restored 6 real servers \(1 drained, 1 overrides, 1 down, 3 with learnt state\)" "$log"
lab_is "its first apply changed nothing in the kernel" \
	"$(lab_lvsd_last_apply lvsd-dir1-again | grep -o '; [0-9]* changes')" "; 0 changes"
lab_check "web's table on dir1: rs1 0, rs2 7, rs3 0" web_as_set dir1
lab_check "dir1 takes the VIP back once ready" lab_wait_for 60 lab_vrrp_settled dir1 dir2
lab_check "the clients are served through dir1 again" lab_more_answers "$probe" 50
batch
lab_check "at the next round feed's weights are within one step on both" \
	lab_wait_for 10 within_step
lab_log "feed's weights: dir1 $(weights dir1 feed), dir2 $(weights dir2 feed)"

: >"$probe.stop"
: >"$keep.stop"
wait "$prober" "$keeper"
lab_is "no probe failed across the restart" "$(grep -c ERR: "$probe")" 0
lab_is "rs1, drained, got no new connection" "$(grep -c "^[0-9]* rs1" "$probe")" 0
lab_check "rs2 took the new connections" grep -q "^[0-9]* rs2" "$probe"
lab_is "rs3, down, got no new connection" "$(grep -c "^[0-9]* rs3" "$probe")" 0
lab_is "the kept-alive connection never failed" "$(grep -c ERR: "$keep")" 0
lab_is "one real server answered it throughout (never reset)" \
	"$(grep '^[0-9]' "$keep" | cut -d' ' -f2 | sort -u | wc -l)" 1

# ------------------------------------------------- until a check says otherwise
lab_rs_up rs3
lab_check "rs3 passes its checks: back at its weight on dir1" \
	lab_wait_for 30 eval '[[ $(weights dir1 web) == "0 7 100" ]]'
lab_check "rs1 is still drained on dir1" \
	eval 'ctl dir1 status --json | grep -q "\"server\":\"${LAB_IP[rs1]}:80\".*\"drained\":true"'
lab_check "dir2 stops" lab_stop lvsd-dir2 30
lab_check "dir1 stops" lab_stop lvsd-dir1-again 30
