/* Pure helpers of the configuration: durations, addresses, names, defaults,
 * freeing.  Nothing here knows about YAML. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lvsd/conf/conf_int.h"

const char *const conf_proto_names[] = {"tcp", "udp", "sctp", NULL};
const char *const conf_fwd_names[] = {"tunnel", "dr", "nat", NULL};
const char *const conf_tun_names[] = {"ipip", "gue", "gre", NULL};
const char *const conf_tun_csum_names[] = {"none", "csum", "remcsum", NULL};
const char *const conf_check_names[] = {"none", "tcp", "http", "https", "script", NULL};
const char *const conf_policy_names[] = {"static", "paper-1", "paper-2", "damped", NULL};
const char *const conf_keytype_names[] = {"ed25519", "hmac", NULL};
const char *const conf_on_down_names[] = {"inhibit", "remove", NULL};
const char *const conf_schedulers[] = {"rr",  "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh",
				       "sed", "nq",  "fo", "ovf", "mh",	  "twos",  NULL};

/* The name of value v in a NULL-terminated table, "?" past its end. */
static const char *
name_of(const char *const *tab, unsigned v)
{
	for (unsigned i = 0; i < v; i++)
		if (!tab[i])
			return "?";
	return tab[v] ? tab[v] : "?";
}

const char *
conf_proto_name(enum conf_proto p)
{
	return name_of(conf_proto_names, p);
}

const char *
conf_fwd_name(enum conf_fwd f)
{
	return name_of(conf_fwd_names, f);
}

const char *
conf_on_down_name(enum conf_on_down o)
{
	return name_of(conf_on_down_names, o);
}

const char *
conf_tun_name(enum conf_tun t)
{
	return name_of(conf_tun_names, t);
}

const char *
conf_tun_csum_name(enum conf_tun_csum c)
{
	return name_of(conf_tun_csum_names, c);
}

const char *
conf_policy_name(enum conf_policy p)
{
	return name_of(conf_policy_names, p);
}

const char *
conf_check_type_name(enum conf_check_type t)
{
	return name_of(conf_check_names, t);
}

const char *
conf_key_type_name(enum conf_key_type t)
{
	return name_of(conf_keytype_names, t);
}

/* YAML 1.1's words, in lower case, capitalised or upper case. */
int
conf_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"true", "yes", "True", "Yes", "TRUE", "YES"};
	static const char *const no[] = {"false", "no", "False", "No", "FALSE", "NO"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
			*out = !strcmp(s, yes[i]);
			return 0;
		}
	}
	return -EINVAL;
}

/* ASCII controls (but tab and newline when allowed), and the UTF-8 that a
 * YAML reader does not give back as written: C1 controls U+0080..U+009F
 * (U+0085 is a line break), the line and paragraph separators U+2028/2029,
 * and the non-characters U+FFFE/FFFF, which libyaml refuses to read. */
bool
conf_str_has_control(const char *s, bool allow_tab_nl)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (iscntrl(*p) && !(allow_tab_nl && (*p == '\t' || *p == '\n')))
			return true;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return true;
		if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			return true;
		if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf))
			return true;
	}
	return false;
}

/* "100ms", "5s", "2m", "1h": digits then a unit; nothing else but a bare "0". */
int
conf_parse_duration(const char *s, uint64_t *ms, const char **why)
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
	uint64_t v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p)) {
		*why = "is not a duration: write a whole number and a unit (ms, s, m or h), "
		       "e.g. 100ms, 5s, 2m";
		return -EINVAL;
	}
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - 9) / 10 / 3600000) {
			*why = "is too large";
			return -ERANGE;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		*why = "is not a whole number: write e.g. 1500ms instead of 1.5s";
		return -EINVAL;
	}
	if (*p == '\0' && v == 0 && p == s + 1) {
		*ms = 0; /* a bare 0 needs no unit */
		return 0;
	}
	if (*p == '\0') {
		*why = "needs a unit: ms, s, m or h (e.g. 5s)";
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) == 0) {
			*ms = v * units[i].mult;
			return 0;
		}
	}
	*why = "has an unknown unit: use ms, s, m or h (e.g. 100ms, 5s, 2m, 1h)";
	return -EINVAL;
}

/* Largest unit that divides exactly: 1500 -> "1500ms", 120000 -> "2m". */
void
conf_fmt_ms(uint64_t ms, char *buf, size_t len)
{
	if (ms != 0 && ms % 3600000 == 0)
		snprintf(buf, len, "%luh", (unsigned long)(ms / 3600000));
	else if (ms != 0 && ms % 60000 == 0)
		snprintf(buf, len, "%lum", (unsigned long)(ms / 60000));
	else if (ms % 1000 == 0)
		snprintf(buf, len, "%lus", (unsigned long)(ms / 1000));
	else
		snprintf(buf, len, "%lums", (unsigned long)ms);
}

static int
parse_prefix(const char *p, unsigned max, unsigned *out)
{
	unsigned v = 0;

	if (!*p || strlen(p) > 3)
		return -EINVAL;
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int
conf_parse_addr(const char *s, bool cidr, struct conf_addr *out, const char **why)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	char *slash;
	struct conf_addr a = {0};
	unsigned prefix;

	if (strlen(s) >= sizeof(tmp)) {
		*why = "is not an IPv4 or IPv6 address";
		return -EINVAL;
	}
	strcpy(tmp, s);
	slash = strchr(tmp, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, tmp, &a.u.v4) == 1) {
		a.family = AF_INET;
		a.prefix = 32;
	} else if (inet_pton(AF_INET6, tmp, &a.u.v6) == 1) {
		a.family = AF_INET6;
		a.prefix = 128;
	} else {
		*why = cidr ? "is not an IPv4 or IPv6 address (optionally with /prefix)"
			    : "is not an IPv4 or IPv6 address";
		return -EINVAL;
	}
	if (slash) {
		if (!cidr) {
			*why = "must be a plain address, without a /prefix";
			return -EINVAL;
		}
		if (parse_prefix(slash + 1, a.prefix, &prefix) < 0) {
			*why = a.family == AF_INET
				   ? "has a bad prefix length: IPv4 allows /0 to /32"
				   : "has a bad prefix length: IPv6 allows /0 to /128";
			return -EINVAL;
		}
		a.prefix = (uint8_t)prefix;
	}
	*out = a;
	return 0;
}

/* "192.0.2.1:80" or "[2001:db8::1]:80" */
int
conf_parse_sockaddr(const char *s, struct conf_sockaddr *out, const char **why)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *h = s;
	size_t hl;
	unsigned long port;
	char *end;

	if (*s == '[') {
		colon = strstr(s, "]:");
		h = s + 1;
		hl = colon ? (size_t)(colon - h) : 0;
		colon = colon ? colon + 1 : NULL;
	} else {
		colon = strrchr(s, ':');
		hl = colon ? (size_t)(colon - s) : 0;
		if (colon && memchr(s, ':', hl)) {
			*why = "has an IPv6 address without brackets: write [2001:db8::1]:PORT";
			return -EINVAL;
		}
	}
	if (!colon || hl == 0 || hl >= sizeof(host)) {
		*why = "is not ADDRESS:PORT (IPv6 as [ADDRESS]:PORT)";
		return -EINVAL;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (conf_parse_addr(host, false, &out->addr, why) < 0)
		return -EINVAL;
	if ((*s == '[') != (out->addr.family == AF_INET6)) {
		*why = "is not ADDRESS:PORT (IPv6 as [ADDRESS]:PORT)";
		return -EINVAL;
	}
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (!isdigit((unsigned char)colon[1]) || *end || errno || port < 1 || port > 65535) {
		*why = "has a bad port: ports are 1 to 65535";
		return -EINVAL;
	}
	out->port = (uint16_t)port;
	return 0;
}

/* The prefix length of a contiguous netmask, or -EINVAL. */
int
conf_mask_prefix(const struct conf_addr *mask)
{
	const uint8_t *b = (const uint8_t *)&mask->u;
	size_t n = mask->family == AF_INET ? 4 : 16;
	int prefix = 0;
	bool ended = false;

	for (size_t i = 0; i < n; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			bool set = (b[i] >> bit) & 1;

			if (set && ended)
				return -EINVAL;
			if (set)
				prefix++;
			else
				ended = true;
		}
	}
	return prefix;
}

void
conf_prefix_mask(int family, unsigned prefix, struct conf_addr *out)
{
	uint8_t *b = (uint8_t *)&out->u;

	memset(out, 0, sizeof(*out));
	out->family = family;
	out->prefix = (uint8_t)prefix;
	for (unsigned i = 0; i < prefix; i++)
		b[i / 8] |= (uint8_t)(0x80 >> (i % 8));
}

bool
conf_ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CONF_IFNAME_MAX || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s) ||
		    !isprint((unsigned char)*s))
			return false;
	return true;
}

const char *
conf_addr_str(const struct conf_addr *a, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (a->family != AF_INET && a->family != AF_INET6) {
		snprintf(buf, len, "(none)");
		return buf;
	}
	inet_ntop(a->family, &a->u, tmp, sizeof(tmp));
	if (a->prefix != (a->family == AF_INET ? 32 : 128))
		snprintf(buf, len, "%s/%u", tmp, a->prefix);
	else
		snprintf(buf, len, "%s", tmp);
	return buf;
}

const char *
conf_rs_name(const struct conf_rs *rs, char *buf, size_t len)
{
	char a[CONF_ADDRSTRLEN];

	conf_addr_str(&rs->addr, a, sizeof(a));
	if (!rs->port)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, rs->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, rs->port);
	return buf;
}

const char *
conf_rs_endpoint(const struct conf_service *s, const struct conf_rs *rs, char *buf, size_t len)
{
	char a[CONF_ADDRSTRLEN];
	uint16_t port = rs->port ? rs->port : s->port;

	conf_addr_str(&rs->addr, a, sizeof(a));
	if (!port)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, rs->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
	return buf;
}

const char *
conf_sockaddr_str(const struct conf_sockaddr *s, char *buf, size_t len)
{
	char a[CONF_ADDRSTRLEN];
	struct conf_addr plain = s->addr;

	plain.prefix = plain.family == AF_INET ? 32 : 128;
	conf_addr_str(&plain, a, sizeof(a));
	snprintf(buf, len, plain.family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, s->port);
	return buf;
}

bool
conf_addr_same(const struct conf_addr *a, const struct conf_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
}

void
conf_check_defaults(struct conf_check *chk)
{
	memset(chk, 0, sizeof(*chk));
	chk->type = CONF_CHECK_TCP;
	chk->interval_ms = 2000;
	chk->timeout_ms = 1000;
	chk->rise = 2;
	chk->fall = 3;
	strcpy(chk->path, "/");
	chk->status = 200;
	chk->retry_delay_ms = 1000;
}

void
conf_policy_defaults(struct conf_policy_params *p)
{
	memset(p, 0, sizeof(*p));
	p->type = CONF_POLICY_DAMPED;
	p->mem_per_proc_kb = 3500;
	p->conns_per_min = 0;
	p->max_step = 10;
	p->smoothing = 30;
	p->band = 4;
	p->write_threshold = 5;
	p->integral = 50;
	p->warmup_ms = 60000;
	p->stale_after_ms = 180000;
	p->expire_after_ms = 600000;
}

void
conf_defaults(struct conf *c)
{
	struct conf_global *g = &c->global;
	char host[256];

	memset(g, 0, sizeof(*g));
	if (gethostname(host, sizeof(host)) < 0 || host[0] == '\0')
		strcpy(host, "lvsd");
	host[sizeof(host) - 1] = '\0';
	snprintf(g->director_id, sizeof(g->director_id), "%.*s", (int)sizeof(g->director_id) - 1,
		 host);
	strcpy(g->control_socket, CONF_DEFAULT_CONTROL_SOCKET);
	conf_parse_sockaddr("127.0.0.1:9642", &g->metrics, &(const char *){NULL});
	strcpy(g->user, CONF_DEFAULT_USER);
	strcpy(g->script_user, "root");
	g->ipvs_resync_ms = 60000;
	g->sloppy_tcp = g->sloppy_sctp = -1;
	g->director_drain_ms = 5000;

	memset(&c->reports, 0, sizeof(c->reports));
	conf_parse_sockaddr("0.0.0.0:7946", &c->reports.listen, &(const char *){NULL});
	c->reports.max_skew_ms = 30000;
	c->reports.round_ms = 1000;
	c->reports.rate_limit = 50;
	c->reports.history_max_kb = 10240;
}

void *
conf_grow(void *arr, size_t n, size_t size)
{
	char *p = realloc(arr, (n + 1) * size);

	if (p)
		memset(p + n * size, 0, size);
	return p;
}

void
conf_free(struct conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_vrrp; i++) {
		free(c->vrrp[i].vips);
		free(c->vrrp[i].unicast_peers);
		free(c->vrrp[i].track_interfaces);
		free(c->vrrp[i].track_scripts);
		free(c->vrrp[i].track_files);
	}
	for (size_t i = 0; i < c->n_sync_groups; i++)
		free(c->sync_groups[i].members);
	free(c->sync_groups);
	free(c->track_scripts);
	free(c->track_files);
	for (size_t i = 0; i < c->n_services; i++)
		free(c->services[i].rs);
	free(c->vrrp);
	free(c->services);
	free(c->keys);
	free(c);
}

void
conf_error_format(const struct conf_error *err, char *buf, size_t len)
{
	if (err->line)
		snprintf(buf, len, "%s:%u:%u: %s", err->file, err->line, err->col, err->msg);
	else
		snprintf(buf, len, "%s: %s", err->file, err->msg);
}
