/* Health checks of type script, run by the parent (chkscript.c): each
 * result goes up through the health hook, as a checkers child's would. */
#ifndef LVSD_SCRIPTS_CHKSCRIPT_H
#define LVSD_SCRIPTS_CHKSCRIPT_H

struct lvsd;

/* (Re)start them for the running generation: 0 or -ENOMEM. */
int chkscript_reset(struct lvsd *d);
void chkscript_free(struct lvsd *d);

#endif
