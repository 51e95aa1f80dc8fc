/*
 * advisory_world.h: the case the advisory tests share (test_advisory.c,
 * test_advisory_publish.c; issue 12, SPEC 6, 2.11): one accepted report
 * whose finder consented to credit ("Taro Yamada"), three vendors notified
 * on day 0 -- Example Corp asked for the detail, is fixed in 2.0.1 with a
 * countermeasure and a statement; Other Corp answered "not applicable";
 * Third Corp never answered -- and a fourth vendor on the case that was
 * never notified. Static helpers only, on the engine under test.
 */
#ifndef KEIKAI_TEST_ADVISORY_WORLD_H
#define KEIKAI_TEST_ADVISORY_WORLD_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/advisory.h"
#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/outbox.h"
#include "keikai/schedule.h"
#include "keikai/util.h"
#include "unit.h"

/* 2027-01-05 10:00 JST, a Tuesday: day 0 */
#define AW_DAY0 1799110800
#define AW_DAY 86400
/* the date the coordinator sets, "2027-02-18": 11:00 JST, the publication time */
#define AW_DATE "2027-02-18"
#define AW_PUB 1802916000

/* A complete advisory (SPEC 6: every item in both languages). */
#define AW_FULL                                                                                                   \
	"{\"texts\": {\"ja\": {\"title\": \"Example Router におけるクロスサイトスクリプティングの脆弱性\","            \
	" \"overview\": \"Example Router の管理画面にクロスサイトスクリプティングの脆弱性があります。\","           \
	" \"affected\": \"- Example Router 2.0.0 およびそれ以前\\n\\n管理画面の「情報」でバージョンを確認できます。\"," \
	" \"description\": \"検索欄の入力がエスケープされずに出力されます。\","                                    \
	" \"impact\": \"管理者のブラウザ上で任意のスクリプトが実行される可能性があります。\","                     \
	" \"countermeasures\": \"2.0.1 にアップデートしてください。\", \"workarounds\": \"\","                       \
	" \"contact\": \"[Example Corp](https://example.jp/psirt)\"},"                                                \
	" \"en\": {\"title\": \"Cross-site scripting vulnerability in Example Router\","                              \
	" \"overview\": \"The web console of Example Router has a cross-site scripting vulnerability.\","             \
	" \"affected\": \"- Example Router 2.0.0 and earlier\\n\\nThe version is shown under *About*.\","             \
	" \"description\": \"The search box's input is written out without escaping.\","                            \
	" \"impact\": \"A script may run in an administrator's browser.\","                                           \
	" \"countermeasures\": \"Update to 2.0.1.\", \"contact\": \"<https://example.jp/psirt>\"}},"                 \
	" \"cvss3\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N\","                                                 \
	" \"cvss4\": \"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N\","                             \
	" \"references\": [{\"title\": \"Example Corp advisory\", \"url\": \"https://example.jp/sa/2027-01\"}],"       \
	" \"cves\": [\"CVE-2027-12345\"], \"cwes\": [\"CWE-79\"],"                                                      \
	" \"cpes\": [\"cpe:/o:example:router:2.0.0\"]}"

struct aw {
	struct unit_parties p;
	struct kk_user third;  /* Third Corp's user: it never answers */
	int64_t third_vid, fourth_vid; /* the fourth is on the case, never notified */
	char ref[KK_CASE_REF_MAX];
	char tid[24], secret[64];
};

/* fn(s, actor, ref, body) with body from text; *out (may be NULL) its answer. */
static inline enum kk_result aw_call(struct aw *w,
				     enum kk_result (*fn)(struct kk_store *, const struct kk_user *, const char *,
							  const json_t *, json_t **, struct kk_error *),
				     const struct kk_user *actor, const char *text, json_t **out, struct kk_error *err)
{
	json_t *b = unit_json(text), *o = NULL;
	enum kk_result res;

	kk_error_release(err);
	res = fn(w->p.s, actor, w->ref, b, &o, err);
	json_decref(b);
	if (out)
		*out = o;
	else
		json_decref(o);
	return res;
}

static inline void aw_ok(struct aw *w,
			 enum kk_result (*fn)(struct kk_store *, const struct kk_user *, const char *, const json_t *,
					      json_t **, struct kk_error *),
			 const struct kk_user *actor, const char *text)
{
	struct kk_error err = KK_ERROR_INIT;
	enum kk_result res = aw_call(w, fn, actor, text, NULL, &err);
	char *fields = res && err.fields ? kk_json_dumps(err.fields, 0) : NULL;

	cr_assert_eq(res, KK_OK, "%s %s (%.300s)", err.msg, fields ? fields : "", text);
	free(fields);
	kk_error_release(&err);
}

static inline enum kk_result aw_event(struct aw *w, const struct kk_user *actor, const char *event, const char *text,
				      json_t **out, struct kk_error *err)
{
	json_t *b = unit_json(text), *o = NULL;
	enum kk_result res;

	kk_error_release(err);
	res = kk_advisory_event(w->p.s, actor, w->ref, event, b, &o, err);
	json_decref(b);
	if (out)
		*out = o;
	else
		json_decref(o);
	return res;
}

/* The draft as viewer sees it (must be readable). */
static inline json_t *aw_get(struct aw *w, const struct kk_user *viewer)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;

	cr_assert_eq(kk_advisory_get(w->p.s, viewer, w->ref, &out, &err), KK_OK, "%s", err.msg);
	kk_error_release(&err);
	return out;
}

/* A vendor of the registry with the given JSON, and (email not NULL) a user. */
static inline int64_t aw_vendor(struct aw *w, const char *json, const char *email, struct kk_user *u)
{
	int64_t id = unit_vendor_json(w->p.s, &w->p.coord, json);

	if (u)
		*u = unit_vendor_user(w->p.s, id, email);
	return id;
}

/* The world: setting credit and the vendors' standing as described above.
 * credit 0: the finder did not consent to credit (SPEC 2.1 (オ)). */
static inline void aw_setup(struct aw *w, int credit)
{
	char body[256];
	json_t *report = unit_report_body("product");

	memset(w, 0, sizeof(*w));
	/* the clock stands still at each step (kk_clock_freeze): the tests
	 * compare times to the second, which a clock running on under load
	 * would miss */
	kk_clock_freeze(AW_DAY0 - 2 * AW_DAY);
	unit_parties(&w->p);
	w->third_vid = unit_vendor(w->p.s, &w->p.coord, "Third Corp", "psirt@third.example.jp", &w->third);
	w->fourth_vid = unit_vendor(w->p.s, &w->p.coord, "Fourth Corp", "psirt@fourth.example.jp", NULL);
	if (!credit)
		unit_set(report, "consent.credit", json_false());
	unit_accepted_report(w->p.s, &w->p.intake, report, w->tid, w->secret);
	unit_case_open(w->p.s, &w->p.coord, w->tid, "XSS in Example Router", "A summary.", "The detail.", w->ref,
		       sizeof(w->ref));
	snprintf(body, sizeof(body), "{\"vendor_id\": %lld}", (long long)w->fourth_vid);
	aw_ok(w, kk_case_vendor_add, &w->p.coord, body);
	kk_clock_freeze(AW_DAY0);
	snprintf(body, sizeof(body), "{\"vendor_ids\": [%lld, %lld, %lld]}", (long long)w->p.vid,
		 (long long)w->p.other_vid, (long long)w->third_vid);
	aw_ok(w, kk_case_notify, &w->p.coord, body);
	kk_clock_freeze(AW_DAY0 + 2 * AW_DAY);
	aw_ok(w, kk_case_answer, &w->p.vendor, "{\"answer\": \"send_detail\"}");
	aw_ok(w, kk_case_answer, &w->p.other, "{\"answer\": \"not_applicable\", \"reason\": \"We do not ship it.\"}");
	aw_ok(w, kk_case_status_set, &w->p.vendor,
	      "{\"vulnerability\": 1, \"status\": \"investigating\", \"note\": \"NOTEMARK internal to the coordinator\"}");
	aw_ok(w, kk_case_status_set, &w->p.vendor, "{\"vulnerability\": 1, \"status\": \"affected\"}");
	kk_clock_freeze(AW_DAY0 + 10 * AW_DAY);
	aw_ok(w, kk_case_status_set, &w->p.vendor, "{\"vulnerability\": 1, \"status\": \"fixed\"}");
	aw_ok(w, kk_case_countermeasure_put, &w->p.vendor,
	      "{\"vulnerability\": 1, \"product_name\": \"Example Router\", \"fixed_versions\": [\"2.0.1\"],"
	      " \"urls\": [\"https://example.jp/sa/2027-01\"], \"workaround_ja\": \"管理画面を外部に公開しない。\","
	      " \"workaround_en\": \"Keep the console off the Internet.\"}");
	aw_ok(w, kk_case_statement_put, &w->p.vendor, "{\"ja\": \"修正版を公開しました。\", \"en\": \"A fix is out.\"}");
	kk_clock_freeze(AW_DAY0 + 20 * AW_DAY);
}

static inline void aw_teardown(struct aw *w)
{
	kk_user_release(&w->third);
	unit_parties_end(&w->p);
	kk_clock_set(0);
}

/* SPEC 2.8: the coordinator sets the one date, AW_DATE at 11:00 JST (AW_PUB). */
static inline void aw_set_date(struct aw *w)
{
	aw_ok(w, kk_case_date_set, &w->p.coord, "{\"date\": \"" AW_DATE "\", \"reason\": \"Agreed with every vendor.\"}");
}

/* kk_tick at the core clock's time: what it fired. */
static inline json_t *aw_tick(struct aw *w)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;

	cr_assert_eq(kk_tick(w->p.s, &out, &err), KK_OK, "%s", err.msg);
	kk_error_release(&err);
	return out;
}

/* How many messages of kind the outbox holds. */
static inline size_t aw_outbox(struct aw *w, const char *kind)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *list = NULL, *m;
	size_t i, n = 0;

	cr_assert_eq(kk_outbox_list(w->p.s, &list, &err), KK_OK);
	json_array_foreach(list, i, m)
		n += strcmp(json_string_value(json_object_get(m, "kind")), kind) == 0;
	json_decref(list);
	return n;
}

/* Member path (dotted, no arrays) of o as text. */
static inline const char *aw_str(const json_t *o, const char *a, const char *b)
{
	const json_t *v = json_object_get(o, a);

	return json_string_value(b ? json_object_get(v, b) : v);
}

#endif
