/* Tracked objects and sync groups: the top-level track_scripts and
 * track_files maps, the instances' references to them, and
 * vrrp_sync_groups.  The root table parses track_* before vrrp and
 * vrrp_sync_groups after it, so every name resolves here, at its node. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/conf/conf_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A weight: an integer from -254 to 254. */
static int
get_weight(struct conf_ctx *x, yaml_node_t *v, const char *key, int16_t *out)
{
	const char *s;
	char *end;
	long n;
	int r;

	if ((r = conf_scalar(x, v, key, &s)) < 0)
		return r;
	n = strtol(s, &end, 10);
	if (!*s || *end || n < -CONF_TRACK_WEIGHT_MAX || n > CONF_TRACK_WEIGHT_MAX)
		return conf_fail(x, v, "%s must be an integer from -%d to %d, not '%.64s'", key,
				 CONF_TRACK_WEIGHT_MAX, CONF_TRACK_WEIGHT_MAX, s);
	*out = (int16_t)n;
	return 0;
}

static int
script_weight(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	return get_weight(x, v, "weight", &((struct conf_track_script *)obj)->weight);
}

static int
file_weight(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	return get_weight(x, v, "weight", &((struct conf_track_file *)obj)->weight);
}

enum { TS_SCRIPT, TS_INTERVAL, TS_TIMEOUT };
static const struct conf_keydef script_keys[] = {
    CONF_KSTR("script", CK_STR, struct conf_track_script, script),
    CONF_K("interval", CK_MS, struct conf_track_script, interval_ms, 100, 3600000),
    CONF_K("timeout", CK_MS, struct conf_track_script, timeout_ms, 10, 3600000),
    CONF_KFN("weight", script_weight),
    CONF_K("rise", CK_U16, struct conf_track_script, rise, 1, 1000),
    CONF_K("fall", CK_U16, struct conf_track_script, fall, 1, 1000),
};

static int
parse_script_one(struct conf_ctx *x, yaml_node_t *kn, yaml_node_t *v, struct conf_track_script *t)
{
	struct conf_map m;
	int r;

	if ((r = conf_get_str(x, kn, "track script name", CK_NAME, t->name, sizeof(t->name))) < 0)
		return r;
	t->pos = conf_node_pos(kn);
	t->interval_ms = 2000;
	t->rise = t->fall = 1;
	if ((r = conf_walk(x, v, "a track script", script_keys, N(script_keys), t, &m)) < 0)
		return r;
	if (!m.val[TS_SCRIPT])
		return conf_fail(x, v->type == YAML_MAPPING_NODE ? v : kn,
				 "track script '%s' needs 'script': the command to run", t->name);
	if (t->script[0] != '/')
		return conf_fail(x, m.val[TS_SCRIPT],
				 "track script '%s': the script must start with an absolute "
				 "path, not '%.64s'",
				 t->name, t->script);
	if (!m.val[TS_TIMEOUT])
		t->timeout_ms = t->interval_ms / 2 < 2000 ? t->interval_ms / 2 : 2000;
	if (t->timeout_ms >= t->interval_ms)
		return conf_fail(x, m.val[TS_TIMEOUT],
				 "track script '%s': timeout must be shorter than interval (%u ms "
				 "is not below %u ms)",
				 t->name, t->timeout_ms, t->interval_ms);
	return 0;
}

static const struct conf_keydef file_keys[] = {
    CONF_KSTR("file", CK_PATH, struct conf_track_file, file),
    CONF_KFN("weight", file_weight),
};

static int
parse_file_one(struct conf_ctx *x, yaml_node_t *kn, yaml_node_t *v, struct conf_track_file *t)
{
	struct conf_map m;
	int r;

	if ((r = conf_get_str(x, kn, "track file name", CK_NAME, t->name, sizeof(t->name))) < 0)
		return r;
	t->pos = conf_node_pos(kn);
	t->weight = 1;
	if ((r = conf_walk(x, v, "a track file", file_keys, N(file_keys), t, &m)) < 0)
		return r;
	if (!m.val[0])
		return conf_fail(x, v->type == YAML_MAPPING_NODE ? v : kn,
				 "track file '%s' needs 'file': the path of the file holding an "
				 "integer",
				 t->name);
	return 0;
}

/* A mapping of names to objects: each parsed by one(), names unique. */
static int
parse_named_map(struct conf_ctx *x, yaml_node_t *v, const char *key, void **arr, size_t *n,
		size_t size, int (*one)(struct conf_ctx *, yaml_node_t *, yaml_node_t *, void *))
{
	int r;

	if (conf_is_null(v))
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return conf_fail(x, v, "%s must be a mapping of names to objects, not %s", key,
				 conf_kind(v));
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = conf_node(x, p->key);
		char *a = conf_grow(*arr, *n, size), *t;

		if (!a)
			return -ENOMEM;
		*arr = a;
		t = a + (*n)++ * size;
		if ((r = one(x, kn, conf_node(x, p->value), t)) < 0)
			return r;
		/* name is the first member of both object types */
		for (size_t i = 0; i + 1 < *n; i++)
			if (!strcmp(a + i * size, t))
				return conf_fail(x, kn, "duplicate name '%s' in %s", t, key);
	}
	return 0;
}

static int
one_script(struct conf_ctx *x, yaml_node_t *kn, yaml_node_t *v, void *t)
{
	return parse_script_one(x, kn, v, t);
}

static int
one_file(struct conf_ctx *x, yaml_node_t *kn, yaml_node_t *v, void *t)
{
	return parse_file_one(x, kn, v, t);
}

int
conf_parse_track_scripts(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf *c = obj;

	return parse_named_map(x, v, "track_scripts", (void **)&c->track_scripts,
			       &c->n_track_scripts, sizeof(*c->track_scripts), one_script);
}

int
conf_parse_track_files(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf *c = obj;

	return parse_named_map(x, v, "track_files", (void **)&c->track_files, &c->n_track_files,
			       sizeof(*c->track_files), one_file);
}

/* references from an instance */

struct ref_entry {
	char name[CONF_NAME_MAX];
	int16_t weight;
};

static int
ref_weight(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	return get_weight(x, v, "weight", &((struct ref_entry *)obj)->weight);
}

static const struct conf_keydef ref_keys[] = {
    CONF_KSTR("name", CK_NAME, struct ref_entry, name),
    CONF_KFN("weight", ref_weight),
};

/* One reference: NAME or {name: NAME, weight: W}; *id and *weight of it. */
static int
parse_ref(struct conf_ctx *x, yaml_node_t *it, const char *key, bool files,
	  struct conf_track_ref *ref)
{
	const struct conf *c = x->c;
	struct ref_entry e;
	struct conf_map m;
	size_t n = files ? c->n_track_files : c->n_track_scripts;
	int r;

	memset(&e, 0, sizeof(e));
	if (it->type == YAML_MAPPING_NODE) {
		if ((r = conf_walk(x, it, key, ref_keys, N(ref_keys), &e, &m)) < 0)
			return r;
		if (!m.val[0])
			return conf_fail(x, it, "%s: a reference needs 'name'", key);
	} else if ((r = conf_get_str(x, it, key, CK_NAME, e.name, sizeof(e.name))) < 0) {
		return r;
	}
	ref->pos = conf_node_pos(it);
	for (size_t i = 0; i < n; i++) {
		const char *name = files ? c->track_files[i].name : c->track_scripts[i].name;

		if (strcmp(name, e.name))
			continue;
		ref->id = (uint32_t)i;
		ref->weight = files ? c->track_files[i].weight : c->track_scripts[i].weight;
		if (it->type == YAML_MAPPING_NODE && m.val[1])
			ref->weight = e.weight;
		return 0;
	}
	return conf_fail(x, it, "%s: unknown %s '%.64s'; define it under the top-level %s", key,
			 files ? "track file" : "track script", e.name, key);
}

static int
parse_refs(struct conf_ctx *x, yaml_node_t *v, const char *key, bool files,
	   struct conf_track_ref **out, size_t *n_out)
{
	yaml_node_item_t *items;
	size_t n;
	int r;

	if ((r = conf_seq(x, v, key, &items, &n)) < 0)
		return r;
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = conf_node(x, items[i]);

		if ((r = parse_ref(x, it, key, files, &(*out)[i])) < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			if ((*out)[j].id == (*out)[i].id)
				return conf_fail(x, it, "%s lists the same object twice", key);
		*n_out = i + 1;
	}
	return 0;
}

int
conf_parse_vrrp_track_scripts(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_vrrp *vr = obj;

	return parse_refs(x, v, "track_scripts", false, &vr->track_scripts, &vr->n_track_scripts);
}

int
conf_parse_vrrp_track_files(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_vrrp *vr = obj;

	return parse_refs(x, v, "track_files", true, &vr->track_files, &vr->n_track_files);
}

/* sync groups */

static int
group_members(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_sync_group *g = obj;
	struct conf *c = x->c;
	yaml_node_item_t *items;
	char name[CONF_NAME_MAX];
	size_t n;
	int r;

	if ((r = conf_seq(x, v, "instances", &items, &n)) < 0)
		return r;
	g->members = calloc(n ? n : 1, sizeof(*g->members));
	if (!g->members)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = conf_node(x, items[i]);
		size_t k;

		if ((r = conf_get_str(x, it, "instances", CK_NAME, name, sizeof(name))) < 0)
			return r;
		for (k = 0; k < c->n_vrrp && strcmp(c->vrrp[k].name, name); k++)
			;
		if (k == c->n_vrrp)
			return conf_fail(x, it, "sync group %s: unknown vrrp instance '%.64s'",
					 g->name, name);
		if (c->vrrp[k].sync_group >= 0)
			return conf_fail(x, it,
					 "sync group %s: vrrp instance %s is already in sync "
					 "group %s; an instance belongs to one group at most",
					 g->name, name, c->sync_groups[c->vrrp[k].sync_group].name);
		c->vrrp[k].sync_group = (int)(g - c->sync_groups);
		g->members[i] = (uint32_t)k;
		g->n_members = i + 1;
	}
	return 0;
}

enum { SG_NAME, SG_INSTANCES };
static const struct conf_keydef group_keys[] = {
    CONF_KSTR("name", CK_NAME, struct conf_sync_group, name),
    CONF_KFN("instances", group_members),
    CONF_KSTR("notify", CK_PATH, struct conf_sync_group, notify),
};

int
conf_parse_sync_groups(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf *c = obj;
	yaml_node_item_t *items;
	size_t n;
	int r;

	if ((r = conf_seq(x, v, "vrrp_sync_groups", &items, &n)) < 0)
		return r;
	c->sync_groups = calloc(n ? n : 1, sizeof(*c->sync_groups));
	if (!c->sync_groups)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = conf_node(x, items[i]);
		struct conf_sync_group *g = &c->sync_groups[i];
		struct conf_map m;

		c->n_sync_groups = i + 1;
		g->pos = conf_node_pos(it);
		snprintf(g->name, sizeof(g->name), "G_%zu", i + 1);
		if ((r = conf_walk(x, it, "a sync group", group_keys, N(group_keys), g, &m)) < 0)
			return r;
		if (!m.val[SG_INSTANCES] || g->n_members == 0)
			return conf_fail(x, m.val[SG_INSTANCES] ? m.val[SG_INSTANCES] : it,
					 "sync group %s needs 'instances': the vrrp instances "
					 "that fail over together",
					 g->name);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->sync_groups[j].name, g->name))
				return conf_fail(x, it, "duplicate sync group name '%s'", g->name);
	}
	return 0;
}
