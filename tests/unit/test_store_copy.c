/*
 * Unit tests of lib/store/copy.c (keikai db copy, docs/cli/db.md): a deployment
 * copied table by table on the engine under test (KK_TEST_ENGINE), and in the
 * PostgreSQL run from SQLite to PostgreSQL and back. Every table is compared
 * value by value, not only counted; ids generated after the copy must be new;
 * a target that holds data is refused and left as it was.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/account.h"
#include "keikai/case.h"
#include "keikai/cwe.h"
#include "keikai/report.h"
#include "keikai/settings.h"
#include "keikai/store.h"
#include "keikai/store_copy.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "store/schema.h"
#include "unit.h"

#define PASSWORD "correct horse battery staple"

/* What a filled source holds, to check on the copy. */
struct sample {
	char tracking_id[24], secret[KK_TOKEN_MAX];
	char session[KK_TOKEN_MAX], csrf[KK_TOKEN_MAX];
	char *token;
	int64_t max_report_id, max_user_id;
};

static int on_pg(void)
{
	const char *engine = getenv("KK_TEST_ENGINE");

	return engine && strcmp(engine, "postgresql") == 0;
}

/* Runs sql with no parameters in a write transaction. */
static void exec_sql(struct kk_store *s, const char *sql)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;

	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, kk_tx_exec(&tx, sql, &err), &err), KK_OK, "%s: %s", sql, err.msg);
}

/* Fills s with something of every table: users of two organisations, a
 * session, a token, settings, login failures (more than a page for one e-mail
 * in two spellings, and rows alike in every column), reports (one decided, one with a binary
 * attachment), their outbox messages and audit trail, more audit rows than a
 * page holds, the sample CWE catalogue, and a case (issue 9) with a vendor
 * notified (its notice in the outbox names the case), a message with an
 * attachment, and a countermeasure. */
/* An accepted product report in a case, a vendor notified with its status and
 * countermeasure, and a coordinator's message to it with an attachment. */
static void fill_case(struct kk_store *s, const struct kk_user *intake)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user coord = unit_user(s, "coordinator", "coord@jpcert.example");
	struct kk_decision accept = { 1, KK_REJECT_NONE, NULL };
	char id[24], ref[KK_CASE_REF_MAX];
	int64_t vid = 0;
	json_t *body, *out = NULL;

	unit_submit(s, unit_report_body("product"), id, NULL);
	cr_assert_eq(kk_report_decide(s, intake, id, &accept, NULL, &err), KK_OK, "%s", err.msg);
	body = json_pack("{s:s, s:[{s:s, s:s}]}", "name_en", "Case Vendor", "contacts", "channel", "email", "address",
			 "psirt@case-vendor.example");
	cr_assert_eq(kk_vendor_add(s, &coord, body, &vid, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	body = json_pack("{s:[s], s:s, s:s, s:s}", "reports", id, "title", "案件", "summary", "概要", "detail", "詳細");
	cr_assert_eq(kk_case_open(s, &coord, body, &out, &err), KK_OK, "%s", err.msg);
	snprintf(ref, sizeof(ref), "%s", json_string_value(json_object_get(out, "id")));
	json_decref(body);
	json_decref(out);
	body = json_pack("{s:[I]}", "vendor_ids", (json_int_t)vid);
	cr_assert_eq(kk_case_notify(s, &coord, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	body = json_pack("{s:i, s:I, s:[s], s:s}", "vulnerability", 1, "vendor_id", (json_int_t)vid, "fixed_versions",
			 "1.0.1", "workaround_ja", "無効にする");
	cr_assert_eq(kk_case_countermeasure_put(s, &coord, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	body = json_pack("{s:s, s:I, s:s, s:[{s:s, s:s, s:s}]}", "thread", "vendor", "vendor_id", (json_int_t)vid, "body",
			 "ご確認ください", "attachments", "filename", "note.txt", "content_type", "text/plain", "data_base64",
			 "AAEC/w==");
	cr_assert_eq(kk_case_message_post(s, &coord, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	kk_user_release(&coord);
}

static void fill(struct kk_store *s, struct sample *out)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user intake = unit_user(s, "intake", "intake@ipa.example");
	struct kk_user admin = unit_user(s, "admin", "admin@ipa.example");
	struct kk_user vendor;
	struct kk_decision accept = { 1, KK_REJECT_NONE, "届出を受理しました" };
	struct kk_cwe_counts counts;
	unsigned char bytes[256];
	char b64[512], path[PATH_MAX], id[24];
	json_t *body;
	struct kk_tx tx;
	struct kk_stmt *st;

	cr_assert_eq(kk_user_add(s, "Example Corp", KK_ROLE_VENDOR, "psirt@example-corp.example", "PSIRT", PASSWORD,
				 0, NULL, &err),
		     KK_OK, "%s", err.msg);
	cr_assert_eq(kk_user_by_email(s, "psirt@example-corp.example", &vendor, &err), KK_OK);
	cr_assert_eq(kk_setting_set(s, "tracking_prefix", "IPA", &err), KK_OK);
	cr_assert_eq(kk_setting_set(s, "base_url", "https://vuln.example.jp", &err), KK_OK);
	cr_assert_eq(kk_session_create(s, intake.id, out->session, out->csrf, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_token_create(s, "admin@ipa.example", &out->token, &err), KK_OK, "%s", err.msg);

	/* a report with evidence holding every byte value, NUL included */
	for (int i = 0; i < 256; i++)
		bytes[i] = (unsigned char)i;
	sodium_bin2base64(b64, sizeof(b64), bytes, sizeof(bytes), sodium_base64_VARIANT_ORIGINAL);
	body = unit_report_body("product");
	json_object_set_new(body, "attachments",
			    json_pack("[{s:s, s:s, s:s}]", "filename", "poc.bin", "content_type",
				      "application/octet-stream", "data_base64", b64));
	unit_submit(s, body, out->tracking_id, out->secret);
	/* and one accepted, which queues a message to the finder and audits it */
	unit_submit(s, unit_report_body("website"), id, NULL);
	cr_assert_eq(kk_report_decide(s, &intake, id, &accept, NULL, &err), KK_OK, "%s", err.msg);

	fill_case(s, &intake);

	snprintf(path, sizeof(path), "%s/cwe/sample.xml", unit_data_dir());
	snprintf(b64, sizeof(b64), "%s/cwe/sample-ja.json", unit_data_dir());
	cr_assert_eq(kk_cwe_import(s, path, b64, &counts, &err), KK_OK, "%s", err.msg);

	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
	st = kk_stmt_prepare(&tx, "INSERT INTO login_throttle (scope, subject, failures, last_at, prev_at, trusted)"
				  " VALUES (?, ?, ?, ?, ?, ?)", &err);
	cr_assert_not_null(st, "%s", err.msg);
	for (int i = 0; i < 150; i++) {
		char subject[16];

		/* more than a page of rows, ordered by a two-column key */
		snprintf(subject, sizeof(subject), "s%03d", i / 2);
		kk_stmt_bind_text(st, 1, i % 2 ? "account" : "address");
		kk_stmt_bind_text(st, 2, subject);
		kk_stmt_bind_int(st, 3, i % 7);
		kk_stmt_bind_int(st, 4, 1700000000 + i % 97);
		kk_stmt_bind_int(st, 5, i % 3 ? 1699999990 : 0);
		kk_stmt_bind_text(st, 6, i % 5 ? NULL : "0123abcd");
		cr_assert_eq(kk_stmt_exec(st, &err), KK_OK, "%s", err.msg);
		kk_stmt_reset(st);
	}
	kk_stmt_free(st);
	st = kk_stmt_prepare(&tx,
			     "INSERT INTO audit (at, actor_id, actor, role, object_type, object_id, action, detail)"
			     " VALUES (?, ?, ?, 'admin', 'user', ?, 'test', ?)",
			     &err);
	cr_assert_not_null(st, "%s", err.msg);
	for (int i = 0; i < 140; i++) {
		kk_stmt_bind_int(st, 1, 1700000000 + i);
		kk_stmt_bind_opt_int(st, 2, i % 2 ? admin.id : 0);
		kk_stmt_bind_text(st, 3, "管理者 'admin' \"x\"");
		kk_stmt_bind_int(st, 4, vendor.id);
		kk_stmt_bind_text(st, 5, i % 3 ? NULL : "");
		cr_assert_eq(kk_stmt_exec(st, &err), KK_OK, "%s", err.msg);
		kk_stmt_reset(st);
	}
	kk_stmt_free(st);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK, "%s", err.msg);

	out->max_report_id = unit_count(s, "SELECT max(id) FROM reports", NULL);
	out->max_user_id = unit_count(s, "SELECT max(id) FROM users", NULL);
	kk_user_release(&intake);
	kk_user_release(&admin);
	kk_user_release(&vendor);
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows of table as text the caller frees: its column names, then a line per
 * row, sorted (so engines' collations do not matter), each value tagged with
 * its type, blobs in hex. */
static char *dump(struct kk_store *s, const char *table)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b, row;
	char sql[128], **lines = NULL;
	size_t n = 0, cap = 0;
	struct kk_stmt *st;
	struct kk_tx tx;
	enum kk_step step;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
	st = kk_stmt_prepare(&tx, sql, &err);
	cr_assert_not_null(st, "%s", err.msg);
	kk_buf_init(&b, 64u << 20);
	while ((step = kk_stmt_step(st, &err)) == KK_STEP_ROW) {
		kk_buf_init(&row, 64u << 20);
		for (int i = 0; i < kk_stmt_columns(st); i++) {
			const unsigned char *p;
			size_t len;

			switch (kk_stmt_type(st, i)) {
			case KK_COL_NULL: kk_buf_adds(&row, "|null"); break;
			case KK_COL_INT: kk_buf_addf(&row, "|int:%lld", (long long)kk_stmt_int(st, i)); break;
			case KK_COL_TEXT: kk_buf_addf(&row, "|text:%s", kk_stmt_text(st, i)); break;
			case KK_COL_BLOB:
				p = kk_stmt_blob(st, i, &len);
				kk_buf_adds(&row, "|blob:");
				for (size_t j = 0; j < len; j++)
					kk_buf_addf(&row, "%02x", p[j]);
				break;
			}
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			lines = realloc(lines, cap * sizeof(*lines));
			cr_assert_not_null(lines);
		}
		lines[n++] = kk_buf_detach(&row);
	}
	cr_assert_eq(step, KK_STEP_DONE, "%s: %s", table, err.msg);
	kk_buf_adds(&b, table);
	for (int i = 0; i < kk_stmt_columns(st); i++)
		kk_buf_addf(&b, " %s", kk_stmt_column_name(st, i));
	kk_buf_adds(&b, "\n");
	kk_stmt_free(st);
	kk_tx_end(&tx, KK_OK, NULL);
	if (n)
		qsort(lines, n, sizeof(*lines), line_cmp);
	for (size_t i = 0; i < n; i++) {
		kk_buf_addf(&b, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	return kk_buf_detach(&b);
}

/* Every table of a and b holds the same rows. */
static void assert_same(struct kk_store *a, struct kk_store *b)
{
	for (int i = 0; kk_schema_tables[i].name; i++) {
		char *x = dump(a, kk_schema_tables[i].name), *y = dump(b, kk_schema_tables[i].name);

		cr_assert_str_eq(x, y, "table %s differs", kk_schema_tables[i].name);
		free(x);
		free(y);
	}
}

/* Every table's rows, in one string the caller frees. */
static char *dump_all(struct kk_store *s)
{
	struct kk_buf b;

	kk_buf_init(&b, 256u << 20);
	for (int i = 0; kk_schema_tables[i].name; i++) {
		char *t = dump(s, kk_schema_tables[i].name);

		kk_buf_adds(&b, t);
		free(t);
	}
	return kk_buf_detach(&b);
}

/* The tables done() was told of, in order, and their rows. */
struct told {
	int n;
	const char *table[128]; /* two copies of every table */
	int64_t rows[128];
};

static void note(const char *table, int64_t rows, void *arg)
{
	struct told *t = arg;

	cr_assert_lt(t->n, 128);
	t->table[t->n] = table;
	t->rows[t->n++] = rows;
}

static void copy_ok(struct kk_store *from, struct kk_store *to, struct told *told)
{
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(kk_store_copy(from, to, note, told, &err), KK_OK, "%s", err.msg);
}

/* The copy works as the source did: logins, sessions, tokens, the finder's
 * secret; and what is added to it gets ids of its own. */
static void assert_usable(struct kk_store *s, const struct sample *sample)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user u = { 0 };
	struct kk_report r = { 0 };
	char csrf[KK_TOKEN_MAX], id[24];
	int64_t reports = unit_count(s, "SELECT count(*) FROM reports", NULL);

	cr_assert_eq(kk_user_login(s, "psirt@example-corp.example", PASSWORD, NULL, &u, NULL, &err), KK_OK, "%s",
		     err.msg);
	kk_user_release(&u);
	cr_assert_eq(kk_session_lookup(s, sample->session, &u, csrf, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(u.email, "intake@ipa.example");
	cr_assert_str_eq(csrf, sample->csrf);
	kk_user_release(&u);
	cr_assert_eq(kk_token_lookup(s, sample->token, &u, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(u.email, "admin@ipa.example");
	kk_user_release(&u);
	cr_assert_eq(kk_report_by_secret(s, sample->secret, &r, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(r.tracking_id, sample->tracking_id);
	kk_report_release(&r);

	/* ids the database generates follow the copied ones (PostgreSQL's
	 * sequences were set by the copy) */
	unit_submit(s, unit_report_body("product"), id, NULL);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports", NULL), reports + 1);
	cr_assert_gt(unit_count(s, "SELECT id FROM reports WHERE tracking_id = ?", id), sample->max_report_id);
	u = unit_user(s, "coordinator", "new@jpcert.example");
	cr_assert_gt(u.id, sample->max_user_id);
	kk_user_release(&u);
}

/* SPEC issue 6 (one store, two engines), capability 5 */
Test(store_copy, copies_every_table_value_for_value)
{
	struct kk_store *from = unit_store(NULL), *to = unit_store(NULL);
	struct sample sample = { 0 };
	struct told told = { 0 };

	fill(from, &sample);
	copy_ok(from, to, &told);
	assert_same(from, to);

	/* told of every table, in the schema's order, with its rows */
	for (int i = 0; kk_schema_tables[i].name; i++) {
		char sql[128];

		cr_assert_lt(i, told.n);
		cr_assert_str_eq(told.table[i], kk_schema_tables[i].name);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", kk_schema_tables[i].name);
		cr_assert_eq(told.rows[i], unit_count(from, sql, NULL), "%s", kk_schema_tables[i].name);
	}
	cr_assert_eq(kk_schema_tables[told.n].name, NULL);
	cr_assert_eq(unit_count(to, "SELECT count(*) FROM login_throttle", NULL), 150);
	cr_assert_gt(unit_count(to, "SELECT count(*) FROM audit", NULL), 140);
	cr_assert_eq(unit_count(to, "SELECT count(*) FROM attachments", NULL), 1);

	assert_usable(to, &sample);
	free(sample.token);
	kk_store_close(from);
	kk_store_close(to);
}

Test(store_copy, refuses_a_target_that_holds_data_and_leaves_it_unchanged)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *from = unit_store(NULL), *to = unit_store(NULL), *inited = unit_store(NULL);
	struct sample sample = { 0 };
	struct kk_user u = unit_user(to, "intake", "someone@else.example");
	char *before, *after;

	fill(from, &sample);
	before = dump_all(to);
	cr_assert_eq(kk_store_copy(from, to, NULL, NULL, &err), KK_EEXISTS);
	cr_assert_not_null(strstr(err.msg, "already holds data (table orgs)"), "%s", err.msg);
	after = dump_all(to);
	cr_assert_str_eq(after, before);
	free(before);
	free(after);

	/* what keikai init writes is data too */
	kk_error_clear(&err);
	cr_assert_eq(kk_setting_set(inited, "tracking_prefix", "IPA", &err), KK_OK);
	cr_assert_eq(kk_store_copy(from, inited, NULL, NULL, &err), KK_EEXISTS);
	cr_assert_not_null(strstr(err.msg, "(table settings)"), "%s", err.msg);
	cr_assert_eq(unit_count(inited, "SELECT count(*) FROM settings", NULL), 1);
	cr_assert_eq(unit_count(inited, "SELECT count(*) FROM reports", NULL), 0);

	kk_user_release(&u);
	free(sample.token);
	kk_store_close(from);
	kk_store_close(to);
	kk_store_close(inited);
}

/* docs/cli/db.md: a failed copy leaves nothing but the empty schema, which a
 * new run accepts. */
Test(store_copy, a_failed_copy_leaves_nothing_and_can_run_again)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *from = unit_store(NULL), *to = unit_store(NULL);
	struct sample sample = { 0 };
	struct told told = { 0 };
	char *empty = dump_all(to), *after;

	fill(from, &sample);
	/* a column the target lacks: the outbox fails after eight tables went in */
	exec_sql(from, "ALTER TABLE outbox ADD COLUMN extra TEXT");
	cr_assert_eq(kk_store_copy(from, to, note, &told, &err), KK_EDB);
	cr_assert_not_null(strstr(err.msg, "Table outbox: "), "%s", err.msg);
	cr_assert_eq(told.n, 0, "nothing is told of before the commit");
	after = dump_all(to);
	cr_assert_str_eq(after, empty);
	free(after);

	exec_sql(from, "ALTER TABLE outbox DROP COLUMN extra");
	copy_ok(from, to, &told);
	assert_same(from, to);
	assert_usable(to, &sample);
	free(empty);
	free(sample.token);
	kk_store_close(from);
	kk_store_close(to);
}

Test(store_copy, an_empty_deployment_copies_as_empty)
{
	struct kk_store *from = unit_store(NULL), *to = unit_store(NULL);
	struct told told = { 0 };
	struct kk_user u;

	copy_ok(from, to, &told);
	for (int i = 0; i < told.n; i++)
		cr_assert_eq(told.rows[i], 0, "%s", told.table[i]);
	assert_same(from, to);
	/* and the target's ids start where they would have */
	u = unit_user(to, "intake", "first@ipa.example");
	cr_assert_eq(u.id, 1);
	kk_user_release(&u);
	kk_store_close(from);
	kk_store_close(to);
}

Test(store_copy, refuses_to_copy_a_database_onto_itself)
{
	struct kk_error err = KK_ERROR_INIT;
	char address[PATH_MAX], other[PATH_MAX + 8];
	struct kk_store *from = unit_store(address), *again = NULL;

	cr_assert_eq(kk_store_open(address, 0, &again, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_store_copy(from, again, NULL, NULL, &err), KK_EINVAL);
	cr_assert_not_null(strstr(err.msg, "same database"), "%s", err.msg);
	kk_store_close(again);
	if (!on_pg()) { /* the same file by another path */
		char *slash = strrchr(address, '/');

		snprintf(other, sizeof(other), "%.*s/./%s", (int)(slash - address), address, slash + 1);
		cr_assert_eq(kk_store_open(other, 0, &again, &err), KK_OK, "%s", err.msg);
		kk_error_clear(&err);
		cr_assert_eq(kk_store_copy(again, from, NULL, NULL, &err), KK_EINVAL);
		cr_assert_not_null(strstr(err.msg, "same database"), "%s", err.msg);
		kk_store_close(again);
	}
	kk_store_close(from);
}

/* KK_STORE_MAY_CREATE: a new SQLite file, or an existing database as it is. */
Test(store_copy, may_create_makes_a_missing_file_and_opens_an_existing_database)
{
	struct kk_error err = KK_ERROR_INIT;
	char address[PATH_MAX], dir[PATH_MAX], path[PATH_MAX];
	struct kk_store *s = unit_store(address), *again = NULL;
	struct kk_user u = unit_user(s, "intake", "kept@ipa.example");

	kk_user_release(&u);
	cr_assert_eq(kk_store_open(address, KK_STORE_MAY_CREATE, &again, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(unit_count(again, "SELECT count(*) FROM users", NULL), 1);
	kk_store_close(again);
	kk_store_close(s);

	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/new.db", dir);
	cr_assert_eq(kk_store_open(path, 0, &s, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_store_open(path, KK_STORE_MAY_CREATE, &s, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_store_schema_version(s), kk_schema_latest);
	kk_store_close(s);
}

#ifdef UNIT_POSTGRESQL
/* In the PostgreSQL run only (compiled into its test program alone, unit.h):
 * SQLite to PostgreSQL, and back to a new SQLite file. */
Test(store_copy, copies_sqlite_to_postgresql_and_back)
{
	struct kk_error err = KK_ERROR_INIT;
	char dir[PATH_MAX], path[PATH_MAX];
	struct kk_store *lite, *pg, *back;
	struct sample sample = { 0 };
	struct told told = { 0 };

	cr_assert(on_pg());
	pg = unit_store(NULL);
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/from.db", dir);
	cr_assert_eq(kk_store_open(path, KK_STORE_CREATE, &lite, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(kk_store_engine(lite), "sqlite");
	cr_assert_str_eq(kk_store_engine(pg), "postgresql");
	fill(lite, &sample);

	copy_ok(lite, pg, &told);
	assert_same(lite, pg);

	snprintf(path, sizeof(path), "%s/back.db", dir);
	cr_assert_eq(kk_store_open(path, KK_STORE_MAY_CREATE, &back, &err), KK_OK, "%s", err.msg);
	copy_ok(pg, back, &told);
	assert_same(pg, back);
	assert_same(lite, back);

	assert_usable(pg, &sample);
	assert_usable(back, &sample);
	free(sample.token);
	kk_store_close(lite);
	kk_store_close(pg);
	kk_store_close(back);
}
#endif /* UNIT_POSTGRESQL */
