# doc: manual pages and the operator's drill guide.
dist_man_MANS += doc/lvsd.yaml.5 doc/lvsd.8 doc/lvsctl.8
EXTRA_DIST += doc/drills.md
