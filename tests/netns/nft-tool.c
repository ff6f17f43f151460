/* nft-tool: drive the strict filter (vrrp/vrrp_nft.c) the way the vrrp
 * child does, one handle for many transitions.
 *
 *   nft-tool CMD [ARGS] [, CMD [ARGS]]...   run the commands, stop at the first error
 *   nft-tool -                              read one command per line on stdin and
 *                                           answer each with one line, "ok ..." or
 *                                           "error ..." (a coprocess for tests)
 * Commands:
 *   open            install our tables (inet+arp, else inet, else ip6)
 *   open6           install the ip6-only layout (what a kernel without
 *                   IPv4 nftables gets)
 *   held ADDR...    mark addresses held (one transaction)
 *   notheld ADDR... mark addresses not held (one transaction)
 *   close           close, leave the tables
 *   close-remove    close and delete our tables (also: close --remove)
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/vrrp_nft.h"

#define MAX_WORDS 64

static void
families_str(unsigned f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", f & VRRP_NFT_IPV4 ? " ipv4" : "",
		 f & VRRP_NFT_ARP ? " arp" : "", f & VRRP_NFT_IPV6 ? " ipv6" : "");
}

static int
parse_addrs(char **w, size_t nw, bool held, struct vrrp_nft_addr *a)
{
	for (size_t i = 0; i < nw; i++) {
		a[i] = (struct vrrp_nft_addr){.held = held};
		if (inet_pton(AF_INET, w[i], &a[i].addr.v4) == 1)
			a[i].family = AF_INET;
		else if (inet_pton(AF_INET6, w[i], &a[i].addr.v6) == 1)
			a[i].family = AF_INET6;
		else
			return -1;
	}
	return 0;
}

static int
cmd_open(struct vrrp_nft **n, unsigned want)
{
	char f[32];
	int rc;

	if (*n)
		vrrp_nft_close(*n, false);
	*n = NULL;
	if ((rc = vrrp_nft_open_with(n, want, NULL, 0)) < 0) {
		printf("error open: nftables filter unavailable: %s\n", strerror(-rc));
		return -1;
	}
	families_str(vrrp_nft_families(*n), f, sizeof(f));
	printf("ok filtering%s\n", f);
	return 0;
}

static int
cmd_mark(struct vrrp_nft *n, char **w, size_t nw, bool held)
{
	struct vrrp_nft_addr a[MAX_WORDS];
	int rc;

	if (!n || nw == 0 || parse_addrs(w, nw, held, a) < 0) {
		printf("error %s: not open, or a bad address\n", held ? "held" : "notheld");
		return -1;
	}
	if ((rc = vrrp_nft_update(n, a, nw)) < 0) {
		printf("error %s: %s\n", held ? "held" : "notheld", strerror(-rc));
		return -1;
	}
	printf("ok\n");
	return 0;
}

/* One command in w[0..nw). */
static int
run(struct vrrp_nft **n, char **w, size_t nw)
{
	int rc = 0;

	if (nw == 0)
		rc = -1;
	else if (!strcmp(w[0], "open") || !strcmp(w[0], "open6"))
		return cmd_open(n, !strcmp(w[0], "open") ? VRRP_NFT_ALL : VRRP_NFT_IPV6);
	else if (!strcmp(w[0], "held") || !strcmp(w[0], "notheld"))
		return cmd_mark(*n, w + 1, nw - 1, !strcmp(w[0], "held"));
	else if (!strcmp(w[0], "close") || !strcmp(w[0], "close-remove")) {
		vrrp_nft_close(*n, !strcmp(w[0], "close-remove") ||
				       (nw > 1 && !strcmp(w[1], "--remove")));
		*n = NULL;
	} else
		rc = -1;
	printf(rc ? "error: unknown command\n" : "ok\n");
	return rc;
}

static int
run_stdin(struct vrrp_nft **n)
{
	char line[1024];
	char *w[MAX_WORDS];

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		size_t nw = 0;

		for (char *s = strtok(line, " \t\n"); s && nw < MAX_WORDS;
		     s = strtok(NULL, " \t\n"))
			w[nw++] = s;
		(void)run(n, w, nw);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct vrrp_nft *n = NULL;
	int i = 1, rc = 0;

	if (argc == 2 && !strcmp(argv[1], "-"))
		rc = run_stdin(&n);
	while (i < argc && rc == 0 && strcmp(argv[1], "-")) {
		int j = i;

		while (j < argc && strcmp(argv[j], ","))
			j++;
		if (j - i > MAX_WORDS)
			return 2;
		rc = run(&n, argv + i, (size_t)(j - i));
		i = j + 1;
	}
	vrrp_nft_close(n, false);
	return rc ? 1 : 0;
}
