# checkers: the health-check child, linked into lvsd.
noinst_LIBRARIES += checkers/libchk.a
checkers_libchk_a_SOURCES = checkers/chk_main.c checkers/chk.h \
	checkers/chk_resp.c checkers/chk_sched.c checkers/chk_conn.c checkers/chk_tcp.c \
	checkers/chk_http.c checkers/chk_https.c
checkers_libchk_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(CRYPTO_CFLAGS)

# unit tests of the check state machine and the HTTP response parser
check_PROGRAMS += tests/unit/test_chk
TESTS += tests/unit/test_chk
UNIT_TESTS += tests/unit/test_chk
tests_unit_test_chk_SOURCES = tests/unit/test_chk.c checkers/chk_resp.c
tests_unit_test_chk_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_chk_LDADD = lvsd/core/libcore.a $(CRYPTO_LIBS) $(CMOCKA_LIBS)
