/* What lvsctl status shows (status.c): the processes and the loaded
 * configuration, as text for people and as JSON for programs. */
#ifndef LVSD_STATUS_H
#define LVSD_STATUS_H

struct evbuffer;
struct lvsd;

void status_render_text(const struct lvsd *d, struct evbuffer *out);
void status_render_json(const struct lvsd *d, struct evbuffer *out);

#endif
