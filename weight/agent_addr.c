/* lvs-agent: durations, the server id and the directors on its command
 * line. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weight/agent.h"

int
agent_parse_duration(const char *s, uint32_t *ms)
{
	char *end;
	unsigned long long v, mult;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (!strcmp(end, "ms"))
		mult = 1;
	else if (!strcmp(end, "s") || !*end)
		mult = 1000;
	else if (!strcmp(end, "m"))
		mult = 60000;
	else
		return -EINVAL;
	if (v == 0 || v > 3600000 / mult)
		return -EINVAL;
	*ms = (uint32_t)(v * mult);
	return 0;
}

/* Split "HOST", "HOST:PORT", "[HOST]:PORT" or a bare IPv6 address into
 * host (cap bytes) and port (NULL when none). */
static int
agent_split(const char *s, char *host, size_t cap, const char **port)
{
	const char *colon = strrchr(s, ':'), *end;

	*port = NULL;
	if (*s == '[') {
		end = strchr(s, ']');
		if (!end || (end[1] && end[1] != ':') || (size_t)(end - s - 1) >= cap)
			return -EINVAL;
		memcpy(host, s + 1, (size_t)(end - s - 1));
		host[end - s - 1] = '\0';
		*port = end[1] ? end + 2 : NULL;
		return 0;
	}
	if (colon && strchr(s, ':') == colon) { /* one colon: HOST:PORT */
		if ((size_t)(colon - s) >= cap)
			return -EINVAL;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		*port = colon + 1;
		return 0;
	}
	if (strlen(s) >= cap)
		return -EINVAL;
	strcpy(host, s);
	return 0;
}

static int
agent_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	v = strtoul(s, &end, 10);
	if (*end || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int
agent_parse_server(const char *s, struct rpt_server *out)
{
	struct rpt_server r;
	char host[INET6_ADDRSTRLEN];
	const char *port;

	memset(&r, 0, sizeof(r));
	if (agent_split(s, host, sizeof(host), &port) < 0)
		return -EINVAL;
	if (port && agent_port(port, &r.port) < 0)
		return -EINVAL;
	if (inet_pton(AF_INET, host, r.addr) == 1)
		r.family = AF_INET;
	else if (inet_pton(AF_INET6, host, r.addr) == 1)
		r.family = AF_INET6;
	else
		return -EINVAL;
	*out = r;
	return 0;
}

int
agent_parse_director(const char *s, struct agent_director *out)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	char host[256], portbuf[8];
	const char *port;
	uint16_t p = RPT_DEFAULT_PORT;

	if (agent_split(s, host, sizeof(host), &port) < 0 || (port && agent_port(port, &p) < 0) ||
	    p == 0 || strlen(s) >= sizeof(out->name))
		return -EINVAL;
	snprintf(portbuf, sizeof(portbuf), "%u", p);
	if (getaddrinfo(host, portbuf, &hints, &res) != 0 || !res)
		return -EHOSTUNREACH;
	memset(out, 0, sizeof(*out));
	memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	strcpy(out->name, s);
	freeaddrinfo(res);
	return 0;
}

void
agent_server_str(const struct rpt_server *s, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(s->family, s->addr, a, sizeof(a));
	if (!s->port)
		snprintf(buf, cap, "%s", a);
	else if (s->family == AF_INET6)
		snprintf(buf, cap, "[%s]:%u", a, s->port);
	else
		snprintf(buf, cap, "%s:%u", a, s->port);
}
