/* reload --confirm (confirm.c): a new generation on trial.  The one before
 * is kept; lvsctl confirm keeps the new one, and without it the previous
 * configuration goes in again, as a reload would, when the time is up -- or
 * at once when, meanwhile, an instance this director held as master is no
 * longer master, or a service that served before the reload has no real
 * server up or falls below its quorum. */
#ifndef LVSD_CONFIRM_H
#define LVSD_CONFIRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lvsd;
struct conf;
struct evbuffer;
struct json;

/* Before a reload installs: note what the running generation holds (its
 * masters, the services that serve).  0, -EBUSY when a trial is on
 * already, -ENOMEM. */
int confirm_begin(struct lvsd *d, uint32_t seconds);
/* The reload failed: forget what confirm_begin noted. */
void confirm_abort(struct lvsd *d);
/* The reload installed: keep prev (the generation before, prev_gen) to
 * roll back to, and start the clock. */
void confirm_keep(struct lvsd *d, struct conf *prev, uint64_t prev_gen);
/* lvsctl confirm: 0 and a line in msg, or -ENOENT when nothing waits. */
int confirm_accept(struct lvsd *d, char *msg, size_t len);
/* The states changed: roll back (soon, from the loop) when the trial
 * broke what the director held. */
void confirm_judge(struct lvsd *d);
/* The rollback hook's half: the configuration to go back to (the caller
 * owns it) and the generation it was; the trial is over. */
struct conf *confirm_take(struct lvsd *d, uint64_t *prev_gen);
void confirm_free(struct lvsd *d);

/* For status and metrics. */
bool confirm_pending(const struct lvsd *d, uint32_t *left_ms);
unsigned confirm_rollbacks(const struct lvsd *d);
void confirm_status_text(const struct lvsd *d, struct evbuffer *out);
void confirm_status_json(const struct lvsd *d, struct json *j);

#endif
