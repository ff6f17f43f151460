/* Whether the director is fit to carry a service's VIP: a pure function
 * of what the parent knows, so every director judges alike. */
#include "config.h"

#include <stdio.h>

#include "lvsd/announce/announce_calc.h"

enum ann_why
ann_judge(const struct ann_input *in)
{
	if (in->stopping)
		return ANN_STOPPING;
	if (in->draining)
		return ANN_DRAINING;
	if (!in->ipvs)
		return ANN_NO_IPVS;
	if (!in->applied)
		return ANN_WAIT_APPLY;
	if (!in->programmed)
		return ANN_REFUSED;
	if (in->up >= in->min_up)
		return ANN_FIT;
	/* the servers not known yet could still make it */
	if (in->up + in->unknown >= in->min_up && in->unknown)
		return ANN_WAIT_HEALTH;
	return ANN_TOO_FEW_UP;
}

bool
ann_wants(enum ann_why w, bool *keep)
{
	*keep = w == ANN_WAIT_APPLY || w == ANN_WAIT_HEALTH;
	return w == ANN_FIT;
}

const char *
ann_why_name(enum ann_why w)
{
	static const char *const names[] = {
	    [ANN_FIT] = "fit",
	    [ANN_WAIT_APPLY] = "wait-apply",
	    [ANN_WAIT_HEALTH] = "wait-health",
	    [ANN_STOPPING] = "stopping",
	    [ANN_DRAINING] = "draining",
	    [ANN_NO_IPVS] = "no-ipvs",
	    [ANN_REFUSED] = "refused",
	    [ANN_TOO_FEW_UP] = "too-few-up",
	};

	return (unsigned)w < sizeof(names) / sizeof(names[0]) ? names[w] : "?";
}

const char *
ann_why_str(enum ann_why w, const struct ann_input *in, char *buf, size_t len)
{
	switch (w) {
	case ANN_FIT:
		snprintf(buf, len, "%u of %u real servers up", in->up, in->n_rs);
		break;
	case ANN_WAIT_APPLY:
		snprintf(buf, len, "IPVS table being programmed");
		break;
	case ANN_WAIT_HEALTH:
		snprintf(buf, len, "%u of %u real servers up, %u not checked yet, %u needed",
			 in->up, in->n_rs, in->unknown, in->min_up);
		break;
	case ANN_STOPPING:
		snprintf(buf, len, "lvsd stopping");
		break;
	case ANN_DRAINING:
		snprintf(buf, len, "director draining");
		break;
	case ANN_NO_IPVS:
		snprintf(buf, len, "the kernel has no IPVS");
		break;
	case ANN_REFUSED:
		snprintf(buf, len, "the kernel refused part of the IPVS table");
		break;
	case ANN_TOO_FEW_UP:
		snprintf(buf, len, "%u of %u real servers up, %u needed", in->up, in->n_rs,
			 in->min_up);
		break;
	}
	return buf;
}
