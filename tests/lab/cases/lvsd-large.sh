# lvsd programs a large table in one apply and changes all of it in the next:
# 5 IPv6 DR services with 800 real servers each (4,005 operations, the
# smallest requests there are, so each batch is as many as fit in one
# sendmsg), then a reload that changes every weight. Checked by counting what
# ipvsadm lists. Reading 4,000 servers and applying them takes lvsd about
# 10 s in the lab on an idle host, over 30 s beside another lab: the waits
# for the applies have a ceiling only a stuck lvsd reaches.
# lab: timeout=360
sock=$LAB_CASE_DIR/lvsd.sock
conf() { # conf WEIGHT
	local p i
	{
		printf 'global:\n  control_socket: %s\nservices:\n' "$sock"
		for p in 1001 1002 1003 1004 1005; do
			printf '  - address: 2001:db8::100\n    port: %s\n' $p
			printf '    forwarding: dr\n    check: { type: none }\n'
			printf '    weight_policy: static\n    real_servers:\n'
			for ((i = 1; i <= 800; i++)); do
				printf '      - { address: "2001:db8:2::%x", weight: %s }\n' $i "$1"
			done
		done
	} >"$LAB_CASE_DIR/lvsd.yaml"
}
dests() { # dests WEIGHT: how many destinations have that weight
	lab_in dir1 ipvsadm -Ln | awk -v w="$1" '$1 == "->" && $4 == w { n++ } END { print n + 0 }'
}

conf 1
lab_daemon dir1 lvsd lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd applied the table" lab_wait_for 150 lab_lvsd_applied lvsd 1
lab_is "all 4,005 operations accepted" \
	"$(grep -o 'ipvs: 5 services, .*' "$LAB_CASE_DIR/lvsd.log" | tail -1)" \
	"ipvs: 5 services, 4000 destinations; 4005 changes, 0 refused"
lab_is "ipvsadm lists 5 services" "$(lab_in dir1 ipvsadm -Ln | grep -c '^TCP ')" 5
lab_is "ipvsadm lists 4,000 destinations of weight 1" "$(dests 1)" 4000

conf 2
lab_check "reload" lab_in dir1 lvsctl -s "$sock" reload
lab_check "lvsd applied the new weights" lab_wait_for 150 lab_lvsd_applied lvsd 2
lab_is "4,000 weight changes accepted" \
	"$(grep -o 'ipvs: 5 services, .*' "$LAB_CASE_DIR/lvsd.log" | tail -1)" \
	"ipvs: 5 services, 4000 destinations; 4000 changes, 0 refused"
lab_is "ipvsadm lists 4,000 destinations of weight 2" "$(dests 2)" 4000
