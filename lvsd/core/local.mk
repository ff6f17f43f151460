# lvsd/core: what every process role shares (IPC framing and codec, logging,
# privilege drop, the child side of the parent <-> child protocol, the
# vocabulary of reason codes and states the children report (names.h), the
# rise and fall of a check (chk_fsm.c), the JSON writer of status replies).
noinst_LIBRARIES += lvsd/core/libcore.a
lvsd_core_libcore_a_SOURCES = lvsd/core/log.c lvsd/core/log.h \
	lvsd/core/ipc.c lvsd/core/ipc.h lvsd/core/ipc_ev.c \
	lvsd/core/child.c lvsd/core/child.h \
	lvsd/core/privdrop.c lvsd/core/privdrop.h \
	lvsd/core/json.c lvsd/core/json.h lvsd/core/keyfile.c lvsd/core/keyfile.h \
	lvsd/core/names.c lvsd/core/names.h lvsd/core/chk_fsm.c lvsd/core/chk_fsm.h \
	lvsd/core/clock.h lvsd/core/nlerr.h
lvsd_core_libcore_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS)

# unit tests of the IPC framing
check_PROGRAMS += tests/unit/test_ipc
TESTS += tests/unit/test_ipc
UNIT_TESTS += tests/unit/test_ipc
tests_unit_test_ipc_SOURCES = tests/unit/test_ipc.c
tests_unit_test_ipc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(EVENT_CFLAGS)
tests_unit_test_ipc_LDADD = lvsd/core/libcore.a $(CMOCKA_LIBS) $(EVENT_LIBS)

# unit tests of the status JSON writer
check_PROGRAMS += tests/unit/test_json
TESTS += tests/unit/test_json
UNIT_TESTS += tests/unit/test_json
tests_unit_test_json_SOURCES = tests/unit/test_json.c lvsd/core/json.c lvsd/core/json.h
tests_unit_test_json_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(EVENT_CFLAGS)
tests_unit_test_json_LDADD = $(CMOCKA_LIBS) $(EVENT_LIBS) -lm
