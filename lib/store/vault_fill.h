/*
 * vault_fill.h: sealing the files stored before sealing existed (issue 11,
 * item 6), one of the schema's fills (schema.h). Internal to lib/store/.
 */
#ifndef KEIKAI_STORE_VAULT_FILL_H
#define KEIKAI_STORE_VAULT_FILL_H

#include "keikai/store.h"

/* Seals every attachment and message attachment still stored plain, when
 * the store's evidence key can be read; when the store has no keys directory
 * or no key it leaves them (reads pass plain rows through, vault.h) and tries
 * again the next time the store opens. */
enum kk_result kk_vault_seal_missing(struct kk_tx *tx, void *arg, struct kk_error *err);

#endif
