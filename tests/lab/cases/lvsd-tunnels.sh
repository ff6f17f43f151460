# The tunnel encapsulations reach the kernel as configured: ipip, gre with
# checksums, gue with its port and remote checksum offload, as ipvsadm
# --tun-info shows them (its notation: +c checksum, r+c remote checksum).
sock=$LAB_CASE_DIR/lvsd.sock
cat >"$LAB_CASE_DIR/lvsd.yaml" <<END
global:
  control_socket: $sock
services:
  - { address: $LAB_VIP, port: 80, tunnel_type: ipip,
      real_servers: [{ address: ${LAB_IP[rs1]} }] }
  - { address: $LAB_VIP, port: 81, tunnel_type: gre, tunnel_checksum: csum,
      real_servers: [{ address: ${LAB_IP[rs2]} }] }
  - { address: $LAB_VIP, port: 82, tunnel_type: gue, tunnel_port: 6080,
      tunnel_checksum: remcsum, real_servers: [{ address: ${LAB_IP[rs3]} }] }
END
lab_check "lvsd -t accepts the file" lab_in dir1 lvsd -t -f "$LAB_CASE_DIR/lvsd.yaml"
lab_daemon dir1 lvsd lvsd -n -f "$LAB_CASE_DIR/lvsd.yaml"
lab_check "lvsd applied it" lab_wait_for 30 \
	grep -q 'ipvs: 3 services, 3 destinations; 6 changes, 0 refused' "$LAB_CASE_DIR/lvsd.log"
lab_is "ipvsadm --tun-info shows each encapsulation" \
	"$(lab_in dir1 ipvsadm -Ln --tun-info | grep -- '->' | sed 1d | awk '{ print $1, $2, $3, $4, $5, $6 }')" \
	"-> ${LAB_IP[rs1]}:80 Tunnel ipip 1 0
-> ${LAB_IP[rs2]}:81 Tunnel gre:+c 1 0
-> ${LAB_IP[rs3]}:82 Tunnel gue:6080:r+c 1 0"
