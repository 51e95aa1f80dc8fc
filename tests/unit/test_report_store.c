/* Unit tests of lib/report/store.c and lib/report/queue.c against a real database (SQLite or PostgreSQL):
 * durable submission, acknowledgement, triage (SPEC 2.2), the queue in the order of impact, one page at a
 * time (SPEC 2.3), and who sees what (SPEC 1). */
#include <criterion/criterion.h>
#include <limits.h>
#include <regex.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/cvss.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/report.h"
#include "keikai/settings.h"
#include "store/reports.h"
#include "unit.h"

static int matches(const char *s, const char *pattern)
{
	regex_t re;
	int ok;

	regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static json_t *outbox(struct kk_store *s)
{
	json_t *list = NULL;

	cr_assert_eq(kk_outbox_list(s, &list, NULL), KK_OK);
	return list;
}

/* SPEC 2.1: stored durably, acknowledged, with a tracking number and a secret. */
Test(report_store, submission_survives_reopening_and_is_acknowledged)
{
	char path[PATH_MAX], id[24], secret[KK_TOKEN_MAX];
	struct kk_store *s = unit_store(path);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	json_t *box, *msg;

	kk_setting_set(s, "base_url", "https://vuln.example", NULL);
	unit_submit(s, unit_report_body("product"), id, secret);
	cr_assert(matches(id, "^IPA#[0-9]{8}$"), "%s", id);
	kk_store_close(s);

	cr_assert_eq(kk_store_open(path, 0, &s, &err), KK_OK);
	cr_assert_eq(kk_report_by_secret(s, secret, &r, &err), KK_OK);
	cr_assert_str_eq(r.tracking_id, id);
	cr_assert_eq(r.status, KK_REPORT_RECEIVED);
	cr_assert_str_eq(r.finder.name, "山田 太郎");
	cr_assert_str_eq(r.lang, "en");
	kk_report_release(&r);

	box = outbox(s);
	cr_assert_eq(json_array_size(box), 1);
	msg = json_array_get(box, 0);
	cr_assert_str_eq(json_string_value(json_object_get(msg, "recipient")), "taro@example.jp");
	cr_assert_str_eq(json_string_value(json_object_get(msg, "kind")), "acknowledgement");
	cr_assert_str_eq(json_string_value(json_object_get(msg, "report")), id);
	cr_assert_not_null(strstr(json_string_value(json_object_get(msg, "subject")), id));
	cr_assert_not_null(strstr(json_string_value(json_object_get(msg, "body")), secret),
			   "the finder gets the status link");
	json_decref(box);
	kk_store_close(s);
}

Test(report_store, tracking_prefix_is_configurable_and_ids_differ)
{
	struct kk_store *s = unit_store(NULL);
	char a[24], b[24], sa[KK_TOKEN_MAX], sb[KK_TOKEN_MAX];

	kk_setting_set(s, "tracking_prefix", "JPCERT", NULL);
	unit_submit(s, unit_report_body("website"), a, sa);
	unit_submit(s, unit_report_body("website"), b, sb);
	cr_assert(matches(a, "^JPCERT#[0-9]{8}$"), "%s", a);
	cr_assert_str_neq(a, b);
	cr_assert_str_neq(sa, sb);
	kk_store_close(s);
}

Test(report_store, unknown_secret_opens_nothing)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_report r;

	unit_submit(s, unit_report_body("product"), NULL, NULL);
	cr_assert_eq(kk_report_by_secret(s, "not-the-secret", &r, NULL), KK_ENOTFOUND);
	kk_store_close(s);
}

/* SPEC 2.2: accept records the acceptance date, tells the finder, is audited. */
Test(report_store, accept_then_no_second_decision)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	struct kk_decision accept = { 1, KK_REJECT_NONE, NULL }, reject = { 0, KK_REJECT_INCOMPLETE, NULL };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	json_t *box, *trail;
	char id[24];

	unit_submit(s, unit_report_body("product"), id, NULL);
	cr_assert_eq(kk_report_decide(s, &intake, id, &accept, &r, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(r.status, KK_REPORT_ACCEPTED);
	cr_assert_gt(r.accepted_at, 0);
	kk_report_release(&r);
	cr_assert_eq(kk_report_decide(s, &intake, id, &reject, NULL, &err), KK_ECONFLICT);

	box = outbox(s);
	cr_assert_eq(json_array_size(box), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(box, 1), "kind")), "decision");
	json_decref(box);

	cr_assert_eq(kk_report_get(s, &intake, id, 0, &r, &err), KK_OK);
	cr_assert_eq(kk_audit_list(s, "report", r.id, &trail, &err), KK_OK);
	cr_assert_eq(json_array_size(trail), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(trail, 1), "action")), "accept");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(trail, 1), "from")), "received");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(trail, 1), "to")), "accepted");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(trail, 1), "actor")), "i@ipa.example");
	json_decref(trail);
	kk_report_release(&r);
	kk_user_release(&intake);
	kk_store_close(s);
}

/* SPEC 2.2: a rejection carries its reason to the finder, in the finder's language. */
Test(report_store, reject_tells_the_finder_why_in_their_language)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	struct kk_decision reject = { 0, KK_REJECT_OUT_OF_SCOPE, "Not used in Japan." };
	struct kk_report r;
	json_t *box, *status;
	char id[24], secret[KK_TOKEN_MAX];
	const char *body;

	kk_i18n_use(KK_LANG_JA);
	unit_submit(s, unit_report_body("product"), id, secret);
	kk_i18n_use(KK_LANG_EN);
	cr_assert_eq(kk_report_decide(s, &intake, id, &reject, NULL, NULL), KK_OK);
	box = outbox(s);
	body = json_string_value(json_object_get(json_array_get(box, 1), "body"));
	cr_assert_not_null(strstr(body, "Not used in Japan."));
	cr_assert((unsigned char)body[0] >= 0x80, "a Japanese finder is written to in Japanese: %s", body);
	json_decref(box);

	cr_assert_eq(kk_report_by_secret(s, secret, &r, NULL), KK_OK);
	status = kk_report_status_json(&r);
	cr_assert_str_eq(json_string_value(json_object_get(status, "status")), "rejected");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(status, "decision"), "reason")),
			 "out_of_scope");
	cr_assert_null(json_object_get(status, "finder"), "the status view has no contact data");
	cr_assert_null(json_object_get(status, "details"));
	json_decref(status);
	kk_report_release(&r);
	kk_user_release(&intake);
	kk_store_close(s);
}

/* SPEC 1: only intake decides; other roles cannot, whatever they try. */
Test(report_store, only_intake_decides)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_decision accept = { 1, KK_REJECT_NONE, NULL };
	static const char *const roles[] = { "coordinator", "vendor", "operator", "committee", "admin" };
	char id[24];

	unit_submit(s, unit_report_body("product"), id, NULL);
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		char email[64];
		struct kk_user u;

		snprintf(email, sizeof(email), "%s@x.example", roles[i]);
		u = unit_user(s, roles[i], email);
		cr_assert_eq(kk_report_decide(s, &u, id, &accept, NULL, NULL), KK_EDENIED, "%s", roles[i]);
		kk_user_release(&u);
	}
	cr_assert_eq(kk_report_decide(s, &kk_anonymous, id, &accept, NULL, NULL), KK_EDENIED);
	kk_store_close(s);
}

/* SPEC 1, G IV.3(1)6: finder identity stays with intake unless the finder consented. */
Test(report_store, finder_identity_reaches_the_coordinator_only_with_consent)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	struct kk_user coord = unit_user(s, "coordinator", "c@jpcert.example");
	struct kk_report r;
	json_t *j, *consenting = unit_report_body("product");
	char *text;
	char withheld[24], shared[24];

	unit_submit(s, unit_report_body("product"), withheld, NULL);
	unit_set(consenting, "consent.share_identity", json_true());
	unit_submit(s, consenting, shared, NULL);

	cr_assert_eq(kk_report_get(s, &coord, withheld, 0, &r, NULL), KK_OK);
	j = kk_report_to_json(&r, &coord);
	cr_assert(json_is_null(json_object_get(j, "finder")));
	cr_assert(json_is_true(json_object_get(j, "finder_withheld")));
	text = json_dumps(j, 0);
	cr_assert_null(strstr(text, "taro@example.jp"), "no e-mail anywhere");
	cr_assert_null(strstr(text, "山田"), "no name anywhere");
	free(text);
	json_decref(j);
	j = kk_report_to_json(&r, &intake);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "finder"), "email")), "taro@example.jp");
	json_decref(j);
	kk_report_release(&r);

	cr_assert_eq(kk_report_get(s, &coord, shared, 0, &r, NULL), KK_OK);
	j = kk_report_to_json(&r, &coord);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "finder"), "email")), "taro@example.jp");
	json_decref(j);
	kk_report_release(&r);
	kk_user_release(&intake);
	kk_user_release(&coord);
	kk_store_close(s);
}

/* SPEC 1: vendors, operators, the committee and the public see no reports yet. */
Test(report_store, other_roles_see_nothing)
{
	struct kk_store *s = unit_store(NULL);
	static const char *const roles[] = { "vendor", "operator", "committee" };
	struct kk_queue_page all = { -1, KK_QUEUE_LIMIT_DEFAULT, 1 };
	const struct kk_attachment *a;
	struct kk_report r;
	json_t *list = NULL;
	int64_t total;
	char id[24];

	unit_submit(s, unit_report_body("product"), id, NULL);
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		char email[64];
		struct kk_user u;

		snprintf(email, sizeof(email), "%s@x.example", roles[i]);
		u = unit_user(s, roles[i], email);
		cr_assert_eq(kk_report_get(s, &u, id, 0, &r, NULL), KK_ENOTFOUND, "%s", roles[i]);
		cr_assert_eq(kk_report_list(s, &u, &all, &list, &total, NULL), KK_EDENIED, "%s", roles[i]);
		cr_assert_null(list);
		cr_assert_eq(kk_report_attachment_get(s, &u, id, 0, &r, &a, NULL), KK_ENOTFOUND, "%s", roles[i]);
		kk_report_release(&r);
		kk_user_release(&u);
	}
	cr_assert_eq(kk_report_get(s, &kk_anonymous, id, 0, &r, NULL), KK_ENOTFOUND);
	kk_store_close(s);
}

Test(report_store, queue_lists_and_filters)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	struct kk_decision accept = { 1, KK_REJECT_NONE, NULL };
	struct kk_queue_page which = { -1, KK_QUEUE_LIMIT_DEFAULT, 1 };
	json_t *list = NULL;
	int64_t total;
	char a[24], b[24];

	unit_submit(s, unit_report_body("product"), a, NULL);
	unit_submit(s, unit_report_body("website"), b, NULL);
	cr_assert_eq(kk_report_decide(s, &intake, a, &accept, NULL, NULL), KK_OK);
	cr_assert_eq(kk_report_list(s, &intake, &which, &list, &total, NULL), KK_OK);
	cr_assert_eq(json_array_size(list), 2);
	cr_assert_eq(total, 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "title")),
			 "Example Corp Example Router 1.2.3");
	json_decref(list);
	which.status = KK_REPORT_RECEIVED;
	cr_assert_eq(kk_report_list(s, &intake, &which, &list, &total, NULL), KK_OK);
	cr_assert_eq(json_array_size(list), 1);
	cr_assert_eq(total, 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "tracking_id")), b);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "title")),
			 "https://www.example.jp/login");
	json_decref(list);
	kk_user_release(&intake);
	kk_store_close(s);
}

Test(report_store, attachments_are_kept_byte_for_byte)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	json_t *b = unit_report_body("product");
	struct kk_report r;
	char id[24];

	json_object_set_new(b, "attachments",
			    json_pack("[{s:s, s:s, s:s}]", "filename", "poc.bin", "content_type",
				      "application/octet-stream", "data_base64", "AAEC/w=="));
	unit_submit(s, b, id, NULL);
	cr_assert_eq(kk_report_get(s, &intake, id, 1, &r, NULL), KK_OK);
	cr_assert_eq(r.n_attachments, 1);
	cr_assert_eq(r.attachments[0].size, 4);
	cr_assert_eq(memcmp(r.attachments[0].data, "\x00\x01\x02\xff", 4), 0);
	cr_assert_str_eq(r.attachments[0].filename, "poc.bin");
	kk_report_release(&r);
	kk_user_release(&intake);
	kk_store_close(s);
}

/* Tracking numbers are random, so several servers draw them without talking to
 * each other; a number already taken is refused by the store without writing
 * anything or spoiling the transaction, and the caller draws again. */
Test(report_store, a_tracking_number_taken_is_refused_cleanly)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = unit_report_body("product");
	struct kk_report r;
	struct kk_tx tx;
	char id[24];

	unit_submit(s, unit_report_body("product"), id, NULL);
	cr_assert_eq(kk_report_from_json(body, &r, &err), KK_OK, "%s", err.msg);
	snprintf(r.tracking_id, sizeof(r.tracking_id), "%s", id);
	snprintf(r.lang, sizeof(r.lang), "en");
	r.status = KK_REPORT_RECEIVED;
	r.received_at = 1;
	cr_assert_eq(kk_tx_begin(s, 1, &tx, NULL), KK_OK);
	cr_assert_eq(kk_reports_insert(&tx, &r, "another-secret-hash", &err), KK_EEXISTS, "%s", err.msg);
	snprintf(r.tracking_id, sizeof(r.tracking_id), "IPA#00000000");
	cr_assert_eq(kk_reports_insert(&tx, &r, "another-secret-hash", &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK, "the transaction goes on after the refusal: %s", err.msg);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports", NULL), 2);
	kk_report_release(&r);
	json_decref(body);
	kk_store_close(s);
}

/* SPEC 1: a finder who refused credit leaves no name to credit behind: the name
 * typed anyway is not stored, so no one sees it. */
Test(report_store, a_name_to_credit_is_kept_only_with_consent_to_credit)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user coord = unit_user(s, "coordinator", "coord@jpcert.example");
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = unit_report_body("product"), *j;
	struct kk_report r;
	char id[24], *text;

	unit_set(body, "consent.credit", json_false());
	unit_set(body, "consent.credit_name", json_string("Secret Handle"));
	unit_submit(s, body, id, NULL);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE credit_name IS NOT NULL", NULL), 0);
	cr_assert_eq(kk_report_get(s, &coord, id, 0, &r, &err), KK_OK, "%s", err.msg);
	j = kk_report_to_json(&r, &coord);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "consent"), "credit_name")), "");
	text = json_dumps(j, 0);
	cr_assert_null(strstr(text, "Secret Handle"));
	free(text);
	json_decref(j);
	kk_report_release(&r);

	unit_submit(s, unit_report_body("product"), id, NULL);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE credit_name = ?", "Taro Yamada"), 1,
		     "with consent the name is kept");
	kk_user_release(&coord);
	kk_store_close(s);
}

/* ---- the queue, in the order of impact, one page at a time (SPEC 2.3) ---- */

#define V98 "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" /* 9.8 */
#define V53 "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N" /* 5.3 */
#define VLOW "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"

/* A product report with the finder's vector (NULL: none), received at `at`:
 * the time is written afterwards, so that reports can share a second. */
static void submit_at(struct kk_store *s, const char *vector, int64_t at, char *id)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = unit_report_body("product");
	struct kk_stmt *st;
	struct kk_tx tx;

	if (vector)
		unit_set(body, "details.cvss_vector", json_string(vector));
	unit_submit(s, body, id, NULL);
	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK, "%s", err.msg);
	st = kk_stmt_prepare(&tx, "UPDATE reports SET received_at = ? WHERE tracking_id = ?", &err);
	cr_assert_not_null(st, "%s", err.msg);
	kk_stmt_bind_int(st, 1, at);
	kk_stmt_bind_text(st, 2, id);
	cr_assert_eq(kk_stmt_once(st, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK, "%s", err.msg);
}

/* Staff's assessment: vector NULL keeps the finder's; the scope factors as named. */
static void assess_as(struct kk_store *s, const struct kk_user *who, const char *id, const char *vector,
		      const char *users, const char *infra, const char *attack)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_assessment a;
	json_t *b = json_pack("{s:s?, s:{s:s, s:s, s:s}}", "cvss_vector", vector, "scope", "users", users,
			      "critical_infrastructure", infra, "attack_public", attack);

	cr_assert_eq(kk_assessment_from_json(b, &a, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_report_assess(s, who, id, &a, NULL, &err), KK_OK, "%s", err.msg);
	json_decref(b);
}

/* Asserts that the queue in status, `limit` at a time, is expected[0..n), in that
 * order, with the right total on every page and an empty page after the last. */
static void assert_pages(struct kk_store *s, const struct kk_user *viewer, int status, int limit,
			 char (*expected)[24], size_t n)
{
	struct kk_error err = KK_ERROR_INIT;
	size_t seen = 0;

	for (int64_t page = 1; page <= (int64_t)(n + limit - 1) / limit + 1; page++) {
		struct kk_queue_page which = { status, limit, page };
		json_t *list = NULL;
		int64_t total = -1;

		cr_assert_eq(kk_report_list(s, viewer, &which, &list, &total, &err), KK_OK, "%s", err.msg);
		cr_assert_eq(total, (int64_t)n, "page %lld: the whole queue's length", (long long)page);
		cr_assert_eq(json_array_size(list), seen + limit <= n ? (size_t)limit : n - seen, "page %lld",
			     (long long)page);
		for (size_t i = 0; i < json_array_size(list); i++, seen++)
			cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, i), "tracking_id")),
					 expected[seen], "page %lld, row %zu", (long long)page, i);
		json_decref(list);
	}
	cr_assert_eq(seen, n);
}

/* SPEC 2.3: high impact first regardless of arrival, then the higher score, then
 * the older (then the one stored first); the database pages it, with and
 * without a status filter, and tells the whole queue's length on every page. */
Test(report_store, the_queue_is_ordered_by_impact_and_paged)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	struct kk_decision accept = { 1, KK_REJECT_NONE, NULL };
	char a[24], b[24], c[24], d[24], e[24], f[24], g[24];

	submit_at(s, NULL, 1000, a);  /* unrated */
	submit_at(s, V98, 1001, b);   /* 9.8, every factor unknown: wide, high */
	submit_at(s, V53, 1002, c);   /* 5.3, wide: high */
	submit_at(s, V53, 1003, d);   /* the same, later */
	submit_at(s, V53, 1003, e);   /* the same second as d, stored after it */
	submit_at(s, NULL, 1004, f);  /* assessed below: low */
	submit_at(s, V98, 1005, g);   /* assessed below: narrow, so medium */
	assess_as(s, &intake, f, VLOW, "few", "no", "no");
	assess_as(s, &intake, g, NULL, "few", "no", "no");

	{
		char all[][24] = { "", "", "", "", "", "", "" };
		const char *order[] = { b, c, d, e, a, g, f };

		for (size_t i = 0; i < 7; i++)
			snprintf(all[i], 24, "%s", order[i]);
		assert_pages(s, &intake, -1, 2, all, 7);
		assert_pages(s, &intake, -1, 3, all, 7);
		assert_pages(s, &intake, -1, KK_QUEUE_LIMIT_MAX, all, 7);
	}
	cr_assert_eq(kk_report_decide(s, &intake, a, &accept, NULL, NULL), KK_OK);
	cr_assert_eq(kk_report_decide(s, &intake, c, &accept, NULL, NULL), KK_OK);
	{
		char accepted[][24] = { "", "" }, received[][24] = { "", "", "", "", "" };
		const char *acc[] = { c, a }, *rec[] = { b, d, e, g, f };

		for (size_t i = 0; i < 2; i++)
			snprintf(accepted[i], 24, "%s", acc[i]);
		for (size_t i = 0; i < 5; i++)
			snprintf(received[i], 24, "%s", rec[i]);
		assert_pages(s, &intake, KK_REPORT_ACCEPTED, 1, accepted, 2);
		assert_pages(s, &intake, KK_REPORT_RECEIVED, 2, received, 5);
		assert_pages(s, &intake, KK_REPORT_REJECTED, 2, NULL, 0);
	}
	kk_user_release(&intake);
	kk_store_close(s);
}

/* SPEC 2.3: a report's place is stored with it, as kk_report_impact decides it:
 * from the finder's vector on submission, from staff's assessment after. */
Test(report_store, the_rank_is_stored_on_submission_and_assessment)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user coord = unit_user(s, "coordinator", "c@jpcert.example");
	const char *rank = "SELECT impact_rank FROM reports WHERE tracking_id = ?";
	const char *score = "SELECT score_tenths FROM reports WHERE tracking_id = ?";
	char id[24], none[24];

	submit_at(s, V53, 1000, id);
	submit_at(s, NULL, 1000, none);
	cr_assert_eq(unit_count(s, rank, id), KK_IMPACT_HIGH);
	cr_assert_eq(unit_count(s, score, id), 53);
	cr_assert_eq(unit_count(s, rank, none), KK_IMPACT_UNRATED);
	cr_assert_eq(unit_count(s, score, none), -1);
	assess_as(s, &coord, id, VLOW, "few", "no", "no");
	cr_assert_eq(unit_count(s, rank, id), KK_IMPACT_LOW);
	cr_assert_eq(unit_count(s, score, id), kk_cvss_v3_base_tenths(VLOW));
	assess_as(s, &coord, id, NULL, "many", "yes", "unknown");
	cr_assert_eq(unit_count(s, rank, id), KK_IMPACT_HIGH, "the finder's 5.3 again, now with a wide scope");
	cr_assert_eq(unit_count(s, score, id), 53);
	kk_user_release(&coord);
	kk_store_close(s);
}

/* Reports stored before the rank columns existed (here: inserted without them,
 * as an older keikai did, so they hold the column's default) are ranked when the
 * store opens, more than one batch of them, and take their place in the queue. */
Test(report_store, reports_stored_before_the_rank_columns_are_ranked_on_opening)
{
	char path[PATH_MAX], newest[24];
	struct kk_store *s = unit_store(path);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	struct kk_queue_page first = { -1, 3, 1 };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report low = { 0 };
	enum kk_scope scope;
	int low_tenths;
	enum kk_impact low_rank;
	json_t *list = NULL;
	int64_t total;
	struct kk_tx tx;

	low.cvss_vector = VLOW;
	low_rank = kk_report_impact(&low, &low_tenths, &scope, NULL);
	submit_at(s, V53, 5000, newest);
	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_exec(&tx,
				"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)"
				" INSERT INTO reports(tracking_id, secret_hash, kind, status, lang, received_at,"
				" share_identity, direct_contact, credit, summary, environment, steps, result,"
				" cvss_vector, reported_elsewhere, vendor_told_directly, wants_final_result,"
				" encrypted_contact)"
				" SELECT 'OLD#' || i, 'old-secret-' || i, 'product', 'received', 'ja', 1000 + i,"
				" 0, 0, 0, 's', 'e', 'st', 'r',"
				" CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN '" V98 "' ELSE '" VLOW "' END,"
				" 0, 0, 0, 0 FROM n",
				&err),
		     KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE impact_rank = -1", NULL), 600);
	kk_store_close(s);

	cr_assert_eq(kk_store_open(path, 0, &s, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE impact_rank = -1", NULL), 0);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE cvss_vector IS NULL"
				   " AND impact_rank = 2 AND score_tenths = -1", NULL), 200);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE cvss_vector = '" V98 "'"
				   " AND impact_rank = 3 AND score_tenths = 98", NULL), 200);
	{
		char sql[160];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM reports WHERE cvss_vector = '%s'"
			 " AND impact_rank = %d AND score_tenths = %d", VLOW, (int)low_rank, low_tenths);
		cr_assert_eq(unit_count(s, sql, NULL), 200);
	}
	/* high first: the oldest two 9.8s, then the 5.3 stored after the upgrade */
	cr_assert_eq(kk_report_list(s, &intake, &first, &list, &total, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(total, 601);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "tracking_id")), "OLD#1");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 1), "tracking_id")), "OLD#4");
	json_decref(list);
	first.page = 67; /* the 9.8s fill 200 rows: rows 199 to 201 are the last two of them and the 5.3 */
	cr_assert_eq(kk_report_list(s, &intake, &first, &list, &total, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 2), "tracking_id")), newest);
	json_decref(list);
	kk_user_release(&intake);
	kk_store_close(s);
}

/* The fronts' paging parameters: whole numbers in range, or a field error named
 * after the parameter; nothing given is the first page of 50. */
Test(report_store, paging_parameters_are_whole_numbers_in_range)
{
	static const char *const bad_limits[] = { "0", "201", "-1", "+5", " 5", "5 ", "1.5", "abc", "0x10",
						   "99999999999999999999" };
	struct kk_queue_page which = { -1, 0, 0 };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s;
	struct kk_user intake;
	json_t *list = NULL;
	int64_t total;

	cr_assert_eq(kk_queue_page_parse(NULL, NULL, &which, &err), KK_OK);
	cr_assert_eq(which.limit, KK_QUEUE_LIMIT_DEFAULT);
	cr_assert_eq(which.limit, 50);
	cr_assert_eq(which.page, 1);
	cr_assert_eq(kk_queue_page_parse("", "", &which, &err), KK_OK);
	cr_assert_eq(kk_queue_page_parse("200", "1000000", &which, &err), KK_OK);
	cr_assert_eq(which.limit, 200);
	cr_assert_eq(which.page, 1000000);
	cr_assert_eq(kk_queue_page_parse("007", "2", &which, &err), KK_OK);
	cr_assert_eq(which.limit, 7);
	for (size_t i = 0; i < sizeof(bad_limits) / sizeof(bad_limits[0]); i++) {
		cr_assert_eq(kk_queue_page_parse(bad_limits[i], "1", &which, &err), KK_EINVAL, "%s", bad_limits[i]);
		cr_assert_str_eq(json_string_value(json_object_get(err.fields, "limit")),
				 "Must be a whole number from 1 to 200.", "%s", bad_limits[i]);
		cr_assert_null(json_object_get(err.fields, "page"));
		kk_error_clear(&err);
	}
	cr_assert_eq(kk_queue_page_parse("10", "0", &which, &err), KK_EINVAL);
	cr_assert_str_eq(json_string_value(json_object_get(err.fields, "page")),
			 "Must be a whole number from 1 to 1000000.");
	kk_error_clear(&err);
	cr_assert_eq(kk_queue_page_parse("x", "1000001", &which, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "limit"), "both are named");
	cr_assert_not_null(json_object_get(err.fields, "page"));
	kk_error_clear(&err);

	/* the core refuses a page out of range however it was made */
	s = unit_store(NULL);
	intake = unit_user(s, "intake", "i@ipa.example");
	which = (struct kk_queue_page){ -1, KK_QUEUE_LIMIT_MAX + 1, 1 };
	cr_assert_eq(kk_report_list(s, &intake, &which, &list, &total, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "limit"));
	cr_assert_null(list);
	kk_error_clear(&err);
	which = (struct kk_queue_page){ -1, 1, 0 };
	cr_assert_eq(kk_report_list(s, &intake, &which, &list, &total, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "page"));
	kk_error_release(&err);
	kk_user_release(&intake);
	kk_store_close(s);
}
