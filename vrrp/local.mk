# vrrp: the VRRP child, linked into lvsd (children are forked, not exec'd).
noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = vrrp/vrrp_main.c vrrp/vrrp_pkt.c vrrp/vrrp_pkt.h
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS)
