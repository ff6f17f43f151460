# tests/lab: IPVS on a real kernel, user-mode Linux booted once for all cases
# (see tests/lab/README.md). lab.sh runs every case in tests/lab/cases.
check_PROGRAMS += tests/lab/lab-http tests/lab/lab-paper
tests_lab_lab_http_SOURCES = tests/lab/lab-http.c
# bench/paper's pre-forking web site and load generator (also its smoke case)
tests_lab_lab_paper_SOURCES = tests/lab/lab-paper.c
dist_check_SCRIPTS += tests/lab/lab.sh tests/lab/run-lab tests/lab/guest-init
TESTS += tests/lab/lab.sh
LAB_CASE_FILES = tests/lab/cases/ipvs-list.sh tests/lab/cases/ipvs-tun-wrr.sh \
	tests/lab/cases/ipvs-tun6.sh tests/lab/cases/lab-helpers.sh \
	tests/lab/cases/lvsd-sync.sh tests/lab/cases/lvsd-owned.sh \
	tests/lab/cases/lvsd-large.sh tests/lab/cases/lvsd-tunnels.sh
LAB_CASE_FILES += tests/lab/cases/ipvs-tool.sh tests/lab/cases/lvsd-features.sh \
	tests/lab/cases/lvsd-tun-http.sh tests/lab/cases/lvsd-weight-share.sh \
	tests/lab/cases/lvsd-refusals.sh tests/lab/cases/lvsd-no-flush.sh \
	tests/lab/cases/lvsd-incremental.sh tests/lab/cases/lvsd-ipvs-late.sh
LAB_CASE_FILES += tests/lab/cases/checks-remove-sorry.sh
LAB_CASE_FILES += tests/lab/cases/reload-confirm.sh tests/lab/cases/metrics-prometheus.sh
LAB_CASE_FILES += tests/lab/cases/vrrp-sync-failover.sh tests/lab/cases/vrrp-handover-probes.sh \
	tests/lab/cases/vrrp-restart-ready.sh \
	tests/lab/cases/vrrp-nft-absent.sh tests/lab/cases/vrrp-failback-checks.sh
LAB_CASE_FILES += tests/lab/cases/checks-weight.sh tests/lab/cases/reports-memory.sh \
	tests/lab/cases/paper-smoke.sh
LAB_CASE_FILES += tests/lab/cases/ecmp-three.sh
LAB_CASE_FILES += tests/lab/cases/state-restart.sh
EXTRA_DIST += tests/lab/lib.sh tests/lab/ecmp.sh tests/lab/README.md $(LAB_CASE_FILES)
