# tests/netns: lvsd in network namespaces of the host (root; each test skips
# itself otherwise): VRRP between directors, interop with keepalived, the
# strict filter.
# nft-tool drives the strict filter (vrrp/vrrp_nft.c) as the vrrp child does.
check_PROGRAMS += tests/netns/nft-tool
tests_netns_nft_tool_SOURCES = tests/netns/nft-tool.c
tests_netns_nft_tool_CFLAGS = $(AM_CFLAGS) $(NFTNL_CFLAGS)
tests_netns_nft_tool_LDADD = vrrp/libvrrp.a $(NFTNL_LIBS)
# report-forge makes hostile load reports with the codec for reports.sh.
check_PROGRAMS += tests/netns/report-forge
tests_netns_report_forge_SOURCES = tests/netns/report-forge.c
tests_netns_report_forge_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
tests_netns_report_forge_LDADD = weight/libreport.a $(CRYPTO_LIBS)

# route-tool drives the announce routes (lvsd/announce/announce_kernel.c) as lvsd does.
check_PROGRAMS += tests/netns/route-tool
tests_netns_route_tool_SOURCES = tests/netns/route-tool.c lvsd/announce/announce_kernel.c \
	lvsd/announce/announce_kernel.h
tests_netns_route_tool_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS)
tests_netns_route_tool_LDADD = $(NL_LIBS)

NETNS_TESTS = tests/netns/nft.sh tests/netns/checks-late.sh tests/netns/vrrp-pair.sh tests/netns/vrrp-keepalived.sh \
	tests/netns/vrrp-handover.sh tests/netns/vrrp-badinput.sh tests/netns/vrrp-ipv6.sh \
	tests/netns/vrrp-reload.sh tests/netns/vrrp-restart.sh tests/netns/vrrp-stop-alone.sh tests/netns/vrrp-two.sh \
	tests/netns/vrrp-track.sh tests/netns/vrrp-unicast-return.sh \
	tests/netns/checks.sh tests/netns/reports.sh tests/netns/announce.sh \
	tests/netns/weight-restart.sh tests/netns/vrrp-split.sh
dist_check_SCRIPTS += $(NETNS_TESTS)
TESTS += $(NETNS_TESTS)
EXTRA_DIST += tests/netns/lib.sh
# The same filter in the lab, on a kernel without the families it needs
# (the case runs with every other lab case; listed here with its owner).
EXTRA_DIST += tests/lab/cases/vrrp-nft-absent.sh
