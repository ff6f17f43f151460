/* Warnings about a valid configuration: keys lvsd accepts but does not act
 * on yet, and names the system does not have (key files, interfaces). */
#ifndef LVSD_LINT_H
#define LVSD_LINT_H

#include "lvsd/conf/conf.h"

/* Called once per warning with one line, "FILE:LINE:COL: warning: ...",
 * without a newline. */
typedef void (*lint_emit_fn)(void *arg, const char *line);

/* Look at c (and at the system: files, interfaces) and emit one line per
 * warning, in the order of the table in lint.c.  Only keys written in the
 * file are named, never defaults.  Returns the number of warnings. */
unsigned lint_config(const struct conf *c, lint_emit_fn emit, void *arg);

/* Emitters: a line and a newline to the FILE * in arg (lvsd -t), or
 * log_warn (the daemon, at start and at each reload; arg unused). */
void lint_print(void *arg, const char *line);
void lint_log(void *arg, const char *line);

#endif
