# doc: manual pages, the operator's drill guide, the pages on draining, on
# the weight policies and on active-active directors behind ECMP, and the
# load report protocol.
dist_man_MANS += doc/lvsd.yaml.5 doc/lvsd.8 doc/lvsctl.8 doc/lvs-agent.8
EXTRA_DIST += doc/drills.md doc/draining.md doc/weights.md doc/report-protocol.md \
	doc/active-active.md
