/* Fuzz the load report decoder, rpt_decode (weight/report.c), on one
 * datagram as the receiver gets it.
 *
 * Invariants: the only errors are the documented drop reasons, each with
 * its own counter name, and the output is untouched on failure; a decoded
 * report is exactly the length of its signature type, with a valid
 * family and flags; it re-encodes (rpt_encode) to the very same signed
 * part; a byte less or a byte more is refused. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tests/fuzz/fuzz.h"
#include "weight/report.h"

static void
fuzz_report_check(const struct rpt_report *r, const uint8_t *in, size_t len)
{
	static uint8_t out[RPT_MAX_LEN];
	static struct rpt_report q;

	FUZZ_ASSERT(rpt_len(r->sig) == (int)len);
	FUZZ_ASSERT(r->server.family == AF_INET || r->server.family == AF_INET6);
	FUZZ_ASSERT((r->m.flags & ~RPT_FLAGS_ALL) == 0 && r->m.cpu_idle_pm <= 1000);
	FUZZ_ASSERT(rpt_encode(r, out, sizeof(out)) == (int)len);
	FUZZ_ASSERT(memcmp(out, in, RPT_SIGNED_LEN) == 0);
	FUZZ_ASSERT(rpt_encode(r, out, len - 1) == -ENOBUFS);
	FUZZ_ASSERT(rpt_decode(in, len - 1, &q) == -EMSGSIZE);
	FUZZ_ASSERT(rpt_decode(in, len + 1, &q) == -EMSGSIZE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int reasons[] = {EMSGSIZE,	  EBADMSG,	EPROTONOSUPPORT,
				      EOPNOTSUPP, EAFNOSUPPORT, EINVAL};
	static struct rpt_report r, before;
	uint8_t *in;
	int e, known = 0;

	if (size > RPT_MAX_LEN + 64)
		return 0;
	/* exactly the input and the one byte a "one longer" decode reads, on
	 * the heap, so a sanitizer sees any read past it */
	in = malloc(size + 1);
	if (!in)
		abort();
	memcpy(in, data, size);
	in[size] = 0;
	memset(&r, 0xa5, sizeof(r));
	memset(&before, 0xa5, sizeof(before));
	e = rpt_decode(in, size, &r);
	if (e < 0) {
		for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
			known |= e == -reasons[i];
		FUZZ_ASSERT(known);
		FUZZ_ASSERT(strcmp(rpt_err_name(e), "other") != 0);
		FUZZ_ASSERT(memcmp(&r, &before, sizeof(r)) == 0);
	} else {
		FUZZ_ASSERT(e == 0);
		fuzz_report_check(&r, in, size);
	}
	free(in);
	return 0;
}
