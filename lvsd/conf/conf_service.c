/* Key tables of virtual services, their real servers, health checks and
 * weight policies, with the checks that need only one service. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/conf/conf_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* checks */

static int
parse_path(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_check *chk = obj;
	int r;

	if ((r = conf_get_str(x, v, "path", CK_NAME, chk->path, sizeof(chk->path))) < 0)
		return r;
	if (chk->path[0] != '/')
		return conf_fail(x, v, "path must start with '/', e.g. /health");
	return 0;
}

static int
parse_digest(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_check *chk = obj;
	const char *s;
	int r;

	if ((r = conf_scalar(x, v, "digest", &s)) < 0)
		return r;
	if (strlen(s) != 64 || strspn(s, "0123456789abcdefABCDEF") != 64)
		return conf_fail(x, v,
				 "digest must be the SHA-256 of the body as 64 hex digits "
				 "(e.g. from sha256sum)");
	for (int i = 0; i < 64; i++)
		chk->digest[i] = (char)tolower((unsigned char)s[i]);
	chk->digest[64] = '\0';
	return 0;
}

static int
parse_check_source(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_check *chk = obj;

	return conf_get_addr(x, v, "source", false, &chk->source);
}

enum { CK_TYPE, CK_INTERVAL, CK_TIMEOUT, CK_PATH_I = 6, CK_STATUS, CK_DIGEST, CK_SCRIPT,
       CK_RETRIES, CK_RETRY_DELAY, CK_SOURCE, CK_HOST, CK_EXPECT, CK_SNI, CK_CA_FILE };
static const struct conf_keydef check_keys[] = {
    CONF_KENUM("type", struct conf_check, type, conf_check_names),
    CONF_K("interval", CK_MS, struct conf_check, interval_ms, 10, 3600000),
    CONF_K("timeout", CK_MS, struct conf_check, timeout_ms, 10, 3600000),
    CONF_K("rise", CK_U16, struct conf_check, rise, 1, 1000),
    CONF_K("fall", CK_U16, struct conf_check, fall, 1, 1000),
    CONF_K("port", CK_U16, struct conf_check, port, 1, 65535),
    CONF_KFN("path", parse_path),
    CONF_K("status", CK_U16, struct conf_check, status, 100, 599),
    CONF_KFN("digest", parse_digest),
    CONF_KSTR("script", CK_STR, struct conf_check, script),
    CONF_K("retries", CK_U16, struct conf_check, retries, 0, 100),
    CONF_K("retry_delay", CK_MS, struct conf_check, retry_delay_ms, 10, 3600000),
    CONF_KFN("source", parse_check_source),
    CONF_KSTR("host", CK_NAME, struct conf_check, host),
    CONF_KSTR("expect", CK_STR, struct conf_check, expect),
    CONF_KSTR("sni", CK_NAME, struct conf_check, sni),
    CONF_KSTR("ca_file", CK_PATH, struct conf_check, ca_file),
    CONF_K("slow_start", CK_MS, struct conf_check, slow_start_ms, 0, 3600000),
};

/* Parse a check mapping over chk (which holds the defaults or inherited values). */
int
conf_parse_check(struct conf_ctx *x, yaml_node_t *v, struct conf_check *chk)
{
	struct conf_map m;
	bool http;
	char a[32], b[32];
	int r;

	chk->pos = conf_node_pos(v);
	if ((r = conf_walk(x, v, "a check", check_keys, N(check_keys), chk, &m)) < 0)
		return r;
	http = chk->type == CONF_CHECK_HTTP || chk->type == CONF_CHECK_HTTPS;
	for (int i = CK_PATH_I; i <= CK_DIGEST; i++)
		if (m.key[i] && !http)
			return conf_fail(x, m.key[i],
					 "%s applies only to http and https checks, "
					 "and this check is %s",
					 check_keys[i].name, conf_check_type_name(chk->type));
	for (int i = CK_HOST; i <= CK_EXPECT; i++)
		if (m.key[i] && !http)
			return conf_fail(x, m.key[i],
					 "%s applies only to http and https checks, "
					 "and this check is %s",
					 check_keys[i].name, conf_check_type_name(chk->type));
	for (int i = CK_SNI; i <= CK_CA_FILE; i++)
		if (m.key[i] && chk->type != CONF_CHECK_HTTPS)
			return conf_fail(x, m.key[i],
					 "%s applies only to https checks, and this check is %s",
					 check_keys[i].name, conf_check_type_name(chk->type));
	if (m.key[CK_SCRIPT] && chk->type != CONF_CHECK_SCRIPT)
		return conf_fail(x, m.key[CK_SCRIPT],
				 "script applies only to checks of type "
				 "script, and this check is %s",
				 conf_check_type_name(chk->type));
	if (chk->type == CONF_CHECK_SCRIPT && !chk->script[0])
		return conf_fail(x, m.key[CK_TYPE] ? m.key[CK_TYPE] : v,
				 "a check of type script needs 'script': the command to run");
	if (chk->timeout_ms >= chk->interval_ms) {
		conf_fmt_ms(chk->timeout_ms, a, sizeof(a));
		conf_fmt_ms(chk->interval_ms, b, sizeof(b));
		return conf_fail(x,
				 m.val[CK_TIMEOUT]    ? m.val[CK_TIMEOUT]
				 : m.val[CK_INTERVAL] ? m.val[CK_INTERVAL]
						      : v,
				 "check timeout (%s) must be shorter than its interval (%s)", a, b);
	}
	return 0;
}

/* weight policies */

enum {
	WP_TYPE,
	WP_DAMPED0,
	WP_DAMPED1 = 5,
	WP_PAPER0,
	WP_PAPER1,
	WP_FEED0,
	WP_STALE = 9,
	WP_EXPIRE
};
static const struct conf_keydef policy_keys[] = {
    CONF_KENUM("type", struct conf_policy_params, type, conf_policy_names),
    CONF_K("max_step", CK_U32, struct conf_policy_params, max_step, 1, 100),
    CONF_K("smoothing", CK_U32, struct conf_policy_params, smoothing, 1, 100),
    CONF_K("band", CK_U32, struct conf_policy_params, band, 1, 100),
    CONF_K("write_threshold", CK_U32, struct conf_policy_params, write_threshold, 0, 100),
    CONF_K("integral", CK_U32, struct conf_policy_params, integral, 0, 100),
    CONF_K("mem_per_process", CK_U32, struct conf_policy_params, mem_per_proc_kb, 1, 16777216),
    CONF_K("conns_per_min", CK_U32, struct conf_policy_params, conns_per_min, 0, 100000000),
    CONF_K("warmup", CK_MS, struct conf_policy_params, warmup_ms, 0, 86400000),
    CONF_K("stale_after", CK_MS, struct conf_policy_params, stale_after_ms, 1000, 86400000),
    CONF_K("expire_after", CK_MS, struct conf_policy_params, expire_after_ms, 1000, 604800000),
};

static int
policy_applies(int key, enum conf_policy t)
{
	if (key >= WP_DAMPED0 && key <= WP_DAMPED1)
		return t == CONF_POLICY_DAMPED;
	if (key == WP_PAPER0)
		return t == CONF_POLICY_PAPER1 || t == CONF_POLICY_PAPER2;
	if (key == WP_PAPER1)
		return t == CONF_POLICY_PAPER2;
	return t != CONF_POLICY_STATIC;
}

static int
parse_policy(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;
	struct conf_policy_params *p = &s->policy;
	struct conf_map m;
	int r;

	p->pos = conf_node_pos(v);
	if (v->type == YAML_SCALAR_NODE && !conf_is_null(v))
		return conf_get_enum(x, v, "weight_policy", conf_policy_names, (int *)&p->type);
	if ((r = conf_walk(x, v, "weight_policy", policy_keys, N(policy_keys), p, &m)) < 0)
		return r;
	for (int i = 1; i < (int)N(policy_keys); i++)
		if (m.key[i] && !policy_applies(i, p->type))
			return conf_fail(x, m.key[i], "%s does not apply to the %s weight policy",
					 policy_keys[i].name, conf_policy_name(p->type));
	if (p->expire_after_ms <= p->stale_after_ms)
		return conf_fail(x,
				 m.val[WP_EXPIRE]  ? m.val[WP_EXPIRE]
				 : m.val[WP_STALE] ? m.val[WP_STALE]
						   : v,
				 "expire_after must be longer than stale_after");
	return 0;
}

/* real servers */

static int svc_shape(struct conf_ctx *x);

static int
parse_rs_addr(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_rs *rs = obj;

	return conf_get_addr(x, v, "address", false, &rs->addr);
}

static int
parse_agent_key1(struct conf_ctx *x, yaml_node_t *v, int *out)
{
	char list[256] = "";
	size_t used = 0;
	const char *s;
	int r;

	if ((r = conf_scalar(x, v, "agent_key", &s)) < 0)
		return r;
	for (size_t i = 0; i < x->c->n_keys; i++) {
		if (!strcmp(x->c->keys[i].name, s)) {
			*out = (int)i;
			return 0;
		}
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 i ? ", " : "", x->c->keys[i].name);
	}
	if (!x->c->n_keys)
		return conf_fail(x, v,
				 "agent_key '%.64s' is not defined: there is no 'keys' "
				 "section; add one that names it",
				 s);
	return conf_fail(x, v, "agent_key '%.64s' is not defined in keys (defined: %s)", s, list);
}

/* One key, or a list of two while an agent's key is being replaced:
 * reports signed with either are accepted. */
static int
parse_agent_key(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_rs *rs = obj;
	yaml_node_item_t *items;
	size_t n;
	int r;

	rs->key = rs->key2 = -1;
	if (v->type != YAML_SEQUENCE_NODE)
		return parse_agent_key1(x, v, &rs->key);
	if ((r = conf_seq(x, v, "agent_key", &items, &n)) < 0)
		return r;
	if (n < 1 || n > 2)
		return conf_fail(x, v,
				 "agent_key takes one key, or a list of two while keys "
				 "are rotated, not %zu",
				 n);
	if ((r = parse_agent_key1(x, conf_node(x, items[0]), &rs->key)) < 0)
		return r;
	if (n == 2 && (r = parse_agent_key1(x, conf_node(x, items[1]), &rs->key2)) < 0)
		return r;
	if (rs->key == rs->key2)
		return conf_fail(x, v, "agent_key lists the same key twice");
	return 0;
}

static int
parse_rs_check(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_rs *rs = obj;

	rs->has_check = true;
	rs->check = x->svc->check;
	return conf_parse_check(x, v, &rs->check);
}

enum { RS_ADDR, RS_PORT, RS_WEIGHT, RS_UPPER, RS_LOWER, RS_KEY };
static const struct conf_keydef rs_keys[] = {
    CONF_KFN("address", parse_rs_addr),
    CONF_K("port", CK_U16, struct conf_rs, port, 1, 65535),
    CONF_K("weight", CK_U32, struct conf_rs, weight, 0, 65535),
    CONF_K("upper_threshold", CK_U32, struct conf_rs, u_threshold, 0, UINT32_MAX),
    CONF_K("lower_threshold", CK_U32, struct conf_rs, l_threshold, 0, UINT32_MAX),
    CONF_KFN("agent_key", parse_agent_key),
    CONF_KFN("check", parse_rs_check),
    CONF_KENUM("on_down", struct conf_rs, on_down, conf_on_down_names),
};

/* What one real server must agree on with its service. */
static int
rs_fits(struct conf_ctx *x, yaml_node_t *v, struct conf_map *m, struct conf_rs *rs)
{
	struct conf_service *s = x->svc;
	char a[CONF_ADDRSTRLEN];
	int family = s->fwmark ? (s->n_rs > 1 ? s->rs[0].addr.family : 0) : s->addr.family;

	conf_addr_str(&rs->addr, a, sizeof(a));
	if (family && rs->addr.family != family)
		return conf_fail(x, m->val[RS_ADDR],
				 "real server %s is %s but the service%s is %s; "
				 "%s forwarding cannot mix address families",
				 a, rs->addr.family == AF_INET ? "IPv4" : "IPv6",
				 s->fwmark ? "'s first real server" : "",
				 family == AF_INET ? "IPv4" : "IPv6", conf_fwd_name(s->forwarding));
	if (s->fwmark && m->val[RS_PORT] && s->forwarding != CONF_FWD_NAT)
		return conf_fail(x, m->key[RS_PORT],
				 "a real server of a fwmark service with %s forwarding takes no "
				 "port: the kernel forwards the packet's own port",
				 conf_fwd_name(s->forwarding));
	if (!s->fwmark && m->val[RS_PORT] && rs->port != s->port && s->forwarding != CONF_FWD_NAT)
		return conf_fail(x, m->val[RS_PORT],
				 "real server port %u differs from the service "
				 "port %u, which only nat forwarding can do "
				 "(%s keeps the port)",
				 rs->port, s->port, conf_fwd_name(s->forwarding));
	/* From here rs->port is the port IPVS uses, which duplicates compare. */
	if (!m->val[RS_PORT])
		rs->port = s->fwmark ? 0 : s->port;
	if (rs->l_threshold && !rs->u_threshold)
		return conf_fail(x, m->val[RS_LOWER],
				 "lower_threshold (%u) needs an upper_threshold: the kernel "
				 "refuses a lower threshold without an upper one",
				 rs->l_threshold);
	if (rs->u_threshold && rs->l_threshold >= rs->u_threshold)
		return conf_fail(x, m->val[RS_LOWER],
				 "lower_threshold (%u) must be below "
				 "upper_threshold (%u)",
				 rs->l_threshold, rs->u_threshold);
	(void)v;
	return 0;
}

static int
parse_rs_one(struct conf_ctx *x, yaml_node_t *v, struct conf_rs *rs)
{
	struct conf_map m;
	int r;

	rs->pos = conf_node_pos(v);
	rs->weight = 1;
	rs->key = rs->key2 = -1;
	rs->on_down = x->svc->on_down;
	if ((r = conf_walk(x, v, "a real server", rs_keys, N(rs_keys), rs, &m)) < 0)
		return r;
	if (!m.val[RS_ADDR])
		return conf_fail(x, v, "a real server needs 'address'");
	rs->key_pos = conf_map_pos(&m, RS_KEY);
	return rs_fits(x, v, &m, rs);
}

static int
parse_real_servers(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;
	yaml_node_item_t *items;
	size_t n;
	int r;

	if ((r = svc_shape(x)) < 0 || (r = conf_seq(x, v, "real_servers", &items, &n)) < 0)
		return r;
	s->rs = calloc(n ? n : 1, sizeof(*s->rs));
	if (!s->rs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		s->n_rs = i + 1;
		if ((r = parse_rs_one(x, conf_node(x, items[i]), &s->rs[i])) < 0)
			return r;
	}
	return 0;
}

/* the sorry server */

static int
parse_sorry_addr(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_sorry *so = obj;

	return conf_get_addr(x, v, "address", false, &so->addr);
}

enum { SO_ADDR, SO_PORT, SO_FWD, SO_WEIGHT };
static const struct conf_keydef sorry_keys[] = {
    CONF_KFN("address", parse_sorry_addr),
    CONF_K("port", CK_U16, struct conf_sorry, port, 1, 65535),
    CONF_KENUM("forwarding", struct conf_sorry, forwarding, conf_fwd_names),
    CONF_K("weight", CK_U32, struct conf_sorry, weight, 1, 65535),
};

/* The family and port rules of a real server, with the sorry server's
 * own forwarding. */
static int
sorry_fits(struct conf_ctx *x, struct conf_map *m, struct conf_sorry *so)
{
	struct conf_service *s = x->svc;
	int family = s->fwmark ? (s->n_rs ? s->rs[0].addr.family : 0) : s->addr.family;
	char a[CONF_ADDRSTRLEN];

	conf_addr_str(&so->addr, a, sizeof(a));
	if (family && so->addr.family != family)
		return conf_fail(x, m->val[SO_ADDR],
				 "sorry_server %s is %s but the service%s is %s; forwarding "
				 "cannot mix address families",
				 a, so->addr.family == AF_INET ? "IPv4" : "IPv6",
				 s->fwmark ? "'s first real server" : "",
				 family == AF_INET ? "IPv4" : "IPv6");
	if (s->fwmark && m->val[SO_PORT] && so->forwarding != CONF_FWD_NAT)
		return conf_fail(x, m->key[SO_PORT],
				 "the sorry_server of a fwmark service with %s forwarding takes "
				 "no port: the kernel forwards the packet's own port",
				 conf_fwd_name(so->forwarding));
	if (!s->fwmark && m->val[SO_PORT] && so->port != s->port && so->forwarding != CONF_FWD_NAT)
		return conf_fail(x, m->val[SO_PORT],
				 "sorry_server port %u differs from the service port %u, which "
				 "only nat forwarding can do (%s keeps the port)",
				 so->port, s->port, conf_fwd_name(so->forwarding));
	if (!m->val[SO_PORT])
		so->port = s->fwmark ? 0 : s->port;
	return 0;
}

/* The sorry server is a destination of its own: not one of the real
 * servers (the kernel would see one destination twice). */
static int
sorry_unique(struct conf_ctx *x, yaml_node_t *v, const struct conf_sorry *so)
{
	const struct conf_service *s = x->svc;
	char a[CONF_ADDRSTRLEN];

	for (size_t i = 0; i < s->n_rs; i++)
		if (conf_addr_same(&s->rs[i].addr, &so->addr) && s->rs[i].port == so->port)
			return conf_fail(x, v,
					 "sorry_server %s port %u is also a real server of this "
					 "service (line %u); it must be another destination",
					 conf_addr_str(&so->addr, a, sizeof(a)), so->port,
					 s->rs[i].pos.line);
	return 0;
}

static int
parse_sorry(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;
	struct conf_sorry *so = &s->sorry;
	struct conf_map m;
	int r;

	if ((r = svc_shape(x)) < 0)
		return r;
	so->pos = conf_node_pos(v);
	so->forwarding = s->forwarding;
	so->weight = 1;
	if ((r = conf_walk(x, v, "sorry_server", sorry_keys, N(sorry_keys), so, &m)) < 0)
		return r;
	if (!m.val[SO_ADDR])
		return conf_fail(x, v, "sorry_server needs 'address'");
	if ((r = sorry_fits(x, &m, so)) < 0 || (r = sorry_unique(x, m.val[SO_ADDR], so)) < 0)
		return r;
	s->has_sorry = true;
	return 0;
}

/* services */

static int
parse_svc_addr(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;
	int r;

	if ((r = conf_get_addr(x, v, "address", false, &s->addr)) < 0)
		return r;
	s->family = s->addr.family;
	s->addr_pos = conf_node_pos(v);
	return 0;
}

static int
parse_scheduler(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;
	int i, r;

	if ((r = conf_get_enum(x, v, "scheduler", conf_schedulers, &i)) < 0)
		return r;
	snprintf(s->scheduler, sizeof(s->scheduler), "%s", conf_schedulers[i]);
	return 0;
}

/* scheduler_flags: names as ipvsadm prints them; sh-* and mh-* are
 * checked against the scheduler once the walk is over. */
static const struct {
	const char *name;
	const char *sched; /* NULL: any scheduler */
	uint32_t flag;
} sched_flags[] = {
    {"sh-fallback", "sh", CONF_SCHED_FLAG_1}, {"sh-port", "sh", CONF_SCHED_FLAG_2},
    {"mh-fallback", "mh", CONF_SCHED_FLAG_1}, {"mh-port", "mh", CONF_SCHED_FLAG_2},
    {"flag-1", NULL, CONF_SCHED_FLAG_1},      {"flag-2", NULL, CONF_SCHED_FLAG_2},
    {"flag-3", NULL, CONF_SCHED_FLAG_3},
};

static int
parse_sched_flag(struct conf_ctx *x, yaml_node_t *v, struct conf_service *s)
{
	const char *name;
	int r;

	if ((r = conf_scalar(x, v, "scheduler_flags", &name)) < 0)
		return r;
	for (size_t i = 0; i < N(sched_flags); i++)
		if (!strcmp(name, sched_flags[i].name)) {
			if (s->sched_flags & sched_flags[i].flag)
				return conf_fail(x, v, "scheduler_flags sets flag %s twice", name);
			s->sched_flags |= sched_flags[i].flag;
			return 0;
		}
	return conf_fail(x, v,
			 "unknown scheduler flag '%s' (sh-fallback, sh-port, mh-fallback, "
			 "mh-port, flag-1, flag-2 or flag-3)",
			 name);
}

static int
parse_sched_flags(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;
	yaml_node_item_t *items;
	size_t n;
	int r;

	if ((r = conf_seq(x, v, "scheduler_flags", &items, &n)) < 0)
		return r;
	s->sched_flags_pos = conf_node_pos(v);
	s->sched_flags = 0;
	for (size_t i = 0; i < n; i++)
		if ((r = parse_sched_flag(x, conf_node(x, items[i]), s)) < 0)
			return r;
	return 0;
}

const char *
conf_sched_flag_name(const struct conf_service *s, uint32_t flag)
{
	for (size_t i = 0; i < N(sched_flags); i++)
		if (sched_flags[i].flag == flag &&
		    (!sched_flags[i].sched || !strcmp(sched_flags[i].sched, s->scheduler)))
			return sched_flags[i].name;
	return "flag-?";
}

/* A mask address (255.255.255.0, ffff:ffff::) or "/N"; the family is
 * checked once the service's family is known. */
static int
parse_netmask(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;
	struct conf_addr *nm = &s->persistence_netmask;
	const char *str, *why;
	uint64_t n;
	int r, prefix;

	if ((r = conf_scalar(x, v, "netmask", &str)) < 0)
		return r;
	if (str[0] == '/') {
		if (!str[1] || strlen(str) > 4 || strspn(str + 1, "0123456789") != strlen(str + 1))
			return conf_fail(x, v, "netmask: '%.64s' is not a prefix length like /24",
					 str);
		n = strtoul(str + 1, NULL, 10);
		if (n > 128)
			return conf_fail(x, v, "netmask: /%lu is longer than /128",
					 (unsigned long)n);
		memset(nm, 0, sizeof(*nm));
		nm->prefix = (uint8_t)n;
		return 0;
	}
	if (conf_parse_addr(str, false, nm, &why) < 0)
		return conf_fail(x, v, "netmask: '%.64s' %s", str, why);
	if ((prefix = conf_mask_prefix(nm)) < 0)
		return conf_fail(x, v, "netmask %.64s is not contiguous (e.g. 255.255.255.0)", str);
	nm->prefix = (uint8_t)prefix;
	return 0;
}

static int
parse_persist_timeout(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;
	uint64_t ms;
	int r;

	if ((r = conf_get_ms(x, v, "timeout", 1000, 2592000000u, &ms)) < 0)
		return r;
	if (ms % 1000)
		return conf_fail(x, v, "persistence timeout must be whole seconds");
	s->persistence_timeout_s = (uint32_t)(ms / 1000);
	return 0;
}

static int
parse_tunnel_csum(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;

	return conf_get_enum(x, v, "tunnel_checksum", conf_tun_csum_names, (int *)&s->tun_csum);
}

static const struct conf_keydef persist_keys[] = {
    CONF_KFN("timeout", parse_persist_timeout),
    CONF_KFN("netmask", parse_netmask),
};

static int
parse_persistence(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;
	struct conf_map m;

	if (v->type == YAML_SCALAR_NODE && !conf_is_null(v))
		return conf_get_bool(x, v, "persistence", &s->persistent);
	s->persistent = true;
	return conf_walk(x, v, "persistence", persist_keys, N(persist_keys), s, &m);
}

static int
parse_svc_check(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_service *s = obj;

	return conf_parse_check(x, v, &s->check);
}

enum {
	SV_NAME,
	SV_FWMARK,
	SV_ADDR,
	SV_PORT,
	SV_PROTO,
	SV_SCHED,
	SV_FWD,
	SV_TUN,
	SV_TUNPORT,
	SV_TUNCSUM,
	SV_PERSIST,
	SV_CHECK,
	SV_POLICY,
	SV_ON_DOWN,
	SV_RS,
	SV_SORRY,
	SV_QUORUM,
	SV_HYST,
	SV_QUP,
	SV_QDOWN,
	SV_SCHEDFLAGS,
	SV_ANNOUNCE
};
static const struct conf_keydef svc_keys[] = {
    CONF_KSTR("name", CK_NAME, struct conf_service, name),
    CONF_K("fwmark", CK_U32, struct conf_service, fwmark, 1, UINT32_MAX),
    CONF_KFN("address", parse_svc_addr),
    CONF_K("port", CK_U16, struct conf_service, port, 1, 65535),
    CONF_KENUM("protocol", struct conf_service, proto, conf_proto_names),
    CONF_KFN("scheduler", parse_scheduler),
    CONF_KENUM("forwarding", struct conf_service, forwarding, conf_fwd_names),
    CONF_KENUM("tunnel_type", struct conf_service, tunnel_type, conf_tun_names),
    CONF_K("tunnel_port", CK_U16, struct conf_service, tun_port, 1, 65535),
    CONF_KFN("tunnel_checksum", parse_tunnel_csum),
    CONF_KFN("persistence", parse_persistence),
    CONF_KFN("check", parse_svc_check),
    CONF_KFN("weight_policy", parse_policy),
    /* before real_servers: they inherit it */
    CONF_KENUM("on_down", struct conf_service, on_down, conf_on_down_names),
    CONF_KFN("real_servers", parse_real_servers),
    /* after real_servers: it must differ from each */
    CONF_KFN("sorry_server", parse_sorry),
    CONF_K("quorum", CK_U32, struct conf_service, quorum, 0, UINT32_MAX),
    CONF_K("quorum_hysteresis", CK_U32, struct conf_service, quorum_hysteresis, 0, UINT32_MAX),
    CONF_KSTR("quorum_up", CK_PATH, struct conf_service, quorum_up),
    CONF_KSTR("quorum_down", CK_PATH, struct conf_service, quorum_down),
    CONF_KFN("scheduler_flags", parse_sched_flags),
    /* after real_servers: min_up counts them */
    CONF_KFN("announce", conf_parse_announce),
};

/* The hooks of a quorum need one. */
static int
svc_quorum(struct conf_ctx *x, struct conf_map *m, const struct conf_service *s)
{
	for (int i = SV_QUP; i <= SV_QDOWN; i++)
		if (m->val[i] && !s->quorum)
			return conf_fail(
			    x, m->key[i],
			    "%s runs when the service's quorum changes, and it has "
			    "none: set 'quorum' (the weight of the servers up it needs)",
			    svc_keys[i].name);
	return 0;
}

/* Each named sh-* or mh-* flag belongs to its scheduler. */
static int
svc_sched_flags(struct conf_ctx *x, struct conf_map *m, struct conf_service *s)
{
	yaml_node_t *seq = m->val[SV_SCHEDFLAGS];

	if (!seq || seq->type != YAML_SEQUENCE_NODE) /* absent or null */
		return 0;
	for (yaml_node_item_t *i = seq->data.sequence.items.start; i < seq->data.sequence.items.top;
	     i++) {
		yaml_node_t *it = conf_node(x, *i);
		const char *name = (const char *)it->data.scalar.value;

		for (size_t j = 0; j < N(sched_flags); j++)
			if (!strcmp(name, sched_flags[j].name) && sched_flags[j].sched &&
			    strcmp(sched_flags[j].sched, s->scheduler))
				return conf_fail(x, it,
						 "scheduler flag %s applies only to scheduler: "
						 "%s, and this service uses %s",
						 name, sched_flags[j].sched, s->scheduler);
	}
	return 0;
}

/* The tunnel keys: the type needs tunnel forwarding, gue needs a port (the
 * kernel refuses gue destinations without one), checksums are gue/gre only. */
static int
svc_tunnel(struct conf_ctx *x, struct conf_map *m, struct conf_service *s)
{
	bool tunnel = s->forwarding == CONF_FWD_TUNNEL;
	bool gue = tunnel && s->tunnel_type == CONF_TUN_GUE;
	bool gre = tunnel && s->tunnel_type == CONF_TUN_GRE;

	for (int i = SV_TUN; i <= SV_TUNCSUM; i++)
		if (m->val[i] && !tunnel)
			return conf_fail(x, m->key[i],
					 "%s applies only to forwarding: "
					 "tunnel, and this service uses %s",
					 svc_keys[i].name, conf_fwd_name(s->forwarding));
	if (m->val[SV_TUNPORT] && !gue)
		return conf_fail(x, m->key[SV_TUNPORT],
				 "tunnel_port applies only to tunnel_type: gue, and this "
				 "service uses %s",
				 conf_tun_name(s->tunnel_type));
	if (gue && !m->val[SV_TUNPORT])
		return conf_fail(x, m->key[SV_TUN],
				 "tunnel_type gue needs 'tunnel_port': the UDP port the real "
				 "servers receive GUE on (1 to 65535)");
	if (m->val[SV_TUNCSUM] && !gue && !gre)
		return conf_fail(x, m->key[SV_TUNCSUM],
				 "tunnel_checksum applies only to tunnel_type gue or gre, and "
				 "this service uses %s",
				 conf_tun_name(s->tunnel_type));
	if (s->tun_csum == CONF_TUN_CSUM_REMCSUM && !gue)
		return conf_fail(x, m->val[SV_TUNCSUM],
				 "tunnel_checksum remcsum needs tunnel_type gue; gre "
				 "takes none or csum");
	return 0;
}

/* Checks of what must be there and what may not go together.  Runs from
 * the real_servers handler (they rely on address, port and forwarding) or
 * after the walk when there are none. */
static int
svc_shape(struct conf_ctx *x)
{
	struct conf_map *m = x->svc_map;
	struct conf_service *s = x->svc;
	int r;

	if (x->svc_shaped)
		return 0;
	x->svc_shaped = true;
	if (m->val[SV_FWMARK] && (m->val[SV_ADDR] || m->val[SV_PORT]))
		return conf_fail(x, m->key[m->val[SV_ADDR] ? SV_ADDR : SV_PORT],
				 "a fwmark service has no %s: use either fwmark or address and "
				 "port",
				 m->val[SV_ADDR] ? "address" : "port");
	if (!m->val[SV_FWMARK] && !m->val[SV_ADDR])
		return conf_fail(x, x->svc_node,
				 "a service needs 'address' and 'port' (or 'fwmark')");
	if (m->val[SV_ADDR] && !m->val[SV_PORT])
		return conf_fail(x, x->svc_node, "service at %s needs 'port'",
				 (const char *)m->val[SV_ADDR]->data.scalar.value);
	if ((r = svc_tunnel(x, m, s)) < 0)
		return r;
	if (s->fwmark)
		s->addr_pos = conf_node_pos(m->val[SV_FWMARK]);
	return 0;
}

/* Names are unique (lvsctl names services), so a default name carries the
 * protocol when it is not tcp and the family of an IPv6 fwmark service:
 * "192.0.2.1:53/udp", "fwmark 7/inet6". */
static void
svc_default_name(struct conf_service *s)
{
	char a[CONF_ADDRSTRLEN], sfx[8] = "";

	if (s->fwmark) {
		snprintf(s->name, sizeof(s->name), "fwmark %u%s", s->fwmark,
			 s->family == AF_INET6 ? "/inet6" : "");
		return;
	}
	if (s->proto != CONF_PROTO_TCP)
		snprintf(sfx, sizeof(sfx), "/%s", conf_proto_name(s->proto));
	if (s->family == AF_INET6)
		snprintf(s->name, sizeof(s->name), "[%s]:%u%s",
			 conf_addr_str(&s->addr, a, sizeof(a)), s->port, sfx);
	else
		snprintf(s->name, sizeof(s->name), "%s:%u%s", conf_addr_str(&s->addr, a, sizeof(a)),
			 s->port, sfx);
}

/* IPVS takes an IPv6 persistence netmask as a prefix length of 1 to 128;
 * IPv4 masks go to the kernel as they are, 0.0.0.0 included. */
static int
svc_netmask_v6(struct conf_ctx *x, yaml_node_t *node, const struct conf_service *s)
{
	if (s->family == AF_INET6 && s->persistence_netmask.prefix == 0)
		return conf_fail(x, node,
				 "persistence netmask /0 is not allowed for an IPv6 service: "
				 "the kernel takes /1 to /128");
	return 0;
}

/* The persistence netmask, once the family is known. */
static int
svc_netmask(struct conf_ctx *x, struct conf_map *m, struct conf_service *s)
{
	struct conf_addr *nm = &s->persistence_netmask;
	yaml_node_t *node;
	unsigned max = s->family == AF_INET ? 32 : 128;

	if (!s->persistent)
		return 0;
	node = m->val[SV_PERSIST] ? conf_map_find(x, m->val[SV_PERSIST], "netmask") : NULL;
	if (!node) {
		conf_prefix_mask(s->family, max, nm);
		return 0;
	}
	if (!nm->family) {
		if (nm->prefix > max)
			return conf_fail(x, node,
					 "netmask /%u is too long for an IPv4 service "
					 "(at most /32)",
					 nm->prefix);
		conf_prefix_mask(s->family, nm->prefix, nm);
		return svc_netmask_v6(x, node, s);
	}
	if (nm->family != s->family)
		return conf_fail(x, node, "persistence netmask is %s but the service is %s",
				 nm->family == AF_INET ? "IPv4" : "IPv6",
				 s->family == AF_INET ? "IPv4" : "IPv6");
	return svc_netmask_v6(x, node, s);
}

static int
parse_service_one(struct conf_ctx *x, yaml_node_t *v, struct conf_service *s)
{
	struct conf_map m;
	int r;

	s->pos = conf_node_pos(v);
	s->family = AF_INET;
	snprintf(s->scheduler, sizeof(s->scheduler), "wrr");
	conf_check_defaults(&s->check);
	conf_policy_defaults(&s->policy);
	s->persistence_timeout_s = 300;
	x->svc = s;
	x->svc_map = &m;
	x->svc_node = v;
	x->svc_shaped = false;
	if ((r = conf_walk(x, v, "a service", svc_keys, N(svc_keys), s, &m)) < 0)
		return r;
	if ((r = svc_shape(x)) < 0)
		return r;
	if (s->fwmark && s->n_rs)
		s->family = s->rs[0].addr.family;
	else if (s->fwmark && s->has_sorry)
		s->family = s->sorry.addr.family;
	if ((r = svc_netmask(x, &m, s)) < 0 || (r = svc_quorum(x, &m, s)) < 0)
		return r;
	if ((r = svc_sched_flags(x, &m, s)) < 0)
		return r;
	if (!m.val[SV_NAME])
		svc_default_name(s);
	return 0;
}

int
conf_parse_services(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf *c = obj;
	yaml_node_item_t *items;
	size_t n;
	int r;

	if ((r = conf_seq(x, v, "services", &items, &n)) < 0)
		return r;
	c->services = calloc(n ? n : 1, sizeof(*c->services));
	if (!c->services)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		c->n_services = i + 1;
		if ((r = parse_service_one(x, conf_node(x, items[i]), &c->services[i])) < 0)
			return r;
	}
	x->svc = NULL;
	x->svc_map = NULL;
	return 0;
}
