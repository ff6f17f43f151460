/* Notify scripts of VRRP instances and sync groups (notify.c). */
#ifndef LVSD_SCRIPTS_NOTIFY_H
#define LVSD_SCRIPTS_NOTIFY_H

struct ipc_vrrp_state;
struct lvsd;

/* The vrrp child reported a transition of instance v->instance_id. */
void notify_transition(struct lvsd *d, const struct ipc_vrrp_state *v);
/* A new generation: sync group states start again.  0 or -ENOMEM */
int notify_reset(struct lvsd *d);
void notify_free(struct lvsd *d);

#endif
