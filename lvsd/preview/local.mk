# lvsd/preview: what a new configuration would change (lvsctl reload
# --dry-run), from the two configurations and the IPVS writer's diff of
# their tables.  Pure; below the top, beside drill/ and feedback/.
noinst_LIBRARIES += lvsd/preview/libpreview.a
lvsd_preview_libpreview_a_SOURCES = lvsd/preview/preview.c lvsd/preview/preview.h \
	lvsd/preview/preview_ipvs.c lvsd/preview/preview_out.c lvsd/preview/preview_int.h
lvsd_preview_libpreview_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(NL_CFLAGS)

check_PROGRAMS += tests/unit/test_preview
TESTS += tests/unit/test_preview
UNIT_TESTS += tests/unit/test_preview
tests_unit_test_preview_SOURCES = tests/unit/test_preview.c
tests_unit_test_preview_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(EVENT_CFLAGS) $(NL_CFLAGS) \
	$(YAML_CFLAGS)
tests_unit_test_preview_LDADD = lvsd/preview/libpreview.a lvsd/writer/libwriter.a \
	lvsd/ipvs/libipvs.a lvsd/conf/libconf.a lvsd/core/libcore.a $(EVENT_LIBS) $(NL_LIBS) \
	$(YAML_LIBS) $(CMOCKA_LIBS)
