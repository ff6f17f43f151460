# bench: benchmarks run by hand as root (not part of make check); see bench/README.md
EXTRA_DIST += bench/README.md bench/ipvs/run bench/ipvs/case.sh \
	bench/failover/run bench/failover/case.sh bench/failover/report \
	bench/scaleout/run bench/scaleout/case.sh
