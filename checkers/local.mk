# checkers: the health-check child, linked into lvsd.
noinst_LIBRARIES += checkers/libchk.a
checkers_libchk_a_SOURCES = checkers/chk_main.c
checkers_libchk_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS)
