# IPVS tunnel mode on the lab kernel, set up with ipvsadm (no lvsd): the VIP on
# dir1, three real servers behind a wrr service; the client in cl1 gets real
# HTTP answers from each rs, the replies bypass the director (OutPkts stay 0),
# and weights 3:1:0 share 300 requests 225:75:0.
svc=$LAB_VIP:80

lab_check "VIP on dir1" lab_in dir1 ip addr add "$LAB_VIP/32" dev eth0
lab_check "service and three tunnel destinations added" lab_in dir1 ipvsadm -R <<END
-A -t $svc -s wrr
-a -t $svc -r ${LAB_IP[rs1]}:80 -i -w 1
-a -t $svc -r ${LAB_IP[rs2]}:80 -i -w 1
-a -t $svc -r ${LAB_IP[rs3]}:80 -i -w 1
END

# disjoint client port ranges per round: a reused port would meet the
# earlier connection's IPVS entry and its real server, whatever the weights
lab_in cl1 sysctl -qw net.ipv4.ip_local_port_range="20000 39999"
out=$(lab_get cl1 -n 30 "$svc")
lab_log "30 requests at 1:1:1:" "$out"
lab_is "rs1 answered 10 of 30" "$(lab_count "$out" rs1)" 10
lab_is "rs2 answered 10 of 30" "$(lab_count "$out" rs2)" 10
lab_is "rs3 answered 10 of 30" "$(lab_count "$out" rs3)" 10
lab_is "no request failed" "$(lab_count "$out" failed)" 0

lab_check "weights set to 3:1:0" lab_in dir1 ipvsadm -R <<END
-e -t $svc -r ${LAB_IP[rs1]}:80 -i -w 3
-e -t $svc -r ${LAB_IP[rs2]}:80 -i -w 1
-e -t $svc -r ${LAB_IP[rs3]}:80 -i -w 0
END
lab_in cl1 sysctl -qw net.ipv4.ip_local_port_range="40000 60999"
out=$(lab_get cl1 -n 300 "$svc")
lab_in cl1 sysctl -qw net.ipv4.ip_local_port_range="32768 60999"
lab_log "300 requests at 3:1:0:" "$out"
rs1=$(lab_count "$out" rs1)
rs2=$(lab_count "$out" rs2)
# wrr is deterministic: allow only a few connections that met an old IPVS entry
lab_check "rs1 answered about 3/4 ($rs1 of 300)" test "$rs1" -ge 220 -a "$rs1" -le 230
lab_check "rs2 answered about 1/4 ($rs2 of 300)" test "$rs2" -ge 70 -a "$rs2" -le 80
lab_is "rs3 (weight 0) answered none" "$(lab_count "$out" rs3)" 0
lab_is "no request failed" "$(lab_count "$out" failed)" 0

# the director only saw the client's half of each connection; the kernel
# folds its per-CPU counters into what it reports every 2 s
svc_stats() {
	local stats
	stats=$(lab_in dir1 ipvsadm -Ln --stats --exact)
	read -r _ _ conns inpkts outpkts _ <<<"$(grep "^TCP  $svc " <<<"$stats")"
	[[ $conns == 330 ]]
}
lab_wait_for 30 svc_stats
lab_log "$(lab_in dir1 ipvsadm -Ln --stats --exact)"
lab_is "the service counted 330 connections" "$conns" 330
lab_check "the service counted inbound packets (${inpkts:-none})" test "${inpkts:-0}" -ge 990
lab_is "OutPkts stayed 0: the replies went from the rs to the client directly" "$outpkts" 0
lab_is "real servers have no VIP on eth0" \
	"$(lab_in rs1 ip -o addr show dev eth0 to "$LAB_VIP")" ""
