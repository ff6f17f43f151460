# vrrp: the VRRP child, linked into lvsd (children are forked, not exec'd).
noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = vrrp/vrrp_main.c vrrp/vrrp_pkt.c vrrp/vrrp_pkt.h
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS)

# unit tests of the advertisement codec, with adverts captured from
# keepalived (tests/unit/vrrp-fixtures.sh regenerates them; not run here)
check_PROGRAMS += tests/unit/test_vrrp_pkt
TESTS += tests/unit/test_vrrp_pkt
UNIT_TESTS += tests/unit/test_vrrp_pkt
tests_unit_test_vrrp_pkt_SOURCES = tests/unit/test_vrrp_pkt.c
tests_unit_test_vrrp_pkt_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_pkt_LDADD = vrrp/libvrrp.a $(CMOCKA_LIBS)
EXTRA_DIST += tests/unit/vrrp-fixtures.sh
