# metrics: the metrics child (linked into lvsd): Prometheus text over HTTP
# (evhttp), from snapshots the parent sends; no capability, no
# configuration of its own.
noinst_LIBRARIES += metrics/libmetrics.a
metrics_libmetrics_a_SOURCES = metrics/metrics_main.c metrics/metrics_snap.c \
	metrics/metrics_snap.h metrics/metrics_text.c metrics/metrics_text.h
metrics_libmetrics_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS)

# unit tests of the snapshot's assembly and its text, and the text
# against promtool check metrics (skipped where promtool is missing)
check_PROGRAMS += tests/unit/test_metrics
TESTS += tests/unit/test_metrics
UNIT_TESTS += tests/unit/test_metrics
tests_unit_test_metrics_SOURCES = tests/unit/test_metrics.c
tests_unit_test_metrics_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(EVENT_CFLAGS)
tests_unit_test_metrics_LDADD = metrics/libmetrics.a lvsd/core/libcore.a $(EVENT_LIBS) \
	$(CMOCKA_LIBS)
