/* lvs-agent: samples load on a real server and sends signed reports to
 * the directors.  For now it only knows its version. */
#include "config.h"

#include <stdio.h>
#include <string.h>

static int
agent_usage(FILE *f)
{
	fprintf(f, "usage: lvs-agent --version\n"
		   "Load reports to lvsd directors are not implemented yet.\n");
	return f == stdout ? 0 : 2;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-v"))) {
		printf("lvs-agent %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return agent_usage(stdout);
	return agent_usage(stderr);
}
