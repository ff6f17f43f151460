# tests/netns: behaviours proven in network namespaces on the host (run as
# root; each test skips itself otherwise).
# nft-tool drives the strict filter (vrrp/vrrp_nft.c) as the vrrp child does.
check_PROGRAMS += tests/netns/nft-tool
tests_netns_nft_tool_SOURCES = tests/netns/nft-tool.c
tests_netns_nft_tool_CFLAGS = $(AM_CFLAGS) $(NFTNL_CFLAGS)
tests_netns_nft_tool_LDADD = vrrp/libvrrp.a $(NFTNL_LIBS)

NETNS_TESTS = tests/netns/nft.sh
dist_check_SCRIPTS += $(NETNS_TESTS)
TESTS += $(NETNS_TESTS)
# The same filter in the lab, on a kernel without the families it needs
# (the case runs with every other lab case; listed here with its owner).
EXTRA_DIST += tests/lab/cases/vrrp-nft-absent.sh
