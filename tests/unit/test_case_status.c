/*
 * test_case_status.c: unit tests of the vendors' side of a case (lib/case/
 * notify.c, answer.c, status.c, countermeasures.c, suggest.c, attachments.c;
 * SPEC 2.6, 2.7, R §5.1.2, G IV.5) through the real core on the engine under
 * test (SQLite, or PostgreSQL with KEIKAI_TEST_PG). test_flow.c walks the
 * status table state × event × role; here are the two stages, day 0, the
 * notice and what it never holds, the answers, the order of the statuses,
 * who may change whose, the audit of each change, countermeasures,
 * statements and suggestions.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/outbox.h"
#include "keikai/report.h"
#include "keikai/settings.h"
#include "keikai/vendor.h"
#include "unit.h"

#define T0 1798761600 /* 2027-01-01T00:00:00Z */
#define DAY 86400

/* A case of one accepted report, and the vendors and users around it. */
struct world {
	struct kk_store *s;
	struct kk_user intake, coord, va, vb; /* va, vb: users of vendors a and b */
	int64_t a, b, c;                      /* a: ja, b: en, both by e-mail; c: no e-mail */
	char ref[24];
};

static void world_init(struct world *w)
{
	struct kk_error err = KK_ERROR_INIT;
	char tid[24];

	memset(w, 0, sizeof(*w));
	w->s = unit_store(NULL);
	cr_assert_eq(kk_setting_set(w->s, "base_url", "https://vuln.example", &err), KK_OK);
	w->intake = unit_user(w->s, "intake", "intake@ipa.example");
	w->coord = unit_user(w->s, "coordinator", "coord@jpcert.example");
	w->a = unit_vendor_json(w->s, &w->coord, "{\"name_ja\": \"ベンダーA\", \"preferred_lang\": \"ja\", \"contacts\": [{\"channel\":"
			 " \"email\", \"value\": \"psirt@a.example.jp\", \"is_primary\": true}]}");
	w->b = unit_vendor_json(w->s, &w->coord, "{\"name_en\": \"Vendor B\", \"preferred_lang\": \"en\", \"contacts\": [{\"channel\":"
			 " \"email\", \"value\": \"security@b.example\", \"is_primary\": true}]}");
	w->c = unit_vendor_json(w->s, &w->coord, "{\"name_en\": \"Vendor C\"}");
	w->va = unit_vendor_user(w->s, w->a, "psirt@a.example.jp");
	w->vb = unit_vendor_user(w->s, w->b, "security@b.example");
	unit_accepted_report(w->s, &w->intake, unit_report_body("product"), tid, NULL);
	unit_case_open(w->s, &w->coord, tid, "XSS in Widget", "A cross-site scripting flaw in Widget's search page.",
		       "SECRET-DETAIL: the q parameter is echoed unescaped.", w->ref, sizeof(w->ref));
	kk_error_release(&err);
}

static void world_free(struct world *w)
{
	kk_user_release(&w->intake);
	kk_user_release(&w->coord);
	kk_user_release(&w->va);
	kk_user_release(&w->vb);
	kk_store_close(w->s);
	kk_clock_freeze(0);
	kk_clock_set(0);
}

typedef enum kk_result change_fn(struct kk_store *s, const struct kk_user *actor, const char *ref,
				 const json_t *body, json_t **out, struct kk_error *err);

/* Calls fn with body text as actor; err (may be NULL) keeps the error. */
static enum kk_result call(struct world *w, change_fn *fn, const struct kk_user *actor, const char *text,
			   json_t **out, struct kk_error *err)
{
	json_t *body = unit_json(text), *ignored = NULL;
	enum kk_result res = fn(w->s, actor, w->ref, body, out ? out : &ignored, err);

	json_decref(body);
	json_decref(ignored);
	return res;
}

static enum kk_result notify(struct world *w, const char *ids, struct kk_error *err)
{
	char text[256];

	snprintf(text, sizeof(text), "{\"vendor_ids\": %s}", ids);
	return call(w, kk_case_notify, &w->coord, text, NULL, err);
}

/* Must succeed. */
static void ok(struct world *w, change_fn *fn, const struct kk_user *actor, const char *text)
{
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(call(w, fn, actor, text, NULL, &err), KK_OK, "%s: %s", text, err.msg);
	kk_error_release(&err);
}

static void notify_ok(struct world *w, const char *ids)
{
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(notify(w, ids, &err), KK_OK, "%s", err.msg);
	kk_error_release(&err);
}

/* The case as the coordinator sees it (the caller releases it). */
static json_t *staff_view(struct world *w)
{
	json_t *out = NULL;

	cr_assert_eq(kk_case_get(w->s, &w->coord, w->ref, &out, NULL), KK_OK);
	return out;
}

/* The VENDOR entry of vendor_id in view, or NULL. */
static json_t *entry(json_t *view, int64_t vendor_id)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(view, "vendors"), i, v)
		if (json_integer_value(json_object_get(v, "vendor_id")) == vendor_id)
			return v;
	return NULL;
}

/* The status of vendor_id for vulnerability 1, as the coordinator sees it. */
static const char *status_of(struct world *w, int64_t vendor_id)
{
	static char st[24];
	json_t *view = staff_view(w), *e = entry(view, vendor_id);

	cr_assert_not_null(e, "vendor %lld is not on the case", (long long)vendor_id);
	snprintf(st, sizeof(st), "%s",
		 json_string_value(json_object_get(json_array_get(json_object_get(e, "statuses"), 0), "status")));
	json_decref(view);
	return st;
}

/* The outbox's messages about cases (the finder's mail about the report is
 * there too), as kk_outbox_list shows them; the caller releases it. */
static json_t *case_mail(struct world *w)
{
	json_t *all = NULL, *out = json_array(), *m;
	size_t i;

	cr_assert_eq(kk_outbox_list(w->s, &all, NULL), KK_OK);
	json_array_foreach(all, i, m)
		if (!strncmp(json_string_value(json_object_get(m, "kind")), "case_", 5))
			json_array_append(out, m);
	json_decref(all);
	return out;
}

static int64_t count(struct world *w, const char *sql)
{
	return unit_count(w->s, sql, NULL);
}

/* "[a]", "[a, b]" … for the vendor ids given (0 ends the list). */
static const char *ids(int64_t x, int64_t y)
{
	static char buf[64];

	if (y)
		snprintf(buf, sizeof(buf), "[%lld, %lld]", (long long)x, (long long)y);
	else
		snprintf(buf, sizeof(buf), "[%lld]", (long long)x);
	return buf;
}

/* A status change body for vulnerability 1 (extra: more members, or ""). */
static const char *change(const char *status, const char *extra)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "{\"vulnerability\": 1, \"status\": \"%s\"%s%s}", status, *extra ? ", " : "",
		 extra);
	return buf;
}

static const char *with_vendor(int64_t vendor_id, const char *extra)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "\"vendor_id\": %lld%s%s", (long long)vendor_id, *extra ? ", " : "", extra);
	return buf;
}

/* SPEC 2.6, R §5.1.2, SPEC 2.7: summary first, the detail only after the
 * vendor asked, then the verification result and the fix. */
Test(case_status, two_stages_then_the_status_table)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *out = NULL, *cm;
	void *data = NULL;
	char *fn = NULL, *ct = NULL, *text;
	size_t size = 0;

	world_init(&w);
	cr_assert_eq(kk_case_get(w.s, &w.va, w.ref, &out, &err), KK_ENOTFOUND, "not notified: no case");
	notify_ok(&w, ids(w.a, 0));
	cr_assert_str_eq(status_of(&w, w.a), "notified");
	/* the vendor's first read: the summary, not the detail */
	cr_assert_eq(kk_case_get(w.s, &w.va, w.ref, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(out, "summary")),
			 "A cross-site scripting flaw in Widget's search page.");
	cr_assert_null(json_object_get(out, "detail"));
	text = json_dumps(out, 0);
	cr_assert_null(strstr(text, "SECRET-DETAIL"));
	free(text);
	json_decref(out);
	cr_assert_str_eq(status_of(&w, w.a), "summary_read");
	cr_assert_eq(kk_case_attachment_get(w.s, &w.va, w.ref, 1, &data, &size, &fn, &ct, &err), KK_EDENIED);
	/* nothing but an answer moves a vendor that has not asked for the detail */
	cr_assert_eq(call(&w, kk_case_status_set, &w.va, change("investigating", ""), NULL, &err), KK_ECONFLICT);
	cr_assert_eq(call(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}", &out, &err), KK_OK, "%s",
		     err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(out, "detail")),
			 "SECRET-DETAIL: the q parameter is echoed unescaped.");
	json_decref(out);
	cr_assert_str_eq(status_of(&w, w.a), "detail_requested");
	ok(&w, kk_case_status_set, &w.va, change("investigating", ""));
	ok(&w, kk_case_status_set, &w.va,
	   change("affected", "\"fixed_versions\": [\"1.2.4\"], \"note\": \"Reproduced on 1.2.3.\""));
	cr_assert_str_eq(status_of(&w, w.a), "affected");
	ok(&w, kk_case_status_set, &w.va, change("fixed", "\"note\": \"1.2.4 is out.\""));
	cr_assert_str_eq(status_of(&w, w.a), "fixed");
	/* SPEC 2.7: the fixed versions are the vulnerability's countermeasure */
	out = staff_view(&w);
	cm = json_array_get(json_object_get(entry(out, w.a), "countermeasures"), 0);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(cm, "fixed_versions"), 0)), "1.2.4");
	json_decref(out);
	/* the vendor's reads of the detail are audited (R §5.1.2) */
	cr_assert_geq(count(&w, "SELECT COUNT(*) FROM audit WHERE action = 'detail.view'"), 1);
	kk_error_release(&err);
	world_free(&w);
}

/* SPEC 2.6: day 0 is the first contact attempt of the case; reminders and
 * vendors notified later never move it. */
Test(case_status, day0_is_the_first_contact_attempt)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *out = NULL, *attempts;
	char body[64];

	world_init(&w);
	out = staff_view(&w);
	cr_assert(json_is_null(json_object_get(out, "day0")), "no day 0 before any contact");
	json_decref(out);
	kk_clock_freeze(T0);
	cr_assert_eq(call(&w, kk_case_notify, &w.coord, "{\"vendor_ids\": [999999]}", NULL, &err), KK_EINVAL);
	kk_error_clear(&err);
	snprintf(body, sizeof(body), "{\"vendor_ids\": %s}", ids(w.a, 0));
	cr_assert_eq(call(&w, kk_case_notify, &w.coord, body, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_integer_value(json_object_get(out, "day0")), T0);
	json_decref(out);
	kk_clock_freeze(T0 + DAY);
	notify_ok(&w, ids(w.a, 0)); /* a reminder */
	kk_clock_freeze(T0 + 2 * DAY);
	notify_ok(&w, ids(w.b, 0)); /* a vendor added later */
	out = staff_view(&w);
	cr_assert_eq(json_integer_value(json_object_get(out, "day0")), T0);
	attempts = json_object_get(entry(out, w.a), "contact_attempts");
	cr_assert_eq(json_array_size(attempts), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(attempts, 0), "stage")), "summary");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(attempts, 1), "stage")), "reminder");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(attempts, 1), "at")), T0 + DAY);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(attempts, 0), "address")),
			 "psirt@a.example.jp");
	attempts = json_object_get(entry(out, w.b), "contact_attempts");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(attempts, 0), "at")), T0 + 2 * DAY);
	json_decref(out);
	/* a reminder leaves the status where it was */
	cr_assert_str_eq(status_of(&w, w.a), "notified");
	cr_assert_eq(unit_count(w.s, "SELECT last_contact_at FROM vendors WHERE name_ja = ?", "ベンダーA"),
		     T0 + DAY);
	kk_error_release(&err);
	world_free(&w);
}

/* SPEC 2.6: a vendor that cannot get the notice stops the whole call: 400,
 * nothing sent, nothing recorded, no day 0. */
Test(case_status, notify_without_email_sends_nothing)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *outbox = NULL, *view;

	world_init(&w);
	cr_assert_eq(notify(&w, ids(w.a, w.c), &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "vendor_ids[1]"), "the vendor without e-mail is named");
	cr_assert_null(json_object_get(err.fields, "vendor_ids[0]"));
	outbox = case_mail(&w);
	cr_assert_eq(json_array_size(outbox), 0, "nothing is sent");
	json_decref(outbox);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM contact_attempts"), 0);
	view = staff_view(&w);
	cr_assert(json_is_null(json_object_get(view, "day0")));
	cr_assert_null(entry(view, w.a), "nothing half-stored: a did not join the case");
	json_decref(view);
	kk_error_clear(&err);
	cr_assert_eq(notify(&w, "[]", &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "vendor_ids"));
	kk_error_clear(&err);
	cr_assert_eq(notify(&w, ids(w.a, w.a), &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "vendor_ids[1]"), "twice in the list");
	kk_error_clear(&err);
	/* only a coordinator notifies */
	cr_assert_eq(call(&w, kk_case_notify, &w.intake, "{\"vendor_ids\": [1]}", NULL, &err), KK_EDENIED);
	kk_error_release(&err);
	world_free(&w);
}

/* SPEC 1, SPEC 2.6: the notice holds the summary and the link, in the
 * vendor's language, never the detail. */
Test(case_status, summary_notice_never_holds_the_detail)
{
	struct world w;
	json_t *outbox = NULL, *m;
	char url[128];
	size_t i;

	world_init(&w);
	notify_ok(&w, ids(w.a, w.b));
	snprintf(url, sizeof(url), "https://vuln.example/cases/%.*s%%23%s", (int)(strchr(w.ref, '#') - w.ref), w.ref,
		 strchr(w.ref, '#') + 1);
	outbox = case_mail(&w);
	cr_assert_eq(json_array_size(outbox), 2);
	json_array_foreach(outbox, i, m) {
		const char *body = json_string_value(json_object_get(m, "body"));

		cr_assert_str_eq(json_string_value(json_object_get(m, "kind")), "case_summary");
		cr_assert_not_null(strstr(json_string_value(json_object_get(m, "subject")), w.ref));
		cr_assert_not_null(strstr(body, "A cross-site scripting flaw in Widget's search page."));
		cr_assert_not_null(strstr(body, url), "%s lacks %s", body, url);
		cr_assert_null(strstr(body, "SECRET-DETAIL"), "SPEC 1: no detail in unencrypted mail");
	}
	m = json_array_get(outbox, 0);
	cr_assert_str_eq(json_string_value(json_object_get(m, "recipient")), "psirt@a.example.jp");
	cr_assert_str_eq(json_string_value(json_object_get(m, "lang")), "ja");
	m = json_array_get(outbox, 1);
	cr_assert_str_eq(json_string_value(json_object_get(m, "lang")), "en");
	cr_assert_not_null(strstr(json_string_value(json_object_get(m, "body")), "Dear Vendor B,"));
	json_decref(outbox);
	world_free(&w);
}

/* R §5.1.2: one answer per vendor; "not applicable" says why. */
Test(case_status, answers)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *out = NULL;

	world_init(&w);
	notify_ok(&w, ids(w.a, w.b));
	cr_assert_eq(call(&w, kk_case_answer, &w.vb, "{\"answer\": \"not_applicable\"}", NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "reason"));
	kk_error_clear(&err);
	cr_assert_eq(call(&w, kk_case_answer, &w.vb, "{\"answer\": \"maybe\"}", NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "answer"));
	kk_error_clear(&err);
	cr_assert_eq(call(&w, kk_case_answer, &w.vb,
			  "{\"answer\": \"not_applicable\", \"reason\": \"We do not ship Widget.\"}", &out, &err),
		     KK_OK, "%s", err.msg);
	cr_assert_null(json_object_get(out, "detail"), "not applicable: the detail stays closed");
	json_decref(out);
	cr_assert_str_eq(status_of(&w, w.b), "not_affected");
	cr_assert_eq(call(&w, kk_case_answer, &w.vb, "{\"answer\": \"send_detail\"}", NULL, &err), KK_ECONFLICT);
	kk_error_clear(&err);
	cr_assert_str_eq(status_of(&w, w.b), "not_affected");
	out = staff_view(&w);
	cr_assert_str_eq(json_string_value(json_object_get(entry(out, w.b), "answer_reason")),
			 "We do not ship Widget.");
	json_decref(out);
	/* only a vendor answers; the coordinator records it as a status change */
	cr_assert_eq(call(&w, kk_case_answer, &w.coord, "{\"answer\": \"send_detail\"}", NULL, &err), KK_EDENIED);
	kk_error_clear(&err);
	ok(&w, kk_case_status_set, &w.coord, change("detail_requested", with_vendor(w.a, "\"note\": \"By phone.\"")));
	cr_assert_eq(kk_case_get(w.s, &w.va, w.ref, &out, &err), KK_OK);
	cr_assert_not_null(json_object_get(out, "detail"), "the answer recorded for it opens the detail");
	json_decref(out);
	cr_assert_eq(call(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}", NULL, &err), KK_ECONFLICT);
	kk_error_release(&err);
	world_free(&w);
}

/* SPEC 2.7: the table decides the order: fixed only after affected; a vendor
 * marked "no response" comes back by answering. */
Test(case_status, the_table_orders_the_statuses)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;

	world_init(&w);
	notify_ok(&w, ids(w.a, w.b));
	ok(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}");
	cr_assert_eq(call(&w, kk_case_status_set, &w.va, change("fixed", ""), NULL, &err), KK_ECONFLICT);
	kk_error_clear(&err);
	cr_assert_eq(call(&w, kk_case_status_set, &w.va, change("will_not_fix", ""), NULL, &err), KK_ECONFLICT);
	kk_error_clear(&err);
	cr_assert_str_eq(status_of(&w, w.a), "detail_requested");
	ok(&w, kk_case_status_set, &w.va, change("affected", ""));
	ok(&w, kk_case_status_set, &w.va, change("will_not_fix", ""));
	ok(&w, kk_case_status_set, &w.va, change("fixed", ""));
	/* a vendor does not mark itself, and only the coordinator marks silence */
	cr_assert_eq(call(&w, kk_case_status_set, &w.va, change("no_response", ""), NULL, &err), KK_EDENIED);
	kk_error_clear(&err);
	ok(&w, kk_case_status_set, &w.coord,
	   change("no_response", with_vendor(w.b, "\"note\": \"No answer in 30 days.\"")));
	cr_assert_str_eq(status_of(&w, w.b), "no_response");
	ok(&w, kk_case_answer, &w.vb, "{\"answer\": \"send_detail\"}");
	cr_assert_str_eq(status_of(&w, w.b), "detail_requested");
	/* bad input: the 400 contract */
	cr_assert_eq(call(&w, kk_case_status_set, &w.va, "{\"vulnerability\": 7, \"status\": \"affected\"}", NULL,
			  &err),
		     KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "vulnerability"));
	kk_error_clear(&err);
	cr_assert_eq(call(&w, kk_case_status_set, &w.va, "{\"vulnerability\": 1, \"status\": \"done\", \"x\": 1}", NULL,
			  &err),
		     KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "status"));
	cr_assert_not_null(json_object_get(err.fields, "x"));
	kk_error_clear(&err);
	cr_assert_eq(call(&w, kk_case_status_set, &w.coord, change("affected", ""), NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "vendor_id"), "staff say whose status");
	kk_error_release(&err);
	world_free(&w);
}

/* SPEC 1: a vendor never changes, nor sees, another vendor's standing. */
Test(case_status, a_vendor_cannot_touch_another_vendor)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *out = NULL;
	char *text;

	world_init(&w);
	notify_ok(&w, ids(w.a, 0));
	ok(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}");
	/* b is not notified: the case does not exist for it */
	cr_assert_eq(call(&w, kk_case_status_set, &w.vb, change("affected", ""), NULL, &err), KK_ENOTFOUND);
	kk_error_clear(&err);
	cr_assert_eq(call(&w, kk_case_answer, &w.vb, "{\"answer\": \"send_detail\"}", NULL, &err), KK_ENOTFOUND);
	kk_error_clear(&err);
	notify_ok(&w, ids(w.b, 0));
	ok(&w, kk_case_answer, &w.vb, "{\"answer\": \"send_detail\"}");
	cr_assert_eq(call(&w, kk_case_status_set, &w.va, change("affected", with_vendor(w.b, "")), NULL, &err),
		     KK_EDENIED);
	kk_error_clear(&err);
	cr_assert_str_eq(status_of(&w, w.b), "detail_requested");
	ok(&w, kk_case_status_set, &w.va, change("affected", with_vendor(w.a, "\"note\": \"A-NOTE\"")));
	cr_assert_eq(kk_case_get(w.s, &w.vb, w.ref, &out, &err), KK_OK);
	cr_assert_eq(json_array_size(json_object_get(out, "vendors")), 1, "its own entry only");
	text = json_dumps(out, 0);
	cr_assert_null(strstr(text, "A-NOTE"));
	cr_assert_null(strstr(text, "ベンダーA"));
	free(text);
	json_decref(out);
	kk_error_release(&err);
	world_free(&w);
}

/* SPEC 2.7: every change is audited with who made it, from where to where,
 * and why. */
Test(case_status, every_change_is_audited_with_who_and_why)
{
	struct world w;
	json_t *trail = NULL, *last;
	int64_t id;
	char q[256];

	world_init(&w);
	notify_ok(&w, ids(w.a, 0));
	ok(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}");
	ok(&w, kk_case_status_set, &w.va, change("investigating", "\"note\": \"Looking at 1.2.3.\""));
	snprintf(q, sizeof(q),
		 "SELECT vs.id FROM vendor_statuses vs JOIN case_vendors cv ON cv.id = vs.case_vendor_id"
		 " WHERE cv.vendor_id = %lld",
		 (long long)w.a);
	id = count(&w, q);
	cr_assert_eq(kk_audit_list(w.s, "vendor_status", id, &trail, NULL), KK_OK);
	cr_assert_eq(json_array_size(trail), 3, "notified, detail_requested, investigating");
	last = json_array_get(trail, 2);
	cr_assert_str_eq(json_string_value(json_object_get(last, "actor")), "psirt@a.example.jp");
	cr_assert_str_eq(json_string_value(json_object_get(last, "role")), "vendor");
	cr_assert_str_eq(json_string_value(json_object_get(last, "from")), "detail_requested");
	cr_assert_str_eq(json_string_value(json_object_get(last, "to")), "investigating");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(last, "detail"), "note")),
			 "Looking at 1.2.3.");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(trail, 0), "actor")), "coord@jpcert.example");
	json_decref(trail);
	world_free(&w);
}

/* SPEC 2.7, 2.11, G IV.5.2: countermeasures kept current, the statement,
 * suggestions of other vendors. */
Test(case_status, countermeasures_statement_suggestions)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *out = NULL, *view;

	world_init(&w);
	notify_ok(&w, ids(w.a, w.b));
	/* before asking for the detail a vendor reports nothing */
	cr_assert_eq(call(&w, kk_case_countermeasure_put, &w.va,
			  "{\"vulnerability\": 1, \"workaround_en\": \"Turn search off.\"}", NULL, &err),
		     KK_EDENIED);
	kk_error_clear(&err);
	ok(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}");
	cr_assert_eq(call(&w, kk_case_countermeasure_put, &w.va,
			  "{\"vulnerability\": 1, \"product_name\": \"Widget\", \"urls\": [\"ftp://x\"]}", NULL, &err),
		     KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "urls[0]"));
	kk_error_clear(&err);
	cr_assert_eq(call(&w, kk_case_countermeasure_put, &w.va,
			  "{\"vulnerability\": 1, \"product_name\": \"Widget\", \"fixed_versions\": [\"2.0\"],"
			  " \"urls\": [\"https://a.example.jp/adv/1\"],"
			  " \"workaround_ja\": \"検索を無効にする\"}",
			  &out, &err),
		     KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(out, "workaround_ja")), "検索を無効にする");
	json_decref(out);
	/* the same product again replaces it */
	ok(&w, kk_case_countermeasure_put, &w.va,
	   "{\"vulnerability\": 1, \"product_name\": \"Widget\", \"fixed_versions\": [\"2.0.1\"]}");
	view = staff_view(&w);
	cr_assert_eq(json_array_size(json_object_get(entry(view, w.a), "countermeasures")), 1);
	json_decref(view);
	cr_assert_eq(call(&w, kk_case_statement_put, &w.va, "{}", NULL, &err), KK_EINVAL);
	kk_error_clear(&err);
	cr_assert_eq(call(&w, kk_case_statement_put, &w.va,
			  "{\"ja\": \"対策版を公開しました。\", \"en\": \"Fixed.\"}", &out, &err),
		     KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(out, "en")), "Fixed.");
	json_decref(out);
	/* G IV.5.2: similar products of other vendors */
	cr_assert_eq(call(&w, kk_case_suggest, &w.va, "{\"name\": \"Other Corp\", \"note\": \"Same library.\"}", &out,
			  &err),
		     KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(out, "name")), "Other Corp");
	cr_assert_null(json_object_get(out, "on_case"), "names are not shared on this case");
	json_decref(out);
	cr_assert_eq(call(&w, kk_case_suggest, &w.coord, "{\"name\": \"X\"}", NULL, &err), KK_EDENIED);
	kk_error_clear(&err);
	cr_assert_eq(kk_case_suggestions(w.s, &w.coord, w.ref, &out, &err), KK_OK);
	cr_assert_eq(json_array_size(json_object_get(out, "suggestions")), 1);
	json_decref(out);
	cr_assert_eq(kk_case_suggestions(w.s, &w.vb, w.ref, &out, &err), KK_OK);
	cr_assert_eq(json_array_size(json_object_get(out, "suggestions")), 0, "another vendor's are not its");
	json_decref(out);
	kk_error_release(&err);
	world_free(&w);
}

/* R §5.1.2: a passed-on attachment only with the detail. */
Test(case_status, attachments_need_the_detail)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	void *data = NULL;
	char *fn = NULL, *ct = NULL;
	size_t size = 0;

	world_init(&w);
	notify_ok(&w, ids(w.a, w.b));
	ok(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}");
	cr_assert_eq(kk_case_attachment_get(w.s, &w.vb, w.ref, 1, &data, &size, &fn, &ct, &err), KK_EDENIED);
	kk_error_clear(&err);
	cr_assert_eq(kk_case_attachment_get(w.s, &w.va, w.ref, 999999, &data, &size, &fn, &ct, &err), KK_ENOTFOUND);
	cr_assert_null(data);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM audit WHERE action = 'detail.download'"), 0);
	kk_error_release(&err);
	world_free(&w);
}

/* SPEC 4.1, 4.4: a vendor marked unreachable before any notice sees nothing;
 * reached after all, the change to "notified" is its first notice, day 0 and
 * all; a vendor with no e-mail contact cannot be notified so. */
Test(case_status, unreachable_vendor_reached_after_all)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *out = NULL, *mail, *view;
	char body[64];

	world_init(&w);
	snprintf(body, sizeof(body), "{\"vendor_id\": %lld}", (long long)w.b);
	ok(&w, kk_case_vendor_add, &w.coord, body);
	snprintf(body, sizeof(body), "{\"vendor_id\": %lld}", (long long)w.c);
	ok(&w, kk_case_vendor_add, &w.coord, body);
	ok(&w, kk_case_status_set, &w.coord,
	   change("unreachable", with_vendor(w.b, "\"note\": \"No channel works.\"")));
	cr_assert_str_eq(status_of(&w, w.b), "unreachable");
	cr_assert_eq(kk_case_get(w.s, &w.vb, w.ref, &out, &err), KK_ENOTFOUND, "never notified: no case");
	kk_error_clear(&err);
	mail = case_mail(&w);
	cr_assert_eq(json_array_size(mail), 0);
	json_decref(mail);
	ok(&w, kk_case_status_set, &w.coord, change("notified", with_vendor(w.b, "")));
	cr_assert_str_eq(status_of(&w, w.b), "notified");
	mail = case_mail(&w);
	cr_assert_eq(json_array_size(mail), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(mail, 0), "recipient")),
			 "security@b.example");
	json_decref(mail);
	view = staff_view(&w);
	cr_assert(json_is_integer(json_object_get(view, "day0")), "the first contact attempt is day 0");
	json_decref(view);
	cr_assert_eq(kk_case_get(w.s, &w.vb, w.ref, &out, &err), KK_OK, "%s", err.msg);
	json_decref(out);
	cr_assert_eq(call(&w, kk_case_status_set, &w.coord, change("notified", with_vendor(w.c, "")), NULL, &err),
		     KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "vendor_id"));
	cr_assert_str_eq(status_of(&w, w.c), "not_notified");
	kk_error_release(&err);
	world_free(&w);
}

/* SPEC 2.7: one status per vulnerability: the answer moves them all, the
 * verification result each on its own; a vulnerability added later joins at
 * the vendor's stage. */
Test(case_status, one_status_per_vulnerability)
{
	struct world w;
	json_t *view, *st;

	world_init(&w);
	ok(&w, kk_case_vuln_add, &w.coord, "{\"title\": \"CSRF in Widget\"}");
	notify_ok(&w, ids(w.a, 0));
	ok(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}");
	ok(&w, kk_case_status_set, &w.va, change("affected", ""));
	ok(&w, kk_case_status_set, &w.va, "{\"vulnerability\": 2, \"status\": \"not_affected\"}");
	view = staff_view(&w);
	st = json_object_get(entry(view, w.a), "statuses");
	cr_assert_eq(json_array_size(st), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(st, 0), "status")), "affected");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(st, 1), "status")), "not_affected");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(st, 1), "vulnerability")), 2);
	json_decref(view);
	world_free(&w);
}
