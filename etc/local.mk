# etc: example configurations, installed beside each other in $(sysconfdir)/lvsd.
lvsdconfdir = $(sysconfdir)/lvsd
dist_lvsdconf_DATA = etc/lvsd-pair-a.yaml etc/lvsd-pair-b.yaml etc/lvsd-paper.yaml
EXTRA_DIST += etc/lvsd.service
