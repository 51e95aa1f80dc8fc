/*
 * store_internal.h: what store.c offers the rest of lib/store/ beyond the
 * public store.h, for keikai db copy (copy.c). Nothing outside lib/store/
 * includes this file.
 */
#ifndef KEIKAI_STORE_INTERNAL_H
#define KEIKAI_STORE_INTERNAL_H

#include "keikai/store.h"

/* The address s was opened with, owned by s. */
const char *kk_store_address(const struct kk_store *s);

/* After rows with explicit ids were inserted into table in tx: makes the next
 * id the database generates follow them (the driver's after_copy; nothing on
 * an engine that needs nothing). table is one of kk_schema_tables. */
enum kk_result kk_tx_after_copy(struct kk_tx *tx, const char *table, struct kk_error *err);

/* kk_stmt_prepare for a statement the engine must not keep prepared, because
 * the shape of its result may change between runs (SELECT * over a table whose
 * columns a migration or a test changes). */
struct kk_stmt *kk_stmt_prepare_uncached(struct kk_tx *tx, const char *sql, struct kk_error *err);

#endif
