# vrrp: the VRRP child, linked into lvsd (children are forked, not exec'd).
noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = vrrp/vrrp_main.c \
	vrrp/vrrp_nft.h vrrp/vrrp_nft_msg.c vrrp/vrrp_nft.c
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(NFTNL_CFLAGS)

# unit tests of the strict filter's nftables batches and answer parser
check_PROGRAMS += tests/unit/test_vrrp_nft_msg
TESTS += tests/unit/test_vrrp_nft_msg
UNIT_TESTS += tests/unit/test_vrrp_nft_msg
tests_unit_test_vrrp_nft_msg_SOURCES = tests/unit/test_vrrp_nft_msg.c
tests_unit_test_vrrp_nft_msg_CFLAGS = $(AM_CFLAGS) $(NFTNL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_nft_msg_LDADD = vrrp/libvrrp.a $(NFTNL_LIBS) $(CMOCKA_LIBS)
