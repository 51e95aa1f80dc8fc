/*
 * store.h: keikai's database, behind one interface with two engines.
 *
 * A store is opened from an address: a file path selects the embedded SQLite
 * engine (WAL, synchronous=FULL, group commit), a libpq URI
 * (postgresql://user@host/db, postgresql:///keikai?host=/run/postgresql)
 * selects PostgreSQL (synchronous_commit on). Every commit that returns KK_OK is
 * durable, on either engine, so what keikai acknowledges is never lost.
 *
 * SQL is written once, in the dialect both engines share: `?` placeholders
 * (or `?N`), RETURNING, ON CONFLICT, lower() for case-insensitive comparison,
 * timestamps as Unix seconds in BIGINT columns. Only the drivers in lib/store/
 * know which engine runs it. Domain modules hold no SQL: they call the
 * repositories of lib/store/ (reports, accounts, sessions, outbox, audit, cwe,
 * settings, vendors), which use the statements declared here.
 *
 * A store hands out connections from a small pool so that HTTP threads work in
 * parallel. On SQLite, writers take the store's write lock before BEGIN
 * IMMEDIATE, so no thread sleeps in SQLite's busy handler; PostgreSQL serialises
 * writers itself.
 *
 * Errors: a unique violation is KK_ECONFLICT on both engines; a lost or refused
 * connection is KK_EUNAVAILABLE (the connection is dropped from the pool); any
 * other database failure is KK_EDB.
 */
#ifndef KEIKAI_STORE_H
#define KEIKAI_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"

struct kk_store;
struct kk_conn;
struct kk_stmt;

enum kk_store_flags {
	KK_STORE_CREATE = 1, /* create the schema; fail if the database already has one */
	/* create a missing database (SQLite: the file) and accept an existing one,
	 * with or without a schema (keikai db copy's target) */
	KK_STORE_MAY_CREATE = 2,
};

/* The engine an address selects: "postgresql" for postgresql:// or postgres://
 * URIs, "sqlite" for anything else (a file path). */
const char *kk_store_engine_of(const char *address);

/* The address with any password replaced by "***", for messages. Returns a
 * string the caller frees (NULL when out of memory). */
char *kk_store_address_redact(const char *address);

/* Opens (or with KK_STORE_CREATE creates) the database at address and brings
 * its schema to the current version. *out is freed with kk_store_close. */
enum kk_result kk_store_open(const char *address, int flags, struct kk_store **out, struct kk_error *err);

/* Closes every connection. Accepts NULL. */
void kk_store_close(struct kk_store *s);

/* "sqlite" or "postgresql". */
const char *kk_store_engine(const struct kk_store *s);

/* The schema version the database is at. */
int kk_store_schema_version(struct kk_store *s);

/*
 * What a module of the core keeps with a store for as long as it is open (the
 * registry's search index, vendor_search.h): one object per slot, made by
 * make() on the first call for that slot (under the store's lock, so once
 * however many threads ask at the same moment) and freed with free_fn by
 * kk_store_close. Returns the object, or NULL when make() returned NULL (out
 * of memory; the next call tries again). The object guards its own contents.
 */
enum kk_store_slot {
	KK_STORE_SLOT_REGISTRY_INDEX,
	KK_STORE_SLOT_VAULT, /* the evidence key, once read (vault.c) */
	KK_STORE_NSLOTS
};
void *kk_store_cache(struct kk_store *s, enum kk_store_slot slot, void *(*make)(void), void (*free_fn)(void *));

/*
 * Transactions. kk_tx_begin takes a pooled connection and begins a transaction
 * (for writing when write is set); kk_tx_end commits when result is KK_OK and
 * rolls back otherwise, then gives the connection back. Returns the final
 * result (a failed commit turns KK_OK into KK_EDB or KK_EUNAVAILABLE).
 */
struct kk_tx {
	struct kk_store *store;
	struct kk_conn *conn;
	int write;
	int portal_touched; /* what the public portal shows changed (keikai/portal.h) */
};
enum kk_result kk_tx_begin(struct kk_store *s, int write, struct kk_tx *tx, struct kk_error *err);
enum kk_result kk_tx_end(struct kk_tx *tx, enum kk_result result, struct kk_error *err);

/* Runs one or more statements without parameters or results (schema changes,
 * savepoints). */
enum kk_result kk_tx_exec(struct kk_tx *tx, const char *sql, struct kk_error *err);

/* The id given to the row last inserted on tx's connection. Prefer RETURNING. */
int64_t kk_tx_last_id(struct kk_tx *tx);

/*
 * Group commit: runs fn(tx, arg, err) inside a write transaction that it may share
 * with other writers arriving at the same moment, each in its own savepoint, and
 * returns once that transaction is committed durably. fn's changes are kept
 * only when it returns KK_OK; a failing fn undoes only its own. fn may run on
 * another thread, but in the caller's language. Every durable acknowledgement
 * (SPEC 2.1) goes through here, so many finders share one fsync.
 */
typedef enum kk_result kk_tx_fn(struct kk_tx *tx, void *arg, struct kk_error *err);
enum kk_result kk_tx_grouped(struct kk_store *s, kk_tx_fn *fn, void *arg, struct kk_error *err);

/*
 * Prepared statements on a transaction's connection. Parameters are numbered
 * from 1 and bound by value (text and blobs are copied); columns are numbered
 * from 0. A statement is freed with kk_stmt_free before its transaction ends.
 */
struct kk_stmt *kk_stmt_prepare(struct kk_tx *tx, const char *sql, struct kk_error *err);
void kk_stmt_free(struct kk_stmt *st); /* accepts NULL */

void kk_stmt_bind_int(struct kk_stmt *st, int i, int64_t v);
void kk_stmt_bind_text(struct kk_stmt *st, int i, const char *v); /* NULL binds SQL NULL */
void kk_stmt_bind_blob(struct kk_stmt *st, int i, const void *v, size_t n);
void kk_stmt_bind_null(struct kk_stmt *st, int i);
/* Binds SQL NULL when v is 0, else v (optional ids and times). */
void kk_stmt_bind_opt_int(struct kk_stmt *st, int i, int64_t v);

/* Runs the statement (on the first call) and moves to the next row: returns
 * KK_STEP_ROW when a row is there, KK_STEP_DONE at the end, and KK_STEP_ERROR
 * with err filled (kk_stmt_result tells which error, never KK_OK). A read loop
 * ends with step == KK_STEP_DONE ? KK_OK : kk_stmt_result(st): a failed step
 * is never the end of the rows. */
enum kk_step { KK_STEP_ERROR = -1, KK_STEP_DONE = 0, KK_STEP_ROW = 1 };
enum kk_step kk_stmt_step(struct kk_stmt *st, struct kk_error *err);
/* The error of the last failed step (KK_OK when none). */
enum kk_result kk_stmt_result(const struct kk_stmt *st);
/* Runs a statement that returns no rows (or ignores them): KK_OK or the error. */
enum kk_result kk_stmt_exec(struct kk_stmt *st, struct kk_error *err);
/* Steps once, for a query of one row: KK_OK when the row is there, KK_ENOTFOUND
 * (err untouched) when there is none, else the error. */
enum kk_result kk_stmt_first(struct kk_stmt *st, struct kk_error *err);
/* kk_stmt_exec, then kk_stmt_free. Accepts NULL, for a failed prepare: returns
 * the error err holds (KK_EDB when err is NULL). */
enum kk_result kk_stmt_once(struct kk_stmt *st, struct kk_error *err);
/* Clears the bindings' results so the statement can run again with new ones. */
void kk_stmt_reset(struct kk_stmt *st);
/* Rows changed by the last run of an INSERT, UPDATE or DELETE. */
int64_t kk_stmt_changes(const struct kk_stmt *st);

/* Typed columns of the current row. NULL reads as 0, NULL text or an empty blob. */
enum kk_column_type { KK_COL_NULL, KK_COL_INT, KK_COL_TEXT, KK_COL_BLOB };
int kk_stmt_columns(const struct kk_stmt *st);
const char *kk_stmt_column_name(const struct kk_stmt *st, int i);
enum kk_column_type kk_stmt_type(const struct kk_stmt *st, int i);
int kk_stmt_is_null(const struct kk_stmt *st, int i);
int64_t kk_stmt_int(const struct kk_stmt *st, int i);
/* Valid until the next step or free. */
const char *kk_stmt_text(const struct kk_stmt *st, int i);
const void *kk_stmt_blob(struct kk_stmt *st, int i, size_t *n);
/* Column text duplicated (NULL for SQL NULL); the caller frees. NULL for a
 * column that is not NULL means no memory: check kk_stmt_is_null. */
char *kk_stmt_dup(const struct kk_stmt *st, int i);
/* kk_stmt_dup into *out, setting *lost when a column that is not NULL could
 * not be copied: reading a row, the caller checks *lost once at the end. */
void kk_stmt_dup_into(const struct kk_stmt *st, int i, char **out, int *lost);

#endif
