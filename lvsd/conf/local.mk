# The configuration model and its YAML loader: a self-contained library
# (no logging; errors come back in struct conf_error).  Link it with $(YAML_LIBS).
noinst_LIBRARIES += lvsd/conf/libconf.a
lvsd_conf_libconf_a_SOURCES = lvsd/conf/conf.h lvsd/conf/conf_int.h \
	lvsd/conf/conf_yaml.c lvsd/conf/conf_parse.c lvsd/conf/conf_service.c \
	lvsd/conf/conf_check.c lvsd/conf/conf_dump.c lvsd/conf/conf_util.c \
	lvsd/conf/conf_track.c lvsd/conf/conf_announce.c
lvsd_conf_libconf_a_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)

# unit tests of the loader: broken documents, defaults, the dump round trip
CONF_TESTS = tests/unit/test_conf tests/unit/test_conf_dump
check_PROGRAMS += $(CONF_TESTS)
TESTS += $(CONF_TESTS)
UNIT_TESTS += $(CONF_TESTS)
tests_unit_test_conf_SOURCES = tests/unit/test_conf.c
tests_unit_test_conf_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(YAML_CFLAGS)
tests_unit_test_conf_LDADD = lvsd/conf/libconf.a $(YAML_LIBS) $(CMOCKA_LIBS)
tests_unit_test_conf_dump_SOURCES = tests/unit/test_conf_dump.c
tests_unit_test_conf_dump_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(YAML_CFLAGS)
tests_unit_test_conf_dump_LDADD = lvsd/conf/libconf.a $(YAML_LIBS) $(CMOCKA_LIBS)
