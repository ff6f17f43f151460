# doc: manual pages.
dist_man_MANS += doc/lvsd.yaml.5
