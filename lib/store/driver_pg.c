/*
 * driver_pg.c: PostgreSQL through libpq (driver.h). This file and no other calls
 * libpq.
 *
 * Every connection runs with synchronous_commit on (a commit is flushed to the
 * WAL on disk before it returns), UTF-8 and UTC. keikai's `?` placeholders become
 * `$n`; each connection keeps its statements prepared on the server, keyed by
 * their text, so a statement is parsed once per connection. Values travel as
 * text, blobs in binary; results come back as text and are typed by their
 * column's type. The schema version lives in table keikai_schema; migrations
 * take an advisory lock so two servers starting together migrate once.
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

/* Type OIDs of pg_type (stable since PostgreSQL 7). */
#define BOOLOID 16
#define BYTEAOID 17
#define INT8OID 20
#define INT2OID 21
#define INT4OID 23
#define OIDOID 26

#define CACHE_SIZE 256 /* prepared statements per connection; more run unnamed */
#define MIGRATION_LOCK "7024863395142"

struct prepared {
	char *sql; /* keikai's text, the key */
	int nparams;
};

struct pg_conn {
	struct kk_conn base;
	PGconn *pg;
	struct prepared cache[CACHE_SIZE];
};

struct pg_stmt {
	struct kk_stmt base;
	struct pg_conn *conn;
	char name[16];  /* "" runs unnamed */
	char *text;     /* translated SQL, for unnamed statements */
	int nparams;
	char **values;
	int *lengths, *formats;
	PGresult *res;
	int row;
	unsigned char *blob; /* last unescaped bytea */
};

#define PG(c) (((struct pg_conn *)(c))->pg)
#define STMT(s) ((struct pg_stmt *)(s))

/* libpq's result or connection error as keikai's. */
static enum kk_result map_error(PGconn *pg, const PGresult *r, struct kk_error *err)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorMessage(r) : NULL;
	enum kk_result res = KK_EDB;
	char text[200];
	size_t n;

	if (!msg || !*msg)
		msg = PQerrorMessage(pg);
	snprintf(text, sizeof(text), "%s", msg && *msg ? msg : "unknown error");
	n = strlen(text);
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	if (PQstatus(pg) != CONNECTION_OK || (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)))
		res = KK_EUNAVAILABLE;
	else if (state && strcmp(state, "23505") == 0)
		res = KK_ECONFLICT;
	else if (!r)
		res = KK_ENOMEM;
	return kk_error_set(err, res, _("Database error: %s"), text);
}

/* Runs sql with no parameters; *out gets the result when wanted. */
static enum kk_result run(struct pg_conn *c, const char *sql, PGresult **out, struct kk_error *err)
{
	PGresult *r = PQexec(c->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	enum kk_result res = KK_OK;

	/* an empty text (a migration with nothing to do here) is no error */
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		res = map_error(c->pg, r, err);
	if (out && !res)
		*out = r;
	else
		PQclear(r);
	return res;
}

static enum kk_result exec(struct kk_conn *c, const char *sql, struct kk_error *err)
{
	return run((struct pg_conn *)c, sql, NULL, err);
}

static void quiet(void *arg, const char *message)
{
}

static void disconnect(struct kk_conn *kc)
{
	struct pg_conn *c = (struct pg_conn *)kc;

	if (!c)
		return;
	PQfinish(c->pg);
	for (int i = 0; i < CACHE_SIZE; i++)
		free(c->cache[i].sql);
	free(c);
}

static enum kk_result connect_db(const char *address, int create, struct kk_conn **out, struct kk_error *err)
{
	struct pg_conn *c = kk_calloc(1, sizeof(*c));
	enum kk_result res;

	*out = NULL;
	if (!c)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	c->base.drv = &kk_driver_pg;
	c->pg = PQconnectdb(address);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		char *shown = kk_store_address_redact(address);

		kk_error_set(err, KK_EUNAVAILABLE, _("Cannot open the database %s: %s"), shown ? shown : "",
			     PQerrorMessage(c->pg));
		free(shown);
		disconnect(&c->base);
		return KK_EUNAVAILABLE;
	}
	PQsetNoticeProcessor(c->pg, quiet, NULL);
	/* SPEC 2.1: an acknowledged report is durable, whatever the server's default. */
	res = run(c, "SET synchronous_commit TO on; SET client_encoding TO 'UTF8'; SET TimeZone TO 'UTC';"
		     "SET client_min_messages TO warning",
		  NULL, err);
	if (res) {
		disconnect(&c->base);
		return res;
	}
	*out = &c->base;
	return KK_OK;
}

static int healthy(struct kk_conn *c)
{
	return PQstatus(PG(c)) == CONNECTION_OK;
}

/* The first column of the first row of sql as an integer (0 when none). */
static enum kk_result query_int(struct pg_conn *c, const char *sql, long long *v, struct kk_error *err)
{
	PGresult *r;
	enum kk_result res = run(c, sql, &r, err);

	if (res)
		return res;
	*v = PQntuples(r) && !PQgetisnull(r, 0, 0) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
	PQclear(r);
	return KK_OK;
}

static enum kk_result is_empty(struct kk_conn *c, int *empty, struct kk_error *err)
{
	long long n = 0;
	enum kk_result res = query_int((struct pg_conn *)c,
				       "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
				       &n, err);

	*empty = n == 0;
	return res;
}

static enum kk_result schema_version(struct kk_conn *kc, int lock, int *version, struct kk_error *err)
{
	struct pg_conn *c = (struct pg_conn *)kc;
	long long v = 0, exists = 0;
	enum kk_result res = KK_OK;

	if (lock)
		res = run(c, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")", NULL, err);
	if (!res)
		res = query_int(c, "SELECT count(*) FROM pg_catalog.pg_tables"
				   " WHERE schemaname = current_schema() AND tablename = 'keikai_schema'",
				&exists, err);
	if (!res && exists)
		res = query_int(c, "SELECT max(version) FROM keikai_schema", &v, err);
	*version = (int)v;
	return res;
}

static enum kk_result set_schema_version(struct kk_conn *kc, int version, struct kk_error *err)
{
	char sql[160];

	snprintf(sql, sizeof(sql),
		 "CREATE TABLE IF NOT EXISTS keikai_schema (version INTEGER NOT NULL);"
		 "DELETE FROM keikai_schema; INSERT INTO keikai_schema VALUES (%d)",
		 version);
	return run((struct pg_conn *)kc, sql, NULL, err);
}

static enum kk_result begin(struct kk_conn *c, int write, struct kk_error *err)
{
	return exec(c, "BEGIN", err);
}

static enum kk_tx_state tx_state(struct kk_conn *c)
{
	switch (PQtransactionStatus(PG(c))) {
	case PQTRANS_INTRANS:
	case PQTRANS_ACTIVE: return KK_TX_OPEN;
	case PQTRANS_INERROR: return KK_TX_FAILED;
	default: return KK_TX_NONE;
	}
}

/* lastval() fails when nothing was inserted yet, which would abort the
 * transaction, so it runs under a savepoint. */
static int64_t last_id(struct kk_conn *kc)
{
	struct pg_conn *c = (struct pg_conn *)kc;
	long long v = 0;

	if (run(c, "SAVEPOINT kk_lastval", NULL, NULL))
		return 0;
	if (query_int(c, "SELECT lastval()", &v, NULL))
		v = 0;
	run(c, v ? "RELEASE kk_lastval" : "ROLLBACK TO kk_lastval", NULL, NULL);
	return v;
}

static enum kk_result after_copy(struct kk_conn *kc, const char *table, struct kk_error *err)
{
	struct pg_conn *c = (struct pg_conn *)kc;
	const char *values[1] = { table };
	PGresult *r = PQexecParams(c->pg,
				   "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
				   " AND table_name = $1 AND column_name = 'id' AND is_identity = 'YES'",
				   1, NULL, values, NULL, NULL, 0);
	enum kk_result res = KK_OK;
	char sql[256];

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		res = map_error(c->pg, r, err);
	} else if (strcmp(PQgetvalue(r, 0, 0), "0") != 0) {
		/* table comes from the schema's own list, never from input */
		snprintf(sql, sizeof(sql),
			 "SELECT setval(pg_get_serial_sequence('%s', 'id'), coalesce(max(id), 0) + 1, false) FROM %s",
			 table, table);
		res = run(c, sql, NULL, err);
	}
	PQclear(r);
	return res;
}

/* ---- statements ---- */

/* keikai's placeholders (`?`, `?N`) as PostgreSQL's (`$N`), outside quotes and
 * comments. Returns a string the caller frees, and the number of parameters. */
static char *translate(const char *sql, int *nparams)
{
	struct kk_buf b;
	int next = 0, max = 0, bad = 0;

	kk_buf_init(&b, 1 << 20);
	for (const char *p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			const char *q = strchr(p + 1, *p);

			q = q ? q : p + strlen(p) - 1;
			bad |= kk_buf_add(&b, p, (size_t)(q - p + 1));
			p = q;
		} else if (p[0] == '-' && p[1] == '-') {
			const char *q = strchr(p, '\n');

			q = q ? q : p + strlen(p) - 1;
			bad |= kk_buf_add(&b, p, (size_t)(q - p + 1));
			p = q;
		} else if (*p == '?') {
			int n = 0;

			while (p[1] >= '0' && p[1] <= '9')
				n = n * 10 + (*++p - '0');
			n = n ? n : ++next;
			max = n > max ? n : max;
			bad |= kk_buf_addf(&b, "$%d", n);
		} else {
			bad |= kk_buf_add(&b, p, 1);
		}
	}
	*nparams = max;
	if (bad) {
		kk_buf_release(&b);
		return NULL;
	}
	return kk_buf_detach(&b);
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void stmt_clear(struct pg_stmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	PQfreemem(s->blob);
	s->blob = NULL;
	s->row = -1;
}

static void finalize(struct kk_stmt *st)
{
	struct pg_stmt *s = STMT(st);

	stmt_clear(s);
	for (int i = 0; s->values && i < s->nparams; i++)
		free(s->values[i]);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s->text);
	free(s);
}

/* Prepares text on the server as the statement of cache slot `slot`, keyed by
 * keikai's sql. */
static enum kk_result prepare_named(struct pg_conn *c, unsigned slot, const char *sql, const char *text,
				    int nparams, struct kk_error *err)
{
	struct prepared *p = &c->cache[slot];
	char name[16];
	PGresult *r;
	enum kk_result res = KK_OK;

	if (!(p->sql = kk_strdup(sql)))
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	snprintf(name, sizeof(name), "kk%u", slot);
	r = PQprepare(c->pg, name, text, nparams, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		res = map_error(c->pg, r, err);
		free(p->sql);
		p->sql = NULL;
	}
	PQclear(r);
	p->nparams = nparams;
	return res;
}

static struct kk_stmt *prepare(struct kk_conn *kc, const char *sql, int cache, struct kk_error *err)
{
	struct pg_conn *c = (struct pg_conn *)kc;
	struct pg_stmt *s = kk_calloc(1, sizeof(*s));
	unsigned slot = hash(sql) % CACHE_SIZE;
	struct prepared *p = &c->cache[slot];

	if (!s) {
		kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
		return NULL;
	}
	s->base.drv = &kk_driver_pg;
	s->base.conn = kc;
	s->conn = c;
	s->row = -1;
	if (!(cache && p->sql && strcmp(p->sql, sql) == 0)) {
		if (!(s->text = translate(sql, &s->nparams)))
			goto oom;
		if (cache && !p->sql) {
			if (prepare_named(c, slot, sql, s->text, s->nparams, err)) {
				finalize(&s->base);
				return NULL;
			}
			free(s->text);
			s->text = NULL;
		}
	}
	/* a cached statement runs by name; otherwise (not to be cached, or its
	 * slot is taken) the text runs unnamed */
	if (!s->text) {
		s->nparams = p->nparams;
		snprintf(s->name, sizeof(s->name), "kk%u", slot);
	}
	s->values = kk_calloc((size_t)s->nparams + 1, sizeof(*s->values));
	s->lengths = kk_calloc((size_t)s->nparams + 1, sizeof(*s->lengths));
	s->formats = kk_calloc((size_t)s->nparams + 1, sizeof(*s->formats));
	if (s->values && s->lengths && s->formats)
		return &s->base;
oom:
	finalize(&s->base);
	kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	return NULL;
}

/* Stores parameter i (from 1): n bytes of v, or NULL. */
static void bind(struct kk_stmt *st, int i, const void *v, size_t n, int binary)
{
	struct pg_stmt *s = STMT(st);
	char *copy = NULL;

	if (i < 1 || i > s->nparams)
		return;
	if (v && (copy = kk_malloc(n + 1))) {
		memcpy(copy, v, n);
		copy[n] = '\0';
	}
	free(s->values[i - 1]);
	s->values[i - 1] = copy;
	s->lengths[i - 1] = (int)n;
	s->formats[i - 1] = binary;
	if (v && !copy)
		st->result = KK_ENOMEM;
}

static void bind_int(struct kk_stmt *st, int i, int64_t v)
{
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)v);
	bind(st, i, text, strlen(text), 0);
}

static void bind_text(struct kk_stmt *st, int i, const char *v)
{
	bind(st, i, v, v ? strlen(v) : 0, 0);
}

static void bind_blob(struct kk_stmt *st, int i, const void *v, size_t n)
{
	bind(st, i, v ? v : "", n, 1);
}

static void bind_null(struct kk_stmt *st, int i)
{
	bind(st, i, NULL, 0, 0);
}

static enum kk_step step(struct kk_stmt *st, struct kk_error *err)
{
	struct pg_stmt *s = STMT(st);
	ExecStatusType status;

	PQfreemem(s->blob);
	s->blob = NULL;
	if (!s->res) {
		if (st->result == KK_ENOMEM) {
			kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
			return KK_STEP_ERROR;
		}
		if (s->name[0])
			s->res = PQexecPrepared(s->conn->pg, s->name, s->nparams, (const char *const *)s->values,
						s->lengths, s->formats, 0);
		else
			s->res = PQexecParams(s->conn->pg, s->text, s->nparams, NULL,
					      (const char *const *)s->values, s->lengths, s->formats, 0);
		status = PQresultStatus(s->res);
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
			st->result = map_error(s->conn->pg, s->res, err);
			PQclear(s->res);
			s->res = NULL;
			return KK_STEP_ERROR;
		}
		st->result = KK_OK;
	}
	if (++s->row < PQntuples(s->res))
		return KK_STEP_ROW;
	return KK_STEP_DONE;
}

static void reset(struct kk_stmt *st)
{
	struct pg_stmt *s = STMT(st);

	stmt_clear(s);
	for (int i = 0; i < s->nparams; i++) {
		free(s->values[i]);
		s->values[i] = NULL;
		s->formats[i] = 0;
	}
	st->result = KK_OK;
}

static int64_t changes(const struct kk_stmt *st)
{
	const struct pg_stmt *s = STMT(st);
	const char *n = s->res ? PQcmdTuples(s->res) : "";

	return *n ? strtoll(n, NULL, 10) : 0;
}

static int columns(const struct kk_stmt *st)
{
	return STMT(st)->res ? PQnfields(STMT(st)->res) : 0;
}

static const char *column_name(const struct kk_stmt *st, int i)
{
	return STMT(st)->res ? PQfname(STMT(st)->res, i) : NULL;
}

/* The current row's value of column i, or NULL for SQL NULL or no row. */
static const char *value(const struct kk_stmt *st, int i)
{
	const struct pg_stmt *s = STMT(st);

	if (!s->res || s->row < 0 || s->row >= PQntuples(s->res) || i < 0 || i >= PQnfields(s->res) ||
	    PQgetisnull(s->res, s->row, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

static enum kk_column_type type(const struct kk_stmt *st, int i)
{
	if (!value(st, i))
		return KK_COL_NULL;
	switch (PQftype(STMT(st)->res, i)) {
	case BOOLOID:
	case INT2OID:
	case INT4OID:
	case INT8OID:
	case OIDOID: return KK_COL_INT;
	case BYTEAOID: return KK_COL_BLOB;
	default: return KK_COL_TEXT;
	}
}

static int64_t col_int(const struct kk_stmt *st, int i)
{
	const char *v = value(st, i);

	if (!v)
		return 0;
	if (PQftype(STMT(st)->res, i) == BOOLOID)
		return *v == 't';
	return strtoll(v, NULL, 10);
}

static const char *col_text(const struct kk_stmt *st, int i)
{
	return value(st, i);
}

static const void *col_blob(struct kk_stmt *st, int i, size_t *n)
{
	struct pg_stmt *s = STMT(st);
	const char *v = value(st, i);

	*n = 0;
	if (!v)
		return "";
	if (PQftype(s->res, i) != BYTEAOID) {
		*n = strlen(v);
		return v;
	}
	PQfreemem(s->blob);
	s->blob = PQunescapeBytea((const unsigned char *)v, n);
	return s->blob ? (const void *)s->blob : "";
}

static const struct kk_dialect_word dialect[] = {
	{ "{id}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" },
	{ "{blob}", "BYTEA" },
	{ "{nocase}", "" }, /* e-mail addresses are stored in lower case */
	{ "{allow_role_recipient}",
	  "ALTER TABLE users DROP CONSTRAINT users_role_check;"
	  "ALTER TABLE users ADD CONSTRAINT users_role_check"
	  " CHECK (role IN ('intake','coordinator','vendor','operator','committee','admin','recipient'));" },
	{ "{allow_report_mail}",
	  "ALTER TABLE reports DROP CONSTRAINT reports_status_check;"
	  "ALTER TABLE reports ADD CONSTRAINT reports_status_check"
	  " CHECK (status IN ('received','accepted','rejected','mail'));" },
	/* migration 14: the text of the advisory search (docs/internals/search.md)
	 * under pg_trgm's GIN trigram indexes. The extension goes into public
	 * (never a schema that may be dropped with what it holds, as each test's
	 * is); when it was there before, in whatever schema, the indexes name
	 * that schema's operator class */
	{ "{advisory_text}",
	  "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;"
	  "CREATE TABLE advisory_text ("
	  "  k BIGINT PRIMARY KEY REFERENCES advisory_search(k) ON DELETE CASCADE,"
	  "  body TEXT NOT NULL, short TEXT NOT NULL);"
	  "DO $$ DECLARE s name; BEGIN"
	  "  SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
	  "   WHERE e.extname = 'pg_trgm';"
	  "  EXECUTE format('CREATE INDEX advisory_text_body ON advisory_text USING gin (body %I.gin_trgm_ops)', s);"
	  "  EXECUTE format('CREATE INDEX advisory_text_short ON advisory_text USING gin (short %I.gin_trgm_ops)', s);"
	  " END $$;" },
	/* migration 15: how many entries hold each trigram, made by a rebuild
	 * (lib/store/advisory_search_grams.c): what a search estimates by */
	{ "{advisory_search_grams}", "CREATE TABLE advisory_search_grams (gram TEXT PRIMARY KEY, docs BIGINT NOT NULL);" },
	/* migration 16: the Latin words, under a GIN trigram index as the rest
	 * (a word is found as " word ", its trigrams with the spaces) */
	{ "{advisory_words}",
	  "ALTER TABLE advisory_text ADD COLUMN words TEXT NOT NULL DEFAULT '';"
	  "DELETE FROM advisory_search_grams;"
	  "DO $$ DECLARE s name; BEGIN"
	  "  SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
	  "   WHERE e.extname = 'pg_trgm';"
	  "  EXECUTE format('CREATE INDEX advisory_text_words ON advisory_text USING gin (words %I.gin_trgm_ops)', s);"
	  " END $$;" },
	/* migration 17: SQLite's codes of facets; GIN needs none */
	{ "{advisory_codes}", "" },
	{ NULL, NULL },
};

const struct kk_driver kk_driver_pg = {
	.name = "postgresql",
	.serialise_writers = 0,
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
	.after_copy = after_copy,
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
