/*
 * test_evidence.c: unit tests of what is stored sealed (issue 11, item 6;
 * SPEC 1): the evidence repository (lib/store/evidence.c, keikai/evidence.h),
 * report and message attachments (lib/store/reports.c, case_messages.c),
 * and the sealing of rows stored before sealing when a store opens
 * (lib/store/vault_fill.c), through the real store on the engine under test
 * (SQLite, or PostgreSQL with KEIKAI_TEST_PG). What the database holds is read
 * back by SQL: the plain bytes are never in it.
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keikai/evidence.h"
#include "keikai/keys.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "keikai/vault.h"
#include "store/case_messages.h"
#include "unit.h"

/* A marker no one else writes, so finding it means finding the plain text. */
static void marker(char *out, size_t n)
{
	char secret[KK_SECRET_MAX];

	kk_random_secret(secret, 12);
	snprintf(out, n, "KKPOC-%s-marker", secret);
}

/* The bytes of the blob column `col` of the one row sql selects (with the
 * integer parameter id), a copy the caller frees. */
static void *raw_blob(struct kk_store *s, const char *sql, int64_t id, size_t *n)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	struct kk_stmt *st;
	const void *p;
	void *copy;

	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
	st = kk_stmt_prepare(&tx, sql, &err);
	cr_assert_not_null(st, "%s: %s", sql, err.msg);
	kk_stmt_bind_int(st, 1, id);
	cr_assert_eq(kk_stmt_step(st, &err), KK_STEP_ROW, "%s: %s", sql, err.msg);
	p = kk_stmt_blob(st, 0, n);
	copy = malloc(*n + 1);
	memcpy(copy, p, *n);
	kk_stmt_free(st);
	kk_tx_end(&tx, KK_OK, NULL);
	return copy;
}

static int contains(const void *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static int64_t report_id(struct kk_store *s, const char *tid)
{
	return unit_count(s, "SELECT id FROM reports WHERE tracking_id = ?", tid);
}

/* A report with one attachment whose text holds mark; its tracking id in tid. */
static void report_with_file(struct kk_store *s, const char *mark, char *tid)
{
	char secret[KK_TOKEN_MAX], b64[256];
	json_t *body = unit_report_body("product");

	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)mark, strlen(mark),
			  sodium_base64_VARIANT_ORIGINAL);
	json_object_set_new(body, "attachments",
			    json_pack("[{s:s, s:s, s:s}]", "filename", "poc.txt", "content_type", "text/plain",
				      "data_base64", b64));
	unit_submit(s, body, tid, secret);
}

/* issue 11: evidence goes in sealed, with the plain bytes' size and sha256,
 * and comes out whole; the list shows it by report */
Test(evidence, add_get_list)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	char mark[64], tid[24], sha[65], *kind;
	struct kk_tx tx;
	int64_t rid, id1, id2;
	void *data, *raw;
	size_t n, raw_n;
	json_t *list;

	marker(mark, sizeof(mark));
	unit_submit(s, unit_report_body("product"), tid, NULL);
	rid = report_id(s, tid);
	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_evidence_add(&tx, "mail", rid, mark, strlen(mark), &id1, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_evidence_add(&tx, "ciphertext", 0, "-----BEGIN PGP MESSAGE-----", 27, &id2, &err), KK_OK);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK);
	cr_assert_gt(id2, id1);

	raw = raw_blob(s, "SELECT data FROM evidence WHERE id = ?", id1, &raw_n);
	cr_assert(kk_vault_is_sealed(raw, raw_n));
	cr_assert_not(contains(raw, raw_n, mark), "the plain bytes are not in the database");
	free(raw);
	kk_sha256_hex(mark, strlen(mark), sha);
	cr_assert_eq(unit_count(s, "SELECT size FROM evidence WHERE sha256 = ?", sha), (int64_t)strlen(mark));

	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK);
	cr_assert_eq(kk_evidence_get(&tx, id1, &data, &n, &kind, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(n, strlen(mark));
	cr_assert_eq(memcmp(data, mark, n), 0);
	cr_assert_str_eq(kind, "mail");
	free(data);
	free(kind);
	cr_assert_eq(kk_evidence_get(&tx, id2 + 100, &data, &n, NULL, &err), KK_ENOTFOUND);
	cr_assert_null(data);
	cr_assert_eq(kk_evidence_list(&tx, rid, &list, &err), KK_OK);
	cr_assert_eq(json_array_size(list), 1, "only the report's own evidence");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(list, 0), "id")), id1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "sha256")), sha);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(list, 0), "size")), (json_int_t)strlen(mark));
	json_decref(list);
	kk_tx_end(&tx, KK_OK, NULL);

	/* the ciphertext, stored before its report, is attached to it later */
	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_evidence_set_report(&tx, id2, rid, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_evidence_list(&tx, rid, &list, &err), KK_OK);
	cr_assert_eq(json_array_size(list), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 1), "kind")), "ciphertext");
	json_decref(list);
	kk_tx_end(&tx, KK_OK, NULL);
	kk_error_release(&err);
	kk_store_close(s);
}

/* issue 11: an unknown kind, or no key, stores nothing */
Test(evidence, nothing_stored_without_a_key_or_with_a_bad_kind)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	char *path;
	int64_t id = 7;

	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_evidence_add(&tx, "photo", 0, "x", 1, &id, &err), KK_EINVAL);
	cr_assert_eq(id, 0);
	cr_assert_not_null(strstr(err.msg, "photo"), "%s", err.msg);
	kk_tx_end(&tx, KK_OK, NULL);

	cr_assert_eq(kk_keys_path(s, "evidence.key", &path, &err), KK_OK);
	cr_assert_eq(unlink(path), 0);
	kk_error_clear(&err);
	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_evidence_add(&tx, "mail", 0, "x", 1, &id, &err), KK_EIO);
	cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
	kk_tx_end(&tx, KK_EIO, NULL);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM evidence", NULL), 0);

	/* a report with a file is refused whole: no report without its evidence */
	{
		char secret[KK_TOKEN_MAX];
		struct kk_report r;
		json_t *body = unit_report_body("product");

		json_object_set_new(body, "attachments",
				    json_pack("[{s:s, s:s, s:s}]", "filename", "poc.txt", "content_type", "text/plain",
					      "data_base64", "UG9D"));
		kk_error_clear(&err);
		cr_assert_eq(kk_report_from_json(body, &r, &err), KK_OK, "%s", err.msg);
		cr_assert_eq(kk_report_submit(s, &r, secret, &err), KK_EIO);
		cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
		kk_report_release(&r);
		json_decref(body);
	}
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports", NULL), 0);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM attachments", NULL), 0);
	free(path);
	kk_error_release(&err);
	kk_store_close(s);
}

/* issue 11: a report's attachment is stored sealed, keeps the plain file's
 * size and sha256, and reads back whole */
Test(evidence, report_attachments_are_sealed)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user intake = unit_user(s, "intake", "intake@example.jp");
	char mark[64], tid[24], sha[65];
	const struct kk_attachment *a;
	struct kk_report r;
	void *raw;
	size_t raw_n;
	int64_t aid;

	marker(mark, sizeof(mark));
	report_with_file(s, mark, tid);
	aid = unit_count(s, "SELECT a.id FROM attachments a JOIN reports r ON r.id = a.report_id WHERE r.tracking_id = ?",
			 tid);
	raw = raw_blob(s, "SELECT data FROM attachments WHERE id = ?", aid, &raw_n);
	cr_assert(kk_vault_is_sealed(raw, raw_n));
	cr_assert_not(contains(raw, raw_n, mark));
	free(raw);
	kk_sha256_hex(mark, strlen(mark), sha);
	cr_assert_eq(unit_count(s, "SELECT size FROM attachments WHERE sha256 = ?", sha), (int64_t)strlen(mark));

	cr_assert_eq(kk_report_attachment_get(s, &intake, tid, 0, &r, &a, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(a->size, strlen(mark));
	cr_assert_eq(memcmp(a->data, mark, a->size), 0);
	cr_assert_str_eq(a->sha256, sha);
	kk_report_release(&r);
	kk_user_release(&intake);
	kk_store_close(s);
}

/* issue 11: a message's attachment is stored sealed and reads back whole */
Test(evidence, message_attachments_are_sealed)
{
	struct unit_parties p;
	struct kk_error err = KK_ERROR_INIT;
	char mark[64], tid[24], secret[KK_TOKEN_MAX], ref[64], sha[65], *name, *type;
	struct kk_tx tx;
	struct kk_stmt *st;
	int64_t thread, msg;
	void *data, *raw;
	size_t n, raw_n;

	unit_parties(&p);
	unit_accepted_report(p.s, &p.intake, unit_report_body("product"), tid, secret);
	unit_case_open(p.s, &p.coord, tid, "T", "S", "D", ref, sizeof(ref));
	marker(mark, sizeof(mark));
	kk_sha256_hex(mark, strlen(mark), sha);
	cr_assert_eq(kk_tx_begin(p.s, 1, &tx, &err), KK_OK);
	st = kk_stmt_prepare(&tx, "INSERT INTO case_threads(case_id, kind, vendor_id, created_at)"
				  " SELECT id, 'vendor', ?, 1 FROM cases RETURNING id", &err);
	kk_stmt_bind_int(st, 1, p.vid);
	cr_assert_eq(kk_stmt_first(st, &err), KK_OK, "%s", err.msg);
	thread = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	st = kk_stmt_prepare(&tx, "INSERT INTO case_messages(thread_id, author_kind, body, created_at)"
				  " VALUES(?, 'staff', 'see', 1) RETURNING id", &err);
	kk_stmt_bind_int(st, 1, thread);
	cr_assert_eq(kk_stmt_first(st, &err), KK_OK, "%s", err.msg);
	msg = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	cr_assert_eq(kk_message_attachments_insert(&tx, &(struct kk_message_attachment){ .message_id = msg,
				.idx = 0, .filename = "poc.txt", .content_type = "text/plain", .sha256 = sha,
				.size = strlen(mark), .data = mark }, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK);

	raw = raw_blob(p.s, "SELECT data FROM message_attachments WHERE message_id = ?", msg, &raw_n);
	cr_assert(kk_vault_is_sealed(raw, raw_n));
	cr_assert_not(contains(raw, raw_n, mark));
	free(raw);
	cr_assert_eq(kk_tx_begin(p.s, 0, &tx, &err), KK_OK);
	cr_assert_eq(kk_message_attachments_get(&tx, msg, 0, &data, &n, &name, &type, &err), KK_OK, "%s", err.msg);
	kk_tx_end(&tx, KK_OK, NULL);
	cr_assert_eq(n, strlen(mark));
	cr_assert_eq(memcmp(data, mark, n), 0);
	cr_assert_str_eq(name, "poc.txt");
	free(data);
	free(name);
	free(type);
	unit_parties_end(&p);
}

/* issue 11: an attachment stored plain (before sealing) is sealed when the
 * store opens and the key is there; without the key it stays plain and still
 * reads back; the key restored, the next open seals it */
Test(evidence, rows_stored_plain_are_sealed_on_open)
{
	char address[PATH_MAX], mark[64], tid[24], *path;
	struct kk_store *s = unit_store(address);
	struct kk_user intake = unit_user(s, "intake", "intake@example.jp");
	struct kk_error err = KK_ERROR_INIT;
	const struct kk_attachment *a;
	struct kk_report r;
	unsigned char key[32];
	struct kk_tx tx;
	struct kk_stmt *st;
	int64_t aid;
	void *raw;
	size_t raw_n;
	FILE *f;

	marker(mark, sizeof(mark));
	report_with_file(s, "placeholder", tid);
	aid = unit_count(s, "SELECT id FROM attachments", NULL);
	/* the row as keikai wrote it before issue 11 */
	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
	st = kk_stmt_prepare(&tx, "UPDATE attachments SET data = ?, size = ?, sha256 = 'x' WHERE id = ?", &err);
	kk_stmt_bind_blob(st, 1, mark, strlen(mark));
	kk_stmt_bind_int(st, 2, (int64_t)strlen(mark));
	kk_stmt_bind_int(st, 3, aid);
	cr_assert_eq(kk_stmt_once(st, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK);

	/* without the key: the store opens, the row stays plain and reads */
	cr_assert_eq(kk_keys_path(s, "evidence.key", &path, &err), KK_OK);
	f = fopen(path, "rb");
	cr_assert_eq(fread(key, 1, 32, f), 32);
	fclose(f);
	cr_assert_eq(unlink(path), 0);
	kk_store_close(s);
	cr_assert_eq(kk_store_open(address, 0, &s, &err), KK_OK, "%s", err.msg);
	raw = raw_blob(s, "SELECT data FROM attachments WHERE id = ?", aid, &raw_n);
	cr_assert(contains(raw, raw_n, mark), "left plain without a key");
	free(raw);
	cr_assert_eq(kk_report_attachment_get(s, &intake, tid, 0, &r, &a, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(memcmp(a->data, mark, strlen(mark)), 0);
	kk_report_release(&r);
	kk_store_close(s);

	/* the key back: the next open seals it, and it reads the same */
	f = fopen(path, "wb");
	cr_assert_eq(fwrite(key, 1, 32, f), 32);
	fclose(f);
	cr_assert_eq(kk_store_open(address, 0, &s, &err), KK_OK, "%s", err.msg);
	raw = raw_blob(s, "SELECT data FROM attachments WHERE id = ?", aid, &raw_n);
	cr_assert(kk_vault_is_sealed(raw, raw_n));
	cr_assert_not(contains(raw, raw_n, mark), "sealed on open");
	free(raw);
	cr_assert_eq(unit_count(s, "SELECT size FROM attachments WHERE sha256 = 'x'", NULL), (int64_t)strlen(mark),
		     "size and sha256 stay the plain file's");
	cr_assert_eq(kk_report_attachment_get(s, &intake, tid, 0, &r, &a, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(a->size, strlen(mark));
	cr_assert_eq(memcmp(a->data, mark, strlen(mark)), 0);
	kk_report_release(&r);
	kk_store_close(s);

	/* opening again finds nothing left to seal: the bytes stay as they are */
	cr_assert_eq(kk_store_open(address, 0, &s, &err), KK_OK, "%s", err.msg);
	{
		size_t again_n;
		void *before = raw_blob(s, "SELECT data FROM attachments WHERE id = ?", aid, &raw_n);

		kk_store_close(s);
		cr_assert_eq(kk_store_open(address, 0, &s, &err), KK_OK, "%s", err.msg);
		raw = raw_blob(s, "SELECT data FROM attachments WHERE id = ?", aid, &again_n);
		cr_assert_eq(again_n, raw_n);
		cr_assert_eq(memcmp(raw, before, raw_n), 0, "not sealed twice");
		free(raw);
		free(before);
	}
	free(path);
	kk_user_release(&intake);
	kk_error_release(&err);
	kk_store_close(s);
}
