# doc: manual pages, the operator's drill guide and the pages on draining
# and on the weight policies.
dist_man_MANS += doc/lvsd.yaml.5 doc/lvsd.8 doc/lvsctl.8
EXTRA_DIST += doc/drills.md doc/draining.md doc/weights.md
