/*
 * test_schedule.c: unit tests of the scheduler (lib/schedule/, schedule.h;
 * issue 10, SPEC 8) through the real core on the engine under test (SQLite,
 * or PostgreSQL with KEIKAI_TEST_PG). The core clock is set across months
 * (kk_clock_freeze), and every clock is shown to fire once and only once when
 * due, never before; a tick run twice sends nothing twice; a missed month
 * catches up in one tick; a silent vendor is notified again on its next
 * e-mail address, round by round, then marked "no response" with the
 * coordinator alerted (and told of the channels only a person can use).
 *
 * The days: day 0 is Monday 2027-06-07 10:00 in Japan. June 2027 has no
 * holiday; 2027-07-19 is 海の日 (Marine Day), so ten business days after
 * Monday 2027-07-05 is Tuesday 2027-07-20.
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
#include "keikai/schedule.h"
#include "keikai/settings.h"
#include "keikai/vendor.h"
#include "unit.h"

static int64_t at(const char *iso)
{
	int64_t t = 0;

	cr_assert_eq(kk_time_parse(iso, &t), 0, "%s", iso);
	return t;
}

/* A case of one accepted report with a vulnerability, two vendors (a: four
 * e-mail addresses and a phone; b: one address), users around them. */
struct world {
	struct kk_store *s;
	struct kk_user intake, coord, coord2, va, vb;
	int64_t a, b;
	char ref[24], tid[24], secret[KK_TOKEN_MAX];
};

typedef enum kk_result change_fn(struct kk_store *s, const struct kk_user *actor, const char *ref,
				 const json_t *body, json_t **out, struct kk_error *err);

static void call(struct world *w, change_fn *fn, const struct kk_user *actor, const char *text)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = unit_json(text), *out = NULL;

	cr_assert_eq(fn(w->s, actor, w->ref, body, &out, &err), KK_OK, "%s: %s", text, err.msg);
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}

static void world_init(struct world *w)
{
	struct kk_error err = KK_ERROR_INIT;

	memset(w, 0, sizeof(*w));
	kk_clock_freeze(at("2027-06-01T01:00:00Z"));
	w->s = unit_store(NULL);
	cr_assert_eq(kk_setting_set(w->s, "base_url", "https://vuln.example", &err), KK_OK);
	w->intake = unit_user(w->s, "intake", "intake@ipa.example");
	w->coord = unit_user(w->s, "coordinator", "coord@jpcert.example");
	w->coord2 = unit_user(w->s, "coordinator", "coord2@jpcert.example");
	w->a = unit_vendor_json(w->s, &w->coord, "{\"name_en\": \"Vendor A\", \"preferred_lang\": \"en\", \"contacts\": ["
			 "{\"channel\": \"email\", \"value\": \"psirt@a.example\", \"is_primary\": true},"
			 "{\"channel\": \"email\", \"value\": \"second@a.example\"},"
			 "{\"channel\": \"email\", \"value\": \"third@a.example\"},"
			 "{\"channel\": \"email\", \"value\": \"fourth@a.example\"},"
			 "{\"channel\": \"phone\", \"value\": \"+81-3-1234-5678\"}]}");
	w->b = unit_vendor_json(w->s, &w->coord, "{\"name_ja\": \"ベンダーB\", \"preferred_lang\": \"ja\", \"contacts\": [{\"channel\":"
			 " \"email\", \"value\": \"psirt@b.example.jp\", \"is_primary\": true}]}");
	w->va = unit_vendor_user(w->s, w->a, "psirt@a.example");
	w->vb = unit_vendor_user(w->s, w->b, "psirt@b.example.jp");
	unit_accepted_report(w->s, &w->intake, unit_report_body("product"), w->tid, w->secret);
	unit_case_open(w->s, &w->coord, w->tid, "XSS in Widget", "A cross-site scripting flaw in Widget.",
		       "SECRET-DETAIL: the q parameter is echoed unescaped.", w->ref, sizeof(w->ref));
	call(w, kk_case_vuln_add, &w->coord, "{\"title\": \"XSS in the search page\"}");
	kk_error_release(&err);
}

/* Day 0: both vendors notified on Monday 2027-06-07, 10:00 in Japan. */
static void notify_both(struct world *w)
{
	char body[96];

	kk_clock_freeze(at("2027-06-07T01:00:00Z"));
	snprintf(body, sizeof(body), "{\"vendor_ids\": [%lld, %lld]}", (long long)w->a, (long long)w->b);
	call(w, kk_case_notify, &w->coord, body);
}

static void world_free(struct world *w)
{
	kk_user_release(&w->intake);
	kk_user_release(&w->coord);
	kk_user_release(&w->coord2);
	kk_user_release(&w->va);
	kk_user_release(&w->vb);
	kk_store_close(w->s);
	kk_clock_freeze(0);
	kk_clock_set(0);
}

/* Ticks at iso; returns how many reminders fired (each clock's count in
 * *fired when not NULL: the caller releases it). */
static int64_t tick_at(struct world *w, const char *iso, json_t **fired)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	int64_t total;

	kk_clock_freeze(at(iso));
	cr_assert_eq(kk_tick(w->s, &out, &err), KK_OK, "tick at %s: %s", iso, err.msg);
	cr_assert_eq(json_array_size(json_object_get(out, "errors")), 0u);
	total = json_integer_value(json_object_get(out, "total"));
	cr_assert_eq((size_t)total, json_array_size(json_object_get(out, "reminders")));
	if (fired)
		*fired = json_incref(json_object_get(out, "fired"));
	json_decref(out);
	kk_error_release(&err);
	return total;
}

static int64_t fired_of(json_t *fired, const char *clock)
{
	return json_integer_value(json_object_get(fired, clock));
}

static int64_t outbox(struct world *w, const char *kind)
{
	return unit_count(w->s, "SELECT COUNT(*) FROM outbox WHERE kind = ?", kind);
}

static int64_t outbox_to(struct world *w, const char *recipient)
{
	return unit_count(w->s, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", recipient);
}

static int64_t reminders(struct world *w, const char *clock)
{
	return unit_count(w->s, "SELECT COUNT(*) FROM reminders WHERE clock = ?", clock);
}

/* ---- ack (SPEC 8, ISO/IEC 29147: 7 days) ---- */

Test(schedule, ack_fires_once_when_a_report_waits_seven_days)
{
	struct world w;
	json_t *fired = NULL;
	char tid[24];

	world_init(&w);
	kk_clock_freeze(at("2027-06-07T01:00:00Z"));
	unit_submit(w.s, unit_report_body("product"), tid, NULL);
	/* SPEC 8: a second before the seventh day, nothing */
	cr_assert_eq(tick_at(&w, "2027-06-14T00:59:59Z", NULL), 0);
	cr_assert_eq(outbox(&w, "staff_alert"), 0);
	cr_assert_eq(tick_at(&w, "2027-06-14T01:00:00Z", &fired), 1);
	cr_assert_eq(fired_of(fired, "ack"), 1);
	json_decref(fired);
	/* to intake, not the coordinators, in both languages, naming the report */
	cr_assert_eq(outbox_to(&w, "intake@ipa.example"), 1);
	cr_assert_eq(outbox_to(&w, "coord@jpcert.example"), 0);
	cr_assert_eq(unit_count(w.s,
				"SELECT COUNT(*) FROM outbox WHERE kind = 'staff_alert' AND subject LIKE '%' || ? || '%'"
				" AND body LIKE '%Acknowledge or decide the report%' AND body LIKE '%https://vuln.example/%'",
				tid),
		     1);
	/* a tick run twice sends nothing twice */
	cr_assert_eq(tick_at(&w, "2027-06-14T01:00:00Z", NULL), 0);
	cr_assert_eq(tick_at(&w, "2027-06-20T01:00:00Z", NULL), 0);
	cr_assert_eq(outbox(&w, "staff_alert"), 1);
	cr_assert_eq(reminders(&w, "ack"), 1);
	world_free(&w);
}

Test(schedule, ack_a_missed_month_catches_up_in_one_tick)
{
	struct world w;
	const char *days[] = { "2027-06-01T01:00:00Z", "2027-06-05T01:00:00Z", "2027-06-20T01:00:00Z" };

	world_init(&w);
	for (size_t i = 0; i < 3; i++) {
		kk_clock_freeze(at(days[i]));
		unit_submit(w.s, unit_report_body("product"), NULL, NULL);
	}
	/* no tick for more than a month: one tick fires all three, once */
	cr_assert_eq(tick_at(&w, "2027-07-28T01:00:00Z", NULL), 3);
	cr_assert_eq(outbox_to(&w, "intake@ipa.example"), 3);
	cr_assert_eq(tick_at(&w, "2027-07-28T02:00:00Z", NULL), 0);
	world_free(&w);
}

Test(schedule, ack_a_decided_report_waits_for_nothing)
{
	struct world w;
	struct kk_decision accept = { 1, KK_REJECT_NONE, NULL };
	char tid[24];

	world_init(&w);
	kk_clock_freeze(at("2027-06-07T01:00:00Z"));
	unit_submit(w.s, unit_report_body("product"), tid, NULL);
	cr_assert_eq(kk_report_decide(w.s, &w.intake, tid, &accept, NULL, NULL), KK_OK);
	cr_assert_eq(tick_at(&w, "2027-06-30T01:00:00Z", NULL), 0);
	cr_assert_eq(reminders(&w, "ack"), 0);
	world_free(&w);
}

/* ---- vendor_silent (SPEC 2.6, 4.1, G IV.4.2) ---- */

static const char *status_of(struct world *w, int64_t vendor_id)
{
	static char buf[32];
	struct kk_store *s = w->s;
	char id[24];
	int64_t n;

	snprintf(id, sizeof(id), "%lld", (long long)vendor_id);
	n = unit_count(s,
		       "SELECT COUNT(*) FROM vendor_statuses vs JOIN case_vendors cv ON cv.id = vs.case_vendor_id"
		       " WHERE cv.vendor_id = CAST(? AS BIGINT) AND vs.status = 'no_response'",
		       id);
	snprintf(buf, sizeof(buf), "%s", n ? "no_response" : "other");
	return buf;
}

static int64_t attempts(struct world *w, const char *address)
{
	return unit_count(w->s, "SELECT COUNT(*) FROM contact_attempts WHERE stage = 'reminder' AND address = ?",
			  address);
}

Test(schedule, silent_vendor_walks_its_channels_then_no_response)
{
	struct world w;
	json_t *trail = NULL, *fired = NULL;

	world_init(&w);
	notify_both(&w);
	/* vendor B answers; vendor A stays silent */
	call(&w, kk_case_answer, &w.vb, "{\"answer\": \"send_detail\"}");

	/* SPEC 8: ten business days after the notice (Monday 2027-06-21, in Japan) */
	cr_assert_eq(tick_at(&w, "2027-06-20T14:59:59Z", NULL), 0);
	cr_assert_eq(tick_at(&w, "2027-06-20T15:00:00Z", &fired), 1);
	cr_assert_eq(fired_of(fired, "vendor_silent"), 1);
	json_decref(fired);
	/* round 1: the summary notice again, at the next address, as a contact attempt */
	cr_assert_eq(attempts(&w, "second@a.example"), 1);
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'case_reminder' AND recipient = ?",
				"second@a.example"),
		     1);
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM outbox WHERE body LIKE '%' || ? || '%'", "SECRET-DETAIL"),
		     0, "SPEC 1: no notice carries the detail");
	cr_assert_eq(outbox_to(&w, "psirt@b.example.jp"), 1, "the vendor that answered got the first notice only");
	cr_assert_str_eq(status_of(&w, w.a), "other");
	/* twice: nothing twice; the next round counts from this attempt */
	cr_assert_eq(tick_at(&w, "2027-06-20T15:00:00Z", NULL), 0);
	cr_assert_eq(tick_at(&w, "2027-07-04T14:59:59Z", NULL), 0);

	/* round 2 (Monday 2027-07-05): the third address */
	cr_assert_eq(tick_at(&w, "2027-07-05T01:00:00Z", NULL), 1);
	cr_assert_eq(attempts(&w, "third@a.example"), 1);
	cr_assert_eq(tick_at(&w, "2027-07-05T02:00:00Z", NULL), 0);

	/* clock_silent_rounds (2) rounds brought nothing: ten business days on
	 * (2027-07-19 is a holiday: Tuesday 2027-07-20) the statuses become
	 * "no response", the fourth address is never tried, and the coordinator
	 * is alerted, and told to use the phone */
	cr_assert_eq(tick_at(&w, "2027-07-19T14:59:59Z", NULL), 0);
	cr_assert_eq(tick_at(&w, "2027-07-19T15:00:00Z", NULL), 2);
	cr_assert_str_eq(status_of(&w, w.a), "no_response");
	cr_assert_str_eq(status_of(&w, w.b), "other");
	cr_assert_eq(attempts(&w, "fourth@a.example"), 0);
	cr_assert_eq(outbox_to(&w, "coord@jpcert.example"), 2, "the case's coordinator: no response and the phone");
	cr_assert_eq(outbox_to(&w, "coord2@jpcert.example"), 0, "not another coordinator");
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND body LIKE '%+81-3-1234-5678%'",
				"coord@jpcert.example"),
		     1);
	cr_assert_eq(outbox_to(&w, "intake@ipa.example"), 0);
	/* keikai fired it, audited as the system */
	{
		int64_t sid = unit_count(w.s,
					 "SELECT MIN(vs.id) FROM vendor_statuses vs JOIN case_vendors cv ON cv.id ="
					 " vs.case_vendor_id WHERE vs.status = ?",
					 "no_response");
		json_t *last;

		cr_assert_eq(kk_audit_list(w.s, "vendor_status", sid, &trail, NULL), KK_OK);
		last = json_array_get(trail, json_array_size(trail) - 1);
		cr_assert_str_eq(json_string_value(json_object_get(last, "to")), "no_response");
		cr_assert_str_eq(json_string_value(json_object_get(last, "role")), "system");
		json_decref(trail);
	}
	/* and then it waits no more */
	cr_assert_eq(tick_at(&w, "2027-08-20T01:00:00Z", NULL), 0);
	cr_assert_eq(reminders(&w, "vendor_silent"), 4);
	world_free(&w);
}

Test(schedule, silent_vendor_without_untried_address_is_no_response_at_once)
{
	struct world w;

	world_init(&w);
	notify_both(&w);
	call(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}");
	/* vendor B has one address, tried by the first notice: no round is possible */
	cr_assert_eq(tick_at(&w, "2027-06-21T01:00:00Z", NULL), 1);
	cr_assert_str_eq(status_of(&w, w.b), "no_response");
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM contact_attempts WHERE stage = ?", "reminder"), 0);
	cr_assert_eq(outbox_to(&w, "coord@jpcert.example"), 1);
	world_free(&w);
}

Test(schedule, a_vendor_that_answers_between_rounds_is_left_alone)
{
	struct world w;

	world_init(&w);
	notify_both(&w);
	call(&w, kk_case_answer, &w.vb, "{\"answer\": \"send_detail\"}");
	cr_assert_eq(tick_at(&w, "2027-06-21T01:00:00Z", NULL), 1);
	call(&w, kk_case_answer, &w.va, "{\"answer\": \"not_applicable\", \"reason\": \"We do not ship Widget.\"}");
	cr_assert_eq(tick_at(&w, "2027-07-21T01:00:00Z", NULL), 0);
	cr_assert_eq(reminders(&w, "vendor_silent"), 1);
	world_free(&w);
}

/* ---- unreachable (SPEC 4.3: six months) ---- */

Test(schedule, unreachable_after_six_months_alerts_the_coordinator_once)
{
	struct world w;
	json_t *fired = NULL;

	world_init(&w);
	notify_both(&w);
	call(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}");
	cr_assert_eq(tick_at(&w, "2027-06-21T01:00:00Z", NULL), 1); /* B: no response */
	cr_assert_eq(tick_at(&w, "2027-12-07T00:59:59Z", NULL), 0);
	cr_assert_eq(tick_at(&w, "2027-12-07T01:00:00Z", &fired), 1);
	cr_assert_eq(fired_of(fired, "unreachable"), 1);
	json_decref(fired);
	cr_assert_eq(outbox_to(&w, "coord@jpcert.example"), 2);
	cr_assert_eq(tick_at(&w, "2028-01-07T01:00:00Z", NULL), 0);
	world_free(&w);
}

/* ---- date_approach and date_reached (SPEC 2.8) ---- */

static void set_date(struct world *w, const char *day)
{
	char body[128];

	snprintf(body, sizeof(body), "{\"date\": \"%s\", \"reason\": \"agreed with the vendors\"}", day);
	call(w, kk_case_date_set, &w->coord, body);
}

static int64_t reminders_to_vendors(struct world *w)
{
	return outbox(w, "date_reminder");
}

Test(schedule, date_reminders_fire_once_each_and_again_for_a_moved_date)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *fired = NULL, *out = NULL;
	int64_t staff;

	world_init(&w);
	notify_both(&w);
	call(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}");
	call(&w, kk_case_answer, &w.vb, "{\"answer\": \"send_detail\"}");
	kk_clock_freeze(at("2027-06-10T01:00:00Z"));
	set_date(&w, "2027-08-04");
	staff = outbox(&w, "staff_alert");
	/* 7 business days before Wednesday 2027-08-04: Monday 2027-07-26 (Japan) */
	cr_assert_eq(tick_at(&w, "2027-07-25T14:59:59Z", NULL), 0);
	cr_assert_eq(tick_at(&w, "2027-07-25T15:00:00Z", &fired), 1);
	cr_assert_eq(fired_of(fired, "date_approach"), 1);
	json_decref(fired);
	/* every party: both vendors, in their languages, intake and the coordinator */
	cr_assert_eq(reminders_to_vendors(&w), 2);
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'date_reminder' AND lang = ?", "ja"), 1);
	cr_assert_eq(unit_count(w.s,
				"SELECT COUNT(*) FROM outbox WHERE kind = 'date_reminder' AND recipient = ?"
				" AND body LIKE '%7 business days remain%'",
				"psirt@a.example"),
		     1);
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'date_reminder' AND body LIKE ?",
				"%XSS in Widget%"),
		     0, "SPEC 1: the vendors' reminder has no title");
	cr_assert_eq(outbox(&w, "staff_alert"), staff + 2);
	cr_assert_eq(tick_at(&w, "2027-07-26T03:00:00Z", NULL), 0);
	/* 3 business days before: Friday 2027-07-30 */
	cr_assert_eq(tick_at(&w, "2027-07-29T15:00:00Z", NULL), 1);
	cr_assert_eq(reminders_to_vendors(&w), 4);

	/* the date moves: its reminders are armed again (7 days before
	 * Wednesday 2027-09-01 is Monday 2027-08-23) */
	kk_clock_freeze(at("2027-07-30T03:00:00Z"));
	set_date(&w, "2027-09-01");
	cr_assert_eq(tick_at(&w, "2027-08-04T03:00:00Z", NULL), 0, "the old date's reminders are gone");
	cr_assert_eq(tick_at(&w, "2027-08-22T15:00:00Z", NULL), 1);
	cr_assert_eq(reminders_to_vendors(&w), 6);

	/* a missed tick: only the nearest reminder goes (1 business day before:
	 * Tuesday 2027-08-31), the 3-day one is not sent late */
	cr_assert_eq(tick_at(&w, "2027-08-30T15:00:00Z", NULL), 1);
	cr_assert_eq(reminders_to_vendors(&w), 8);
	cr_assert_eq(unit_count(w.s,
				"SELECT COUNT(*) FROM outbox WHERE kind = 'date_reminder' AND recipient = ?"
				" AND body LIKE '%1 business day remains%'",
				"psirt@a.example"),
		     1);
	cr_assert_eq(unit_count(w.s,
				"SELECT COUNT(*) FROM outbox WHERE kind = 'date_reminder' AND recipient = ?"
				" AND body LIKE '%3 business days remain%'",
				"psirt@a.example"),
		     1, "the 3-day reminder of the first date only");
	cr_assert_eq(tick_at(&w, "2027-08-31T01:00:00Z", NULL), 0);

	/* date_reached: at the date (11:00 in Japan) the case is ready, once */
	cr_assert_eq(tick_at(&w, "2027-09-01T01:59:59Z", NULL), 0);
	cr_assert_eq(tick_at(&w, "2027-09-01T02:00:00Z", &fired), 1);
	cr_assert_eq(fired_of(fired, "date_reached"), 1);
	json_decref(fired);
	cr_assert_eq(kk_case_date_get(w.s, &w.coord, w.ref, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(out, "state")), "ready");
	json_decref(out);
	cr_assert_eq(tick_at(&w, "2027-09-02T02:00:00Z", NULL), 0);
	cr_assert_eq(reminders(&w, "date_reached"), 1);
	kk_error_release(&err);
	world_free(&w);
}

/* ---- finder_question (SPEC 2.13) and lift (SPEC 2.12) ---- */

Test(schedule, finder_question_unanswered_three_business_days_alerts_intake)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = unit_json("{\"body\": \"Any progress?\", \"question\": true}"), *out = NULL;

	world_init(&w);
	/* Friday 2027-06-11 10:00 in Japan: three business days on is Wednesday 06-16 */
	kk_clock_freeze(at("2027-06-11T01:00:00Z"));
	cr_assert_eq(kk_case_finder_post(w.s, w.secret, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(out);
	json_decref(body);
	cr_assert_eq(tick_at(&w, "2027-06-15T14:59:59Z", NULL), 0);
	cr_assert_eq(tick_at(&w, "2027-06-15T15:00:00Z", NULL), 1);
	cr_assert_eq(outbox_to(&w, "intake@ipa.example"), 1);
	cr_assert_eq(tick_at(&w, "2027-06-25T15:00:00Z", NULL), 0);
	cr_assert_eq(reminders(&w, "finder_question"), 1);
	kk_error_release(&err);
	world_free(&w);
}

Test(schedule, lift_a_year_after_day0_tells_the_finder_and_staff_once)
{
	struct world w;
	json_t *fired = NULL;

	world_init(&w);
	notify_both(&w);
	call(&w, kk_case_answer, &w.va, "{\"answer\": \"send_detail\"}");
	call(&w, kk_case_answer, &w.vb, "{\"answer\": \"send_detail\"}");
	/* 365 days after day 0 (2028 is a leap year: Tuesday 2028-06-06) */
	cr_assert_eq(tick_at(&w, "2028-06-06T00:59:59Z", NULL), 0);
	cr_assert_eq(tick_at(&w, "2028-06-06T01:00:00Z", &fired), 2);
	cr_assert_eq(fired_of(fired, "lift"), 2);
	json_decref(fired);
	/* the finder, in its report's language, with its tracking number only */
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'lift_reminder' AND recipient = ?",
				"taro@example.jp"),
		     1);
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'lift_reminder' AND subject LIKE ?",
				"%XSS%"),
		     0);
	cr_assert_eq(outbox_to(&w, "intake@ipa.example"), 1);
	cr_assert_eq(outbox_to(&w, "coord@jpcert.example"), 1);
	cr_assert_eq(tick_at(&w, "2028-07-06T01:00:00Z", NULL), 0);
	world_free(&w);
}

/* ---- settings, the dashboard, done ---- */

Test(schedule, settings_change_the_clocks_and_a_bad_one_is_named)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;

	world_init(&w);
	cr_assert_eq(kk_setting_set(w.s, "clock_ack_days", "2", &err), KK_OK);
	kk_clock_freeze(at("2027-06-07T01:00:00Z"));
	unit_submit(w.s, unit_report_body("product"), NULL, NULL);
	cr_assert_eq(tick_at(&w, "2027-06-09T01:00:00Z", NULL), 1);
	cr_assert_eq(kk_setting_set(w.s, "clock_date_reminders", "7,,3", &err), KK_OK);
	kk_clock_freeze(at("2027-06-10T01:00:00Z"));
	cr_assert_eq(kk_tick(w.s, &out, &err), KK_EINVAL);
	cr_assert_null(out);
	cr_assert_not_null(json_object_get(err.fields, "clock_date_reminders"), "%s", err.msg);
	kk_error_release(&err);
	world_free(&w);
}

Test(schedule, parsers_of_the_settings)
{
	int v[KK_CLOCK_DATE_REMINDERS_MAX], n1;
	size_t n = 0;

	cr_assert_eq(kk_clock_parse_reminders("1, 7,3", v, &n), 0);
	cr_assert_eq(n, 3u);
	cr_assert(v[0] == 7 && v[1] == 3 && v[2] == 1, "largest first");
	cr_assert_neq(kk_clock_parse_reminders("3,3", v, &n), 0);
	cr_assert_neq(kk_clock_parse_reminders("", v, &n), 0);
	cr_assert_neq(kk_clock_parse_reminders("7,", v, &n), 0);
	cr_assert_neq(kk_clock_parse_reminders("0", v, &n), 0);
	cr_assert_neq(kk_clock_parse_reminders("1,2,3,4,5,6,7,8,9", v, &n), 0);
	cr_assert_eq(kk_clock_parse_number("10", 1, 365, &n1), 0);
	cr_assert_eq(n1, 10);
	cr_assert_neq(kk_clock_parse_number("-1", 0, 365, &n1), 0);
	cr_assert_neq(kk_clock_parse_number("1x", 0, 365, &n1), 0);
	cr_assert_neq(kk_clock_parse_number("366", 0, 365, &n1), 0);
}

static const json_t *clock_of(const json_t *view, const char *name)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(view, "clocks"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "clock")), name))
			return c;
	cr_assert_fail("no clock %s on the dashboard", name);
	return NULL;
}

Test(schedule, the_dashboard_shows_what_each_clock_waits_for)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *view = NULL;
	const json_t *silent, *ack, *item;
	int64_t id;
	char tid[24];

	world_init(&w);
	notify_both(&w);
	call(&w, kk_case_answer, &w.vb, "{\"answer\": \"send_detail\"}");
	unit_submit(w.s, unit_report_body("product"), tid, NULL);

	kk_clock_freeze(at("2027-06-08T01:00:00Z"));
	cr_assert_eq(kk_clocks_view(w.s, &w.va, &view, &err), KK_EDENIED, "a vendor does not see the clocks");
	cr_assert_eq(kk_clocks_view(w.s, &w.coord, &view, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(json_object_get(view, "clocks")), 9u); /* issue 11 added pgp_key, issue 12 publish */
	/* vendor A's next round, not yet due, with its address */
	silent = clock_of(view, "vendor_silent");
	cr_assert_str_eq(json_string_value(json_object_get(silent, "value")), "10");
	cr_assert_eq(json_array_size(json_object_get(silent, "waiting")), 1u);
	item = json_array_get(json_object_get(silent, "waiting"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(item, "case")), w.ref);
	cr_assert_str_eq(json_string_value(json_object_get(item, "vendor")), "Vendor A");
	cr_assert_eq(json_integer_value(json_object_get(item, "due_at")), at("2027-06-20T15:00:00Z"));
	cr_assert(json_is_false(json_object_get(item, "overdue")));
	cr_assert_not_null(strstr(json_string_value(json_object_get(item, "what")), "second@a.example"));
	/* the report to acknowledge, soonest first */
	ack = clock_of(view, "ack");
	item = json_array_get(json_object_get(ack, "waiting"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(item, "report")), tid);
	json_decref(view);

	/* fired, it is listed until done; overdue and still waiting on intake */
	tick_at(&w, "2027-06-21T01:00:00Z", NULL);
	cr_assert_eq(kk_clocks_view(w.s, &w.intake, &view, &err), KK_OK, "%s", err.msg);
	ack = clock_of(view, "ack");
	cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(ack, "waiting"), 0), "overdue")));
	cr_assert_eq(json_array_size(json_object_get(ack, "fired")), 1u);
	id = json_integer_value(json_object_get(json_array_get(json_object_get(ack, "fired"), 0), "id"));
	json_decref(view);
	cr_assert_eq(kk_reminder_done(w.s, &w.va, id, &err), KK_EDENIED);
	cr_assert_eq(kk_reminder_done(w.s, &w.intake, id, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_reminder_done(w.s, &w.intake, id, &err), KK_ECONFLICT);
	cr_assert_eq(kk_reminder_done(w.s, &w.intake, id + 1000, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_clocks_view(w.s, &w.intake, &view, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(json_object_get(clock_of(view, "ack"), "fired")), 0u);
	json_decref(view);
	kk_error_release(&err);
	world_free(&w);
}
