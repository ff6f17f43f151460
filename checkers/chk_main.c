/* The checkers child: receives the services and real servers with their
 * checks, runs the installed generation's checks (chk_sched.c) and sends
 * the parent each change of a server's health.  A reload keeps the state
 * of a server whose address, port and check stay the same. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkers/chk.h"
#include "lvsd/core/child.h"
#include "lvsd/core/log.h"

static void
chk_sockaddr(const struct ipc_addr *a, uint16_t port, struct sockaddr_storage *ss,
	     socklen_t *len)
{
	struct sockaddr_in *s4 = (void *)ss;
	struct sockaddr_in6 *s6 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	*len = 0;
	if (a->family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, a->addr, 4);
		*len = sizeof(*s4);
	} else if (a->family == AF_INET6) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->addr, 16);
		*len = sizeof(*s6);
	}
}

static void
chk_name(struct chk_rs *rs, const struct ipc_addr *a)
{
	char s[INET6_ADDRSTRLEN] = "?";

	inet_ntop(a->family, a->addr, s, sizeof(s));
	snprintf(rs->name, sizeof(rs->name), a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", s,
		 ntohs(((struct sockaddr_in *)&rs->sa)->sin_port));
}

static int
chk_stage_rs(struct chk *s, const struct ipc_conf_rs *m)
{
	struct chk_rs *rs;

	if (m->addr.family != AF_INET && m->addr.family != AF_INET6)
		return -EINVAL;
	if (s->n_staged == s->cap_staged) {
		size_t cap = s->cap_staged ? 2 * s->cap_staged : 16;
		struct chk_rs *n = realloc(s->staged, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->staged = n;
		s->cap_staged = cap;
	}
	rs = &s->staged[s->n_staged++];
	memset(rs, 0, sizeof(*rs));
	rs->service_id = m->service_id;
	rs->rs_id = m->id;
	rs->check = m->check;
	ipc_strget(rs->check.path, sizeof(rs->check.path));
	ipc_strget(rs->check.digest, sizeof(rs->check.digest));
	ipc_strget(rs->check.script, sizeof(rs->check.script));
	ipc_strget(rs->check.host, sizeof(rs->check.host));
	ipc_strget(rs->check.sni, sizeof(rs->check.sni));
	ipc_strget(rs->check.expect, sizeof(rs->check.expect));
	if (!rs->check.rise)
		rs->check.rise = 1;
	if (!rs->check.fall)
		rs->check.fall = 1;
	if (rs->check.interval_ms < 10)
		rs->check.interval_ms = 10;
	chk_sockaddr(&m->addr, m->check.port ? m->check.port : m->port, &rs->sa, &rs->sa_len);
	if (m->check.source.family == m->addr.family)
		chk_sockaddr(&m->check.source, 0, &rs->src, &rs->src_len);
	chk_name(rs, &m->addr);
	return 0;
}

static void
chk_ca_drop(void ***ca, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		chk_ca_free((*ca)[i]);
	free(*ca);
	*ca = NULL;
	*n = 0;
}

static int
chk_stage_ca(struct chk *s, const struct ipc_conf_ca *m)
{
	void **a, *st;

	if (m->id != s->n_ca_staged || s->staged_services)
		return -EINVAL;
	if (!(a = realloc(s->ca_staged, (s->n_ca_staged + 1) * sizeof(*a))))
		return -ENOMEM;
	s->ca_staged = a;
	if (!(st = chk_ca_load(m->pem, m->len)))
		return -ENOMEM;
	s->ca_staged[s->n_ca_staged++] = st;
	return 1;
}

static void
chk_begin(void *state, uint64_t generation)
{
	struct chk *s = state;

	s->n_staged = s->staged_services = 0;
	chk_ca_drop(&s->ca_staged, &s->n_ca_staged);
}

static int
chk_object(void *state, struct ipc_msg *msg)
{
	struct chk *s = state;
	int r;

	if (msg->type == IPC_CONF_CA)
		return chk_stage_ca(s, IPC_BODY(msg, struct ipc_conf_ca));
	if (msg->type == IPC_CONF_SERVICE) {
		if (IPC_BODY(msg, struct ipc_conf_service)->id != s->staged_services)
			return -EINVAL;
		s->staged_services++;
		return 0;
	}
	/* a real server must name a service already sent */
	if (IPC_BODY(msg, struct ipc_conf_rs)->service_id >= s->staged_services)
		return -EINVAL;
	/* and a CA already sent */
	if (IPC_BODY(msg, struct ipc_conf_rs)->check.ca >= (int32_t)s->n_ca_staged)
		return -EINVAL;
	if ((r = chk_stage_rs(s, IPC_BODY(msg, struct ipc_conf_rs))) < 0)
		return r;
	return 1;
}

static bool
chk_same(const struct chk_rs *a, const struct chk_rs *b)
{
	return a->sa_len == b->sa_len && !memcmp(&a->sa, &b->sa, a->sa_len) &&
	       !memcmp(&a->check, &b->check, sizeof(a->check));
}

/* The health of every server with a result, in chunks. */
static void
chk_send_all(struct chk *s)
{
	size_t max = IPC_BATCH_MAX < 1000 ? IPC_BATCH_MAX : 1000;
	size_t len = sizeof(struct ipc_health) + max * sizeof(struct ipc_health_rs);
	struct ipc_health *m = calloc(1, len);

	if (!m)
		return;
	m->generation = s->generation;
	for (size_t i = 0; i <= s->n_rs; i++) {
		if (m->n == max || (i == s->n_rs && m->n)) {
			child_send(s->child, IPC_HEALTH, m,
				   sizeof(*m) + m->n * sizeof(struct ipc_health_rs));
			m->n = 0;
		}
		if (i < s->n_rs && s->rs[i].fsm.state != IPC_HEALTH_UNKNOWN)
			chk_health_fill(&s->rs[i], &m->rs[m->n++]);
	}
	free(m);
}

static void
chk_commit(void *state, uint64_t generation)
{
	struct chk *s = state;
	struct chk_rs *old = s->rs;
	size_t n_old = s->n_rs;

	for (size_t i = 0; i < n_old; i++)
		chk_rs_stop(&old[i]);
	/* carry the state of the servers that stay */
	for (size_t i = 0; i < s->n_staged; i++)
		for (size_t j = 0; j < n_old; j++)
			if (chk_same(&s->staged[i], &old[j])) {
				s->staged[i].fsm = old[j].fsm;
				s->staged[i].reason = old[j].reason;
				s->staged[i].code = old[j].code;
				break;
			}
	free(old);
	chk_ca_drop(&s->ca, &s->n_ca);
	s->ca = s->ca_staged;
	s->n_ca = s->n_ca_staged;
	s->ca_staged = NULL;
	s->n_ca_staged = 0;
	s->rs = s->staged;
	s->n_rs = s->n_staged;
	s->staged = NULL;
	s->n_staged = s->cap_staged = 0;
	s->generation = generation;
	for (size_t i = 0; i < s->n_rs; i++)
		if (chk_rs_start(s, &s->rs[i], i, s->n_rs) < 0)
			log_err("checkers: out of memory: %s is not checked", s->rs[i].name);
	chk_send_all(s);
}

static int
chk_start(void *state, struct child *c, struct event_base *base)
{
	struct chk *s = state;

	s->child = c;
	s->base = base;
	s->done = chk_result; /* how every check type ends an attempt */
	s->tls = chk_tls_ctx_new();
	if (!s->tls)
		log_warn("checkers: no TLS context: https checks fail");
	return 0;
}

static void
chk_stop(void *state)
{
	struct chk *s = state;

	for (size_t i = 0; i < s->n_rs; i++)
		chk_rs_stop(&s->rs[i]);
	free(s->rs);
	free(s->staged);
	chk_tls_ctx_free(s->tls);
	chk_ca_drop(&s->ca, &s->n_ca);
	chk_ca_drop(&s->ca_staged, &s->n_ca_staged);
	s->rs = s->staged = NULL;
	s->n_rs = s->n_staged = 0;
}

/* A status request: the last result of every server first. */
static void
chk_status(void *state)
{
	chk_send_all(state);
}

int
chk_main(int fd)
{
	struct chk s = {0};
	const struct child_role role = {
	    .name = "checkers",
	    .accept = 1u << IPC_CONF_SERVICE | 1u << IPC_CONF_RS | 1u << IPC_CONF_CA,
	    .state = &s,
	    .start = chk_start,
	    .begin = chk_begin,
	    .object = chk_object,
	    .commit = chk_commit,
	    .stop = chk_stop,
	    .status = chk_status,
	};

	return child_run(&role, fd);
}
