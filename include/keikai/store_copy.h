/*
 * store_copy.h: copying a whole deployment from one store to another, on any
 * pair of engines (SQLite to PostgreSQL and back, or alike): what
 * `keikai db copy` does (docs/cli/db.md).
 */
#ifndef KEIKAI_STORE_COPY_H
#define KEIKAI_STORE_COPY_H

#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* Told, after the commit, of each table copied and its number of rows. */
typedef void kk_store_copy_fn(const char *table, int64_t rows, void *arg);

/*
 * Copies every row of every table of keikai's schema from `from` to `to`, ids
 * included, so that logins, tokens, tracking numbers and links carry over. Both
 * stores are opened by the caller (and so at the current schema); `to` must
 * hold no row in any table (an empty schema is fine): KK_EEXISTS otherwise, and
 * KK_EINVAL when the two are the same database.
 *
 * The tables are copied parents before children, in one write transaction on
 * `to`, from one read transaction on `from` (a snapshot on PostgreSQL), and the
 * generated ids of `to` are set to follow the copied ones. Before committing,
 * every table must count as many rows on `to` as on `from`; otherwise, or on any
 * failure, nothing is written and err names the table. On success done (when
 * not NULL) is called with arg for each table, in order.
 *
 * Stop every writer to `from` first: what it writes during the copy may be
 * missed.
 */
enum kk_result kk_store_copy(struct kk_store *from, struct kk_store *to, kk_store_copy_fn *done, void *arg,
			     struct kk_error *err);

#endif
