# weight: the weight child (linked into lvsd) and lvs-agent (its own program).
noinst_LIBRARIES += weight/libwt.a
weight_libwt_a_SOURCES = weight/wt_main.c
weight_libwt_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS)

# The load report codec (pure: report.c) and its signatures (report_sig.c,
# OpenSSL), shared by lvs-agent and the weight child's receiver.
noinst_LIBRARIES += weight/libreport.a
weight_libreport_a_SOURCES = weight/report.c weight/report.h \
	weight/report_sig.c weight/report_sig.h
weight_libreport_a_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)

bin_PROGRAMS += weight/lvs-agent
weight_lvs_agent_SOURCES = weight/lvs_agent.c weight/agent.h weight/agent_addr.c \
	weight/agent_key.c weight/agent_run.c weight/agent_print.c \
	weight/agent_sample.c weight/agent_sample.h
weight_lvs_agent_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(CRYPTO_CFLAGS)
weight_lvs_agent_LDADD = weight/libreport.a lvsd/core/libcore.a $(EVENT_LIBS) $(CRYPTO_LIBS)

# unit tests of the report codec, its signatures and freshness, against
# fixtures written from doc/report-protocol.md
check_PROGRAMS += tests/unit/test_report
TESTS += tests/unit/test_report
UNIT_TESTS += tests/unit/test_report
tests_unit_test_report_SOURCES = tests/unit/test_report.c
tests_unit_test_report_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_report_LDADD = weight/libreport.a $(CMOCKA_LIBS) $(CRYPTO_LIBS)

# unit tests of lvs-agent's sampler, on /proc and cgroup fixture files
check_PROGRAMS += tests/unit/test_agent_sample
TESTS += tests/unit/test_agent_sample
UNIT_TESTS += tests/unit/test_agent_sample
tests_unit_test_agent_sample_SOURCES = tests/unit/test_agent_sample.c weight/agent_sample.c \
	weight/agent_sample.h
tests_unit_test_agent_sample_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_agent_sample_LDADD = weight/libreport.a $(CMOCKA_LIBS)
EXTRA_DIST += tests/unit/agent-fixtures
