# vrrp: the VRRP child, linked into lvsd (children are forked, not exec'd).
noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = vrrp/vrrp_main.c
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS)
vrrp_libvrrp_a_SOURCES += vrrp/vrrp_fsm.c vrrp/vrrp_fsm.h

# unit tests of the state machine, with a fake clock
check_PROGRAMS += tests/unit/test_vrrp_fsm
TESTS += tests/unit/test_vrrp_fsm
UNIT_TESTS += tests/unit/test_vrrp_fsm
tests_unit_test_vrrp_fsm_SOURCES = tests/unit/test_vrrp_fsm.c vrrp/vrrp_fsm.c vrrp/vrrp_fsm.h
tests_unit_test_vrrp_fsm_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vrrp_fsm_LDADD = $(CMOCKA_LIBS)
