/* lvs-agent: key files.  `lvs-agent keygen` writes them; the agent loads
 * its own at start.  The formats are report_sig.h's, so what keygen writes
 * is what lvsd's keys: {type, file} loads on the directors. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "lvsd/core/keyfile.h"
#include "lvsd/core/log.h"
#include "weight/agent.h"

int
agent_key_load(const char *path, struct rpt_key *out)
{
	char *buf = malloc(AGENT_KEY_MAX + 1);
	bool loose = false;
	ssize_t len;
	int r, sig;

	if (!buf)
		return -ENOMEM;
	len = keyfile_read(path, buf, AGENT_KEY_MAX, &loose);
	if (len < 0) {
		free(buf);
		return (int)len;
	}
	sig = memmem(buf, (size_t)len, "-----BEGIN", 10) ? RPT_SIG_ED25519 : RPT_SIG_HMAC_SHA256;
	r = rpt_key_parse(sig, true, buf, (size_t)len, out);
	OPENSSL_cleanse(buf, AGENT_KEY_MAX + 1);
	free(buf);
	if (r == 0 && loose)
		log_warn("key %s can be read by others than its owner (chmod 600 it)", path);
	return r;
}

/* Write len bytes to a new file path (mode): 0 or -errno; an existing
 * file is never overwritten. */
static int
agent_key_write(const char *path, mode_t mode, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	ssize_t n = 0;
	int r = 0;

	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode) < 0 || (n = write(fd, data, len)) < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		unlink(path);
	return r;
}

/* The PEM of k (private or public) into a file. */
static int
agent_key_write_pem(const struct rpt_key *k, bool priv, const char *path)
{
	BIO *b = BIO_new(BIO_s_secmem());
	char *data = NULL;
	long len;
	int r = -EIO;

	if (b && (priv ? PEM_write_bio_PrivateKey(b, k->pkey, NULL, NULL, 0, NULL, NULL)
		       : PEM_write_bio_PUBKEY(b, k->pkey)) == 1) {
		len = BIO_get_mem_data(b, &data);
		r = agent_key_write(path, priv ? 0600 : 0644, data, (size_t)len);
	}
	BIO_free(b);
	ERR_clear_error();
	return r;
}

static int
agent_key_write_hex(const struct rpt_key *k, const char *path)
{
	char hex[2 * RPT_HMAC_KEY_MAX + 2];
	size_t n = 0;
	int r;

	for (size_t i = 0; i < k->secret_len; i++)
		n += (size_t)snprintf(hex + n, sizeof(hex) - n, "%02x", k->secret[i]);
	hex[n++] = '\n';
	r = agent_key_write(path, 0600, hex, n);
	OPENSSL_cleanse(hex, sizeof(hex));
	return r;
}

static int
agent_keygen_usage(FILE *f)
{
	fprintf(f, "usage: lvs-agent keygen [--type ed25519|hmac] --out PREFIX\n");
	return f == stdout ? 0 : 2;
}

/* The directory prefix names, made with its missing parents (0755: the
 * private key file itself is 0600) as mkdir -p would, on a fresh install
 * where /etc/lvs-agent does not exist yet.  0 or -errno. */
static int
agent_keygen_dir(const char *prefix)
{
	char dir[PATH_MAX];
	char *slash;

	if ((size_t)snprintf(dir, sizeof(dir), "%s", prefix) >= sizeof(dir))
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) == 0)
		printf("%s: created\n", dir);
	else if (errno != EEXIST)
		return -errno;
	return 0;
}

/* Write the files of k under prefix and say what goes where. */
static int
agent_keygen_write(const struct rpt_key *k, const char *prefix)
{
	char priv[PATH_MAX], pub[PATH_MAX];
	int r;

	if ((size_t)snprintf(priv, sizeof(priv), "%s.key", prefix) >= sizeof(priv) ||
	    (size_t)snprintf(pub, sizeof(pub), "%s.pub", prefix) >= sizeof(pub))
		return -ENAMETOOLONG;
	if ((r = agent_keygen_dir(prefix)) < 0)
		return r;
	if (k->sig == RPT_SIG_HMAC_SHA256) {
		r = agent_key_write_hex(k, priv);
		if (r == 0)
			printf("%s: the shared secret, for this agent (--key) and, copied "
			       "securely, every director (keys: {type: hmac, file: ...})\n",
			       priv);
		return r;
	}
	r = agent_key_write_pem(k, true, priv);
	if (r == 0 && (r = agent_key_write_pem(k, false, pub)) < 0)
		unlink(priv);
	if (r == 0)
		printf("%s: the private key, for this agent only (--key)\n"
		       "%s: the public key, for every director (keys: {type: ed25519, file: "
		       "...})\n",
		       priv, pub);
	return r;
}

int
agent_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"type", required_argument, NULL, 't'},
	    {"out", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	int sig = RPT_SIG_ED25519, c, r;
	struct rpt_key k;

	while ((c = getopt_long(argc, argv, "t:o:h", opts, NULL)) != -1) {
		if (c == 'h')
			return agent_keygen_usage(stdout);
		if (c == 'o')
			out = optarg;
		else if (c == 't' && !strcmp(optarg, "ed25519"))
			sig = RPT_SIG_ED25519;
		else if (c == 't' && (!strcmp(optarg, "hmac") || !strcmp(optarg, "hmac-sha256")))
			sig = RPT_SIG_HMAC_SHA256;
		else
			return agent_keygen_usage(stderr);
	}
	if (!out || optind != argc)
		return agent_keygen_usage(stderr);
	r = rpt_key_generate(sig, &k);
	if (r == 0) {
		umask(077);
		r = agent_keygen_write(&k, out);
		rpt_key_free(&k);
	}
	if (r < 0) {
		log_err("keygen %s: %s", out, strerror(-r));
		return 1;
	}
	return 0;
}
