# lvsd/writer: the parent's IPVS side.  The writer is the one process that
# changes the kernel's IPVS table (writer*.c); table.c maps the
# configuration to the adapter's table; effective.c keeps the effective
# weight of every real server (health, proposals, overrides, drains, sorry
# servers, quorums) and hands each change to the writer.
noinst_LIBRARIES += lvsd/writer/libwriter.a
lvsd_writer_libwriter_a_SOURCES = lvsd/writer/writer.c lvsd/writer/writer.h \
	lvsd/writer/writer_int.h lvsd/writer/writer_stats.h lvsd/writer/writer_kernel.c lvsd/writer/writer_dump.c \
	lvsd/writer/table.c lvsd/writer/table.h lvsd/writer/effective.c lvsd/writer/effective.h
lvsd_writer_libwriter_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS) $(NL_CFLAGS)

# ipvs-tool: info, list, apply FILE.yaml, bench-weights N (lab tests, bench/ipvs)
check_PROGRAMS += lvsd/ipvs-tool
lvsd_ipvs_tool_SOURCES = lvsd/writer/ipvs_tool.c lvsd/writer/table.c lvsd/writer/table.h
lvsd_ipvs_tool_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS)
lvsd_ipvs_tool_LDADD = lvsd/ipvs/libipvs.a lvsd/conf/libconf.a $(NL_LIBS) $(YAML_LIBS)

# unit tests of the configuration -> table mapping and the table diff
check_PROGRAMS += tests/unit/test_ipvs_table
TESTS += tests/unit/test_ipvs_table
UNIT_TESTS += tests/unit/test_ipvs_table
tests_unit_test_ipvs_table_SOURCES = tests/unit/test_ipvs_table.c lvsd/writer/table.c \
	lvsd/writer/table.h
tests_unit_test_ipvs_table_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_table_LDADD = lvsd/ipvs/libipvs.a lvsd/conf/libconf.a $(NL_LIBS) \
	$(YAML_LIBS) $(CMOCKA_LIBS)

# unit tests of the effective weights and lvsctl's weight lines (no writer:
# d->ipvs is NULL, so nothing reaches a kernel)
check_PROGRAMS += tests/unit/test_effective
TESTS += tests/unit/test_effective
UNIT_TESTS += tests/unit/test_effective
tests_unit_test_effective_SOURCES = tests/unit/test_effective.c
tests_unit_test_effective_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(EVENT_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_effective_LDADD = lvsd/writer/libwriter.a lvsd/core/libcore.a \
	lvsd/ipvs/libipvs.a lvsd/conf/libconf.a $(NL_LIBS) $(YAML_LIBS) $(EVENT_LIBS) $(CMOCKA_LIBS)
