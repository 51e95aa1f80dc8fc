/*
 * test_case_lift.c: unit tests of lifting the non-disclosure request
 * (lib/case/lift*.c, keikai/lift.h; issue 10, SPEC 2.12, G IV.2.4,
 * IV.3(1)11) and of the finder's stages that issue 10 adds (lib/case/finder.c:
 * "date_set" with the date, "ended" for call-off reason (オ)), through the
 * real core on the engine under test (SQLite, or PostgreSQL with
 * KEIKAI_TEST_PG), with the core clock moved a year on. test_flow.c walks
 * the lift table state × event × role.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/lift.h"
#include "keikai/settings.h"
#include "unit.h"

/* 2027-01-05 10:00 JST, a Tuesday: day 0 */
#define DAY0 1799110800
#define DAY 86400

struct world {
	struct unit_parties p;
	char ref[KK_CASE_REF_MAX];
	char secret[64], secret2[64];
};

/* A case of two accepted reports (Finder A and B), its vendor notified at DAY0. */
static void setup(struct world *w)
{
	struct kk_error err = KK_ERROR_INIT;
	char tid[24], tid2[24], body[200];
	json_t *b, *out = NULL;

	kk_clock_freeze(DAY0 - 2 * DAY);
	unit_parties(&w->p);
	unit_accepted_report(w->p.s, &w->p.intake, unit_report_body("product"), tid, w->secret);
	unit_accepted_report(w->p.s, &w->p.intake, unit_report_body("product"), tid2, w->secret2);
	snprintf(body, sizeof(body), "{\"reports\": [\"%s\", \"%s\"], \"title\": \"T\", \"summary\": \"S\", \"detail\": \"D\"}",
		 tid, tid2);
	b = unit_json(body);
	cr_assert_eq(kk_case_open(w->p.s, &w->p.coord, b, &out, &err), KK_OK, "%s", err.msg);
	snprintf(w->ref, sizeof(w->ref), "%s", json_string_value(json_object_get(out, "id")));
	json_decref(b);
	json_decref(out);
	kk_clock_freeze(DAY0); /* day 0 to the second */
	snprintf(body, sizeof(body), "{\"vendor_ids\": [%lld]}", (long long)w->p.vid);
	b = unit_json(body);
	cr_assert_eq(kk_case_notify(w->p.s, &w->p.coord, w->ref, b, &out, &err), KK_OK, "%s", err.msg);
	kk_clock_freeze(DAY0);
	json_decref(b);
	json_decref(out);
	kk_error_release(&err);
}

static void teardown(struct world *w)
{
	unit_parties_end(&w->p);
	kk_clock_set(0);
}

/* The finder's view by secret. */
static json_t *view(struct world *w, const char *secret)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;

	cr_assert_eq(kk_case_finder_view(w->p.s, secret, &out, &err), KK_OK, "%s", err.msg);
	kk_error_release(&err);
	return out;
}

static enum kk_result ask(struct world *w, const char *secret, const char *body, json_t **out, struct kk_error *err)
{
	json_t *b = unit_json(body), *o = NULL;
	enum kk_result res;

	kk_error_release(err);
	res = kk_lift_ask(w->p.s, secret, b, &o, err);
	json_decref(b);
	if (out)
		*out = o;
	else
		json_decref(o);
	return res;
}

static enum kk_result answer(struct world *w, const struct kk_user *actor, int64_t id, const char *body, json_t **out,
			     struct kk_error *err)
{
	json_t *b = unit_json(body), *o = NULL;
	enum kk_result res;

	kk_error_release(err);
	res = kk_lift_answer(w->p.s, actor, w->ref, id, b, &o, err);
	json_decref(b);
	if (out)
		*out = o;
	else
		json_decref(o);
	return res;
}

static int64_t num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* SPEC 2.12, 8: the finder may ask from day 0 + 365 days, not before */
Test(case_lift, not_before_the_year)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *v, *lift;

	setup(&w);
	kk_clock_freeze(DAY0 + 364 * DAY);
	v = view(&w, w.secret);
	lift = json_object_get(v, "lift");
	cr_assert(json_is_object(lift));
	cr_assert_eq(num(lift, "from"), DAY0 + 365 * DAY);
	cr_assert(json_is_false(json_object_get(lift, "available")));
	cr_assert(json_is_false(json_object_get(lift, "may_ask")));
	json_decref(v);
	cr_assert_eq(ask(&w, w.secret, "{}", NULL, &err), KK_ECONFLICT);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM lift_requests", NULL), 0);
	kk_clock_freeze(DAY0 + 365 * DAY);
	cr_assert_eq(ask(&w, w.secret, "{}", NULL, &err), KK_OK, "%s", err.msg);
	kk_error_release(&err);
	teardown(&w);
}

/* SPEC 8: the year is the setting clock_lift_days */
Test(case_lift, the_setting_moves_the_mark)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;

	setup(&w);
	cr_assert_eq(kk_setting_set(w.p.s, "clock_lift_days", "30", &err), KK_OK, "%s", err.msg);
	kk_clock_freeze(DAY0 + 29 * DAY);
	cr_assert_eq(ask(&w, w.secret, "{}", NULL, &err), KK_ECONFLICT);
	kk_clock_freeze(DAY0 + 30 * DAY);
	cr_assert_eq(ask(&w, w.secret, "{}", NULL, &err), KK_OK, "%s", err.msg);
	kk_error_release(&err);
	teardown(&w);
}

/* SPEC 2.12: a report in no case (no day 0) has nothing to ask; no such secret is 404 */
Test(case_lift, no_case_no_request)
{
	struct kk_error err = KK_ERROR_INIT;
	struct unit_parties p;
	char tid[24], secret[64];
	json_t *v = NULL, *b = unit_json("{}"), *o = NULL;

	kk_clock_freeze(DAY0 + 400 * DAY);
	unit_parties(&p);
	unit_accepted_report(p.s, &p.intake, unit_report_body("product"), tid, secret);
	cr_assert_eq(kk_case_finder_view(p.s, secret, &v, &err), KK_OK);
	cr_assert(json_is_null(json_object_get(v, "lift")));
	cr_assert_eq(kk_lift_ask(p.s, secret, b, &o, &err), KK_ECONFLICT);
	kk_error_release(&err);
	cr_assert_eq(kk_lift_ask(p.s, "no-such-secret", b, &o, &err), KK_ENOTFOUND);
	json_decref(v);
	json_decref(b);
	kk_error_release(&err);
	unit_parties_end(&p);
	kk_clock_set(0);
}

/* SPEC 2.12, G IV.3(1)11: ask, not yet with the vendor's delay explained, ask again, lifted */
Test(case_lift, ask_answer_ask_again)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *r = NULL, *v, *list = NULL;
	int64_t first, second;

	setup(&w);
	kk_clock_freeze(DAY0 + 366 * DAY);
	cr_assert_eq(ask(&w, w.secret, "{\"reason\": \"I want to talk about it.\"}", &r, &err), KK_OK, "%s", err.msg);
	first = num(r, "id");
	cr_assert_str_eq(str(r, "state"), "requested");
	json_decref(r);
	/* one open request at a time */
	cr_assert_eq(ask(&w, w.secret, "{}", NULL, &err), KK_ECONFLICT);

	cr_assert_eq(kk_lift_list(w.p.s, &w.p.intake, w.ref, &list, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(json_object_get(list, "open")), 1);
	cr_assert_str_eq(str(json_array_get(json_object_get(list, "open"), 0), "finder"), "Finder A");
	cr_assert(json_is_true(json_object_get(list, "may_answer")));
	json_decref(list);

	/* who may answer: intake and coordinator; not admin nor the case's vendor (refused), nor
	 * another vendor (the case is missing to it: SPEC 1) */
	cr_assert_eq(answer(&w, &w.p.admin, first, "{\"decision\": \"lifted\", \"explanation\": \"x\"}", NULL, &err),
		     KK_EDENIED);
	cr_assert_eq(answer(&w, &w.p.vendor, first, "{\"decision\": \"lifted\", \"explanation\": \"x\"}", NULL, &err),
		     KK_EDENIED);
	cr_assert_eq(answer(&w, &w.p.other, first, "{\"decision\": \"lifted\", \"explanation\": \"x\"}", NULL, &err),
		     KK_ENOTFOUND);
	cr_assert_eq(answer(&w, &w.p.coord, first + 1000, "{\"decision\": \"lifted\", \"explanation\": \"x\"}", NULL,
			    &err),
		     KK_ENOTFOUND);
	cr_assert_eq(answer(&w, &w.p.coord, first,
			    "{\"decision\": \"not_yet\", \"explanation\": \"The vendor ships the fix in March.\"}", &r,
			    &err),
		     KK_OK, "%s", err.msg);
	cr_assert_str_eq(str(r, "decision"), "not_yet");
	cr_assert_str_eq(str(r, "state"), "answered");
	json_decref(r);
	cr_assert_eq(answer(&w, &w.p.coord, first, "{\"decision\": \"lifted\", \"explanation\": \"x\"}", NULL, &err),
		     KK_ECONFLICT, "answered once");

	v = view(&w, w.secret);
	cr_assert_str_eq(str(json_object_get(json_object_get(v, "lift"), "latest"), "explanation"),
			 "The vendor ships the fix in March.");
	cr_assert(json_is_true(json_object_get(json_object_get(v, "lift"), "may_ask")));
	json_decref(v);
	/* the other finder sees none of it */
	v = view(&w, w.secret2);
	cr_assert(json_is_null(json_object_get(json_object_get(v, "lift"), "latest")));
	json_decref(v);

	cr_assert_eq(ask(&w, w.secret, "{}", &r, &err), KK_OK, "%s", err.msg);
	second = num(r, "id");
	json_decref(r);
	cr_assert_eq(answer(&w, &w.p.intake, second, "{\"decision\": \"lifted\", \"explanation\": \"The fix is out.\"}",
			    NULL, &err),
		     KK_OK, "%s", err.msg);
	v = view(&w, w.secret);
	cr_assert_str_eq(str(json_object_get(json_object_get(v, "lift"), "latest"), "decision"), "lifted");
	cr_assert(json_is_false(json_object_get(json_object_get(v, "lift"), "may_ask")));
	json_decref(v);
	cr_assert_eq(ask(&w, w.secret, "{}", NULL, &err), KK_ECONFLICT, "lifted: nothing to ask");
	/* recorded: the requests and answers; audited on the case and by the flow */
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM lift_requests WHERE state = 'answered'", NULL), 2);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM audit WHERE action = 'lift.request'", NULL), 2);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM audit WHERE object_type = 'lift_request'", NULL), 2);
	{
		/* and the case's trail, as staff read it, shows both answers */
		json_t *trail = NULL, *e;
		size_t i, answers = 0;

		cr_assert_eq(kk_case_audit(w.p.s, &w.p.coord, w.ref, &trail, &err), KK_OK, "%s", err.msg);
		json_array_foreach(json_object_get(trail, "audit"), i, e)
			answers += !strcmp(json_string_value(json_object_get(e, "object_type")), "lift_request") &&
				   !strcmp(json_string_value(json_object_get(e, "action")), "answer");
		cr_assert_eq(answers, 2);
		json_decref(trail);
	}
	/* the finder is told by mail of each answer, the decision only (SPEC 1) */
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'lift_answer'", NULL), 2);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'lift_answer' AND body LIKE '%March%'", NULL),
		     0);
	kk_error_release(&err);
	teardown(&w);
}

/* Bad input names every field, nothing stored */
Test(case_lift, bad_input)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *r = NULL;

	setup(&w);
	kk_clock_freeze(DAY0 + 366 * DAY);
	cr_assert_eq(ask(&w, w.secret, "{\"reason\": 3, \"other\": 1}", NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "reason"));
	cr_assert_not_null(json_object_get(err.fields, "other"));
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM lift_requests", NULL), 0);
	cr_assert_eq(ask(&w, w.secret, "{}", &r, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(answer(&w, &w.p.coord, num(r, "id"), "{\"decision\": \"maybe\", \"explanation\": \"\"}", NULL, &err),
		     KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "decision"));
	cr_assert_not_null(json_object_get(err.fields, "explanation"));
	/* G IV.3(1)11: not_yet without an explanation is refused */
	cr_assert_eq(answer(&w, &w.p.coord, num(r, "id"), "{\"decision\": \"not_yet\"}", NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "explanation"));
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM lift_requests WHERE state = 'requested'", NULL), 1);
	json_decref(r);
	kk_error_release(&err);
	teardown(&w);
}

/* Issue 10 item 3: the finder is told the date once it is set; item 4 (オ):
 * that handling ends when publication is called off with reason e */
Test(case_lift, finder_stages_date_set_and_ended)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	json_t *v, *b, *out = NULL;

	setup(&w);
	kk_clock_freeze(DAY0 + 2 * DAY);
	v = view(&w, w.secret);
	cr_assert_str_neq(str(v, "stage"), "date_set", "a proposed date is not the date");
	cr_assert(json_is_null(json_object_get(v, "publication_at")));
	json_decref(v);
	b = unit_json("{\"date\": \"2027-02-19\", \"reason\": \"As proposed.\"}");
	cr_assert_eq(kk_case_date_set(w.p.s, &w.p.coord, w.ref, b, &out, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	json_decref(out);
	v = view(&w, w.secret);
	cr_assert_str_eq(str(v, "stage"), "date_set");
	/* 2027-02-19 11:00 JST */
	cr_assert_eq(num(v, "publication_at"), 1803002400);
	cr_assert_not_null(str(v, "publication_text"));
	cr_assert_not_null(strstr(str(v, "publication_text"), "2027"), "%s", str(v, "publication_text"));
	json_decref(v);

	/* (ア): the vendor says it is not a vulnerability: not "ended" for the finder */
	b = unit_json("{\"reason\": \"a\"}");
	cr_assert_eq(kk_case_date_event(w.p.s, &w.p.coord, w.ref, "call_off", b, &out, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	json_decref(out);
	v = view(&w, w.secret);
	cr_assert_str_neq(str(v, "stage"), "ended");
	cr_assert_str_neq(str(v, "stage"), "date_set");
	json_decref(v);
	b = unit_json("{}");
	cr_assert_eq(kk_case_date_event(w.p.s, &w.p.coord, w.ref, "resume", b, &out, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	json_decref(out);
	/* (オ): the vendor tells every user itself; the finder is told handling ends */
	b = unit_json("{\"reason\": \"e\"}");
	cr_assert_eq(kk_case_date_event(w.p.s, &w.p.coord, w.ref, "call_off", b, &out, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	json_decref(out);
	v = view(&w, w.secret);
	cr_assert_str_eq(str(v, "stage"), "ended");
	cr_assert(json_is_null(json_object_get(v, "publication_at")));
	json_decref(v);
	kk_error_release(&err);
	teardown(&w);
}
