# ipvsadm -Ln, an independent reader of the kernel's IPVS table, shows what
# was added: TCP, UDP with persistence, fwmark and IPv6 services, tunnel
# destinations with their weights; the other director's table stays empty.
lab_is "dir1 starts with an empty table (fresh directors)" "$(lab_in dir1 ipvsadm -Sn)" ""

lab_check "services added" lab_in dir2 ipvsadm -R <<END
-A -t 192.0.2.100:80 -s wrr
-a -t 192.0.2.100:80 -r 198.51.100.11:80 -i -w 3
-a -t 192.0.2.100:80 -r 198.51.100.12:80 -i -w 1
-A -u 192.0.2.100:53 -s rr -p 60
-a -u 192.0.2.100:53 -r 198.51.100.13:53 -i -w 2
-A -f 7 -s mh
-A -t [2001:db8::100]:443 -s sh
-a -t [2001:db8::100]:443 -r [2001:db8:1::11]:443 -i -w 5
END

list=$(lab_in dir2 ipvsadm -Ln)
lab_log "$list"
# services and destinations with their spacing squeezed, in a stable order
norm=$(sed -n -e 's/  */ /g' -e 's/ $//' -e '/^\(TCP\|UDP\|FWM\| ->\)/p' <<<"$list" | grep -v 'RemoteAddress')
want="TCP 192.0.2.100:80 wrr
 -> 198.51.100.11:80 Tunnel 3 0 0
 -> 198.51.100.12:80 Tunnel 1 0 0
TCP [2001:db8::100]:443 sh
 -> [2001:db8:1::11]:443 Tunnel 5 0 0
UDP 192.0.2.100:53 rr persistent 60
 -> 198.51.100.13:53 Tunnel 2 0 0
FWM 7 mh"
lab_is "ipvsadm -Ln lists every service and destination" "$(sort <<<"$norm")" "$(sort <<<"$want")"
lab_is "dir1's table is still empty" "$(lab_in dir1 ipvsadm -Sn)" ""
lab_check "schedulers load on demand through the modprobe wrapper (ip_vs_sh)" \
	grep -q '^ip_vs_sh ' /proc/modules
