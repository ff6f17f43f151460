/* A small HTTP/1.x response parser with fixed bounds: one line at most
 * CHK_LINE_MAX bytes, at most CHK_HEADERS_MAX header lines, at most
 * CHK_BODY_MAX body bytes.  Whatever arrives, it holds one line and (only
 * for a substring check) the capped body.  Pure: bytes in, a verdict out. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "checkers/chk.h"

int
chk_resp_init(struct chk_resp *r, bool digest, bool keep_body)
{
	memset(r, 0, offsetof(struct chk_resp, line));
	r->content_length = -1;
	if (digest) {
		r->md = EVP_MD_CTX_new();
		if (!r->md || !EVP_DigestInit_ex(r->md, EVP_sha256(), NULL)) {
			chk_resp_free(r);
			return -ENOMEM;
		}
	}
	if (keep_body && !(r->body = malloc(CHK_BODY_MAX))) {
		chk_resp_free(r);
		return -ENOMEM;
	}
	return 0;
}

void
chk_resp_free(struct chk_resp *r)
{
	EVP_MD_CTX_free(r->md);
	free(r->body);
	r->md = NULL;
	r->body = NULL;
}

/* "HTTP/1.x NNN[ reason]" */
static int
resp_status_line(struct chk_resp *r)
{
	const char *l = r->line;

	if (r->line_len < 12 || strncmp(l, "HTTP/1.", 7) || (l[7] != '0' && l[7] != '1') ||
	    l[8] != ' ' || l[9] < '1' || l[9] > '5' || l[10] < '0' || l[10] > '9' ||
	    l[11] < '0' || l[11] > '9' || (r->line_len > 12 && l[12] != ' '))
		return -CHK_R_MALFORMED;
	r->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	r->phase = CHK_RESP_HEADERS;
	return 0;
}

static int
resp_header_line(struct chk_resp *r)
{
	const char *colon, *v;
	char *end;
	long long n;

	if (r->line_len == 0) {
		r->phase = CHK_RESP_BODY;
		return r->content_length == 0 ? 1 : 0;
	}
	if (++r->n_headers > CHK_HEADERS_MAX)
		return -CHK_R_HEADER_LONG;
	colon = memchr(r->line, ':', r->line_len);
	if (!colon || colon == r->line)
		return -CHK_R_MALFORMED;
	if ((size_t)(colon - r->line) == 14 && !strncasecmp(r->line, "Content-Length", 14)) {
		v = colon + 1 + strspn(colon + 1, " \t");
		if (*v < '0' || *v > '9')
			return -CHK_R_MALFORMED;
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno || *(end + strspn(end, " \t")))
			return -CHK_R_MALFORMED;
		r->content_length = n;
	}
	return 0;
}

/* One byte of the status line or the header. */
static int
resp_line_byte(struct chk_resp *r, char ch)
{
	if (ch != '\n') {
		if (r->line_len >= CHK_LINE_MAX - 1)
			return -CHK_R_HEADER_LONG;
		if (ch == '\0')
			return -CHK_R_MALFORMED;
		r->line[r->line_len++] = ch;
		return 0;
	}
	if (r->line_len && r->line[r->line_len - 1] == '\r')
		r->line_len--;
	r->line[r->line_len] = '\0';
	int rc = r->phase == CHK_RESP_STATUS ? resp_status_line(r) : resp_header_line(r);
	r->line_len = 0;
	return rc;
}

static int
resp_body(struct chk_resp *r, const char *p, size_t n)
{
	size_t want = n;

	if (r->content_length >= 0 && (unsigned long long)r->content_length - r->body_len < n)
		want = (size_t)r->content_length - r->body_len;
	if (want > CHK_BODY_MAX - r->body_len)
		return -CHK_R_BODY_LONG;
	if (r->md && !EVP_DigestUpdate(r->md, p, want))
		return -CHK_R_ERROR;
	if (r->body)
		memcpy(r->body + r->body_len, p, want);
	r->body_len += want;
	if (r->content_length >= 0 && r->body_len == (unsigned long long)r->content_length) {
		r->phase = CHK_RESP_DONE;
		return 1;
	}
	return 0;
}

int
chk_resp_feed(struct chk_resp *r, const void *buf, size_t n)
{
	const char *p = buf;
	size_t i = 0;
	int rc;

	while (i < n && r->phase < CHK_RESP_BODY) {
		if ((rc = resp_line_byte(r, p[i++])) != 0) {
			if (rc == 1)
				r->phase = CHK_RESP_DONE;
			return rc;
		}
	}
	if (r->phase == CHK_RESP_DONE)
		return 1;
	if (r->phase == CHK_RESP_BODY && i < n)
		return resp_body(r, p + i, n - i);
	return 0;
}

static bool
resp_digest_ok(struct chk_resp *r, const char *digest)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 1];

	if (!EVP_DigestFinal_ex(r->md, md, &len))
		return false;
	for (unsigned i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * len] = '\0';
	return !strcasecmp(hex, digest);
}

uint8_t
chk_resp_judge(struct chk_resp *r, bool eof, uint16_t status, const char *digest,
	       const char *expect, int32_t *code)
{
	*code = 0;
	if (r->phase < CHK_RESP_BODY || (eof && r->phase == CHK_RESP_BODY &&
					 r->content_length >= 0 &&
					 r->body_len < (unsigned long long)r->content_length))
		return CHK_R_TRUNCATED;
	if (r->status != status) {
		*code = r->status;
		return CHK_R_STATUS;
	}
	if (digest && digest[0] && (!r->md || !resp_digest_ok(r, digest)))
		return CHK_R_DIGEST;
	if (expect && expect[0] &&
	    (!r->body || !memmem(r->body, r->body_len, expect, strlen(expect))))
		return CHK_R_EXPECT;
	return CHK_R_OK;
}
