# lvsd/announce: VIP routes for active-active directors behind ECMP: the
# pure judgement of a service (announce_calc.c), the kernel adapter
# (announce_kernel.c, rtnetlink) and the policy that ties them to the
# parent's state (announce.c).
noinst_LIBRARIES += lvsd/announce/libannounce.a
lvsd_announce_libannounce_a_SOURCES = lvsd/announce/announce.c lvsd/announce/announce.h \
	lvsd/announce/announce_calc.c lvsd/announce/announce_calc.h \
	lvsd/announce/announce_kernel.c lvsd/announce/announce_kernel.h
lvsd_announce_libannounce_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS) $(NL_CFLAGS)

# unit tests of the announce judgement
check_PROGRAMS += tests/unit/test_announce
TESTS += tests/unit/test_announce
UNIT_TESTS += tests/unit/test_announce
tests_unit_test_announce_SOURCES = tests/unit/test_announce.c lvsd/announce/announce_calc.c \
	lvsd/announce/announce_calc.h
tests_unit_test_announce_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_announce_LDADD = $(CMOCKA_LIBS)
