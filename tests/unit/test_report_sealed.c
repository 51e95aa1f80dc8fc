/*
 * test_report_sealed.c: unit tests of details that come encrypted
 * (lib/report/sealed.c, kk_report_from_body; issue 11, item 5; SPEC 2.1 キ)
 * through the real core on the engine under test (SQLite, or PostgreSQL with
 * KEIKAI_TEST_PG), with messages made by the real gpg: headings in English
 * and in Japanese (full-width colons), a JSON object, the ciphertext kept as
 * evidence and the fields named for staff; and every way it can be wrong
 * (not a message, not to our key, no key of ours, a detail given twice or
 * both ways, details missing), named on details.encrypted, in the reader's
 * language.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/evidence.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "unit.h"

/* A valid product report body without the details the ciphertext gives
 * (names, comma-separated, of details.* to drop), with details.encrypted. */
static json_t *body_with(const char *drop, const char *cipher)
{
	json_t *b = unit_report_body("product"), *det = json_object_get(b, "details");
	char names[128], *save = NULL;

	snprintf(names, sizeof(names), "%s", drop);
	for (char *n = strtok_r(names, ",", &save); n; n = strtok_r(NULL, ",", &save))
		json_object_del(det, n);
	if (cipher)
		json_object_set_new(det, "encrypted", json_string(cipher));
	return b;
}

/* kk_report_from_body of body (taken) into r; the result. */
static enum kk_result from_body(struct kk_store *s, json_t *body, struct kk_report *r, struct kk_error *err)
{
	enum kk_result res = kk_report_from_body(s, body, r, err);

	json_decref(body);
	return res;
}

/* The field error at path, or "" (the test fails on it). */
static const char *field(const struct kk_error *err, const char *path)
{
	const char *m = json_string_value(json_object_get(err->fields, path));

	return m ? m : "";
}

/* issue 11 item 5: English headings fill the details; the message is kept as evidence */
Test(report_sealed, english_headings_fill_the_details_and_the_ciphertext_is_kept)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r, got;
	char path[PATH_MAX], secret[KK_TOKEN_MAX], *cipher;
	struct kk_store *s = unit_store(path);
	struct kk_user intake = unit_user(s, "intake", "intake@example.jp");
	struct kk_user coord = unit_user(s, "coordinator", "coord@example.jp");
	void *data = NULL;
	size_t n = 0;
	json_t *view;

	cipher = unit_org_encrypt(s, "Hello, this is about the login page.\n\n"
				     "Environment: Example CMS 4.2 on Debian 12\n"
				     "## Steps to reproduce:\n1. Open /login\n2. Type ' OR 1=1 --\n\n"
				     "Result:\nLogged in as admin.\n"
				     "impact : anyone becomes admin\n");
	cr_assert_eq(from_body(s, body_with("environment,steps,result,impact,workaround", cipher), &r, &err), KK_OK,
		     "%s %s", err.msg, json_dumps(err.fields, 0));
	cr_assert_str_eq(r.environment, "Example CMS 4.2 on Debian 12");
	cr_assert_str_eq(r.steps, "Hello, this is about the login page.\n\n1. Open /login\n2. Type ' OR 1=1 --",
			 "text before the first heading begins the steps: %s", r.steps);
	cr_assert_str_eq(r.result, "Logged in as admin.");
	cr_assert_str_eq(r.impact, "anyone becomes admin");
	cr_assert_null(r.workaround);
	cr_assert_str_eq(r.encrypted_fields, "[\"environment\",\"steps\",\"result\",\"impact\"]");
	cr_assert_str_eq(r.ciphertext, cipher);
	cr_assert_eq(kk_report_submit(s, &r, secret, &err), KK_OK, "%s", err.msg);

	/* stored: the fields named for staff (and in the JSON), the message as evidence */
	cr_assert_eq(kk_report_get(s, &intake, r.tracking_id, 0, &got, &err),
		     KK_OK, "%s", err.msg);
	cr_assert_str_eq(got.encrypted_fields, r.encrypted_fields);
	cr_assert_null(got.ciphertext, "the ciphertext is evidence, not a column");
	view = kk_report_to_json(&got, &coord);
	cr_assert_eq(json_array_size(json_object_get(view, "encrypted_fields")), 4);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(view, "encrypted_fields"), 1)), "steps");
	json_decref(view);
	cr_assert_eq(unit_count(s, "SELECT COUNT(*) FROM evidence e JOIN reports r ON r.id = e.report_id"
				   " WHERE e.kind = 'ciphertext' AND r.tracking_id = ?", r.tracking_id), 1);
	{
		struct kk_tx tx;
		int64_t id = unit_count(s, "SELECT MAX(id) FROM evidence WHERE kind = 'ciphertext'", NULL);

		cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
		cr_assert_eq(kk_evidence_get(&tx, id, &data, &n, NULL, &err), KK_OK, "%s", err.msg);
		kk_tx_end(&tx, KK_OK, &err);
	}
	cr_assert_eq(n, strlen(cipher));
	cr_assert_eq(memcmp(data, cipher, n), 0);
	free(data);
	kk_report_release(&got);
	kk_report_release(&r);
	kk_user_release(&intake);
	kk_user_release(&coord);
	free(cipher);
	kk_store_close(s);
	kk_error_release(&err);
}

/* issue 11 item 5: Japanese headings with full-width colons; the summary may come encrypted too */
Test(report_sealed, japanese_headings_and_the_summary)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	char path[PATH_MAX], *cipher;
	struct kk_store *s = unit_store(path);

	cipher = unit_org_encrypt(s, "概要：検索欄のクロスサイトスクリプティング\n"
				     "環境：Windows 11、Edge\n"
				     "再現手順：\n検索欄に <script>alert(1)</script> を入力する\n"
				     "結果: スクリプトが実行される\n"
				     "回避策：なし\n");
	cr_assert_eq(from_body(s, body_with("summary,environment,steps,result,impact,workaround", cipher), &r, &err),
		     KK_OK, "%s %s", err.msg, json_dumps(err.fields, 0));
	cr_assert_str_eq(r.summary, "検索欄のクロスサイトスクリプティング");
	cr_assert_str_eq(r.environment, "Windows 11、Edge");
	cr_assert_str_eq(r.steps, "検索欄に <script>alert(1)</script> を入力する");
	cr_assert_str_eq(r.result, "スクリプトが実行される");
	cr_assert_str_eq(r.workaround, "なし");
	cr_assert_str_eq(r.encrypted_fields, "[\"summary\",\"environment\",\"steps\",\"result\",\"workaround\"]");
	kk_report_release(&r);
	free(cipher);
	kk_store_close(s);
	kk_error_release(&err);
}

/* issue 11 item 5: a JSON object of the details; a clear detail the ciphertext lacks is kept */
Test(report_sealed, json_object_and_clear_fields_together)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	char path[PATH_MAX], *cipher;
	struct kk_store *s = unit_store(path);

	cipher = unit_org_encrypt(s, "{\"steps\": \"POST /api with {}\", \"result\": \"500 and a stack trace\"}");
	cr_assert_eq(from_body(s, body_with("steps,result", cipher), &r, &err), KK_OK, "%s %s", err.msg,
		     json_dumps(err.fields, 0));
	cr_assert_str_eq(r.steps, "POST /api with {}");
	cr_assert_str_eq(r.result, "500 and a stack trace");
	cr_assert_not_null(r.environment, "the clear environment stays");
	cr_assert_str_eq(r.encrypted_fields, "[\"steps\",\"result\"]");
	kk_report_release(&r);
	free(cipher);
	kk_store_close(s);
	kk_error_release(&err);
}

/* issue 11 item 5: no details.encrypted (or an empty one) is a plain submission */
Test(report_sealed, without_ciphertext_nothing_changes)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	char path[PATH_MAX];
	struct kk_store *s = unit_store(path);

	cr_assert_eq(from_body(s, body_with("", NULL), &r, &err), KK_OK, "%s", err.msg);
	cr_assert_null(r.encrypted_fields);
	cr_assert_null(r.ciphertext);
	kk_report_release(&r);
	cr_assert_eq(from_body(s, body_with("", ""), &r, &err), KK_OK, "%s", err.msg);
	cr_assert_null(r.ciphertext);
	kk_report_release(&r);
	kk_store_close(s);
	kk_error_release(&err);
}

/* issue 11 item 5: a detail given in clear text and encrypted is refused, naming both */
Test(report_sealed, a_detail_given_both_ways_is_refused)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	char path[PATH_MAX], *cipher;
	struct kk_store *s = unit_store(path);

	kk_i18n_use(KK_LANG_EN);
	cipher = unit_org_encrypt(s, "Environment: e\nSteps: s\nResult: r\n");
	cr_assert_eq(from_body(s, body_with("environment,result", cipher), &r, &err), KK_EINVAL);
	cr_assert_not_null(strstr(field(&err, "details.encrypted"), "“Steps:” came both encrypted and in clear text"),
			   "%s", field(&err, "details.encrypted"));
	cr_assert_str_eq(field(&err, "details.steps"), "Given in clear text as well as in the encrypted details.");
	kk_error_release(&err);
	free(cipher);
	kk_store_close(s);
}

/* issue 11 item 5: what is wrong with the message, named on details.encrypted */
Test(report_sealed, faults_are_named_on_the_field)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	char path[PATH_MAX], *cipher, *twice;
	struct kk_store *s = unit_store(path);
	const char *all = "environment,steps,result,impact,workaround";

	kk_i18n_use(KK_LANG_EN);
	/* no key of ours yet */
	cr_assert_eq(from_body(s, body_with(all, "-----BEGIN PGP MESSAGE-----\n\nxx\n-----END PGP MESSAGE-----\n"),
			       &r, &err), KK_EINVAL);
	cr_assert_not_null(strstr(field(&err, "details.encrypted"), "no OpenPGP key"), "%s",
			   field(&err, "details.encrypted"));
	kk_error_release(&err);

	cipher = unit_org_encrypt(s, "The whole story, without any heading.\n");
	/* not a message at all; a number */
	cr_assert_eq(from_body(s, body_with(all, "please decrypt me"), &r, &err), KK_EINVAL);
	cr_assert_not_null(strstr(field(&err, "details.encrypted"), "armored OpenPGP message"));
	/* the validator still says what else is wrong */
	cr_assert_str_eq(field(&err, "details.environment"), "Required.");
	kk_error_release(&err);
	{
		json_t *b = body_with(all, NULL);

		json_object_set_new(json_object_get(b, "details"), "encrypted", json_integer(7));
		cr_assert_eq(from_body(s, b, &r, &err), KK_EINVAL);
		cr_assert_not_null(strstr(field(&err, "details.encrypted"), "armored OpenPGP message"));
		kk_error_release(&err);
	}
	/* armor that does not decrypt */
	cr_assert_eq(from_body(s, body_with(all, "-----BEGIN PGP MESSAGE-----\n\nbm90IGEgbWVzc2FnZQ==\n"
						  "-----END PGP MESSAGE-----\n"),
			       &r, &err), KK_EINVAL);
	cr_assert_neq(field(&err, "details.encrypted")[0], '\0');
	kk_error_release(&err);
	/* no headings: the steps, and the required details it lacks named */
	cr_assert_eq(from_body(s, body_with(all, cipher), &r, &err), KK_EINVAL);
	cr_assert_not_null(strstr(field(&err, "details.encrypted"), "has no Environment:, Result:"), "%s",
			   field(&err, "details.encrypted"));
	kk_error_release(&err);
	/* in Japanese for a Japanese reader */
	kk_i18n_use(KK_LANG_JA);
	cr_assert_eq(from_body(s, body_with(all, cipher), &r, &err), KK_EINVAL);
	cr_assert_not_null(strstr(field(&err, "details.encrypted"), "環境:"), "%s", field(&err, "details.encrypted"));
	kk_error_release(&err);
	kk_i18n_use(KK_LANG_EN);
	/* a heading twice */
	twice = unit_org_encrypt(s, "Environment: a\nSteps: b\nResult: c\nSteps: d\n");
	cr_assert_eq(from_body(s, body_with(all, twice), &r, &err), KK_EINVAL);
	cr_assert_str_eq(field(&err, "details.encrypted"), "The decrypted text has the heading “Steps:” twice.");
	kk_error_release(&err);
	free(twice);
	/* JSON with a member that is no detail */
	twice = unit_org_encrypt(s, "{\"environment\": \"a\", \"steps\": \"b\", \"result\": \"c\", \"exploit\": \"d\"}");
	cr_assert_eq(from_body(s, body_with(all, twice), &r, &err), KK_EINVAL);
	cr_assert_not_null(strstr(field(&err, "details.encrypted"), "“exploit”"));
	kk_error_release(&err);
	free(twice);
	free(cipher);
	kk_store_close(s);
}

/* issue 11 item 5: a front that does not open encrypted details gets an error, never a silent drop */
Test(report_sealed, the_plain_validator_refuses_encrypted_details)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	json_t *b = body_with("", "-----BEGIN PGP MESSAGE-----\n");

	cr_assert_eq(kk_report_from_json(b, &r, &err), KK_EINVAL);
	cr_assert_neq(field(&err, "details.encrypted")[0], '\0');
	kk_report_release(&r);
	json_decref(b);
	kk_error_release(&err);
}
