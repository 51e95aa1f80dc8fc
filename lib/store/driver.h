/*
 * driver.h: what an engine provides to the store (store.c), like SQLite's VFS or
 * Dovecot's lib-sql drivers. Two drivers sit side by side: driver_sqlite.c and
 * driver_pg.c. Nothing outside lib/store/ includes this file.
 *
 * A driver's connection and statement structs begin with the generic headers
 * below, so store.c can dispatch on them.
 */
#ifndef KEIKAI_STORE_DRIVER_H
#define KEIKAI_STORE_DRIVER_H

#include "keikai/store.h"

struct kk_driver;

enum kk_tx_state { KK_TX_NONE, KK_TX_OPEN, KK_TX_FAILED };

struct kk_conn {
	const struct kk_driver *drv;
	/* A statement failed in the open transaction (or since its last savepoint
	 * was rolled back to): only a rollback is possible now, on every engine,
	 * as PostgreSQL has it. Kept by store.c. */
	int failed;
};

struct kk_stmt {
	const struct kk_driver *drv;
	struct kk_conn *conn;
	enum kk_result result; /* of the last failed step */
};

/* A word of the schema's dialect and what it becomes on one engine. */
struct kk_dialect_word {
	const char *word, *sql;
};

struct kk_driver {
	const char *name;
	/* Writers must be serialised in-process (SQLite); PostgreSQL does it itself. */
	int serialise_writers;
	/* Schema words: "{id}", "{blob}"; see schema.c. Ends with {NULL, NULL}. */
	const struct kk_dialect_word *dialect;

	/* Opens a connection; create allows a new database (SQLite creates the file). */
	enum kk_result (*connect)(const char *address, int create, struct kk_conn **out, struct kk_error *err);
	void (*disconnect)(struct kk_conn *c);
	/* False once the connection is lost; the pool drops it then. */
	int (*healthy)(struct kk_conn *c);
	/* True when a database exists but holds no keikai schema and no tables. */
	enum kk_result (*is_empty)(struct kk_conn *c, int *empty, struct kk_error *err);

	enum kk_result (*exec)(struct kk_conn *c, const char *sql, struct kk_error *err);
	enum kk_result (*begin)(struct kk_conn *c, int write, struct kk_error *err);
	/* Whether a transaction is open, and whether a statement in it failed so
	 * that only a rollback (to a savepoint) is possible now. */
	enum kk_tx_state (*tx_state)(struct kk_conn *c);
	int64_t (*last_id)(struct kk_conn *c);

	/* The schema version; taking the migration lock first when lock is set
	 * (inside a write transaction). */
	enum kk_result (*schema_version)(struct kk_conn *c, int lock, int *version, struct kk_error *err);
	enum kk_result (*set_schema_version)(struct kk_conn *c, int version, struct kk_error *err);
	/* After rows with explicit ids were copied into table: makes the next
	 * generated id follow them. May be NULL. */
	enum kk_result (*after_copy)(struct kk_conn *c, const char *table, struct kk_error *err);

	/* cache: the engine may keep the statement prepared for the connection's
	 * life (not for statements whose result's shape may change, SELECT *). */
	struct kk_stmt *(*prepare)(struct kk_conn *c, const char *sql, int cache, struct kk_error *err);
	void (*finalize)(struct kk_stmt *st);
	void (*bind_int)(struct kk_stmt *st, int i, int64_t v);
	void (*bind_text)(struct kk_stmt *st, int i, const char *v);
	void (*bind_blob)(struct kk_stmt *st, int i, const void *v, size_t n);
	void (*bind_null)(struct kk_stmt *st, int i);
	enum kk_step (*step)(struct kk_stmt *st, struct kk_error *err);
	void (*reset)(struct kk_stmt *st);
	int64_t (*changes)(const struct kk_stmt *st);
	int (*columns)(const struct kk_stmt *st);
	const char *(*column_name)(const struct kk_stmt *st, int i);
	enum kk_column_type (*type)(const struct kk_stmt *st, int i);
	int64_t (*col_int)(const struct kk_stmt *st, int i);
	const char *(*col_text)(const struct kk_stmt *st, int i);
	const void *(*col_blob)(struct kk_stmt *st, int i, size_t *n);
};

extern const struct kk_driver kk_driver_sqlite;
extern const struct kk_driver kk_driver_pg;

#endif
