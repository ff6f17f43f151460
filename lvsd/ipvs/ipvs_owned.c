/* The ownership record; see ipvs_owned.h. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lvsd/ipvs/ipvs_owned.h"

static const struct {
	const char *name;
	uint16_t proto;
} owned_protos[] = {{"tcp", IPPROTO_TCP}, {"udp", IPPROTO_UDP}, {"sctp", IPPROTO_SCTP}};

static const char *
owned_proto_name(uint16_t proto)
{
	for (size_t i = 0; i < sizeof(owned_protos) / sizeof(owned_protos[0]); i++)
		if (owned_protos[i].proto == proto)
			return owned_protos[i].name;
	return NULL;
}

int
ipvs_owned_write(const struct ipvs_table *t, FILE *f)
{
	char a[INET6_ADDRSTRLEN];

	fprintf(f, "# lvsd: the IPVS services this lvsd owns; rewritten after every apply\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct ipvs_service *s = &t->svcs[i].svc;
		const char *p = owned_proto_name(s->protocol);

		if (s->fwmark) {
			fprintf(f, "fwmark %s %u\n", s->af == AF_INET6 ? "inet6" : "inet",
				s->fwmark);
			continue;
		}
		if (!p || !inet_ntop(s->af, &s->addr, a, sizeof(a)))
			return -EINVAL;
		fprintf(f, "%s %s %u\n", p, a, s->port);
	}
	return ferror(f) ? -EIO : 0;
}

static int
owned_number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* One line's words into a service key. */
static int
owned_parse(char *w[3], struct ipvs_service *s)
{
	unsigned long n;

	memset(s, 0, sizeof(*s));
	if (!strcmp(w[0], "fwmark")) {
		if (!w[1] || (strcmp(w[1], "inet") && strcmp(w[1], "inet6")) ||
		    owned_number(w[2], UINT32_MAX, &n) < 0)
			return -EINVAL;
		s->af = strcmp(w[1], "inet6") ? AF_INET : AF_INET6;
		s->fwmark = (uint32_t)n;
		return 0;
	}
	for (size_t i = 0; i < sizeof(owned_protos) / sizeof(owned_protos[0]); i++)
		if (!strcmp(w[0], owned_protos[i].name))
			s->protocol = owned_protos[i].proto;
	if (!s->protocol || !w[1] || owned_number(w[2], 65535, &n) < 0)
		return -EINVAL;
	s->af = strchr(w[1], ':') ? AF_INET6 : AF_INET;
	if (inet_pton(s->af, w[1], &s->addr) != 1)
		return -EINVAL;
	s->port = (uint16_t)n;
	return 0;
}

int
ipvs_owned_add(struct ipvs_table *t, const struct ipvs_service *s)
{
	struct ipvs_table_svc *n;

	if (ipvs_table_find(t, s))
		return 0;
	n = realloc(t->svcs, (t->n + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	t->svcs = n;
	memset(&n[t->n], 0, sizeof(n[t->n]));
	n[t->n++].svc = *s;
	return 0;
}

int
ipvs_owned_read(FILE *f, struct ipvs_table *out, unsigned *bad_line)
{
	struct ipvs_table t = {0};
	struct ipvs_service s;
	char line[256], *w[4], *save;
	unsigned no = 0;
	int r = 0;

	while (r == 0 && fgets(line, sizeof(line), f)) {
		no++;
		line[strcspn(line, "#\n")] = '\0';
		w[0] = strtok_r(line, " \t", &save);
		if (!w[0])
			continue;
		for (int i = 1; i < 4; i++)
			w[i] = strtok_r(NULL, " \t", &save);
		if (w[3] || owned_parse(w, &s) < 0) {
			*bad_line = no;
			r = -EBADMSG;
		} else {
			r = ipvs_owned_add(&t, &s);
		}
	}
	if (r == 0 && ferror(f))
		r = -EIO;
	if (r < 0) {
		ipvs_table_free(&t);
		return r;
	}
	*out = t;
	return 0;
}

int
ipvs_owned_save(const char *path, const struct ipvs_table *t)
{
	char tmp[512];
	FILE *f;
	int r;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	r = ipvs_owned_write(t, f);
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

int
ipvs_owned_load(const char *path, struct ipvs_table *out, unsigned *bad_line)
{
	FILE *f = fopen(path, "re");
	int r;

	if (!f)
		return -errno;
	r = ipvs_owned_read(f, out, bad_line);
	fclose(f);
	return r;
}
