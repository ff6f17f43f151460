/* Fuzz the YAML loader: conf_load_buffer() on arbitrary bytes.  Besides
 * crashes and leaks, check two invariants: whatever loads dumps to YAML
 * that loads again and dumps to exactly the same text, and whatever loads
 * becomes an IPVS table (lvsd -t must not accept what the writer cannot
 * program).  A failed load must say why. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvsd/conf/conf.h"
#include "lvsd/writer/table.h"
#include "tests/fuzz/fuzz.h"

/* libyaml is linear; bigger inputs only slow the fuzzer down */
#define FUZZ_CONF_MAX (64u << 10)

static char *
fuzz_conf_dump(const struct conf *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	FUZZ_ASSERT(f != NULL);
	FUZZ_ASSERT(conf_dump(c, f) == 0);
	FUZZ_ASSERT(fclose(f) == 0);
	return buf;
}

static void
fuzz_conf_failed(const struct conf_error *err)
{
	char line[CONF_PATH_MAX + CONF_ERR_MAX + 64];

	FUZZ_ASSERT(err->msg[0] != '\0');
	conf_error_format(err, line, sizeof(line));
	FUZZ_ASSERT(line[0] != '\0');
}

static void
fuzz_conf_table(const struct conf *c)
{
	struct ipvs_table t = {0};
	int r = table_from_conf(c, &t);

	if (r < 0) {
		fprintf(stderr, "a configuration that loads makes no IPVS table: %s\n",
			strerror(-r));
		abort();
	}
	ipvs_table_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c = NULL, *again = NULL;
	struct conf_error err;
	size_t len1 = 0, len2 = 0;
	char *d1, *d2;

	if (size > FUZZ_CONF_MAX)
		return 0;
	if (conf_load_buffer("fuzz.yaml", (const char *)data, size, &c, &err) < 0) {
		fuzz_conf_failed(&err);
		return 0;
	}
	FUZZ_ASSERT(c != NULL);
	fuzz_conf_table(c);
	d1 = fuzz_conf_dump(c, &len1);
	if (conf_load_buffer("fuzz.yaml", d1, len1, &again, &err) < 0) {
		char line[CONF_PATH_MAX + CONF_ERR_MAX + 64];

		conf_error_format(&err, line, sizeof(line));
		fprintf(stderr, "the dump does not load: %s\n---\n%s---\n", line, d1);
		abort();
	}
	d2 = fuzz_conf_dump(again, &len2);
	if (len1 != len2 || memcmp(d1, d2, len1) != 0) {
		fprintf(stderr, "the dump changed:\n--- first\n%s--- second\n%s---\n", d1, d2);
		abort();
	}
	free(d2);
	free(d1);
	conf_free(again);
	conf_free(c);
	return 0;
}
