/* ipvs-tool: drive lvsd's IPVS writer by hand, for the lab tests and the
 * bench (not installed).
 *   ipvs-tool info
 *   ipvs-tool list                      services and dests with counters
 *   ipvs-tool apply FILE.yaml [PREV.yaml]
 *                                       reconcile the kernel with FILE's services
 *                                       (PREV: the generation FILE replaces)
 *   ipvs-tool bench-weights N [-o FILE] [-n]
 *                                       N weight changes on the existing table, batched;
 *                                       -o writes the same changes as `ipvsadm -R` input,
 *                                       -n only writes them
 *   ipvs-tool sync-start master|backup IFNAME SYNCID
 *   ipvs-tool sync-stop master|backup
 *   ipvs-tool sync-show
 * Exit status: 0 success, 1 a refused operation or error, 2 usage. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lvsd/conf/conf.h"
#include "lvsd/writer/table.h"

static int
open_nl(struct ipvs_nl **nl)
{
	int r = ipvs_nl_open(nl);

	if (r == -ENOENT)
		fprintf(stderr, "ipvs-tool: the kernel has no IPVS (is ip_vs loaded?)\n");
	else if (r < 0)
		fprintf(stderr, "ipvs-tool: netlink: %s\n", strerror(-r));
	return r;
}

static int
cmd_info(struct ipvs_nl *nl)
{
	struct ipvs_info i;
	int r = ipvs_nl_info(nl, &i);

	if (r < 0) {
		fprintf(stderr, "ipvs-tool: info: %s\n", strerror(-r));
		return 1;
	}
	printf("version %u.%u.%u conn_tab_size %u family %d\n", (i.version >> 16) & 0xff,
	       (i.version >> 8) & 0xff, i.version & 0xff, i.conn_tab_size, ipvs_nl_family(nl));
	return 0;
}

static const char *
fwd_name(uint32_t fwd)
{
	switch (fwd) {
	case IP_VS_CONN_F_TUNNEL:
		return "tunnel";
	case IP_VS_CONN_F_DROUTE:
		return "dr";
	case IP_VS_CONN_F_MASQ:
		return "nat";
	default:
		return "?";
	}
}

static void
print_stats(const struct ipvs_stats *s)
{
	printf(" conns %" PRIu64 " inpkts %" PRIu64 " outpkts %" PRIu64 " inbytes %" PRIu64
	       " outbytes %" PRIu64 "\n",
	       s->conns, s->inpkts, s->outpkts, s->inbytes, s->outbytes);
}

static void
print_service(const struct ipvs_table_svc *t)
{
	char b[IPVS_STRLEN];

	printf("service %s sched %s flags 0x%x timeout %u netmask 0x%x",
	       ipvs_service_str(&t->svc, b, sizeof(b)), t->svc.sched, t->svc.flags, t->svc.timeout,
	       t->svc.netmask);
	print_stats(&t->svc.stats);
	for (size_t j = 0; j < t->n_dests; j++) {
		const struct ipvs_dest *d = &t->dests[j];

		printf("  dest %s %s tun_type %u weight %u u_threshold %u l_threshold %u "
		       "active %u inactive %u",
		       ipvs_dest_str(d, b, sizeof(b)), fwd_name(d->fwd), d->tun_type, d->weight,
		       d->u_threshold, d->l_threshold, d->active_conns, d->inact_conns);
		print_stats(&d->stats);
	}
}

static int
cmd_list(struct ipvs_nl *nl)
{
	struct ipvs_table t;
	int r = ipvs_table_read(nl, &t);

	if (r < 0) {
		fprintf(stderr, "ipvs-tool: list: %s\n", strerror(-r));
		return 1;
	}
	for (size_t i = 0; i < t.n; i++)
		print_service(&t.svcs[i]);
	ipvs_table_free(&t);
	return 0;
}

static int
load_table(const char *path, struct ipvs_table *out)
{
	struct conf_error err;
	struct conf *c = NULL;
	char msg[CONF_PATH_MAX + CONF_ERR_MAX + 32];
	int r = conf_load(path, &c, &err);

	if (r < 0) {
		conf_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "ipvs-tool: %s\n", msg);
		return r;
	}
	r = table_from_conf(c, out);
	if (r < 0)
		fprintf(stderr, "ipvs-tool: %s: %s\n", path, strerror(-r));
	conf_free(c);
	return r;
}

static void
report_op(const struct ipvs_op *op)
{
	char s[IPVS_STRLEN], d[IPVS_STRLEN];
	bool dest = op->cmd == IPVS_CMD_NEW_DEST || op->cmd == IPVS_CMD_SET_DEST ||
		    op->cmd == IPVS_CMD_DEL_DEST;

	ipvs_service_str(&op->svc, s, sizeof(s));
	if (dest)
		fprintf(stderr, "ipvs-tool: %s %s in %s: %s\n", ipvs_cmd_name(op->cmd),
			ipvs_dest_str(&op->dest, d, sizeof(d)), s, strerror(-op->err));
	else
		fprintf(stderr, "ipvs-tool: %s %s: %s\n", ipvs_cmd_name(op->cmd), s,
			strerror(-op->err));
}

static int
cmd_apply(struct ipvs_nl *nl, const char *file, const char *prev_file)
{
	struct ipvs_table want, prev = {0};
	struct ipvs_ops ops = {0};
	int r;

	if (load_table(file, &want) < 0)
		return 1;
	if (prev_file && load_table(prev_file, &prev) < 0) {
		ipvs_table_free(&want);
		return 1;
	}
	r = ipvs_table_reconcile(nl, &want, prev_file ? &prev : NULL, &ops);
	for (size_t i = 0; i < ops.n; i++)
		if (ops.ops[i].err)
			report_op(&ops.ops[i]);
	if (r < 0)
		fprintf(stderr, "ipvs-tool: apply: %s\n", strerror(-r));
	else
		printf("applied %zu operations, %d refused\n", ops.n, r);
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	ipvs_table_free(&prev);
	return r == 0 ? 0 : 1;
}

/* "-t 192.0.2.1:80" / "-f 7" as ipvsadm writes a service */
static void
ipvsadm_svc(const struct ipvs_service *s, char *buf, size_t len)
{
	char a[IPVS_STRLEN];
	const char *opt = s->protocol == IPPROTO_UDP	? "-u"
			  : s->protocol == IPPROTO_SCTP ? "--sctp-service"
							: "-t";

	if (s->fwmark) {
		snprintf(buf, len, "-f %u%s", s->fwmark, s->af == AF_INET6 ? " -6" : "");
		return;
	}
	ipvs_dest_str(&(struct ipvs_dest){.af = s->af, .addr = s->addr, .port = s->port}, a,
		      sizeof(a));
	snprintf(buf, len, "%s %s", opt, a);
}

static void
ipvsadm_line(FILE *f, const struct ipvs_op *op)
{
	char s[2 * IPVS_STRLEN], d[IPVS_STRLEN];
	const char *fwd = op->dest.fwd == IP_VS_CONN_F_TUNNEL	? "-i"
			  : op->dest.fwd == IP_VS_CONN_F_DROUTE ? "-g"
								: "-m";

	ipvsadm_svc(&op->svc, s, sizeof(s));
	fprintf(f, "-e %s -r %s %s -w %u\n", s, ipvs_dest_str(&op->dest, d, sizeof(d)), fwd,
		op->dest.weight);
}

/* n SET_DEST ops cycling through every dest of the kernel's table, each
 * weight different from the one before it. */
static int
bench_ops(const struct ipvs_table *t, size_t n, struct ipvs_op **out)
{
	size_t total = 0, k = 0;
	struct ipvs_op *ops;

	for (size_t i = 0; i < t->n; i++)
		total += t->svcs[i].n_dests;
	if (total == 0)
		return -ENOENT;
	if (!(ops = calloc(n ? n : 1, sizeof(*ops))))
		return -ENOMEM;
	for (size_t round = 0; k < n; round++)
		for (size_t i = 0; i < t->n && k < n; i++)
			for (size_t j = 0; j < t->svcs[i].n_dests && k < n; j++, k++) {
				ops[k].cmd = IPVS_CMD_SET_DEST;
				ops[k].svc = t->svcs[i].svc;
				ops[k].dest = t->svcs[i].dests[j];
				ops[k].dest.weight =
				    1 + (uint32_t)((t->svcs[i].dests[j].weight + round + 1) % 100);
			}
	*out = ops;
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
bench_write(const char *path, const struct ipvs_op *ops, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "ipvs-tool: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		ipvsadm_line(f, &ops[i]);
	return fclose(f) == 0 ? 0 : -1;
}

static int
cmd_bench(struct ipvs_nl *nl, size_t n, const char *out, bool dry)
{
	struct ipvs_table t;
	struct ipvs_op *ops = NULL;
	double t0;
	int r = ipvs_table_read(nl, &t);

	if (r == 0)
		r = bench_ops(&t, n, &ops);
	ipvs_table_free(&t);
	if (r < 0) {
		fprintf(stderr, "ipvs-tool: bench: %s\n",
			r == -ENOENT ? "no destinations" : strerror(-r));
		return 1;
	}
	if (out && bench_write(out, ops, n) < 0) {
		free(ops);
		return 1;
	}
	if (!dry) {
		t0 = now_s();
		r = ipvs_nl_send(nl, ops, n);
		printf("lvsd: %zu weight changes in %.6f s, %d refused\n", n, now_s() - t0, r);
	}
	free(ops);
	return r == 0 ? 0 : 1;
}

static int
parse_state(const char *s, uint32_t *state)
{
	if (strcmp(s, "master") == 0)
		*state = IP_VS_STATE_MASTER;
	else if (strcmp(s, "backup") == 0)
		*state = IP_VS_STATE_BACKUP;
	else
		return -EINVAL;
	return 0;
}

static int
cmd_sync(struct ipvs_nl *nl, int argc, char **argv)
{
	struct ipvs_daemon d[2] = {0};
	size_t n = 0;
	int r;

	if (strcmp(argv[1], "sync-show") == 0) {
		if ((r = ipvs_nl_list_daemons(nl, d, &n)) == 0)
			for (size_t i = 0; i < n; i++)
				printf("%s ifname %s syncid %u\n",
				       d[i].state == IP_VS_STATE_MASTER ? "master" : "backup",
				       d[i].ifname, d[i].syncid);
	} else if (argc == 5 && strcmp(argv[1], "sync-start") == 0 &&
		   parse_state(argv[2], &d[0].state) == 0 &&
		   strlen(argv[3]) < sizeof(d[0].ifname)) {
		strcpy(d[0].ifname, argv[3]);
		d[0].syncid = (uint32_t)strtoul(argv[4], NULL, 10);
		r = ipvs_nl_daemon_start(nl, &d[0]);
	} else if (argc == 3 && strcmp(argv[1], "sync-stop") == 0 &&
		   parse_state(argv[2], &d[0].state) == 0) {
		r = ipvs_nl_daemon_stop(nl, d[0].state);
	} else {
		return 2;
	}
	if (r < 0)
		fprintf(stderr, "ipvs-tool: %s: %s\n", argv[1], strerror(-r));
	return r < 0 ? 1 : 0;
}

static int
cmd_bench_args(struct ipvs_nl *nl, int argc, char **argv)
{
	const char *out = NULL;
	bool dry = false;
	char *end;
	unsigned long n;

	if (argc < 3)
		return 2;
	n = strtoul(argv[2], &end, 10);
	if (*end || n == 0 || n > 10000000)
		return 2;
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "-n") == 0)
			dry = true;
		else
			return 2;
	}
	return cmd_bench(nl, n, out, dry);
}

static int
dispatch(struct ipvs_nl *nl, int argc, char **argv)
{
	const char *c = argv[1];

	if (strcmp(c, "info") == 0 && argc == 2)
		return cmd_info(nl);
	if (strcmp(c, "list") == 0 && argc == 2)
		return cmd_list(nl);
	if (strcmp(c, "apply") == 0 && (argc == 3 || argc == 4))
		return cmd_apply(nl, argv[2], argc == 4 ? argv[3] : NULL);
	if (strcmp(c, "bench-weights") == 0)
		return cmd_bench_args(nl, argc, argv);
	if (strncmp(c, "sync-", 5) == 0)
		return cmd_sync(nl, argc, argv);
	return 2;
}

int
main(int argc, char **argv)
{
	struct ipvs_nl *nl;
	int r;

	if (argc < 2) {
		fprintf(stderr,
			"usage: ipvs-tool info|list|apply FILE [PREV]|bench-weights N [-o FILE] "
			"[-n]|sync-start STATE IF ID|sync-stop STATE|sync-show\n");
		return 2;
	}
	if (open_nl(&nl) < 0)
		return 1;
	r = dispatch(nl, argc, argv);
	if (r == 2)
		fprintf(stderr, "ipvs-tool: bad arguments (run without arguments for usage)\n");
	ipvs_nl_close(nl);
	return r;
}
