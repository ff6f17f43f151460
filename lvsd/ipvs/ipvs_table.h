/* A desired IPVS table, the difference to the kernel's, and reconcile.
 * The table is the adapter's own type (ipvs.h); lvsd/writer/table.h builds one from the
 * configuration.
 *
 * Ownership rule.  lvsd owns exactly the services whose key (af + protocol +
 * address + port, or af + fwmark) is in its current configuration or in the
 * previous one (the generation a reload replaced).  ipvs_table_diff never
 * emits an operation for a kernel service outside that set, whatever else is
 * in the kernel.  Inside an owned service lvsd owns every destination:
 * destinations the configuration does not list are deleted.  An owned
 * service present in the kernel but no longer in the configuration is
 * deleted; a service of the configuration that someone else created first
 * is adopted and edited into shape.  Nothing is ever flushed.  After a
 * restart the caller passes the last run's table, read from the ownership
 * record (ipvs_owned.h), so services removed from the file while lvsd was
 * down are deleted too.
 *
 * Operations come in a safe order: service deletions and edits, service
 * additions, then per service destination deletions, edits and additions.
 */
#ifndef LVSD_IPVS_TABLE_H
#define LVSD_IPVS_TABLE_H

#include "lvsd/ipvs/ipvs.h"

void ipvs_table_free(struct ipvs_table *t);
const struct ipvs_table_svc *ipvs_table_find(const struct ipvs_table *t,
					     const struct ipvs_service *key);

/* The operations that turn have (the kernel) into want for the services
 * lvsd owns: the keys of want and of prev (may be NULL).  Pure. */
int ipvs_table_diff(const struct ipvs_table *want, const struct ipvs_table *prev,
		    const struct ipvs_table *have, struct ipvs_ops *out);
void ipvs_ops_free(struct ipvs_ops *ops);

/* Read the kernel's table (every service and its dests). */
int ipvs_table_read(struct ipvs_nl *nl, struct ipvs_table *out);
/* Send every operation; each keeps its own result in ops[i].err.  Returns
 * the number of refused operations or a negative errno (socket failure). */
int ipvs_table_apply(struct ipvs_nl *nl, struct ipvs_ops *ops);
/* Read, diff and apply.  out receives the operations with their results so
 * the caller can log each refusal. */
int ipvs_table_reconcile(struct ipvs_nl *nl, const struct ipvs_table *want,
			 const struct ipvs_table *prev, struct ipvs_ops *out);

#endif
