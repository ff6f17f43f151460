# etc: example configurations, installed beside each other in $(sysconfdir)/lvsd;
# the systemd units (lvsd on directors, lvs-agent on real servers) and the
# sysusers.d file for the user lvsd.
lvsdconfdir = $(sysconfdir)/lvsd
dist_lvsdconf_DATA = etc/lvsd-pair-a.yaml etc/lvsd-pair-b.yaml etc/lvsd-paper.yaml \
	etc/lvsd-ecmp.yaml etc/bird-ecmp-director.conf etc/bird-ecmp-router.conf
EXTRA_DIST += etc/lvsd.service.in etc/lvsd.sysusers etc/lvs-agent.service.in

# The unit names the installed binary and configuration: made at make time,
# when $(sbindir) and $(sysconfdir) are expanded (configure would leave
# ${prefix} in them).
if HAVE_SYSTEMDUNITDIR
systemdsystemunit_DATA = etc/lvsd.service etc/lvs-agent.service
endif
# installed as $(sysusersdir)/lvsd.conf
if HAVE_SYSUSERSDIR
sysusers_DATA = etc/sysusers.d/lvsd.conf
endif
CLEANFILES += etc/lvsd.service etc/lvs-agent.service etc/sysusers.d/lvsd.conf

etc/lvsd.service: $(srcdir)/etc/lvsd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/etc/lvsd.service.in >$@.tmp && mv $@.tmp $@

etc/lvs-agent.service: $(srcdir)/etc/lvs-agent.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc && \
	sed -e 's|@bindir[@]|$(bindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/etc/lvs-agent.service.in >$@.tmp && mv $@.tmp $@

etc/sysusers.d/lvsd.conf: $(srcdir)/etc/lvsd.sysusers
	$(AM_V_GEN)$(MKDIR_P) etc/sysusers.d && cp $(srcdir)/etc/lvsd.sysusers $@

# Prometheus alerts (with their unit tests) and a Grafana dashboard on
# lvsd's metrics: installed in $(pkgdatadir) for the monitoring hosts.
dist_pkgdata_DATA = etc/prometheus/lvsd.rules.yml etc/prometheus/lvsd.rules.test.yml \
	etc/grafana/lvsd-dashboard.json
dist_check_SCRIPTS += tests/unit/prometheus.sh
TESTS += tests/unit/prometheus.sh
UNIT_TESTS += tests/unit/prometheus.sh
