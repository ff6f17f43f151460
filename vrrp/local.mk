# vrrp: the VRRP child, linked into lvsd (which executes itself again as
# "lvsd: vrrp").
noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = vrrp/vrrp.h vrrp/vrrp_main.c vrrp/vrrp_inst.c vrrp/vrrp_sock.c \
	vrrp/vrrp_addr.c vrrp/vrrp_announce.c vrrp/vrrp_link.c \
	vrrp/vrrp_pkt.c vrrp/vrrp_pkt.h vrrp/vrrp_fsm.c vrrp/vrrp_fsm.h \
	vrrp/vrrp_nft.h vrrp/vrrp_nft_msg.c vrrp/vrrp_nft_msg.h vrrp/vrrp_nft.c vrrp/vrrp_strict.c
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(NL_CFLAGS) $(NFTNL_CFLAGS)

# unit tests of the state machine, with a fake clock
check_PROGRAMS += tests/unit/test_vrrp_fsm
TESTS += tests/unit/test_vrrp_fsm
UNIT_TESTS += tests/unit/test_vrrp_fsm
tests_unit_test_vrrp_fsm_SOURCES = tests/unit/test_vrrp_fsm.c vrrp/vrrp_fsm.c vrrp/vrrp_fsm.h
tests_unit_test_vrrp_fsm_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_fsm_LDADD = lvsd/core/libcore.a $(CMOCKA_LIBS)

# unit tests of the advertisement codec, with adverts captured from
# keepalived (tests/unit/vrrp-fixtures.sh regenerates them; not run here)
check_PROGRAMS += tests/unit/test_vrrp_pkt
TESTS += tests/unit/test_vrrp_pkt
UNIT_TESTS += tests/unit/test_vrrp_pkt
tests_unit_test_vrrp_pkt_SOURCES = tests/unit/test_vrrp_pkt.c vrrp/vrrp_pkt.c vrrp/vrrp_pkt.h
tests_unit_test_vrrp_pkt_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_pkt_LDADD = lvsd/core/libcore.a $(CMOCKA_LIBS)
EXTRA_DIST += tests/unit/vrrp-fixtures.sh

# unit tests of the strict filter's nftables batches and answer parser
check_PROGRAMS += tests/unit/test_vrrp_nft_msg
TESTS += tests/unit/test_vrrp_nft_msg
UNIT_TESTS += tests/unit/test_vrrp_nft_msg
tests_unit_test_vrrp_nft_msg_SOURCES = tests/unit/test_vrrp_nft_msg.c
tests_unit_test_vrrp_nft_msg_CFLAGS = $(AM_CFLAGS) $(NFTNL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_nft_msg_LDADD = vrrp/libvrrp.a lvsd/core/libcore.a $(NFTNL_LIBS) $(CMOCKA_LIBS)
