# doc: manual pages, the operator's drill guide and the page on draining.
dist_man_MANS += doc/lvsd.yaml.5 doc/lvsd.8 doc/lvsctl.8
EXTRA_DIST += doc/drills.md doc/draining.md
