# lab: timeout=400
# lvsd's IPVS writer changes one destination without reading the kernel's
# table, keeps answering while a large apply is in flight, and repairs drift.
# (a) `lvsctl weight web RS W` reaches the kernel (ipvsadm -Ln --exact, an
#     independent reader) by the time lvsctl returns, and lvsd made no dump
#     for it (the "dumps" counter of lvsctl status --json); then a reload adds
#     4,000 destinations, and lvsd reads a second weight change (and a status
#     request) while that apply is in flight: the weight's log line comes
#     between the reload and the apply's summary, and the change lands too.
# (b) with ipvs_resync: 2s, a flushed table (ipvsadm -C) and a weight edited
#     by hand come back, the overrides included, and lvsd logs each repair.
sock=$LAB_CASE_DIR/lvsd.sock
svc=$LAB_VIP:80
log=$LAB_CASE_DIR/lvsd.log
# write_conf RESYNC BIG: the web service, plus 5 x 800 IPv6 DR destinations when BIG=1
write_conf() {
	local p i
	{
		printf 'global:\n  control_socket: %s\n  ipvs_resync: %s\n' "$sock" "$1"
		printf 'services:\n  - name: web\n    address: %s\n    port: 80\n' "$LAB_VIP"
		printf '    scheduler: wrr\n    check: { type: none }\n    weight_policy: static\n'
		printf '    real_servers:\n'
		printf '      - { address: %s }\n' "${LAB_IP[rs1]}" "${LAB_IP[rs2]}" "${LAB_IP[rs3]}"
		if (($2)); then
			for p in 1001 1002 1003 1004 1005; do
				printf '  - address: 2001:db8::100\n    port: %s\n' $p
				printf '    forwarding: dr\n    check: { type: none }\n'
				printf '    weight_policy: static\n    real_servers:\n'
				for ((i = 1; i <= 800; i++)); do
					printf '      - { address: "2001:db8:2::%x" }\n' $i
				done
			done
		fi
	} >"$LAB_CASE_DIR/lvsd.yaml.tmp"
	mv "$LAB_CASE_DIR/lvsd.yaml.tmp" "$LAB_CASE_DIR/lvsd.yaml"
}
ctl() {
	lab_in dir1 lvsctl -s "$sock" "$@"
}
# json_num KEY: a number of the ipvs object of lvsctl status --json
json_num() {
	local j
	j=$(ctl status --json) || return 1
	[[ $j =~ \"$1\":([0-9]+) ]] && echo "${BASH_REMATCH[1]}"
}
# weights: "ADDR:PORT WEIGHT" of the web service's destinations, as ipvsadm shows them
weights() {
	lab_in dir1 ipvsadm -Ln --exact -t "$svc" | while read -r arrow addr fwd w rest; do
		[[ $arrow == '->' && $addr == 198.* ]] && echo "$addr $w"
	done
}
weights_are() {
	[[ $(weights) == "$1" ]]
}
logged() {
	grep -qF -- "$1" "$log"
}
# sent PID...: each lvsctl PID has connected and its request sits in its
# socket (ss: Send-Q above 0), not yet read
sent() {
	local q pid fd ino
	q=$(lab_in dir1 ss -xaH) || return 1
	for pid; do
		ino=
		for fd in /proc/"$pid"/fd/*; do
			[[ $(readlink "$fd") =~ ^socket:\[([0-9]+)\]$ ]] && ino=${BASH_REMATCH[1]}
		done
		[[ -n $ino ]] || return 1
		awk -v i="$ino" '$6 == i && $4 > 0 { f = 1 } END { exit !f }' <<<"$q" || return 1
	done
}

# ---- (a) one weight, no dump; a large apply in flight
write_conf 0 0
lab_daemon dir1 lvsd lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd programmed the service" lab_wait_for 20 lab_lvsd_applied lvsd 1
lab_is "its summary" "$(lab_lvsd_last_apply lvsd)" "ipvs: 1 services, 3 destinations; 4 changes, 0 refused"
dumps=$(json_num dumps)
lab_is "one dump so far (the start)" "$dumps" 1
lab_is "lvsctl weight answers once the kernel has it" \
	"$(ctl weight web "${LAB_IP[rs1]}" 7 2>&1)" "applied 1, refused 0"
lab_is "ipvsadm: rs1 has weight 7, the others are untouched" "$(weights)" "198.51.100.11:80 7
198.51.100.12:80 1
198.51.100.13:80 1"
lab_is "no dump for the weight change" "$(json_num dumps)" "$dumps"
lab_is "one weight change sent" "$(json_num weight_changes)" 1
lab_is "the same weight again sends nothing" \
	"$(ctl weight web "${LAB_IP[rs1]}:80" 7 2>&1; json_num weight_changes)" "applied 1, refused 0
1"
# the count on stdout, what was refused on stderr, and exit status 1
out=$(ctl weight web 198.51.100.99 3 2>"$LAB_CASE_DIR/weight.err"); rc=$?
lab_is "an unknown server is refused: the count" "$out" "applied 0, refused 1"
lab_is "and why, on stderr" "$(<"$LAB_CASE_DIR/weight.err")" \
	"lvsctl: refused: no real server 198.51.100.99 in web"
lab_is "and lvsctl exits 1" "$rc" 1

write_conf 0 1
# The reload and two requests reach lvsd together: its parent is stopped
# while SIGHUP and the requests of lvsctl status and lvsctl weight wait (sent,
# in its control socket), then continued.  It reloads first (the signal is
# seen no later than the connections, and a connection is read a turn of the
# loop after it is accepted); the apply of 4,005 operations takes a dump and
# several netlink round trips, each a turn of the loop.  A writer that does
# not hold the loop reads the weight request before the apply ends; one that
# held it would log the weight after the apply's summary.  lvsctl's clock
# (10 s by default) runs while lvsd is stopped and while it reloads: on a
# busy host that is longer, so the two wait up to 120 s.
lvsd_pid=$(lab_pid lvsd)
kill -STOP "$lvsd_pid"
ip netns exec dir1 lvsctl -s "$sock" -t 120 status >"$LAB_CASE_DIR/status.during" 2>&1 &
spid=$!
ip netns exec dir1 lvsctl -s "$sock" -t 120 weight web "${LAB_IP[rs2]}" 9 \
	>"$LAB_CASE_DIR/weight.during" 2>&1 &
wpid=$!
lab_check "both requests wait, sent, in the stopped lvsd's control socket" \
	lab_wait_for 60 sent "$spid" "$wpid"
kill -HUP "$lvsd_pid"
kill -CONT "$lvsd_pid"
wait "$wpid"
lab_is "lvsctl weight during the large apply" "$(cat "$LAB_CASE_DIR/weight.during")" \
	"applied 1, refused 0"
wait "$spid"
lab_check "lvsctl status answered" grep -q '^  ipvs: ' "$LAB_CASE_DIR/status.during"
lab_log "status: $(grep 'ipvs' "$LAB_CASE_DIR/status.during")"
lab_is "ipvsadm: rs2 has weight 9, rs1 kept 7 across the reload" "$(weights)" "198.51.100.11:80 7
198.51.100.12:80 9
198.51.100.13:80 1"
lab_check "lvsd applied the large table" lab_wait_for 60 lab_lvsd_applied lvsd 2
# 4,000 destinations and 5 services, and rs2's weight when the request was
# read before the reconcile had the kernel's table (it joins the same round)
summary=$(lab_lvsd_last_apply lvsd)
lab_check "its summary: $summary" \
	test "${summary/4006 changes/4005 changes}" = "ipvs: 6 services, 4003 destinations; 4005 changes, 0 refused"
lab_is "ipvsadm lists 4,003 destinations" "$(lab_in dir1 ipvsadm -Ln | grep -c '^  -> [0-9[]')" 4003
lab_is "lvsd read the weight request while the apply was in flight (log order)" \
	"$(grep -o 'SIGHUP received\|rs [0-9.]* in web: weight 9 set by the operator\|ipvs: 6 services' \
		"$log" | tr '\n' '|')" \
	"SIGHUP received|rs ${LAB_IP[rs2]} in web: weight 9 set by the operator|ipvs: 6 services|"
lab_is "status: every destination accepted by the kernel" \
	"$(json_num destinations_accepted)/$(json_num destinations)" "4003/4003"

# ---- (b) resync repairs a flush and a hand-edited weight
write_conf 2s 0
lab_check "reload with ipvs_resync: 2s" ctl reload
lab_check "lvsd applied it" lab_wait_for 60 lab_lvsd_applied lvsd 3
lab_log "after reading 4,003 destinations: $(ctl status | grep 'ipvs writer')"
lab_check "ipvsadm -C flushes dir1's table" lab_in dir1 ipvsadm -C
lab_check "resync logs the missing service" lab_wait_for 30 logged \
	"ipvs: resync: service tcp $svc is missing from the kernel; adding it"
lab_check "resync logs a missing destination" \
	logged "ipvs: resync: destination ${LAB_IP[rs1]}:80 in tcp $svc is missing from the kernel; adding it"
lab_check "ipvsadm: the table is back, overrides included" lab_wait_for 30 weights_are "198.51.100.11:80 7
198.51.100.12:80 9
198.51.100.13:80 1"
lab_check "resync logs how many repairs it made" lab_wait_for 30 logged "ipvs: resync: 4 repairs made, 0 refused"
lab_check "someone edits rs3's weight by hand" \
	lab_in dir1 ipvsadm -e -t "$svc" -r "${LAB_IP[rs3]}:80" -i -w 42
lab_check "resync logs the edited weight" lab_wait_for 30 logged \
	"ipvs: resync: destination ${LAB_IP[rs3]}:80 in tcp $svc has weight 42 in the kernel, not 1; setting it back"
lab_check "ipvsadm: rs3 back to 1" lab_wait_for 30 weights_are "198.51.100.11:80 7
198.51.100.12:80 9
198.51.100.13:80 1"
lab_check "status counts resyncs" test "$(json_num resyncs)" -ge 2
lab_check "status counts at least 5 repairs" test "$(json_num repairs)" -ge 5
lab_is "status lists the overrides" "$(ctl status | grep 'weight override')" \
	"  weight override: web 198.51.100.11:80 7 (effective 7)
  weight override: web 198.51.100.12:80 9 (effective 9)"
lab_is "a batch clears both overrides" \
	"$(printf 'web %s clear\nweb %s:80 clear\n' "${LAB_IP[rs1]}" "${LAB_IP[rs2]}" |
		ctl weight --batch - 2>&1)" "applied 2, refused 0"
lab_is "ipvsadm: the static weights again" "$(weights)" "198.51.100.11:80 1
198.51.100.12:80 1
198.51.100.13:80 1"
lab_check "lvsd still running" lab_alive lvsd
lab_check "lvsd stops on SIGTERM" lab_stop lvsd 5
