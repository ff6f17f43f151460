/* Internals of the configuration loader, shared by lvsd/conf*.c only.
 *
 * The loader reads the whole file into a libyaml document, then walks it
 * with key tables: each mapping is checked for unknown and duplicate keys
 * first, then its values are parsed in table order (so a value may depend
 * on one listed before it, whatever order the file uses).  The first error
 * stops the walk and lands in struct conf_error with the node's position.
 */
#ifndef LVSD_CONF_INT_H
#define LVSD_CONF_INT_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "lvsd/conf/conf.h"

#define CONF_MAP_MAX 24	      /* keys in one table at most */
#define CONF_VISIT_MAX 500000 /* nodes walked at most (aliases can multiply) */
#define CONF_IFNAME_MAX 16    /* IFNAMSIZ */

/* The keys a mapping had: key and value nodes, indexed like its table. */
struct conf_map {
	yaml_node_t *key[CONF_MAP_MAX];
	yaml_node_t *val[CONF_MAP_MAX];
};

struct conf_ctx {
	yaml_document_t *doc;
	struct conf *c;
	struct conf_error *err;
	struct conf_service *svc; /* the service being parsed */
	struct conf_map *svc_map; /* its keys */
	yaml_node_t *svc_node;
	bool svc_shaped; /* its shape was checked */
	unsigned long visits;
};

/* How a key's value is parsed and where it goes (offset into the object). */
enum conf_vkind {
	CK_FN,	   /* custom handler */
	CK_STR,	   /* non-empty string, max = buffer size */
	CK_NAME,   /* like CK_STR, printable, no spaces at the ends */
	CK_PATH,   /* absolute path, max = buffer size */
	CK_IFNAME, /* network interface name */
	CK_U8,
	CK_U16,
	CK_U32,
	CK_BOOL,
	CK_MS,	 /* duration into a uint32_t of milliseconds */
	CK_ENUM, /* one of names[], stored as int */
};

struct conf_ctx;
typedef int (*conf_handler)(struct conf_ctx *x, yaml_node_t *val, void *obj);

struct conf_keydef {
	const char *name;
	enum conf_vkind kind;
	size_t off;
	uint64_t min, max;
	const char *const *names; /* CK_ENUM: NULL-terminated */
	conf_handler fn;
};

#define CONF_KFN(n, f)                                                                             \
	{                                                                                          \
		(n), CK_FN, 0, 0, 0, NULL, (f)                                                     \
	}
#define CONF_K(n, k, type, field, lo, hi)                                                          \
	{                                                                                          \
		(n), (k), offsetof(type, field), (lo), (hi), NULL, NULL                            \
	}
#define CONF_KSTR(n, k, type, field)                                                               \
	{                                                                                          \
		(n), (k), offsetof(type, field), 1, sizeof(((type *)0)->field), NULL, NULL         \
	}
#define CONF_KENUM(n, type, field, tab)                                                            \
	{                                                                                          \
		(n), CK_ENUM, offsetof(type, field), 0, 0, (tab), NULL                             \
	}

/* conf_yaml.c: documents, nodes, errors, walking */
int conf_fail(struct conf_ctx *x, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int conf_fail_pos(struct conf_ctx *x, const struct conf_pos *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
struct conf_pos conf_node_pos(const yaml_node_t *n);
yaml_node_t *conf_node(struct conf_ctx *x, int idx);
bool conf_is_null(const yaml_node_t *n);
const char *conf_kind(const yaml_node_t *n);
int conf_walk(struct conf_ctx *x, yaml_node_t *map, const char *what,
	      const struct conf_keydef *defs, size_t n_defs, void *obj, struct conf_map *m);
int conf_seq(struct conf_ctx *x, yaml_node_t *n, const char *key, yaml_node_item_t **items,
	     size_t *count);
/* Where the key of table entry i was written; line 0 when it is absent. */
struct conf_pos conf_map_pos(const struct conf_map *m, int i);
yaml_node_t *conf_map_find(struct conf_ctx *x, yaml_node_t *map, const char *key);
int conf_scalar(struct conf_ctx *x, yaml_node_t *v, const char *key, const char **out);
int conf_get_uint(struct conf_ctx *x, yaml_node_t *v, const char *key, uint64_t lo, uint64_t hi,
		  uint64_t *out);
int conf_get_bool(struct conf_ctx *x, yaml_node_t *v, const char *key, bool *out);
int conf_get_ms(struct conf_ctx *x, yaml_node_t *v, const char *key, uint64_t lo, uint64_t hi,
		uint64_t *out);
int conf_get_str(struct conf_ctx *x, yaml_node_t *v, const char *key, enum conf_vkind kind,
		 char *dst, size_t size);
int conf_get_enum(struct conf_ctx *x, yaml_node_t *v, const char *key, const char *const *names,
		  int *out);
int conf_get_addr(struct conf_ctx *x, yaml_node_t *v, const char *key, bool cidr,
		  struct conf_addr *out);
int conf_get_sockaddr(struct conf_ctx *x, yaml_node_t *v, const char *key,
		      struct conf_sockaddr *out);
int conf_parse_document(struct conf_ctx *x, const char *buf, size_t len);

/* conf_parse.c / conf_service.c: sections */
int conf_parse_root(struct conf_ctx *x, yaml_node_t *root);
int conf_parse_services(struct conf_ctx *x, yaml_node_t *val, void *obj);
int conf_parse_check(struct conf_ctx *x, yaml_node_t *val, struct conf_check *chk);

/* conf_announce.c: a service's announce section, and one table per VIP */
int conf_parse_announce(struct conf_ctx *x, yaml_node_t *val, void *obj);
int conf_check_announce(struct conf_ctx *x);

/* conf_track.c: tracked objects, references to them, sync groups */
int conf_parse_track_scripts(struct conf_ctx *x, yaml_node_t *val, void *obj);
int conf_parse_track_files(struct conf_ctx *x, yaml_node_t *val, void *obj);
int conf_parse_vrrp_track_scripts(struct conf_ctx *x, yaml_node_t *val, void *obj);
int conf_parse_vrrp_track_files(struct conf_ctx *x, yaml_node_t *val, void *obj);
int conf_parse_sync_groups(struct conf_ctx *x, yaml_node_t *val, void *obj);

/* conf_check.c: validation across objects */
int conf_validate(struct conf_ctx *x);

/* conf_util.c: pure parsing and defaults */
int conf_parse_duration(const char *s, uint64_t *ms, const char **why);
int conf_parse_bool(const char *s, bool *out);
bool conf_str_has_control(const char *s, bool allow_tab_nl);
int conf_parse_addr(const char *s, bool cidr, struct conf_addr *out, const char **why);
int conf_parse_sockaddr(const char *s, struct conf_sockaddr *out, const char **why);
int conf_mask_prefix(const struct conf_addr *mask);
void conf_prefix_mask(int family, unsigned prefix, struct conf_addr *out);
bool conf_ifname_ok(const char *s);
void conf_defaults(struct conf *c);
void conf_check_defaults(struct conf_check *chk);
void conf_policy_defaults(struct conf_policy_params *p);
void conf_fmt_ms(uint64_t ms, char *buf, size_t len);
void *conf_grow(void *arr, size_t n, size_t size);

extern const char *const conf_proto_names[];
extern const char *const conf_fwd_names[];
extern const char *const conf_tun_names[];
extern const char *const conf_tun_csum_names[];
extern const char *const conf_check_names[];
extern const char *const conf_policy_names[];
extern const char *const conf_keytype_names[];
extern const char *const conf_on_down_names[];
extern const char *const conf_schedulers[];

#endif
