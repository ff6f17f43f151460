# weight: the weight child (linked into lvsd) and lvs-agent (its own program).
noinst_LIBRARIES += weight/libwt.a
weight_libwt_a_SOURCES = weight/wt_main.c
weight_libwt_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS)

bin_PROGRAMS += weight/lvs-agent
weight_lvs_agent_SOURCES = weight/lvs_agent.c
