/*
 * idempotency.c: the answers kept for Idempotency-Keys (idempotency.h). Three
 * secrets come from a key by BLAKE2b with three personalisations: the row's id,
 * the key that seals the answer, and the key of the body's hash. The rows are
 * kept by store/idempotency.c.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/idempotency.h"
#include "keikai/util.h"
#include "store/idempotency.h"

/* Personalisations (16 bytes, padded with NULs), one per use of the key. */
static const unsigned char personal_id[crypto_generichash_blake2b_PERSONALBYTES] = "kk-idem-row";
static const unsigned char personal_seal[crypto_generichash_blake2b_PERSONALBYTES] = "kk-idem-seal";
static const unsigned char personal_mac[crypto_generichash_blake2b_PERSONALBYTES] = "kk-idem-mac";
static const unsigned char personal_body[crypto_generichash_blake2b_PERSONALBYTES] = "kk-idem-body";

int kk_idem_key_valid(const char *key)
{
	size_t n = 0;

	if (!key)
		return 0;
	for (; key[n]; n++)
		if ((unsigned char)key[n] < 0x20 || (unsigned char)key[n] > 0x7e)
			return 0;
	return n >= 1 && n <= KK_IDEM_KEY_MAX;
}

/* 32 bytes of BLAKE2b of in, keyed by key (NULL: none), personalised. */
static void derive(unsigned char out[32], const void *in, size_t n, const unsigned char *key, size_t key_len,
		   const unsigned char personal[crypto_generichash_blake2b_PERSONALBYTES])
{
	crypto_generichash_blake2b_salt_personal(out, 32, in, n, key, key_len, NULL, personal);
}

void kk_idem_init(struct kk_idem *k, const char *key, const void *body, size_t n, unsigned status)
{
	unsigned char id[32], mac[32], hash[32];
	size_t key_len = strlen(key);

	derive(id, key, key_len, NULL, 0, personal_id);
	derive(k->seal, key, key_len, NULL, 0, personal_seal);
	derive(mac, key, key_len, NULL, 0, personal_mac);
	derive(hash, body ? body : "", body ? n : 0, mac, sizeof(mac), personal_body);
	sodium_bin2hex(k->id, sizeof(k->id), id, sizeof(id));
	sodium_bin2hex(k->body_hash, sizeof(k->body_hash), hash, sizeof(hash));
	k->status = status;
	sodium_memzero(mac, sizeof(mac));
}

void kk_idem_release(struct kk_idem *k)
{
	if (k)
		sodium_memzero(k, sizeof(*k));
}

/* Opens a sealed answer (nonce, then ciphertext) into a string the caller frees. */
static enum kk_result unseal(const struct kk_idem *k, const unsigned char *sealed, size_t n, char **answer,
			     struct kk_error *err)
{
	size_t len;
	char *plain;

	*answer = NULL;
	if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return kk_error_set(err, KK_EDB, "%s", _("The stored answer to this Idempotency-Key cannot be read."));
	len = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	if (!(plain = kk_malloc(len + 1)))
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	if (crypto_secretbox_open_easy((unsigned char *)plain, sealed + crypto_secretbox_NONCEBYTES,
				       n - crypto_secretbox_NONCEBYTES, sealed, k->seal) != 0) {
		free(plain);
		return kk_error_set(err, KK_EDB, "%s", _("The stored answer to this Idempotency-Key cannot be read."));
	}
	plain[len] = '\0';
	*answer = plain;
	return KK_OK;
}

enum kk_result kk_idem_find(struct kk_store *s, const struct kk_idem *k, unsigned *status, char **answer,
			    struct kk_error *err)
{
	struct kk_idem_row row;
	struct kk_tx tx;
	enum kk_result res;

	*answer = NULL;
	*status = 0;
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_idem_rows_get(&tx, k->id, kk_now() - KK_IDEM_TTL, &row, err);
	res = kk_tx_end(&tx, res, err);
	if (res) {
		free(row.sealed);
		return res;
	}
	if (sodium_memcmp(row.body_hash, k->body_hash, sizeof(k->body_hash)) != 0)
		res = kk_error_set(err, KK_ECONFLICT, "%s",
				   _("This Idempotency-Key was already used with a different request body. "
				     "Use a new key for a new report."));
	else
		res = unseal(k, row.sealed, row.sealed_len, answer, err);
	if (!res)
		*status = (unsigned)row.status;
	free(row.sealed);
	return res;
}

enum kk_result kk_idem_save(struct kk_tx *tx, const struct kk_idem *k, int64_t report_id, const char *answer,
			    int64_t now, struct kk_error *err)
{
	size_t n = strlen(answer), len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *sealed = kk_malloc(len);
	enum kk_result res;

	if (!sealed)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	randombytes_buf(sealed, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(sealed + crypto_secretbox_NONCEBYTES, (const unsigned char *)answer, n, sealed, k->seal);
	/* expired keys go first, so that a key may be used again once expired */
	res = kk_idem_rows_forget(tx, now - KK_IDEM_TTL, err);
	if (!res)
		res = kk_idem_rows_insert(tx, k->id, k->body_hash, k->status, sealed, len, now, report_id, err);
	free(sealed);
	return res;
}
