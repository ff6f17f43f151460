# tests/netns: lvsd in network namespaces of the host (root; each test skips
# itself otherwise): VRRP between directors, interop with keepalived.
NETNS_TESTS = tests/netns/vrrp-pair.sh tests/netns/vrrp-keepalived.sh
dist_check_SCRIPTS += $(NETNS_TESTS)
TESTS += $(NETNS_TESTS)
EXTRA_DIST += tests/netns/lib.sh
