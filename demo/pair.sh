# The demo (demo/run boots the lab with this case): the paired deployment of
# etc/lvsd-pair-a.yaml and etc/lvsd-pair-b.yaml on directors dir1 and dir2,
# traffic from a client through the VIP to three real servers (IP-in-IP
# tunnel), then a manual fail-over of the VIP from dir1 to dir2 while the
# client keeps sending, with the client-visible outage measured.
# VRRP is not implemented yet: the VIP is placed and moved by hand here.
# lab: timeout=240
# shellcheck shell=bash disable=SC2016 # eval '...' expands later, on purpose
cfg=$LAB_CASE_DIR
vip=$LAB_VIP
nfail=0

say() { printf '%s\n' "$@"; }
section() { printf '\n==== %s\n' "$*"; }
indent() { sed -e 's/^/    /'; }
check() {
	if "${@:2}"; then lab_pass "$1"; else lab_fail "$1"; nfail=$((nfail + 1)); return 1; fi
}
# lvsctl_status DIR: lvsctl status against DIR's lvsd (retries while it starts)
lvsctl_status() {
	lab_in "$1" lvsctl -s "$cfg/$1.sock" status
}
lvsctl_quiet() {
	lvsctl_status "$1" >/dev/null 2>&1
}
# has_service DIR: DIR's kernel table has the web service with its 3 real servers
has_service() {
	[[ $(lab_in "$1" ipvsadm -Ln | grep -c -e '-> 198\.51\.100\.1[123]:80 *Tunnel') == 3 ]]
}
# garp DIR: tell the front network that DIR now has the VIP (gratuitous ARP)
garp() {
	lab_in "$1" busybox arping -U -c 1 -w 1 -I eth0 "$vip" >/dev/null 2>&1
}
# distribution OUTPUT: lab_get's per-server counts as "rs1 101  rs2 99 ..."
distribution() {
	local line out=
	while read -r line; do out+="${line/ /: }   "; done <<<"$1"
	say "$out"
}

section "lvsd pair demo"
say "Two directors (dir1, dir2), three real servers (rs1..rs3 at 198.51.100.11-13)," \
	"one client (cl1, 192.0.2.50); the VIP is $vip, TCP port 80, IP-in-IP tunnel," \
	"weighted round robin. Everything runs in network namespaces of one" \
	"user-mode Linux kernel with real IPVS." \
	"" \
	"NOTE: VRRP is not implemented in lvsd yet. This demo puts the VIP on dir1 by" \
	"hand and, for the fail-over, moves it to dir2 by hand, as VRRP will do."

section "configuration"
# the shipped files, adjusted to the lab: control socket, peers, tracked interface
sed -e "s|control_socket: /run/lvsd/lvsd.sock|control_socket: $cfg/dir1.sock|" \
	-e 's|unicast_peers: \[192.0.2.3\]|unicast_peers: [192.0.2.2]|' \
	-e 's|track_interfaces: \[eth1\]|track_interfaces: [eth0]|' \
	"$LAB_SRC/etc/lvsd-pair-a.yaml" >"$cfg/dir1.yaml"
sed -e "s|control_socket: /run/lvsd/lvsd.sock|control_socket: $cfg/dir2.sock|" \
	-e 's|unicast_peers: \[192.0.2.2\]|unicast_peers: [192.0.2.1]|' \
	-e 's|track_interfaces: \[eth1\]|track_interfaces: [eth0]|' \
	"$LAB_SRC/etc/lvsd-pair-b.yaml" >"$cfg/dir2.yaml"
say "dir1 runs etc/lvsd-pair-a.yaml and dir2 etc/lvsd-pair-b.yaml, with three" \
	"changes for the lab (control socket, the peer's address, the tracked" \
	"interface: the lab's directors have one interface, eth0):"
diff -u "$LAB_SRC/etc/lvsd-pair-a.yaml" "$cfg/dir1.yaml" | tail -n +3 | grep '^[-+]' | indent
diff -u "$LAB_SRC/etc/lvsd-pair-b.yaml" "$cfg/dir2.yaml" | tail -n +3 | grep '^[-+]' | indent
for d in dir1 dir2; do
	check "$d: the configuration has the lab's socket and peer" \
		grep -q "control_socket: $cfg/$d.sock" "$cfg/$d.yaml"
	check "$d: lvsd -t accepts the configuration" lvsd -t -f "$cfg/$d.yaml" || exit 1
done

section "starting lvsd on dir1 and dir2"
for d in dir1 dir2; do
	lab_daemon "$d" "lvsd-$d" lvsd -n -f "$cfg/$d.yaml"
done
for d in dir1 dir2; do
	check "$d: lvsd answers lvsctl status" lab_wait_for 30 lvsctl_quiet "$d"
	check "$d: lvsd programmed the web service into IPVS" lab_wait_for 30 has_service "$d"
done
((nfail == 0)) || { lab_log "$(tail -n 20 "$cfg"/lvsd-dir*.log)"; exit 1; }

section "the VIP goes on dir1 (by hand: VRRP is not implemented yet)"
lab_in dir1 ip addr add "$vip/24" dev eth0
garp dir1
check "dir1 has $vip" eval 'lab_in dir1 ip -br addr show dev eth0 | grep -q "$vip/24"'

for d in dir1 dir2; do
	section "lvsctl status on $d"
	lvsctl_status "$d" 2>&1 | indent
done
for d in dir1 dir2; do
	section "ipvsadm -Ln on $d"
	lab_in "$d" ipvsadm -Ln | indent
done

section "300 HTTP requests from cl1 to http://$vip/"
out=$(lab_get cl1 -n 300 -t 1000 "$vip:80")
before=$out
distribution "$out"
check "every request answered" test "$(lab_count "$out" failed)" = 0
check "every real server answered" eval \
	'(($(lab_count "$out" rs1) > 0 && $(lab_count "$out" rs2) > 0 && $(lab_count "$out" rs3) > 0))'

section "manual fail-over: dir1's link goes down, the VIP moves to dir2"
say "cl1 sends one request every 10 ms (each gives up after 100 ms); after about" \
	"1 s dir1's link goes down (a hard failure: dir1's lvsd keeps running), and" \
	"the VIP is put on dir2 with a gratuitous ARP, as VRRP will do when it" \
	"notices. Only the data-plane switch is measured here, not the VRRP" \
	"detection time (about 3 advertisement intervals, 3 s with this configuration)." \
	"A request sent while the VIP is nowhere fails only after its 100 ms timeout," \
	"so the outage below is rounded up by up to 100 ms."
log=$cfg/failover.log
lab_get cl1 -n 250 -i 10 -t 100 -l "$vip:80" >"$log" 2>&1 &
client=$!
lab_wait_for 30 eval '(($(grep -c . "$log" 2>/dev/null) >= 60))'
ip link set v-dir1 down
c_down=$(lab_now_us)
# on the client's clock: its last answer, just before the link went down
last=$(tail -n 1 "$log")
t_down=${last%% *}
lab_in dir2 ip addr add "$vip/24" dev eth0
garp dir2
t_up=$((t_down + ($(lab_now_us) - c_down) / 1000))
wait "$client"

# the timeline: MS NAME or MS ERR:reason per request (time since the client started)
mapfile -t lines < <(grep -E '^[0-9]+ ' "$log")
failed=0 nok=0 ok_first=0 normal='?' gap=0 gap_from=0 gap_to=0 first_err=-1 last_err=-1 prev=-1
declare -A after=()
for ((i = 0; i < ${#lines[@]}; i++)); do
	read -r ms who <<<"${lines[i]}"
	if [[ $who == ERR:* ]]; then
		failed=$((failed + 1))
		((first_err < 0)) && first_err=$i
		last_err=$i
		continue
	fi
	if ((prev >= 0 && ms - prev > gap)); then gap=$((ms - prev)) gap_from=$prev gap_to=$ms; fi
	prev=$ms
	((++nok == 1)) && ok_first=$ms
	((nok == 51)) && normal=$(((ms - ok_first) / 50))
	((ms > t_up)) && after[$who]=$((${after[$who]:-0} + 1))
done
say "requests sent: ${#lines[@]}; dir1's link down at ~${t_down} ms, VIP on dir2 at ~${t_up} ms" \
	"(ms since the client started, to about 10 ms)"
if ((first_err >= 0)); then
	say "around the fail-over (one line per request: ms since the client started, who answered):"
	lo=$((first_err > 3 ? first_err - 3 : 0))
	hi=$((last_err + 3 < ${#lines[@]} ? last_err + 3 : ${#lines[@]} - 1))
	for ((i = lo; i <= hi; i++)); do say "${lines[i]}"; done | indent
fi
say "" "client-visible outage: $gap ms (the longest gap between two answers, $gap_from -> $gap_to ms;" \
	"                       normally one answer every $normal ms)" \
	"requests failed:       $failed of ${#lines[@]}"
d=
for who in rs1 rs2 rs3; do d+="$who: ${after[$who]:-0}   "; done
say "answered after the VIP moved: $d"
check "the client got answers again after the fail-over" test "${after[rs1]:-0}${after[rs2]:-0}${after[rs3]:-0}" != 000
check "the outage was under 1 s ($gap ms)" test "$gap" -lt 1000

section "300 HTTP requests from cl1 after the fail-over (through dir2)"
out=$(lab_get cl1 -n 300 -t 1000 "$vip:80")
distribution "$out"
check "every request answered" test "$(lab_count "$out" failed)" = 0
check "every real server answered" eval \
	'(($(lab_count "$out" rs1) > 0 && $(lab_count "$out" rs2) > 0 && $(lab_count "$out" rs3) > 0))'

section "ipvsadm -Ln on dir2 after the fail-over (its connections are counted)"
lab_in dir2 ipvsadm -Ln | indent
section "lvsctl status on dir2 after the fail-over"
lvsctl_status dir2 2>&1 | indent

section "stopping lvsd"
for d in dir1 dir2; do
	check "$d: lvsd stops on SIGTERM" lab_stop "lvsd-$d" 30
done
check "dir2: IPVS table kept after lvsd stopped (never flushed)" has_service dir2

section "summary"
say "lvsd on dir1 and dir2 from etc/lvsd-pair-{a,b}.yaml (lab paths), VIP $vip, 3 real servers"
say "before the fail-over: $(distribution "$before")"
say "fail-over (manual, VRRP not implemented yet): outage $gap ms, $failed of ${#lines[@]} requests failed"
say "after the fail-over:  $(distribution "$out")"
if ((nfail == 0)); then
	say "DEMO OK: every check passed"
else
	say "DEMO FAILED: $nfail check(s) failed (lines starting with 'not ok' above)"
	exit 1
fi
