/* The parent's mapping from the configuration model to the IPVS adapter's
 * table (lvsd/ipvs/ipvs_table.h): the kernel services and destinations a
 * configuration asks for.  Pure: no I/O. */
#ifndef LVSD_TABLE_H
#define LVSD_TABLE_H

#include "lvsd/conf/conf.h"
#include "lvsd/ipvs/ipvs_index.h"
#include "lvsd/ipvs/ipvs_table.h"

/* A weight that keeps a destination out of the kernel's table: a real
 * server removed while down (on_down: remove), a sorry server while the
 * service has servers that take connections. */
#define TABLE_ABSENT UINT32_MAX

/* Effective weight of destination slot rs_idx of service svc_idx (indices
 * into conf.services and its rs array; rs_idx == n_rs is the service's
 * sorry server), given its static weight: the parent returns 0 while a
 * server is down or drained, TABLE_ABSENT to leave it out, else the
 * proposed weight. */
typedef uint32_t (*table_weight_fn)(void *arg, size_t svc_idx, size_t rs_idx,
				    uint32_t static_weight);

/* What the kernel gets with every server up: static weights, no sorry
 * servers. */
int table_from_conf(const struct conf *c, struct ipvs_table *out);
/* Every destination slot, weights from fn: per service its real servers
 * in order, then its sorry server when it has one.  Slots fn leaves out
 * carry the weight TABLE_ABSENT.  fn NULL: static weights, sorry servers
 * absent. */
int table_from_conf_w(const struct conf *c, table_weight_fn fn, void *arg,
		      struct ipvs_table *out);
/* The table the kernel should have: t without its TABLE_ABSENT slots.
 * 0 or -ENOMEM. */
int table_present(const struct ipvs_table *t, struct ipvs_table *out);
/* The ipvs_service of one configured service (key and options, no dests). */
int table_service(const struct conf_service *s, struct ipvs_service *out);
/* The destination of real server rs of service s, with the given weight
 * (TABLE_ABSENT kept as it is). */
int table_dest(const struct conf_service *s, const struct ipvs_service *svc,
	       const struct conf_rs *rs, uint32_t weight, struct ipvs_dest *out);
/* The destination of s's sorry server. */
int table_sorry(const struct conf_service *s, const struct ipvs_service *svc, uint32_t weight,
		struct ipvs_dest *out);

/* A configuration's real servers by identity: the service's IPVS key and
 * the destination's address and port, what a reload and a restart match
 * on.  t is table_from_conf()'s: t.svcs[svc].dests[rs] is real server rs
 * of service svc. */
struct table_ids {
	struct ipvs_table t;
	struct ipvs_index x;
};
/* 0 or -ENOMEM (-EINVAL for a configuration the table cannot hold). */
int table_ids_build(const struct conf *c, struct table_ids *out);
void table_ids_free(struct table_ids *ids);
/* The real server with these keys: true and *svc, *rs set, or false. */
bool table_ids_find(const struct table_ids *ids, const struct ipvs_service *svc_key,
		    const struct ipvs_dest *dest_key, size_t *svc, size_t *rs);
/* fn(arg, svc, rs, old_svc, old_rs) for every real server of c that old
 * has too.  0 or -errno (nothing called). */
int table_map(const struct conf *c, const struct conf *old,
	      void (*fn)(void *arg, size_t svc, size_t rs, size_t old_svc, size_t old_rs),
	      void *arg);

#endif
