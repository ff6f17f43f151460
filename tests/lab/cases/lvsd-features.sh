# lvsd programs every configuration feature into the kernel exactly as the
# YAML says, read back by an independent reader (ipvsadm -Ln --exact
# --tun-info, --thresholds): TCP wrr tunnel with weights and thresholds, UDP
# with persistence (timeout, netmask), SCTP, fwmark, IPv6 with a /64
# persistence mask, DR, NAT with port mapping; schedulers wrr, rr, wlc, lc, sh,
# mh. A SIGHUP with a changed file (weight, thresholds, an rs removed, a
# service removed, a scheduler changed) gives exactly the new table; services
# added by hand with ipvsadm survive start, reload, stop and restart untouched;
# after SIGTERM the table stays in the kernel.
lab_in dir1 ip addr add "$LAB_VIP/32" dev eth0
lab_in dir1 ip addr add "$LAB_VIP6/128" dev eth0 nodad
sock=$LAB_CASE_DIR/dir1.sock
conf=$LAB_CASE_DIR/lvsd.yaml

# write_conf FILE MODE: the configuration before (a) or after (b) the reload
write_conf() {
	local mail dns_sched=rr rs2w=3 rs1u=100 rs3=
	if [[ $2 == a ]]; then
		rs3='      - { address: 198.51.100.13, weight: 2 }'
		mail='  - name: mail
    address: 192.0.2.100
    port: 25
    scheduler: lc
    forwarding: dr
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: 198.51.100.11 }
      - { address: 198.51.100.13 }'
	else
		dns_sched=wlc rs2w=7 rs1u=150 mail=
	fi
	cat >"$1.tmp" <<END
global:
  control_socket: $sock
  user: lvsd
services:
  - name: web
    address: 192.0.2.100
    port: 80
    scheduler: wrr
    forwarding: tunnel
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: 198.51.100.11, weight: 5, upper_threshold: $rs1u, lower_threshold: 50 }
      - { address: 198.51.100.12, weight: $rs2w, upper_threshold: 40 }
$rs3
  - name: dns
    address: 192.0.2.100
    port: 53
    protocol: udp
    scheduler: $dns_sched
    forwarding: dr
    persistence: { timeout: 120s, netmask: 255.255.255.0 }
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: 198.51.100.12 }
      - { address: 198.51.100.13, weight: 4 }
  - name: sig
    address: 192.0.2.100
    port: 3868
    protocol: sctp
    scheduler: wlc
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: 198.51.100.11, weight: 2 }
  - name: marked
    fwmark: 7
    scheduler: mh
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: 198.51.100.11 }
      - { address: 198.51.100.12, weight: 3 }
  - name: web6
    address: 2001:db8::100
    port: 443
    scheduler: sh
    persistence: { timeout: 30s, netmask: /64 }
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: "2001:db8:1::11", weight: 5 }
      - { address: "2001:db8:1::13", weight: 1 }
$mail
  - name: app
    address: 192.0.2.100
    port: 8080
    scheduler: wrr
    forwarding: nat
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: 198.51.100.11, port: 80, weight: 2 }
      - { address: 198.51.100.12, port: 8081, weight: 1 }
END
	mv "$1.tmp" "$1"
}

# the kernel's table as ipvsadm shows it, trailing blanks dropped
ipvs_list() {
	lab_in dir1 ipvsadm -Ln --exact "$@" | sed 's/ *$//'
}
# the services nobody told lvsd about, as ipvsadm -Sn writes them
foreign() {
	lab_in dir1 ipvsadm -Sn | grep -e '203\.0\.113\.9:25' -e '^-[Aa] -u 192\.0\.2\.100:80 ' -e '^-[Aa] -f 8 '
}

# foreign services: another address, the web VIP and port but UDP, a fwmark
lab_check "foreign services added by hand" lab_in dir1 ipvsadm -R <<END
-A -t 203.0.113.9:25 -s rr
-a -t 203.0.113.9:25 -r 198.51.100.99:25 -m -w 9
-A -u 192.0.2.100:80 -s lc -p 600
-a -u 192.0.2.100:80 -r 198.51.100.13:80 -g -w 6
-A -f 8 -s rr
-a -f 8 -r 198.51.100.12:0 -i -w 2
END
foreign_before=$(foreign)
lab_log "$foreign_before"
lab_is "three foreign services and three destinations" "$(wc -l <<<"$foreign_before")" 6

write_conf "$conf" a
lab_check "lvsd -t accepts the file" lvsd -t -f "$conf"
lab_daemon dir1 lvsd lvsd -n -f "$conf"
lab_check "lvsd applied the configuration" lab_wait_for 30 lab_lvsd_applied lvsd 1
lab_is "lvsd's summary: 21 additions, no refusal" "$(lab_lvsd_last_apply lvsd)" \
	"ipvs: 7 services, 14 destinations; 21 changes, 0 refused"

want_a="IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn
TCP  192.0.2.100:25 lc
  -> 198.51.100.11:25             Route   n/a           1      0          0
  -> 198.51.100.13:25             Route   n/a           1      0          0
TCP  192.0.2.100:80 wrr
  -> 198.51.100.11:80             Tunnel  ipip          5      0          0
  -> 198.51.100.12:80             Tunnel  ipip          3      0          0
  -> 198.51.100.13:80             Tunnel  ipip          2      0          0
TCP  192.0.2.100:8080 wrr
  -> 198.51.100.11:80             Masq    n/a           2      0          0
  -> 198.51.100.12:8081           Masq    n/a           1      0          0
TCP  203.0.113.9:25 rr
  -> 198.51.100.99:25             Masq    n/a           9      0          0
UDP  192.0.2.100:53 rr persistent 120 mask 255.255.255.0
  -> 198.51.100.12:53             Route   n/a           1      0          0
  -> 198.51.100.13:53             Route   n/a           4      0          0
UDP  192.0.2.100:80 lc persistent 600
  -> 198.51.100.13:80             Route   n/a           6      0          0
SCTP 192.0.2.100:3868 wlc
  -> 198.51.100.11:3868           Tunnel  ipip          2      0          0
TCP  [2001:db8::100]:443 sh persistent 30 mask 64
  -> [2001:db8:1::11]:443         Tunnel  ipip          5      0          0
  -> [2001:db8:1::13]:443         Tunnel  ipip          1      0          0
FWM  7 mh
  -> 198.51.100.11:0              Tunnel  ipip          1      0          0
  -> 198.51.100.12:0              Tunnel  ipip          3      0          0
FWM  8 rr
  -> 198.51.100.12:0              Tunnel  ipip          2      0          0"
lab_is "ipvsadm -Ln --exact --tun-info: every service, destination and option" \
	"$(ipvs_list --tun-info)" "$want_a"
thr_a="TCP  192.0.2.100:80 wrr
  -> 198.51.100.11:80             100        50         0          0
  -> 198.51.100.12:80             40         0          0          0
  -> 198.51.100.13:80             0          0          0          0"
lab_is "ipvsadm --thresholds: the web service's upper and lower thresholds" \
	"$(ipvs_list --thresholds | grep -A3 '^TCP  192.0.2.100:80 ')" "$thr_a"
status=$(lab_in dir1 lvsctl -s "$sock" status)
lab_is "lvsctl status: the ipvs line" "$(grep -o 'ipvs: .*' <<<"$status")" \
	"ipvs: 7 of 7 services, 14 of 14 destinations in the kernel; last apply: 21 changes, 0 refused"
lab_is "lvsctl status: the kernel's IPVS version and table size" \
	"$(grep -o 'ipvs kernel: .*' <<<"$status")" "ipvs kernel: version 1.2.1, connection table 4096"
json=$(lab_in dir1 lvsctl -s "$sock" status --json)
# (without last_dump_s: a duration)
lab_is "lvsctl status --json: the ipvs object" \
	"$(grep -o '"ipvs":{[^}]*}' <<<"$json" | sed 's/"last_dump_s":[0-9.e+-]*,//')" \
	'"ipvs":{"available":true,"version":66049,"conn_tab_size":4096,"services":7,"services_accepted":7,"destinations":14,"destinations_accepted":14,"destinations_at_weight":14,"pending":0,"in_flight":0,"applies":1,"last_changes":21,"last_refused":0,"dumps":1,"resyncs":0,"repairs":0,"weight_changes":0}'

# b: web rs2 weight 3 -> 7, rs1 upper threshold 100 -> 150, rs3 removed;
# service mail removed; dns scheduler rr -> wlc
write_conf "$conf" b
lab_check "SIGHUP" lab_kill lvsd HUP
lab_check "lvsd applied the changed file" lab_wait_for 30 lab_lvsd_applied lvsd 2
lab_is "lvsd's summary: 5 changes (service del and edit, dest del and 2 edits)" \
	"$(lab_lvsd_last_apply lvsd)" "ipvs: 6 services, 11 destinations; 5 changes, 0 refused"
want_b="IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn
TCP  192.0.2.100:80 wrr
  -> 198.51.100.11:80             Tunnel  ipip          5      0          0
  -> 198.51.100.12:80             Tunnel  ipip          7      0          0
TCP  192.0.2.100:8080 wrr
  -> 198.51.100.11:80             Masq    n/a           2      0          0
  -> 198.51.100.12:8081           Masq    n/a           1      0          0
TCP  203.0.113.9:25 rr
  -> 198.51.100.99:25             Masq    n/a           9      0          0
UDP  192.0.2.100:53 wlc persistent 120 mask 255.255.255.0
  -> 198.51.100.12:53             Route   n/a           1      0          0
  -> 198.51.100.13:53             Route   n/a           4      0          0
UDP  192.0.2.100:80 lc persistent 600
  -> 198.51.100.13:80             Route   n/a           6      0          0
SCTP 192.0.2.100:3868 wlc
  -> 198.51.100.11:3868           Tunnel  ipip          2      0          0
TCP  [2001:db8::100]:443 sh persistent 30 mask 64
  -> [2001:db8:1::11]:443         Tunnel  ipip          5      0          0
  -> [2001:db8:1::13]:443         Tunnel  ipip          1      0          0
FWM  7 mh
  -> 198.51.100.11:0              Tunnel  ipip          1      0          0
  -> 198.51.100.12:0              Tunnel  ipip          3      0          0
FWM  8 rr
  -> 198.51.100.12:0              Tunnel  ipip          2      0          0"
lab_is "after SIGHUP: exactly the new table" "$(ipvs_list --tun-info)" "$want_b"
thr_b="TCP  192.0.2.100:80 wrr
  -> 198.51.100.11:80             150        50         0          0
  -> 198.51.100.12:80             40         0          0          0"
lab_is "after SIGHUP: the new upper threshold" \
	"$(ipvs_list --thresholds | grep -A2 '^TCP  192.0.2.100:80 ')" "$thr_b"
lab_is "foreign services untouched by start and reload" "$(foreign)" "$foreign_before"

lab_check "lvsd stops on SIGTERM" lab_stop lvsd 30
lab_is "after SIGTERM the table is still in the kernel" "$(ipvs_list --tun-info)" "$want_b"
lab_is "foreign services untouched by stop" "$(foreign)" "$foreign_before"

# a restart with the same file has nothing to do
lab_daemon dir1 lvsd lvsd -n -f "$conf"
lab_check "restarted lvsd applied the file" lab_wait_for 30 lab_lvsd_applied lvsd 1
lab_is "restart: nothing to change" "$(lab_lvsd_last_apply lvsd)" \
	"ipvs: 6 services, 11 destinations; 0 changes, 0 refused"
lab_is "restart: the same table" "$(ipvs_list --tun-info)" "$want_b"
lab_check "restarted lvsd stops on SIGTERM" lab_stop lvsd 30
lab_is "foreign services untouched by the restart" "$(foreign)" "$foreign_before"
