/* state-bench: the helper of bench/state/run (see bench/README.md).
 *
 *   state-bench CONF DIR
 *
 * Loads CONF as lvsd does and sets up the parent's effective weights and
 * state room (lvsd/state) on an event loop of its own, without children
 * and without IPVS.  Every real server gets what a busy director keeps of
 * it: the weight child's whole state (a report, the anti-replay record,
 * the damped policy's state, as IPC_WT_STATE frames through
 * state_wt_apply), a proposal, a health; every tenth is drained and every
 * hundredth has an override.  Then, timed:
 *   write   a state write as the parent's loop runs it (state_touch, then
 *           the loop until the file is renamed into DIR/lvsd.state): its
 *           wall time, its longest slice (the longest the loop was held)
 *           and its slices summed;
 *   save    the same file written whole at once, as at stop;
 *   load    a new parent state reading it back before a first apply
 *           (state_load), and checking that every server came back;
 *   raw     the floor: the same number of bytes written with write(2) in
 *           1 MiB pieces to DIR/raw.tmp and renamed, then read back.
 * Prints "key value" lines; exit 0, or 1 with a message on stderr. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lvsd/core/clock.h"
#include "lvsd/core/log.h"
#include "lvsd/lvsd.h"
#include "lvsd/state/state.h"
#include "lvsd/writer/effective.h"

static void
die(const char *what, int err)
{
	fprintf(stderr, "state-bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static double
ms_since(const struct timespec *t0)
{
	return lvsd_since(t0) * 1000;
}

/* CPU time of the process, ms: what the work cost, whatever else the
 * host runs (the wall times are inflated by a busy host). */
static double
cpu_ms(void)
{
	return (double)lvsd_clock_ns(CLOCK_PROCESS_CPUTIME_ID) / 1e6;
}

/* The weight child's state of one server, as a busy director has it. */
static void
fill_wt(struct ipc_wt_rs *w, uint32_t svc, uint32_t rs, uint64_t k)
{
	memset(w, 0, sizeof(*w));
	w->service_id = svc;
	w->rs_id = rs;
	w->seen_valid = w->has_report = w->pooled = 1;
	w->state = 2;
	memset(w->seen_boot_id, (int)(k & 0xff), sizeof(w->seen_boot_id));
	w->seen_seq = 1000 + k;
	w->seen_time_ns = lvsd_clock_ns(CLOCK_REALTIME);
	w->last_mono_ms = lvsd_clock_ms(CLOCK_MONOTONIC);
	w->reports = 60 + k % 7;
	w->last.flags = 0x1f;
	w->last.mem_available_kb = 1000000 + k;
	w->last.mem_total_kb = 4000000;
	w->last.procs_running = 3;
	w->policy.policy = CONF_POLICY_DAMPED;
	w->policy.has_report = 1;
	w->policy.state = 2;
	w->policy.report.stamp = w->seen_time_ns;
	w->policy.report.mem_available_kb = w->last.mem_available_kb;
	w->policy.report.mem_total_kb = 4000000;
	w->policy.report.present = 3;
	w->policy.static_weight = 100;
	w->policy.unit = 10;
	w->policy.trim = 900 + (uint32_t)(k % 200);
	w->policy.weight = w->policy.proposed = 950 + (uint32_t)(k % 100);
	w->policy.report_ms = w->policy.state_ms = w->last_mono_ms;
	w->policy.s_free_ppm = 250000 + k % 1000;
	w->policy.free_ppm = w->policy.s_free_ppm;
	w->policy.smooth_valid = 3;
}

/* Everything a busy director keeps, into d's effective weights and copy. */
static size_t
populate(struct lvsd *d)
{
	struct ipc_wt_state *m = malloc(sizeof(*m) + IPC_WT_STATE_MAX * sizeof(m->rs[0]));
	uint64_t k = 0;

	if (!m)
		die("populate", ENOMEM);
	memset(m, 0, sizeof(*m));
	m->generation = d->generation;
	for (size_t i = 0; i < d->conf->n_services; i++)
		for (size_t j = 0; j < d->conf->services[i].n_rs; j++, k++) {
			fill_wt(&m->rs[m->n++], (uint32_t)i, (uint32_t)j, k);
			if (m->n == IPC_WT_STATE_MAX) {
				state_wt_apply(d, m);
				m->n = 0;
			}
			eff_propose(d, (uint32_t)i, (uint32_t)j, 950 + (uint32_t)(k % 100));
			eff_health(d, (uint32_t)i, (uint32_t)j, k % 50 != 0);
			if (k % 10 == 0)
				eff_drain(d, (uint32_t)i, (uint32_t)j, true);
			if (k % 100 == 1)
				eff_override(d, (uint32_t)i, (uint32_t)j, 7, false);
		}
	state_wt_apply(d, m);
	free(m);
	return (size_t)k;
}

static void
parent_up(struct lvsd *d, const char *conf_path, const char *dir)
{
	struct conf_error e;
	char path[CONF_PATH_MAX];
	int r;

	memset(d, 0, sizeof(*d));
	memset(&e, 0, sizeof(e));
	if ((r = conf_load(conf_path, &d->conf, &e)) < 0) {
		char msg[CONF_PATH_MAX + CONF_ERR_MAX + 32];

		conf_error_format(&e, msg, sizeof(msg));
		fprintf(stderr, "state-bench: %s\n", msg);
		exit(1);
	}
	d->generation = 1;
	snprintf(path, sizeof(path), "%s/lvsd.state", dir);
	if (!(d->base = event_base_new()))
		die("event_base_new", ENOMEM);
	if ((r = eff_init(d)) < 0 || (r = state_init(d, path)) < 0)
		die("set up", r);
}

static void
parent_down(struct lvsd *d)
{
	state_free(d);
	eff_free(d);
	event_base_free(d->base);
	conf_free(d->conf);
}

/* One write through the loop, as lvsd runs it. */
static void
timed_write(struct lvsd *d, struct state_stats *st)
{
	struct timespec t0;
	uint64_t before;
	double c0;

	state_stats_get(d, st);
	before = st->writes;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	c0 = cpu_ms();
	state_touch(d, true);
	while (st->writes == before && st->failures == 0) {
		event_base_loop(d->base, EVLOOP_ONCE);
		state_stats_get(d, st);
	}
	if (st->failures)
		die("state write", EIO);
	printf("write_cpu_ms %.2f\n", cpu_ms() - c0);
	printf("write_wall_ms %.2f\n", ms_since(&t0));
	printf("write_ms %.2f\nlongest_slice_ms %.2f\nlongest_slice_cpu_ms %.2f\nbusy_ms %.2f\n"
	       "bytes %zu\nrecords %zu\n",
	       st->write_ms, st->longest_slice_ms, st->longest_slice_cpu_ms, st->busy_ms, st->bytes,
	       st->records);
}

/* The floor: bytes written in 1 MiB pieces and renamed, then read back. */
static void
raw(const char *dir, size_t bytes)
{
	char tmp[CONF_PATH_MAX], path[CONF_PATH_MAX];
	size_t chunk = 1 << 20, done = 0;
	char *buf = calloc(1, chunk);
	struct timespec t0;
	double c0;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/raw.tmp", dir);
	snprintf(path, sizeof(path), "%s/raw", dir);
	if (!buf)
		die("raw", ENOMEM);
	memset(buf, 0x5a, chunk);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	c0 = cpu_ms();
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		die(tmp, errno);
	for (; done < bytes; done += chunk)
		if (write(fd, buf, bytes - done < chunk ? bytes - done : chunk) < 0)
			die(tmp, errno);
	if (close(fd) < 0 || rename(tmp, path) < 0)
		die(path, errno);
	printf("raw_write_cpu_ms %.2f\n", cpu_ms() - c0);
	printf("raw_write_ms %.2f\n", ms_since(&t0));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		die(path, errno);
	while (read(fd, buf, chunk) > 0)
		;
	close(fd);
	printf("raw_read_ms %.2f\n", ms_since(&t0));
	unlink(path);
	free(buf);
}

int
main(int argc, char **argv)
{
	struct lvsd d;
	struct state_stats st;
	struct timespec t0;
	size_t n, drained = 0;
	double c0;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: state-bench CONF DIR\n");
		return 2;
	}
	log_init("state-bench", true, false);
	parent_up(&d, argv[1], argv[2]);
	n = populate(&d);
	printf("real_servers %zu\n", n);
	timed_write(&d, &st);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((r = state_save(&d)) < 0)
		die("state_save", r);
	printf("save_ms %.2f\n", ms_since(&t0));
	parent_down(&d);

	parent_up(&d, argv[1], argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	c0 = cpu_ms();
	state_load(&d);
	printf("load_cpu_ms %.2f\n", cpu_ms() - c0);
	printf("load_ms %.2f\n", ms_since(&t0));
	for (size_t i = 0; i < d.conf->n_services; i++)
		for (size_t j = 0; j < d.conf->services[i].n_rs; j++) {
			struct eff_view v;

			drained += eff_get(&d, i, j, &v) && v.drained;
		}
	printf("restored_drained %zu\n", drained);
	if (drained != (n + 9) / 10) {
		fprintf(stderr, "state-bench: %zu drained servers restored, want %zu\n", drained,
			(n + 9) / 10);
		return 1;
	}
	parent_down(&d);
	raw(argv[2], st.bytes);
	return 0;
}
