# lvsd/drill: drills: the record of VRRP transitions (lvsctl drill report)
# and planned handovers (lvsctl handover).
noinst_LIBRARIES += lvsd/drill/libdrill.a
lvsd_drill_libdrill_a_SOURCES = lvsd/drill/drill.c lvsd/drill/drill.h
lvsd_drill_libdrill_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(YAML_CFLAGS)
