/* The parent's mapping from the configuration model to the IPVS adapter's
 * table (lvsd/ipvs/ipvs_table.h): the kernel services and destinations a
 * configuration asks for.  Pure: no I/O. */
#ifndef LVSD_TABLE_H
#define LVSD_TABLE_H

#include "lvsd/conf/conf.h"
#include "lvsd/ipvs/ipvs_table.h"

/* Effective weight of real server rs_idx of service svc_idx (indices into
 * conf.services and its rs array), given its static weight: the parent
 * returns 0 while it is down or drained, else the proposed weight. */
typedef uint32_t (*table_weight_fn)(void *arg, size_t svc_idx, size_t rs_idx,
				    uint32_t static_weight);

/* Desired table from a configuration with static weights. */
int table_from_conf(const struct conf *c, struct ipvs_table *out);
/* The same with weights from fn (NULL: static weights). */
int table_from_conf_w(const struct conf *c, table_weight_fn fn, void *arg,
		      struct ipvs_table *out);
/* The ipvs_service of one configured service (key and options, no dests). */
int table_service(const struct conf_service *s, struct ipvs_service *out);
/* The destination of real server rs of service s, with the given weight. */
int table_dest(const struct conf_service *s, const struct ipvs_service *svc,
	       const struct conf_rs *rs, uint32_t weight, struct ipvs_dest *out);

#endif
