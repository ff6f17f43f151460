/* TCP connect checks: the check passes when the connect does. */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include "checkers/chk.h"

/* The connect's outcome is the verdict. */
static void
chk_tcp_connected(struct chk_rs *rs)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(rs->probe->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err)
		chk_done(rs, chk_errno_reason(err), err);
	else
		chk_done(rs, CHK_R_OK, 0);
}

static const struct chk_proto chk_tcp_proto = {.connected = chk_tcp_connected};

int
chk_tcp_start(struct chk_rs *rs)
{
	return chk_connect(rs, NULL, &chk_tcp_proto);
}
