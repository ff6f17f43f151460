# The strict filter (vrrp/vrrp_nft.c) on a kernel without the nftables
# families it needs.  Debian's UML 6.1 refuses tables of every family but
# bridge ("Operation not supported"): vrrp_nft_open tries inet+arp, inet and
# ip6, each as one transaction, and then reports -EAFNOSUPPORT, leaving
# nothing behind; the vrrp child logs that once and goes on unfiltered.
# Should a later lab kernel have ip6 (or more), the tool must install the
# layout it has.  `nft` reads the kernel independently.
tool=$LAB_BUILD/tests/netns/nft-tool
out=$(lab_in dir1 "$tool" open 2>&1)
lab_log "nft-tool open: $out"
if lab_in dir1 nft add table ip6 lvsd-probe 2>/dev/null; then
	lab_in dir1 nft delete table ip6 lvsd-probe
	lab_is "a kernel with ip6 nftables: a layout installed" "${out%% *}" "ok"
	lab_check "... and removed" lab_in dir1 "$tool" open , close-remove
else
	lab_is "no nftables for ip6, ip, inet, arp: open says so clearly" "$out" \
		"error open: nftables filter unavailable: Address family not supported by protocol"
fi
lab_is "no table of ours left behind" "$(lab_in dir1 nft list tables 2>&1 | grep lvsd)" ""
