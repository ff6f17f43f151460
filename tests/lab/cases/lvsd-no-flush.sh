# lvsd never flushes: one long-lived kept-alive TCP connection from cl1 through
# lvsd's tunnel service (a request every 100 ms for the whole case) survives
# an lvsd restart (SIGTERM, start again), a kill -9 of the parent and a new
# start, a SIGHUP with an unchanged file, a SIGHUP with a changed but
# compatible file (weights, a service added), and a kill -9 of each child.
# Proof, from readers other than lvsd: no request failed and every answer
# came from the same rs over the same connection (one client port, the same
# entry in ipvsadm -Lnc from start to end); the kernel's table (ipvsadm -Sn)
# is unchanged by every step that should not change it; and the service was
# never deleted and re-created: a new service's counters start from 0 (the
# kernel even restores the old destinations from its trash, so a flush and
# re-add keeps the connection alive: the counters are what show it), so the
# service keeps counting its 1 connection and its InPkts cover every request.
svc=$LAB_VIP:80
sock=$LAB_CASE_DIR/dir1.sock
conf=$LAB_CASE_DIR/lvsd.yaml
lab_check "VIP on dir1" lab_in dir1 ip addr add "$LAB_VIP/32" dev eth0
# the client may still have the MAC of an earlier case's dir1 for the VIP
lab_check "cl1 forgets old neighbours of the VIP" lab_in cl1 ip neigh flush to "$LAB_VIP"

# write_conf W1 W2 W3 [EXTRA]: the web service's weights, and more YAML
write_conf() {
	cat >"$conf.tmp" <<END
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
${4:-}
END
	mv "$conf.tmp" "$conf"
}
# start_lvsd NAME: start lvsd as daemon NAME, wait for its first apply
start_lvsd() {
	lab_daemon dir1 "$1" lvsd -n -f "$conf"
	lab_wait_for 30 lab_lvsd_applied "$1" 1
}
# child_pid LOG ROLE: the pid of the last ROLE child LOG says was started
child_pid() {
	grep -o "started $2 child, pid [0-9]*" "$LAB_CASE_DIR/$1.log" | tail -n 1 | grep -o '[0-9]*$'
}
# answers: how many requests the client has made so far
answers() {
	local n=0 line
	while IFS= read -r line; do ((n++)); done <"$LAB_CASE_DIR/client.log"
	echo "$n"
}
# more_answers N: wait until the client has made N more requests
more_answers() {
	local want=$(($(answers) + $1))
	lab_wait_for 30 eval '(($(answers) >= want))'
}
# conn: the client's IPVS connection entry: state, client, VIP, rs
conn() {
	lab_in dir1 ipvsadm -Lnc | while read -r pro expire state src vip dst; do
		[[ $pro == TCP && $src == "${LAB_IP[cl1]}":* && $vip == "$svc" ]] &&
			echo "$state $src $vip $dst"
	done
}
table() {
	lab_in dir1 ipvsadm -Sn
}
# svc_conns: the connections the web service counted (folded in every 2 s);
# a service deleted and re-created starts again from 0
svc_conns() {
	local prot addr c rest
	read -r prot addr c rest <<<"$(lab_in dir1 ipvsadm -Ln --stats --exact -t "$svc" | grep '^TCP ')"
	echo "${c:-none}"
}
# still STEP: after STEP the table is $want_table, the web service is the
# same kernel object (its one connection still counted), the client goes on
still() {
	lab_is "$1: the table is unchanged" "$(table)" "$want_table"
	lab_is "$1: the service was not re-created (Conns 1)" "$(svc_conns)" 1
	lab_check "$1: the client still gets answers" more_answers 3
}

write_conf 1 1 1
start_lvsd lvsd1
lab_is "lvsd programmed the service" "$(lab_lvsd_last_apply lvsd1)" \
	"ipvs: 1 services, 3 destinations; 4 changes, 0 refused"
want_table=$(table)
lab_log "$want_table"

lab_daemon cl1 client lab-http get -k -l -i 100 -t 10000 -n 100000 "$svc"
lab_check "the client's kept-alive connection is answered" more_answers 5
conn0=$(conn)
lab_log "connection: $conn0"
lab_check "ipvsadm -Lnc shows one established connection" \
	eval '[[ $conn0 == "ESTABLISHED "* && $conn0 != *$'\''\n'\''* ]]'
lab_check "the service counted that one connection" lab_wait_for 30 eval '[[ $(svc_conns) == 1 ]]'

# 1. SIGTERM and start again
lab_check "lvsd stops on SIGTERM" lab_stop lvsd1 30
still "after SIGTERM"
lab_check "lvsd starts again" start_lvsd lvsd2
lab_is "restart: nothing to change" "$(lab_lvsd_last_apply lvsd2)" \
	"ipvs: 1 services, 3 destinations; 0 changes, 0 refused"
still "after the restart"

# 2. kill -9 of the parent, and start again
kids=$(for r in vrrp checkers weight; do child_pid lvsd2 $r; done)
lab_is "lvsd2 started three children" "$(wc -w <<<"$kids")" 3
lab_check "kill -9 the lvsd parent" lab_kill lvsd2 KILL
lab_check "it is gone" lab_wait_for 30 eval '! lab_alive lvsd2'
# kids_gone: none of the pids in $kids is still running
kids_gone() {
	local pid
	for pid in $kids; do
		kill -0 "$pid" 2>/dev/null && return 1
	done
	return 0
}
lab_check "its children follow it (parent-death signal)" lab_wait_for 30 kids_gone
still "after kill -9"
lab_check "lvsd starts after a kill -9 (stale control socket)" start_lvsd lvsd3
lab_is "start after kill -9: nothing to change" "$(lab_lvsd_last_apply lvsd3)" \
	"ipvs: 1 services, 3 destinations; 0 changes, 0 refused"
still "after the start that followed kill -9"

# 3. SIGHUP, unchanged file
lab_check "SIGHUP, unchanged file" lab_kill lvsd3 HUP
lab_check "lvsd applied it" lab_wait_for 30 lab_lvsd_applied lvsd3 2
lab_is "unchanged file: nothing to change" "$(lab_lvsd_last_apply lvsd3)" \
	"ipvs: 1 services, 3 destinations; 0 changes, 0 refused"
still "after SIGHUP with the same file"

# 4. SIGHUP, changed but compatible: every weight changes, a service is added
write_conf 2 3 4 "  - name: other
    address: $LAB_VIP
    port: 8080
    scheduler: rr
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: ${LAB_IP[rs2]} }"
lab_check "SIGHUP, changed file" lab_kill lvsd3 HUP
lab_check "lvsd applied it" lab_wait_for 30 lab_lvsd_applied lvsd3 3
lab_is "changed file: 3 weights and a service with its destination" "$(lab_lvsd_last_apply lvsd3)" \
	"ipvs: 2 services, 4 destinations; 5 changes, 0 refused"
want_table="-A -t $svc -s wrr
-a -t $svc -r ${LAB_IP[rs1]}:80 -i -w 2 --tun-type ipip
-a -t $svc -r ${LAB_IP[rs2]}:80 -i -w 3 --tun-type ipip
-a -t $svc -r ${LAB_IP[rs3]}:80 -i -w 4 --tun-type ipip
-A -t $LAB_VIP:8080 -s rr
-a -t $LAB_VIP:8080 -r ${LAB_IP[rs2]}:8080 -i -w 1 --tun-type ipip"
still "after SIGHUP with the changed file (new table)"

# 5. kill -9 of each child: the parent restarts it, the table stays
for role in vrrp checkers weight; do
	pid=$(child_pid lvsd3 $role)
	n=$(grep -c "started $role child" "$LAB_CASE_DIR/lvsd3.log")
	lab_check "kill -9 the $role child ($pid)" kill -s KILL "$pid"
	lab_check "the parent starts a new $role child" lab_wait_for 30 \
		eval '(($(grep -c "started $role child" "$LAB_CASE_DIR/lvsd3.log") > n))'
	still "after kill -9 of the $role child"
done
lab_check "lvsd is still running" lab_alive lvsd3
lab_is "the children's deaths caused no apply" "$(grep -c 'lvsd\[[0-9]*\]: ipvs: [0-9]* services' "$LAB_CASE_DIR/lvsd3.log")" 3

# the connection, end to end
lab_is "ipvsadm -Lnc: the same connection entry as at the start" "$(conn)" "$conn0"
lab_check "the client stops" lab_stop client 30
total=$(answers)
log=$(<"$LAB_CASE_DIR/client.log")
lab_log "$total requests; first and last: $(head -n 1 <<<"$log") / $(tail -n 1 <<<"$log")"
lab_is "no request failed" "$(grep -c 'ERR' <<<"$log")" 0
first=$(head -n 1 <<<"$log")
first=${first#* }
lab_is "every answer came from the same rs ($first)" "$(grep -vc " $first\$" <<<"$log")" 0
lab_is "... the rs of the connection entry" "${conn0##* }" "${LAB_IP[$first]}:80"
# never reset: the service's InPkts cover every request (counters every 2 s)
inpkts() {
	local prot addr c i rest
	read -r prot addr c i rest <<<"$(lab_in dir1 ipvsadm -Ln --stats --exact -t "$svc" | grep '^TCP ')"
	in=$i
	((in >= total))
}
lab_check "the service's counters were never reset: InPkts >= $total requests" lab_wait_for 30 inpkts
lab_log "InPkts ${in:-none}"
