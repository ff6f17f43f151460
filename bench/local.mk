# bench: benchmarks run by hand as root (not part of make check); see bench/README.md
EXTRA_DIST += bench/README.md bench/ipvs/run bench/ipvs/case.sh \
	bench/failover/run bench/failover/case.sh bench/failover/report \
	bench/checkers/run bench/checkers/case.sh bench/checkers/report \
	bench/paper/run bench/paper/case.sh bench/paper/report \
	bench/scaleout/run bench/scaleout/case.sh

# report-bench: bench/reports/run's helper (keys, raw verify rate, the sender)
check_PROGRAMS += bench/reports/report-bench
bench_reports_report_bench_SOURCES = bench/reports/report-bench.c
bench_reports_report_bench_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
bench_reports_report_bench_LDADD = weight/libreport.a $(CRYPTO_LIBS)
EXTRA_DIST += bench/reports/run
# the targets of bench/checkers: many real servers in one process
check_PROGRAMS += bench/checkers/chk-target
bench_checkers_chk_target_SOURCES = bench/checkers/chk-target.c
# state-bench: bench/state/run's helper (the parent's state file at scale)
check_PROGRAMS += bench/state/state-bench
bench_state_state_bench_SOURCES = bench/state/state-bench.c
bench_state_state_bench_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS) $(NL_CFLAGS)
bench_state_state_bench_LDADD = lvsd/state/libstate.a lvsd/announce/libannounce.a \
	lvsd/writer/libwriter.a lvsd/scripts/libscripts.a lvsd/core/libcore.a \
	lvsd/ipvs/libipvs.a lvsd/conf/libconf.a $(NL_LIBS) $(YAML_LIBS) $(EVENT_LIBS)
EXTRA_DIST += bench/state/run
