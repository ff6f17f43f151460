# A real HTTP request from a client namespace through a tunnel service that
# lvsd programmed reaches the intended real server, and the reply returns
# directly: lvsd in dir1 (VIP on dir1's eth0) with a wrr service of weights
# 3:2:1; 60 requests from cl1 are answered 30:20:10 by rs1:rs2:rs3, the
# service and each destination count those connections, and the director's
# OutPkts stay 0 (the replies went from the rs to the client, not via dir1).
svc=$LAB_VIP:80
lab_check "VIP on dir1" lab_in dir1 ip addr add "$LAB_VIP/32" dev eth0
# the client may still have the MAC of an earlier case's dir1 for the VIP
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
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: ${LAB_IP[rs1]}, weight: 3 }
      - { address: ${LAB_IP[rs2]}, weight: 2 }
      - { address: ${LAB_IP[rs3]}, weight: 1 }
END
lab_is "no service before lvsd starts" "$(lab_in dir1 ipvsadm -Sn)" ""
lab_daemon dir1 lvsd lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd programmed the service" lab_wait_for 30 \
	grep -q 'ipvs: 1 services, 3 destinations; 4 changes, 0 refused' "$LAB_CASE_DIR/lvsd.log"
lab_log "$(lab_in dir1 ipvsadm -Ln --exact --tun-info)"

out=$(lab_get cl1 -n 60 "$svc")
lab_log "60 requests at 3:2:1:" "$out"
lab_is "rs1 answered 30 of 60" "$(lab_count "$out" rs1)" 30
lab_is "rs2 answered 20 of 60" "$(lab_count "$out" rs2)" 20
lab_is "rs3 answered 10 of 60" "$(lab_count "$out" rs3)" 10
lab_is "no request failed" "$(lab_count "$out" failed)" 0

# counters: the kernel folds them in every 2 s
declare -A conns inpkts outpkts
read_stats() {
	local prot addr c i o rest key
	conns=() inpkts=() outpkts=()
	while read -r prot addr c i o rest; do
		if [[ $prot == TCP ]]; then key=svc
		elif [[ $prot == '->' ]]; then key=$addr
		else continue; fi
		conns[$key]=$c inpkts[$key]=$i outpkts[$key]=$o
	done < <(lab_in dir1 ipvsadm -Ln --stats --exact -t "$svc")
	[[ ${conns[svc]:-} == 60 ]]
}
lab_check "the service counted 60 connections" lab_wait_for 30 read_stats
lab_log "$(lab_in dir1 ipvsadm -Ln --stats --exact)"
lab_check "it counted the client's packets (${inpkts[svc]:-none} in)" test "${inpkts[svc]:-0}" -ge 240
lab_is "the service's OutPkts stayed 0" "${outpkts[svc]:-}" 0
n=(30 20 10)
for i in 1 2 3; do
	d=${LAB_IP[rs$i]}:80
	lab_is "rs$i's destination counted ${n[i - 1]} connections" "${conns[$d]:-}" "${n[i - 1]}"
	lab_is "rs$i's destination OutPkts stayed 0" "${outpkts[$d]:-}" 0
done
lab_check "lvsd still running" lab_alive lvsd
