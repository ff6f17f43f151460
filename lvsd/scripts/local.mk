# lvsd/scripts: the operator's scripts, run by the parent (never by a child
# that parses network input): the runner (script.c), notify scripts of VRRP
# instances and sync groups (notify.c), quorum hooks (quorum.c), tracked
# scripts and files (track*.c) and health checks of type script
# (chkscript.c).
noinst_LIBRARIES += lvsd/scripts/libscripts.a
lvsd_scripts_libscripts_a_SOURCES = lvsd/scripts/script.c lvsd/scripts/script.h \
	lvsd/scripts/notify.c lvsd/scripts/quorum.c lvsd/scripts/track.c \
	lvsd/scripts/track_calc.c lvsd/scripts/track_calc.h lvsd/scripts/track.h \
	lvsd/scripts/notify.h lvsd/scripts/quorum.h lvsd/scripts/chkscript.c lvsd/scripts/chkscript.h
lvsd_scripts_libscripts_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS)

# unit tests of the script runner's pure pieces and of tracking
check_PROGRAMS += tests/unit/test_track
TESTS += tests/unit/test_track
UNIT_TESTS += tests/unit/test_track
tests_unit_test_track_SOURCES = tests/unit/test_track.c lvsd/scripts/script.c \
	lvsd/scripts/script.h lvsd/scripts/track_calc.c lvsd/scripts/track_calc.h
tests_unit_test_track_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS)
tests_unit_test_track_LDADD = lvsd/conf/libconf.a lvsd/core/libcore.a $(YAML_LIBS) \
	$(EVENT_LIBS) $(CMOCKA_LIBS)
