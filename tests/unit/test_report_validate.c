/* Unit tests of report validation (lib/report/report.c): SPEC 2.1 and 3.1, every item the
 * guideline requires, every malformed value named by its field path. */
#include <criterion/criterion.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "unit.h"

static void setup(void)
{
	kk_i18n_init();
	kk_i18n_use(KK_LANG_EN);
}

TestSuite(validate, .init = setup);

/* Validates body and asserts the result names `path` (or is OK when path is NULL). */
static void expect(json_t *body, const char *path)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	enum kk_result res = kk_report_from_json(body, &r, &err);

	if (!path) {
		cr_assert_eq(res, KK_OK, "expected valid, got %s (%s)", err.msg,
			     err.fields ? json_dumps(err.fields, 0) : "");
	} else {
		cr_assert_eq(res, KK_EINVAL, "expected an error on %s", path);
		cr_assert_not_null(json_object_get(err.fields, path), "no error on %s: %s", path,
				   err.fields ? json_dumps(err.fields, 0) : "{}");
		cr_assert_gt(strlen(json_string_value(json_object_get(err.fields, path))), 0);
	}
	kk_report_release(&r);
	kk_error_release(&err);
	json_decref(body);
}

Test(validate, good_reports_of_both_kinds)
{
	expect(unit_report_body("product"), NULL);
	expect(unit_report_body("website"), NULL);
}

/* SPEC 2.1 ア–ケ, SPEC 3.1: every required item, missing in turn. */
Test(validate, every_required_item_missing_in_turn)
{
	static const char *const common[] = {
		"kind", "finder.name", "finder.email", "consent.share_identity", "consent.direct_contact",
		"consent.credit", "details.summary", "details.environment", "details.steps", "details.result",
		"other_reports.reported_elsewhere", "other_reports.vendor_told_directly", "wants_final_result",
		"encrypted_contact",
	};

	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
		json_t *b = unit_report_body("product");

		unit_set(b, common[i], NULL);
		expect(b, common[i]);
	}
	{
		json_t *b = unit_report_body("product");
		unit_set(b, "product.name", NULL);
		expect(b, "product.name");
	}
	{
		json_t *b = unit_report_body("website");
		unit_set(b, "website.url", NULL);
		expect(b, "website.url");
	}
	{
		json_t *b = unit_report_body("product");
		unit_set(b, "finder.name", json_string("   "));
		expect(b, "finder.name");
	}
}

Test(validate, conditional_items)
{
	json_t *b = unit_report_body("product");
	char *key;

	unit_set(b, "consent.credit_name", json_string(""));
	expect(b, "consent.credit_name");

	b = unit_report_body("product");
	unit_set(b, "other_reports.reported_elsewhere", json_true());
	expect(b, "other_reports.to_whom");

	b = unit_report_body("product");
	unit_set(b, "other_reports.vendor_told_directly", json_true());
	unit_set(b, "other_reports.coordinated_by", NULL);
	expect(b, "other_reports.coordinated_by");

	b = unit_report_body("product");
	unit_set(b, "other_reports.vendor_told_directly", json_true());
	unit_set(b, "other_reports.coordinated_by", json_string("nobody"));
	expect(b, "other_reports.coordinated_by");

	b = unit_report_body("product");
	unit_set(b, "encrypted_contact", json_true());
	expect(b, "finder.pgp_key");

	b = unit_report_body("product");
	unit_set(b, "encrypted_contact", json_true());
	/* issue 11: a key gpg reads and can encrypt to */
	key = unit_read_source("tests/data/pgp/finder.asc");
	unit_set(b, "finder.pgp_key", json_string(key));
	free(key);
	expect(b, NULL);

	/* issue 11: an armoured block that holds no key is refused */
	b = unit_report_body("product");
	unit_set(b, "finder.pgp_key", json_string("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ==\n"
						  "-----END PGP PUBLIC KEY BLOCK-----\n"));
	expect(b, "finder.pgp_key");
}

Test(validate, malformed_values)
{
	struct {
		const char *path;
		json_t *value;
	} cases[] = {
		{ "kind", json_string("hardware") },
		{ "finder.email", json_string("taro at example.jp") },
		{ "consent.credit", json_string("yes") },
		{ "consent.share_identity", json_integer(1) },
		{ "finder.name", json_string("a\x01" "b") },
		{ "details.summary", json_integer(3) },
		{ "finder.pgp_key", json_string("not a key") },
		{ "details.cvss_vector", json_string("CVSS:9.9/AV:N") },
		{ "details.cvss_vector", json_string("AV:N/AC:") },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *b = unit_report_body("product");

		unit_set(b, cases[i].path, cases[i].value);
		expect(b, cases[i].path);
	}
	{
		json_t *b = unit_report_body("product");
		char name[202];

		memset(name, 'a', 201);
		name[201] = '\0';
		unit_set(b, "finder.name", json_string(name));
		expect(b, "finder.name");
	}
	{
		/* 200 characters of Japanese is within the cap: characters, not bytes */
		json_t *b = unit_report_body("product");
		struct kk_buf name;

		kk_buf_init(&name, 4096);
		for (int i = 0; i < 200; i++)
			kk_buf_adds(&name, "山");
		unit_set(b, "finder.name", json_string(name.data));
		kk_buf_release(&name);
		expect(b, NULL);
	}
	{
		json_t *b = unit_report_body("product");
		json_object_set_new(b, "finder", json_string("me"));
		expect(b, "finder");
	}
}

Test(validate, website_urls)
{
	static const char *const bad[] = { "javascript:alert(1)", "ftp://example.jp/", "https://", "https:///x",
					   "example.jp", "https://exa mple.jp/" };
	static const char *const good[] = { "https://www.example.jp/login", "http://localhost:8080/",
					    "https://例え.jp/" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *b = unit_report_body("website");
		unit_set(b, "website.url", json_string(bad[i]));
		expect(b, "website.url");
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		json_t *b = unit_report_body("website");
		unit_set(b, "website.url", json_string(good[i]));
		expect(b, NULL);
	}
}

static json_t *attachment(const char *name, const char *type, const char *data)
{
	return json_pack("{s:s, s:s, s:s}", "filename", name, "content_type", type, "data_base64", data);
}

Test(validate, attachments)
{
	json_t *b = unit_report_body("product"), *list;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;

	json_object_set_new(b, "attachments", json_pack("[o]", attachment("poc.txt", "text/plain", "aGVsbG8=")));
	cr_assert_eq(kk_report_from_json(b, &r, &err), KK_OK);
	cr_assert_eq(r.n_attachments, 1);
	cr_assert_eq(r.attachments[0].size, 5);
	cr_assert_str_eq(r.attachments[0].sha256,
			 "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	kk_report_release(&r);
	json_decref(b);

	b = unit_report_body("product");
	json_object_set_new(b, "attachments", json_pack("[o]", attachment("../poc.txt", "text/plain", "aGVsbG8=")));
	expect(b, "attachments[0].filename");

	/* "inv\u202etxt.exe" would show as "invexe.txt" (issue 7) */
	b = unit_report_body("product");
	json_object_set_new(b, "attachments", json_pack("[o]", attachment("inv\xe2\x80\xaetxt.exe", "text/plain", "aGVsbG8=")));
	expect(b, "attachments[0].filename");

	b = unit_report_body("product");
	json_object_set_new(b, "attachments", json_pack("[o]", attachment("poc.txt", "text", "aGVsbG8=")));
	expect(b, "attachments[0].content_type");

	b = unit_report_body("product");
	json_object_set_new(b, "attachments", json_pack("[o]", attachment("poc.txt", "text/plain", "%%%")));
	expect(b, "attachments[0].data_base64");

	b = unit_report_body("product");
	list = json_array();
	for (int i = 0; i <= KK_ATTACHMENTS_MAX_COUNT; i++)
		json_array_append_new(list, attachment("a.txt", "text/plain", "aGVsbG8="));
	json_object_set_new(b, "attachments", list);
	expect(b, "attachments");

	b = unit_report_body("product");
	json_object_set_new(b, "attachments", json_string("poc.txt"));
	expect(b, "attachments");
}

Test(validate, body_must_be_an_object)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	json_t *b = json_array();

	cr_assert_eq(kk_report_from_json(b, &r, &err), KK_EINVAL);
	cr_assert_neq(err.msg[0], '\0');
	json_decref(b);
	kk_error_release(&err);
}

/* Bad input is answered in the user's language. */
Test(validate, messages_follow_the_thread_language)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report r;
	json_t *b = unit_report_body("product");
	const char *msg;

	unit_set(b, "finder.email", json_string("broken"));
	kk_i18n_use(KK_LANG_JA);
	kk_report_from_json(b, &r, &err);
	msg = json_string_value(json_object_get(err.fields, "finder.email"));
	cr_assert_not_null(msg);
	cr_assert(strcmp(msg, "Not a valid e-mail address.") != 0, "Japanese expected, got %s", msg);
	cr_assert((unsigned char)msg[0] >= 0x80, "Japanese expected, got %s", msg);
	kk_report_release(&r);
	kk_error_release(&err);
	json_decref(b);
}

Test(validate, decisions)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_decision d;
	json_t *b;

	b = json_pack("{s:s}", "decision", "accept");
	cr_assert_eq(kk_decision_from_json(b, &d, &err), KK_OK);
	cr_assert(d.accept);
	json_decref(b);

	b = json_pack("{s:s, s:s, s:s}", "decision", "reject", "reason", "already_known", "note", "see JVN#1");
	cr_assert_eq(kk_decision_from_json(b, &d, &err), KK_OK);
	cr_assert_eq(d.reason, KK_REJECT_ALREADY_KNOWN);
	cr_assert_str_eq(d.note, "see JVN#1");
	json_decref(b);

	b = json_pack("{s:s}", "decision", "reject");
	cr_assert_eq(kk_decision_from_json(b, &d, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "reason"));
	json_decref(b);
	kk_error_clear(&err);

	b = json_pack("{s:s, s:s}", "decision", "accept", "reason", "incomplete");
	cr_assert_eq(kk_decision_from_json(b, &d, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "reason"));
	json_decref(b);
	kk_error_clear(&err);

	b = json_pack("{s:s}", "decision", "maybe");
	cr_assert_eq(kk_decision_from_json(b, &d, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "decision"));
	json_decref(b);
	kk_error_clear(&err);

	b = json_pack("{s:s, s:s}", "decision", "reject", "reason", "boring");
	cr_assert_eq(kk_decision_from_json(b, &d, &err), KK_EINVAL);
	json_decref(b);
	kk_error_release(&err);
}
