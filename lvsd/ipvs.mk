# lvsd/ipvs: the IPVS adapter (generic netlink) and the desired-table diff.
noinst_LIBRARIES += lvsd/libipvs.a
lvsd_libipvs_a_SOURCES = lvsd/ipvs.h lvsd/ipvs_msg.c lvsd/ipvs_nl.c \
	lvsd/ipvs_table.h lvsd/ipvs_table.c lvsd/ipvs_owned.h lvsd/ipvs_owned.c
lvsd_libipvs_a_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS)

# ipvs-tool: info, list, apply FILE.yaml, bench-weights N (lab tests, bench/ipvs)
check_PROGRAMS += lvsd/ipvs-tool
lvsd_ipvs_tool_SOURCES = lvsd/ipvs_tool.c
lvsd_ipvs_tool_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS)
lvsd_ipvs_tool_LDADD = lvsd/libipvs.a lvsd/libconf.a $(NL_LIBS) $(YAML_LIBS)

# unit tests: builders and parsers byte for byte, and the table diff
check_PROGRAMS += tests/unit/test_ipvs_msg tests/unit/test_ipvs_table
TESTS += tests/unit/test_ipvs_msg tests/unit/test_ipvs_table
UNIT_TESTS += tests/unit/test_ipvs_msg tests/unit/test_ipvs_table
tests_unit_test_ipvs_msg_SOURCES = tests/unit/test_ipvs_msg.c
tests_unit_test_ipvs_msg_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_msg_LDADD = lvsd/libipvs.a $(NL_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ipvs_table_SOURCES = tests/unit/test_ipvs_table.c
tests_unit_test_ipvs_table_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_table_LDADD = lvsd/libipvs.a lvsd/libconf.a $(NL_LIBS) $(YAML_LIBS) \
	$(CMOCKA_LIBS)

# unit test of the ownership record
check_PROGRAMS += tests/unit/test_ipvs_owned
TESTS += tests/unit/test_ipvs_owned
UNIT_TESTS += tests/unit/test_ipvs_owned
tests_unit_test_ipvs_owned_SOURCES = tests/unit/test_ipvs_owned.c
tests_unit_test_ipvs_owned_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_owned_LDADD = lvsd/libipvs.a $(NL_LIBS) $(CMOCKA_LIBS)
