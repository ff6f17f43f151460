# lab: fresh timeout=300
# A down server removed, the sorry server, the quorum hooks: lvsd in dir1
# with an http check on a tunnel service of rs1 and rs2 (on_down: remove), a
# sorry server on a node of its own and a quorum of both servers' weights.
# - rs2 answering 503 disappears from ipvsadm -Ln (not weight 0); a reload
#   and periodic resyncs leave it out; quorum_down runs; back at 200 it is
#   in the table again, its weight ramping over slow_start; quorum_up runs.
# - both down: the sorry server is the one destination and answers the
#   client; rs1 back: the sorry server leaves and rs1 answers.
# Each change is logged once.
svc=$LAB_VIP:80
sorry=198.51.100.19
lab_check "a sorry server node beside the default topology" \
	lab_topo <<<"$LAB_DEFAULT_TOPO
sorry rs 198.51.100.19/24 2001:db8:1::19/64"
lab_check "VIP on dir1" lab_in dir1 ip addr add "$LAB_VIP/32" dev eth0
sock=$LAB_CASE_DIR/dir1.sock
log=$LAB_CASE_DIR/lvsd.log
hooks=$LAB_CASE_DIR/hooks.log
printf '#!/bin/sh\necho "$1" >>"%s"\n' "$hooks" >"$LAB_CASE_DIR/hook.sh"
chmod 755 "$LAB_CASE_DIR/hook.sh"
write_conf() {
	cat >"$LAB_CASE_DIR/lvsd.yaml" <<END
global:
  control_socket: $sock
  ipvs_resync: $1
services:
  - name: web
    address: $LAB_VIP
    port: 80
    scheduler: wrr
    forwarding: tunnel
    on_down: remove
    check: { type: http, path: /, interval: 500ms, timeout: 300ms, rise: 2, fall: 2,
             slow_start: 8s }
    weight_policy: static
    quorum: 20
    quorum_up: $LAB_CASE_DIR/hook.sh up
    quorum_down: $LAB_CASE_DIR/hook.sh down
    real_servers:
      - { address: ${LAB_IP[rs1]}, weight: 10 }
      - { address: ${LAB_IP[rs2]}, weight: 10 }
    sorry_server: { address: $sorry, weight: 5 }
END
}
ctl() { lab_in dir1 lvsctl -s "$sock" "$@"; }
# dests: "ADDR:PORT WEIGHT" per destination of the service, as ipvsadm lists them
dests() {
	lab_in dir1 ipvsadm -Ln --exact -t "$svc" | awk '$1 == "->" && $2 ~ /^[0-9]/ { print $2, $4 }'
}
dests_are() { [[ $(dests) == "$1" ]]; }
weight_of() { dests | awk -v d="$1:80" '$1 == d { print $2 }'; }
hooks_are() { [[ $(tr '\n' ' ' <"$hooks" 2>/dev/null) == "$1" ]]; }
logged_once() { [[ $(grep -cF -- "$1" "$log") == 1 ]]; }
resyncs() { ctl status | sed -n 's/.*; \([0-9]*\) resyncs, \([0-9]*\) repairs.*/\1 \2/p'; }

write_conf 1s
lab_daemon dir1 lvsd lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd programmed the two real servers, not the sorry server" lab_wait_for 30 \
	grep -q 'ipvs: 1 services, 2 destinations' "$log"
lab_check "every real server is up" lab_wait_for 30 eval \
	"[ \$(grep -c 'in web: up' '$log') = 2 ]"
lab_check "quorum_up ran once at start" lab_wait_for 30 hooks_are "up "
lab_is "ipvsadm: rs1 and rs2" "$(dests)" "${LAB_IP[rs1]}:80 10
${LAB_IP[rs2]}:80 10"

# ---- on_down: remove
lab_rs_down rs2
lab_check "rs2 answering 503 leaves the IPVS table" lab_wait_for 30 dests_are "${LAB_IP[rs1]}:80 10"
lab_log "$(lab_in dir1 ipvsadm -Ln --exact)"
lab_check "the log says it once" logged_once "rs ${LAB_IP[rs2]}:80 in web: removed from the IPVS table"
lab_check "quorum_down ran" lab_wait_for 30 hooks_are "up down "
lab_check "status says removed" eval "ctl status | grep -q 'removed from the table'"
out=$(lab_get cl1 -n 20 "$svc")
lab_is "the client reaches rs1 only" "$(lab_count "$out" rs1) $(lab_count "$out" failed)" "20 0"
r0=$(resyncs)
lab_check "reload while rs2 is out" ctl reload
lab_check "lvsd applied it" lab_wait_for 30 lab_lvsd_applied lvsd 2
more_resyncs() { local r; r=$(resyncs); ((${r% *} >= ${r0% *} + 2)); }
lab_check "two periodic resyncs ran" lab_wait_for 30 more_resyncs
lab_is "neither put rs2 back" "$(dests)" "${LAB_IP[rs1]}:80 10"
lab_is "resyncs repaired nothing" "$(resyncs | cut -d' ' -f2)" "${r0#* }"
lab_check "and nothing ran twice" hooks_are "up down "

lab_rs_up rs2
# a part of the weight is a state of the ramp, which lasts slow_start: 8 s, so
# that the polls (a few forks each, slow on a busy host) see it however late
ramping() { local w; w=$(weight_of "${LAB_IP[rs2]}"); [[ -n $w ]] && ((w > 0 && w < 10)); }
lab_check "rs2 back: in the table with a part of its weight (slow start)" lab_wait_for 30 ramping
lab_check "and then all of it" lab_wait_for 30 dests_are "${LAB_IP[rs1]}:80 10
${LAB_IP[rs2]}:80 10"
lab_check "the log says it once" logged_once "rs ${LAB_IP[rs2]}:80 in web: back in the IPVS table"
lab_check "quorum_up ran" lab_wait_for 30 hooks_are "up down up "

# ---- the sorry server
lab_rs_down rs1
lab_rs_down rs2
lab_check "both down: the sorry server is the one destination" lab_wait_for 30 \
	dests_are "$sorry:80 5"
lab_log "$(lab_in dir1 ipvsadm -Ln --exact)"
lab_check "the log says it once" \
	logged_once "service web: sorry server $sorry:80 in: no real server takes connections"
out=$(lab_get cl1 -n 10 "$svc")
lab_log "10 requests with both down:" "$out"
lab_is "the sorry server answers the client" "$(lab_count "$out" sorry) $(lab_count "$out" failed)" \
	"10 0"
lab_check "status says it is in" eval "ctl status | grep -q 'sorry server of web: $sorry:80 in'"
lab_rs_up rs1
lab_check "rs1 back: the sorry server leaves" lab_wait_for 30 dests_are "${LAB_IP[rs1]}:80 10"
lab_check "the log says it once" \
	logged_once "service web: sorry server $sorry:80 out: a real server takes connections"
out=$(lab_get cl1 -n 10 "$svc")
lab_is "rs1 answers the client" "$(lab_count "$out" rs1) $(lab_count "$out" failed)" "10 0"
lab_check "hooks ran once per change" hooks_are "up down up down "
lab_check "lvsd still running" lab_alive lvsd
