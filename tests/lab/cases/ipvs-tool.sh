# ipvs-tool (lvsd's IPVS adapter and table diff, driven by hand) against the
# real IPVS, read back with ipvsadm: info, apply (add, idempotent, edit, owned
# delete), a foreign service untouched, a refusal reported while the rest is
# applied, the sync daemon, and bench-weights' ipvsadm -R output matching what
# the adapter did (a short run: bench/ipvs times the full 10,000 changes).
tool=$LAB_BUILD/lvsd/ipvs-tool
out=$(lab_in dir1 "$tool" info)
lab_log "$out"
lab_check "info" grep -q '^version 1\.2\.1 conn_tab_size [0-9]' <<<"$out"

cat >"$LAB_CASE_DIR/a.yaml" <<END
services:
  - name: web
    address: 192.0.2.100
    port: 80
    scheduler: wrr
    forwarding: tunnel
    real_servers:
      - { address: 198.51.100.11, weight: 3 }
      - { address: 198.51.100.12, weight: 1 }
      - { address: 198.51.100.13, weight: 2 }
  - address: 192.0.2.100
    port: 53
    protocol: udp
    scheduler: rr
    forwarding: dr
    persistence: { timeout: 60s, netmask: 255.255.255.0 }
    real_servers:
      - { address: 198.51.100.13, weight: 2 }
  - fwmark: 7
    scheduler: mh
    real_servers:
      - { address: 198.51.100.11 }
      - { address: 198.51.100.12 }
  - address: 2001:db8::100
    port: 443
    scheduler: sh
    real_servers:
      - { address: "2001:db8:1::11", weight: 5 }
      - { address: "2001:db8:1::12", weight: 4 }
END
lab_in dir1 ipvsadm -A -t 203.0.113.9:25 -s rr
lab_in dir1 ipvsadm -a -t 203.0.113.9:25 -r 198.51.100.99:25 -m -w 9
out=$(lab_in dir1 "$tool" apply "$LAB_CASE_DIR/a.yaml" 2>&1)
lab_is "apply a.yaml" "$out" "applied 12 operations, 0 refused"
list=$(lab_in dir1 ipvsadm -Ln --exact)
lab_log "$list"
norm=$(sed -n -e 's/  */ /g' -e 's/ $//' -e '/^\(TCP\|UDP\|FWM\| ->\)/p' <<<"$list" | grep -v RemoteAddress | sort)
want="FWM 7 mh
 -> 198.51.100.11:0 Tunnel 1 0 0
 -> 198.51.100.11:80 Tunnel 3 0 0
 -> 198.51.100.12:0 Tunnel 1 0 0
 -> 198.51.100.12:80 Tunnel 1 0 0
 -> 198.51.100.13:53 Route 2 0 0
 -> 198.51.100.13:80 Tunnel 2 0 0
 -> 198.51.100.99:25 Masq 9 0 0
 -> [2001:db8:1::11]:443 Tunnel 5 0 0
 -> [2001:db8:1::12]:443 Tunnel 4 0 0
TCP 192.0.2.100:80 wrr
TCP 203.0.113.9:25 rr
TCP [2001:db8::100]:443 sh
UDP 192.0.2.100:53 rr persistent 60 mask 255.255.255.0"
lab_is "ipvsadm -Ln shows the table" "$norm" "$(sort <<<"$want")"
lab_is "apply again: nothing to do" "$(lab_in dir1 "$tool" apply "$LAB_CASE_DIR/a.yaml" 2>&1)" \
	"applied 0 operations, 0 refused"

# b: web weight change, rs .13 removed from web, dns scheduler change, fwmark gone
sed -e 's/198.51.100.12, weight: 1 }/198.51.100.12, weight: 7 }/' \
    -e '/198.51.100.13, weight: 2 }$/{x;s/^/x/;/^x$/{x;d};x}' \
    -e 's/scheduler: rr/scheduler: wlc/' "$LAB_CASE_DIR/a.yaml" |
	awk '/fwmark: 7/{skip=1} /address: 2001:db8::100/{skip=0} !skip' >"$LAB_CASE_DIR/b.yaml"
lab_log "$(cat "$LAB_CASE_DIR/b.yaml")"
out=$(lab_in dir1 "$tool" apply "$LAB_CASE_DIR/b.yaml" "$LAB_CASE_DIR/a.yaml" 2>&1)
lab_is "apply b.yaml over a.yaml: del fwmark, edit svc, edit+del dest" "$out" "applied 4 operations, 0 refused"
list=$(lab_in dir1 ipvsadm -Ln)
lab_log "$list"
lab_check "fwmark service gone" test -z "$(grep FWM <<<"$list")"
lab_check "foreign service untouched" grep -q '198.51.100.99:25 *Masq *9' <<<"$list"
lab_check "weight 7" grep -q '198.51.100.12:80 *Tunnel *7' <<<"$list"
lab_check "wlc" grep -q 'UDP  192.0.2.100:53 wlc' <<<"$list"

# a refusal: a multicast real server; the rest still applied
sed -e 's/198.51.100.11, weight: 3 }/224.0.0.5, weight: 3 }/' -e 's/weight: 7 }/weight: 8 }/' \
	"$LAB_CASE_DIR/b.yaml" >"$LAB_CASE_DIR/c.yaml"
out=$(lab_in dir1 "$tool" apply "$LAB_CASE_DIR/c.yaml" 2>&1)
lab_log "$out"
lab_check "one refusal, named" grep -q 'add dest 224.0.0.5:80 in tcp 192.0.2.100:80: Invalid argument' <<<"$out"
lab_check "rest applied" grep -q 'applied 3 operations, 1 refused' <<<"$out"
lab_check "weight 8" grep -q '198.51.100.12:80 *Tunnel *8' <<<"$(lab_in dir1 ipvsadm -Ln)"

lab_check "sync start" lab_in dir1 "$tool" sync-start master eth0 5
lab_is "sync show" "$(lab_in dir1 "$tool" sync-show)" "master ifname eth0 syncid 5"
lab_check "ipvsadm sees the master sync daemon" \
	grep -q "^master sync daemon (mcast=eth0, syncid=5," <<<"$(lab_in dir1 ipvsadm -L --daemon)"
lab_check "sync stop" lab_in dir1 "$tool" sync-stop master
lab_is "sync gone" "$(lab_in dir1 "$tool" sync-show)" ""
lab_is "ipvsadm sees no sync daemon" "$(lab_in dir1 ipvsadm -L --daemon)" ""

# bench-weights: a table of 1 service x 100 dests, 500 changes both ways
{
	echo "-A -t 192.0.2.200:80 -s wrr"
	for i in $(seq 1 100); do echo "-a -t 192.0.2.200:80 -r 198.51.100.$((i + 100)):80 -i -w 1"; done
} | lab_in dir2 ipvsadm -R
before=$(lab_in dir2 ipvsadm -Sn)
out=$(lab_in dir2 "$tool" bench-weights 500 -o "$LAB_CASE_DIR/changes" 2>&1)
lab_log "$out"
lab_check "bench ran" grep -q '^lvsd: 500 weight changes in .* 0 refused$' <<<"$out"
after=$(lab_in dir2 ipvsadm -Sn)
lab_check "the weights changed" test "$before" != "$after"
lab_is "-o wrote one ipvsadm line per change" "$(grep -c '^-e -t 192.0.2.200:80 -r ' "$LAB_CASE_DIR/changes")" 500
# back to the table before the bench, then the same changes through ipvsadm
lab_in dir2 ipvsadm -C
lab_check "table before the bench restored" lab_in dir2 ipvsadm -R <<<"$before"
lab_is "... and it is the old one" "$(lab_in dir2 ipvsadm -Sn)" "$before"
t0=${EPOCHREALTIME/./}
lab_check "ipvsadm -R takes the same changes" lab_in dir2 ipvsadm -R <"$LAB_CASE_DIR/changes"
t1=${EPOCHREALTIME/./}
lab_log "ipvsadm -R: 500 changes in $(((t1 - t0) / 1000)) ms"
lab_is "and ends with the same table as the adapter" "$(lab_in dir2 ipvsadm -Sn)" "$after"
