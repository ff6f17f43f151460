# lvsd/ipvs: the IPVS adapter (generic netlink builders, parsers, the
# socket), its own table type, the table diff and the ownership record.
# It knows nothing of the configuration (lvsd/writer/table.c maps one to a table).
noinst_LIBRARIES += lvsd/ipvs/libipvs.a
lvsd_ipvs_libipvs_a_SOURCES = lvsd/ipvs/ipvs.h lvsd/ipvs/ipvs_msg.c lvsd/ipvs/ipvs_batch.c lvsd/ipvs/ipvs_nl.c \
	lvsd/ipvs/ipvs_table.h lvsd/ipvs/ipvs_table.c lvsd/ipvs/ipvs_index.h \
	lvsd/ipvs/ipvs_index.c lvsd/ipvs/ipvs_owned.h lvsd/ipvs/ipvs_owned.c
lvsd_ipvs_libipvs_a_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS)

# unit tests: builders and parsers byte for byte, the ownership record
check_PROGRAMS += tests/unit/test_ipvs_msg tests/unit/test_ipvs_owned
TESTS += tests/unit/test_ipvs_msg tests/unit/test_ipvs_owned
UNIT_TESTS += tests/unit/test_ipvs_msg tests/unit/test_ipvs_owned
tests_unit_test_ipvs_msg_SOURCES = tests/unit/test_ipvs_msg.c
tests_unit_test_ipvs_msg_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_msg_LDADD = lvsd/ipvs/libipvs.a $(NL_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ipvs_owned_SOURCES = tests/unit/test_ipvs_owned.c
tests_unit_test_ipvs_owned_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_owned_LDADD = lvsd/ipvs/libipvs.a $(NL_LIBS) $(CMOCKA_LIBS)

# unit tests of the hashed lookups
check_PROGRAMS += tests/unit/test_ipvs_index
TESTS += tests/unit/test_ipvs_index
UNIT_TESTS += tests/unit/test_ipvs_index
tests_unit_test_ipvs_index_SOURCES = tests/unit/test_ipvs_index.c
tests_unit_test_ipvs_index_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_index_LDADD = lvsd/ipvs/libipvs.a $(NL_LIBS) $(CMOCKA_LIBS)

# unit tests of the batch builder and the ack parser
check_PROGRAMS += tests/unit/test_ipvs_batch
TESTS += tests/unit/test_ipvs_batch
UNIT_TESTS += tests/unit/test_ipvs_batch
tests_unit_test_ipvs_batch_SOURCES = tests/unit/test_ipvs_batch.c
tests_unit_test_ipvs_batch_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipvs_batch_LDADD = lvsd/ipvs/libipvs.a $(NL_LIBS) $(CMOCKA_LIBS)
