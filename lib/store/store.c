/*
 * store.c: the engine-neutral half of the store (store.h): choosing a driver by
 * address, the connection pool, transactions, group commit, migrations and the
 * statement calls, which dispatch to the driver (driver.h).
 *
 * Connections come from a small pool and are dropped when their driver says
 * they were lost. On an engine that needs it (SQLite) writers serialise on the
 * store's mutex before beginning. The schema is brought up to date by the
 * numbered migrations of schema.c, each in its own transaction, after the
 * driver's migration lock, so two servers starting together migrate once.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "driver.h"
#include "keikai/i18n.h"
#include "keikai/portal.h"
#include "keikai/util.h"
#include "schema.h"
#include "store_internal.h"

#define POOL_MAX 16     /* connections a store holds open, at most */
#define POOL_WAIT_S 10  /* how long a transaction waits for one when all are busy */

/* A writer waiting for the group commit (kk_tx_grouped). */
struct group_job {
	kk_tx_fn *fn;
	void *arg;
	struct kk_error *err;
	enum kk_lang lang;
	enum kk_result result;
	int done;
	struct group_job *next;
};

struct kk_store {
	const struct kk_driver *drv;
	char *address;
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_freed;
	pthread_mutex_t write_lock;
	struct kk_conn *idle[POOL_MAX];
	int n_idle, n_open;
	int version;

	/* group commit: jobs waiting, and whether a leader is committing a batch */
	pthread_mutex_t group_lock;
	pthread_cond_t group_done;
	struct group_job *pending;
	int leading;

	/* what modules keep with the store (kk_store_cache), under cache_lock */
	pthread_mutex_t cache_lock;
	void *cache[KK_STORE_NSLOTS];
	void (*cache_free[KK_STORE_NSLOTS])(void *);
};

static int is_pg_uri(const char *address)
{
	return strncmp(address, "postgresql://", 13) == 0 || strncmp(address, "postgres://", 11) == 0;
}

const char *kk_store_engine_of(const char *address)
{
	return address && is_pg_uri(address) ? kk_driver_pg.name : kk_driver_sqlite.name;
}

/* Blanks the password of a URI's user-info (scheme://user:password@host) and of
 * a password=... query parameter. */
char *kk_store_address_redact(const char *address)
{
	struct kk_buf b;
	const char *p = address, *scheme, *at, *colon, *q;

	if (!address)
		return NULL;
	kk_buf_init(&b, strlen(address) + 64);
	scheme = is_pg_uri(address) ? strstr(address, "://") : NULL;
	if (scheme) {
		scheme += 3;
		at = strchr(scheme, '@');
		colon = strchr(scheme, ':');
		if (at && colon && colon < at && !memchr(scheme, '/', (size_t)(at - scheme))) {
			kk_buf_add(&b, address, (size_t)(colon + 1 - address));
			kk_buf_adds(&b, "***");
			p = at;
		}
	}
	while ((q = strstr(p, "password=")) && (q == address || q[-1] == '?' || q[-1] == '&')) {
		kk_buf_add(&b, p, (size_t)(q + 9 - p));
		kk_buf_adds(&b, "***");
		p = q + 9 + strcspn(q + 9, "&");
	}
	kk_buf_adds(&b, p);
	return kk_buf_detach(&b); /* NULL when any append failed (sticky) */
}

/* The engine's transaction state, where a failed statement dooms the
 * transaction on every engine (driver.h). */
static enum kk_tx_state tx_state(const struct kk_store *s, struct kk_conn *c)
{
	enum kk_tx_state state = s->drv->tx_state(c);

	return state == KK_TX_OPEN && c->failed ? KK_TX_FAILED : state;
}

/* ---- the pool ---- */

/* A connection from the pool (*pooled set), or a new one while fewer than
 * POOL_MAX are open; else waits for one to come back, up to POOL_WAIT_S. So a
 * server never holds more than POOL_MAX connections to a database, however
 * many requests it serves at once. */
static enum kk_result acquire(struct kk_store *s, struct kk_conn **c, int *pooled, struct kk_error *err)
{
	struct timespec until;
	enum kk_result res = KK_OK;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += POOL_WAIT_S;
	*c = NULL;
	pthread_mutex_lock(&s->pool_lock);
	while (!s->n_idle && s->n_open >= POOL_MAX)
		if (pthread_cond_timedwait(&s->pool_freed, &s->pool_lock, &until) != 0)
			break;
	*pooled = s->n_idle > 0;
	if (s->n_idle)
		*c = s->idle[--s->n_idle];
	else if (s->n_open < POOL_MAX)
		s->n_open++;
	else
		res = kk_error_set(err, KK_EUNAVAILABLE, "%s", _("Every database connection is busy; try again shortly."));
	pthread_mutex_unlock(&s->pool_lock);
	if (!res && !*c && (res = s->drv->connect(s->address, 0, c, err)) != KK_OK) {
		pthread_mutex_lock(&s->pool_lock);
		s->n_open--;
		pthread_cond_signal(&s->pool_freed);
		pthread_mutex_unlock(&s->pool_lock);
	}
	return res;
}

/* Returns c to the pool, or closes it when it was lost or left in a
 * transaction; either way another waiting transaction may go on. */
static void give_back(struct kk_store *s, struct kk_conn *c)
{
	int keep = s->drv->healthy(c) && tx_state(s, c) == KK_TX_NONE;

	if (!keep)
		s->drv->disconnect(c);
	pthread_mutex_lock(&s->pool_lock);
	if (keep)
		s->idle[s->n_idle++] = c;
	else
		s->n_open--;
	pthread_cond_signal(&s->pool_freed);
	pthread_mutex_unlock(&s->pool_lock);
}

/* ---- transactions ---- */

/* A pooled connection may have been lost while it was idle (a database
 * restart, a failover): then the begin fails as unavailable, the connection is
 * dropped, and a fresh one is tried once. */
enum kk_result kk_tx_begin(struct kk_store *s, int write, struct kk_tx *tx, struct kk_error *err)
{
	enum kk_result res;
	int pooled = 0;

	tx->store = s;
	tx->write = write;
	tx->portal_touched = 0;
	if (write && s->drv->serialise_writers)
		pthread_mutex_lock(&s->write_lock);
	for (;;) {
		res = acquire(s, &tx->conn, &pooled, err);
		if (res)
			break;
		tx->conn->failed = 0;
		res = s->drv->begin(tx->conn, write, err);
		if (!res)
			break;
		give_back(s, tx->conn);
		if (res != KK_EUNAVAILABLE || !pooled)
			break;
		kk_error_clear(err);
	}
	if (res) {
		tx->conn = NULL;
		if (write && s->drv->serialise_writers)
			pthread_mutex_unlock(&s->write_lock);
	}
	return res;
}

enum kk_result kk_tx_end(struct kk_tx *tx, enum kk_result result, struct kk_error *err)
{
	const struct kk_driver *drv;

	if (!tx->conn)
		return result;
	drv = tx->store->drv;
	if (result == KK_OK && tx_state(tx->store, tx->conn) == KK_TX_FAILED)
		result = kk_error_set(err, KK_EDB, "%s", _("The transaction was rolled back; nothing was stored."));
	if (result == KK_OK)
		result = drv->exec(tx->conn, "COMMIT", err);
	/* the server's kept public pages go stale now, not a moment later (portal.h) */
	if (result == KK_OK && tx->portal_touched)
		kk_portal_committed();
	if (result != KK_OK && drv->tx_state(tx->conn) != KK_TX_NONE)
		drv->exec(tx->conn, "ROLLBACK", NULL);
	if (tx->write && drv->serialise_writers)
		pthread_mutex_unlock(&tx->store->write_lock);
	give_back(tx->store, tx->conn);
	tx->conn = NULL;
	return result;
}

enum kk_result kk_tx_exec(struct kk_tx *tx, const char *sql, struct kk_error *err)
{
	enum kk_result res = tx->store->drv->exec(tx->conn, sql, err);

	if (res)
		tx->conn->failed = 1;
	return res;
}

int64_t kk_tx_last_id(struct kk_tx *tx)
{
	return tx->store->drv->last_id(tx->conn);
}

/* Runs a batch of jobs in one transaction, each in a savepoint (a job alone
 * needs none: its failure rolls back the transaction), then commits once.
 * Sets every job's result. When the transaction as a whole is lost (a failed
 * commit, or an error after which the engine rolled everything back), the jobs
 * that had succeeded fail too: none of them is acknowledged. */
static void run_batch(struct kk_store *s, struct group_job *batch)
{
	enum kk_lang saved = kk_i18n_current();
	struct kk_error whole = KK_ERROR_INIT;
	struct kk_tx tx;
	int alone = !batch->next;
	enum kk_result res = kk_tx_begin(s, 1, &tx, &whole);

	for (struct group_job *j = batch; j && !res; j = j->next) {
		enum kk_tx_state state;

		kk_i18n_use(j->lang);
		j->result = alone ? KK_OK : kk_tx_exec(&tx, "SAVEPOINT job", j->err);
		if (!j->result)
			j->result = j->fn(&tx, j->arg, j->err);
		state = tx_state(s, tx.conn);
		if (state == KK_TX_NONE) {
			res = kk_error_set(&whole, KK_EDB, "%s", _("The transaction was rolled back; nothing was stored."));
			break;
		}
		if (!j->result && state == KK_TX_FAILED)
			j->result = kk_error_set(j->err, KK_EDB, "%s", _("A database statement failed; nothing was stored."));
		if (alone) {
			res = j->result; /* a failure rolls back; the job keeps its own error */
			break;
		}
		if (j->result && s->drv->exec(tx.conn, "ROLLBACK TO job", NULL) == KK_OK)
			tx.conn->failed = 0;
		if (kk_tx_exec(&tx, "RELEASE job", NULL) != KK_OK)
			res = kk_error_set(&whole, KK_EDB, "%s", _("The transaction was rolled back; nothing was stored."));
	}
	kk_i18n_use(saved);
	res = kk_tx_end(&tx, res, &whole);
	for (struct group_job *j = batch; res && j; j = j->next) {
		if (j->result == KK_OK) {
			j->result = res;
			kk_error_copy(j->err, &whole);
		}
	}
	kk_error_release(&whole);
}

enum kk_result kk_tx_grouped(struct kk_store *s, kk_tx_fn *fn, void *arg, struct kk_error *err)
{
	struct kk_error scratch = KK_ERROR_INIT;
	struct group_job job = { fn, arg, err ? err : &scratch, kk_i18n_current(), KK_OK, 0, NULL };
	struct group_job **tail;

	pthread_mutex_lock(&s->group_lock);
	for (tail = &s->pending; *tail; tail = &(*tail)->next)
		;
	*tail = &job;
	while (!job.done) {
		struct group_job *batch;

		if (s->leading) {
			pthread_cond_wait(&s->group_done, &s->group_lock);
			continue;
		}
		/* Lead: commit everyone waiting now, ourselves included. */
		s->leading = 1;
		batch = s->pending;
		s->pending = NULL;
		pthread_mutex_unlock(&s->group_lock);
		run_batch(s, batch);
		pthread_mutex_lock(&s->group_lock);
		for (struct group_job *j = batch, *next; j; j = next) {
			next = j->next;
			j->done = 1;
		}
		s->leading = 0;
		pthread_cond_broadcast(&s->group_done);
	}
	pthread_mutex_unlock(&s->group_lock);
	kk_error_release(&scratch);
	return job.result;
}

/* ---- migrations ---- */

/* sql with the dialect's words spelt for drv. Returns a string the caller frees. */
static char *spell(const struct kk_driver *drv, const char *sql)
{
	struct kk_buf b;
	const char *p = sql;
	int bad = 0;

	kk_buf_init(&b, 1 << 20);
	while (*p) {
		const struct kk_dialect_word *w = NULL;
		const char *brace = strchr(p, '{');

		if (!brace) {
			bad |= kk_buf_adds(&b, p);
			break;
		}
		bad |= kk_buf_add(&b, p, (size_t)(brace - p));
		for (const struct kk_dialect_word *d = drv->dialect; d->word && !w; d++)
			if (strncmp(brace, d->word, strlen(d->word)) == 0)
				w = d;
		bad |= w ? kk_buf_adds(&b, w->sql) : kk_buf_add(&b, brace, 1);
		p = brace + (w ? strlen(w->word) : 1);
	}
	if (bad) {
		kk_buf_release(&b);
		return NULL;
	}
	return kk_buf_detach(&b);
}

/* Brings the database to the latest version, one migration per transaction,
 * then runs kk_schema_fills in the transaction that finds it current. */
static enum kk_result migrate(struct kk_store *s, struct kk_error *err)
{
	for (;;) {
		struct kk_tx tx;
		char *sql;
		int v = 0;
		enum kk_result res = kk_tx_begin(s, 1, &tx, err);

		if (!res)
			res = s->drv->schema_version(tx.conn, 1, &v, err);
		if (!res && v > kk_schema_latest)
			res = kk_error_set(err, KK_EDB,
					   _("The database is at schema version %d, newer than this keikai knows (%d)."),
					   v, kk_schema_latest);
		/* the schema is current: what C completes of it (schema.h) */
		for (int i = 0; !res && v == kk_schema_latest && kk_schema_fills[i]; i++)
			res = kk_schema_fills[i](&tx, NULL, err);
		if (res || v == kk_schema_latest) {
			s->version = v;
			return kk_tx_end(&tx, res, err);
		}
		sql = spell(s->drv, kk_schema_migrations[v]);
		res = sql ? kk_tx_exec(&tx, sql, err) : kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
		free(sql);
		if (!res)
			res = s->drv->set_schema_version(tx.conn, v + 1, err);
		res = kk_tx_end(&tx, res, err);
		if (res)
			return res;
	}
}

enum kk_result kk_store_open(const char *address, int flags, struct kk_store **out, struct kk_error *err)
{
	struct kk_store *s;
	struct kk_conn *c = NULL;
	enum kk_result res;
	int empty = 1;

	*out = NULL;
	if (sodium_init() < 0)
		return kk_error_set(err, KK_EIO, "%s", _("libsodium could not be initialised."));
	if (kk_str_empty(address))
		return kk_error_set(err, KK_EINVAL, "%s", _("No database address given."));
	s = kk_calloc(1, sizeof(*s));
	if (!s || !(s->address = kk_strdup(address))) {
		free(s);
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	}
	s->drv = is_pg_uri(address) ? &kk_driver_pg : &kk_driver_sqlite;
	pthread_mutex_init(&s->pool_lock, NULL);
	pthread_cond_init(&s->pool_freed, NULL);
	pthread_mutex_init(&s->write_lock, NULL);
	pthread_mutex_init(&s->group_lock, NULL);
	pthread_cond_init(&s->group_done, NULL);
	pthread_mutex_init(&s->cache_lock, NULL);
	res = s->drv->connect(address, (flags & (KK_STORE_CREATE | KK_STORE_MAY_CREATE)) != 0, &c, err);
	if (!res && (flags & KK_STORE_CREATE))
		res = s->drv->is_empty(c, &empty, err);
	if (!res && !empty) {
		char *shown = kk_store_address_redact(address);

		res = kk_error_set(err, KK_EEXISTS, _("%s already holds a database; refusing to overwrite it."),
				   shown ? shown : "");
		free(shown);
	}
	if (!res) {
		s->idle[s->n_idle++] = c;
		s->n_open = 1;
		c = NULL;
		res = migrate(s, err);
	}
	s->drv->disconnect(c);
	if (res) {
		kk_store_close(s);
		return res;
	}
	*out = s;
	return KK_OK;
}

void *kk_store_cache(struct kk_store *s, enum kk_store_slot slot, void *(*make)(void), void (*free_fn)(void *))
{
	void *obj;

	pthread_mutex_lock(&s->cache_lock);
	if (!s->cache[slot] && (s->cache[slot] = make()) != NULL)
		s->cache_free[slot] = free_fn;
	obj = s->cache[slot];
	pthread_mutex_unlock(&s->cache_lock);
	return obj;
}

void kk_store_close(struct kk_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < KK_STORE_NSLOTS; i++)
		if (s->cache[i])
			s->cache_free[i](s->cache[i]);
	for (int i = 0; i < s->n_idle; i++)
		s->drv->disconnect(s->idle[i]);
	pthread_mutex_destroy(&s->cache_lock);
	pthread_mutex_destroy(&s->pool_lock);
	pthread_cond_destroy(&s->pool_freed);
	pthread_mutex_destroy(&s->write_lock);
	pthread_mutex_destroy(&s->group_lock);
	pthread_cond_destroy(&s->group_done);
	free(s->address);
	free(s);
}

const char *kk_store_engine(const struct kk_store *s)
{
	return s->drv->name;
}

int kk_store_schema_version(struct kk_store *s)
{
	return s->version;
}

const char *kk_store_address(const struct kk_store *s)
{
	return s->address;
}

enum kk_result kk_tx_after_copy(struct kk_tx *tx, const char *table, struct kk_error *err)
{
	enum kk_result res;

	if (!tx->store->drv->after_copy)
		return KK_OK;
	res = tx->store->drv->after_copy(tx->conn, table, err);
	if (res)
		tx->conn->failed = 1;
	return res;
}

/* ---- statements: dispatch to the driver ---- */

static struct kk_stmt *prepare(struct kk_tx *tx, const char *sql, int cache, struct kk_error *err)
{
	struct kk_stmt *st = tx->store->drv->prepare(tx->conn, sql, cache, err);

	if (!st)
		tx->conn->failed = 1;
	return st;
}

struct kk_stmt *kk_stmt_prepare(struct kk_tx *tx, const char *sql, struct kk_error *err)
{
	return prepare(tx, sql, 1, err);
}

struct kk_stmt *kk_stmt_prepare_uncached(struct kk_tx *tx, const char *sql, struct kk_error *err)
{
	return prepare(tx, sql, 0, err);
}

void kk_stmt_free(struct kk_stmt *st)
{
	if (st)
		st->drv->finalize(st);
}

void kk_stmt_bind_int(struct kk_stmt *st, int i, int64_t v)
{
	st->drv->bind_int(st, i, v);
}

void kk_stmt_bind_text(struct kk_stmt *st, int i, const char *v)
{
	st->drv->bind_text(st, i, v);
}

void kk_stmt_bind_blob(struct kk_stmt *st, int i, const void *v, size_t n)
{
	st->drv->bind_blob(st, i, v, n);
}

void kk_stmt_bind_null(struct kk_stmt *st, int i)
{
	st->drv->bind_null(st, i);
}

void kk_stmt_bind_opt_int(struct kk_stmt *st, int i, int64_t v)
{
	if (v)
		st->drv->bind_int(st, i, v);
	else
		st->drv->bind_null(st, i);
}

enum kk_step kk_stmt_step(struct kk_stmt *st, struct kk_error *err)
{
	enum kk_step r = st->drv->step(st, err);

	/* a failed step is an error the caller sees (KK_EDB unless the driver
	 * said more), never the end of the rows */
	if (r == KK_STEP_ERROR) {
		st->conn->failed = 1;
		if (st->result == KK_OK)
			st->result = kk_error_set(err, KK_EDB, "%s", _("A database statement failed."));
	}
	return r;
}

enum kk_result kk_stmt_result(const struct kk_stmt *st)
{
	return st->result;
}

enum kk_result kk_stmt_exec(struct kk_stmt *st, struct kk_error *err)
{
	enum kk_step r;

	while ((r = kk_stmt_step(st, err)) == KK_STEP_ROW)
		;
	return r == KK_STEP_DONE ? KK_OK : st->result;
}

enum kk_result kk_stmt_first(struct kk_stmt *st, struct kk_error *err)
{
	switch (kk_stmt_step(st, err)) {
	case KK_STEP_ROW: return KK_OK;
	case KK_STEP_DONE: return KK_ENOTFOUND;
	default: return st->result;
	}
}

enum kk_result kk_stmt_once(struct kk_stmt *st, struct kk_error *err)
{
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	res = kk_stmt_exec(st, err);
	kk_stmt_free(st);
	return res;
}

void kk_stmt_reset(struct kk_stmt *st)
{
	st->drv->reset(st);
}

int64_t kk_stmt_changes(const struct kk_stmt *st)
{
	return st->drv->changes(st);
}

int kk_stmt_columns(const struct kk_stmt *st)
{
	return st->drv->columns(st);
}

const char *kk_stmt_column_name(const struct kk_stmt *st, int i)
{
	return st->drv->column_name(st, i);
}

enum kk_column_type kk_stmt_type(const struct kk_stmt *st, int i)
{
	return st->drv->type(st, i);
}

int kk_stmt_is_null(const struct kk_stmt *st, int i)
{
	return st->drv->type(st, i) == KK_COL_NULL;
}

int64_t kk_stmt_int(const struct kk_stmt *st, int i)
{
	return st->drv->col_int(st, i);
}

const char *kk_stmt_text(const struct kk_stmt *st, int i)
{
	return st->drv->col_text(st, i);
}

const void *kk_stmt_blob(struct kk_stmt *st, int i, size_t *n)
{
	return st->drv->col_blob(st, i, n);
}

char *kk_stmt_dup(const struct kk_stmt *st, int i)
{
	const char *t = st->drv->col_text(st, i);

	return t ? kk_strdup(t) : NULL;
}

void kk_stmt_dup_into(const struct kk_stmt *st, int i, char **out, int *lost)
{
	*out = kk_stmt_dup(st, i);
	if (!*out && !kk_stmt_is_null(st, i))
		*lost = 1;
}
