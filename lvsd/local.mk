# lvsd: the parent process and what every process role shares.
noinst_LIBRARIES += lvsd/libcore.a
lvsd_libcore_a_SOURCES = lvsd/log.c lvsd/log.h \
	lvsd/ipc.c lvsd/ipc.h lvsd/ipc_ev.c \
	lvsd/child.c lvsd/child.h \
	lvsd/privdrop.c lvsd/privdrop.h
lvsd_libcore_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS)

sbin_PROGRAMS += lvsd/lvsd
lvsd_lvsd_SOURCES = lvsd/main.c lvsd/lvsd.h lvsd/proc.c lvsd/push.c \
	lvsd/control.c lvsd/status.c lvsd/json.c lvsd/json.h \
	lvsd/writer.c lvsd/writer.h
lvsd_lvsd_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS) $(NL_CFLAGS)
# Children are forked from lvsd, so their roles are libraries linked in here.
# libcore comes after the role libraries: they use its IPC and logging.
lvsd_lvsd_LDADD = vrrp/libvrrp.a checkers/libchk.a weight/libwt.a lvsd/libcore.a \
	lvsd/libipvs.a lvsd/libconf.a $(EVENT_LIBS) $(YAML_LIBS) $(NL_LIBS) $(CRYPTO_LIBS) $(NFTNL_LIBS)

# unit tests of the IPC framing
check_PROGRAMS += tests/unit/test_ipc
TESTS += tests/unit/test_ipc
UNIT_TESTS += tests/unit/test_ipc
tests_unit_test_ipc_SOURCES = tests/unit/test_ipc.c
tests_unit_test_ipc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(EVENT_CFLAGS)
tests_unit_test_ipc_LDADD = lvsd/libcore.a $(CMOCKA_LIBS) $(EVENT_LIBS)

# unit tests of the status JSON writer
check_PROGRAMS += tests/unit/test_json
TESTS += tests/unit/test_json
UNIT_TESTS += tests/unit/test_json
tests_unit_test_json_SOURCES = tests/unit/test_json.c lvsd/json.c lvsd/json.h
tests_unit_test_json_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(EVENT_CFLAGS)
tests_unit_test_json_LDADD = $(CMOCKA_LIBS) $(EVENT_LIBS) -lm
