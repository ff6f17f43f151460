# lvsctl: the command-line client of lvsd's control socket.
sbin_PROGRAMS += lvsctl/lvsctl
lvsctl_lvsctl_SOURCES = lvsctl/lvsctl.c
