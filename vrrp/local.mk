# vrrp: the VRRP child, linked into lvsd (children are forked, not exec'd).
noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = vrrp/vrrp_main.c \
	vrrp/vrrp_nft.h vrrp/vrrp_nft_msg.c vrrp/vrrp_nft.c
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(NFTNL_CFLAGS)
