# lvsd: the parent process (supervision, control socket, status, the IPVS
# writer and the mapping from the configuration to the IPVS table).  The
# folders below it hold what it is built from: core/ (shared by every
# process), conf/ (the configuration model) and ipvs/ (the IPVS adapter).
sbin_PROGRAMS += lvsd/lvsd
lvsd_lvsd_SOURCES = lvsd/main.c lvsd/lvsd.h lvsd/lint.c lvsd/lint.h lvsd/proc.c lvsd/push.c \
	lvsd/control.c lvsd/status.c lvsd/json.c lvsd/json.h \
	lvsd/writer.c lvsd/writer.h lvsd/writer_int.h lvsd/writer_kernel.c \
	lvsd/writer_dump.c lvsd/effective.c lvsd/effective.h \
	lvsd/table.c lvsd/table.h lvsd/results.c lvsd/sockets.c lvsd/drill.c lvsd/drill.h lvsd/chkscript.c \
	lvsd/script.c lvsd/script.h lvsd/track.c lvsd/track_calc.c lvsd/track.h lvsd/notify.c \
	lvsd/feedback.c lvsd/feedback.h lvsd/quorum.c \
	lvsd/announce.c lvsd/announce.h lvsd/announce_calc.c lvsd/announce_kernel.c
lvsd_lvsd_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS) $(NL_CFLAGS)
# main.c compiles in the default configuration path (SYSCONFDIR, from
# AM_CPPFLAGS), and make does not track flags: rebuild it when configure
# writes a new Makefile, as the unit (etc/local.mk) is, so the two agree.
lvsd/lvsd-main.$(OBJEXT): Makefile
# Children are started from the lvsd binary, so their roles are libraries
# linked in here.  libcore comes after the role libraries: they use its IPC
# and logging.
lvsd_lvsd_LDADD = vrrp/libvrrp.a checkers/libchk.a weight/libwt.a weight/libreport.a \
	lvsd/core/libcore.a \
	lvsd/ipvs/libipvs.a lvsd/conf/libconf.a $(EVENT_LIBS) $(YAML_LIBS) $(NL_LIBS) \
	$(CRYPTO_LIBS) $(NFTNL_LIBS)

# ipvs-tool: info, list, apply FILE.yaml, bench-weights N (lab tests, bench/ipvs)
check_PROGRAMS += lvsd/ipvs-tool
lvsd_ipvs_tool_SOURCES = lvsd/ipvs_tool.c lvsd/table.c lvsd/table.h
lvsd_ipvs_tool_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS)
lvsd_ipvs_tool_LDADD = lvsd/ipvs/libipvs.a lvsd/conf/libconf.a $(NL_LIBS) $(YAML_LIBS)

# unit tests of the configuration -> table mapping and the table diff
check_PROGRAMS += tests/unit/test_ipvs_table
TESTS += tests/unit/test_ipvs_table
UNIT_TESTS += tests/unit/test_ipvs_table
tests_unit_test_ipvs_table_SOURCES = tests/unit/test_ipvs_table.c lvsd/table.c lvsd/table.h
tests_unit_test_ipvs_table_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_table_LDADD = lvsd/ipvs/libipvs.a lvsd/conf/libconf.a $(NL_LIBS) \
	$(YAML_LIBS) $(CMOCKA_LIBS)

# unit tests of the status JSON writer
check_PROGRAMS += tests/unit/test_json
TESTS += tests/unit/test_json
UNIT_TESTS += tests/unit/test_json
tests_unit_test_json_SOURCES = tests/unit/test_json.c lvsd/json.c lvsd/json.h
tests_unit_test_json_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(EVENT_CFLAGS)
tests_unit_test_json_LDADD = $(CMOCKA_LIBS) $(EVENT_LIBS) -lm

# unit tests of how the parent judges the children's results
check_PROGRAMS += tests/unit/test_results
TESTS += tests/unit/test_results
UNIT_TESTS += tests/unit/test_results
tests_unit_test_results_SOURCES = tests/unit/test_results.c lvsd/results.c lvsd/drill.c \
	lvsd/notify.c lvsd/script.c lvsd/feedback.c lvsd/json.c lvsd/quorum.c \
	lvsd/effective.c lvsd/writer.c lvsd/writer_kernel.c lvsd/writer_dump.c lvsd/table.c
tests_unit_test_results_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(YAML_CFLAGS) $(NL_CFLAGS) \
	$(EVENT_CFLAGS)
tests_unit_test_results_LDADD = vrrp/libvrrp.a weight/libwt.a lvsd/core/libcore.a lvsd/ipvs/libipvs.a \
	lvsd/conf/libconf.a $(NL_LIBS) $(YAML_LIBS) $(EVENT_LIBS) $(CMOCKA_LIBS) \
	$(CRYPTO_LIBS)

# unit tests of the warnings lvsd -t prints about a valid configuration
check_PROGRAMS += tests/unit/test_lint
TESTS += tests/unit/test_lint
UNIT_TESTS += tests/unit/test_lint
tests_unit_test_lint_SOURCES = tests/unit/test_lint.c lvsd/lint.c lvsd/lint.h
tests_unit_test_lint_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_lint_LDADD = lvsd/conf/libconf.a lvsd/core/libcore.a $(YAML_LIBS) $(CMOCKA_LIBS)

# unit tests of the effective weights and lvsctl's weight lines (no writer:
# d->ipvs is NULL, so nothing reaches a kernel)
check_PROGRAMS += tests/unit/test_effective
TESTS += tests/unit/test_effective
UNIT_TESTS += tests/unit/test_effective
tests_unit_test_effective_SOURCES = tests/unit/test_effective.c lvsd/effective.c \
	lvsd/effective.h lvsd/writer.c lvsd/writer_kernel.c lvsd/writer_dump.c lvsd/table.c
tests_unit_test_effective_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(EVENT_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_effective_LDADD = lvsd/core/libcore.a lvsd/ipvs/libipvs.a lvsd/conf/libconf.a \
	$(NL_LIBS) $(YAML_LIBS) $(EVENT_LIBS) $(CMOCKA_LIBS)

# unit tests of the script runner's pure pieces and of tracking
check_PROGRAMS += tests/unit/test_track
TESTS += tests/unit/test_track
UNIT_TESTS += tests/unit/test_track
tests_unit_test_track_SOURCES = tests/unit/test_track.c lvsd/script.c lvsd/script.h \
	lvsd/track_calc.c lvsd/track.h
tests_unit_test_track_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS)
tests_unit_test_track_LDADD = lvsd/conf/libconf.a lvsd/core/libcore.a $(YAML_LIBS) \
	$(EVENT_LIBS) $(CMOCKA_LIBS)

# unit tests of the announce judgement (active-active behind ECMP)
check_PROGRAMS += tests/unit/test_announce
TESTS += tests/unit/test_announce
UNIT_TESTS += tests/unit/test_announce
tests_unit_test_announce_SOURCES = tests/unit/test_announce.c lvsd/announce_calc.c lvsd/announce.h
tests_unit_test_announce_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_announce_LDADD = $(CMOCKA_LIBS)
