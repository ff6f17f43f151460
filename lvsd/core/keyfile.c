/* Key and certificate files (keyfile.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lvsd/core/keyfile.h"

ssize_t
keyfile_read(const char *path, void *buf, size_t max, bool *loose)
{
	unsigned char *p = buf;
	ssize_t n, total = 0;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	if (loose)
		*loose = fstat(fd, &st) == 0 && (st.st_mode & 077);
	while ((n = read(fd, p + total, max + 1 - (size_t)total)) > 0 &&
	       (size_t)(total += n) <= max)
		;
	if (n < 0)
		total = -errno;
	else if ((size_t)total > max)
		total = -EFBIG;
	close(fd);
	return total;
}
