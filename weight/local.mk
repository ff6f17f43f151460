# weight: the weight child (linked into lvsd) and lvs-agent (its own program).
noinst_LIBRARIES += weight/libwt.a
weight_libwt_a_SOURCES = weight/wt_main.c weight/wt.h weight/wt_gen.c weight/wt_adopt.c weight/wt_recv.c \
	weight/wt_state.c \
	weight/wt_drop.c weight/wt_drop.h \
	weight/wt_round.c weight/pool.h weight/policy.c weight/policy.h \
	weight/policy_math.c weight/policy_math.h weight/policy_paper.c weight/policy_paper.h \
	weight/policy_damped.c weight/policy_damped.h
weight_libwt_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(CRYPTO_CFLAGS)

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

# the report receiver's pieces, unit-tested on their own
weight_libwt_a_SOURCES += weight/wt_ratelimit.c weight/wt_ratelimit.h
check_PROGRAMS += tests/unit/test_wt_ratelimit
TESTS += tests/unit/test_wt_ratelimit
UNIT_TESTS += tests/unit/test_wt_ratelimit
tests_unit_test_wt_ratelimit_SOURCES = tests/unit/test_wt_ratelimit.c weight/wt_ratelimit.c
tests_unit_test_wt_ratelimit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_wt_ratelimit_LDADD = $(CMOCKA_LIBS)

# unit tests of the weight policies (pure: no sockets, no clock)
check_PROGRAMS += tests/unit/test_policy
TESTS += tests/unit/test_policy
UNIT_TESTS += tests/unit/test_policy
tests_unit_test_policy_SOURCES = tests/unit/test_policy.c weight/pool.h weight/policy.c \
	weight/policy.h weight/policy_math.c weight/policy_math.h weight/policy_paper.c \
	weight/policy_paper.h weight/policy_damped.c weight/policy_damped.h
tests_unit_test_policy_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_policy_LDADD = lvsd/core/libcore.a $(CMOCKA_LIBS)

# the weight child's generation and health, without sockets
check_PROGRAMS += tests/unit/test_wt_health
TESTS += tests/unit/test_wt_health
UNIT_TESTS += tests/unit/test_wt_health
tests_unit_test_wt_health_SOURCES = tests/unit/test_wt_health.c
tests_unit_test_wt_health_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_wt_health_LDADD = weight/libwt.a weight/libreport.a lvsd/core/libcore.a \
	$(CMOCKA_LIBS) $(CRYPTO_LIBS) $(EVENT_LIBS)

# unit tests of the receiver: a generation built as the parent's messages
# build it, reports made with the codec and fresh keys, every drop reason
check_PROGRAMS += tests/unit/test_wt_recv
TESTS += tests/unit/test_wt_recv
UNIT_TESTS += tests/unit/test_wt_recv
tests_unit_test_wt_recv_SOURCES = tests/unit/test_wt_recv.c weight/wt_gen.c weight/wt_adopt.c weight/wt_recv.c \
	weight/wt_state.c \
	weight/wt_drop.c \
	weight/wt_round.c weight/wt_ratelimit.c weight/policy.c weight/policy_math.c \
	weight/policy_paper.c weight/policy_damped.c
tests_unit_test_wt_recv_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_wt_recv_LDADD = weight/libreport.a $(CMOCKA_LIBS) $(CRYPTO_LIBS)

# the weight child's state as the parent keeps it, handed back to a
# restarted child: it goes on exactly where the old one was
check_PROGRAMS += tests/unit/test_wt_state
TESTS += tests/unit/test_wt_state
UNIT_TESTS += tests/unit/test_wt_state
tests_unit_test_wt_state_SOURCES = tests/unit/test_wt_state.c
tests_unit_test_wt_state_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_wt_state_LDADD = weight/libwt.a weight/libreport.a lvsd/core/libcore.a \
	$(CMOCKA_LIBS) $(CRYPTO_LIBS) $(EVENT_LIBS)
