# A weight change made through lvsd moves the wrr share measured over 1,000
# real HTTP requests: lvsd in dir1 programs a tunnel service with weights
# 1:1:1 (each rs answers about 1/3), the file is changed to 3:1:0 and
# reloaded with `lvsctl reload`; then rs1 answers about 3/4, rs2 about 1/4 and
# rs3 none. wrr is exact over full cycles: the tolerance (2% of 1,000) only
# covers connections that met an IPVS entry left from an earlier one.
# The client's port ranges of the two rounds do not overlap: a SYN from a
# port that an earlier connection used meets that connection's IPVS entry
# (in tunnel mode the director never sees it reach TIME_WAIT) and goes to
# the same real server, whatever the weights are now.
svc=$LAB_VIP:80
sock=$LAB_CASE_DIR/dir1.sock
lab_check "VIP on dir1" lab_in dir1 ip addr add "$LAB_VIP/32" dev eth0
# the client may still have the MAC of an earlier case's dir1 for the VIP
lab_check "cl1 forgets old neighbours of the VIP" lab_in cl1 ip neigh flush to "$LAB_VIP"
# write_conf W1 W2 W3
write_conf() {
	cat >"$LAB_CASE_DIR/lvsd.yaml.tmp" <<END
global:
  control_socket: $sock
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
      - { address: ${LAB_IP[rs1]}, weight: $1 }
      - { address: ${LAB_IP[rs2]}, weight: $2 }
      - { address: ${LAB_IP[rs3]}, weight: $3 }
END
	mv "$LAB_CASE_DIR/lvsd.yaml.tmp" "$LAB_CASE_DIR/lvsd.yaml"
}
# weights: the three destinations' weights as ipvsadm shows them
weights() {
	lab_in dir1 ipvsadm -Ln --exact -t "$svc" | while read -r arrow addr fwd w rest; do
		[[ $arrow == '->' && $addr == 198.* ]] && echo "$addr $w"
	done
}
# share DESC COUNT WANT: COUNT is within 20 of WANT
share() {
	lab_check "$1 ($2, want $3 +- 20)" test "$2" -ge $(($3 - 20)) -a "$2" -le $(($3 + 20))
}

write_conf 1 1 1
lab_daemon dir1 lvsd lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd programmed the service" lab_wait_for 30 \
	grep -q 'ipvs: 1 services, 3 destinations; 4 changes, 0 refused' "$LAB_CASE_DIR/lvsd.log"
lab_is "ipvsadm: weights 1:1:1" "$(weights)" "198.51.100.11:80 1
198.51.100.12:80 1
198.51.100.13:80 1"
lab_check "cl1 uses ports 20000-39999" lab_in cl1 sysctl -qw net.ipv4.ip_local_port_range="20000 39999"
t0=$(lab_now_us)
out=$(lab_get cl1 -n 1000 "$svc")
lab_log "1,000 requests at 1:1:1 in $((($(lab_now_us) - t0) / 1000)) ms:" "$out"
lab_is "no request failed" "$(lab_count "$out" failed)" 0
share "rs1 answered about 1/3" "$(lab_count "$out" rs1)" 333
share "rs2 answered about 1/3" "$(lab_count "$out" rs2)" 333
share "rs3 answered about 1/3" "$(lab_count "$out" rs3)" 333

write_conf 3 1 0
lab_is "lvsctl reload" "$(lab_in dir1 lvsctl -s "$sock" reload 2>&1)" \
	"reloaded $LAB_CASE_DIR/lvsd.yaml: generation 2"
lab_check "lvsd applied the new weights" lab_wait_for 30 \
	grep -q 'ipvs: 1 services, 3 destinations; 2 changes, 0 refused' "$LAB_CASE_DIR/lvsd.log"
lab_is "ipvsadm: weights 3:1:0" "$(weights)" "198.51.100.11:80 3
198.51.100.12:80 1
198.51.100.13:80 0"
lab_check "cl1 uses ports 40000-60999" lab_in cl1 sysctl -qw net.ipv4.ip_local_port_range="40000 60999"
out=$(lab_get cl1 -n 1000 "$svc")
lab_in cl1 sysctl -qw net.ipv4.ip_local_port_range="32768 60999"
lab_log "1,000 requests at 3:1:0:" "$out"
lab_is "no request failed" "$(lab_count "$out" failed)" 0
share "rs1 answered about 3/4" "$(lab_count "$out" rs1)" 750
share "rs2 answered about 1/4" "$(lab_count "$out" rs2)" 250
lab_is "rs3 (weight 0) answered none" "$(lab_count "$out" rs3)" 0
lab_check "lvsd still running" lab_alive lvsd
