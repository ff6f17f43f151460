/* The control socket lvsctl talks to (control.c). */
#ifndef LVSD_CONTROL_H
#define LVSD_CONTROL_H

struct lvsd;

int control_open(struct lvsd *d, const char *path);
void control_close(struct lvsd *d);
/* a child answered a status request (the status_progress hook) */
void control_status_progress(struct lvsd *d);
/* the vrrp child reported a transition: a handover may be complete (the
 * vrrp_progress hook) */
void control_vrrp_progress(struct lvsd *d);

#endif
