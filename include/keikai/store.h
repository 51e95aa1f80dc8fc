/*
 * store.h: the embedded database. One SQLite file in WAL mode with foreign keys and
 * versioned migrations; every commit is synced to disk before it returns
 * (synchronous=FULL), so what keikai acknowledges is never lost.
 *
 * A store hands out connections from a small pool so that HTTP threads read in
 * parallel; writers take the store's write lock, so transactions never wait on
 * SQLite's busy handler.
 */
#ifndef KEIKAI_STORE_H
#define KEIKAI_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "keikai/error.h"

struct kk_store;

enum kk_store_flags {
	KK_STORE_CREATE = 1, /* create a new database; fail if one is there */
};

/* Opens (or with KK_STORE_CREATE creates) the database at path and brings its schema
 * to the current version. *out is freed with kk_store_close. */
enum kk_result kk_store_open(const char *path, int flags, struct kk_store **out, struct kk_error *err);

/* Closes every connection. Accepts NULL. */
void kk_store_close(struct kk_store *s);

/* The schema version the database is at. */
int kk_store_schema_version(struct kk_store *s);

/* A setting (table settings), or def when unset. Returns a string the caller frees. */
char *kk_setting_get(struct kk_store *s, const char *key, const char *def);
enum kk_result kk_setting_set(struct kk_store *s, const char *key, const char *value, struct kk_error *err);

/*
 * Transactions, for the core's modules. kk_tx_begin takes a pooled connection (and,
 * when write is set, the write lock and BEGIN IMMEDIATE); kk_tx_end commits when
 * result is KK_OK and rolls back otherwise, then gives the connection back. Returns
 * the final result (a failed commit turns KK_OK into KK_EDB).
 */
struct kk_tx {
	struct kk_store *store;
	sqlite3 *db;
	int write;
};
enum kk_result kk_tx_begin(struct kk_store *s, int write, struct kk_tx *tx, struct kk_error *err);
enum kk_result kk_tx_end(struct kk_tx *tx, enum kk_result result, struct kk_error *err);

/*
 * Group commit: runs fn(tx, arg, err) inside a write transaction that it may share
 * with other writers arriving at the same moment, each in its own savepoint, and
 * returns once that transaction is committed and synced. fn's changes are kept
 * only when it returns KK_OK; a failing fn undoes only its own. fn may run on
 * another thread, but in the caller's language. Every durable acknowledgement
 * (SPEC 2.1) goes through here, so many finders share one fsync.
 */
typedef enum kk_result kk_tx_fn(struct kk_tx *tx, void *arg, struct kk_error *err);
enum kk_result kk_tx_grouped(struct kk_store *s, kk_tx_fn *fn, void *arg, struct kk_error *err);

/* Prepares sql on tx's connection; on failure fills err and returns NULL. */
sqlite3_stmt *kk_tx_prepare(struct kk_tx *tx, const char *sql, struct kk_error *err);

/* Records a database failure in err and returns KK_EDB. */
enum kk_result kk_db_error(sqlite3 *db, struct kk_error *err);

/* Binds helpers that treat NULL text as SQL NULL. */
int kk_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Column text duplicated (NULL for SQL NULL); the caller frees. */
char *kk_column_dup(sqlite3_stmt *st, int i);

#endif
