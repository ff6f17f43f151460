/* lvs-agent: what its parts share.  lvs_agent.c parses the command line,
 * agent_addr.c the addresses on it, agent_keygen.c writes key files,
 * agent_run.c samples, signs and sends, agent_sample.c reads the system. */
#ifndef LVSD_WEIGHT_AGENT_H
#define LVSD_WEIGHT_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "weight/report.h"
#include "weight/report_sig.h"

#define AGENT_MAX_DIRECTORS 16
#define AGENT_KEY_MAX 4096 /* bytes of a key file, as lvsd reads it */

struct agent_director {
	struct sockaddr_storage ss;
	socklen_t len;
	char name[64]; /* as given on the command line */
	bool failing;  /* the last send failed (logged once) */
};

struct agent_opts {
	const char *proc;     /* "/proc" */
	const char *cgroup;   /* a cgroup v2 directory, or NULL */
	const char *key_file; /* NULL: unsigned (only with --print, no directors) */
	struct rpt_server server;
	uint32_t sample_ms, window_ms, report_ms;
	bool once, print, verbose;
	struct agent_director dirs[AGENT_MAX_DIRECTORS];
	unsigned n_dirs;
};

/* A duration: "250ms", "5s", "1m", or bare seconds; 1 ms to 1 hour. */
int agent_parse_duration(const char *s, uint32_t *ms);

/* A real server's id: "ADDR", "ADDR:PORT" or "[ADDR6]:PORT"; numeric. */
int agent_parse_server(const char *s, struct rpt_server *out);

/* A director: "HOST", "HOST:PORT", "[ADDR6]:PORT" (port default 7946);
 * names are resolved (once, at start). */
int agent_parse_director(const char *s, struct agent_director *out);

/* "ADDR" or "[ADDR6]:PORT" of a server id, into buf. */
void agent_server_str(const struct rpt_server *s, char *buf, size_t cap);

/* The contents of a key file (at most AGENT_KEY_MAX bytes) and whether it
 * is an Ed25519 PEM or an HMAC secret: the key, or -errno. */
int agent_key_load(const char *path, struct rpt_key *out);

/* lvs-agent keygen ...: 0, or the exit status. */
int agent_keygen(int argc, char **argv);

/* Sample, and report every report_ms (or once); returns the exit status. */
int agent_run(struct agent_opts *o, const struct rpt_key *key);

/* A report as "name value" lines. */
void agent_print(FILE *f, const struct rpt_report *r, int len);

#endif
