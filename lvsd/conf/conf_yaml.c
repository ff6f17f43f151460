/* The YAML side of the loader: libyaml documents, positions, errors, and
 * the key-table walker with typed value getters. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/conf/conf_int.h"

struct conf_pos
conf_node_pos(const yaml_node_t *n)
{
	struct conf_pos p = {(unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1};

	return p;
}

struct conf_pos
conf_map_pos(const struct conf_map *m, int i)
{
	struct conf_pos none = {0, 0};

	return m->key[i] ? conf_node_pos(m->key[i]) : none;
}

static int fail_at(struct conf_ctx *x, unsigned line, unsigned col, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static int
fail_at(struct conf_ctx *x, unsigned line, unsigned col, const char *fmt, va_list ap)
{
	x->err->line = line;
	x->err->col = col;
	vsnprintf(x->err->msg, sizeof(x->err->msg), fmt, ap);
	return -EINVAL;
}

int
conf_fail(struct conf_ctx *x, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fail_at(x, (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1, fmt,
		    ap);
	va_end(ap);
	return r;
}

int
conf_fail_pos(struct conf_ctx *x, const struct conf_pos *p, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fail_at(x, p->line, p->col, fmt, ap);
	va_end(ap);
	return r;
}

yaml_node_t *
conf_node(struct conf_ctx *x, int idx)
{
	return yaml_document_get_node(x->doc, idx);
}

bool
conf_is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

const char *
conf_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return conf_is_null(n) ? "empty" : "a single value";
	}
}

static int
visit(struct conf_ctx *x, const yaml_node_t *n)
{
	if (++x->visits > CONF_VISIT_MAX)
		return conf_fail(x, n,
				 "the document is too large (more than %d nodes, counting "
				 "every alias use); split it or use fewer aliases",
				 CONF_VISIT_MAX);
	return 0;
}

/* Edit distance, for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[CONF_NAME_MAX + 1];

	if (la > CONF_NAME_MAX || lb > CONF_NAME_MAX)
		return CONF_NAME_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (tolower((unsigned char)a[i - 1]) !=
							   tolower((unsigned char)b[j - 1]));

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static int
unknown_key(struct conf_ctx *x, const yaml_node_t *k, const char *what,
	    const struct conf_keydef *defs, size_t n)
{
	const char *key = (const char *)k->data.scalar.value;
	char list[CONF_ERR_MAX / 2] = "";
	size_t best = SIZE_MAX, bi = 0, used = 0;

	for (size_t i = 0; i < n; i++) {
		size_t d = distance(key, defs[i].name);

		if (d < best) {
			best = d;
			bi = i;
		}
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 i ? ", " : "", defs[i].name);
	}
	if (best <= 2 && best < strlen(key))
		return conf_fail(x, k, "unknown key '%.64s' in %s; did you mean '%s'?", key, what,
				 defs[bi].name);
	return conf_fail(x, k, "unknown key '%.64s' in %s; valid keys are: %s", key, what, list);
}

static int apply(struct conf_ctx *x, const struct conf_keydef *d, yaml_node_t *v, void *obj);

int
conf_walk(struct conf_ctx *x, yaml_node_t *map, const char *what, const struct conf_keydef *defs,
	  size_t n_defs, void *obj, struct conf_map *m)
{
	yaml_node_pair_t *pair;
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = visit(x, map)) < 0)
		return r;
	if (map->type != YAML_MAPPING_NODE && !conf_is_null(map))
		return conf_fail(x, map, "%s must be a mapping (key: value lines), not %s", what,
				 conf_kind(map));
	if (map->type == YAML_MAPPING_NODE) {
		for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top;
		     pair++) {
			yaml_node_t *k = conf_node(x, pair->key), *v = conf_node(x, pair->value);
			size_t i;

			if ((r = visit(x, k)) < 0)
				return r;
			if (k->type != YAML_SCALAR_NODE)
				return conf_fail(x, k, "keys of %s must be names, not %s", what,
						 conf_kind(k));
			for (i = 0; i < n_defs; i++)
				if (!strcmp((const char *)k->data.scalar.value, defs[i].name))
					break;
			if (i == n_defs)
				return unknown_key(x, k, what, defs, n_defs);
			if (m->key[i])
				return conf_fail(
				    x, k, "duplicate key '%s' in %s (first given at line %u)",
				    defs[i].name, what, (unsigned)m->key[i]->start_mark.line + 1);
			m->key[i] = k;
			m->val[i] = v;
		}
	}
	for (size_t i = 0; i < n_defs; i++) {
		if (m->val[i] && (r = apply(x, &defs[i], m->val[i], obj)) < 0)
			return r;
	}
	return 0;
}

int
conf_seq(struct conf_ctx *x, yaml_node_t *n, const char *key, yaml_node_item_t **items,
	 size_t *count)
{
	int r;

	if ((r = visit(x, n)) < 0)
		return r;
	if (conf_is_null(n)) {
		*items = NULL;
		*count = 0;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return conf_fail(x, n, "%s must be a list ([a, b] or '- ' lines), not %s", key,
				 conf_kind(n));
	*items = n->data.sequence.items.start;
	*count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	return 0;
}

yaml_node_t *
conf_map_find(struct conf_ctx *x, yaml_node_t *map, const char *key)
{
	if (map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = conf_node(x, p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
			return conf_node(x, p->value);
	}
	return NULL;
}

int
conf_scalar(struct conf_ctx *x, yaml_node_t *v, const char *key, const char **out)
{
	int r;

	if ((r = visit(x, v)) < 0)
		return r;
	if (v->type != YAML_SCALAR_NODE)
		return conf_fail(x, v, "%s must be a single value, not %s", key, conf_kind(v));
	if (conf_is_null(v))
		return conf_fail(x, v, "%s needs a value", key);
	*out = (const char *)v->data.scalar.value;
	return 0;
}

int
conf_get_uint(struct conf_ctx *x, yaml_node_t *v, const char *key, uint64_t lo, uint64_t hi,
	      uint64_t *out)
{
	const char *s;
	uint64_t n = 0;
	int r;

	if ((r = conf_scalar(x, v, key, &s)) < 0)
		return r;
	if (!*s)
		return conf_fail(x, v, "%s needs a number from %lu to %lu, not an empty string",
				 key, (unsigned long)lo, (unsigned long)hi);
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return conf_fail(x, v,
					 "%s must be a whole number from %lu to %lu, not '%.64s'",
					 key, (unsigned long)lo, (unsigned long)hi, s);
		if (n > UINT32_MAX)
			break;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (n < lo || n > hi)
		return conf_fail(x, v, "%s must be from %lu to %lu, not %.64s", key,
				 (unsigned long)lo, (unsigned long)hi, s);
	*out = n;
	return 0;
}

int
conf_get_bool(struct conf_ctx *x, yaml_node_t *v, const char *key, bool *out)
{
	const char *s;
	int r;

	if ((r = conf_scalar(x, v, key, &s)) < 0)
		return r;
	if (conf_parse_bool(s, out) == 0)
		return 0;
	return conf_fail(x, v, "%s must be true or false (or yes/no), not '%.64s'", key, s);
}

int
conf_get_ms(struct conf_ctx *x, yaml_node_t *v, const char *key, uint64_t lo, uint64_t hi,
	    uint64_t *out)
{
	const char *s, *why;
	char a[32], b[32];
	uint64_t ms;
	int r;

	if ((r = conf_scalar(x, v, key, &s)) < 0)
		return r;
	if (conf_parse_duration(s, &ms, &why) < 0)
		return conf_fail(x, v, "%s: '%.64s' %s", key, s, why);
	if (ms < lo || ms > hi) {
		conf_fmt_ms(lo, a, sizeof(a));
		conf_fmt_ms(hi, b, sizeof(b));
		return conf_fail(x, v, "%s must be from %s to %s, not %.64s", key, a, b, s);
	}
	*out = ms;
	return 0;
}

int
conf_get_str(struct conf_ctx *x, yaml_node_t *v, const char *key, enum conf_vkind kind, char *dst,
	     size_t size)
{
	const char *s;
	size_t len;
	int r;

	if ((r = conf_scalar(x, v, key, &s)) < 0)
		return r;
	len = strlen(s);
	if (len >= size)
		return conf_fail(x, v, "%s is too long (%zu characters, at most %zu)", key, len,
				 size - 1);
	if (conf_str_has_control(s, kind == CK_STR))
		return conf_fail(x, v, "%s must not contain control characters", key);
	if (kind == CK_PATH && s[0] != '/')
		return conf_fail(x, v, "%s must be an absolute path (starting with /), not '%.64s'",
				 key, s);
	if (kind == CK_IFNAME && !conf_ifname_ok(s))
		return conf_fail(x, v,
				 "%s: '%.64s' is not an interface name (1 to 15 characters, "
				 "no '/', ':' or spaces)",
				 key, s);
	if (kind == CK_NAME && len == 0)
		return conf_fail(x, v, "%s must not be empty", key);
	if (kind == CK_NAME && (isspace((unsigned char)s[0]) || isspace((unsigned char)s[len - 1])))
		return conf_fail(x, v, "%s must not start or end with a space", key);
	memcpy(dst, s, len + 1);
	return 0;
}

int
conf_get_enum(struct conf_ctx *x, yaml_node_t *v, const char *key, const char *const *names,
	      int *out)
{
	char list[256] = "";
	size_t used = 0;
	const char *s;
	int r;

	if ((r = conf_scalar(x, v, key, &s)) < 0)
		return r;
	for (int i = 0; names[i]; i++) {
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 i ? ", " : "", names[i]);
	}
	return conf_fail(x, v, "%s: unknown value '%.64s'; use one of: %s", key, s, list);
}

int
conf_get_addr(struct conf_ctx *x, yaml_node_t *v, const char *key, bool cidr, struct conf_addr *out)
{
	const char *s, *why;
	int r;

	if ((r = conf_scalar(x, v, key, &s)) < 0)
		return r;
	if (conf_parse_addr(s, cidr, out, &why) < 0)
		return conf_fail(x, v, "%s: '%.64s' %s", key, s, why);
	return 0;
}

int
conf_get_sockaddr(struct conf_ctx *x, yaml_node_t *v, const char *key, struct conf_sockaddr *out)
{
	const char *s, *why;
	int r;

	if ((r = conf_scalar(x, v, key, &s)) < 0)
		return r;
	if (conf_parse_sockaddr(s, out, &why) < 0)
		return conf_fail(x, v, "%s: '%.64s' %s", key, s, why);
	return 0;
}

static int
apply(struct conf_ctx *x, const struct conf_keydef *d, yaml_node_t *v, void *obj)
{
	char *f = (char *)obj + d->off;
	uint64_t n;
	bool b;
	int r;

	switch (d->kind) {
	case CK_FN:
		return d->fn(x, v, obj);
	case CK_STR:
	case CK_NAME:
	case CK_PATH:
	case CK_IFNAME:
		return conf_get_str(x, v, d->name, d->kind, f, (size_t)d->max);
	case CK_BOOL:
		if ((r = conf_get_bool(x, v, d->name, &b)) == 0)
			*(bool *)(void *)f = b;
		return r;
	case CK_ENUM:
		return conf_get_enum(x, v, d->name, d->names, (int *)(void *)f);
	case CK_MS:
		if ((r = conf_get_ms(x, v, d->name, d->min, d->max, &n)) == 0)
			*(uint32_t *)(void *)f = (uint32_t)n;
		return r;
	default:
		break;
	}
	if ((r = conf_get_uint(x, v, d->name, d->min, d->max, &n)) < 0)
		return r;
	if (d->kind == CK_U8)
		*(uint8_t *)f = (uint8_t)n;
	else if (d->kind == CK_U16)
		*(uint16_t *)(void *)f = (uint16_t)n;
	else
		*(uint32_t *)(void *)f = (uint32_t)n;
	return 0;
}

static int
syntax_error(struct conf_ctx *x, yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "cannot be parsed";

	x->err->line = (unsigned)p->problem_mark.line + 1;
	x->err->col = (unsigned)p->problem_mark.column + 1;
	if (p->context)
		snprintf(x->err->msg, sizeof(x->err->msg), "YAML syntax error: %s (%s at line %u)",
			 problem, p->context, (unsigned)p->context_mark.line + 1);
	else
		snprintf(x->err->msg, sizeof(x->err->msg), "YAML syntax error: %s", problem);
	return -EINVAL;
}

/* Load the first (and only) document of buf into x->doc. */
int
conf_parse_document(struct conf_ctx *x, const char *buf, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	yaml_node_t *root, *second;
	int r = 0;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, x->doc)) {
		r = syntax_error(x, &parser);
		yaml_parser_delete(&parser);
		return r;
	}
	root = yaml_document_get_root_node(x->doc);
	if (!root) {
		x->err->line = 1;
		x->err->col = 1;
		snprintf(x->err->msg, sizeof(x->err->msg),
			 "the configuration is empty; it needs at least a 'services' or 'vrrp' "
			 "section (see lvsd.yaml(5))");
		r = -EINVAL;
	} else if (!yaml_parser_load(&parser, &extra)) {
		r = syntax_error(x, &parser);
	} else {
		second = yaml_document_get_root_node(&extra);
		if (second)
			r = conf_fail(x, second,
				      "only one YAML document is allowed; remove the "
				      "second '---' and what follows it");
		yaml_document_delete(&extra);
	}
	yaml_parser_delete(&parser);
	return r;
}
