/* Whether a director is fit to announce a service's VIP (announce.h):
 * the judgement of one service, pure. */
#ifndef LVSD_ANNOUNCE_CALC_H
#define LVSD_ANNOUNCE_CALC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why a service is fit or not.  ANN_WAIT: not known yet (the first
 * reconcile of a generation in flight, or too few results): the route stays
 * as the kernel has it, so neither a restart nor a reload flaps it. */
enum ann_why {
	ANN_FIT,
	ANN_WAIT_APPLY,
	ANN_WAIT_HEALTH,
	ANN_STOPPING,
	ANN_DRAINING,
	ANN_NO_IPVS,
	ANN_REFUSED,
	ANN_TOO_FEW_UP,
};

/* What the judgement of one service reads. */
struct ann_input {
	bool stopping;	  /* lvsd is stopping */
	bool draining;	  /* lvsctl drain --director */
	bool ipvs;	  /* the kernel has IPVS */
	bool applied;	  /* the kernel answered the generation's reconcile */
	bool programmed;  /* ...and accepted every service */
	uint32_t up;	  /* real servers up (or unchecked), not drained, weight > 0 */
	uint32_t unknown; /* checked real servers without a first result */
	uint32_t n_rs;
	uint32_t min_up;
};

enum ann_why ann_judge(const struct ann_input *in);
/* true: announce; false: withdraw; ANN_WAIT_*: keep (*keep = true). */
bool ann_wants(enum ann_why w, bool *keep);
/* "3 of 3 real servers up", "draining", ... */
const char *ann_why_str(enum ann_why w, const struct ann_input *in, char *buf, size_t len);
/* "fit", "wait-apply", ... for JSON */
const char *ann_why_name(enum ann_why w);

#endif
