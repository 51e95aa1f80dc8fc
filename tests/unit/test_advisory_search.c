/*
 * test_advisory_search.c: the search of published advisories (issue 12
 * item 6, SPEC 6; keikai/advisory_search.h) through the real core on the
 * engine under test. Three advisories published by the real flow and the
 * real scheduler on three dates, one approved for a later date and one
 * draft: Japanese words of two characters and more (kanji, katakana typed in
 * hiragana), one kanji, English words found whole (of two letters too),
 * never inside a longer one nor across two fields, mixed queries, phrases, exact CVE and CWE IDs, every filter
 * (vendor by id and by name, product, CPE, severity, CWE, dates), paging,
 * the order by relevance, what is not published never found; the index
 * following a revision and a vendor's update in the same transaction; a
 * text longer than one folding piece; every faulty parameter named;
 * `keikai advisory reindex`, the fill that indexes what the index lacks, and
 * a copy (keikai db copy) finding what the original finds.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisory_world.h"
#include "keikai/advisory_search.h"
#include "keikai/calendar.h"
#include "keikai/store_copy.h"
#include "store/advisory_search.h"
#include "store/schema.h"

/* The two advisories besides advisory_world.h's AW_FULL (A1). A2: an
 * authentication bypass (認証回避) in Widget Server, critical; A3: a
 * hard-coded key (暗号鍵) in Gadget, high, whose text mentions Widget and a
 * client, but not in its title. */
#define A2_CONTENT                                                                                              \
	"{\"texts\": {\"ja\": {\"title\": \"Widget Server における認証回避の脆弱性\","                          \
	" \"overview\": \"Widget Server に認証回避の脆弱性があります。\", \"affected\": \"Widget Server 3.1\","     \
	" \"description\": \"細工されたリクエストにより認証を回避されます。\","                                   \
	" \"impact\": \"管理機能に不正にアクセスされる可能性があります。\", \"countermeasures\": \"3.2 に更新\","   \
	" \"contact\": \"Other Corp\"},"                                                                          \
	" \"en\": {\"title\": \"Authentication bypass in Widget Server\","                                         \
	" \"overview\": \"Widget Server has an authentication bypass vulnerability.\","                             \
	" \"affected\": \"Widget Server 3.1\", \"description\": \"A crafted request from any client skips the"     \
	" login check.\", \"impact\": \"An attacker may reach the management functions.\","                       \
	" \"countermeasures\": \"Update to 3.2.\", \"contact\": \"Other Corp\"}},"                                 \
	" \"cvss3\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\", \"cves\": [\"CVE-2027-20001\"],"             \
	" \"cwes\": [287], \"cpes\": [\"cpe:2.3:a:widget:widget_server:3.1:*:*:*:*:*:*:*\"]}"
#define A3_CONTENT                                                                                              \
	"{\"texts\": {\"ja\": {\"title\": \"Gadget における暗号鍵のハードコード\","                               \
	" \"overview\": \"Gadget のファームウェアに暗号鍵が埋め込まれています。\", \"affected\": \"Gadget 1.0\","  \
	" \"description\": \"全ての製品で同じ鍵が使われています。Widget との連携機能も影響を受けます。\","       \
	" \"impact\": \"通信を復号される可能性があります。\", \"countermeasures\": \"1.1 に更新\","               \
	" \"contact\": \"Third Corp\"},"                                                                          \
	" \"en\": {\"title\": \"Hard-coded cryptographic key in Gadget\","                                         \
	" \"overview\": \"The firmware of Gadget holds a hard-coded key.\", \"affected\": \"Gadget 1.0\","         \
	" \"description\": \"Every unit uses the same key, also for the Widget link and in IE 11.\","                          \
	" \"impact\": \"Traffic may be decrypted.\", \"countermeasures\": \"Update to 1.1.\","                     \
	" \"contact\": \"Third Corp\"}},"                                                                          \
	" \"cvss3\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\", \"cves\": [\"CVE-2027-30001\"],"             \
	" \"cwes\": [321], \"cpes\": [\"cpe:/h:third:gadget:1.0\"]}"
/* A4 (approved, its date never reached) and A5 (a draft): never found. */
#define HIDDEN_CONTENT(word)                                                                                    \
	"{\"texts\": {\"ja\": {\"title\": \"" word " における脆弱性\", \"overview\": \"" word "\","            \
	" \"affected\": \"" word "\", \"description\": \"" word "\", \"impact\": \"" word "\","                \
	" \"countermeasures\": \"" word "\", \"contact\": \"" word "\"},"                                        \
	" \"en\": {\"title\": \"Vulnerability in " word "\", \"overview\": \"" word "\", \"affected\": \"" word  \
	"\", \"description\": \"" word "\", \"impact\": \"" word "\", \"countermeasures\": \"" word "\","       \
	" \"contact\": \"" word "\"}}, \"cves\": [\"CVE-2027-40001\"]}"

/* The world: AW_FULL published on AW_DATE, A2 on 2027-03-04, A3 on
 * 2027-03-18 (each at 11:00 JST), A4 approved for 2027-04-15, A5 a draft. */
struct sw {
	struct aw w;
	char id[4][KK_ADVISORY_ID_MAX]; /* [1..3]: the public IDs */
	int64_t pub[4];                  /* [1..3]: the publication times */
};

/* The publication time of day y-m-d, 11:00 JST. */
static int64_t at_eleven(int y, int m, int d)
{
	return (int64_t)kk_day_of(y, m, d) * 86400 + 2 * 3600;
}

/* A case of its own, opened from a new accepted report, its vendors
 * notified, its advisory saved; ref into ref. */
static void other_case(struct sw *s, const char *title, const char *vendors, const char *content, char *ref)
{
	struct kk_error err = KK_ERROR_INIT;
	char tid[24], secret[64];
	json_t *b, *o = NULL;

	unit_accepted_report(s->w.p.s, &s->w.p.intake, unit_report_body("product"), tid, secret);
	unit_case_open(s->w.p.s, &s->w.p.coord, tid, title, "A summary.", "The detail.", ref, KK_CASE_REF_MAX);
	b = unit_json(vendors);
	cr_assert_eq(kk_case_notify(s->w.p.s, &s->w.p.coord, ref, b, &o, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	json_decref(o);
	b = unit_json(content);
	cr_assert_eq(kk_advisory_save(s->w.p.s, &s->w.p.coord, ref, b, &o, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	json_decref(o);
	kk_error_release(&err);
}

/* Approves the advisory of ref and sets the case's date to day (YYYY-MM-DD). */
static void approve_for(struct sw *s, const char *ref, const char *day)
{
	struct kk_error err = KK_ERROR_INIT;
	char date[128];
	json_t *b = unit_json("{}"), *o = NULL;

	cr_assert_eq(kk_advisory_event(s->w.p.s, &s->w.p.coord, ref, "approve", b, &o, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	json_decref(o);
	snprintf(date, sizeof(date), "{\"date\": \"%s\", \"reason\": \"Agreed with every vendor.\"}", day);
	b = unit_json(date);
	cr_assert_eq(kk_case_date_set(s->w.p.s, &s->w.p.coord, ref, b, &o, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	json_decref(o);
	kk_error_release(&err);
}

/* The public ID of ref's advisory into id ("" when it has none). */
static void public_id_of(struct sw *s, const char *ref, char *id)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *a = NULL;

	cr_assert_eq(kk_advisory_get(s->w.p.s, &s->w.p.coord, ref, &a, &err), KK_OK, "%s", err.msg);
	snprintf(id, KK_ADVISORY_ID_MAX, "%s", aw_str(a, "id", NULL) ? aw_str(a, "id", NULL) : "");
	json_decref(a);
	kk_error_release(&err);
}

static void world(struct sw *s)
{
	char vendors[128], ref2[KK_CASE_REF_MAX], ref3[KK_CASE_REF_MAX], ref4[KK_CASE_REF_MAX], ref5[KK_CASE_REF_MAX];
	struct kk_error err = KK_ERROR_INIT;

	memset(s, 0, sizeof(*s));
	aw_setup(&s->w, 1);
	aw_ok(&s->w, kk_advisory_save, &s->w.p.coord, AW_FULL);
	cr_assert_eq(aw_event(&s->w, &s->w.p.coord, "approve", "{}", NULL, &err), KK_OK, "%s", err.msg);
	aw_set_date(&s->w);
	snprintf(vendors, sizeof(vendors), "{\"vendor_ids\": [%lld]}", (long long)s->w.p.other_vid);
	other_case(s, "Auth bypass in Widget Server", vendors, A2_CONTENT, ref2);
	approve_for(s, ref2, "2027-03-04");
	snprintf(vendors, sizeof(vendors), "{\"vendor_ids\": [%lld]}", (long long)s->w.third_vid);
	other_case(s, "Key in Gadget", vendors, A3_CONTENT, ref3);
	approve_for(s, ref3, "2027-03-18");
	other_case(s, "Approved, not yet", vendors, HIDDEN_CONTENT("ZEBRAFISH 秘匿草案"), ref4);
	approve_for(s, ref4, "2027-04-15");
	other_case(s, "Draft", vendors, HIDDEN_CONTENT("QUAGGA 未承認"), ref5);
	/* the scheduler publishes each on its minute */
	s->pub[1] = AW_PUB;
	s->pub[2] = at_eleven(2027, 3, 4);
	s->pub[3] = at_eleven(2027, 3, 18);
	for (int i = 1; i <= 3; i++) {
		kk_clock_freeze(s->pub[i] + 60);
		json_decref(aw_tick(&s->w));
	}
	public_id_of(s, s->w.ref, s->id[1]);
	public_id_of(s, ref2, s->id[2]);
	public_id_of(s, ref3, s->id[3]);
	for (int i = 1; i <= 3; i++)
		cr_assert_neq(s->id[i][0], '\0', "A%d was not published", i);
	kk_error_release(&err);
}

/* The search q must answer: the advisories in order as "A3 A1", total too. */
static void expect(struct sw *s, struct kk_advisory_query q, const char *want, int64_t want_total)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *e;
	int64_t total = -1;
	char got[64] = "";
	size_t i;

	cr_assert_eq(kk_advisory_search(s->w.p.s, &q, &out, &total, &err), KK_OK, "q=%s: %s %s", q.q ? q.q : "", err.msg,
		     err.fields ? kk_json_dumps(err.fields, 0) : "");
	json_array_foreach(json_object_get(out, "advisories"), i, e) {
		const char *id = aw_str(e, "id", NULL);
		int which = 0;

		for (int k = 1; k <= 3; k++)
			if (!strcmp(id, s->id[k]))
				which = k;
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%sA%d", i ? " " : "", which);
	}
	cr_assert_str_eq(got, want, "q=%s vendor=%s product=%s cpe=%s severity=%s cwe=%s from=%s to=%s", q.q, q.vendor,
			 q.product, q.cpe, q.severity, q.cwe, q.from, q.to);
	cr_assert_eq(total, want_total, "q=%s: total %lld", q.q, (long long)total);
	cr_assert_eq(json_is_true(json_object_get(out, "more")), 0);
	json_decref(out);
	kk_error_release(&err);
}

#define Q(...) ((struct kk_advisory_query){ __VA_ARGS__ })

/* issue 12 item 6: Japanese needs n-grams, not spaces; short words too */
Test(advisory_search, japanese_english_mixed_and_ids)
{
	struct sw s;

	world(&s);
	/* three characters and more, inside words, without spaces */
	expect(&s, Q(.q = "クロスサイトスクリプティング"), "A1", 1);
	expect(&s, Q(.q = "脆弱性"), "A2 A1", 2); /* A3's texts never say it */
	expect(&s, Q(.q = "認証回避"), "A2", 1);
	/* two kanji: a trigram index cannot see them; the bigram words can */
	expect(&s, Q(.q = "認証"), "A2", 1);
	expect(&s, Q(.q = "暗号"), "A3", 1);
	/* one kanji */
	expect(&s, Q(.q = "鍵"), "A3", 1);
	/* hiragana finds katakana, full-width finds ASCII, case does not matter */
	expect(&s, Q(.q = "くろすさいと"), "A1", 1);
	expect(&s, Q(.q = "ＷＩＤＧＥＴ"), "A3 A2", 2);
	expect(&s, Q(.q = "bypass"), "A2", 1);
	/* two Latin letters: a whole word ("IE" of A3), never inside one (A2's "client") */
	expect(&s, Q(.q = "IE"), "A3", 1);
	expect(&s, Q(.q = "to"), "A3 A2 A1", 3);
	/* every word must match; mixed scripts */
	expect(&s, Q(.q = "Widget 認証"), "A2", 1);
	expect(&s, Q(.q = "Example 認証"), "", 0);
	expect(&s, Q(.q = "gadget 鍵 key"), "A3", 1);
	/* a phrase keeps its spaces */
	expect(&s, Q(.q = "\"authentication bypass\""), "A2", 1);
	expect(&s, Q(.q = "\"bypass authentication\""), "", 0);
	/* CVE and CWE IDs are exact; a part of one is text */
	expect(&s, Q(.q = "CVE-2027-12345"), "A1", 1);
	expect(&s, Q(.q = "cve-2027-1234"), "", 0);
	expect(&s, Q(.q = "CVE-2027"), "A3 A2 A1", 3);
	expect(&s, Q(.q = "CWE-79"), "A1", 1);
	expect(&s, Q(.q = "CWE-7"), "", 0);
	/* the public ID, written either way; vendor and product names; CWE names are not
	 * loaded in this store, so "287" is the number's text */
	expect(&s, Q(.q = s.id[2]), "A2", 1);
	{
		char slug[KK_ADVISORY_ID_MAX];

		expect(&s, Q(.q = kk_advisory_id_slug(s.id[3], slug, sizeof(slug))), "A3", 1);
	}
	expect(&s, Q(.q = "third corp"), "A3 A1", 2);
	expect(&s, Q(.q = "cwe-287"), "A2", 1);
	/* nothing but punctuation is no word; nothing at all lists everything */
	expect(&s, Q(.q = ""), "A3 A2 A1", 3);
	/* what is not published is never found: approved for a later date, a draft */
	expect(&s, Q(.q = "zebrafish"), "", 0);
	expect(&s, Q(.q = "秘匿"), "", 0);
	expect(&s, Q(.q = "quagga"), "", 0);
	expect(&s, Q(.q = "CVE-2027-40001"), "", 0);
	cr_assert_eq(unit_count(s.w.p.s, "SELECT COUNT(*) FROM advisory_search", NULL), 3);
	aw_teardown(&s.w);
}

/* issue 12 item 6: an English word is a word, as people read it: found
 * whole (not inside a longer one, where a Japanese word is found), its
 * signs between words, in order, never across two fields of the text */
Test(advisory_search, latin_words_whole)
{
	struct sw s;

	world(&s);
	expect(&s, Q(.q = "script"), "A1", 1);    /* "A script may run" */
	expect(&s, Q(.q = "scripting"), "A1", 1); /* the title */
	expect(&s, Q(.q = "scrip"), "", 0);       /* not a part of a word */
	expect(&s, Q(.q = "crypt"), "", 0);       /* cryptographic, decrypted */
	expect(&s, Q(.q = "スクリプト"), "A1", 1);  /* a Japanese word anywhere */
	expect(&s, Q(.q = "cross-site"), "A1", 1);
	expect(&s, Q(.q = "CROSS_SITE"), "A1", 1);
	expect(&s, Q(.q = "\"site cross\""), "", 0);
	expect(&s, Q(.q = "\"example router\""), "A1", 1);
	expect(&s, Q(.q = "\"router the\""), "", 0); /* the title's end, the overview's start */
	expect(&s, Q(.q = "2.0.1"), "A1", 1);
	expect(&s, Q(.q = "2.0.2"), "", 0);
	expect(&s, Q(.q = "widget_server"), "A2", 1); /* its CPE name's product */
	/* every way the engines look for them: the text alone, with a filter
	 * small enough to drive, and with the trigrams of a Japanese word */
	expect(&s, Q(.q = "key", .vendor = "Third Corp"), "A3", 1);
	expect(&s, Q(.q = "crypt", .vendor = "Third Corp"), "", 0);
	expect(&s, Q(.q = "key ハードコード"), "A3", 1);
	expect(&s, Q(.q = "crypt ハードコード"), "", 0);
	/* a Japanese word with a filter: narrowed by its pairs of characters in
	 * the index of words, then found exactly in the text; ロス and スク are
	 * both in A1 (クロスサイトスクリプティング), ロスク nowhere */
	expect(&s, Q(.q = "クロスサイト", .cwe = "79"), "A1", 1);
	expect(&s, Q(.q = "ロスク", .cwe = "79"), "", 0);
	expect(&s, Q(.q = "ロスク"), "", 0);
	expect(&s, Q(.q = "ハードコード", .vendor = "Third Corp"), "A3", 1);
	expect(&s, Q(.q = "ハードコード", .severity = "critical"), "", 0);
	expect(&s, Q(.q = "ハードコード key", .severity = "high"), "A3", 1);
	aw_teardown(&s.w);
}

/* issue 12 item 6: filtered by vendor, product or CPE, severity, CWE, dates */
Test(advisory_search, every_filter)
{
	char other[24], third[24];
	struct sw s;

	world(&s);
	snprintf(other, sizeof(other), "%lld", (long long)s.w.p.other_vid);
	snprintf(third, sizeof(third), "%lld", (long long)s.w.third_vid);
	/* SPEC 2.11: a vendor notified of the case is in its advisory */
	expect(&s, Q(.vendor = other), "A2 A1", 2);
	expect(&s, Q(.vendor = third, .q = "脆弱"), "A1", 1);
	expect(&s, Q(.vendor = "Other Corp"), "A2 A1", 2);
	expect(&s, Q(.vendor = "ＯＴＨＥＲ　ＣＯＲＰ"), "A2 A1", 2);
	expect(&s, Q(.vendor = "Other"), "", 0); /* a name is whole */
	expect(&s, Q(.vendor = "Fourth Corp"), "", 0); /* on A1's case, never notified */
	/* products: a vendor's countermeasure, the product of a CPE name */
	expect(&s, Q(.product = "example router"), "A1", 1);
	expect(&s, Q(.product = "Widget Server"), "A2", 1);
	expect(&s, Q(.cpe = "cpe:2.3:a:widget:widget_server"), "A2", 1);
	expect(&s, Q(.cpe = "cpe:/a:widget:widget_server:9.9"), "A2", 1); /* versions are not compared */
	expect(&s, Q(.cpe = "cpe:2.3:*:example:*"), "A1", 1);
	expect(&s, Q(.cpe = "cpe:/h:third:gadget"), "A3", 1);
	expect(&s, Q(.cpe = "cpe:/a:widget:gadget"), "", 0);
	/* CVSS v3 or v4 */
	expect(&s, Q(.severity = "critical"), "A2", 1);
	expect(&s, Q(.severity = "HIGH"), "A3", 1);
	expect(&s, Q(.severity = "low", .q = "example"), "", 0);
	expect(&s, Q(.cwe = "CWE-79"), "A1", 1);
	expect(&s, Q(.cwe = "321"), "A3", 1);
	/* days in Japan, both ends included */
	expect(&s, Q(.from = "2027-03-04"), "A3 A2", 2);
	expect(&s, Q(.to = "2027-03-04"), "A2 A1", 2);
	expect(&s, Q(.from = "2027-03-04", .to = "2027-03-04"), "A2", 1);
	expect(&s, Q(.from = "2027-03-05", .to = "2027-03-17"), "", 0);
	expect(&s, Q(.from = "2027-02-18", .to = "2027-02-18", .q = "router"), "A1", 1);
	/* filters and words together */
	expect(&s, Q(.q = "widget", .vendor = third), "A3", 1);
	expect(&s, Q(.q = "widget", .severity = "critical", .cwe = "287", .from = "2027-03-01"), "A2", 1);
	aw_teardown(&s.w);
}

/* newest first, a page at a time; by relevance the title counts first */
Test(advisory_search, paging_and_relevance)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	int64_t total = 0;
	struct sw s;

	world(&s);
	expect(&s, Q(.limit = "1"), "A3", 3);
	expect(&s, Q(.limit = "1", .page = "2"), "A2", 3);
	expect(&s, Q(.limit = "1", .page = "3"), "A1", 3);
	expect(&s, Q(.limit = "2", .page = "2"), "A1", 3);
	expect(&s, Q(.limit = "2", .page = "3"), "", 3); /* past the end: an empty page */
	cr_assert_eq(kk_advisory_search(s.w.p.s, &Q(.limit = "2"), &out, &total, &err), KK_OK);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(out, "paging"), "pages")), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(out, "paging"), "limit")), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(out, "paging"), "page")), 1);
	cr_assert_eq(json_integer_value(json_object_get(out, "total")), 3);
	json_decref(out);
	/* "widget" is in A2's title, only in A3's text: by relevance A2 first */
	expect(&s, Q(.q = "widget"), "A3 A2", 2);
	expect(&s, Q(.q = "widget", .sort = "relevance"), "A2 A3", 2);
	expect(&s, Q(.q = "鍵 widget", .sort = "relevance"), "A3", 1);
	/* the items are kk_advisory_public_list's */
	cr_assert_eq(kk_advisory_search(s.w.p.s, &Q(.q = "認証"), &out, &total, &err), KK_OK);
	{
		const json_t *e = json_array_get(json_object_get(out, "advisories"), 0);
		char slug[KK_ADVISORY_ID_MAX];

		cr_assert_str_eq(aw_str(e, "id", NULL), s.id[2]);
		cr_assert_str_eq(aw_str(e, "slug", NULL), kk_advisory_id_slug(s.id[2], slug, sizeof(slug)));
		cr_assert_not_null(strstr(aw_str(e, "url", NULL), slug));
		cr_assert_str_eq(aw_str(e, "title", "ja"), "Widget Server における認証回避の脆弱性");
		cr_assert_str_eq(aw_str(e, "title", "en"), "Authentication bypass in Widget Server");
		cr_assert_str_eq(aw_str(json_object_get(e, "cvss3"), "severity", NULL), "Critical");
		cr_assert(json_is_null(json_object_get(e, "cvss4")));
		/* the tick's moment: the core clock runs on from where the test set it */
		cr_assert_geq(json_integer_value(json_object_get(e, "published_at")), s.pub[2] + 60);
		cr_assert_lt(json_integer_value(json_object_get(e, "published_at")), s.pub[2] + 120);
		cr_assert_eq(json_integer_value(json_object_get(e, "revision")), 1);
		cr_assert_not_null(json_object_get(e, "kind"));
	}
	json_decref(out);
	kk_error_release(&err);
	aw_teardown(&s.w);
}

/* G IV.4.9: the index follows a revision and a vendor's update in their transaction */
Test(advisory_search, follows_revision_and_vendor_update)
{
	struct kk_error err = KK_ERROR_INIT;
	char body[8192];
	struct sw s;

	world(&s);
	expect(&s, Q(.q = "turbo module"), "", 0);
	/* Example Corp adds a countermeasure for another product after publication */
	kk_clock_freeze(s.pub[3] + AW_DAY);
	aw_ok(&s.w, kk_case_countermeasure_put, &s.w.p.vendor,
	      "{\"vulnerability\": 1, \"product_name\": \"Turbo Module\", \"fixed_versions\": [\"4.0\"]}");
	expect(&s, Q(.q = "turbo module"), "A1", 1);
	expect(&s, Q(.product = "TURBO MODULE"), "A1", 1);
	/* the coordinator revises A1's title: the new word is found, the old one gone */
	expect(&s, Q(.q = "新表題"), "", 0);
	snprintf(body, sizeof(body), "%s", AW_FULL);
	{
		char *at = strstr(body, "Example Router におけるクロスサイトスクリプティングの脆弱性");
		const char *tail = at + strlen("Example Router におけるクロスサイトスクリプティングの脆弱性");
		char rest[8192];

		cr_assert_not_null(at);
		snprintf(rest, sizeof(rest), "%s", tail);
		snprintf(at, sizeof(body) - (size_t)(at - body), "新表題の脆弱性%s", rest);
	}
	body[strlen(body) - 1] = '\0';
	strncat(body, ", \"note_ja\": \"表題を変更\", \"note_en\": \"New title.\"}", sizeof(body) - strlen(body) - 1);
	cr_assert_eq(aw_event(&s.w, &s.w.p.coord, "revise", body, NULL, &err), KK_OK, "%s", err.msg);
	expect(&s, Q(.q = "新表題"), "A1", 1);
	/* the overview still has クロスサイトスクリプティング; the title lost it */
	expect(&s, Q(.q = "クロスサイトスクリプティング", .sort = "relevance"), "A1", 1);
	cr_assert_eq(unit_count(s.w.p.s, "SELECT COUNT(*) FROM advisory_search WHERE title LIKE '%クロスサイトスクリプティング%'",
				NULL),
		     0);
	cr_assert_eq(unit_count(s.w.p.s, "SELECT COUNT(*) FROM advisory_search", NULL), 3, "still one entry each");
	kk_error_release(&err);
	aw_teardown(&s.w);
}

/* reindex rebuilds everything; the fill indexes what the index lacks when a store opens */
Test(advisory_search, reindex_and_fill)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	int64_t n = 0;
	struct sw s;

	world(&s);
	cr_assert_eq(kk_tx_begin(s.w.p.s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_search_clear(&tx, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK);
	expect(&s, Q(.q = "認証"), "", 0);
	cr_assert_eq(kk_advisory_search_reindex(s.w.p.s, &n, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(n, 3);
	expect(&s, Q(.q = "認証"), "A2", 1);
	expect(&s, Q(.vendor = "Third Corp"), "A3 A1", 2);
	/* the fill: an entry lost (as after keikai db copy) comes back when the store opens */
	cr_assert_eq(kk_tx_begin(s.w.p.s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_search_entry_drop(&tx, unit_count(s.w.p.s, "SELECT id FROM advisories WHERE public_id = ?", s.id[2]),
					  &err),
		     KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK);
	expect(&s, Q(.q = "認証"), "", 0);
	cr_assert_eq(kk_tx_begin(s.w.p.s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_advisory_search_fill(&tx, NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK);
	expect(&s, Q(.q = "認証"), "A2", 1);
	/* it is one of the schema's fills, run each time a store opens */
	{
		int found = 0;

		for (int i = 0; kk_schema_fills[i]; i++)
			found |= kk_schema_fills[i] == kk_advisory_search_fill;
		cr_assert(found);
	}
	cr_assert_eq(unit_count(s.w.p.s, "SELECT COUNT(*) FROM advisory_search", NULL), 3);
	kk_error_release(&err);
	aw_teardown(&s.w);
}

/* keikai db copy copies no index table: the copy fills its index when it
 * next opens (the schema's fill), and finds what the original finds */
Test(advisory_search, a_copy_fills_its_index)
{
	struct kk_error err = KK_ERROR_INIT;
	char to_address[PATH_MAX];
	struct kk_store *to, *again = NULL;
	struct sw s;

	world(&s);
	to = unit_store(to_address);
	cr_assert_eq(kk_store_copy(s.w.p.s, to, NULL, NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(unit_count(to, "SELECT COUNT(*) FROM advisory_search", NULL), 0, "the copy holds no index");
	kk_store_close(to);
	cr_assert_eq(kk_store_open(to_address, 0, &again, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(unit_count(again, "SELECT COUNT(*) FROM advisory_search", NULL), 3);
	{
		struct kk_store *orig = s.w.p.s;

		s.w.p.s = again; /* expect() searches s.w.p.s */
		expect(&s, Q(.q = "認証"), "A2", 1);
		expect(&s, Q(.vendor = "Third Corp"), "A3 A1", 2);
		expect(&s, Q(.q = "zebrafish"), "", 0);
		s.w.p.s = orig;
	}
	kk_store_close(again);
	kk_error_release(&err);
	aw_teardown(&s.w);
}

/* A text longer than one folding piece, Japanese without a space in it,
 * with a half-width katakana and its voicing mark across the cut. */
Test(advisory_search, long_text_in_pieces)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf content, desc;
	struct sw s;

	world(&s);
	kk_buf_init(&desc, 1 << 20);
	kk_buf_adds(&desc, "x");
	for (int i = 0; i < 1332; i++)
		kk_buf_adds(&desc, "あ"); /* to byte 3997 */
	kk_buf_adds(&desc, "ﾃﾞｰﾀﾍﾞｰｽ"); /* ﾞ at byte 4000, the piece's end: データベース once folded */
	for (int i = 0; i < 2000; i++)
		kk_buf_adds(&desc, "い");
	kk_buf_adds(&desc, "末尾の単語");
	kk_buf_init(&content, 1 << 20);
	kk_buf_addf(&content, "%.*s", (int)(strstr(AW_FULL, "\"description\": \"") - AW_FULL), AW_FULL);
	kk_buf_addf(&content, "\"description\": \"%s\", %s, \"note_en\": \"Longer.\"}", desc.data,
		    strstr(AW_FULL, "\"impact\""));
	/* the revise body: drop AW_FULL's own closing brace before the note */
	{
		char *close = strstr(content.data, "\"]}, \"note_en\"");

		cr_assert_not_null(close);
		memmove(close + 2, close + 3, strlen(close + 3) + 1);
	}
	cr_assert_eq(aw_event(&s.w, &s.w.p.coord, "revise", content.data, NULL, &err), KK_OK, "%s", err.msg);
	expect(&s, Q(.q = "データベース"), "A1", 1);
	expect(&s, Q(.q = "末尾の単語"), "A1", 1);
	expect(&s, Q(.q = "ああいい"), "", 0); /* the two runs never touch */
	kk_buf_release(&desc);
	kk_buf_release(&content);
	kk_error_release(&err);
	aw_teardown(&s.w);
}

/* Every faulty parameter is named, nothing searched. */
static void refused(struct kk_store *st, struct kk_advisory_query q, const char *field)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	int64_t total = 0;

	cr_assert_eq(kk_advisory_search(st, &q, &out, &total, &err), KK_EINVAL, "%s was taken", field);
	cr_assert_not_null(err.fields);
	cr_assert_not_null(json_object_get(err.fields, field), "no error on %s: %s", field, err.msg);
	cr_assert_null(out);
	kk_error_release(&err);
}

Test(advisory_search, faulty_parameters_are_named)
{
	struct kk_store *st = unit_store(NULL);
	char longq[KK_ADVISORY_QUERY_MAX + 8], longname[KK_ADVISORY_FILTER_MAX + 8];
	struct kk_error err = KK_ERROR_INIT;

	memset(longq, 'a', sizeof(longq) - 1);
	longq[sizeof(longq) - 1] = '\0';
	memset(longname, 'b', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	refused(st, Q(.q = longq), "q");
	refused(st, Q(.q = "a b c d e f g h i"), "q");
	refused(st, Q(.q = "# !"), "q");
	refused(st, Q(.q = "\xff\xfe"), "q");
	refused(st, Q(.vendor = "0"), "vendor");
	refused(st, Q(.vendor = longname), "vendor");
	refused(st, Q(.product = longname), "product");
	refused(st, Q(.cpe = "cpe:9:nonsense"), "cpe");
	refused(st, Q(.cpe = "cpe:2.3:a:*:router"), "cpe");
	refused(st, Q(.cpe = "cpe:2.3:a:example:rou*"), "cpe");
	refused(st, Q(.severity = "urgent"), "severity");
	refused(st, Q(.cwe = "xss"), "cwe");
	refused(st, Q(.cwe = "CWE-0"), "cwe");
	refused(st, Q(.from = "2027-02-30"), "from");
	refused(st, Q(.to = "yesterday"), "to");
	refused(st, Q(.from = "2027-03-02", .to = "2027-03-01"), "to");
	refused(st, Q(.sort = "best"), "sort");
	refused(st, Q(.page = "0"), "page");
	refused(st, Q(.page = "x"), "page");
	refused(st, Q(.limit = "0"), "limit");
	refused(st, Q(.limit = "101"), "limit");
	/* only the first KK_ADVISORY_SEARCH_MATCH_MAX matches are paged through */
	refused(st, Q(.limit = "100", .page = "11"), "page");
	/* every fault at once, each named */
	{
		json_t *out = NULL;
		int64_t total = 0;

		cr_assert_eq(kk_advisory_search(st, &Q(.severity = "x", .cwe = "y", .sort = "z"), &out, &total, &err),
			     KK_EINVAL);
		cr_assert_eq(json_object_size(err.fields), 3);
	}
	/* and a good one on an empty store finds nothing */
	{
		json_t *out = NULL;
		int64_t total = -1;

		kk_error_release(&err);
		cr_assert_eq(kk_advisory_search(st, &Q(.q = "認証", .limit = "100", .page = "10"), &out, &total, &err),
			     KK_OK, "%s", err.msg);
		cr_assert_eq(total, 0);
		cr_assert_eq(json_array_size(json_object_get(out, "advisories")), 0);
		json_decref(out);
	}
	kk_error_release(&err);
	kk_store_close(st);
}
