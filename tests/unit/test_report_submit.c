/* Unit tests of lib/report/submit.c and lib/report/idempotency.c against a real database
 * (SQLite or PostgreSQL): the limit on reports per source address, and the
 * answers kept for Idempotency-Keys (issue 7; SPEC 2.1: what is acknowledged is
 * stored once, and the finder can learn that it was). */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/idempotency.h"
#include "keikai/report.h"
#include "unit.h"

#define T0 1800000000

/* Validates and submits a report body with opts; releases the body. */
static enum kk_result submit(struct kk_store *s, json_t *body, struct kk_submit_opts *o, struct kk_report *r,
			     char *secret, struct kk_error *err)
{
	enum kk_result res;

	memset(r, 0, sizeof(*r));
	kk_error_clear(err);
	cr_assert_eq(kk_report_from_json(body, r, err), KK_OK, "%s", err->msg);
	json_decref(body);
	kk_error_clear(err);
	res = kk_report_submit_with(s, r, o, secret, err);
	return res;
}

static int64_t reports(struct kk_store *s)
{
	return unit_count(s, "SELECT count(*) FROM reports", NULL);
}

/* ---- the limit per source address ---- */

Test(report_submit, a_source_over_its_limit_is_refused_and_nothing_is_stored)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_submit_opts o = { "192.0.2.1", 2, NULL, 0 };
	struct kk_report r;
	char secret[KK_TOKEN_MAX];
	int64_t wait = -1;

	kk_clock_freeze(T0);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(kk_report_limit_check(s, "192.0.2.1", 2, &wait, &err), KK_OK);
		cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "%s", err.msg);
		kk_report_release(&r);
	}
	kk_clock_freeze(T0 + 600);
	cr_assert_eq(kk_report_limit_check(s, "192.0.2.1", 2, &wait, &err), KK_ETHROTTLED);
	cr_assert_eq(wait, 3000, "the hour began with the first report");
	cr_assert_str_eq(err.msg, "Too many reports have come from your address within the hour; "
				  "please try again in 50 minutes.");
	kk_error_clear(&err);
	cr_assert_eq(submit(s, unit_report_body("website"), &o, &r, secret, &err), KK_ETHROTTLED);
	cr_assert_eq(o.retry_after, 3000);
	kk_report_release(&r);
	cr_assert_eq(reports(s), 2, "the refused report is not stored");
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM outbox", NULL), 2, "nor acknowledged");
	cr_assert_eq(unit_count(s, "SELECT reports FROM report_sources", NULL), 2, "nor counted");

	/* another address, and no address, are not held up */
	o.source = "192.0.2.2";
	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "%s", err.msg);
	kk_report_release(&r);
	o.source = NULL;
	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "%s", err.msg);
	kk_report_release(&r);

	/* the last minute of the hour, then the next hour */
	kk_clock_freeze(T0 + 3599);
	cr_assert_eq(kk_report_limit_check(s, "192.0.2.1", 2, &wait, &err), KK_ETHROTTLED);
	cr_assert_eq(wait, 1);
	cr_assert_str_eq(err.msg, "Too many reports have come from your address within the hour; "
				  "please try again in a minute.");
	kk_clock_freeze(T0 + 3600);
	cr_assert_eq(kk_report_limit_check(s, "192.0.2.1", 2, &wait, &err), KK_OK);
	o.source = "192.0.2.1";
	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "%s", err.msg);
	kk_report_release(&r);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM report_sources WHERE source LIKE '%192.0.2%'", NULL), 0,
		     "addresses are stored as hashes only");
	kk_clock_freeze(0);
	kk_store_close(s);
}

Test(report_submit, no_limit_when_per_hour_is_0)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_submit_opts o = { "192.0.2.1", 0, NULL, 0 };
	struct kk_report r;
	char secret[KK_TOKEN_MAX];
	int64_t wait;

	for (int i = 0; i < 5; i++) {
		cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "%s", err.msg);
		kk_report_release(&r);
	}
	cr_assert_eq(kk_report_limit_check(s, "192.0.2.1", 0, &wait, &err), KK_OK);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM report_sources", NULL), 0);
	kk_store_close(s);
}

/* ---- Idempotency-Key ---- */

Test(report_submit, idempotency_keys_are_1_to_255_printable_ascii)
{
	char longest[KK_IDEM_KEY_MAX + 2];

	memset(longest, 'k', sizeof(longest));
	longest[KK_IDEM_KEY_MAX] = '\0';
	cr_assert(kk_idem_key_valid(longest));
	cr_assert(kk_idem_key_valid("8e0f6c84-3b1f-4a39-9d54-4c3a0f3d2b11"));
	cr_assert(kk_idem_key_valid("a"));
	cr_assert(kk_idem_key_valid("with space and ~!"));
	longest[KK_IDEM_KEY_MAX] = 'k';
	longest[KK_IDEM_KEY_MAX + 1] = '\0';
	cr_assert_not(kk_idem_key_valid(longest), "256 characters");
	cr_assert_not(kk_idem_key_valid(""));
	cr_assert_not(kk_idem_key_valid(NULL));
	cr_assert_not(kk_idem_key_valid("tab\there"));
	cr_assert_not(kk_idem_key_valid("caf\xc3\xa9"));
	cr_assert_not(kk_idem_key_valid("del\x7f"));
}

/* The receipt as the API sends it (JSON_COMPACT), a string the caller frees. */
static char *receipt_text(const struct kk_report *r, const char *secret)
{
	json_t *j = kk_report_receipt_json(r, secret);
	char *text = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	return text;
}

/* SPEC 2.1: the same request again gets the first answer; no second report. */
Test(report_submit, a_retry_with_the_key_gets_the_first_answer_and_stores_nothing)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	const char *key = "8e0f6c84-3b1f-4a39-9d54-4c3a0f3d2b11", *raw = "{\"kind\": \"product\"}";
	struct kk_idem k, other;
	struct kk_submit_opts o = { NULL, 0, &k, 0 };
	struct kk_report r;
	char secret[KK_TOKEN_MAX], *first, *answer = NULL;
	unsigned status = 0;

	kk_idem_init(&k, key, raw, strlen(raw), 201);
	cr_assert_eq(kk_idem_find(s, &k, &status, &answer, &err), KK_ENOTFOUND);
	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "%s", err.msg);
	first = receipt_text(&r, secret);
	cr_assert_not_null(strstr(first, secret), "the receipt holds the status URL");

	cr_assert_eq(kk_idem_find(s, &k, &status, &answer, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(status, 201);
	cr_assert_str_eq(answer, first);
	free(answer);

	/* neither the key, nor the secret, nor the answer is in the database */
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM idempotency_keys", NULL), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM idempotency_keys WHERE key_hash LIKE '%' || CAST(?1 AS TEXT) || '%'",
				key), 0);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM idempotency_keys WHERE body_hash LIKE '%' || CAST(?1 AS TEXT) || '%'"
				   " OR key_hash LIKE '%' || CAST(?1 AS TEXT) || '%'", secret), 0);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE secret_hash = ?", secret), 0);

	/* a request with the key racing the first: refused whole, nothing stored */
	kk_report_release(&r);
	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_ECONFLICT);
	cr_assert_eq(reports(s), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM outbox", NULL), 1);
	kk_report_release(&r);

	/* the same key with another body */
	kk_idem_init(&other, key, "{}", 2, 201);
	cr_assert_eq(kk_idem_find(s, &other, &status, &answer, &err), KK_ECONFLICT);
	cr_assert_null(answer);
	cr_assert_not_null(strstr(err.msg, "Idempotency-Key"), "%s", err.msg);
	kk_idem_release(&other);
	kk_idem_release(&k);
	free(first);
	kk_store_close(s);
}

/* A database alone cannot open a stored answer: it is sealed with a key that
 * comes from the Idempotency-Key, which is not stored. */
Test(report_submit, a_stored_answer_opens_only_with_its_key)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_idem k, forged;
	struct kk_submit_opts o = { NULL, 0, &k, 0 };
	struct kk_report r;
	char secret[KK_TOKEN_MAX], *answer = NULL;
	unsigned status;

	kk_idem_init(&k, "key-one", "body", 4, 201);
	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "%s", err.msg);
	kk_report_release(&r);
	/* the right row and body hash, another sealing key */
	forged = k;
	forged.seal[0] ^= 1;
	cr_assert_eq(kk_idem_find(s, &forged, &status, &answer, &err), KK_EDB);
	cr_assert_null(answer);
	cr_assert_str_eq(err.msg, "The stored answer to this Idempotency-Key cannot be read.");
	kk_idem_release(&k);
	kk_store_close(s);
}

/* Keys last KK_IDEM_TTL; then the key is free again, and old rows go. */
Test(report_submit, keys_expire_after_a_day)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_idem k, k2;
	struct kk_submit_opts o = { NULL, 0, &k, 0 };
	struct kk_report r;
	char secret[KK_TOKEN_MAX], *answer = NULL;
	unsigned status;

	kk_idem_init(&k, "daily", "body", 4, 201);
	kk_idem_init(&k2, "another", "body", 4, 201);
	kk_clock_freeze(T0);
	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "%s", err.msg);
	kk_report_release(&r);
	kk_clock_freeze(T0 + KK_IDEM_TTL - 1);
	cr_assert_eq(kk_idem_find(s, &k, &status, &answer, &err), KK_OK);
	free(answer);
	kk_clock_freeze(T0 + KK_IDEM_TTL);
	cr_assert_eq(kk_idem_find(s, &k, &status, &answer, &err), KK_ENOTFOUND, "expired");
	o.idem = &k2;
	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "%s", err.msg);
	kk_report_release(&r);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM idempotency_keys", NULL), 1, "the expired row is gone");
	o.idem = &k;
	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "the key is free again: %s",
		     err.msg);
	kk_report_release(&r);
	cr_assert_eq(reports(s), 3);
	kk_clock_freeze(0);
	kk_idem_release(&k);
	kk_idem_release(&k2);
	kk_store_close(s);
}

/* Over the limit, a submission with a key stores neither report nor answer. */
Test(report_submit, a_refused_submission_keeps_no_answer)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_idem k;
	struct kk_submit_opts o = { "192.0.2.5", 1, NULL, 0 };
	struct kk_report r;
	char secret[KK_TOKEN_MAX], *answer = NULL;
	unsigned status;

	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_OK, "%s", err.msg);
	kk_report_release(&r);
	kk_idem_init(&k, "late", "body", 4, 201);
	o.idem = &k;
	cr_assert_eq(submit(s, unit_report_body("product"), &o, &r, secret, &err), KK_ETHROTTLED);
	kk_report_release(&r);
	cr_assert_eq(kk_idem_find(s, &k, &status, &answer, &err), KK_ENOTFOUND);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM idempotency_keys", NULL), 0);
	cr_assert_eq(reports(s), 1);
	kk_idem_release(&k);
	kk_store_close(s);
}
