# IPv6 tunnel mode (IPv6-in-IPv6 to ip6tnl0 on the real servers): the client
# reaches every rs through an rr service on the IPv6 VIP, replies bypass dir1.
svc="[$LAB_VIP6]:80"

lab_check "IPv6 VIP on dir1" lab_in dir1 ip addr add "$LAB_VIP6/128" dev eth0 nodad
lab_check "IPv6 service and three tunnel destinations added" lab_in dir1 ipvsadm -R <<END
-A -t $svc -s rr
-a -t $svc -r [${LAB_IP6[rs1]}]:80 -i
-a -t $svc -r [${LAB_IP6[rs2]}]:80 -i
-a -t $svc -r [${LAB_IP6[rs3]}]:80 -i
END
out=$(lab_get cl1 -n 30 "$svc")
lab_log "$out"
lab_is "rs1 answered 10 of 30" "$(lab_count "$out" rs1)" 10
lab_is "rs2 answered 10 of 30" "$(lab_count "$out" rs2)" 10
lab_is "rs3 answered 10 of 30" "$(lab_count "$out" rs3)" 10

svc_stats() {
	read -r _ _ conns _ outpkts _ <<<"$(lab_in dir1 ipvsadm -Ln --stats --exact |
		grep "^TCP  \[$LAB_VIP6\]:80 ")"
	[[ $conns == 30 ]]
}
lab_check "the service counted 30 connections" lab_wait_for 30 svc_stats
lab_is "OutPkts stayed 0" "$outpkts" 0
