/*
 * evidence.h: what came in as it came (issue 11, items 4-6; SPEC 1): a mail
 * message keikai mail-in took, the ciphertext of an encrypted report form.
 * Each is stored sealed under the evidence key (vault.h), with the size and
 * sha256 of the plain bytes so staff can tell a copy is the same without
 * opening it. Table evidence (migration 12).
 */
#ifndef KEIKAI_EVIDENCE_H
#define KEIKAI_EVIDENCE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* Seals n bytes of data (with tx->store's evidence key) and stores them as
 * evidence of kind "mail" or "ciphertext", about report_id (0: none yet).
 * *id (may be NULL) gets the new row's id. KK_EINVAL for another kind;
 * kk_vault_seal's errors when the key cannot be read (nothing is stored). */
enum kk_result kk_evidence_add(struct kk_tx *tx, const char *kind, int64_t report_id, const void *data, size_t n,
			       int64_t *id, struct kk_error *err);

/* Opens evidence id: *data (*n bytes) and *kind are copies the caller frees
 * (kind may be NULL when not wanted). KK_ENOTFOUND when there is no such
 * row; KK_EINVAL when the sealed bytes do not open (vault.h). */
enum kk_result kk_evidence_get(struct kk_tx *tx, int64_t id, void **data, size_t *n, char **kind,
			       struct kk_error *err);

/* Attaches evidence id to report_id (evidence stored before its report). */
enum kk_result kk_evidence_set_report(struct kk_tx *tx, int64_t id, int64_t report_id, struct kk_error *err);

/* The evidence of report_id, oldest first, as a new array the caller frees:
 * [{id, kind, size, sha256, created_at}] (created_at in Unix seconds). */
enum kk_result kk_evidence_list(struct kk_tx *tx, int64_t report_id, json_t **out, struct kk_error *err);

#endif
