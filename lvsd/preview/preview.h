/* What a new configuration would change, said before anything is applied
 * (lvsctl reload --dry-run): VRRP instances, IPVS services and
 * destinations (the writer's own diff of the two tables, with static
 * weights), checks, announces and weight policies, each added, removed or
 * edited with old -> new values.  Pure: two configurations in, text out. */
#ifndef LVSD_PREVIEW_H
#define LVSD_PREVIEW_H

struct conf;
struct evbuffer;

/* Append to out what replacing old by new would change, one line per
 * change under a heading per kind, then "N changes" (or "no change").
 * Returns the number of changes, or -ENOMEM. */
int preview_diff(const struct conf *old, const struct conf *new, struct evbuffer *out);

#endif
