# tests/proc: lvsd's process tree, control socket and lvsctl (run as root;
# each test skips itself otherwise).
PROC_TESTS = tests/proc/status.sh tests/proc/restart.sh tests/proc/reload.sh \
	tests/proc/stop.sh tests/proc/lvsctl.sh tests/proc/config-check.sh \
	tests/proc/privdrop.sh tests/proc/daemon.sh tests/proc/startfail.sh \
	tests/proc/control.sh tests/proc/handover.sh tests/proc/lint.sh tests/proc/chkscript.sh \
	tests/proc/metrics.sh tests/proc/sdnotify.sh tests/proc/confirm.sh tests/proc/state.sh
dist_check_SCRIPTS += $(PROC_TESTS)
TESTS += $(PROC_TESTS)
EXTRA_DIST += tests/proc/lib.sh

# lvs-agent: keygen, --print, and reports to a receiver on loopback (no
# root needed); report-recv checks them with the codec as the weight
# child will.
check_PROGRAMS += tests/proc/report-recv
tests_proc_report_recv_SOURCES = tests/proc/report-recv.c
tests_proc_report_recv_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
tests_proc_report_recv_LDADD = weight/libreport.a $(CRYPTO_LIBS)
AGENT_TESTS = tests/proc/agent.sh
dist_check_SCRIPTS += $(AGENT_TESTS)
TESTS += $(AGENT_TESTS)
