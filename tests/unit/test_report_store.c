/* Unit tests of lib/report_store.c against a real database (SQLite or PostgreSQL): durable submission,
 * acknowledgement, triage (SPEC 2.2), and who sees what (SPEC 1). */
#include <criterion/criterion.h>
#include <limits.h>
#include <regex.h>
#include <string.h>

#include "keikai/audit.h"
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
	struct kk_report r;
	json_t *list = NULL;
	char id[24];

	unit_submit(s, unit_report_body("product"), id, NULL);
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		char email[64];
		struct kk_user u;

		snprintf(email, sizeof(email), "%s@x.example", roles[i]);
		u = unit_user(s, roles[i], email);
		cr_assert_eq(kk_report_get(s, &u, id, 0, &r, NULL), KK_ENOTFOUND, "%s", roles[i]);
		cr_assert_eq(kk_report_list(s, &u, -1, &list, NULL), KK_EDENIED, "%s", roles[i]);
		cr_assert_null(list);
		cr_assert_not(kk_report_may_download(&u));
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
	json_t *list = NULL;
	char a[24], b[24];

	unit_submit(s, unit_report_body("product"), a, NULL);
	unit_submit(s, unit_report_body("website"), b, NULL);
	cr_assert_eq(kk_report_decide(s, &intake, a, &accept, NULL, NULL), KK_OK);
	cr_assert_eq(kk_report_list(s, &intake, -1, &list, NULL), KK_OK);
	cr_assert_eq(json_array_size(list), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "title")),
			 "Example Corp Example Router 1.2.3");
	json_decref(list);
	cr_assert_eq(kk_report_list(s, &intake, KK_REPORT_RECEIVED, &list, NULL), KK_OK);
	cr_assert_eq(json_array_size(list), 1);
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
