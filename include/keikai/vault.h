/*
 * vault.h: evidence at rest (issue 11, item 6; SPEC 1). Attachments, message
 * attachments and mail evidence are stored sealed with libsodium's
 * secretstream (XChaCha20-Poly1305) under the evidence key (keys.h), so a
 * stolen database file reveals no PoC. A sealed blob starts with a magic
 * prefix, so rows stored before sealing existed are told apart and sealed
 * when the store opens.
 */
#ifndef KEIKAI_VAULT_H
#define KEIKAI_VAULT_H

#include <stddef.h>

#include "keikai/store.h"

/* Seals n bytes of plain into *out (*out_n bytes; the caller frees). KK_EIO,
 * naming the key's path, when the evidence key cannot be read (missing
 * included), or the store has no keys directory. */
enum kk_result kk_vault_seal(struct kk_store *s, const void *plain, size_t n, void **out, size_t *out_n,
			     struct kk_error *err);

/* Opens what kk_vault_seal made into *out (*out_n bytes; the caller frees).
 * A blob without the vault's prefix is returned as it is (rows from before
 * sealing). KK_EINVAL when a sealed blob fails authentication (tampered, or
 * another key). */
enum kk_result kk_vault_open(struct kk_store *s, const void *sealed, size_t n, void **out, size_t *out_n,
			     struct kk_error *err);

/* 1 when blob starts with the vault's prefix. */
int kk_vault_is_sealed(const void *blob, size_t n);

#endif
