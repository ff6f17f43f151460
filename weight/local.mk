# weight: the weight child (linked into lvsd) and lvs-agent (its own program).
noinst_LIBRARIES += weight/libwt.a
weight_libwt_a_SOURCES = weight/wt_main.c weight/policy.c weight/policy.h \
	weight/policy_int.h weight/policy_paper.c weight/policy_damped.c
weight_libwt_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS)

bin_PROGRAMS += weight/lvs-agent
weight_lvs_agent_SOURCES = weight/lvs_agent.c

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
tests_unit_test_policy_SOURCES = tests/unit/test_policy.c weight/policy.c weight/policy.h \
	weight/policy_int.h weight/policy_paper.c weight/policy_damped.c
tests_unit_test_policy_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_policy_LDADD = $(CMOCKA_LIBS)
