# doc: manual pages.
dist_man_MANS += doc/lvsd.yaml.5 doc/lvsd.8 doc/lvsctl.8
