# Kernel refusals become one clear log line each, not crashes, and the rest
# of the table is still applied: lvsd in dir1 with a service whose scheduler
# (twos) this kernel lacks, a service with a multicast real server (224.0.0.5)
# between two good ones, and a good web service. lvsd keeps running, logs
# exactly one line per bad object (none for the destinations of the refused
# service), the good service and the good destinations are in the kernel, and
# the web service answers HTTP from the client. A reload with the mistakes
# fixed completes the table without a new refusal.
sock=$LAB_CASE_DIR/dir1.sock
conf=$LAB_CASE_DIR/lvsd.yaml
lab_check "VIP on dir1" lab_in dir1 ip addr add "$LAB_VIP/32" dev eth0
# the client may still have the MAC of an earlier case's dir1 for the VIP
lab_check "cl1 forgets old neighbours of the VIP" lab_in cl1 ip neigh flush to "$LAB_VIP"
# write_conf SCHED MCAST: the scheduler of "odd" and the middle rs of "mixed"
write_conf() {
	cat >"$conf.tmp" <<END
global:
  control_socket: $sock
  user: lvsd
services:
  - name: odd
    address: $LAB_VIP
    port: 81
    scheduler: $1
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: ${LAB_IP[rs1]} }
      - { address: ${LAB_IP[rs2]} }
  - name: mixed
    address: $LAB_VIP
    port: 82
    scheduler: rr
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: ${LAB_IP[rs1]} }
      - { address: $2 }
      - { address: ${LAB_IP[rs2]} }
  - name: web
    address: $LAB_VIP
    port: 80
    scheduler: rr
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: ${LAB_IP[rs1]} }
      - { address: ${LAB_IP[rs2]} }
      - { address: ${LAB_IP[rs3]} }
END
	mv "$conf.tmp" "$conf"
}
# count_lines TEXT: how many lines of lvsd's log are TEXT after "lvsd[PID]: "
count_lines() {
	local line n=0
	while IFS= read -r line; do
		[[ $line == *" lvsd["+([0-9])"]: $1" ]] && ((n++))
	done <"$LAB_CASE_DIR/lvsd.log"
	echo "$n"
}
shopt -s extglob
sched_line="ipvs: add service tcp $LAB_VIP:81 (scheduler twos) refused by the kernel: No such file or directory"
mcast_line="ipvs: add dest 224.0.0.5:82 in tcp $LAB_VIP:82 refused by the kernel: Invalid argument"

write_conf twos 224.0.0.5
lab_check "lvsd -t accepts the file (the kernel decides)" lvsd -t -f "$conf"
lab_daemon dir1 lvsd lvsd -n -f "$conf"
lab_check "lvsd applied the configuration" lab_wait_for 30 \
	grep -q 'lvsd\[[0-9]*\]: ipvs: [0-9]* services' "$LAB_CASE_DIR/lvsd.log"
lab_check "lvsd is running" lab_wait_for 30 eval 'grep -q "lvsd .* running, pid" "$LAB_CASE_DIR/lvsd.log"'
lab_log "$(grep 'lvsd\[' "$LAB_CASE_DIR/lvsd.log")"
lab_is "one log line for the unknown scheduler" "$(count_lines "$sched_line")" 1
lab_is "one log line for the multicast real server" "$(count_lines "$mcast_line")" 1
lab_is "no other refusal line" "$(grep -c 'refused by the kernel' "$LAB_CASE_DIR/lvsd.log")" 2
# 4 refused: the service, its 2 destinations (not logged) and the multicast one
lab_is "the summary counts accepted and refused operations" \
	"$(grep -o 'ipvs: [0-9]* services, .*' "$LAB_CASE_DIR/lvsd.log")" \
	"ipvs: 3 services, 8 destinations; 7 changes, 4 refused"
want="TCP  192.0.2.100:80 rr
  -> 198.51.100.11:80             Tunnel  1      0          0
  -> 198.51.100.12:80             Tunnel  1      0          0
  -> 198.51.100.13:80             Tunnel  1      0          0
TCP  192.0.2.100:82 rr
  -> 198.51.100.11:82             Tunnel  1      0          0
  -> 198.51.100.12:82             Tunnel  1      0          0"
lab_is "ipvsadm: the good service and the good destinations, nothing else" \
	"$(lab_in dir1 ipvsadm -Ln --exact | sed -e '1,3d' -e 's/ *$//')" "$want"
out=$(lab_get cl1 -n 30 "$LAB_VIP:80")
lab_log "$out"
lab_is "the good service answers HTTP: rs1" "$(lab_count "$out" rs1)" 10
lab_is "... rs2" "$(lab_count "$out" rs2)" 10
lab_is "... rs3" "$(lab_count "$out" rs3)" 10
lab_is "... no request failed" "$(lab_count "$out" failed)" 0
lab_check "lvsd is still running" lab_alive lvsd
lab_is "lvsctl status reports the refusals" \
	"$(lab_in dir1 lvsctl -s "$sock" status | grep -o 'ipvs: .*')" \
	"ipvs: 2 of 3 services, 5 of 8 destinations in the kernel; last apply: 7 changes, 4 refused"

write_conf wlc 198.51.100.13
lab_check "SIGHUP with the mistakes fixed" lab_kill lvsd HUP
lab_check "lvsd applied it" lab_wait_for 30 eval \
	'(($(grep -c "lvsd\[[0-9]*\]: ipvs: [0-9]* services" "$LAB_CASE_DIR/lvsd.log") == 2))'
lab_is "the summary: no refusal" "$(grep -o 'ipvs: [0-9]* services, .*' "$LAB_CASE_DIR/lvsd.log" | tail -n 1)" \
	"ipvs: 3 services, 8 destinations; 4 changes, 0 refused"
lab_is "no new refusal line" "$(grep -c 'refused by the kernel' "$LAB_CASE_DIR/lvsd.log")" 2
want="TCP  192.0.2.100:80 rr
  -> 198.51.100.11:80             Tunnel  1      0          0
  -> 198.51.100.12:80             Tunnel  1      0          0
  -> 198.51.100.13:80             Tunnel  1      0          0
TCP  192.0.2.100:81 wlc
  -> 198.51.100.11:81             Tunnel  1      0          0
  -> 198.51.100.12:81             Tunnel  1      0          0
TCP  192.0.2.100:82 rr
  -> 198.51.100.11:82             Tunnel  1      0          0
  -> 198.51.100.12:82             Tunnel  1      0          0
  -> 198.51.100.13:82             Tunnel  1      0          0"
lab_is "ipvsadm: the whole table now (connection counters left out)" \
	"$(lab_in dir1 ipvsadm -Ln --exact | sed -e '1,3d' -e 's/ *$//' -e '/->/s/ *[0-9]* *[0-9]*$//')" \
	"$(sed 's/ *[0-9]* *[0-9]*$//' <<<"$want")"
lab_check "lvsd stops on SIGTERM" lab_stop lvsd 30
