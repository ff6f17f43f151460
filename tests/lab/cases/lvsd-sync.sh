# lvsd runs the IPVS connection-sync daemons the configuration asks for, as
# master and backup at once (the director holding the VIP sends, the other
# receives), follows a reload that changes the sync id, stops them when the
# key is removed, and leaves alone a sync daemon it never started.
conf() { # conf SYNC-LINES
	cat >"$LAB_CASE_DIR/lvsd.yaml" <<END
global:
  control_socket: $LAB_CASE_DIR/lvsd.sock
$1
services:
  - address: $LAB_VIP
    port: 80
    real_servers:
      - address: ${LAB_IP[rs1]}
END
}
daemons() { lab_in dir1 ipvsadm -L --daemon; }
has() { daemons | grep -q "^$1 sync daemon (mcast=$2, syncid=$3,"; }

conf "  sync_interface: eth0
  sync_id: 7"
lab_daemon dir1 lvsd lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "master sync daemon on eth0, sync id 7" lab_wait_for 30 has master eth0 7
lab_check "backup sync daemon on eth0, sync id 7" has backup eth0 7
lab_log "$(daemons)"

conf "  sync_interface: eth0
  sync_id: 9"
lab_check "reload" lvsctl -s "$LAB_CASE_DIR/lvsd.sock" reload
lab_check "master follows the new sync id" lab_wait_for 30 has master eth0 9
lab_check "backup follows the new sync id" has backup eth0 9

conf ""
lab_check "reload without sync_interface" lvsctl -s "$LAB_CASE_DIR/lvsd.sock" reload
lab_check "the sync daemons lvsd started are stopped" \
	lab_wait_for 30 eval '[ -z "$(daemons)" ]'
lab_check "lvsd stops" lab_stop lvsd 30

# a sync daemon an operator started by hand is not lvsd's to stop
lab_check "backup sync daemon started by hand" \
	lab_in dir1 ipvsadm --start-daemon backup --mcast-interface eth0 --syncid 3
lab_daemon dir1 lvsd2 lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd programmed its service" \
	lab_wait_for 30 eval 'lab_in dir1 ipvsadm -Ln | grep -q "^TCP  $LAB_VIP:80"'
lab_check "the hand-started daemon is still there" has backup eth0 3
lab_is "no master was started" "$(daemons | grep -c '^master')" 0
