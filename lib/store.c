/*
 * store.c: the SQLite database behind keikai (store.h).
 *
 * Every connection runs in WAL mode with synchronous=FULL, so a commit is on disk
 * when it returns, and with foreign keys on. Connections come from a small pool;
 * writers serialise on the store's mutex before BEGIN IMMEDIATE, so no thread
 * ever sleeps in SQLite's busy handler. The schema is brought up to date by the
 * numbered migrations of store_schema.c, each in its own transaction.
 */
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keikai/i18n.h"
#include "keikai/store.h"
#include "keikai/util.h"
#include "store_schema.h"

#define POOL_MAX 16

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
	char *path;
	pthread_mutex_t pool_lock;
	pthread_mutex_t write_lock;
	sqlite3 *idle[POOL_MAX];
	int n_idle;
	int version;

	/* group commit: jobs waiting, and whether a leader is committing a batch */
	pthread_mutex_t group_lock;
	pthread_cond_t group_done;
	struct group_job *pending;
	int leading;
};

enum kk_result kk_db_error(sqlite3 *db, struct kk_error *err)
{
	return kk_error_set(err, KK_EDB, _("Database error: %s"), db ? sqlite3_errmsg(db) : "out of memory");
}

static enum kk_result exec(sqlite3 *db, const char *sql, struct kk_error *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return kk_db_error(db, err);
	return KK_OK;
}

static enum kk_result open_connection(struct kk_store *s, int flags, sqlite3 **out, struct kk_error *err)
{
	sqlite3 *db = NULL;
	enum kk_result res;

	if (sqlite3_open_v2(s->path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		res = kk_error_set(err, KK_EDB, _("Cannot open the database %s: %s"), s->path,
				   db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return res;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 10000);
	res = exec(db,
		   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
		   "PRAGMA temp_store=MEMORY;",
		   err);
	if (res) {
		sqlite3_close(db);
		return res;
	}
	*out = db;
	return KK_OK;
}

static int read_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Runs the migrations newer than the database, each in its own transaction. */
static enum kk_result migrate(struct kk_store *s, sqlite3 *db, struct kk_error *err)
{
	enum kk_result res = KK_OK;
	int v = read_version(db);

	if (v < 0)
		return kk_db_error(db, err);
	if (v > kk_schema_latest)
		return kk_error_set(err, KK_EDB,
				    _("The database is at schema version %d, newer than this keikai knows (%d)."), v,
				    kk_schema_latest);
	for (; v < kk_schema_latest && !res; v++) {
		char pragma[48];

		res = exec(db, "BEGIN IMMEDIATE", err);
		if (!res)
			res = exec(db, kk_schema_migrations[v], err);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", v + 1);
		if (!res)
			res = exec(db, pragma, err);
		if (!res)
			res = exec(db, "COMMIT", err);
		if (res)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	s->version = read_version(db);
	return res;
}

enum kk_result kk_store_open(const char *path, int flags, struct kk_store **out, struct kk_error *err)
{
	struct kk_store *s;
	struct stat st;
	sqlite3 *db = NULL;
	enum kk_result res;
	int exists = stat(path, &st) == 0;

	*out = NULL;
	if (sodium_init() < 0)
		return kk_error_set(err, KK_EIO, "%s", _("libsodium could not be initialised."));
	if ((flags & KK_STORE_CREATE) && exists && st.st_size > 0)
		return kk_error_set(err, KK_EEXISTS, _("%s already exists; refusing to overwrite it."), path);
	if (!(flags & KK_STORE_CREATE) && !exists)
		return kk_error_set(err, KK_ENOTFOUND, _("No database at %s; create one with keikai init."), path);
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	}
	pthread_mutex_init(&s->pool_lock, NULL);
	pthread_mutex_init(&s->write_lock, NULL);
	pthread_mutex_init(&s->group_lock, NULL);
	pthread_cond_init(&s->group_done, NULL);
	res = open_connection(s, SQLITE_OPEN_READWRITE | ((flags & KK_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0), &db, err);
	if (!res)
		res = migrate(s, db, err);
	if (res) {
		sqlite3_close(db);
		kk_store_close(s);
		return res;
	}
	s->idle[s->n_idle++] = db;
	*out = s;
	return KK_OK;
}

void kk_store_close(struct kk_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n_idle; i++)
		sqlite3_close(s->idle[i]);
	pthread_mutex_destroy(&s->pool_lock);
	pthread_mutex_destroy(&s->write_lock);
	pthread_mutex_destroy(&s->group_lock);
	pthread_cond_destroy(&s->group_done);
	free(s->path);
	free(s);
}

int kk_store_schema_version(struct kk_store *s)
{
	return s->version;
}

static enum kk_result acquire(struct kk_store *s, sqlite3 **db, struct kk_error *err)
{
	pthread_mutex_lock(&s->pool_lock);
	*db = s->n_idle ? s->idle[--s->n_idle] : NULL;
	pthread_mutex_unlock(&s->pool_lock);
	return *db ? KK_OK : open_connection(s, SQLITE_OPEN_READWRITE, db, err);
}

static void give_back(struct kk_store *s, sqlite3 *db)
{
	pthread_mutex_lock(&s->pool_lock);
	if (s->n_idle < POOL_MAX) {
		s->idle[s->n_idle++] = db;
		db = NULL;
	}
	pthread_mutex_unlock(&s->pool_lock);
	sqlite3_close(db);
}

enum kk_result kk_tx_begin(struct kk_store *s, int write, struct kk_tx *tx, struct kk_error *err)
{
	enum kk_result res;

	tx->store = s;
	tx->write = write;
	res = acquire(s, &tx->db, err);
	if (res)
		return res;
	if (write)
		pthread_mutex_lock(&s->write_lock);
	res = exec(tx->db, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
	if (res) {
		if (write)
			pthread_mutex_unlock(&s->write_lock);
		give_back(s, tx->db);
		tx->db = NULL;
	}
	return res;
}

enum kk_result kk_tx_end(struct kk_tx *tx, enum kk_result result, struct kk_error *err)
{
	if (!tx->db)
		return result;
	if (result == KK_OK)
		result = exec(tx->db, "COMMIT", err);
	if (result != KK_OK && !sqlite3_get_autocommit(tx->db))
		sqlite3_exec(tx->db, "ROLLBACK", NULL, NULL, NULL);
	if (tx->write)
		pthread_mutex_unlock(&tx->store->write_lock);
	give_back(tx->store, tx->db);
	tx->db = NULL;
	return result;
}

/* Runs a batch of jobs in one transaction, each in a savepoint, then commits once.
 * Sets every job's result. When the transaction as a whole is lost (a failed
 * commit, or an error after which SQLite rolled everything back), the jobs that
 * had succeeded fail too: none of them is acknowledged. */
static void run_batch(struct kk_store *s, struct group_job *batch)
{
	enum kk_lang saved = kk_i18n_current();
	struct kk_error whole = KK_ERROR_INIT;
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 1, &tx, &whole);

	for (struct group_job *j = batch; j && !res; j = j->next) {
		kk_i18n_use(j->lang);
		j->result = exec(tx.db, "SAVEPOINT job", j->err);
		if (!j->result)
			j->result = j->fn(&tx, j->arg, j->err);
		if (sqlite3_get_autocommit(tx.db))
			res = kk_error_set(&whole, KK_EDB, "%s", _("The transaction was rolled back; nothing was stored."));
		else if (j->result)
			sqlite3_exec(tx.db, "ROLLBACK TO job", NULL, NULL, NULL);
		sqlite3_exec(tx.db, "RELEASE job", NULL, NULL, NULL);
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

sqlite3_stmt *kk_tx_prepare(struct kk_tx *tx, const char *sql, struct kk_error *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(tx->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		kk_db_error(tx->db, err);
		return NULL;
	}
	return st;
}

int kk_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

char *kk_column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

char *kk_setting_get(struct kk_store *s, const char *key, const char *def)
{
	struct kk_tx tx;
	sqlite3_stmt *st;
	char *v = NULL;

	if (kk_tx_begin(s, 0, &tx, NULL))
		return kk_strdup(def);
	st = kk_tx_prepare(&tx, "SELECT value FROM settings WHERE key = ?", NULL);
	if (st) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = kk_column_dup(st, 0);
		sqlite3_finalize(st);
	}
	kk_tx_end(&tx, KK_OK, NULL);
	return v ? v : kk_strdup(def);
}

enum kk_result kk_setting_set(struct kk_store *s, const char *key, const char *value, struct kk_error *err)
{
	struct kk_tx tx;
	sqlite3_stmt *st;
	enum kk_result res = kk_tx_begin(s, 1, &tx, err);

	if (res)
		return res;
	st = kk_tx_prepare(&tx, "INSERT INTO settings(key, value) VALUES(?, ?) "
				"ON CONFLICT(key) DO UPDATE SET value = excluded.value", err);
	if (!st)
		return kk_tx_end(&tx, KK_EDB, err);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		res = kk_db_error(tx.db, err);
	sqlite3_finalize(st);
	return kk_tx_end(&tx, res, err);
}
