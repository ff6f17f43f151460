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
