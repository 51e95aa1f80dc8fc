/*
 * idempotency.h: the repository of Idempotency-Key answers (table
 * idempotency_keys): by the hash of a key, the keyed hash of the body it came
 * with, the status and the sealed answer (nonce and ciphertext), when it was
 * stored and the report it answers. Internal to the core: idempotency.c derives
 * the hashes and seals the answer; nothing readable arrives here.
 */
#ifndef KEIKAI_STORE_IDEMPOTENCY_H
#define KEIKAI_STORE_IDEMPOTENCY_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/store.h"

struct kk_idem_row {
	char body_hash[65];
	int64_t status, created_at;
	unsigned char *sealed; /* the caller frees */
	size_t sealed_len;
};

/* The row of key_hash stored after `since`; KK_ENOTFOUND when there is none. */
enum kk_result kk_idem_rows_get(struct kk_tx *tx, const char *key_hash, int64_t since, struct kk_idem_row *out,
				struct kk_error *err);

/* Adds a row; KK_ECONFLICT (nothing written) when key_hash has one already. */
enum kk_result kk_idem_rows_insert(struct kk_tx *tx, const char *key_hash, const char *body_hash, int64_t status,
				   const unsigned char *sealed, size_t sealed_len, int64_t now, int64_t report_id,
				   struct kk_error *err);

/* Deletes the rows stored at or before `expired`. */
enum kk_result kk_idem_rows_forget(struct kk_tx *tx, int64_t expired, struct kk_error *err);

#endif
