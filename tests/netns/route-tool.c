/* route-tool: drive announce_kernel.c as the parent does, for
 * tests/netns/announce.sh.
 *   route-tool add|del TABLE ADDR   the route of ADDR (/32 or /128) in TABLE
 *   route-tool list                 the routes of lvsd's protocol: TABLE ADDR
 * Exit 0, or 1 with the error on stderr. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/announce/announce_kernel.h"

static void
print_one(void *arg, uint32_t table, const struct conf_addr *dst)
{
	char b[INET6_ADDRSTRLEN];

	inet_ntop(dst->family, dst->family == AF_INET ? (const void *)&dst->u.v4 : &dst->u.v6, b,
		  sizeof(b));
	printf("%u %s\n", table, b);
}

static int
parse_addr(const char *s, struct conf_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->u.v4) == 1) {
		a->family = AF_INET;
		a->prefix = 32;
	} else if (inet_pton(AF_INET6, s, &a->u.v6) == 1) {
		a->family = AF_INET6;
		a->prefix = 128;
	} else {
		return -EINVAL;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct ann_nl *nl;
	struct conf_addr a;
	int r;

	if ((r = ann_nl_open(&nl)) < 0) {
		fprintf(stderr, "route-tool: rtnetlink: %s\n", strerror(-r));
		return 1;
	}
	if (argc == 2 && !strcmp(argv[1], "list")) {
		r = ann_nl_list(nl, print_one, NULL);
	} else if (argc == 4 && (!strcmp(argv[1], "add") || !strcmp(argv[1], "del"))) {
		r = parse_addr(argv[3], &a);
		if (r == 0)
			r = ann_nl_set(nl, (uint32_t)strtoul(argv[2], NULL, 10), &a,
				       !strcmp(argv[1], "add"));
	} else {
		fprintf(stderr, "usage: route-tool add|del TABLE ADDR | list\n");
		ann_nl_close(nl);
		return 2;
	}
	ann_nl_close(nl);
	if (r < 0) {
		fprintf(stderr, "route-tool: %s\n", strerror(-r));
		return 1;
	}
	return 0;
}
