/* Key tables of the top-level sections: global, keys, reports, vrrp; and
 * the entry points conf_load() and conf_load_buffer(). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lvsd/conf/conf_int.h"

#define CONF_FILE_MAX (16u << 20)
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* global */

static int
parse_metrics(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_global *g = obj;
	const char *s;
	int r;

	bool on;

	if ((r = conf_scalar(x, v, "metrics", &s)) < 0)
		return r;
	if (conf_parse_bool(s, &on) == 0) {
		g->metrics_enabled = on;
		return 0;
	}
	g->metrics_enabled = true;
	return conf_get_sockaddr(x, v, "metrics", &g->metrics);
}

static int
parse_sloppy(struct conf_ctx *x, yaml_node_t *v, const char *key, int8_t *out)
{
	bool on;
	int r;

	if ((r = conf_get_bool(x, v, key, &on)) < 0)
		return r;
	*out = on;
	return 0;
}

static int
parse_sloppy_tcp(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	return parse_sloppy(x, v, "sloppy_tcp", &((struct conf_global *)obj)->sloppy_tcp);
}

static int
parse_sloppy_sctp(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	return parse_sloppy(x, v, "sloppy_sctp", &((struct conf_global *)obj)->sloppy_sctp);
}

enum { GL_METRICS = 2, GL_SCRIPT_USER = 7 };
static const struct conf_keydef global_keys[] = {
    CONF_KSTR("director_id", CK_NAME, struct conf_global, director_id),
    CONF_KSTR("control_socket", CK_PATH, struct conf_global, control_socket),
    CONF_KFN("metrics", parse_metrics),
    CONF_KSTR("user", CK_NAME, struct conf_global, user),
    CONF_KSTR("sync_interface", CK_IFNAME, struct conf_global, sync_interface),
    CONF_K("sync_id", CK_U8, struct conf_global, sync_id, 0, 255),
    CONF_K("ipvs_resync", CK_MS, struct conf_global, ipvs_resync_ms, 0, 86400000),
    CONF_KSTR("script_user", CK_NAME, struct conf_global, script_user),
    CONF_KFN("sloppy_tcp", parse_sloppy_tcp),
    CONF_KFN("sloppy_sctp", parse_sloppy_sctp),
    CONF_K("director_drain_wait", CK_MS, struct conf_global, director_drain_ms, 0, 3600000),
};

static int
parse_global(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf *c = obj;
	struct conf_map m;
	int r;

	c->global.pos = conf_node_pos(v);
	if ((r = conf_walk(x, v, "global", global_keys, N(global_keys), &c->global, &m)) < 0)
		return r;
	c->global.metrics_pos = conf_map_pos(&m, GL_METRICS);
	c->global.script_user_pos = conf_map_pos(&m, GL_SCRIPT_USER);
	return 0;
}

/* keys */

static const struct conf_keydef key_keys[] = {
    CONF_KENUM("type", struct conf_key, type, conf_keytype_names),
    CONF_KSTR("file", CK_PATH, struct conf_key, file),
};

static int
parse_key(struct conf_ctx *x, yaml_node_t *kn, yaml_node_t *v, struct conf_key *k)
{
	struct conf_map m;
	int r;

	if ((r = conf_get_str(x, kn, "key name", CK_NAME, k->name, sizeof(k->name))) < 0)
		return r;
	k->pos = conf_node_pos(kn);
	k->type = CONF_KEY_ED25519;
	if ((r = conf_walk(x, v, "a key", key_keys, N(key_keys), k, &m)) < 0)
		return r;
	if (!m.val[1])
		return conf_fail(x, v->type == YAML_MAPPING_NODE ? v : kn,
				 "key '%s' needs 'file': the path of its public key or secret",
				 k->name);
	k->file_pos = conf_node_pos(m.val[1]);
	return 0;
}

static int
parse_keys(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf *c = obj;
	int r;

	if (conf_is_null(v))
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return conf_fail(x, v,
				 "keys must be a mapping of key names to {type, file}, not %s",
				 conf_kind(v));
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = conf_node(x, p->key);
		struct conf_key *k;

		k = conf_grow(c->keys, c->n_keys, sizeof(*k));
		if (!k)
			return -ENOMEM;
		c->keys = k;
		k = &c->keys[c->n_keys++];
		if ((r = parse_key(x, kn, conf_node(x, p->value), k)) < 0)
			return r;
		for (size_t i = 0; i + 1 < c->n_keys; i++)
			if (!strcmp(c->keys[i].name, k->name))
				return conf_fail(x, kn,
						 "duplicate key '%s' in keys (first given at "
						 "line %u)",
						 k->name, c->keys[i].pos.line);
	}
	return 0;
}

/* reports */

static int
parse_listen(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_reports *rp = obj;

	return conf_get_sockaddr(x, v, "listen", &rp->listen);
}

static const struct conf_keydef reports_keys[] = {
    CONF_KFN("listen", parse_listen),
    CONF_K("max_skew", CK_MS, struct conf_reports, max_skew_ms, 1000, 3600000),
    CONF_K("round", CK_MS, struct conf_reports, round_ms, 100, 600000),
    CONF_K("rate_limit", CK_U32, struct conf_reports, rate_limit, 1, 100000),
    CONF_KSTR("history", CK_PATH, struct conf_reports, history),
    CONF_K("history_max_kb", CK_U32, struct conf_reports, history_max_kb, 16, 4194304),
};

static int
parse_reports(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf *c = obj;
	struct conf_map m;
	bool on;
	int r;

	c->reports.pos = conf_node_pos(v);
	if (v->type == YAML_SCALAR_NODE && !conf_is_null(v)) {
		if ((r = conf_get_bool(x, v, "reports", &on)) < 0)
			return r;
		c->reports.enabled = on;
		return 0;
	}
	c->reports.enabled = true;
	return conf_walk(x, v, "reports", reports_keys, N(reports_keys), &c->reports, &m);
}

/* vrrp */

static int
parse_advert(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_vrrp *vr = obj;
	uint64_t ms;
	int r;

	if (vr->version == 2) {
		if ((r = conf_get_ms(x, v, "advert_interval", 1000, 255000, &ms)) < 0)
			return r;
		if (ms % 1000)
			return conf_fail(x, v,
					 "advert_interval must be whole seconds with VRRP "
					 "version 2 (use version: 3 for finer intervals)");
	} else {
		if ((r = conf_get_ms(x, v, "advert_interval", 10, 40950, &ms)) < 0)
			return r;
		if (ms % 10)
			return conf_fail(x, v,
					 "advert_interval must be a multiple of 10ms with "
					 "VRRP version 3");
	}
	vr->advert_interval_ms = (uint32_t)ms;
	return 0;
}

static int
parse_version(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_vrrp *vr = obj;
	uint64_t n;
	int r;

	if ((r = conf_get_uint(x, v, "version", 2, 3, &n)) < 0) {
		const char *s = (const char *)v->data.scalar.value;

		return conf_fail(x, v, "version must be 2 (RFC 3768) or 3 (RFC 5798), not '%.32s'",
				 v->type == YAML_SCALAR_NODE ? s : "?");
	}
	vr->version = (uint8_t)n;
	return 0;
}

static int
addr_list(struct conf_ctx *x, yaml_node_t *v, const char *key, bool cidr, int version,
	  unsigned families, struct conf_addr **out, size_t *n_out)
{
	yaml_node_item_t *items;
	size_t n;
	int r;

	if ((r = conf_seq(x, v, key, &items, &n)) < 0)
		return r;
	free(*out);
	*out = calloc(n ? n : 1, sizeof(**out));
	*n_out = 0;
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = conf_node(x, items[i]);
		struct conf_addr *a = &(*out)[i];
		char buf[CONF_ADDRSTRLEN];

		if ((r = conf_get_addr(x, it, key, cidr, a)) < 0)
			return r;
		if (version == 2 && a->family != AF_INET)
			return conf_fail(x, it,
					 "%s: %s is IPv6, but VRRP version 2 carries IPv4 "
					 "only; use version: 3",
					 key, conf_addr_str(a, buf, sizeof(buf)));
		if (families && !(families & (a->family == AF_INET ? 1u : 2u)))
			return conf_fail(x, it,
					 "%s: %s is %s, but the instance's virtual addresses "
					 "are not",
					 key, conf_addr_str(a, buf, sizeof(buf)),
					 a->family == AF_INET ? "IPv4" : "IPv6");
		for (size_t j = 0; j < i; j++)
			if (conf_addr_same(a, &(*out)[j]))
				return conf_fail(x, it, "%s lists %s twice", key,
						 conf_addr_str(a, buf, sizeof(buf)));
		*n_out = i + 1;
	}
	return 0;
}

static int
parse_vips(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_vrrp *vr = obj;

	return addr_list(x, v, "virtual_addresses", true, vr->version, 0, &vr->vips, &vr->n_vips);
}

static int
parse_peers(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_vrrp *vr = obj;
	unsigned families = 0;

	/* A peer speaks the family of the advertisements, that of the addresses. */
	for (size_t i = 0; i < vr->n_vips; i++)
		families |= vr->vips[i].family == AF_INET ? 1u : 2u;
	return addr_list(x, v, "unicast_peers", false, vr->version, families ? families : 3u,
			 &vr->unicast_peers, &vr->n_unicast_peers);
}

static int
parse_track(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_vrrp *vr = obj;
	yaml_node_item_t *items;
	size_t n;
	int r;

	if ((r = conf_seq(x, v, "track_interfaces", &items, &n)) < 0)
		return r;
	vr->track_interfaces = calloc(n ? n : 1, sizeof(*vr->track_interfaces));
	if (!vr->track_interfaces)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		r = conf_get_str(x, conf_node(x, items[i]), "track_interfaces", CK_IFNAME,
				 vr->track_interfaces[i], CONF_IFNAME_MAX);
		if (r < 0)
			return r;
		vr->n_track_interfaces = i + 1;
	}
	return 0;
}

static int
parse_source(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf_vrrp *vr = obj;
	char buf[CONF_ADDRSTRLEN];
	int r;

	if ((r = conf_get_addr(x, v, "unicast_source", false, &vr->unicast_source)) < 0)
		return r;
	if (vr->n_vips && vr->unicast_source.family != vr->vips[0].family)
		return conf_fail(x, v,
				 "unicast_source %s is not of the family of the instance's first "
				 "virtual address, which its advertisements carry",
				 conf_addr_str(&vr->unicast_source, buf, sizeof(buf)));
	return 0;
}

enum { VR_NAME, VR_IFACE, VR_VRID, VR_VERSION, VR_NOTIFY = 8, VR_VIPS, VR_PEERS, VR_TRACK };
static const struct conf_keydef vrrp_keys[] = {
    CONF_KSTR("name", CK_NAME, struct conf_vrrp, name),
    CONF_K("interface", CK_IFNAME, struct conf_vrrp, interface, 1, CONF_IFNAME_MAX),
    CONF_K("vrid", CK_U8, struct conf_vrrp, vrid, 1, 255),
    CONF_KFN("version", parse_version),
    CONF_K("priority", CK_U8, struct conf_vrrp, priority, 1, 255),
    CONF_KFN("advert_interval", parse_advert),
    CONF_K("preempt", CK_BOOL, struct conf_vrrp, preempt, 0, 0),
    CONF_K("preempt_delay", CK_MS, struct conf_vrrp, preempt_delay_ms, 0, 1000000),
    CONF_KSTR("notify", CK_PATH, struct conf_vrrp, notify),
    CONF_KFN("virtual_addresses", parse_vips),
    CONF_KFN("unicast_peers", parse_peers),
    CONF_KFN("track_interfaces", parse_track),
    CONF_KFN("unicast_source", parse_source),
    CONF_K("announce_repeat", CK_U8, struct conf_vrrp, announce_repeat, 0, 100),
    CONF_K("announce_interval", CK_MS, struct conf_vrrp, announce_interval_ms, 10, 60000),
    CONF_K("strict", CK_BOOL, struct conf_vrrp, strict, 0, 0),
    CONF_KFN("track_scripts", conf_parse_vrrp_track_scripts),
    CONF_KFN("track_files", conf_parse_vrrp_track_files),
};

static int
parse_vrrp_one(struct conf_ctx *x, yaml_node_t *v, struct conf_vrrp *vr, size_t idx)
{
	struct conf_map m;
	int r;

	vr->pos = conf_node_pos(v);
	vr->version = 3;
	vr->priority = 100;
	vr->advert_interval_ms = 1000;
	vr->preempt = true;
	vr->announce_repeat = 3;
	vr->announce_interval_ms = 200;
	vr->strict = true;
	vr->sync_group = -1;
	snprintf(vr->name, sizeof(vr->name), "VI_%zu", idx + 1);
	if ((r = conf_walk(x, v, "a vrrp instance", vrrp_keys, N(vrrp_keys), vr, &m)) < 0)
		return r;
	if (!m.val[VR_IFACE])
		return conf_fail(x, v,
				 "vrrp instance %s needs 'interface': the link it "
				 "advertises on",
				 vr->name);
	if (!m.val[VR_VRID])
		return conf_fail(x, v,
				 "vrrp instance %s needs 'vrid' (1 to 255), the same on "
				 "both directors",
				 vr->name);
	if (vr->n_vips == 0)
		return conf_fail(x, m.val[VR_VIPS] ? m.val[VR_VIPS] : v,
				 "vrrp instance %s needs at least one address in "
				 "'virtual_addresses'",
				 vr->name);
	vr->interface_pos = conf_node_pos(m.val[VR_IFACE]);
	vr->notify_pos = conf_map_pos(&m, VR_NOTIFY);
	vr->peers_pos = conf_map_pos(&m, VR_PEERS);
	vr->track_pos = conf_map_pos(&m, VR_TRACK);
	return 0;
}

static int
parse_vrrp(struct conf_ctx *x, yaml_node_t *v, void *obj)
{
	struct conf *c = obj;
	yaml_node_item_t *items;
	size_t n;
	int r;

	if ((r = conf_seq(x, v, "vrrp", &items, &n)) < 0)
		return r;
	c->vrrp = calloc(n ? n : 1, sizeof(*c->vrrp));
	if (!c->vrrp)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		c->n_vrrp = i + 1;
		r = parse_vrrp_one(x, conf_node(x, items[i]), &c->vrrp[i], i);
		if (r < 0)
			return r;
	}
	return 0;
}

/* the root */

static const struct conf_keydef root_keys[] = {
    CONF_KFN("global", parse_global),
    CONF_KFN("keys", parse_keys),
    CONF_KFN("reports", parse_reports),
    /* before vrrp, which names them; sync groups after, naming instances */
    CONF_KFN("track_scripts", conf_parse_track_scripts),
    CONF_KFN("track_files", conf_parse_track_files),
    CONF_KFN("vrrp", parse_vrrp),
    CONF_KFN("vrrp_sync_groups", conf_parse_sync_groups),
    CONF_KFN("services", conf_parse_services),
};

int
conf_parse_root(struct conf_ctx *x, yaml_node_t *root)
{
	struct conf_map m;

	if (root->type != YAML_MAPPING_NODE)
		return conf_fail(x, root,
				 "the configuration must be a mapping with sections "
				 "global, keys, reports, track_scripts, track_files, vrrp, "
				 "vrrp_sync_groups, services; not %s",
				 conf_kind(root));
	return conf_walk(x, root, "the top level", root_keys, N(root_keys), x->c, &m);
}

int
conf_load_buffer(const char *name, const char *buf, size_t len, struct conf **out,
		 struct conf_error *err)
{
	yaml_document_t doc;
	struct conf_ctx x = {.doc = &doc, .err = err};
	int r;

	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", name);
	memset(&doc, 0, sizeof(doc));
	x.c = calloc(1, sizeof(*x.c));
	if (!x.c) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	snprintf(x.c->file, sizeof(x.c->file), "%s", name);
	conf_defaults(x.c);
	r = conf_parse_document(&x, buf, len);
	if (r == 0)
		r = conf_parse_root(&x, yaml_document_get_root_node(&doc));
	if (r == 0)
		r = conf_validate(&x);
	yaml_document_delete(&doc);
	if (r < 0) {
		if (r == -ENOMEM)
			snprintf(err->msg, sizeof(err->msg), "out of memory");
		conf_free(x.c);
		return r;
	}
	*out = x.c;
	return 0;
}

/* The whole file into *buf; *why explains the errors strerror() does not. */
static int
read_file(const char *path, char **buf, size_t *len, const char **why)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > CONF_FILE_MAX) {
		r = S_ISREG(st.st_mode) ? -EFBIG : -EINVAL;
		*why = S_ISREG(st.st_mode) ? "larger than 16 MiB" : "not a regular file";
		goto out;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		r = -ENOMEM;
		goto out;
	}
	/* Up to st_size bytes and one more to see the end: a file that is
	 * shorter or longer than fstat() said is being changed under us. */
	for (;;) {
		n = read(fd, *buf + got, (size_t)st.st_size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0 || (got += (size_t)n) > (size_t)st.st_size)
			break;
	}
	if (got != (size_t)st.st_size) {
		r = -EIO;
		*why = "its size changed while it was read";
		goto out;
	}
	*len = got;
out:
	close(fd);
	return r;
}

int
conf_load(const char *path, struct conf **out, struct conf_error *err)
{
	const char *why = NULL;
	char *buf = NULL;
	size_t len = 0;
	int r;

	r = read_file(path, &buf, &len, &why);
	if (r < 0) {
		memset(err, 0, sizeof(*err));
		snprintf(err->file, sizeof(err->file), "%s", path);
		snprintf(err->msg, sizeof(err->msg), "cannot read the configuration: %s",
			 why ? why : strerror(-r));
		free(buf);
		return r;
	}
	r = conf_load_buffer(path, buf, len, out, err);
	free(buf);
	return r;
}
