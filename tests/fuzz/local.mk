# tests/fuzz: libFuzzer targets for the pure decoders (see tests/fuzz/README.md).
# The normal build needs no clang: each target is also linked with replay.c,
# a main() that runs it over saved inputs, and replay.sh runs the seed
# corpora through all of them under `make check` (and the sanitizer run).
# tests/fuzz/run builds the real fuzzers with clang and fuzzes for a while.
FUZZ_REPLAY = tests/fuzz/fuzz_conf tests/fuzz/fuzz_ipc tests/fuzz/fuzz_ipvs \
	tests/fuzz/fuzz_vrrp tests/fuzz/fuzz_report
check_PROGRAMS += $(FUZZ_REPLAY)
tests_fuzz_fuzz_conf_SOURCES = tests/fuzz/fuzz_conf.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
	lvsd/writer/table.c lvsd/writer/table.h
tests_fuzz_fuzz_conf_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(NL_CFLAGS)
tests_fuzz_fuzz_conf_LDADD = lvsd/ipvs/libipvs.a lvsd/conf/libconf.a $(YAML_LIBS) $(NL_LIBS)
tests_fuzz_fuzz_ipc_SOURCES = tests/fuzz/fuzz_ipc.c tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_ipc_LDADD = metrics/libmetrics.a lvsd/core/libcore.a
tests_fuzz_fuzz_ipvs_SOURCES = tests/fuzz/fuzz_ipvs.c tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_ipvs_CFLAGS = $(AM_CFLAGS) $(NL_CFLAGS)
tests_fuzz_fuzz_ipvs_LDADD = lvsd/ipvs/libipvs.a $(NL_LIBS)
tests_fuzz_fuzz_vrrp_SOURCES = tests/fuzz/fuzz_vrrp.c tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_vrrp_LDADD = vrrp/libvrrp.a lvsd/core/libcore.a
tests_fuzz_fuzz_report_SOURCES = tests/fuzz/fuzz_report.c tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_report_LDADD = weight/libreport.a

dist_check_SCRIPTS += tests/fuzz/replay.sh
TESTS += tests/fuzz/replay.sh
UNIT_TESTS += tests/fuzz/replay.sh
# corpus/ and crashes/ are directories: automake copies them whole
EXTRA_DIST += tests/fuzz/run tests/fuzz/README.md tests/fuzz/conf.dict \
	tests/fuzz/corpus tests/fuzz/crashes
