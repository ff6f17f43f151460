/* The load report codec (weight/report.c) and its signatures
 * (weight/report_sig.c).
 *
 * The fixtures pin the layout of doc/report-protocol.md: their signed part
 * was written by hand from that table (Python struct.pack, big-endian),
 * not by the encoder, and signed with the openssl command line:
 *   Ed25519:  the key of RFC 8032 test 1 (secret 9d61b19d...7f60, public
 *             d75a9801...511a), `openssl pkeyutl -sign -rawin`; Ed25519 is
 *             deterministic, so the signature is fixed too;
 *   HMAC:     the secret 00 01 02 .. 1f, `openssl mac -digest SHA256`.
 * Both describe 198.51.100.11 port 80, boot id 00 11 .. ff, sequence 42,
 * time 1700000000123456789 ns, a 5 s window and every metric present. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "weight/report.h"
#include "weight/report_sig.h"

/* clang-format off */
static const uint8_t fx_ed25519[] = {
	0x4c, 0x56, 0x53, 0x52, 0x01, 0x01, 0x04, 0x00, /* LVSR, v1, ed25519, IPv4, 0 */
	0x00, 0x50, 0x03, 0xff, 0x00, 0x00, 0x13, 0x88, /* port 80, flags, 5000 ms */
	0xc6, 0x33, 0x64, 0x0b, 0x00, 0x00, 0x00, 0x00, /* 198.51.100.11 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, /* boot id */
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a, /* sequence 42 */
	0x17, 0x97, 0x9c, 0xfe, 0x3d, 0x85, 0xcd, 0x15, /* time */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0xbb, 0xa0, /* MemAvailable 900000 kB */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x1e, 0x84, 0x80, /* MemTotal 2000000 kB */
	0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, /* memory.current 512 MiB */
	0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, /* memory.max 1 GiB */
	0x00, 0x00, 0x00, 0x00, 0x06, 0x40, 0x00, 0x00, /* inactive_file 100 MiB */
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, /* running 3, blocked 1 */
	0x00, 0x00, 0x04, 0xe2, 0x00, 0x00, 0x03, 0x6b, /* swap-out 12.50/s, idle 875 */
	0x00, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00, 0x3a, /* load 0.52 0.58 */
	0x00, 0x00, 0x00, 0x9f, 0x00, 0x00, 0x00, 0x7d, /* 1.59, PSI memory 1.25 */
	0x00, 0x00, 0x04, 0x1a, 0x00, 0x00, 0x05, 0xdc, /* PSI cpu 10.50, cg cpu 1500 */
	0xa0, 0x6e, 0x12, 0x20, 0x87, 0xa8, 0x2b, 0x79, /* signature */
	0xed, 0xa9, 0x30, 0x72, 0xb9, 0x7b, 0xe4, 0x4b,
	0xa6, 0xd6, 0xdb, 0xc2, 0xcb, 0xfc, 0x03, 0x1d,
	0xd8, 0x6c, 0x02, 0xd6, 0xc5, 0x84, 0x26, 0x4c,
	0xb7, 0x4d, 0xe4, 0xce, 0x1f, 0x7b, 0x68, 0xf1,
	0x21, 0xd1, 0x78, 0x67, 0xd3, 0x89, 0xbd, 0x06,
	0x72, 0x92, 0x97, 0x80, 0xc4, 0xbc, 0x51, 0x50,
	0x36, 0xa9, 0xf0, 0xf4, 0x1d, 0x81, 0x1c, 0x0d,
};

/* the same report, HMAC-SHA256 (byte 5 is 2) */
static const uint8_t fx_hmac[] = {
	0x4c, 0x56, 0x53, 0x52, 0x01, 0x02, 0x04, 0x00,
	0x00, 0x50, 0x03, 0xff, 0x00, 0x00, 0x13, 0x88,
	0xc6, 0x33, 0x64, 0x0b, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a,
	0x17, 0x97, 0x9c, 0xfe, 0x3d, 0x85, 0xcd, 0x15,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0xbb, 0xa0,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x1e, 0x84, 0x80,
	0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x06, 0x40, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x04, 0xe2, 0x00, 0x00, 0x03, 0x6b,
	0x00, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00, 0x3a,
	0x00, 0x00, 0x00, 0x9f, 0x00, 0x00, 0x00, 0x7d,
	0x00, 0x00, 0x04, 0x1a, 0x00, 0x00, 0x05, 0xdc,
	0x63, 0xaf, 0xdb, 0x47, 0x07, 0xce, 0x68, 0xb7, /* signature */
	0xb1, 0xe3, 0xe8, 0x99, 0xdf, 0x43, 0x97, 0x04,
	0x4b, 0x14, 0x5e, 0x42, 0x0e, 0xa3, 0xd3, 0xd7,
	0x31, 0x20, 0x49, 0xff, 0xf4, 0xd7, 0x5f, 0x32,
};

static const uint8_t fx_ed_seed[32] = {
	0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
	0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60,
};
/* clang-format on */

/* the public key of fx_ed_seed, as `lvs-agent keygen` writes PREFIX.pub */
static const char fx_ed_pub_pem[] = "-----BEGIN PUBLIC KEY-----\n"
				    "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
				    "-----END PUBLIC KEY-----\n";
/* 00 01 .. 1f as an HMAC key file */
static const char fx_hmac_hex[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";

/* The report both fixtures hold. */
static void
fx_report(struct rpt_report *r, int sig)
{
	static const uint8_t boot[RPT_BOOT_ID_LEN] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
						      0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
						      0xcc, 0xdd, 0xee, 0xff};

	memset(r, 0, sizeof(*r));
	r->sig = (uint8_t)sig;
	r->window_ms = 5000;
	r->server.family = AF_INET;
	memcpy(r->server.addr, (uint8_t[]){198, 51, 100, 11}, 4);
	r->server.port = 80;
	memcpy(r->boot_id, boot, sizeof(boot));
	r->seq = 42;
	r->time_ns = 1700000000123456789ull;
	r->m = (struct rpt_metrics){
	    .flags = RPT_FLAGS_ALL,
	    .mem_available_kb = 900000,
	    .mem_total_kb = 2000000,
	    .cg_mem_current = 512u << 20,
	    .cg_mem_max = 1u << 30,
	    .cg_inactive_file = 100u << 20,
	    .procs_running = 3,
	    .procs_blocked = 1,
	    .swapout_x100 = 1250,
	    .cpu_idle_pm = 875,
	    .load_x100 = {52, 58, 159},
	    .psi_mem_x100 = 125,
	    .psi_cpu_x100 = 1050,
	    .cg_cpu_pm = 1500,
	};
}

static EVP_PKEY *
fx_ed_priv(void)
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, fx_ed_seed, 32);

	assert_non_null(k);
	return k;
}

static void
fx_hmac_key(uint8_t key[32])
{
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
}

/* ------------------------------------------------------------- layout */

static void
test_lengths(void **st)
{
	assert_int_equal(rpt_len(RPT_SIG_ED25519), 208);
	assert_int_equal(rpt_len(RPT_SIG_HMAC_SHA256), 176);
	assert_int_equal(rpt_len(0), -EOPNOTSUPP);
	assert_int_equal(rpt_len(3), -EOPNOTSUPP);
	assert_int_equal(sizeof(fx_ed25519), RPT_MAX_LEN);
}

/* The encoder and the signers write the fixtures byte for byte. */
static void
test_fixture_encode(void **st)
{
	uint8_t buf[RPT_MAX_LEN + 8], key[32];
	struct rpt_report r;
	EVP_PKEY *k = fx_ed_priv();

	fx_report(&r, RPT_SIG_ED25519);
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), sizeof(fx_ed25519));
	assert_int_equal(rpt_sign_ed25519(k, buf, sizeof(fx_ed25519)), 0);
	assert_memory_equal(buf, fx_ed25519, sizeof(fx_ed25519));
	EVP_PKEY_free(k);

	fx_report(&r, RPT_SIG_HMAC_SHA256);
	fx_hmac_key(key);
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), sizeof(fx_hmac));
	assert_int_equal(rpt_sign_hmac(key, sizeof(key), buf, sizeof(fx_hmac)), 0);
	assert_memory_equal(buf, fx_hmac, sizeof(fx_hmac));
}

/* The fixtures decode to the report they were made from and verify with
 * the key files' bytes. */
static void
test_fixture_decode_verify(void **st)
{
	struct rpt_report want, got;
	struct rpt_key pub, hk;

	fx_report(&want, RPT_SIG_ED25519);
	assert_int_equal(rpt_decode(fx_ed25519, sizeof(fx_ed25519), &got), 0);
	assert_memory_equal(&got, &want, sizeof(got));
	assert_int_equal(
	    rpt_key_parse(RPT_SIG_ED25519, false, fx_ed_pub_pem, strlen(fx_ed_pub_pem), &pub), 0);
	assert_int_equal(rpt_verify(&pub, fx_ed25519, sizeof(fx_ed25519)), 0);
	assert_int_equal(rpt_verify_ed25519(pub.pkey, fx_ed25519, sizeof(fx_ed25519)), 0);
	/* a public key cannot sign */
	assert_int_equal(rpt_sign(&pub, (uint8_t[RPT_MAX_LEN]){0}, RPT_MAX_LEN), -EOPNOTSUPP);

	fx_report(&want, RPT_SIG_HMAC_SHA256);
	assert_int_equal(rpt_decode(fx_hmac, sizeof(fx_hmac), &got), 0);
	assert_memory_equal(&got, &want, sizeof(got));
	assert_int_equal(
	    rpt_key_parse(RPT_SIG_HMAC_SHA256, false, fx_hmac_hex, strlen(fx_hmac_hex), &hk), 0);
	assert_int_equal(hk.secret_len, 32);
	assert_int_equal(rpt_verify(&hk, fx_hmac, sizeof(fx_hmac)), 0);
	assert_int_equal(rpt_verify_hmac(hk.secret, hk.secret_len, fx_hmac, sizeof(fx_hmac)), 0);

	/* each key refuses the other type's datagram */
	assert_int_equal(rpt_verify(&hk, fx_ed25519, sizeof(fx_ed25519)), -EMSGSIZE);
	assert_int_equal(rpt_verify(&pub, fx_hmac, sizeof(fx_hmac)), -EMSGSIZE);
	rpt_key_free(&pub);
	rpt_key_free(&hk);
}

/* An IPv6 server, a port of 0, only some metrics: what goes in comes out. */
static void
test_round_trip(void **st)
{
	uint8_t buf[RPT_MAX_LEN];
	struct rpt_report r, got;
	struct rpt_key k;

	memset(&r, 0, sizeof(r));
	r.sig = RPT_SIG_ED25519;
	r.server.family = AF_INET6;
	memcpy(r.server.addr, (uint8_t[]){0x20, 0x01, 0x0d, 0xb8, [15] = 0x11}, 16);
	memset(r.boot_id, 0xee, sizeof(r.boot_id));
	r.seq = UINT64_MAX;
	r.time_ns = UINT64_MAX - 1;
	r.window_ms = UINT32_MAX;
	r.m.flags = RPT_HAS_MEM | RPT_HAS_CG_MEM;
	r.m.mem_available_kb = UINT64_MAX;
	r.m.mem_total_kb = 1;
	r.m.cg_mem_max = RPT_UNLIMITED;
	assert_int_equal(rpt_key_generate(RPT_SIG_ED25519, &k), 0);
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), 208);
	assert_int_equal(rpt_sign(&k, buf, 208), 0);
	assert_int_equal(rpt_decode(buf, 208, &got), 0);
	assert_memory_equal(&got, &r, sizeof(r));
	assert_int_equal(rpt_verify(&k, buf, 208), 0);
	rpt_key_free(&k);

	r.sig = RPT_SIG_HMAC_SHA256;
	assert_int_equal(rpt_key_generate(RPT_SIG_HMAC_SHA256, &k), 0);
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), 176);
	assert_int_equal(rpt_sign(&k, buf, 176), 0);
	assert_int_equal(rpt_decode(buf, 176, &got), 0);
	assert_memory_equal(&got, &r, sizeof(r));
	assert_int_equal(rpt_verify(&k, buf, 176), 0);
	rpt_key_free(&k);
}

static void
test_encode_refuses(void **st)
{
	uint8_t buf[RPT_MAX_LEN];
	struct rpt_report r;

	fx_report(&r, RPT_SIG_ED25519);
	assert_int_equal(rpt_encode(&r, buf, 207), -ENOBUFS);
	r.sig = 0;
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), -EOPNOTSUPP);
	fx_report(&r, RPT_SIG_ED25519);
	r.server.family = AF_UNIX;
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), -EINVAL);
	fx_report(&r, RPT_SIG_ED25519);
	r.server.addr[4] = 1; /* IPv4 with bytes past the 4th */
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), -EINVAL);
	fx_report(&r, RPT_SIG_ED25519);
	r.m.flags |= 1u << 10;
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), -EINVAL);
	fx_report(&r, RPT_SIG_ED25519);
	r.m.flags &= (uint16_t)~RPT_HAS_LOAD; /* absent, but not zero */
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), -EINVAL);
	fx_report(&r, RPT_SIG_ED25519);
	r.m.cpu_idle_pm = 1001;
	assert_int_equal(rpt_encode(&r, buf, sizeof(buf)), -EINVAL);
}

/* ------------------------------------------------------------- drops */

/* Decode fx with byte off set to val: err, and the output untouched. */
static void
expect_drop(const uint8_t *fx, size_t len, size_t off, uint8_t val, int err)
{
	uint8_t buf[RPT_MAX_LEN];
	struct rpt_report out, before;

	memcpy(buf, fx, len);
	buf[off] = val;
	memset(&out, 0xa5, sizeof(out));
	memset(&before, 0xa5, sizeof(before));
	assert_int_equal(rpt_decode(buf, len, &out), err);
	assert_memory_equal(&out, &before, sizeof(out));
}

static void
test_drop_truncated(void **st)
{
	uint8_t buf[RPT_MAX_LEN + 1];
	struct rpt_report out;

	memcpy(buf, fx_ed25519, sizeof(fx_ed25519));
	buf[RPT_MAX_LEN] = 0;
	for (size_t n = 0; n < sizeof(fx_ed25519); n++)
		assert_int_equal(rpt_decode(buf, n, &out), -EMSGSIZE);
	assert_int_equal(rpt_decode(buf, sizeof(buf), &out), -EMSGSIZE);
	for (size_t n = 0; n < sizeof(fx_hmac); n++)
		assert_int_equal(rpt_decode(fx_hmac, n, &out), -EMSGSIZE);
	/* an Ed25519 datagram that says HMAC, and the other way round */
	expect_drop(fx_ed25519, sizeof(fx_ed25519), 5, RPT_SIG_HMAC_SHA256, -EMSGSIZE);
	expect_drop(fx_hmac, sizeof(fx_hmac), 5, RPT_SIG_ED25519, -EMSGSIZE);
	/* too short for a header: the size, whatever the bytes say */
	expect_drop(fx_ed25519, 15, 0, 0, -EMSGSIZE);
}

static void
test_drop_reasons(void **st)
{
	const uint8_t *fx = fx_ed25519;
	size_t n = sizeof(fx_ed25519);

	expect_drop(fx, n, 0, 'l', -EBADMSG);
	expect_drop(fx, n, 3, 0, -EBADMSG);
	expect_drop(fx, n, 4, 0, -EPROTONOSUPPORT);
	expect_drop(fx, n, 4, 2, -EPROTONOSUPPORT);
	expect_drop(fx, n, 4, 0xff, -EPROTONOSUPPORT);
	expect_drop(fx, n, 5, 0, -EOPNOTSUPP);
	expect_drop(fx, n, 5, 3, -EOPNOTSUPP);
	expect_drop(fx, n, 6, 0, -EAFNOSUPPORT);
	expect_drop(fx, n, 6, 2, -EAFNOSUPPORT);
	expect_drop(fx, n, 6, 10, -EAFNOSUPPORT);
	expect_drop(fx, n, 20, 1, -EAFNOSUPPORT); /* IPv4, bytes past the 4th */
	expect_drop(fx, n, 31, 1, -EAFNOSUPPORT);
	expect_drop(fx, n, 7, 1, -EINVAL);	       /* reserved */
	expect_drop(fx, n, 10, 0x07, -EINVAL);	       /* unknown flag */
	expect_drop(fx, n, 10, 0x80, -EINVAL);	       /* unknown flag */
	expect_drop(fx, n, 11, 0xff & ~0x10, -EINVAL); /* load absent, not zero */
	expect_drop(fx_hmac, sizeof(fx_hmac), 11, 0xff & ~0x01, -EINVAL);
	expect_drop(fx, n, 119, 0xe9, -EINVAL); /* idle 0x3e9 = 1001 */
	/* the precedence: magic before version before type */
	expect_drop(fx, 30, 0, 0, -EBADMSG);
	expect_drop(fx, 30, 4, 9, -EPROTONOSUPPORT);
	expect_drop(fx, 30, 5, 9, -EOPNOTSUPP);
}

/* Decoding accepts the same address bytes as IPv6; only the signature
 * then tells it is not what the agent sent. */
static void
test_family_six(void **st)
{
	uint8_t buf[RPT_MAX_LEN];
	struct rpt_report out;
	struct rpt_key pub;

	memcpy(buf, fx_ed25519, sizeof(buf));
	buf[6] = 6;
	assert_int_equal(rpt_decode(buf, sizeof(buf), &out), 0);
	assert_int_equal(out.server.family, AF_INET6);
	assert_int_equal(
	    rpt_key_parse(RPT_SIG_ED25519, false, fx_ed_pub_pem, strlen(fx_ed_pub_pem), &pub), 0);
	assert_int_equal(rpt_verify(&pub, buf, sizeof(buf)), -EKEYREJECTED);
	rpt_key_free(&pub);
}

/* Any bit flipped anywhere breaks the signature. */
static void
flip_each_bit(const struct rpt_key *k, const uint8_t *fx, size_t len)
{
	uint8_t buf[RPT_MAX_LEN];

	for (size_t bit = 0; bit < len * 8; bit++) {
		memcpy(buf, fx, len);
		buf[bit / 8] ^= (uint8_t)(1u << bit % 8);
		assert_true(rpt_verify(k, buf, len) < 0);
		if (bit / 8 != 5) /* the type byte changes the length it needs */
			assert_int_equal(rpt_verify(k, buf, len), -EKEYREJECTED);
	}
}

static void
test_bit_flips(void **st)
{
	struct rpt_key pub, hk;

	assert_int_equal(
	    rpt_key_parse(RPT_SIG_ED25519, false, fx_ed_pub_pem, strlen(fx_ed_pub_pem), &pub), 0);
	flip_each_bit(&pub, fx_ed25519, sizeof(fx_ed25519));
	assert_int_equal(
	    rpt_key_parse(RPT_SIG_HMAC_SHA256, false, fx_hmac_hex, strlen(fx_hmac_hex), &hk), 0);
	flip_each_bit(&hk, fx_hmac, sizeof(fx_hmac));
	rpt_key_free(&pub);
	rpt_key_free(&hk);
}

/* Another key of the same type does not verify. */
static void
test_wrong_key(void **st)
{
	struct rpt_key other;
	uint8_t key[32];

	assert_int_equal(rpt_key_generate(RPT_SIG_ED25519, &other), 0);
	assert_int_equal(rpt_verify(&other, fx_ed25519, sizeof(fx_ed25519)), -EKEYREJECTED);
	rpt_key_free(&other);
	fx_hmac_key(key);
	key[31] ^= 1;
	assert_int_equal(rpt_verify_hmac(key, sizeof(key), fx_hmac, sizeof(fx_hmac)),
			 -EKEYREJECTED);
}

/* ------------------------------------------------------------- keys */

static void
test_key_parse(void **st)
{
	struct rpt_key k;
	EVP_PKEY *priv = fx_ed_priv();
	BIO *b = BIO_new(BIO_s_mem());
	char *pem;
	long len;

	static const char spaced[] = "  000102030405060708090A0B0C0D0E0F"
				     "101112131415161718191a1b1c1d1e1f\r\n\n";

	/* white space around the digits, capitals */
	assert_int_equal(rpt_key_parse(RPT_SIG_HMAC_SHA256, false, spaced, strlen(spaced), &k), 0);
	assert_int_equal(rpt_verify(&k, fx_hmac, sizeof(fx_hmac)), 0);
	rpt_key_free(&k);
	/* too short (31 bytes), odd, not hexadecimal, a space inside */
	assert_int_equal(rpt_key_parse(RPT_SIG_HMAC_SHA256, false, fx_hmac_hex, 62, &k), -EINVAL);
	assert_int_equal(rpt_key_parse(RPT_SIG_HMAC_SHA256, false, fx_hmac_hex, 63, &k), -EINVAL);
	assert_int_equal(
	    rpt_key_parse(RPT_SIG_HMAC_SHA256, false,
			  "x00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1", 64,
			  &k),
	    -EINVAL);
	assert_int_equal(
	    rpt_key_parse(RPT_SIG_HMAC_SHA256, false,
			  "0001020304050607 8090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 65,
			  &k),
	    -EINVAL);
	/* a PEM is not an HMAC secret, an HMAC secret not a PEM */
	assert_int_equal(
	    rpt_key_parse(RPT_SIG_HMAC_SHA256, false, fx_ed_pub_pem, strlen(fx_ed_pub_pem), &k),
	    -EINVAL);
	assert_int_equal(
	    rpt_key_parse(RPT_SIG_ED25519, false, fx_hmac_hex, strlen(fx_hmac_hex), &k), -EINVAL);
	assert_int_equal(rpt_key_parse(7, false, fx_hmac_hex, strlen(fx_hmac_hex), &k),
			 -EOPNOTSUPP);

	/* the private PEM signs the fixture; as a public key it is refused, so
	 * a director given the agent's private file says so */
	assert_non_null(b);
	assert_int_equal(PEM_write_bio_PrivateKey(b, priv, NULL, NULL, 0, NULL, NULL), 1);
	len = BIO_get_mem_data(b, &pem);
	assert_int_equal(rpt_key_parse(RPT_SIG_ED25519, false, pem, (size_t)len, &k), -EINVAL);
	assert_int_equal(rpt_key_parse(RPT_SIG_ED25519, true, pem, (size_t)len, &k), 0);
	assert_true(k.priv);
	{
		uint8_t buf[RPT_MAX_LEN];

		memcpy(buf, fx_ed25519, RPT_SIGNED_LEN);
		assert_int_equal(rpt_sign(&k, buf, sizeof(buf)), 0);
		assert_memory_equal(buf, fx_ed25519, sizeof(buf));
	}
	rpt_key_free(&k);
	BIO_free(b);
	EVP_PKEY_free(priv);
}

/* ------------------------------------------------------------- freshness */

#define SKEW 30000000000ull /* 30 s in ns */

static void
test_fresh(void **st)
{
	struct rpt_seen seen = {0};
	struct rpt_report r;
	uint64_t now = 1700000000123456789ull;

	fx_report(&r, RPT_SIG_ED25519);
	/* the first report: only the clock matters, to the limit inclusive */
	assert_int_equal(rpt_fresh(&seen, &r, now, SKEW), 0);
	assert_int_equal(rpt_fresh(&seen, &r, now + SKEW, SKEW), 0);
	assert_int_equal(rpt_fresh(&seen, &r, now - SKEW, SKEW), 0);
	assert_int_equal(rpt_fresh(&seen, &r, now + SKEW + 1, SKEW), -ETIME);
	assert_int_equal(rpt_fresh(&seen, &r, now - SKEW - 1, SKEW), -ETIME);
	rpt_seen_update(&seen, &r);

	/* the same boot: the sequence must grow, whatever the time says */
	assert_int_equal(rpt_fresh(&seen, &r, now, SKEW), -EALREADY);
	r.seq = 41;
	r.time_ns = now + 1;
	assert_int_equal(rpt_fresh(&seen, &r, now, SKEW), -EALREADY);
	r.seq = 43;
	r.time_ns = now - 1;
	assert_int_equal(rpt_fresh(&seen, &r, now, SKEW), 0);
	rpt_seen_update(&seen, &r);

	/* another boot (the agent restarted): its time must be later */
	r.boot_id[0] ^= 1;
	r.seq = 1;
	assert_int_equal(rpt_fresh(&seen, &r, now, SKEW), -EALREADY);
	r.time_ns = now;
	assert_int_equal(rpt_fresh(&seen, &r, now, SKEW), 0);
	rpt_seen_update(&seen, &r);
	/* and the old boot's reports are replays now */
	r.boot_id[0] ^= 1;
	r.seq = 44;
	assert_int_equal(rpt_fresh(&seen, &r, now, SKEW), -EALREADY);
	/* the clock before the order */
	r.time_ns = now + SKEW + 1;
	assert_int_equal(rpt_fresh(&seen, &r, now, SKEW), -ETIME);
}

/* Every reason has its own counter name. */
static void
test_err_names(void **st)
{
	static const int errs[] = {EMSGSIZE,	 EBADMSG, EPROTONOSUPPORT, EOPNOTSUPP,
				   EAFNOSUPPORT, EINVAL,  EKEYREJECTED,	   EALREADY,
				   ETIME,	 ENOENT,  ENOKEY};
	size_t n = sizeof(errs) / sizeof(errs[0]);

	for (size_t i = 0; i < n; i++) {
		assert_string_not_equal(rpt_err_name(-errs[i]), "other");
		assert_string_equal(rpt_err_name(-errs[i]), rpt_err_name(errs[i]));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(rpt_err_name(errs[i]), rpt_err_name(errs[j]));
	}
	assert_string_equal(rpt_err_name(-EIO), "other");
	assert_string_equal(rpt_err_name(-EMSGSIZE), "size");
	assert_string_equal(rpt_sig_name(RPT_SIG_ED25519), "ed25519");
	assert_string_equal(rpt_sig_name(RPT_SIG_HMAC_SHA256), "hmac-sha256");
	assert_string_equal(rpt_sig_name(0), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lengths),
	    cmocka_unit_test(test_fixture_encode),
	    cmocka_unit_test(test_fixture_decode_verify),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_encode_refuses),
	    cmocka_unit_test(test_drop_truncated),
	    cmocka_unit_test(test_drop_reasons),
	    cmocka_unit_test(test_family_six),
	    cmocka_unit_test(test_bit_flips),
	    cmocka_unit_test(test_wrong_key),
	    cmocka_unit_test(test_key_parse),
	    cmocka_unit_test(test_fresh),
	    cmocka_unit_test(test_err_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
