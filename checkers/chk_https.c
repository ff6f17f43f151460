/* HTTPS checks: the HTTP check of chk_http.c over an OpenSSL bufferevent,
 * with SNI (sni, else host, when it is a name).  With a ca_file (its bytes
 * sent by the parent) the server's chain is verified against it, and its
 * name too when there is one; without, the certificate is not verified. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "checkers/chk.h"

void *
chk_tls_ctx_new(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
		/* HTTP/1.0 ends with the connection: many servers close without
		 * close_notify (a short body is still caught by Content-Length) */
		SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	}
	return ctx;
}

void
chk_tls_ctx_free(void *ctx)
{
	SSL_CTX_free(ctx);
}

void *
chk_ca_load(const void *pem, size_t len)
{
	X509_STORE *st = X509_STORE_new();
	BIO *b = len ? BIO_new_mem_buf(pem, (int)len) : NULL;
	X509 *x;

	if (!st) {
		BIO_free(b);
		return NULL;
	}
	while (b && (x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		X509_STORE_add_cert(st, x);
		X509_free(x);
	}
	ERR_clear_error();
	BIO_free(b);
	return st;
}

void
chk_ca_free(void *store)
{
	X509_STORE_free(store);
}

/* An address is no server name. */
static bool
chk_is_name(const char *s)
{
	unsigned char b[16];

	return s[0] && inet_pton(AF_INET, s, b) != 1 && inet_pton(AF_INET6, s, b) != 1;
}

int
chk_https_start(struct chk_rs *rs)
{
	SSL_CTX *ctx = chk_ssl_ctx(rs);
	const char *name = rs->check.sni[0] ? rs->check.sni : rs->check.host;
	SSL *ssl;

	if (!ctx || !(ssl = SSL_new(ctx))) {
		errno = ENOMEM;
		return -CHK_R_TLS;
	}
	if (chk_is_name(name) && !SSL_set_tlsext_host_name(ssl, name)) {
		SSL_free(ssl);
		return -CHK_R_TLS;
	}
	/* verify the chain against the CA file, and the name when there is one */
	if (chk_ca_of(rs) && (!SSL_set1_verify_cert_store(ssl, chk_ca_of(rs)) ||
			      (chk_is_name(name) && !SSL_set1_host(ssl, name)))) {
		SSL_free(ssl);
		return -CHK_R_TLS;
	}
	if (chk_ca_of(rs))
		SSL_set_verify(ssl, SSL_VERIFY_PEER, NULL);
	return chk_connect(rs, ssl, &chk_http_proto);
}
