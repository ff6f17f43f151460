# bench: benchmarks run by hand as root (not part of make check); see bench/README.md
EXTRA_DIST += bench/README.md bench/ipvs/run bench/ipvs/case.sh \
	bench/failover/run bench/failover/case.sh bench/failover/report \
	bench/checkers/run bench/checkers/case.sh
# the targets of bench/checkers: many real servers in one process
check_PROGRAMS += bench/checkers/chk-target
bench_checkers_chk_target_SOURCES = bench/checkers/chk-target.c
