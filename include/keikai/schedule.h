/*
 * schedule.h: the one clock-driven scheduler of the core (issue 10, SPEC 8).
 * kk_tick runs every clock once at the core clock's time (clock.h): inside
 * `keikai serve` every minute (kk_ticker), and by `keikai tick` (for cron). It
 * is idempotent: each reminder is a row of table reminders keyed by (clock,
 * object, occasion), inserted in the same transaction as what it sends, and
 * only when the row is new is anything sent, so a tick run twice sends nothing
 * twice; and because every clock asks the database what is due (not what
 * became due since the last tick), a missed hour -- or month -- catches up in
 * one tick. docs/internals/schedule.md describes every clock.
 *
 * The clocks (each configurable by a setting, settings.h; defaults from SPEC 8
 * below). "Business days" are the deployment's (calendar.h), counted in Japan:
 *   ack             a report still not decided clock_ack_days days after
 *                   receipt: alert intake
 *   vendor_silent   a vendor notified but silent (no answer, no status past
 *                   summary_read) clock_silent_business_days business days
 *                   after its last contact attempt: the summary notice again
 *                   to its next valid e-mail contact not yet tried in the case
 *                   (a contact attempt, stage "reminder"); after
 *                   clock_silent_rounds such rounds without an answer, or with
 *                   no untried address left, its statuses become "no_response"
 *                   (kk_system_user fires them) and the coordinator is alerted,
 *                   once more for each postal, phone, fax or web-form contact,
 *                   which a person must use (SPEC 4.1)
 *   date_approach   each of clock_date_reminders business days before the
 *                   publication date: remind every party (each notified
 *                   vendor's primary e-mail, intake, the coordinator); moving
 *                   the date arms them again; when several are due at once
 *                   only the nearest is sent
 *   date_reached    the publication date has come: the case becomes ready to
 *                   publish (kk_case_date_reach); nothing becomes public here
 *   publish         issue 12: an approved advisory of a case whose date is
 *                   ready is published (kk_advisory_publish, advisory.h) in
 *                   the same tick that made the date ready
 *   finder_question a finder's question unanswered clock_question_business_days
 *                   business days: alert intake
 *   lift            day 0 + clock_lift_days days: each finder of the case is
 *                   told by mail that it may ask to lift non-disclosure, and
 *                   staff are alerted; a lift request unanswered for
 *                   clock_question_business_days business days: alert staff
 *   unreachable     day 0 + clock_unreachable_months months and a vendor still
 *                   "no response" or "unreachable": alert the coordinator (the
 *                   committee's business, SPEC 4.3)
 * Staff alerts go to the outbox (kind "staff_alert", one message in Japanese
 * and English to each addressed user); each reminder is on the dashboard
 * (kk_clocks_view). Nothing sent carries vulnerability details (SPEC 1): a
 * case's title goes to staff only; vendors get the summary notice again or the
 * date; finders their tracking number.
 *
 * A reminder's summary (reminders.summary) is JSON text of its facts,
 * {"what": "ack" | "renotify" | "no_response" | "channel" | "date_approach" |
 * "date_reached" | "finder_question" | "lift_open" | "lift_finder" |
 * "lift_request" | "unreachable", "ref", "title", "vendor_ja", "vendor_en",
 * "at", "n", "channel", "address"} (members as they apply), so each reader
 * reads it in their own language.
 */
#ifndef KEIKAI_SCHEDULE_H
#define KEIKAI_SCHEDULE_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/store.h"

/* The clocks' settings and their defaults (SPEC 8, ISO/IEC 29147, G IV.2.4,
 * IV.3(2)). */
#define KK_CLOCK_ACK_DAYS_DEFAULT "7"
#define KK_CLOCK_SILENT_BUSINESS_DAYS_DEFAULT "10"
#define KK_CLOCK_SILENT_ROUNDS_DEFAULT "2"
#define KK_CLOCK_DATE_REMINDERS_DEFAULT "7,3,1"
#define KK_CLOCK_QUESTION_BUSINESS_DAYS_DEFAULT "3"
#define KK_CLOCK_LIFT_DAYS_DEFAULT "365"
#define KK_CLOCK_UNREACHABLE_MONTHS_DEFAULT "6"
/* at most this many numbers in clock_date_reminders */
#define KK_CLOCK_DATE_REMINDERS_MAX 8

/* Parses a clock's setting as settings_keys.c validates it: 0 and *out for a
 * whole number from min to max; for clock_date_reminders, 0 and out[] (*n,
 * at most KK_CLOCK_DATE_REMINDERS_MAX, largest first, no repeats) for a list of
 * whole numbers from 1 to 365 separated by commas. */
int kk_clock_parse_number(const char *s, int min, int max, int *out);
int kk_clock_parse_reminders(const char *s, int *out, size_t *n);

/* Runs every clock at kk_now(). *out (may be NULL) gets {"at": unix seconds,
 * "fired": {"ack": N, "vendor_silent": N, …}, "total": N, "reminders": [{"id",
 * "clock", "what" (the text in the thread's language), "case", "report",
 * "vendor"}], "errors": [{"clock", "error"}]}. Each reminder commits on its
 * own: one that fails (it is listed in "errors" and tried again next tick)
 * does not hold back the others. Returns KK_OK when nothing failed, else the
 * first failure (err says it; *out is set all the same). A setting that does
 * not parse is KK_EINVAL with a field named after its key, and no clock runs. */
enum kk_result kk_tick(struct kk_store *s, json_t **out, struct kk_error *err);

/* The dashboard (clocks.read: staff; others KK_EDENIED): for every clock what
 * it is waiting for, {"at", "clocks": [{"clock", "label", "setting": the
 * setting's key, "value": its value, "rule": the clock's rule in words,
 * "waiting": [ITEM], "fired": [{"id", "what", "fired_at", "due_at", "case",
 * "report", "title", "vendor"}]}]} where ITEM is {"case" (ref or null),
 * "report" (tracking id or null), "title", "vendor" (name or null), "due_at",
 * "overdue": bool, "what"}: pending items soonest first (an overdue one was
 * fired and still waits on a person), reminders fired and not yet done newest
 * first, each list at most KK_CLOCKS_VIEW_MAX long. Texts in the thread's
 * language. */
#define KK_CLOCKS_VIEW_MAX 100
enum kk_result kk_clocks_view(struct kk_store *s, const struct kk_user *viewer, json_t **out,
			      struct kk_error *err);

/* A reminder dealt with (clocks.read): sets its done_at, audited ("reminder",
 * "done"). KK_ENOTFOUND when there is no such reminder, KK_ECONFLICT when it
 * is done already. */
enum kk_result kk_reminder_done(struct kk_store *s, const struct kk_user *actor, int64_t id, struct kk_error *err);

/*
 * The scheduler inside a server: a thread that runs kk_tick on s at once and
 * then every `seconds` seconds until kk_ticker_stop, which wakes it and waits
 * for it. Every tick's outcome goes to log (called on the ticker's thread with
 * kk_tick's result, its err and out; never skipped for a failure), so nothing
 * is dropped silently.
 */
struct kk_ticker;
typedef void kk_ticker_log_fn(enum kk_result res, const struct kk_error *err, const json_t *out, void *arg);
enum kk_result kk_ticker_start(struct kk_store *s, unsigned seconds, kk_ticker_log_fn *log, void *arg,
			       struct kk_ticker **out, struct kk_error *err);
/* Stops and frees; accepts NULL. */
void kk_ticker_stop(struct kk_ticker *t);

#endif
