/*
 * test_case_date.c: unit tests of a case's publication date (lib/case/date*.c;
 * issue 10, SPEC 2.8, 2.9, G IV.4.3-4.4) through the real core on the engine
 * under test (SQLite, or PostgreSQL with KEIKAI_TEST_PG), with the core clock
 * set across months. test_flow.c walks the date table state × event × role;
 * here are day 0's proposal, three vendors answering (one agrees, one asks
 * for a later date, one silent), what each party sees, the one date set and
 * moved with everyone told, bad input, calling off and resuming, and the date
 * reached.
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
#include "unit.h"

/* 2027-01-05 10:00 JST, a Tuesday: day 0 */
#define DAY0 1799110800
#define DAY 86400

struct world {
	struct unit_parties p;
	struct kk_user third; /* a user of the third vendor, which stays silent */
	int64_t third_vid;
	char ref[KK_CASE_REF_MAX];
};

/* Calls fn(s, actor, ref, body) and returns its result; err keeps the error. */
static enum kk_result call(struct world *w, enum kk_result (*fn)(struct kk_store *, const struct kk_user *,
								  const char *, const json_t *, json_t **,
								  struct kk_error *),
			   const struct kk_user *actor, const char *body, json_t **out, struct kk_error *err)
{
	json_t *b = unit_json(body), *o = NULL;
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

static json_t *date_of(struct world *w, const struct kk_user *viewer)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;

	cr_assert_eq(kk_case_date_get(w->p.s, viewer, w->ref, &out, &err), KK_OK, "%s", err.msg);
	kk_error_release(&err);
	return out;
}

static int64_t num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static size_t outbox_count(struct world *w, const char *kind)
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

/* A case from one accepted report with three vendors, all notified at DAY0. */
static void setup(struct world *w)
{
	struct kk_error err = KK_ERROR_INIT;
	char tid[24], body[160];
	json_t *b, *out = NULL;

	kk_clock_freeze(DAY0 - 2 * DAY);
	unit_parties(&w->p);
	w->third_vid = unit_vendor(w->p.s, &w->p.coord, "Third Corp", "psirt@third.example.jp", &w->third);
	unit_accepted_report(w->p.s, &w->p.intake, unit_report_body("product"), tid, NULL);
	unit_case_open(w->p.s, &w->p.coord, tid, "XSS in Example Router", "A summary.", "The detail.", w->ref,
		       sizeof(w->ref));
	kk_clock_freeze(DAY0);
	snprintf(body, sizeof(body), "{\"vendor_ids\": [%lld, %lld, %lld]}", (long long)w->p.vid,
		 (long long)w->p.other_vid, (long long)w->third_vid);
	b = unit_json(body);
	cr_assert_eq(kk_case_notify(w->p.s, &w->p.coord, w->ref, b, &out, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	json_decref(out);
	kk_error_release(&err);
}

static void teardown(struct world *w)
{
	kk_user_release(&w->third);
	unit_parties_end(&w->p);
	kk_clock_set(0);
}

/* SPEC 2.8: day 0 + 45 days, on a business day, at 11:00 in Japan */
Test(case_date, day0_proposes_the_date)
{
	struct world w;
	json_t *d;

	setup(&w);
	d = date_of(&w, &w.p.coord);
	cr_assert_str_eq(json_string_value(json_object_get(d, "state")), "proposed");
	cr_assert_eq(num(d, "day0"), DAY0);
	/* 2027-01-05 + 45 days = 2027-02-19, a Friday; 11:00 JST is 02:00Z */
	cr_assert_eq(num(d, "proposed_at"), 1803002400, "%lld", (long long)num(d, "proposed_at"));
	cr_assert_eq(num(d, "date"), num(d, "proposed_at"));
	cr_assert(json_is_null(json_object_get(d, "publication_at")));
	json_decref(d);
	teardown(&w);
}

/* SPEC 2.8: every vendor answers; the coordinator sees who agreed, who asked
 * for what and who is silent, and what the answers point to; no vendor sees
 * another's answer (SPEC 1) */
Test(case_date, three_vendors_answer)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *d, *answers;

	setup(&w);
	kk_clock_freeze(DAY0 + 2 * DAY);
	cr_assert_eq(call(&w, kk_case_date_answer, &w.p.vendor, "{\"answer\": \"agree\"}", NULL, &err), KK_OK, "%s",
		     err.msg);
	cr_assert_eq(call(&w, kk_case_date_answer, &w.p.other,
			  "{\"answer\": \"other\", \"date\": \"2027-03-05\", \"reason\": \"The fix needs QA.\"}", NULL,
			  &err),
		     KK_OK, "%s", err.msg);
	d = date_of(&w, &w.p.coord);
	cr_assert_eq(num(json_object_get(d, "summary"), "agreed"), 1);
	cr_assert_eq(num(json_object_get(d, "summary"), "other"), 1);
	cr_assert_eq(num(json_object_get(d, "summary"), "silent"), 1);
	/* 2027-03-05 11:00 JST */
	cr_assert_eq(num(d, "suggested_at"), 1804212000, "%lld", (long long)num(d, "suggested_at"));
	answers = json_object_get(d, "answers");
	cr_assert_eq(json_array_size(answers), 3);
	json_decref(d);

	d = date_of(&w, &w.p.vendor);
	answers = json_object_get(d, "answers");
	cr_assert_eq(json_array_size(answers), 1, "a vendor sees its own answer only");
	cr_assert_eq(num(json_array_get(answers, 0), "vendor_id"), w.p.vid);
	cr_assert_null(json_object_get(d, "summary"));
	cr_assert_null(json_object_get(d, "suggested_at"));
	cr_assert_null(json_object_get(d, "factors"));
	cr_assert(json_is_true(json_object_get(json_object_get(d, "may"), "answer")));
	cr_assert(json_is_false(json_object_get(json_object_get(d, "may"), "set")));
	json_decref(d);

	/* answering again replaces the answer */
	cr_assert_eq(call(&w, kk_case_date_answer, &w.p.vendor,
			  "{\"answer\": \"other\", \"date\": \"2027-03-08\", \"reason\": \"Later.\"}", NULL, &err),
		     KK_OK, "%s", err.msg);
	d = date_of(&w, &w.p.coord);
	cr_assert_eq(num(json_object_get(d, "summary"), "agreed"), 0);
	cr_assert_eq(num(json_object_get(d, "summary"), "other"), 2);
	json_decref(d);
	kk_error_release(&err);
	teardown(&w);
}

/* SPEC 2.8: a vendor never sets a date; a vendor not on the case sees no date */
Test(case_date, only_the_coordinator_sets_it)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *out = NULL;

	setup(&w);
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.vendor, "{\"date\": \"2027-03-05\", \"reason\": \"Mine.\"}",
			  NULL, &err),
		     KK_EDENIED);
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.intake, "{\"date\": \"2027-03-05\", \"reason\": \"x\"}", NULL,
			  &err),
		     KK_EDENIED);
	cr_assert_eq(call(&w, kk_case_date_answer, &w.p.coord, "{\"answer\": \"agree\"}", NULL, &err), KK_EDENIED);
	/* an operator may not read the case: its date is missing like the case */
	cr_assert_eq(kk_case_date_get(w.p.s, &w.p.operator, w.ref, &out, &err), KK_ENOTFOUND);
	cr_assert_null(out);
	cr_assert_eq(kk_case_date_get(w.p.s, &w.p.coord, "VU#999999", &out, &err), KK_ENOTFOUND);
	kk_error_release(&err);
	teardown(&w);
}

/* SPEC 2.8, G IV.4.4: the one date set and moved, each change recorded and
 * told to every vendor, intake and the finder; answers to the old date are
 * history */
Test(case_date, set_and_move_tell_everyone)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *d, *h;
	size_t before_vendor, before_finder;

	setup(&w);
	cr_assert_eq(call(&w, kk_case_date_answer, &w.p.vendor, "{\"answer\": \"agree\"}", NULL, &err), KK_OK);
	before_vendor = outbox_count(&w, "date_notice");
	before_finder = outbox_count(&w, "date_finder");
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.coord,
			  "{\"date\": \"2027-03-05\", \"reason\": \"Other Corp needs QA time.\", \"factors\":"
			  " {\"fix_time\": \"QA of the fix\", \"leak_risk\": \"low\"}}",
			  &d, &err),
		     KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(d, "state")), "set");
	cr_assert_eq(num(d, "publication_at"), 1804212000);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(d, "factors"), "fix_time")), "QA of the fix");
	cr_assert_eq(num(json_object_get(d, "summary"), "silent"), 3, "answers to the old date are history");
	h = json_object_get(d, "history");
	cr_assert_eq(json_array_size(h), 1);
	cr_assert_eq(num(json_array_get(h, 0), "old_at"), 1803002400);
	cr_assert_eq(num(json_array_get(h, 0), "new_at"), 1804212000);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(h, 0), "by")), "Test User");
	/* who was told, as the coordinator sees it: the finder without its address (SPEC 1) */
	cr_assert_eq(json_array_size(json_object_get(d, "told")), 5);
	{
		size_t i, finders = 0;
		json_t *t;

		json_array_foreach(json_object_get(d, "told"), i, t)
			if (json_is_true(json_object_get(t, "finder"))) {
				finders++;
				cr_assert(json_is_null(json_object_get(t, "recipient")));
			}
		cr_assert_eq(finders, 1);
	}
	json_decref(d);
	/* three vendors and the intake user; the finder apart */
	cr_assert_eq(outbox_count(&w, "date_notice") - before_vendor, 4);
	cr_assert_eq(outbox_count(&w, "date_finder") - before_finder, 1);

	/* moved: recorded again, everyone told again */
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.coord, "{\"date\": \"2027-03-10\", \"reason\": \"Moved.\"}", &d,
			  &err),
		     KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(json_object_get(d, "history")), 2);
	json_decref(d);
	cr_assert_eq(outbox_count(&w, "date_notice") - before_vendor, 8);
	{
		/* every change is in the case's audit trail: who, from when to when, why */
		json_t *trail = NULL, *e;
		size_t i, sets = 0;

		cr_assert_eq(kk_case_audit(w.p.s, &w.p.coord, w.ref, &trail, &err), KK_OK, "%s", err.msg);
		json_array_foreach(json_object_get(trail, "audit"), i, e)
			if (!strcmp(json_string_value(json_object_get(e, "action")), "set")) {
				sets++;
				cr_assert_not_null(json_object_get(json_object_get(e, "detail"), "from_at"));
				cr_assert_not_null(json_object_get(json_object_get(e, "detail"), "reason"));
			}
		cr_assert_eq(sets, 2);
		json_decref(trail);
	}
	/* a vendor sees when the date changed, not who changed it or why */
	d = date_of(&w, &w.p.other);
	h = json_object_get(d, "history");
	cr_assert_eq(json_array_size(h), 2);
	cr_assert_null(json_object_get(json_array_get(h, 0), "by"));
	cr_assert_null(json_object_get(json_array_get(h, 0), "reason"));
	cr_assert_null(json_object_get(d, "told"));
	json_decref(d);
	kk_error_release(&err);
	teardown(&w);
}

/* bad input names every fault and changes nothing */
Test(case_date, bad_input)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *d;

	setup(&w);
	/* 2027-03-06 is a Saturday; 2027-01-04 is past; 2027-02-11 a national holiday */
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.coord, "{\"date\": \"2027-03-06\", \"reason\": \"x\"}", NULL, &err),
		     KK_EINVAL);
	cr_assert(strstr(err.msg, "business day") || kk_error_has_fields(&err));
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.coord, "{\"date\": \"2027-01-04\", \"reason\": \"x\"}", NULL, &err),
		     KK_EINVAL);
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.coord, "{\"date\": \"2027-02-11\", \"reason\": \"x\"}", NULL, &err),
		     KK_EINVAL);
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.coord, "{\"date\": \"2027-02-30\", \"reason\": \"x\"}", NULL, &err),
		     KK_EINVAL);
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.coord, "{\"date\": \"2027-03-05\"}", NULL, &err), KK_EINVAL);
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.coord,
			  "{\"date\": \"2027-03-05\", \"reason\": \"x\", \"factors\": {\"luck\": \"good\"}}", NULL, &err),
		     KK_EINVAL);
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.coord,
			  "{\"date\": \"2027-03-05\", \"publication_at\": \"2027-03-05T02:00:00Z\", \"reason\": \"x\"}",
			  NULL, &err),
		     KK_EINVAL);
	cr_assert_eq(call(&w, kk_case_date_answer, &w.p.vendor, "{\"answer\": \"maybe\"}", NULL, &err), KK_EINVAL);
	cr_assert_eq(call(&w, kk_case_date_answer, &w.p.vendor, "{\"answer\": \"other\"}", NULL, &err), KK_EINVAL);
	cr_assert_eq(call(&w, kk_case_date_answer, &w.p.vendor, "{\"answer\": \"agree\", \"date\": \"2027-03-05\"}",
			  NULL, &err),
		     KK_EINVAL);
	d = date_of(&w, &w.p.coord);
	cr_assert_str_eq(json_string_value(json_object_get(d, "state")), "proposed");
	cr_assert_eq(json_array_size(json_object_get(d, "history")), 0);
	cr_assert_eq(num(json_object_get(d, "summary"), "silent"), 3);
	json_decref(d);
	kk_error_release(&err);
	teardown(&w);
}

/* SPEC 2.9, G IV.4.4: called off with a reason, told to the vendors and
 * intake; with (オ) the finder is told that handling ends; resumed */
Test(case_date, call_off_and_resume)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *b, *d = NULL, *off;
	size_t finder_before;

	setup(&w);
	b = unit_json("{\"reason\": \"z\"}");
	cr_assert_eq(kk_case_date_event(w.p.s, &w.p.coord, w.ref, "call_off", b, &d, &err), KK_EINVAL);
	json_decref(b);
	kk_error_release(&err);
	cr_assert_eq(kk_case_date_event(w.p.s, &w.p.coord, w.ref, "call_off", NULL, &d, &err), KK_EINVAL);
	kk_error_release(&err);
	finder_before = outbox_count(&w, "date_finder");
	b = unit_json("{\"reason\": \"e\", \"note\": \"The vendor mails its customers.\"}");
	cr_assert_eq(kk_case_date_event(w.p.s, &w.p.vendor, w.ref, "call_off", b, &d, &err), KK_EDENIED);
	kk_error_release(&err);
	cr_assert_eq(kk_case_date_event(w.p.s, &w.p.coord, w.ref, "call_off", b, &d, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	cr_assert_str_eq(json_string_value(json_object_get(d, "state")), "called_off");
	off = json_object_get(d, "called_off");
	cr_assert_str_eq(json_string_value(json_object_get(off, "reason")), "e");
	cr_assert_not_null(json_string_value(json_object_get(off, "label")));
	json_decref(d);
	cr_assert_eq(outbox_count(&w, "date_finder") - finder_before, 1);
	/* nothing to answer now */
	cr_assert_eq(call(&w, kk_case_date_answer, &w.p.vendor, "{\"answer\": \"agree\"}", NULL, &err), KK_ECONFLICT);
	kk_error_release(&err);
	cr_assert_eq(kk_case_date_event(w.p.s, &w.p.coord, w.ref, "resume", NULL, &d, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(d, "state")), "proposed");
	cr_assert(json_is_null(json_object_get(d, "called_off")));
	json_decref(d);
	/* keikai's own events are not a user's */
	kk_error_release(&err);
	cr_assert_eq(kk_case_date_event(w.p.s, &w.p.coord, w.ref, "reach", NULL, &d, &err), KK_EDENIED);
	kk_error_release(&err);
	teardown(&w);
}

/* What the scheduler does for the case ref (arg): its date's "reach". */
static enum kk_result reach(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT id FROM cases WHERE ref = ?", err);
	enum kk_result res;
	int64_t id;

	cr_assert_not_null(st);
	kk_stmt_bind_text(st, 1, arg);
	res = kk_stmt_first(st, err);
	id = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	return res ? res : kk_case_date_reach(tx, id, err);
}

/* SPEC 8: the date reached makes the case ready to publish; not before */
Test(case_date, date_reached)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *d;

	setup(&w);
	cr_assert_eq(call(&w, kk_case_date_set, &w.p.coord, "{\"date\": \"2027-03-05\", \"reason\": \"Agreed.\"}", NULL,
			  &err),
		     KK_OK, "%s", err.msg);
	kk_clock_freeze(1804212000 - 60);
	cr_assert_eq(kk_tx_grouped(w.p.s, reach, w.ref, &err), KK_OK, "%s", err.msg);
	d = date_of(&w, &w.p.coord);
	cr_assert_str_eq(json_string_value(json_object_get(d, "state")), "set", "a minute early");
	json_decref(d);
	kk_clock_freeze(1804212000);
	cr_assert_eq(kk_tx_grouped(w.p.s, reach, w.ref, &err), KK_OK, "%s", err.msg);
	d = date_of(&w, &w.p.coord);
	cr_assert_str_eq(json_string_value(json_object_get(d, "state")), "ready");
	cr_assert_eq(num(d, "ready_at"), 1804212000);
	cr_assert(json_is_true(json_object_get(json_object_get(d, "may"), "set")), "it may still be moved");
	json_decref(d);
	kk_error_release(&err);
	teardown(&w);
}
