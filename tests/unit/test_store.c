/* Unit tests of lib/store.c: creation, migrations, durability settings. */
#include <criterion/criterion.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "keikai/store.h"
#include "keikai/util.h"
#include "store_schema.h"
#include "unit.h"

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
	kk_store_close(again);
}

Test(store, missing_database_is_an_error_not_a_new_file)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;

	cr_assert_eq(kk_store_open("/tmp/keikai-no-such-dir/x.db", 0, &s, &err), KK_ENOTFOUND);
	cr_assert_neq(err.msg[0], '\0');
}

/* Nothing acknowledged is ever lost: WAL with synchronous=FULL on every connection. */
Test(store, connections_are_wal_and_fully_synchronous)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_tx tx;
	sqlite3_stmt *st;

	cr_assert_eq(kk_tx_begin(s, 0, &tx, NULL), KK_OK);
	st = kk_tx_prepare(&tx, "PRAGMA journal_mode", NULL);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	st = kk_tx_prepare(&tx, "PRAGMA synchronous", NULL);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(st, 0), 2, "FULL");
	sqlite3_finalize(st);
	st = kk_tx_prepare(&tx, "PRAGMA foreign_keys", NULL);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	kk_tx_end(&tx, KK_OK, NULL);
	kk_store_close(s);
}

Test(store, failed_transaction_leaves_nothing)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_tx tx;
	char *v;

	cr_assert_eq(kk_tx_begin(s, 1, &tx, NULL), KK_OK);
	sqlite3_exec(tx.db, "INSERT INTO settings VALUES('k', 'v')", NULL, NULL, NULL);
	kk_tx_end(&tx, KK_EINVAL, NULL);
	v = kk_setting_get(s, "k", "absent");
	cr_assert_str_eq(v, "absent");
	free(v);
	cr_assert_eq(kk_setting_set(s, "k", "v2", NULL), KK_OK);
	v = kk_setting_get(s, "k", "absent");
	cr_assert_str_eq(v, "v2");
	free(v);
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
	sqlite3_stmt *st = kk_tx_prepare(tx, "INSERT INTO settings(key, value) VALUES(?, 'x')", err);

	snprintf(key, sizeof(key), "k%d", n);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_step(st);
	sqlite3_finalize(st);
	/* odd jobs fail after writing */
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
	struct kk_tx tx;
	sqlite3_stmt *st;

	for (int t = 0; t < 8; t++) {
		args[t] = (struct grouped_arg){ s, t * 40, 40 };
		pthread_create(&threads[t], NULL, grouped_writer, &args[t]);
	}
	for (int t = 0; t < 8; t++)
		pthread_join(threads[t], NULL);
	cr_assert_eq(kk_tx_begin(s, 0, &tx, NULL), KK_OK);
	st = kk_tx_prepare(&tx, "SELECT count(*), sum(CAST(substr(key, 2) AS INTEGER) % 2) FROM settings"
				" WHERE key GLOB 'k[0-9]*'", NULL);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(st, 0), 160, "every successful writer's row is there");
	cr_assert_eq(sqlite3_column_int(st, 1), 0, "no failed writer's row is there");
	sqlite3_finalize(st);
	kk_tx_end(&tx, KK_OK, NULL);
	kk_store_close(s);
}
