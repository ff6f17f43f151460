/* Signing and verifying load reports with OpenSSL 3 (see report_sig.h).
 * No file is opened here: keys come as bytes. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "weight/report.h"
#include "weight/report_sig.h"

/* 0 when len is the length of the datagram's own signature type and that
 * type is sig; -EMSGSIZE or -EKEYREJECTED otherwise. */
static int
rpt_sig_fits(int sig, const uint8_t *p, size_t len)
{
	if (len != (size_t)rpt_len(sig))
		return -EMSGSIZE;
	return p[5] == sig ? 0 : -EKEYREJECTED;
}

/* A new HMAC-SHA256 context keyed with key; mac may be NULL (fetched
 * here).  NULL when OpenSSL fails. */
static EVP_MAC_CTX *
rpt_hmac_ctx(EVP_MAC *mac, const uint8_t *key, size_t keylen)
{
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
	    OSSL_PARAM_construct_end(),
	};
	EVP_MAC *m = mac ? mac : EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = m ? EVP_MAC_CTX_new(m) : NULL;

	if (ctx && EVP_MAC_init(ctx, key, keylen, params) != 1) {
		EVP_MAC_CTX_free(ctx);
		ctx = NULL;
	}
	if (!mac)
		EVP_MAC_free(m);
	if (!ctx)
		ERR_clear_error();
	return ctx;
}

/* HMAC-SHA256 of the signed part into out (32 bytes).  With keyed, a
 * context rpt_hmac_ctx() made: re-armed without a key (OpenSSL keeps the
 * keyed inner and outer states: no fetch, no allocation, no key schedule
 * per report); else one is made for this report from mac and the key. */
static int
rpt_hmac(EVP_MAC_CTX *keyed, EVP_MAC *mac, const uint8_t *key, size_t keylen, const uint8_t *p,
	 uint8_t *out)
{
	EVP_MAC_CTX *ctx = keyed && EVP_MAC_init(keyed, NULL, 0, NULL) == 1
			       ? keyed
			       : rpt_hmac_ctx(mac, key, keylen);
	size_t n = 0;
	int r = -EIO;

	if (ctx && EVP_MAC_update(ctx, p, RPT_SIGNED_LEN) == 1 &&
	    EVP_MAC_final(ctx, out, &n, RPT_HMAC_SIG_LEN) == 1 && n == RPT_HMAC_SIG_LEN)
		r = 0;
	if (ctx != keyed)
		EVP_MAC_CTX_free(ctx);
	if (r < 0)
		ERR_clear_error();
	return r;
}

static int
rpt_sign_hmac_with(EVP_MAC_CTX *keyed, EVP_MAC *mac, const uint8_t *key, size_t keylen, void *buf,
		   size_t len)
{
	uint8_t *p = buf;
	int r = rpt_sig_fits(RPT_SIG_HMAC_SHA256, p, len);

	if (r < 0)
		return r == -EKEYREJECTED ? -EOPNOTSUPP : r;
	return rpt_hmac(keyed, mac, key, keylen, p, p + RPT_SIGNED_LEN);
}

static int
rpt_verify_hmac_with(EVP_MAC_CTX *keyed, EVP_MAC *mac, const uint8_t *key, size_t keylen,
		     const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint8_t want[RPT_HMAC_SIG_LEN];
	int r = rpt_sig_fits(RPT_SIG_HMAC_SHA256, p, len);

	if (r < 0)
		return r;
	r = rpt_hmac(keyed, mac, key, keylen, p, want);
	if (r == 0 && CRYPTO_memcmp(want, p + RPT_SIGNED_LEN, sizeof(want)) != 0)
		r = -EKEYREJECTED;
	OPENSSL_cleanse(want, sizeof(want));
	return r;
}

int
rpt_sign_hmac(const uint8_t *key, size_t keylen, void *buf, size_t len)
{
	return rpt_sign_hmac_with(NULL, NULL, key, keylen, buf, len);
}

int
rpt_verify_hmac(const uint8_t *key, size_t keylen, const void *buf, size_t len)
{
	return rpt_verify_hmac_with(NULL, NULL, key, keylen, buf, len);
}

int
rpt_sign_ed25519(EVP_PKEY *priv, void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t n = RPT_ED25519_SIG_LEN;
	EVP_MD_CTX *ctx;
	int r = rpt_sig_fits(RPT_SIG_ED25519, p, len);

	if (r < 0)
		return r == -EKEYREJECTED ? -EOPNOTSUPP : r;
	if (!EVP_PKEY_is_a(priv, "ED25519"))
		return -EOPNOTSUPP;
	ctx = EVP_MD_CTX_new();
	r = -EIO;
	if (ctx && EVP_DigestSignInit_ex(ctx, NULL, NULL, NULL, NULL, priv, NULL) == 1 &&
	    EVP_DigestSign(ctx, p + RPT_SIGNED_LEN, &n, p, RPT_SIGNED_LEN) == 1 &&
	    n == RPT_ED25519_SIG_LEN)
		r = 0;
	EVP_MD_CTX_free(ctx);
	if (r < 0)
		ERR_clear_error();
	return r;
}

int
rpt_verify_ed25519(EVP_PKEY *pub, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	EVP_MD_CTX *ctx;
	int r = rpt_sig_fits(RPT_SIG_ED25519, p, len), v;

	if (r < 0)
		return r;
	if (!EVP_PKEY_is_a(pub, "ED25519"))
		return -EKEYREJECTED;
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, pub, NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		ERR_clear_error();
		return -EIO;
	}
	v = EVP_DigestVerify(ctx, p + RPT_SIGNED_LEN, RPT_ED25519_SIG_LEN, p, RPT_SIGNED_LEN);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return v == 1 ? 0 : -EKEYREJECTED;
}

int
rpt_sign(const struct rpt_key *k, void *buf, size_t len)
{
	if (k->sig == RPT_SIG_HMAC_SHA256)
		return rpt_sign_hmac_with(k->mac_ctx, k->mac, k->secret, k->secret_len, buf, len);
	if (k->sig == RPT_SIG_ED25519 && k->priv)
		return rpt_sign_ed25519(k->pkey, buf, len);
	return -EOPNOTSUPP;
}

int
rpt_verify(const struct rpt_key *k, const void *buf, size_t len)
{
	if (k->sig == RPT_SIG_HMAC_SHA256)
		return rpt_verify_hmac_with(k->mac_ctx, k->mac, k->secret, k->secret_len, buf, len);
	if (k->sig == RPT_SIG_ED25519)
		return rpt_verify_ed25519(k->pkey, buf, len);
	return -EOPNOTSUPP;
}

static int
rpt_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The secret written as hexadecimal digits, white space around them. */
static int
rpt_parse_hex(const char *s, size_t len, uint8_t *out, size_t *n)
{
	size_t i = 0, k = 0;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	while (len > i && isspace((unsigned char)s[len - 1]))
		len--;
	if ((len - i) % 2 || (len - i) / 2 < RPT_HMAC_KEY_MIN || (len - i) / 2 > RPT_HMAC_KEY_MAX)
		return -EINVAL;
	for (; i < len; i += 2) {
		int hi = rpt_hexval((unsigned char)s[i]), lo = rpt_hexval((unsigned char)s[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[k++] = (uint8_t)(hi << 4 | lo);
	}
	*n = k;
	return 0;
}

/* Never ask for a passphrase: an encrypted key is refused. */
static int
rpt_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return 0;
}

static int
rpt_parse_pem(bool priv, const void *bytes, size_t len, EVP_PKEY **out)
{
	BIO *b = BIO_new_mem_buf(bytes, (int)len);
	EVP_PKEY *k;

	if (!b)
		return -ENOMEM;
	k = priv ? PEM_read_bio_PrivateKey(b, NULL, rpt_no_passphrase, NULL)
		 : PEM_read_bio_PUBKEY(b, NULL, rpt_no_passphrase, NULL);
	BIO_free(b);
	ERR_clear_error();
	if (!k || !EVP_PKEY_is_a(k, "ED25519")) {
		EVP_PKEY_free(k);
		return -EINVAL;
	}
	*out = k;
	return 0;
}

static int
rpt_key_hmac_init(struct rpt_key *k)
{
	k->sig = RPT_SIG_HMAC_SHA256;
	k->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	k->mac_ctx = k->mac ? rpt_hmac_ctx(k->mac, k->secret, k->secret_len) : NULL;
	if (!k->mac_ctx) {
		EVP_MAC_free(k->mac);
		k->mac = NULL;
		ERR_clear_error();
		OPENSSL_cleanse(k->secret, sizeof(k->secret));
		return -EIO;
	}
	return 0;
}

int
rpt_key_parse(int sig, bool priv, const void *bytes, size_t len, struct rpt_key *out)
{
	struct rpt_key k;
	int r;

	if (len > INT32_MAX)
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	if (sig == RPT_SIG_ED25519) {
		r = rpt_parse_pem(priv, bytes, len, &k.pkey);
		k.sig = sig;
		k.priv = priv;
	} else if (sig == RPT_SIG_HMAC_SHA256) {
		r = rpt_parse_hex(bytes, len, k.secret, &k.secret_len);
		if (r == 0)
			r = rpt_key_hmac_init(&k);
	} else {
		return -EOPNOTSUPP;
	}
	if (r == 0)
		*out = k;
	OPENSSL_cleanse(&k, sizeof(k));
	return r;
}

int
rpt_key_generate(int sig, struct rpt_key *out)
{
	struct rpt_key k;

	memset(&k, 0, sizeof(k));
	if (sig == RPT_SIG_ED25519) {
		k.pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		if (!k.pkey) {
			ERR_clear_error();
			return -EIO;
		}
		k.sig = sig;
		k.priv = true;
	} else if (sig == RPT_SIG_HMAC_SHA256) {
		k.secret_len = RPT_HMAC_KEY_MIN;
		if (RAND_priv_bytes(k.secret, (int)k.secret_len) != 1 ||
		    rpt_key_hmac_init(&k) < 0) {
			ERR_clear_error();
			OPENSSL_cleanse(&k, sizeof(k));
			return -EIO;
		}
	} else {
		return -EOPNOTSUPP;
	}
	*out = k;
	OPENSSL_cleanse(&k, sizeof(k));
	return 0;
}

void
rpt_key_free(struct rpt_key *k)
{
	EVP_PKEY_free(k->pkey);
	EVP_MAC_CTX_free(k->mac_ctx);
	EVP_MAC_free(k->mac);
	OPENSSL_cleanse(k, sizeof(*k));
}
