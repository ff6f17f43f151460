# lvsd: the parent process.  Its top is supervision and the control
# surface: options, loads and reloads (main.c), the children (proc.c, what
# they are sent: push.c, sockets.c; what they report: results.c), the
# control socket and status (control.c, status.c), reloads on trial
# (confirm.c), the metrics child's snapshots (snapshot.c), the service
# manager's notifications (sdnotify.c) and lvsd -t's warnings (lint.c).
# Each other role is a folder with its own local.mk: state/ (what is kept
# across restarts), writer/ (the IPVS side), announce/ (VIP routes),
# scripts/ (operator scripts), feedback/ (the weight child's feedback),
# drill/ (drills), preview/ (reload --dry-run); and below them core/
# (shared by every process), conf/ (the configuration model) and ipvs/
# (the IPVS adapter).
sbin_PROGRAMS += lvsd/lvsd
lvsd_lvsd_SOURCES = lvsd/main.c lvsd/lvsd.h lvsd/lint.c lvsd/lint.h lvsd/proc.c lvsd/proc.h \
	lvsd/push.c lvsd/push.h lvsd/control.c lvsd/control.h lvsd/status.c lvsd/status.h \
	lvsd/results.c lvsd/results.h lvsd/sockets.c lvsd/sockets.h lvsd/snapshot.c \
	lvsd/snapshot.h lvsd/sdnotify.c lvsd/sdnotify.h lvsd/confirm.c lvsd/confirm.h
lvsd_lvsd_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS) $(NL_CFLAGS)
# main.c compiles in the default configuration path (SYSCONFDIR, from
# AM_CPPFLAGS), and make does not track flags: rebuild it when configure
# writes a new Makefile, as the unit (etc/local.mk) is, so the two agree.
lvsd/lvsd-main.$(OBJEXT): Makefile
# Children are started from the lvsd binary, so their roles are libraries
# linked in here.  The libraries come in the order of their arrows: each
# uses only those after it (libcore: IPC, logging; libconf: the model).
LVSD_PARENT_LIBS = lvsd/state/libstate.a lvsd/announce/libannounce.a lvsd/feedback/libfeedback.a \
	lvsd/preview/libpreview.a \
	lvsd/drill/libdrill.a lvsd/writer/libwriter.a lvsd/scripts/libscripts.a
lvsd_lvsd_LDADD = $(LVSD_PARENT_LIBS) vrrp/libvrrp.a checkers/libchk.a weight/libwt.a \
	metrics/libmetrics.a \
	weight/libreport.a lvsd/core/libcore.a \
	lvsd/ipvs/libipvs.a lvsd/conf/libconf.a $(EVENT_LIBS) $(YAML_LIBS) $(NL_LIBS) \
	$(CRYPTO_LIBS) $(NFTNL_LIBS)

# unit tests of how the parent judges the children's results
check_PROGRAMS += tests/unit/test_results
TESTS += tests/unit/test_results
UNIT_TESTS += tests/unit/test_results
tests_unit_test_results_SOURCES = tests/unit/test_results.c lvsd/results.c lvsd/results.h
tests_unit_test_results_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(YAML_CFLAGS) $(NL_CFLAGS) \
	$(EVENT_CFLAGS)
tests_unit_test_results_LDADD = lvsd/state/libstate.a lvsd/announce/libannounce.a \
	lvsd/feedback/libfeedback.a lvsd/drill/libdrill.a \
	lvsd/writer/libwriter.a lvsd/scripts/libscripts.a vrrp/libvrrp.a weight/libwt.a \
	lvsd/core/libcore.a lvsd/ipvs/libipvs.a lvsd/conf/libconf.a $(NL_LIBS) $(YAML_LIBS) \
	$(EVENT_LIBS) $(CMOCKA_LIBS) $(CRYPTO_LIBS)

# unit tests of the warnings lvsd -t prints about a valid configuration
check_PROGRAMS += tests/unit/test_lint
TESTS += tests/unit/test_lint
UNIT_TESTS += tests/unit/test_lint
tests_unit_test_lint_SOURCES = tests/unit/test_lint.c lvsd/lint.c lvsd/lint.h
tests_unit_test_lint_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_lint_LDADD = lvsd/conf/libconf.a lvsd/core/libcore.a $(YAML_LIBS) $(CMOCKA_LIBS)

# the rooms of the tree and which way their arrows point: includes and calls
dist_check_SCRIPTS += tests/unit/layout.sh
TESTS += tests/unit/layout.sh
UNIT_TESTS += tests/unit/layout.sh
