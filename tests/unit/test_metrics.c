/* The metrics child's pure parts: a snapshot gathered from its frames (in
 * order, counted, or refused whole), and its Prometheus text; the text is
 * also handed to promtool check metrics when promtool is installed. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/buffer.h>

#include "lvsd/core/ipc.h"
#include "lvsd/core/names.h"
#include "metrics/metrics_snap.h"
#include "metrics/metrics_text.h"

static uint64_t bufspace[IPC_FRAME_MAX / 8]; /* 8-aligned, like a channel's */

/* Encode then decode, as the channel would deliver it. */
static int
frame(uint32_t type, const void *payload, size_t len, struct ipc_msg *m)
{
	int n = ipc_encode(type, payload, len, bufspace, sizeof(bufspace));

	if (n < 0)
		return n;
	return ipc_decode(bufspace, (size_t)n, m);
}

static int
feed(struct metrics_snap *s, uint32_t type, const void *payload, size_t len)
{
	struct ipc_msg m;
	int r = frame(type, payload, len, &m);

	return r < 0 ? r : metrics_snap_frame(s, &m);
}

static void
head(struct ipc_snap_begin *h, uint32_t n_vrrp, uint32_t n_svc, uint32_t n_rs)
{
	memset(h, 0, sizeof(*h));
	h->cookie = 42;
	h->n_vrrp = n_vrrp;
	h->n_svc = n_svc;
	h->n_rs = n_rs;
	ipc_strset(h->director, sizeof(h->director), "dir\"1");
	ipc_strset(h->version, sizeof(h->version), "0.1");
	h->generation = 3;
	h->reloads = 2;
	h->ready = 1;
	h->ipvs_available = 1;
	h->ipvs_batches = 7;
	h->ipvs_refused = 1;
	h->ipvs_repairs = 4;
	h->reports_accepted = 100;
	h->reports_dropped[WT_DROP_SIGNATURE] = 5;
	h->n_procs = 2;
	ipc_strset(h->procs[0].name, sizeof(h->procs[0].name), "parent");
	h->procs[0].up = 1;
	h->procs[0].lag_known = 1;
	h->procs[0].lag_max_us = 12000;
	ipc_strset(h->procs[1].name, sizeof(h->procs[1].name), "vrrp");
	h->procs[1].restarts = 2;
}

/* A whole snapshot: one instance, two services, three servers. */
static int
feed_all(struct metrics_snap *s)
{
	struct ipc_snap_begin h;
	struct {
		struct ipc_snap_vrrps m;
		struct ipc_snap_vrrp v[1];
	} v;
	struct {
		struct ipc_snap_svcs m;
		struct ipc_snap_svc s[2];
	} sv;
	struct {
		struct ipc_snap_rss m;
		struct ipc_snap_rs rs[3];
	} r;
	struct ipc_snap_end e = {.cookie = 42};
	int rc;

	head(&h, 1, 2, 3);
	memset(&v, 0, sizeof(v));
	v.m.n = 1;
	ipc_strset(v.v[0].name, IPC_NAME_MAX, "vi_1");
	ipc_strset(v.v[0].interface, IPC_NAME_MAX, "eth0");
	v.v[0].known = 1;
	v.v[0].state = IPC_VRRP_MASTER;
	v.v[0].priority = 150;
	v.v[0].adverts_sent = 9;
	v.v[0].drops[VRRP_DROP_TTL] = 3;
	memset(&sv, 0, sizeof(sv));
	sv.m.n = 2;
	ipc_strset(sv.s[0].name, IPC_NAME_MAX, "web");
	ipc_strset(sv.s[1].name, IPC_NAME_MAX, "dns \\ udp");
	sv.s[1].has_quorum = 1;
	sv.s[1].quorum = 2;
	memset(&r, 0, sizeof(r));
	r.m.n = 3;
	for (int i = 0; i < 3; i++) {
		r.rs[i].svc = i < 2 ? 0 : 1;
		snprintf(r.rs[i].server, IPC_SNAP_TEXT, "198.51.100.%d:80", 11 + i);
		r.rs[i].weight_configured = 10;
		r.rs[i].report_age_ms = UINT32_MAX;
	}
	r.rs[0].health = IPC_HEALTH_UP;
	r.rs[0].has_feedback = 1;
	r.rs[0].fb_state = WT_FB_TRUSTED;
	r.rs[0].has_report = 1;
	r.rs[0].report_age_ms = 1500;
	r.rs[0].weight_feedback = 2000;
	r.rs[0].weight_effective = 2000;
	r.rs[1].health = IPC_HEALTH_DOWN;
	r.rs[1].check_reason = CHK_R_REFUSED;
	if ((rc = feed(s, IPC_SNAP_BEGIN, &h, sizeof(h))) != 0 ||
	    (rc = feed(s, IPC_SNAP_VRRP, &v, sizeof(v))) != 0 ||
	    (rc = feed(s, IPC_SNAP_SVC, &sv, sizeof(sv))) != 0 ||
	    (rc = feed(s, IPC_SNAP_RS, &r, sizeof(r))) != 0)
		return rc;
	return feed(s, IPC_SNAP_END, &e, sizeof(e));
}

static char *
render(const struct metrics_snap *s)
{
	struct evbuffer *b = evbuffer_new();
	size_t n;
	char *t;

	assert_non_null(b);
	assert_int_equal(metrics_text(s, b), 0);
	n = evbuffer_get_length(b);
	t = malloc(n + 1);
	assert_non_null(t);
	evbuffer_remove(b, t, n);
	t[n] = '\0';
	evbuffer_free(b);
	return t;
}

static void
test_snapshot_whole(void **state)
{
	struct metrics_snap s = {0};

	assert_int_equal(feed_all(&s), 1);
	assert_true(s.complete);
	assert_int_equal(s.n_vrrp, 1);
	assert_int_equal(s.n_svc, 2);
	assert_int_equal(s.n_rs, 3);
	assert_string_equal(s.rs[2].server, "198.51.100.13:80");
	metrics_snap_clear(&s);
}

static void
test_snapshot_refused(void **state)
{
	struct metrics_snap s = {0};
	struct ipc_snap_begin h;
	struct ipc_snap_end e = {.cookie = 42};
	struct {
		struct ipc_snap_rss m;
		struct ipc_snap_rs rs[2];
	} r;
	struct {
		struct ipc_snap_svcs m;
		struct ipc_snap_svc s[1];
	} sv;

	/* no BEGIN first */
	assert_int_equal(feed(&s, IPC_SNAP_END, &e, sizeof(e)), -EBADMSG);
	/* counts no snapshot may announce: refused before anything is sized */
	head(&h, METRICS_SNAP_MAX_VRRP + 1, 0, 0);
	assert_int_equal(feed(&s, IPC_SNAP_BEGIN, &h, sizeof(h)), -EBADMSG);
	head(&h, 0, METRICS_SNAP_MAX_SVC + 1, 0);
	assert_int_equal(feed(&s, IPC_SNAP_BEGIN, &h, sizeof(h)), -EBADMSG);
	head(&h, 0, 0, METRICS_SNAP_MAX_RS + 1);
	assert_int_equal(feed(&s, IPC_SNAP_BEGIN, &h, sizeof(h)), -EBADMSG);
	head(&h, UINT32_MAX, UINT32_MAX, 0);
	assert_int_equal(feed(&s, IPC_SNAP_BEGIN, &h, sizeof(h)), -EBADMSG);
	/* an END before every element came */
	head(&h, 0, 1, 0);
	assert_int_equal(feed(&s, IPC_SNAP_BEGIN, &h, sizeof(h)), 0);
	assert_int_equal(feed(&s, IPC_SNAP_END, &e, sizeof(e)), -EBADMSG);
	assert_false(s.complete);
	/* more real servers than announced, and one naming a service not sent */
	memset(&r, 0, sizeof(r));
	r.m.n = 2;
	head(&h, 0, 0, 1);
	assert_int_equal(feed(&s, IPC_SNAP_BEGIN, &h, sizeof(h)), 0);
	assert_int_equal(feed(&s, IPC_SNAP_RS, &r, sizeof(r)), -EBADMSG);
	head(&h, 0, 0, 2);
	assert_int_equal(feed(&s, IPC_SNAP_BEGIN, &h, sizeof(h)), 0);
	assert_int_equal(feed(&s, IPC_SNAP_RS, &r, sizeof(r)), -EBADMSG);
	/* services after real servers: out of order */
	memset(&sv, 0, sizeof(sv));
	sv.m.n = 1;
	head(&h, 0, 1, 2);
	assert_int_equal(feed(&s, IPC_SNAP_BEGIN, &h, sizeof(h)), 0);
	assert_int_equal(feed(&s, IPC_SNAP_SVC, &sv, sizeof(sv)), 0);
	assert_int_equal(feed(&s, IPC_SNAP_RS, &r, sizeof(r)), 0);
	assert_int_equal(feed(&s, IPC_SNAP_SVC, &sv, sizeof(sv)), -EBADMSG);
	/* another cookie at the end */
	head(&h, 0, 0, 0);
	e.cookie = 7;
	assert_int_equal(feed(&s, IPC_SNAP_BEGIN, &h, sizeof(h)), 0);
	assert_int_equal(feed(&s, IPC_SNAP_END, &e, sizeof(e)), -EBADMSG);
	/* a count beyond the cap */
	head(&h, 0, 0, METRICS_SNAP_MAX_RS + 1);
	assert_int_equal(feed(&s, IPC_SNAP_BEGIN, &h, sizeof(h)), -EBADMSG);
	metrics_snap_clear(&s);
}

/* The frames' sizes are checked by the codec: a count that disagrees with
 * the payload never reaches the snapshot. */
static void
test_snapshot_sizes(void **state)
{
	struct {
		struct ipc_snap_rss m;
		struct ipc_snap_rs rs[1];
	} r;
	struct ipc_msg m;

	memset(&r, 0, sizeof(r));
	r.m.n = 2;
	assert_int_equal(frame(IPC_SNAP_RS, &r, sizeof(r), &m), -EBADMSG);
	assert_int_equal(frame(IPC_SNAP_BEGIN, &r, 8, &m), -EBADMSG);
}

static void
test_text(void **state)
{
	struct metrics_snap s = {0};
	char *t;

	assert_int_equal(feed_all(&s), 1);
	t = render(&s);
	assert_non_null(strstr(t, "lvsd_build_info{version=\"0.1\",director=\"dir\\\"1\"} 1\n"));
	assert_non_null(strstr(t, "lvsd_vrrp_state{vrrp_instance=\"vi_1\",state=\"master\"} 1\n"));
	assert_non_null(strstr(t, "lvsd_vrrp_state{vrrp_instance=\"vi_1\",state=\"backup\"} 0\n"));
	assert_non_null(strstr(
	    t, "lvsd_vrrp_adverts_dropped_total{vrrp_instance=\"vi_1\",reason=\"ttl\"} 3\n"));
	assert_non_null(strstr(t, "# TYPE lvsd_vrrp_adverts_sent_total counter\n"));
	assert_non_null(strstr(t, "lvsd_ipvs_batches_total 7\n"));
	assert_non_null(strstr(t, "lvsd_ipvs_resync_repairs_total 4\n"));
	assert_non_null(strstr(t, "lvsd_reports_dropped_total{reason=\"signature\"} 5\n"));
	assert_non_null(strstr(t, "lvsd_process_restarts_total{process=\"vrrp\"} 2\n"));
	assert_non_null(strstr(t, "lvsd_process_loop_lag_max_seconds{process=\"parent\"} 0.012\n"));
	/* a process that does not measure its lag has no lag series */
	assert_null(strstr(t, "lvsd_process_loop_lag_max_seconds{process=\"vrrp\"}"));
	assert_non_null(strstr(t, "lvsd_real_server_health{service=\"web\",server=\"198.51.100."
				  "11:80\",state=\"up\"} 1\n"));
	assert_non_null(strstr(t, "lvsd_real_server_health{service=\"web\",server=\"198.51.100."
				  "12:80\",state=\"down\"} 1\n"));
	assert_non_null(strstr(t, "lvsd_real_server_check_result{service=\"web\",server=\"198.51."
				  "100.12:80\",reason=\"refused\"} 1\n"));
	assert_non_null(strstr(t, "lvsd_real_server_weight_effective{service=\"web\",server="
				  "\"198.51.100.11:80\"} 2000\n"));
	assert_non_null(strstr(t, "lvsd_real_server_report_age_seconds{service=\"web\",server="
				  "\"198.51.100.11:80\"} 1.500\n"));
	/* no report, no age; no feedback, no feedback weight */
	assert_null(strstr(t, "lvsd_real_server_report_age_seconds{service=\"web\",server="
			      "\"198.51.100.12:80\"}"));
	assert_null(strstr(t, "lvsd_real_server_weight_feedback{service=\"web\",server="
			      "\"198.51.100.12:80\"}"));
	/* a label value with a backslash is escaped; a service with a quorum has it */
	assert_non_null(strstr(t, "lvsd_service_quorum{service=\"dns \\\\ udp\"} 2\n"));
	assert_null(strstr(t, "lvsd_service_quorum{service=\"web\"}"));
	free(t);
	metrics_snap_clear(&s);
}

/* promtool's own linter on the text, when it is installed. */
static void
test_promtool(void **state)
{
	struct metrics_snap s = {0};
	char path[] = "/tmp/lvsd-metrics.XXXXXX", cmd[128];
	char *t;
	FILE *f;
	int fd, rc;

	if (system("command -v promtool >/dev/null 2>&1") != 0) {
		skip();
		return;
	}
	assert_int_equal(feed_all(&s), 1);
	t = render(&s);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(t, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "promtool check metrics <%s 1>&2", path);
	rc = system(cmd);
	unlink(path);
	free(t);
	metrics_snap_clear(&s);
	assert_int_equal(rc, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_snapshot_whole), cmocka_unit_test(test_snapshot_refused),
	    cmocka_unit_test(test_snapshot_sizes), cmocka_unit_test(test_text),
	    cmocka_unit_test(test_promtool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
