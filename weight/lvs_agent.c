/* lvs-agent: samples load on a real server and sends signed reports to
 * the directors (see lvs-agent(8) and doc/report-protocol.md). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/core/log.h"
#include "weight/agent.h"

#define AGENT_MAX_WINDOW_SAMPLES 3600

static int
agent_usage(FILE *f)
{
	fprintf(f, "usage: lvs-agent [OPTION]...\n"
		   "       lvs-agent keygen [--type ed25519|hmac] --out PREFIX\n"
		   "  -d, --director ADDR[:PORT]  send reports there (repeatable; port 7946)\n"
		   "  -s, --server ADDR[:PORT]    the real server reported on, as in lvsd.yaml\n"
		   "  -k, --key FILE              the key to sign with (from keygen)\n"
		   "  -c, --cgroup DIR            also sample this cgroup v2 group\n"
		   "      --sample DURATION       sample every DURATION (default 1s)\n"
		   "      --window DURATION       average over DURATION (default 5s)\n"
		   "      --report DURATION       report every DURATION (default 1s)\n"
		   "      --paper                 5s samples, 20s window, report every 60s\n"
		   "      --once                  report once, when the first window is full\n"
		   "      --print                 print each report as text\n"
		   "      --proc DIR              read DIR instead of /proc\n"
		   "      --verbose               log every report sent\n"
		   "  -v, --version\n");
	return f == stdout ? 0 : 2;
}

/* Option values that need checking together, once all are read. */
static int
agent_check(struct agent_opts *o, bool paper)
{
	if (!o->sample_ms)
		o->sample_ms = paper ? 5000 : 1000;
	if (!o->window_ms)
		o->window_ms = paper ? 20000 : 5000;
	if (!o->report_ms)
		o->report_ms = paper ? 60000 : 1000;
	if (o->window_ms < o->sample_ms || o->window_ms / o->sample_ms > AGENT_MAX_WINDOW_SAMPLES) {
		log_err("the window must hold 1 to %d samples", AGENT_MAX_WINDOW_SAMPLES);
		return -EINVAL;
	}
	if (o->n_dirs && (!o->key_file || !o->server.family)) {
		log_err("sending to directors needs --key and --server");
		return -EINVAL;
	}
	if (!o->n_dirs && !o->print) {
		log_err("no --director to send to (or --print to show reports)");
		return -EINVAL;
	}
	if (!o->server.family)
		o->server.family = AF_INET; /* 0.0.0.0: printed only */
	return 0;
}

/* One option with an argument: 0, or -EINVAL after saying why. */
static int
agent_opt(struct agent_opts *o, int c, const char *arg)
{
	int r = 0;

	switch (c) {
	case 'd':
		if (o->n_dirs == AGENT_MAX_DIRECTORS)
			r = -E2BIG;
		else
			r = agent_parse_director(arg, &o->dirs[o->n_dirs++]);
		break;
	case 's':
		r = agent_parse_server(arg, &o->server);
		break;
	case 'k':
		o->key_file = arg;
		break;
	case 'c':
		o->cgroup = arg;
		break;
	case 'S':
		r = agent_parse_duration(arg, &o->sample_ms);
		break;
	case 'W':
		r = agent_parse_duration(arg, &o->window_ms);
		break;
	case 'R':
		r = agent_parse_duration(arg, &o->report_ms);
		break;
	default: /* 'P' */
		o->proc = arg;
	}
	if (r < 0)
		log_err("%s: %s", arg,
			r == -E2BIG	     ? "too many directors"
			: r == -EHOSTUNREACH ? "cannot resolve"
					     : "invalid");
	return r;
}

enum { AGENT_OPT_PAPER = 256, AGENT_OPT_ONCE, AGENT_OPT_PRINT, AGENT_OPT_VERBOSE };

static const struct option agent_options[] = {
    {"director", required_argument, NULL, 'd'},
    {"server", required_argument, NULL, 's'},
    {"key", required_argument, NULL, 'k'},
    {"cgroup", required_argument, NULL, 'c'},
    {"sample", required_argument, NULL, 'S'},
    {"window", required_argument, NULL, 'W'},
    {"report", required_argument, NULL, 'R'},
    {"proc", required_argument, NULL, 'P'},
    {"paper", no_argument, NULL, AGENT_OPT_PAPER},
    {"once", no_argument, NULL, AGENT_OPT_ONCE},
    {"print", no_argument, NULL, AGENT_OPT_PRINT},
    {"verbose", no_argument, NULL, AGENT_OPT_VERBOSE},
    {"version", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Parse the command line into *o: 0, 1 when done already (help,
 * version), or the exit status + 1 of a usage error. */
static int
agent_args(int argc, char **argv, struct agent_opts *o)
{
	bool paper = false;
	int c;

	while ((c = getopt_long(argc, argv, "d:s:k:c:vh", agent_options, NULL)) != -1) {
		if (c == 'h' || c == 'v') {
			if (c == 'h')
				agent_usage(stdout);
			else
				printf("lvs-agent %s\n", PACKAGE_VERSION);
			return 1;
		}
		if (c == AGENT_OPT_PAPER)
			paper = true;
		else if (c == AGENT_OPT_ONCE)
			o->once = true;
		else if (c == AGENT_OPT_PRINT)
			o->print = true;
		else if (c == AGENT_OPT_VERBOSE)
			o->verbose = true;
		else if (c == '?' || c == ':')
			return agent_usage(stderr) + 1;
		else if (agent_opt(o, c, optarg) < 0)
			return 3;
	}
	if (optind != argc)
		return agent_usage(stderr) + 1;
	return agent_check(o, paper) < 0 ? 3 : 0;
}

int
main(int argc, char **argv)
{
	static struct agent_opts o = {.proc = "/proc"};
	struct rpt_key key;
	int r;

	log_init("lvs-agent", true, false);
	if (argc >= 2 && !strcmp(argv[1], "keygen"))
		return agent_keygen(argc - 1, argv + 1);
	r = agent_args(argc, argv, &o);
	if (r)
		return r - 1;
	if (!o.key_file)
		return agent_run(&o, NULL);
	r = agent_key_load(o.key_file, &key);
	if (r < 0) {
		log_err("key %s: %s", o.key_file,
			r == -EINVAL ? "not an Ed25519 private key (PEM) or an HMAC secret (hex)"
				     : strerror(-r));
		return 1;
	}
	r = agent_run(&o, &key);
	rpt_key_free(&key);
	return r;
}
