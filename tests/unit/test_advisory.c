/*
 * test_advisory.c: writing an advisory (lib/advisory/; issue 12, SPEC 6,
 * SPEC 1) through the real core on the engine under test: every member of
 * the content checked with a field error naming it and nothing stored on a
 * fault, Markdown refused where it carries raw HTML or a bad link, unknown
 * members refused so a PoC has no place to go, the canonical content and the
 * computed scores, approval wanting every item in both languages, saving and
 * revising by state, every revision kept, the vendors' comments, who reads
 * and writes the draft (what is denied looks missing), and the public IDs'
 * form. test_advisory_publish.c publishes; test_flow.c walks the table.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisory_world.h"
#include "keikai/cwe.h"
#include "keikai/settings.h"
#include "keikai/settings_keys.h"

static int has_field(const struct kk_error *err, const char *path)
{
	return err->fields && json_object_get(err->fields, path) != NULL;
}

static const char *field(const struct kk_error *err, const char *path)
{
	return err->fields ? json_string_value(json_object_get(err->fields, path)) : NULL;
}

/* A save of text by the coordinator that must fail with a field error on
 * path, and store nothing. */
static void refused(struct aw *w, const char *text, const char *path)
{
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(aw_call(w, kk_advisory_save, &w->p.coord, text, NULL, &err), KK_EINVAL, "%s was taken", text);
	if (path)
		cr_assert(has_field(&err, path), "%s: no field error on %s (%s)", text, path, err.msg);
	else
		cr_assert_str_eq(err.msg, "The body must be a JSON object.");
	cr_assert_eq(unit_count(w->p.s, "SELECT COUNT(*) FROM advisories", NULL), 0, "%s stored something", text);
	cr_assert_eq(unit_count(w->p.s, "SELECT COUNT(*) FROM advisory_revisions", NULL), 0);
	kk_error_release(&err);
}

/* SPEC 6, SPEC 1: every member is checked, each fault names its member */
Test(advisory, every_member_is_checked_and_nothing_half_stored)
{
	struct aw w;

	aw_setup(&w, 1);
	refused(&w, "[]", NULL);
	refused(&w, "{\"texts\": {\"ja\": {\"title\": \"a\\nb\"}}}", "texts.ja.title");
	refused(&w, "{\"texts\": {\"en\": {\"title\": 7}}}", "texts.en.title");
	refused(&w, "{\"texts\": {\"fr\": {\"title\": \"x\"}}}", "texts.fr");
	refused(&w, "{\"texts\": [\"x\"]}", "texts");
	refused(&w, "{\"cvss3\": \"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}", "cvss3");
	refused(&w, "{\"cvss3\": \"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"}", "cvss3");
	refused(&w, "{\"cvss4\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}", "cvss4");
	refused(&w, "{\"references\": [{\"title\": \"x\", \"url\": \"javascript:alert(1)\"}]}", "references[0].url");
	refused(&w, "{\"references\": [{\"title\": \"x\", \"url\": \"ftp://example.jp/a\"}]}", "references[0].url");
	refused(&w, "{\"references\": [{\"url\": \"https://example.jp/\"}]}", "references[0].title");
	refused(&w, "{\"references\": [{\"title\": \"x\", \"url\": \"https://example.jp/\", \"poc\": \"x\"}]}",
		"references[0].poc");
	refused(&w, "{\"references\": \"https://example.jp/\"}", "references");
	refused(&w, "{\"cves\": [\"CVE-27-1234\"]}", "cves[0]");
	refused(&w, "{\"cves\": [\"CVE-2027-123\"]}", "cves[0]");
	refused(&w, "{\"cves\": [\"CVE-2027-1234\", \"CVE-2027-1234\"]}", "cves[1]");
	refused(&w, "{\"cwes\": [\"CWE-0\"]}", "cwes[0]");
	refused(&w, "{\"cwes\": [\"NVD-CWE-Other\"]}", "cwes[0]");
	refused(&w, "{\"cpes\": [\"cpe:2.3:x:bad\"]}", "cpes[0]");
	refused(&w, "{\"kind\": \"jvnx\"}", "kind");
	aw_teardown(&w);
}

/* SPEC 1: attack methods, PoC and verification steps have no member, so an
 * unknown one -- in a language's texts or at the top -- is refused */
Test(advisory, a_poc_has_no_place)
{
	struct kk_error err = KK_ERROR_INIT;
	struct aw w;

	aw_setup(&w, 1);
	refused(&w, "{\"texts\": {\"ja\": {\"poc\": \"curl http://target/?q=<script>\"}}}", "texts.ja.poc");
	refused(&w, "{\"texts\": {\"en\": {\"verification\": \"run this\"}}}", "texts.en.verification");
	refused(&w, "{\"attack\": \"step 1\"}", "attack");
	/* every fault of one body is named at once */
	cr_assert_eq(aw_call(&w, kk_advisory_save, &w.p.coord,
			     "{\"poc\": 1, \"texts\": {\"en\": {\"steps\": \"x\"}}, \"cves\": [\"x\"]}", NULL, &err),
		     KK_EINVAL);
	cr_assert(has_field(&err, "poc") && has_field(&err, "texts.en.steps") && has_field(&err, "cves[0]"));
	cr_assert_not_null(strstr(field(&err, "poc"), "never published"), "%s", field(&err, "poc"));
	kk_error_release(&err);
	aw_teardown(&w);
}

/* issue 12: Markdown with raw HTML or a link that is not http(s) is refused,
 * naming the member (markdown.h) */
Test(advisory, markdown_refusals_name_the_member)
{
	struct aw w;

	aw_setup(&w, 1);
	refused(&w, "{\"texts\": {\"ja\": {\"overview\": \"<script>alert(1)</script>\"}}}", "texts.ja.overview");
	refused(&w, "{\"texts\": {\"en\": {\"impact\": \"x <img src=x onerror=alert(1)>\"}}}", "texts.en.impact");
	refused(&w, "{\"texts\": {\"en\": {\"contact\": \"[mail](javascript:alert(1))\"}}}", "texts.en.contact");
	refused(&w, "{\"texts\": {\"ja\": {\"description\": \"![x](https://example.jp/x.png)\"}}}",
		"texts.ja.description");
	aw_teardown(&w);
}

/* SPEC 6 (5), (8): vectors canonical and scored, never typed; CWE numbers;
 * CPE names as 2.3 strings */
Test(advisory, content_is_canonical_and_scored)
{
	struct aw w;
	json_t *a, *c, *r;

	aw_setup(&w, 1);
	aw_ok(&w, kk_advisory_save, &w.p.coord, AW_FULL);
	a = aw_get(&w, &w.p.coord);
	c = json_object_get(a, "content");
	r = json_object_get(a, "rendered");
	cr_assert(json_is_true(json_object_get(a, "exists")));
	cr_assert_str_eq(aw_str(a, "state", NULL), "draft");
	cr_assert_eq(json_integer_value(json_object_get(a, "revision")), 1);
	cr_assert_str_eq(aw_str(c, "cvss3", NULL), "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N");
	cr_assert_float_eq(json_real_value(json_object_get(json_object_get(r, "cvss3"), "score")), 6.1, 1e-9);
	cr_assert_str_eq(aw_str(json_object_get(r, "cvss3"), "severity", NULL), "Medium");
	cr_assert(json_is_object(json_object_get(r, "cvss4")));
	cr_assert_eq(json_integer_value(json_array_get(json_object_get(c, "cwes"), 0)), 79);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "cpes"), 0)),
			 "cpe:2.3:o:example:router:2.0.0:*:*:*:*:*:*:*");
	cr_assert_str_eq(aw_str(json_array_get(json_object_get(r, "cwes"), 0), "id", NULL), "CWE-79");
	cr_assert_str_eq(aw_str(json_array_get(json_object_get(c, "references"), 0), "url", NULL),
			 "https://example.jp/sa/2027-01");
	/* (9) derived: the finder consented to credit */
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(r, "acknowledgements"), 0)), "Taro Yamada");
	/* Markdown rendered, links kept */
	cr_assert_not_null(strstr(aw_str(json_object_get(json_object_get(r, "texts"), "ja"), "affected", NULL), "<li>"));
	cr_assert_not_null(
		strstr(aw_str(json_object_get(json_object_get(r, "texts"), "en"), "contact", NULL), "href=\"https://example.jp/psirt\""));
	cr_assert_eq(unit_count(w.p.s, "SELECT cvss3_tenths FROM advisories", NULL), 61);
	json_decref(a);
	aw_teardown(&w);
}

/* SPEC 1, 2.1 (オ): no credit without the finder's consent */
Test(advisory, acknowledgements_only_with_consent)
{
	struct aw w;
	json_t *a;

	aw_setup(&w, 0);
	aw_ok(&w, kk_advisory_save, &w.p.coord, AW_FULL);
	a = aw_get(&w, &w.p.coord);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(a, "rendered"), "acknowledgements")), 0);
	json_decref(a);
	aw_teardown(&w);
}

/* issue 12: XSS strings in every text member are data: stored as written,
 * and the Markdown members' HTML escapes them */
Test(advisory, xss_strings_are_data)
{
	static const char xss[] = "\\\"><svg onload=alert(1)> a < b & 'c'";
	char body[2048];
	struct aw w;
	json_t *a, *t;

	aw_setup(&w, 1);
	snprintf(body, sizeof(body),
		 "{\"texts\": {\"en\": {\"title\": \"%s\", \"overview\": \"`%s`\", \"description\": \"    %s\"},"
		 " \"ja\": {\"impact\": \"x &lt; \\\\<b\\\\>\"}}}",
		 xss, xss, xss);
	aw_ok(&w, kk_advisory_save, &w.p.coord, body);
	a = aw_get(&w, &w.p.coord);
	t = json_object_get(json_object_get(json_object_get(a, "content"), "texts"), "en");
	cr_assert_str_eq(aw_str(t, "title", NULL), "\"><svg onload=alert(1)> a < b & 'c'");
	t = json_object_get(json_object_get(json_object_get(a, "rendered"), "texts"), "en");
	cr_assert_null(strstr(aw_str(t, "overview", NULL), "<svg"), "%s", aw_str(t, "overview", NULL));
	cr_assert_not_null(strstr(aw_str(t, "overview", NULL), "&lt;svg"), "%s", aw_str(t, "overview", NULL));
	cr_assert_null(strstr(aw_str(t, "description", NULL), "<svg"));
	t = json_object_get(json_object_get(json_object_get(a, "rendered"), "texts"), "ja");
	cr_assert_null(strstr(aw_str(t, "impact", NULL), "<b>"), "%s", aw_str(t, "impact", NULL));
	json_decref(a);
	aw_teardown(&w);
}

/* SPEC 6: approval wants every item but the workarounds in both languages */
Test(advisory, approve_wants_every_item_in_both_languages)
{
	struct kk_error err = KK_ERROR_INIT;
	struct aw w;
	json_t *a;

	aw_setup(&w, 1);
	aw_ok(&w, kk_advisory_save, &w.p.coord, "{\"texts\": {\"ja\": {\"title\": \"題名\"}}}");
	cr_assert_eq(aw_event(&w, &w.p.coord, "approve", "{}", NULL, &err), KK_EINVAL);
	cr_assert(has_field(&err, "texts.en.title") && has_field(&err, "texts.ja.overview") &&
		  has_field(&err, "texts.en.contact"));
	cr_assert_not(has_field(&err, "texts.ja.title"));
	cr_assert_not(has_field(&err, "texts.ja.workarounds"));
	aw_ok(&w, kk_advisory_save, &w.p.coord, AW_FULL);
	cr_assert_eq(aw_event(&w, &w.p.coord, "approve", "{\"note\": \"Checked.\"}", &a, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(aw_str(a, "state", NULL), "approved");
	json_decref(a);
	kk_error_release(&err);
	aw_teardown(&w);
}

/* the draft changes only as a draft; every save is a revision kept */
Test(advisory, saves_by_state_and_revisions_kept)
{
	struct kk_error err = KK_ERROR_INIT;
	struct aw w;
	json_t *a;

	aw_setup(&w, 1);
	/* nothing to approve yet */
	cr_assert_eq(aw_event(&w, &w.p.coord, "approve", "{}", NULL, &err), KK_ECONFLICT);
	aw_ok(&w, kk_advisory_save, &w.p.coord, "{\"texts\": {\"en\": {\"title\": \"First\"}}}");
	aw_ok(&w, kk_advisory_save, &w.p.coord, AW_FULL);
	cr_assert_eq(aw_event(&w, &w.p.coord, "approve", "{}", NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(aw_call(&w, kk_advisory_save, &w.p.coord, AW_FULL, NULL, &err), KK_ECONFLICT);
	cr_assert_eq(aw_event(&w, &w.p.coord, "approve", "{}", NULL, &err), KK_ECONFLICT);
	/* revise is for a published advisory */
	cr_assert_eq(aw_event(&w, &w.p.coord, "revise", AW_FULL, NULL, &err), KK_EINVAL); /* no note */
	cr_assert(has_field(&err, "note_ja"));
	cr_assert_eq(aw_event(&w, &w.p.coord, "withdraw", "{\"note\": \"One more change.\"}", NULL, &err), KK_OK,
		     "%s", err.msg);
	aw_ok(&w, kk_advisory_save, &w.p.coord, "{\"texts\": {\"en\": {\"title\": \"Third\"}}, \"note\": \"why\"}");
	a = aw_get(&w, &w.p.coord);
	cr_assert_str_eq(aw_str(a, "state", NULL), "draft");
	cr_assert_eq(json_integer_value(json_object_get(a, "revision")), 3);
	cr_assert_eq(json_array_size(json_object_get(a, "revisions")), 3);
	cr_assert_str_eq(aw_str(json_array_get(json_object_get(a, "revisions"), 2), "note", NULL), "why");
	cr_assert_str_eq(aw_str(json_array_get(json_object_get(a, "revisions"), 2), "by", NULL), "Test User");
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM advisory_revisions", NULL), 3);
	/* the first revision is kept as it was saved */
	cr_assert_eq(unit_count(w.p.s,
				"SELECT COUNT(*) FROM advisory_revisions WHERE number = 1 AND content LIKE ?",
				"%\"title\":\"First\"%"),
		     1);
	/* the audit trail: three saves, an approval, a withdrawal */
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM audit WHERE object_type = 'advisory'", NULL), 5);
	json_decref(a);
	kk_error_release(&err);
	aw_teardown(&w);
}

/* SPEC 6 (6), (7): the coordinator's first draft starts from the vendors'
 * countermeasures and the case's vulnerabilities; no one else gets it */
Test(advisory, first_draft_is_prefilled_for_the_coordinator)
{
	struct kk_error err = KK_ERROR_INIT;
	struct aw w;
	json_t *a, *t, *b = unit_json("{\"cwe\": 79, \"cve\": \"CVE-2027-12345\","
				      " \"cvss3\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N\"}"), *o = NULL;

	aw_setup(&w, 1);
	cr_assert_eq(kk_case_vuln_update(w.p.s, &w.p.coord, w.ref, 1, b, &o, &err), KK_OK, "%s", err.msg);
	json_decref(o);
	json_decref(b);
	a = aw_get(&w, &w.p.coord);
	cr_assert(json_is_false(json_object_get(a, "exists")));
	t = json_object_get(json_object_get(json_object_get(a, "content"), "texts"), "en");
	cr_assert_not_null(strstr(aw_str(t, "countermeasures", NULL), "**Example Corp**"), "%s",
			   aw_str(t, "countermeasures", NULL));
	cr_assert_not_null(strstr(aw_str(t, "countermeasures", NULL), "Example Router: fixed in 2.0.1"));
	cr_assert_not_null(strstr(aw_str(t, "countermeasures", NULL), "<https://example.jp/sa/2027-01>"));
	cr_assert_not_null(strstr(aw_str(t, "workarounds", NULL), "Keep the console off the Internet."));
	t = json_object_get(json_object_get(json_object_get(a, "content"), "texts"), "ja");
	cr_assert_not_null(strstr(aw_str(t, "countermeasures", NULL), "修正版 2.0.1"));
	cr_assert_not_null(strstr(aw_str(t, "workarounds", NULL), "管理画面を外部に公開しない。"));
	cr_assert_eq(json_integer_value(json_array_get(json_object_get(json_object_get(a, "content"), "cwes"), 0)), 79);
	cr_assert_str_eq(aw_str(json_object_get(a, "content"), "cvss3", NULL),
			 "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N");
	/* the pre-filled draft saves as it is */
	cr_assert_eq(kk_advisory_save(w.p.s, &w.p.coord, w.ref, json_object_get(a, "content"), NULL, &err), KK_OK,
		     "%s", err.msg);
	json_decref(a);
	/* nothing pre-filled for a reader who does not write it */
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM advisories", NULL), 1);
	kk_error_release(&err);
	aw_teardown(&w);
}

/* SPEC 1, 6: who reads and writes the draft; what is denied looks missing */
Test(advisory, the_draft_to_each_party)
{
	struct kk_error err = KK_ERROR_INIT, missing = KK_ERROR_INIT;
	struct kk_user fourth, outsider;
	struct aw w;
	json_t *a, *out = NULL;
	char *text;

	aw_setup(&w, 1);
	aw_vendor(&w, "{\"name_en\": \"Outsider Corp\"}", "psirt@outsider.example.jp", &outsider);
	fourth = unit_vendor_user(w.p.s, w.fourth_vid, "psirt@fourth-user.example.jp");
	aw_ok(&w, kk_advisory_save, &w.p.coord, AW_FULL);
	/* staff: every vendor, the acknowledgements, the revisions */
	for (int i = 0; i < 3; i++) {
		const struct kk_user *u = i == 0 ? &w.p.intake : i == 1 ? &w.p.coord : &w.p.admin;

		a = aw_get(&w, u);
		cr_assert_eq(json_array_size(json_object_get(json_object_get(a, "rendered"), "vendors")), 3, "%s", u->email);
		cr_assert_eq(json_array_size(json_object_get(json_object_get(a, "rendered"), "acknowledgements")), 1);
		cr_assert_eq(json_array_size(json_object_get(a, "revisions")), 1);
		cr_assert_eq(json_is_true(json_object_get(json_object_get(a, "may"), "write")), i == 1);
		json_decref(a);
	}
	/* a notified vendor previews: its own entry only, no credit yet (SPEC 1) */
	a = aw_get(&w, &w.third);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(a, "rendered"), "vendors")), 1);
	cr_assert_eq(json_integer_value(json_object_get(
			     json_array_get(json_object_get(json_object_get(a, "rendered"), "vendors"), 0), "vendor_id")),
		     w.third_vid);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(a, "rendered"), "acknowledgements")), 0);
	cr_assert_eq(json_array_size(json_object_get(a, "revisions")), 0);
	cr_assert(json_is_true(json_object_get(json_object_get(a, "may"), "comment")));
	text = kk_json_dumps(a, 0);
	cr_assert_null(strstr(text, "Taro Yamada"));
	cr_assert_null(strstr(text, "Other Corp"), "Third Corp sees another vendor");
	cr_assert_null(strstr(text, "NOTEMARK"));
	free(text);
	json_decref(a);
	/* SPEC 1: a vendor not notified, one not on the case, an operator, the
	 * public: the case does not exist -- the same answer as a missing case */
	cr_assert_eq(kk_advisory_get(w.p.s, &w.p.coord, "VU#000000", &out, &missing), KK_ENOTFOUND);
	for (int i = 0; i < 4; i++) {
		const struct kk_user *u = i == 0 ? &fourth : i == 1 ? &outsider : i == 2 ? &w.p.operator : &kk_anonymous;
		char want[300];

		kk_error_release(&err);
		cr_assert_eq(kk_advisory_get(w.p.s, u, w.ref, &out, &err), KK_ENOTFOUND, "%d", i);
		cr_assert_null(out);
		snprintf(want, sizeof(want), "There is no case %s.", w.ref);
		cr_assert_str_eq(err.msg, want);
		cr_assert_eq(aw_call(&w, kk_advisory_save, u, AW_FULL, NULL, &err), KK_ENOTFOUND, "%d", i);
		cr_assert_eq(aw_call(&w, kk_advisory_comment, u, "{\"body\": \"x\"}", NULL, &err), KK_ENOTFOUND, "%d", i);
	}
	/* only the coordinator writes: staff and vendors who read are refused */
	cr_assert_eq(aw_call(&w, kk_advisory_save, &w.p.intake, AW_FULL, NULL, &err), KK_EDENIED);
	cr_assert_eq(aw_call(&w, kk_advisory_save, &w.p.vendor, AW_FULL, NULL, &err), KK_EDENIED);
	cr_assert_eq(aw_event(&w, &w.p.vendor, "approve", "{}", NULL, &err), KK_EDENIED);
	cr_assert_eq(aw_event(&w, &w.p.admin, "approve", "{}", NULL, &err), KK_EDENIED);
	cr_assert_eq(aw_call(&w, kk_advisory_comment, &w.p.coord, "{\"body\": \"x\"}", NULL, &err), KK_EDENIED);
	cr_assert_eq(unit_count(w.p.s, "SELECT revision FROM advisories", NULL), 1);
	kk_user_release(&fourth);
	kk_user_release(&outsider);
	kk_error_release(&err);
	kk_error_release(&missing);
	aw_teardown(&w);
}

/* SPEC 6: vendors comment on the draft before the date; each sees its own */
Test(advisory, vendors_comment_on_the_draft)
{
	struct kk_error err = KK_ERROR_INIT;
	struct aw w;
	json_t *a, *c = NULL;

	aw_setup(&w, 1);
	cr_assert_eq(aw_call(&w, kk_advisory_comment, &w.p.vendor, "{\"body\": \"x\"}", NULL, &err), KK_ECONFLICT);
	aw_ok(&w, kk_advisory_save, &w.p.coord, AW_FULL);
	cr_assert_eq(aw_call(&w, kk_advisory_comment, &w.p.vendor, "{\"body\": \"\"}", NULL, &err), KK_EINVAL);
	cr_assert(has_field(&err, "body"));
	cr_assert_eq(aw_call(&w, kk_advisory_comment, &w.p.vendor, "{\"body\": \"ok\", \"poc\": 1}", NULL, &err),
		     KK_EINVAL);
	cr_assert(has_field(&err, "poc"));
	cr_assert_eq(aw_call(&w, kk_advisory_comment, &w.p.vendor, "{\"body\": \"Please name 2.0.1 as fixed.\"}", &c,
			     &err),
		     KK_OK, "%s", err.msg);
	cr_assert_eq(json_integer_value(json_object_get(c, "vendor_id")), w.p.vid);
	cr_assert_eq(json_integer_value(json_object_get(c, "revision")), 1);
	json_decref(c);
	aw_ok(&w, kk_advisory_comment, &w.p.other, "{\"body\": \"Not ours.\"}");
	a = aw_get(&w, &w.p.coord);
	cr_assert_eq(json_array_size(json_object_get(a, "comments")), 2);
	json_decref(a);
	a = aw_get(&w, &w.p.other);
	cr_assert_eq(json_array_size(json_object_get(a, "comments")), 1);
	cr_assert_str_eq(aw_str(json_array_get(json_object_get(a, "comments"), 0), "body", NULL), "Not ours.");
	json_decref(a);
	kk_error_release(&err);
	aw_teardown(&w);
}

/* issue 12 item 2: an ID and its address form */
Test(advisory, public_id_forms)
{
	char out[KK_ADVISORY_ID_MAX], slug[KK_ADVISORY_ID_MAX];

	cr_assert_eq(kk_advisory_id_parse("JVNVU12345678", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "JVNVU#12345678");
	cr_assert_eq(kk_advisory_id_parse("JVN#00000001", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "JVN#00000001");
	cr_assert_str_eq(kk_advisory_id_slug("JVNTA#87654321", slug, sizeof(slug)), "JVNTA87654321");
	cr_assert_eq(kk_advisory_id_parse("jvnvu12345678", out, sizeof(out)), -1);
	cr_assert_eq(kk_advisory_id_parse("JVNVU1234567", out, sizeof(out)), -1);
	cr_assert_eq(kk_advisory_id_parse("JVNVU123456789", out, sizeof(out)), -1);
	cr_assert_eq(kk_advisory_id_parse("ABCDEFGHI12345678", out, sizeof(out)), -1);
	cr_assert_eq(kk_advisory_id_parse("JVNVU##12345678", out, sizeof(out)), -1);
	cr_assert_eq(kk_advisory_id_parse("#12345678", out, sizeof(out)), -1);
	cr_assert_eq(kk_advisory_id_parse("", out, sizeof(out)), -1);
	cr_assert_eq(kk_advisory_id_parse(NULL, out, sizeof(out)), -1);
}

/* the prefixes are settings, checked like the others */
Test(advisory, prefixes_are_settings)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = unit_store(NULL);
	char *v;

	v = kk_setting_get(s, "advisory_prefix_vu", kk_setting_key_find("advisory_prefix_vu")->def);
	cr_assert_str_eq(v, "JVNVU");
	cr_assert_str_eq(kk_setting_key_find("advisory_prefix_jvn")->def, "JVN");
	cr_assert_str_eq(kk_setting_key_find("advisory_prefix_ta")->def, "JVNTA");
	free(v);
	cr_assert_eq(kk_setting_set(s, "advisory_prefix_ta", "XTA", &err), KK_OK);
	cr_assert_eq(kk_setting_check("advisory_prefix_jvn", "jvn", &err), KK_EINVAL);
	cr_assert(has_field(&err, "advisory_prefix_jvn"));
	kk_error_release(&err);
	kk_store_close(s);
}
