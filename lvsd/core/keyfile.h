/* Key and certificate files, read whole by the one process that may open
 * them: the parent for the weight child's keys and the checkers' CA files
 * (a child has no right to), lvs-agent for its own key. */
#ifndef LVSD_CORE_KEYFILE_H
#define LVSD_CORE_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Read at most max bytes of path into buf, which holds max + 1 (so that a
 * longer file is seen): its length, or -errno (-EFBIG when the file is
 * longer than max).  *loose, unless NULL: others than its owner may read
 * it (group or world bits set). */
ssize_t keyfile_read(const char *path, void *buf, size_t max, bool *loose);

#endif
