/* Signing and verifying load reports, and the keys they take (OpenSSL 3).
 *
 * A report's signature covers its first RPT_SIGNED_LEN bytes and fills
 * the rest of the datagram: Ed25519 (EVP_DigestSign one-shot, 64 bytes)
 * or HMAC-SHA256 (EVP_MAC, 32 bytes).
 *
 * Key files, as `lvs-agent keygen` writes them and as lvsd's parent
 * passes their bytes to the weight child (keys: {type, file}):
 *   ed25519  PREFIX.key  the agent's private key, PEM PKCS#8 ("PRIVATE KEY")
 *            PREFIX.pub  the public key for the directors, PEM
 *                        SubjectPublicKeyInfo ("PUBLIC KEY")
 *   hmac     PREFIX.key  the shared secret, for agent and directors alike:
 *                        32 to 64 bytes as hexadecimal text (keygen: 32
 *                        bytes, 64 digits and a newline); white space
 *                        around the digits is ignored
 * No function here opens a file: they take the bytes. */
#ifndef LVSD_WEIGHT_REPORT_SIG_H
#define LVSD_WEIGHT_REPORT_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define RPT_HMAC_KEY_MIN 32
#define RPT_HMAC_KEY_MAX 64

/* A key ready to use: an Ed25519 key (private to sign, public to verify)
 * or an HMAC secret.  Owned: rpt_key_free() releases it.  Signing and
 * verifying with an HMAC key re-arm its keyed context, so one key is not
 * for threads to use at once (lvsd's weight child and lvs-agent have one
 * thread). */
struct rpt_key {
	int sig;	      /* enum rpt_sig */
	bool priv;	      /* ed25519: holds the private key */
	EVP_PKEY *pkey;	      /* ed25519 */
	EVP_MAC *mac;	      /* hmac: HMAC, fetched once */
	EVP_MAC_CTX *mac_ctx; /* hmac: keyed once with SHA-256 and the secret */
	uint8_t secret[RPT_HMAC_KEY_MAX];
	size_t secret_len;
};

/* Make a key from the bytes of a key file (see above): for sig
 * RPT_SIG_ED25519 a public key, or with priv a private one; for
 * RPT_SIG_HMAC_SHA256 the hexadecimal secret (priv ignored).  0, or
 * -EINVAL for bytes that are not such a key (another algorithm, an
 * encrypted or malformed PEM, bad hexadecimal, a secret shorter or longer
 * than allowed), -EOPNOTSUPP for an unknown sig, -ENOMEM. */
int rpt_key_parse(int sig, bool priv, const void *bytes, size_t len, struct rpt_key *out);

/* A new random key of type sig (Ed25519: a private key). */
int rpt_key_generate(int sig, struct rpt_key *out);

/* Release what k holds and wipe its secret. */
void rpt_key_free(struct rpt_key *k);

/* Sign the datagram of len bytes at buf, made by rpt_encode(): write the
 * signature over its first RPT_SIGNED_LEN bytes after them.  0, -EMSGSIZE
 * when len is not the length of the datagram's signature type,
 * -EOPNOTSUPP when that type is not the key's (or an Ed25519 key is
 * public only), -EIO when OpenSSL fails. */
int rpt_sign(const struct rpt_key *k, void *buf, size_t len);

/* Verify a datagram: 0, or -EKEYREJECTED (the signature does not match,
 * or the datagram names another signature type than the key's),
 * -EMSGSIZE when len is not the length of the key's type, -EIO when
 * OpenSSL fails. */
int rpt_verify(const struct rpt_key *k, const void *buf, size_t len);

/* The same with a bare key: an EVP_PKEY holding an Ed25519 key, or HMAC
 * secret bytes. */
int rpt_sign_ed25519(EVP_PKEY *priv, void *buf, size_t len);
int rpt_verify_ed25519(EVP_PKEY *pub, const void *buf, size_t len);
int rpt_sign_hmac(const uint8_t *key, size_t keylen, void *buf, size_t len);
int rpt_verify_hmac(const uint8_t *key, size_t keylen, const void *buf, size_t len);

#endif
