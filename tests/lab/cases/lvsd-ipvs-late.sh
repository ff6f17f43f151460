# lvsd started on a kernel without IPVS says so once, keeps running, and
# programs its table as soon as the ip_vs module appears (it tries again every
# 2 s), without a reload.  The case unloads ip_vs (every IPVS table in the
# guest is empty between cases) and loads the same modules again; when the
# kernel will not unload them, it skips.  Meanwhile the kernel's module
# loader is /bin/false: resolving the IPVS netlink family would load ip_vs
# on demand otherwise.  The sysctl lvsd is asked to set (sloppy_tcp) comes
# with the module: lvsd sets it once IPVS is there, and again at a resync
# after someone changed it by hand.
sock=$LAB_CASE_DIR/lvsd.sock
svc=$LAB_VIP:80
log=$LAB_CASE_DIR/lvsd.log
mods=$(lsmod | awk '$1 ~ /^ip_vs/ { print $1 }')
# unload: the schedulers first, ip_vs last
unload() {
	local m
	for m in $mods; do
		[[ $m == ip_vs ]] || rmmod "$m" || return 1
	done
	rmmod ip_vs
}
loader=$(</proc/sys/kernel/modprobe)
echo /bin/false >/proc/sys/kernel/modprobe
unload 2>"$LAB_CASE_DIR/rmmod.err" || {
	echo "$loader" >/proc/sys/kernel/modprobe
	"$LAB_TMP/modprobe" -a $mods
	lab_skip "cannot unload ip_vs here: $(head -n 1 "$LAB_CASE_DIR/rmmod.err")"
}
lab_pass "ip_vs unloaded"
cat >"$LAB_CASE_DIR/lvsd.yaml" <<END
global:
  control_socket: $sock
  sloppy_tcp: true
  ipvs_resync: 1s
services:
  - name: web
    address: $LAB_VIP
    port: 80
    scheduler: wrr
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: ${LAB_IP[rs1]}, weight: 3 }
      - { address: ${LAB_IP[rs2]}, weight: 2 }
END
lab_daemon dir1 lvsd lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd says the kernel has no IPVS" lab_wait_for 20 \
	grep -q 'ipvs: this kernel has no IPVS; .*trying again every 2 s' "$log"
lab_check "lvsd keeps running and answers" lab_wait_for 10 eval \
	'lab_in dir1 lvsctl -s "$sock" status | grep -q "ipvs: not available"'
echo "$loader" >/proc/sys/kernel/modprobe
lab_check "the modules come back" "$LAB_TMP/modprobe" -a $mods
lab_check "lvsd notices" lab_wait_for 30 grep -q 'ipvs: the kernel has IPVS now' "$log"
lab_check "and programs the table" lab_wait_for 30 lab_lvsd_applied lvsd 1
lab_is "its summary" "$(lab_lvsd_last_apply lvsd)" "ipvs: 1 services, 2 destinations; 3 changes, 0 refused"
lab_is "ipvsadm: the service and its weights" \
	"$(lab_in dir1 ipvsadm -Ln --exact -t "$svc" | awk '$1 == "->" && $2 ~ /^198/ { print $2, $4 }')" \
	"198.51.100.11:80 3
198.51.100.12:80 2"
lab_check "lvsd set sloppy_tcp, which came back with the module at 0" lab_wait_for 30 \
	grep -q 'ipvs: net.ipv4.vs.sloppy_tcp set to 1 (it was 0)' "$log"
lab_is "sloppy_tcp in dir1" "$(lab_in dir1 cat /proc/sys/net/ipv4/vs/sloppy_tcp)" 1
lab_in dir1 sysctl -qw net.ipv4.vs.sloppy_tcp=0
lab_check "a resync sets it back after a change by hand" lab_wait_for 30 \
	eval '[[ $(grep -c "ipvs: net.ipv4.vs.sloppy_tcp set to 1 (it was 0)" "$log") == 2 ]]'
lab_is "sloppy_tcp in dir1 again" "$(lab_in dir1 cat /proc/sys/net/ipv4/vs/sloppy_tcp)" 1
lab_is "one 'no IPVS' line, not one per try" "$(grep -c 'this kernel has no IPVS' "$log")" 1
lab_check "lvsd stops on SIGTERM" lab_stop lvsd 5
