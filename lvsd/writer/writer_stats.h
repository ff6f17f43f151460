/* What the IPVS writer tells status (writer_stats() in writer.h), and
 * keeps while it works (writer_int.h). */
#ifndef LVSD_WRITER_STATS_H
#define LVSD_WRITER_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct writer_stats {
	bool available;
	uint32_t version;	  /* the kernel's IPVS version, e.g. 0x010201 */
	uint32_t conn_tab_size;	  /* its connection hash table size */
	size_t services;	  /* wanted by the configuration */
	size_t services_accepted; /* of those, in the kernel as far as it told us */
	size_t dests;		  /* wanted */
	size_t dests_accepted;	  /* in the kernel with the wanted options... */
	size_t dests_weight_ok;	  /* ...and the wanted weight */
	size_t pending;		  /* changes queued, not sent */
	size_t in_flight;	  /* requests sent, not answered */
	unsigned refused;	  /* refusals in the last apply */
	unsigned applied_ops;	  /* accepted operations of the last apply */
	unsigned long long applies;
	unsigned long long dumps;	   /* full reads of the kernel's table */
	double last_dump_s;		   /* how long the last one held the loop */
	unsigned long long resyncs;	   /* periodic resyncs done */
	unsigned long long repairs;	   /* operations resyncs made to repair drift */
	unsigned long long weight_changes; /* SET_DEST sent for weight changes */
	unsigned long long batches;	   /* batches of operations the kernel answered */
	unsigned long long ops_total;	   /* operations it accepted, since the start */
	unsigned long long refused_total;  /* operations it refused, since the start */
};

#endif
