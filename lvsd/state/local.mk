# lvsd/state: what an operator set and what the directors learnt, kept
# across restarts: the state file (its codec, state_file.c, pure; writing
# it in slices, state_write.c) and the parent's copy of the weight child's
# state, handed back to a restarted child (state.c).  Above announce/,
# feedback/ and drill/, below the top.
noinst_LIBRARIES += lvsd/state/libstate.a
lvsd_state_libstate_a_SOURCES = lvsd/state/state.c lvsd/state/state.h \
	lvsd/state/state_int.h lvsd/state/state_write.c \
	lvsd/state/state_file.c lvsd/state/state_file.h
lvsd_state_libstate_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS) $(NL_CFLAGS)

# unit tests of the state file's codec: round trip, damage, versions
check_PROGRAMS += tests/unit/test_state_file
TESTS += tests/unit/test_state_file
UNIT_TESTS += tests/unit/test_state_file
tests_unit_test_state_file_SOURCES = tests/unit/test_state_file.c lvsd/state/state_file.c \
	lvsd/state/state_file.h
tests_unit_test_state_file_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NL_CFLAGS)
tests_unit_test_state_file_LDADD = $(CMOCKA_LIBS)
