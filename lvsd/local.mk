# lvsd: the parent process and what every process role shares.
noinst_LIBRARIES += lvsd/libcore.a
lvsd_libcore_a_SOURCES = lvsd/log.c lvsd/log.h
