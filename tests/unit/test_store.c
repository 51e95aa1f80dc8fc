/* Unit tests of lib/store.c: creation, migrations, durability settings. */
#include <criterion/criterion.h>
#include <limits.h>
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
