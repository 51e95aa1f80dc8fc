/*
 * schema.h: the numbered schema migrations (schema.c). Migration i brings the
 * database from version i to i + 1; released ones never change.
 */
#ifndef KEIKAI_STORE_SCHEMA_DEF_H
#define KEIKAI_STORE_SCHEMA_DEF_H

#include "keikai/store.h"

extern const char *const kk_schema_migrations[];
extern const int kk_schema_latest;
/* Work in C that completes the migrations (values only C can compute), run
 * each time a store opens, after them, in the transaction that finds the
 * schema current; ends with NULL. Each must be cheap when it has nothing to
 * do. */
extern kk_tx_fn *const kk_schema_fills[];
/* Every table, parents before children, with an ORDER BY list that orders its
 * rows completely; ends with { NULL, NULL }. */
struct kk_schema_table {
	const char *name, *order;
};
extern const struct kk_schema_table kk_schema_tables[];

#endif
