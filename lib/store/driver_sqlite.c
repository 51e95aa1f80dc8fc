/*
 * driver_sqlite.c: the embedded engine (driver.h). One file in WAL mode with
 * synchronous=FULL, so a commit is on disk when it returns, and foreign keys
 * on. Writers are serialised by the store before BEGIN IMMEDIATE. The schema
 * version is SQLite's user_version. This file and no other calls sqlite3_*.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driver.h"
#include "keikai/alloc.h"
#include "keikai/i18n.h"

struct sqlite_conn {
	struct kk_conn base;
	sqlite3 *db;
};

struct sqlite_stmt {
	struct kk_stmt base;
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t changes;
	int bind_rc; /* the first failed bind since prepare or reset: step refuses to run */
};

#define CONN(c) (((struct sqlite_conn *)(c))->db)
#define STMT(s) ((struct sqlite_stmt *)(s))

/* SQLite's result codes as keikai's. */
static enum kk_result map_error(sqlite3 *db, struct kk_error *err)
{
	int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
	enum kk_result res = KK_EDB;

	if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
		res = KK_ECONFLICT;
	else if ((code & 0xff) == SQLITE_CANTOPEN || (code & 0xff) == SQLITE_IOERR)
		res = KK_EUNAVAILABLE;
	else if ((code & 0xff) == SQLITE_NOMEM)
		res = KK_ENOMEM;
	return kk_error_set(err, res, _("Database error: %s"), db ? sqlite3_errmsg(db) : "out of memory");
}

static enum kk_result exec(struct kk_conn *c, const char *sql, struct kk_error *err)
{
	if (sqlite3_exec(CONN(c), sql, NULL, NULL, NULL) != SQLITE_OK)
		return map_error(CONN(c), err);
	return KK_OK;
}

static enum kk_result connect_db(const char *path, int create, struct kk_conn **out, struct kk_error *err)
{
	struct sqlite_conn *c;
	struct stat sb;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	enum kk_result res;

	*out = NULL;
	if (!create && stat(path, &sb) != 0)
		return kk_error_set(err, KK_ENOTFOUND, _("No database at %s; create one with keikai init."), path);
	if (!(c = kk_calloc(1, sizeof(*c))))
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	c->base.drv = &kk_driver_sqlite;
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
		res = kk_error_set(err, KK_EUNAVAILABLE, _("Cannot open the database %s: %s"), path,
				   c->db ? sqlite3_errmsg(c->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 10000);
	res = exec(&c->base,
		   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
		   "PRAGMA temp_store=MEMORY;"
		   /* reads straight from the file's pages, mapped (up to 1 GiB), not
		    * copied in by a call each: a search reads many of the text
		    * index's; writes still go through the WAL */
		   "PRAGMA mmap_size=1073741824;",
		   err);
	if (res)
		goto fail;
	*out = &c->base;
	return KK_OK;
fail:
	sqlite3_close(c->db);
	free(c);
	return res;
}

static void disconnect(struct kk_conn *c)
{
	if (!c)
		return;
	sqlite3_close(CONN(c));
	free(c);
}

static int healthy(struct kk_conn *c)
{
	return 1;
}

static enum kk_result user_version(sqlite3 *db, int *v, struct kk_error *err)
{
	sqlite3_stmt *st;

	*v = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return map_error(db, err);
	if (sqlite3_step(st) == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return KK_OK;
}

static enum kk_result is_empty(struct kk_conn *c, int *empty, struct kk_error *err)
{
	sqlite3_stmt *st;
	int v;
	enum kk_result res = user_version(CONN(c), &v, err);

	if (res)
		return res;
	if (sqlite3_prepare_v2(CONN(c), "SELECT count(*) FROM sqlite_master", -1, &st, NULL) != SQLITE_OK)
		return map_error(CONN(c), err);
	*empty = v == 0 && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
	sqlite3_finalize(st);
	return KK_OK;
}

static enum kk_result schema_version(struct kk_conn *c, int lock, int *version, struct kk_error *err)
{
	/* BEGIN IMMEDIATE already holds the database's write lock. */
	return user_version(CONN(c), version, err);
}

static enum kk_result set_schema_version(struct kk_conn *c, int version, struct kk_error *err)
{
	char pragma[48];

	snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", version);
	return exec(c, pragma, err);
}

static enum kk_result begin(struct kk_conn *c, int write, struct kk_error *err)
{
	return exec(c, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

/* A failed statement leaves SQLite's transaction usable; some errors (I/O,
 * full disk) roll it back, which autocommit shows. */
static enum kk_tx_state tx_state(struct kk_conn *c)
{
	return sqlite3_get_autocommit(CONN(c)) ? KK_TX_NONE : KK_TX_OPEN;
}

static int64_t last_id(struct kk_conn *c)
{
	return sqlite3_last_insert_rowid(CONN(c));
}

/* ---- statements ---- */

static struct kk_stmt *prepare(struct kk_conn *c, const char *sql, int cache, struct kk_error *err)
{
	struct sqlite_stmt *s = kk_calloc(1, sizeof(*s));

	if (!s) {
		kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
		return NULL;
	}
	s->base.drv = &kk_driver_sqlite;
	s->base.conn = c;
	s->db = CONN(c);
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
		map_error(s->db, err);
		free(s);
		return NULL;
	}
	return &s->base;
}

static void finalize(struct kk_stmt *st)
{
	sqlite3_finalize(STMT(st)->st);
	free(st);
}

/* Remembers a bind that failed (no memory for the copy, a value over SQLite's
 * limit), so the statement never runs with a parameter missing. */
static void bound(struct kk_stmt *st, int rc)
{
	if (rc != SQLITE_OK && !STMT(st)->bind_rc)
		STMT(st)->bind_rc = rc;
}

static void bind_int(struct kk_stmt *st, int i, int64_t v)
{
	bound(st, sqlite3_bind_int64(STMT(st)->st, i, v));
}

static void bind_text(struct kk_stmt *st, int i, const char *v)
{
	if (v)
		bound(st, sqlite3_bind_text(STMT(st)->st, i, v, -1, SQLITE_TRANSIENT));
	else
		bound(st, sqlite3_bind_null(STMT(st)->st, i));
}

static void bind_blob(struct kk_stmt *st, int i, const void *v, size_t n)
{
	bound(st, sqlite3_bind_blob64(STMT(st)->st, i, v ? v : "", n, SQLITE_TRANSIENT));
}

static void bind_null(struct kk_stmt *st, int i)
{
	bound(st, sqlite3_bind_null(STMT(st)->st, i));
}

static enum kk_step step(struct kk_stmt *st, struct kk_error *err)
{
	struct sqlite_stmt *s = STMT(st);
	int rc;

	if (s->bind_rc) {
		enum kk_result res = s->bind_rc == SQLITE_NOMEM ? KK_ENOMEM
				     : s->bind_rc == SQLITE_TOOBIG ? KK_ETOOBIG
								   : KK_EDB;

		st->result = kk_error_set(err, res, _("Database error: %s"), sqlite3_errstr(s->bind_rc));
		return KK_STEP_ERROR;
	}
	rc = sqlite3_step(s->st);

	if (rc == SQLITE_ROW)
		return KK_STEP_ROW;
	if (rc == SQLITE_DONE) {
		s->changes = sqlite3_changes64(s->db);
		return KK_STEP_DONE;
	}
	st->result = map_error(s->db, err);
	return KK_STEP_ERROR;
}

static void reset(struct kk_stmt *st)
{
	sqlite3_reset(STMT(st)->st);
	sqlite3_clear_bindings(STMT(st)->st);
	STMT(st)->bind_rc = SQLITE_OK;
}

static int64_t changes(const struct kk_stmt *st)
{
	return STMT(st)->changes;
}

static int columns(const struct kk_stmt *st)
{
	return sqlite3_column_count(STMT(st)->st);
}

static const char *column_name(const struct kk_stmt *st, int i)
{
	return sqlite3_column_name(STMT(st)->st, i);
}

static enum kk_column_type type(const struct kk_stmt *st, int i)
{
	switch (sqlite3_column_type(STMT(st)->st, i)) {
	case SQLITE_NULL: return KK_COL_NULL;
	case SQLITE_INTEGER: return KK_COL_INT;
	case SQLITE_BLOB: return KK_COL_BLOB;
	default: return KK_COL_TEXT;
	}
}

static int64_t col_int(const struct kk_stmt *st, int i)
{
	return sqlite3_column_int64(STMT(st)->st, i);
}

static const char *col_text(const struct kk_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(STMT(st)->st, i);
}

static const void *col_blob(struct kk_stmt *st, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(STMT(st)->st, i);

	*n = (size_t)sqlite3_column_bytes(STMT(st)->st, i);
	return p ? p : "";
}

static const struct kk_dialect_word dialect[] = {
	{ "{id}", "INTEGER PRIMARY KEY" },
	{ "{blob}", "BLOB" },
	{ "{nocase}", "COLLATE NOCASE" },
	/* migration 11: a check constraint SQLite cannot alter is widened in the
	 * stored schema, sqlite.org/lang_altertable.html's procedure for loosening
	 * a constraint (every existing row still meets it) */
	{ "{allow_role_recipient}",
	  "PRAGMA writable_schema=ON;"
	  "UPDATE sqlite_schema SET sql = replace(sql, '''admin'')', '''admin'',''recipient'')')"
	  " WHERE type = 'table' AND name = 'users';"
	  "PRAGMA writable_schema=RESET;" },
	{ "{allow_report_mail}",
	  "PRAGMA writable_schema=ON;"
	  "UPDATE sqlite_schema SET sql = replace(sql, '''rejected'')', '''rejected'',''mail'')')"
	  " WHERE type = 'table' AND name = 'reports';"
	  "PRAGMA writable_schema=RESET;" },
	/* migration 14: the text of the advisory search (docs/internals/search.md):
	 * the folded text and the short words of each entry, and their FTS5
	 * index under the trigram tokenizer (SQLite 3.34 on), an external-content
	 * table over advisory_text (rowid = k), so the text is stored once and the
	 * whole index can be rebuilt in one pass. The text is folded already:
	 * case_sensitive 1 folds nothing twice. advisory_fts is written by
	 * lib/store/advisory_search.c only, as FTS5 asks of external content. */
	{ "{advisory_text}",
	  "CREATE TABLE advisory_text (k INTEGER PRIMARY KEY, body TEXT NOT NULL, short TEXT NOT NULL);"
	  "CREATE VIRTUAL TABLE advisory_fts USING fts5(body, short, content = 'advisory_text', content_rowid = 'k',"
	  " tokenize = 'trigram case_sensitive 1', columnsize = 0);"
	  /* how many entries hold each trigram, per column: what a search
	   * estimates its words' matches by */
	  "CREATE VIRTUAL TABLE advisory_vocab USING fts5vocab(advisory_fts, 'col');" },
	/* migration 15: PostgreSQL's counts of trigrams; FTS5 keeps its own
	 * (advisory_vocab above) */
	{ "{advisory_search_grams}", "" },
	/* migration 16: the Latin words, the short words and the facets (each
	 * a word of its own: kk_search_facet_token) get an index of words
	 * (unicode61: a word is a token, found by one lookup, and words ANDed
	 * are lists merged), the trigram index keeps the body alone. unicode61
	 * keeps what kk_fold made (no diacritics removed), takes marks as part
	 * of a word as the short words do, and takes SEARCH_FIELD_END ('|') as a
	 * word, so that a phrase of words never runs across two fields. */
	{ "{advisory_words}",
	  "DROP TABLE advisory_vocab; DROP TABLE advisory_fts;"
	  "ALTER TABLE advisory_text ADD COLUMN words TEXT NOT NULL DEFAULT '';"
	  "ALTER TABLE advisory_text ADD COLUMN facets TEXT NOT NULL DEFAULT '';"
	  "CREATE VIRTUAL TABLE advisory_fts USING fts5(body, content = 'advisory_text', content_rowid = 'k',"
	  " tokenize = 'trigram case_sensitive 1', columnsize = 0);"
	  "CREATE VIRTUAL TABLE advisory_vocab USING fts5vocab(advisory_fts, 'col');"
	  "CREATE VIRTUAL TABLE advisory_words USING fts5(short, words, facets, content = 'advisory_text',"
	  " content_rowid = 'k',"
	  " tokenize = 'unicode61 remove_diacritics 0 categories ''L* N* Co M*'' tokenchars ''|''', columnsize = 0);" },
	/* migration 17: the facets of few values as codes in the trigram index
	 * (kk_search_facet_code), so that a body term and such a filter are one
	 * exact MATCH. The entries are
	 * dropped (both FTS5 indexes emptied first, as external content asks),
	 * so that the schema's fill makes them again, codes and all. */
	{ "{advisory_codes}",
	  "DROP TABLE advisory_vocab; DROP TABLE advisory_fts;"
	  "ALTER TABLE advisory_text ADD COLUMN codes TEXT NOT NULL DEFAULT '';"
	  "CREATE VIRTUAL TABLE advisory_fts USING fts5(body, codes, content = 'advisory_text', content_rowid = 'k',"
	  " tokenize = 'trigram case_sensitive 1', columnsize = 0);"
	  "CREATE VIRTUAL TABLE advisory_vocab USING fts5vocab(advisory_fts, 'col');"
	  "INSERT INTO advisory_words(advisory_words) VALUES('delete-all');"
	  "DELETE FROM advisory_text; DELETE FROM advisory_search_facets; DELETE FROM advisory_search;" },
	{ NULL, NULL },
};

const struct kk_driver kk_driver_sqlite = {
	.name = "sqlite",
	.serialise_writers = 1,
	.dialect = dialect,
	.connect = connect_db,
	.disconnect = disconnect,
	.healthy = healthy,
	.is_empty = is_empty,
	.exec = exec,
	.begin = begin,
	.tx_state = tx_state,
	.last_id = last_id,
	.schema_version = schema_version,
	.set_schema_version = set_schema_version,
	.after_copy = NULL,
	.prepare = prepare,
	.finalize = finalize,
	.bind_int = bind_int,
	.bind_text = bind_text,
	.bind_blob = bind_blob,
	.bind_null = bind_null,
	.step = step,
	.reset = reset,
	.changes = changes,
	.columns = columns,
	.column_name = column_name,
	.type = type,
	.col_int = col_int,
	.col_text = col_text,
	.col_blob = col_blob,
};
