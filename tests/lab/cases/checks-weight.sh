# Health checks drive the kernel: lvsd in dir1 with an http check on a
# tunnel service of three real servers.  When rs2 starts answering 503 its
# IPVS weight turns 0 after fall failures (inhibit: the destination stays,
# its connections drain) and the client stops reaching it; when it answers
# 200 again its weight comes back after rise successes and the client
# reaches it again, its weight ramping up over slow_start.  The log says
# each transition once with its reason.
svc=$LAB_VIP:80
lab_check "VIP on dir1" lab_in dir1 ip addr add "$LAB_VIP/32" dev eth0
lab_check "cl1 forgets old neighbours of the VIP" lab_in cl1 ip neigh flush to "$LAB_VIP"
cat >"$LAB_CASE_DIR/lvsd.yaml" <<END
global:
  control_socket: $LAB_CASE_DIR/dir1.sock
  user: lvsd
services:
  - name: web
    address: $LAB_VIP
    port: 80
    scheduler: wrr
    forwarding: tunnel
    check: { type: http, path: /, interval: 500ms, timeout: 300ms, rise: 2, fall: 2,
             slow_start: 3s }
    weight_policy: static
    real_servers:
      - { address: ${LAB_IP[rs1]}, weight: 10 }
      - { address: ${LAB_IP[rs2]}, weight: 10 }
      - { address: ${LAB_IP[rs3]}, weight: 10 }
END
# weight_of RS: the IPVS weight of the real server's destination
weight_of() {
	lab_in dir1 ipvsadm -Ln --exact -t "$svc" |
		awk -v d="${LAB_IP[$1]}:80" '$1 == "->" && $2 == d { print $4 }'
}
weight_is() { [ "$(weight_of "$1")" = "$2" ]; }
lab_daemon dir1 lvsd lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd programmed the service" lab_wait_for 30 \
	grep -q 'ipvs: 1 services, 3 destinations' "$LAB_CASE_DIR/lvsd.log"
lab_check "every real server is up" lab_wait_for 30 eval \
	"[ \$(grep -c 'in web: up' '$LAB_CASE_DIR/lvsd.log') = 3 ]"
out=$(lab_get cl1 -n 30 "$svc")
lab_is "rs2 answers its share" "$(lab_count "$out" rs2)" 10

lab_rs_down rs2
lab_check "rs2 answering 503 gets IPVS weight 0" lab_wait_for 30 weight_is rs2 0
lab_log "$(lab_in dir1 ipvsadm -Ln --exact)"
lab_check "the log says why, once" eval \
	"[ \$(grep -c 'rs ${LAB_IP[rs2]}:80 in web: down: status 503 (2 failures in a row)' \
	'$LAB_CASE_DIR/lvsd.log') = 1 ]"
lab_is "the others keep theirs" "$(weight_of rs1) $(weight_of rs3)" "10 10"
out=$(lab_get cl1 -n 30 "$svc")
lab_log "30 requests with rs2 down:" "$out"
lab_is "the client no longer reaches rs2" "$(lab_count "$out" rs2)" 0
lab_is "no request failed" "$(lab_count "$out" failed)" 0

lab_rs_up rs2
ramping() { local w; w=$(weight_of rs2); [ -n "$w" ] && ((w > 0 && w < 10)); }
lab_check "rs2 recovered comes back with a part of its weight (slow start)" \
	lab_wait_for 30 ramping
lab_log "ramping: $(lab_in dir1 ipvsadm -Ln --exact)"
lab_check "and then all of it" lab_wait_for 30 weight_is rs2 10
lab_check "the log says so once" eval \
	"[ \$(grep -c 'rs ${LAB_IP[rs2]}:80 in web: up (2 successes in a row)' \
	'$LAB_CASE_DIR/lvsd.log') = 1 ]"
out=$(lab_get cl1 -n 30 "$svc")
lab_is "the client reaches rs2 again" "$(lab_count "$out" rs2)" 10
lab_check "lvsd still running" lab_alive lvsd
