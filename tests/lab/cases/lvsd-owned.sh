# lvsd remembers across a restart which IPVS services it put in the kernel
# (the ownership record beside its control socket): a service removed from
# the file while lvsd was down is deleted at the next start, a service an
# operator added by hand never is, and a damaged record is reported and
# ignored without touching anything.
sock=$LAB_CASE_DIR/lvsd.sock
record=$LAB_CASE_DIR/lvsd.owned
conf() { # conf PORT...: one tunnel service per port on the VIP
	{
		echo "global:"
		echo "  control_socket: $sock"
		echo "services:"
		for p in "$@"; do
			echo "  - { address: $LAB_VIP, port: $p, real_servers: [{ address: ${LAB_IP[rs1]} }] }"
		done
	} >"$LAB_CASE_DIR/lvsd.yaml"
}
ports() { lab_in dir1 ipvsadm -Ln | sed -n "s/^TCP  $LAB_VIP:\([0-9]*\) .*/\1/p" | sort -n | xargs; }

lab_check "a service added by hand on port 9090" \
	lab_in dir1 ipvsadm -A -t "$LAB_VIP:9090" -s rr
conf 80 8080
lab_daemon dir1 lvsd1 lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd applied its configuration" lab_wait_for 30 lab_lvsd_applied lvsd1 1
lab_is "the kernel has lvsd's two services and the hand-made one" "$(ports)" "80 8080 9090"
lab_is "the record names exactly lvsd's services" "$(grep -v '^#' "$record" | sort | xargs)" \
	"tcp $LAB_VIP 80 tcp $LAB_VIP 8080"
lab_check "lvsd stops" lab_stop lvsd1 30
lab_is "stopping flushed nothing" "$(ports)" "80 8080 9090"

conf 80
lab_daemon dir1 lvsd2 lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd applied the shorter file" lab_wait_for 30 lab_lvsd_applied lvsd2 1
lab_check "it read what the last run owned" \
	grep -q "ipvs: the last run owned 2 services ($record)" "$LAB_CASE_DIR/lvsd2.log"
lab_is "the service removed while lvsd was down is gone; the hand-made one stays" \
	"$(ports)" "80 9090"
lab_is "the record follows" "$(grep -v '^#' "$record" | xargs)" "tcp $LAB_VIP 80"
lab_check "lvsd stops" lab_stop lvsd2 30

printf 'tcp %s 80\nthis is not a key\n' "$LAB_VIP" >"$record"
conf 80 8080
lab_daemon dir1 lvsd3 lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd applied its file despite the damaged record" lab_wait_for 30 lab_lvsd_applied lvsd3 1
lab_check "the damaged record is reported with its line" grep -q \
	"ignoring the ownership record $record: line 2 is not a service key" "$LAB_CASE_DIR/lvsd3.log"
lab_is "nothing else was touched" "$(ports)" "80 8080 9090"
lab_is "the record is written anew" "$(grep -v '^#' "$record" | sort | xargs)" \
	"tcp $LAB_VIP 80 tcp $LAB_VIP 8080"
lab_check "lvsd is running" lab_alive lvsd3
