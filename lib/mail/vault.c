/*
 * vault.c: evidence at rest (vault.h; issue 11, item 6; SPEC 1). Blobs are
 * sealed with libsodium's secretstream (XChaCha20-Poly1305) under the
 * evidence key, a file in the keys directory outside the database (keys.h),
 * so a stolen database file reveals no PoC.
 *
 * A sealed blob is
 *
 *   "KKV1" | secretstream header (24 bytes) | chunk ... | final chunk
 *
 * where each chunk holds at most KK_VAULT_CHUNK bytes of plain text (17 bytes
 * more once sealed) and only the last is tagged FINAL; every chunk but the
 * last is full, so the boundaries need no length fields. A stream whose last
 * chunk is not tagged FINAL was cut short and is refused, as is one with
 * bytes after its FINAL chunk. Empty plain text is one empty FINAL chunk.
 *
 * The key is read once per store and kept in the store's cache slot
 * KK_STORE_SLOT_VAULT; a key that could not be read is not kept, so the next
 * call reads the file again (an operator who restores the keys directory
 * need not restart) and says why it failed: KK_EIO, naming the file, for a
 * missing key or keys directory as for an unreadable one (the deployment's
 * fault, which a front answers with 500, not 404). The key is wiped when the
 * store closes.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/keys.h"
#include "keikai/vault.h"
#include "vault_internal.h"

#define MAGIC "KKV1"
#define MAGIC_LEN 4
#define HEADER_LEN crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define KK_VAULT_CHUNK ((size_t)65536)
#define SEALED_CHUNK (KK_VAULT_CHUNK + ABYTES)

/* The evidence key as the store keeps it: loaded is set once key holds the
 * file's bytes. */
struct vault_key {
	pthread_mutex_t lock;
	int loaded;
	unsigned char key[KK_VAULT_KEY_BYTES];
};

static void *vault_key_new(void)
{
	struct vault_key *k = kk_calloc(1, sizeof(*k));

	if (k)
		pthread_mutex_init(&k->lock, NULL);
	return k;
}

static void vault_key_free(void *p)
{
	struct vault_key *k = p;

	sodium_memzero(k->key, sizeof(k->key));
	pthread_mutex_destroy(&k->lock);
	free(k);
}

/* Reads exactly KK_VAULT_KEY_BYTES from path into key. */
static enum kk_result read_key_file(const char *path, unsigned char *key, struct kk_error *err)
{
	unsigned char extra;
	size_t got = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return kk_error_set(err, KK_EIO,
					    _("The evidence key %s is missing: sealed attachments and evidence cannot be "
					      "read or stored without it. Restore it from a backup of the keys directory."),
					    path);
		return kk_error_set(err, KK_EIO, _("The evidence key %s could not be read: %s"), path, strerror(errno));
	}
	while (got < KK_VAULT_KEY_BYTES) {
		r = read(fd, key + got, KK_VAULT_KEY_BYTES - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	/* a longer file is not a key either: a wrong file named evidence.key */
	if (got == KK_VAULT_KEY_BYTES && read(fd, &extra, 1) > 0)
		got++;
	close(fd);
	if (got != KK_VAULT_KEY_BYTES) {
		sodium_memzero(key, KK_VAULT_KEY_BYTES);
		return kk_error_set(err, KK_EIO, _("The evidence key %s is not a key: it must hold exactly %d bytes."),
				    path, (int)KK_VAULT_KEY_BYTES);
	}
	return KK_OK;
}

/* Copies the store's evidence key into key (the caller wipes it), reading the
 * file when it is not yet kept. */
static enum kk_result get_key(struct kk_store *s, unsigned char *key, struct kk_error *err)
{
	struct vault_key *k = kk_store_cache(s, KK_STORE_SLOT_VAULT, vault_key_new, vault_key_free);
	enum kk_result res = KK_OK;
	char *path = NULL;

	if (!k)
		return kk_error_nomem(err);
	pthread_mutex_lock(&k->lock);
	if (!k->loaded) {
		res = kk_keys_path(s, KK_VAULT_KEY_FILE, &path, err);
		/* no keys directory is the deployment's fault, not a missing
		 * object: KK_EIO like a missing key, so a front answers 500 */
		if (res == KK_ENOTFOUND && err)
			err->code = KK_EIO;
		if (res == KK_ENOTFOUND)
			res = KK_EIO;
		if (!res)
			res = read_key_file(path, k->key, err);
		k->loaded = res == KK_OK;
	}
	if (!res)
		memcpy(key, k->key, KK_VAULT_KEY_BYTES);
	pthread_mutex_unlock(&k->lock);
	free(path);
	return res;
}

int kk_vault_is_sealed(const void *blob, size_t n)
{
	return blob && n >= MAGIC_LEN && memcmp(blob, MAGIC, MAGIC_LEN) == 0;
}

enum kk_result kk_vault_seal(struct kk_store *s, const void *plain, size_t n, void **out, size_t *out_n,
			     struct kk_error *err)
{
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char key[KK_VAULT_KEY_BYTES];
	const unsigned char *in = plain;
	unsigned char *buf, *p;
	size_t chunks = n / KK_VAULT_CHUNK + 1, total, left = n;
	enum kk_result res;

	*out = NULL;
	*out_n = 0;
	/* a full last chunk is the FINAL one: no empty chunk follows it */
	if (n % KK_VAULT_CHUNK == 0 && n > 0)
		chunks--;
	if (n > SIZE_MAX / 2 || chunks > (SIZE_MAX - MAGIC_LEN - HEADER_LEN - n) / ABYTES)
		return kk_error_set(err, KK_ETOOBIG, "%s", _("The file is too large to be sealed."));
	total = MAGIC_LEN + HEADER_LEN + n + chunks * ABYTES;
	res = get_key(s, key, err);
	if (res)
		return res;
	buf = kk_malloc(total);
	if (!buf) {
		sodium_memzero(key, sizeof(key));
		return kk_error_nomem(err);
	}
	memcpy(buf, MAGIC, MAGIC_LEN);
	crypto_secretstream_xchacha20poly1305_init_push(&st, buf + MAGIC_LEN, key);
	sodium_memzero(key, sizeof(key));
	p = buf + MAGIC_LEN + HEADER_LEN;
	do {
		size_t len = left < KK_VAULT_CHUNK ? left : KK_VAULT_CHUNK;
		int last = left - len == 0;

		crypto_secretstream_xchacha20poly1305_push(&st, p, NULL, in, len, NULL, 0,
							   last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
		p += len + ABYTES;
		in += len;
		left -= len;
	} while (left > 0);
	sodium_memzero(&st, sizeof(st));
	*out = buf;
	*out_n = (size_t)(p - buf);
	return KK_OK;
}

/* The message for a sealed blob that does not open. */
static enum kk_result refuse(struct kk_error *err)
{
	return kk_error_set(err, KK_EINVAL, "%s",
			    _("Sealed evidence could not be opened: it was altered or cut short, or sealed with "
			      "another evidence key."));
}

enum kk_result kk_vault_open(struct kk_store *s, const void *sealed, size_t n, void **out, size_t *out_n,
			     struct kk_error *err)
{
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char key[KK_VAULT_KEY_BYTES], tag = 0;
	const unsigned char *in = sealed;
	unsigned char *buf, *p;
	size_t left;
	enum kk_result res = KK_OK;

	*out = NULL;
	*out_n = 0;
	if (!kk_vault_is_sealed(sealed, n)) {
		/* a row stored before sealing (vault.h): returned as it is */
		buf = kk_malloc(n);
		if (!buf)
			return kk_error_nomem(err);
		if (n)
			memcpy(buf, sealed, n);
		*out = buf;
		*out_n = n;
		return KK_OK;
	}
	/* at least the header and one (empty, final) chunk */
	if (n < MAGIC_LEN + HEADER_LEN + ABYTES)
		return refuse(err);
	res = get_key(s, key, err);
	if (res)
		return res;
	in += MAGIC_LEN;
	left = n - MAGIC_LEN - HEADER_LEN;
	if (crypto_secretstream_xchacha20poly1305_init_pull(&st, in, key) != 0) {
		sodium_memzero(key, sizeof(key));
		return refuse(err);
	}
	sodium_memzero(key, sizeof(key));
	in += HEADER_LEN;
	/* the plain text is shorter than what is left: one buffer of that size */
	buf = kk_malloc(left);
	if (!buf) {
		sodium_memzero(&st, sizeof(st));
		return kk_error_nomem(err);
	}
	p = buf;
	while (left > 0 && !res) {
		size_t len = left < SEALED_CHUNK ? left : SEALED_CHUNK;
		unsigned long long plain_len;

		if (len < ABYTES ||
		    crypto_secretstream_xchacha20poly1305_pull(&st, p, &plain_len, &tag, in, len, NULL, 0) != 0)
			res = refuse(err);
		else if ((tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) != (len == left))
			res = refuse(err); /* FINAL before the end, or the end without FINAL */
		else {
			p += plain_len;
			in += len;
			left -= len;
		}
	}
	sodium_memzero(&st, sizeof(st));
	if (res) {
		sodium_memzero(buf, (size_t)(p - buf));
		free(buf);
		return res;
	}
	*out = buf;
	*out_n = (size_t)(p - buf);
	return KK_OK;
}
