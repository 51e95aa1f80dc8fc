/*
 * test_vault.c: unit tests of evidence at rest (lib/mail/vault.c, keikai/vault.h;
 * issue 11, item 6; SPEC 1): round trips across the chunk boundaries, every
 * kind of damage refused, another key refused, plain rows passed through, and
 * a missing key named by its path, with the real libsodium and a real key
 * file in the store's keys directory (unit_store makes one).
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keikai/keys.h"
#include "keikai/settings.h"
#include "keikai/vault.h"
#include "unit.h"

#define CHUNK 65536
#define OVERHEAD 17 /* secretstream's tag per chunk */
#define PREFIX (4 + 24) /* "KKV1" and the secretstream header */

/* n random bytes the caller frees. */
static unsigned char *random_bytes(size_t n)
{
	unsigned char *p = malloc(n ? n : 1);

	cr_assert_not_null(p);
	randombytes_buf(p, n);
	return p;
}

static void seal(struct kk_store *s, const void *plain, size_t n, unsigned char **out, size_t *out_n)
{
	struct kk_error err = KK_ERROR_INIT;
	void *p;

	cr_assert_eq(kk_vault_seal(s, plain, n, &p, out_n, &err), KK_OK, "seal %zu bytes: %s", n, err.msg);
	*out = p;
}

/* kk_vault_open's result for blob, freeing what it opened. */
static enum kk_result open_result(struct kk_store *s, const void *blob, size_t n, struct kk_error *err)
{
	void *p = NULL;
	size_t pn = 99;
	enum kk_result res = kk_vault_open(s, blob, n, &p, &pn, err);

	if (res) {
		cr_assert_null(p, "nothing is handed out on failure");
		cr_assert_eq(pn, 0);
	}
	free(p);
	return res;
}

static char *key_path(struct kk_store *s)
{
	struct kk_error err = KK_ERROR_INIT;
	char *path;

	cr_assert_eq(kk_keys_path(s, "evidence.key", &path, &err), KK_OK, "%s", err.msg);
	return path;
}

/* issue 11: what is sealed opens to the same bytes, at every chunk boundary */
Test(vault, round_trips_across_chunk_boundaries)
{
	static const size_t sizes[] = { 0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 1000000 };
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i], sealed_n, open_n, chunks = n == 0 ? 1 : (n + CHUNK - 1) / CHUNK;
		unsigned char *plain = random_bytes(n), *sealed;
		void *opened;

		seal(s, plain, n, &sealed, &sealed_n);
		cr_assert(kk_vault_is_sealed(sealed, sealed_n), "%zu bytes: the vault's prefix", n);
		cr_assert_eq(memcmp(sealed, "KKV1", 4), 0);
		cr_assert_eq(sealed_n, PREFIX + n + chunks * OVERHEAD, "%zu bytes sealed into %zu", n, sealed_n);
		if (n >= 16)
			cr_assert_null(memmem(sealed, sealed_n, plain, 16), "%zu bytes: no plain text in the sealed blob", n);
		cr_assert_eq(kk_vault_open(s, sealed, sealed_n, &opened, &open_n, &err), KK_OK, "%zu: %s", n, err.msg);
		cr_assert_eq(open_n, n);
		cr_assert_eq(memcmp(opened, plain, n), 0, "%zu bytes come back the same", n);
		free(opened);
		free(sealed);
		free(plain);
	}
	kk_store_close(s);
}

/* issue 11: sealing the same bytes twice gives two different blobs (a fresh
 * header each time), so equal files cannot be told apart in the database */
Test(vault, each_seal_is_fresh)
{
	struct kk_store *s = unit_store(NULL);
	unsigned char *a, *b;
	size_t an, bn;

	seal(s, "same", 4, &a, &an);
	seal(s, "same", 4, &b, &bn);
	cr_assert_eq(an, bn);
	cr_assert_neq(memcmp(a, b, an), 0);
	free(a);
	free(b);
	kk_store_close(s);
}

/* issue 11: a flipped bit anywhere after the prefix is refused, in the header,
 * in a full chunk, in its tag and in the final chunk */
Test(vault, a_flipped_byte_is_refused)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	size_t n = CHUNK + 300, sealed_n, tried = 0;
	unsigned char *plain = random_bytes(n), *sealed;

	seal(s, plain, n, &sealed, &sealed_n);
	/* every byte of the header, the first chunk's start and the last 400
	 * (the first chunk's tag and the final chunk), every 997th between */
	for (size_t at = 4; at < sealed_n;
	     at = (at < PREFIX + 64 || at >= sealed_n - 400) ? at + 1
	          : (at + 997 < sealed_n - 400 ? at + 997 : sealed_n - 400)) {
		sealed[at] ^= 0x01;
		kk_error_clear(&err);
		cr_assert_eq(open_result(s, sealed, sealed_n, &err), KK_EINVAL, "byte %zu of %zu flipped", at, sealed_n);
		cr_assert_not_null(strstr(err.msg, "could not be opened"), "%s", err.msg);
		sealed[at] ^= 0x01;
		tried++;
	}
	cr_assert_gt(tried, 400);
	cr_assert_eq(open_result(s, sealed, sealed_n, &err), KK_OK, "unflipped, it opens again");
	free(sealed);
	free(plain);
	kk_error_release(&err);
	kk_store_close(s);
}

/* issue 11: a stream cut short is refused: the final chunk dropped, cut
 * within a chunk, down to the header; so are bytes after the final chunk
 * and chunks swapped */
Test(vault, a_cut_or_rearranged_stream_is_refused)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	size_t n = 2 * CHUNK + 5, sealed_n, full = CHUNK + OVERHEAD;
	unsigned char *plain = random_bytes(n), *sealed, *longer, *swapped;

	seal(s, plain, n, &sealed, &sealed_n);
	cr_assert_eq(sealed_n, PREFIX + 2 * full + 5 + OVERHEAD);
	/* the final chunk dropped: what is left ends on a full, non-final chunk */
	cr_assert_eq(open_result(s, sealed, PREFIX + 2 * full, &err), KK_EINVAL, "final chunk dropped");
	cr_assert_eq(open_result(s, sealed, PREFIX + full, &err), KK_EINVAL, "two chunks dropped");
	cr_assert_eq(open_result(s, sealed, sealed_n - 1, &err), KK_EINVAL, "one byte short");
	cr_assert_eq(open_result(s, sealed, PREFIX, &err), KK_EINVAL, "the header alone");
	cr_assert_eq(open_result(s, sealed, 10, &err), KK_EINVAL, "part of the header");

	longer = malloc(sealed_n + 1);
	memcpy(longer, sealed, sealed_n);
	longer[sealed_n] = 0;
	cr_assert_eq(open_result(s, longer, sealed_n + 1, &err), KK_EINVAL, "a byte after the final chunk");

	swapped = malloc(sealed_n);
	memcpy(swapped, sealed, sealed_n);
	memcpy(swapped + PREFIX, sealed + PREFIX + full, full);
	memcpy(swapped + PREFIX + full, sealed + PREFIX, full);
	cr_assert_eq(open_result(s, swapped, sealed_n, &err), KK_EINVAL, "two chunks swapped");

	cr_assert_eq(open_result(s, sealed, sealed_n, &err), KK_OK, "the whole stream opens");
	free(swapped);
	free(longer);
	free(sealed);
	free(plain);
	kk_error_release(&err);
	kk_store_close(s);
}

/* issue 11: what another store's key sealed does not open */
Test(vault, another_key_is_refused)
{
	struct kk_store *a = unit_store(NULL), *b;
	struct kk_error err = KK_ERROR_INIT;
	char *pa, *pb, dir[PATH_MAX], keys[PATH_MAX + 8];
	unsigned char *sealed;
	size_t sealed_n;

	b = unit_store(NULL);
	if (strcmp(kk_store_engine(b), "postgresql") == 0) {
		/* PostgreSQL stores of one test share KEIKAI_KEYS: give b its own */
		unit_tmpdir(dir);
		snprintf(keys, sizeof(keys), "%s/other", dir);
		cr_assert_eq(kk_setting_set(b, "keys_dir", keys, &err), KK_OK, "%s", err.msg);
		cr_assert_eq(kk_keys_create(b, &err), KK_OK, "%s", err.msg);
	}
	pa = key_path(a);
	pb = key_path(b);
	cr_assert_str_neq(pa, pb);
	seal(a, "proof of concept", 16, &sealed, &sealed_n);
	cr_assert_eq(open_result(b, sealed, sealed_n, &err), KK_EINVAL, "%s", err.msg);
	cr_assert_eq(open_result(a, sealed, sealed_n, &err), KK_OK);
	free(sealed);
	free(pa);
	free(pb);
	kk_error_release(&err);
	kk_store_close(a);
	kk_store_close(b);
}

/* vault.h: a blob without the prefix (a row from before sealing) comes back
 * as it is, empty included */
Test(vault, a_plain_blob_passes_through)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	const char *plain[] = { "", "K", "KKV", "KKV2 not sealed", "%PDF-1.7 the PoC" };

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		size_t n = strlen(plain[i]), out_n;
		void *out;

		cr_assert_not(kk_vault_is_sealed(plain[i], n));
		cr_assert_eq(kk_vault_open(s, plain[i], n, &out, &out_n, &err), KK_OK, "%s", err.msg);
		cr_assert_eq(out_n, n);
		cr_assert_eq(memcmp(out, plain[i], n), 0);
		free(out);
	}
	kk_store_close(s);
}

/* issue 11: without its key file the vault says which file is missing; once
 * the key is back, the next call reads it (a failure is not kept) */
Test(vault, a_missing_key_is_named_and_retried)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	char *path = key_path(s);
	unsigned char key[32], *sealed;
	size_t sealed_n;
	void *out;
	FILE *f = fopen(path, "rb");

	cr_assert_not_null(f);
	cr_assert_eq(fread(key, 1, sizeof(key), f), sizeof(key));
	fclose(f);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(kk_vault_seal(s, "x", 1, &out, &sealed_n, &err), KK_EIO);
	cr_assert_null(out);
	cr_assert_not_null(strstr(err.msg, path), "the message names %s: %s", path, err.msg);
	cr_assert_not_null(strstr(err.msg, "missing"), "%s", err.msg);
	kk_error_clear(&err);
	cr_assert_eq(kk_vault_open(s, "KKV1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 60, &out, &sealed_n, &err),
		     KK_EIO, "opening needs the key too");

	/* a file of the wrong size is not a key */
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	fwrite(key, 1, 31, f);
	fclose(f);
	kk_error_clear(&err);
	cr_assert_eq(kk_vault_seal(s, "x", 1, &out, &sealed_n, &err), KK_EIO);
	cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);

	/* the key restored: the next call works, without reopening the store */
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	fwrite(key, 1, sizeof(key), f);
	fclose(f);
	seal(s, "back", 4, &sealed, &sealed_n);
	cr_assert_eq(open_result(s, sealed, sealed_n, &err), KK_OK);

	/* once read, the key is kept for the store's life */
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(open_result(s, sealed, sealed_n, &err), KK_OK, "%s", err.msg);
	free(sealed);
	free(path);
	kk_error_release(&err);
	kk_store_close(s);
}

/* keys.h: keikai init's kk_keys_create makes a 0700 directory and a 0600 key,
 * and never replaces a key that is there */
Test(vault, keys_create_keeps_an_existing_key)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	char *path = key_path(s), *dir;
	unsigned char before[32], after[32];
	struct stat st;
	FILE *f;

	cr_assert_eq(kk_keys_dir(s, &dir, &err), KK_OK);
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "the keys directory is %o", st.st_mode & 0777);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "the key is %o", st.st_mode & 0777);
	cr_assert_eq(st.st_size, 32);
	f = fopen(path, "rb");
	cr_assert_eq(fread(before, 1, 32, f), 32);
	fclose(f);
	cr_assert_eq(kk_keys_create(s, &err), KK_OK, "%s", err.msg);
	f = fopen(path, "rb");
	cr_assert_eq(fread(after, 1, 32, f), 32);
	fclose(f);
	cr_assert_eq(memcmp(before, after, 32), 0, "the key is kept");
	free(dir);
	free(path);
	kk_store_close(s);
}
