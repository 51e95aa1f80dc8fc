/*
 * Unit tests of lib/store/: the interface on whichever engine runs the test
 * (KK_TEST_ENGINE: SQLite by default, PostgreSQL in the run's own cluster):
 * creation, migrations, durability settings, transactions, group commit,
 * placeholders, typed columns and the mapping of errors.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/settings.h"
#include "keikai/store.h"
#include "keikai/util.h"
#include "store/schema.h"
#include "unit.h"

static int on_pg(struct kk_store *s)
{
	return strcmp(kk_store_engine(s), "postgresql") == 0;
}

/* Runs sql (no parameters) in a write transaction that ends with result. */
static enum kk_result run_sql(struct kk_store *s, const char *sql, enum kk_result result, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 1, &tx, err);

	if (res)
		return res;
	res = kk_tx_exec(&tx, sql, err);
	return kk_tx_end(&tx, res ? res : result, err);
}

Test(store, creates_at_latest_schema_and_refuses_to_overwrite)
{
	char path[PATH_MAX];
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = unit_store(path), *again = NULL;

	cr_assert_eq(kk_store_schema_version(s), kk_schema_latest);
	kk_store_close(s);
	cr_assert_eq(kk_store_open(path, KK_STORE_CREATE, &again, &err), KK_EEXISTS);
	cr_assert_null(again);
	kk_error_clear(&err);
	cr_assert_eq(kk_store_open(path, 0, &again, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_store_schema_version(again), kk_schema_latest);
	kk_store_close(again);
}

Test(store, missing_database_is_an_error_not_a_new_file)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;

	cr_assert_eq(kk_store_open("/tmp/keikai-no-such-dir/x.db", 0, &s, &err), KK_ENOTFOUND);
	cr_assert_neq(err.msg[0], '\0');
}

/* A server nobody answers on is "unavailable", not a database error, and the
 * message shows no password. */
Test(store, unreachable_server_is_unavailable_and_password_is_never_shown)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;

	cr_assert_eq(kk_store_open("postgresql://keikai:s3cret@127.0.0.1:1/keikai?connect_timeout=2", 0, &s, &err),
		     KK_EUNAVAILABLE);
	cr_assert_null(s);
	cr_assert_not_null(strstr(err.msg, "postgresql://keikai:***@127.0.0.1:1/keikai"), "%s", err.msg);
	cr_assert_null(strstr(err.msg, "s3cret"), "%s", err.msg);
}

Test(store, addresses_select_the_engine_and_passwords_are_redacted)
{
	static const char *const cases[][3] = {
		{ "keikai.db", "sqlite", "keikai.db" },
		{ "/var/lib/keikai/k.db", "sqlite", "/var/lib/keikai/k.db" },
		{ "postgresql:///keikai?host=/run/postgresql", "postgresql", "postgresql:///keikai?host=/run/postgresql" },
		{ "postgres://u@db/k", "postgresql", "postgres://u@db/k" },
		{ "postgresql://u:pw@db:5432/k", "postgresql", "postgresql://u:***@db:5432/k" },
		{ "postgresql://db/k?user=u&password=pw&sslmode=require", "postgresql",
		  "postgresql://db/k?user=u&password=***&sslmode=require" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *shown = kk_store_address_redact(cases[i][0]);

		cr_assert_str_eq(kk_store_engine_of(cases[i][0]), cases[i][1]);
		cr_assert_str_eq(shown, cases[i][2]);
		free(shown);
	}
}

/* SPEC 2.1: nothing acknowledged is ever lost: SQLite runs WAL with
 * synchronous=FULL on every connection; PostgreSQL keeps synchronous_commit
 * on (and fsync) whatever the server's default. */
Test(store, every_connection_commits_durably)
{
	struct kk_store *s = unit_store(NULL);

	if (on_pg(s)) {
		cr_assert_eq(run_sql(s, "ALTER ROLE CURRENT_USER SET synchronous_commit TO off", KK_OK, NULL), KK_OK);
		kk_store_close(s);
		cr_assert_eq(kk_store_open(unit_address(), KK_STORE_CREATE, &s, NULL), KK_OK);
		cr_assert_eq(unit_count(s, "SELECT CASE WHEN current_setting('synchronous_commit') = 'on' THEN 1 ELSE 0 END",
					NULL),
			     1);
		cr_assert_eq(unit_count(s, "SELECT CASE WHEN current_setting('fsync') = 'on' THEN 1 ELSE 0 END", NULL), 1);
		run_sql(s, "ALTER ROLE CURRENT_USER RESET synchronous_commit", KK_OK, NULL);
	} else {
		struct kk_tx tx;
		struct kk_stmt *st;

		cr_assert_eq(kk_tx_begin(s, 0, &tx, NULL), KK_OK);
		st = kk_stmt_prepare(&tx, "PRAGMA journal_mode", NULL);
		cr_assert_eq(kk_stmt_step(st, NULL), KK_STEP_ROW);
		cr_assert_str_eq(kk_stmt_text(st, 0), "wal");
		kk_stmt_free(st);
		kk_tx_end(&tx, KK_OK, NULL);
		cr_assert_eq(unit_count(s, "PRAGMA synchronous", NULL), 2, "FULL");
		cr_assert_eq(unit_count(s, "PRAGMA foreign_keys", NULL), 1);
	}
	kk_store_close(s);
}

Test(store, failed_transaction_leaves_nothing)
{
	struct kk_store *s = unit_store(NULL);
	char *v;

	cr_assert_eq(run_sql(s, "INSERT INTO settings VALUES('k', 'v')", KK_EINVAL, NULL), KK_EINVAL);
	v = kk_setting_get(s, "k", "absent");
	cr_assert_str_eq(v, "absent");
	free(v);
	cr_assert_eq(kk_setting_set(s, "k", "v2", NULL), KK_OK);
	cr_assert_eq(kk_setting_set(s, "k", "v3", NULL), KK_OK, "a second set updates");
	v = kk_setting_get(s, "k", "absent");
	cr_assert_str_eq(v, "v3");
	free(v);
	kk_store_close(s);
}

/* A migration never half-applies: a script whose second statement fails leaves
 * no trace of its first, on both engines (schema changes are transactional). */
Test(store, a_failed_schema_change_leaves_nothing)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(run_sql(s, "CREATE TABLE half (x BIGINT); CREATE TABLE half (y BIGINT)", KK_OK, &err), KK_EDB);
	cr_assert_neq(err.msg[0], '\0');
	kk_error_clear(&err);
	cr_assert_eq(run_sql(s, "CREATE TABLE half (x BIGINT)", KK_OK, &err), KK_OK, "%s", err.msg);
	kk_store_close(s);
}

/* Errors map alike on both engines: a unique violation is KK_ECONFLICT, bad SQL
 * is KK_EDB, and after either the store goes on working. */
Test(store, errors_are_mapped_alike)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	struct kk_stmt *st;

	cr_assert_eq(kk_setting_set(s, "dup", "1", NULL), KK_OK);
	cr_assert_eq(kk_tx_begin(s, 1, &tx, NULL), KK_OK);
	st = kk_stmt_prepare(&tx, "INSERT INTO settings(key, value) VALUES(?, ?)", &err);
	cr_assert_not_null(st, "%s", err.msg);
	kk_stmt_bind_text(st, 1, "dup");
	kk_stmt_bind_text(st, 2, "2");
	cr_assert_eq(kk_stmt_exec(st, &err), KK_ECONFLICT, "%s", err.msg);
	cr_assert_eq(kk_stmt_result(st), KK_ECONFLICT);
	kk_stmt_free(st);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_EDB, "a transaction with a failed statement does not commit");
	kk_error_clear(&err);

	cr_assert_eq(kk_tx_begin(s, 0, &tx, NULL), KK_OK);
	cr_assert_null(kk_stmt_prepare(&tx, "SELEC nonsense FROM nowhere", &err));
	cr_assert_eq(err.code, KK_EDB);
	kk_tx_end(&tx, KK_EDB, NULL);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM settings WHERE key = ?", "dup"), 1);
	kk_store_close(s);
}

/* Placeholders are written once: `?` numbered in order, `?N` by number, and a
 * question mark inside a string literal is text. */
Test(store, placeholders_and_typed_columns)
{
	struct kk_store *s = unit_store(NULL);
	static const unsigned char bytes[] = { 0, 1, 2, 0xff, '\\', 'x', 0, '\'' };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	struct kk_stmt *st;
	const void *blob;
	size_t n;

	cr_assert_eq(kk_tx_begin(s, 1, &tx, NULL), KK_OK);
	st = kk_stmt_prepare(&tx, "SELECT '?' || ?, CAST(?2 AS BIGINT) + 1, ?2, CAST(NULL AS TEXT)", &err);
	cr_assert_not_null(st, "%s", err.msg);
	kk_stmt_bind_text(st, 1, "a");
	kk_stmt_bind_int(st, 2, 4000000000LL);
	cr_assert_eq(kk_stmt_step(st, &err), KK_STEP_ROW, "%s", err.msg);
	cr_assert_eq(kk_stmt_columns(st), 4);
	cr_assert_str_eq(kk_stmt_text(st, 0), "?a");
	cr_assert_eq(kk_stmt_int(st, 1), 4000000001LL);
	cr_assert(kk_stmt_is_null(st, 3));
	cr_assert_null(kk_stmt_text(st, 3));
	cr_assert_eq(kk_stmt_step(st, &err), KK_STEP_DONE);
	kk_stmt_free(st);

	cr_assert_eq(kk_tx_exec(&tx, "CREATE TABLE b (id {id}, data {blob})", &err), KK_EDB,
		     "dialect words are for migrations only");
	kk_tx_end(&tx, KK_EDB, NULL);

	/* bytes of every value survive a round trip, and ids come back */
	cr_assert_eq(kk_tx_begin(s, 1, &tx, NULL), KK_OK);
	st = kk_stmt_prepare(&tx, "INSERT INTO orgs(name, created_at) VALUES(?, ?) RETURNING id", &err);
	kk_stmt_bind_text(st, 1, "Org ' \" ? 組織");
	kk_stmt_bind_int(st, 2, -5);
	cr_assert_eq(kk_stmt_step(st, &err), KK_STEP_ROW, "%s", err.msg);
	cr_assert_gt(kk_stmt_int(st, 0), 0);
	cr_assert_eq(kk_tx_last_id(&tx), kk_stmt_int(st, 0));
	kk_stmt_free(st);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK, "%s", err.msg);

	cr_assert_eq(kk_tx_begin(s, 1, &tx, NULL), KK_OK);
	cr_assert_eq(kk_tx_exec(&tx, "INSERT INTO reports(id, tracking_id, secret_hash, kind, status, lang, received_at,"
				     " share_identity, direct_contact, credit, summary, environment, steps, result,"
				     " reported_elsewhere, vendor_told_directly, wants_final_result, encrypted_contact)"
				     " VALUES(7, 'T#1', 'h', 'product', 'received', 'ja', 1, 0, 0, 0, 's', 'e', 's', 'r',"
				     " 0, 0, 0, 0)", &err),
		     KK_OK, "%s", err.msg);
	st = kk_stmt_prepare(&tx, "INSERT INTO attachments(report_id, idx, filename, content_type, size, sha256, data)"
				  " VALUES(7, 0, 'f', 'application/octet-stream', ?, 'x', ?)", &err);
	kk_stmt_bind_int(st, 1, sizeof(bytes));
	kk_stmt_bind_blob(st, 2, bytes, sizeof(bytes));
	cr_assert_eq(kk_stmt_exec(st, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_stmt_changes(st), 1);
	kk_stmt_free(st);
	st = kk_stmt_prepare(&tx, "SELECT data, size FROM attachments WHERE report_id = 7", &err);
	cr_assert_eq(kk_stmt_step(st, &err), KK_STEP_ROW, "%s", err.msg);
	cr_assert_eq(kk_stmt_type(st, 0), KK_COL_BLOB);
	cr_assert_eq(kk_stmt_type(st, 1), KK_COL_INT);
	blob = kk_stmt_blob(st, 0, &n);
	cr_assert_eq(n, sizeof(bytes));
	cr_assert_eq(memcmp(blob, bytes, n), 0);
	kk_stmt_free(st);
	kk_tx_end(&tx, KK_OK, NULL);
	kk_store_close(s);
}

/* Group commit: writers that arrive together share a transaction, each in its own
 * savepoint; a writer that fails undoes only its own changes. */
struct grouped_arg {
	struct kk_store *s;
	int first, count;
};

static enum kk_result put_setting(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	int n = *(int *)arg;
	char key[32];
	struct kk_stmt *st = kk_stmt_prepare(tx, "INSERT INTO settings(key, value) VALUES(?, 'x')", err);
	enum kk_result res;

	snprintf(key, sizeof(key), "k%d", n);
	kk_stmt_bind_text(st, 1, key);
	res = kk_stmt_once(st, err);
	if (res)
		return res;
	/* odd jobs fail after writing; every fifth fails in the database itself */
	if (n % 10 == 5)
		return kk_stmt_once(kk_stmt_prepare(tx, "INSERT INTO settings(key, value) VALUES('k0', 'dup')", err),
				    err) == KK_ECONFLICT
			       ? kk_error_set(err, KK_EINVAL, "job %d fails", n)
			       : KK_EDB;
	return n % 2 ? kk_error_set(err, KK_EINVAL, "job %d fails", n) : KK_OK;
}

static void *grouped_writer(void *p)
{
	struct grouped_arg *a = p;

	for (int i = a->first; i < a->first + a->count; i++) {
		struct kk_error err = KK_ERROR_INIT;
		int n = i;
		enum kk_result res = kk_tx_grouped(a->s, put_setting, &n, &err);

		cr_assert_eq(res, n % 2 ? KK_EINVAL : KK_OK, "job %d: %s", n, err.msg);
		if (n % 2) {
			char want[32];

			snprintf(want, sizeof(want), "job %d fails", n);
			cr_assert_str_eq(err.msg, want, "each writer gets its own error");
		}
		kk_error_release(&err);
	}
	return NULL;
}

Test(store, group_commit_keeps_each_writers_own_outcome)
{
	struct kk_store *s = unit_store(NULL);
	struct grouped_arg args[8];
	pthread_t threads[8];

	/* k0 first, so that the failing jobs' duplicate insert conflicts */
	int zero = 0;
	cr_assert_eq(kk_tx_grouped(s, put_setting, &zero, NULL), KK_OK);
	for (int t = 0; t < 8; t++) {
		args[t] = (struct grouped_arg){ s, 2 + t * 40, 40 };
		pthread_create(&threads[t], NULL, grouped_writer, &args[t]);
	}
	for (int t = 0; t < 8; t++)
		pthread_join(threads[t], NULL);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM settings WHERE key LIKE 'k%'", NULL), 161,
		     "every successful writer's row is there, no failed writer's");
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM settings WHERE value = 'dup'", NULL), 0);
	kk_store_close(s);
}

#ifdef UNIT_POSTGRESQL
/* PostgreSQL only (compiled into its test program alone, unit.h): two servers
 * starting together on one new database: one migrates, the other waits and
 * finds the schema current. A SQLite file is opened by one server only. */
struct opener {
	const char *address;
	enum kk_result res;
	int version;
};

static void *open_store(void *p)
{
	struct opener *o = p;
	struct kk_store *s = NULL;
	struct kk_error err = KK_ERROR_INIT;

	o->res = kk_store_open(o->address, 0, &s, &err);
	if (s)
		o->version = kk_store_schema_version(s);
	kk_store_close(s);
	return NULL;
}

Test(store, concurrent_starts_migrate_once)
{
	struct kk_store *s = unit_store(NULL);
	char address[PATH_MAX];
	struct opener o[4];
	pthread_t t[4];

	cr_assert(on_pg(s));
	kk_store_close(s);
	snprintf(address, sizeof(address), "%s", unit_address());
	for (int i = 0; i < 4; i++) {
		o[i] = (struct opener){ address, KK_EDB, 0 };
		pthread_create(&t[i], NULL, open_store, &o[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(o[i].res, KK_OK);
		cr_assert_eq(o[i].version, kk_schema_latest);
	}
}

/* PostgreSQL only (an embedded SQLite file has no connection to lose): a
 * connection lost in the middle of a transaction is KK_EUNAVAILABLE, not a
 * database error; the store drops it and the next transaction works on a new
 * one. A connection lost while idle in the pool is replaced unnoticed. */
Test(store, a_lost_connection_is_unavailable_and_replaced)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;

	cr_assert(on_pg(s));
	cr_assert_eq(kk_tx_begin(s, 0, &tx, NULL), KK_OK);
	cr_assert_eq(kk_tx_exec(&tx, "SELECT pg_terminate_backend(pg_backend_pid())", &err), KK_EUNAVAILABLE, "%s",
		     err.msg);
	cr_assert_eq(kk_tx_end(&tx, KK_EUNAVAILABLE, NULL), KK_EUNAVAILABLE);
	cr_assert_eq(kk_setting_set(s, "after", "loss", &err), KK_OK, "%s", err.msg);

	/* lose the idle pooled connection, killed from another session */
	{
		struct kk_store *other = NULL;
		char sql[96];
		char *v;

		snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%lld)",
			 (long long)unit_count(s, "SELECT pg_backend_pid()", NULL));
		cr_assert_eq(kk_store_open(unit_address(), KK_STORE_CREATE, &other, NULL), KK_OK);
		cr_assert_eq(run_sql(other, sql, KK_OK, &err), KK_OK, "%s", err.msg);
		kk_store_close(other);
		v = kk_setting_get(s, "after", "lost");
		cr_assert_str_eq(v, "loss", "the pool replaced its lost connection");
		free(v);
	}
	kk_store_close(s);
}
#endif /* UNIT_POSTGRESQL */
