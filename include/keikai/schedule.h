/*
 * schedule.h: the one clock-driven scheduler of the core (issue 10, SPEC 8).
 * kk_tick runs every clock once at the core clock's time (clock.h): inside
 * `keikai serve` every minute, and by `keikai tick` (for cron). It is
 * idempotent: each reminder is a row of table reminders keyed by (clock,
 * object, occasion), inserted in the same transaction as what it sends, so a
 * tick run twice sends nothing twice, and because every clock asks the
 * database what is due (not what became due since the last tick), a missed
 * hour catches up.
 *
 * The clocks (each configurable by a setting, settings.h; defaults from SPEC 8):
 *   ack            a report not decided clock_ack_days (7) days after receipt:
 *                  alert intake
 *   vendor_silent  a vendor notified but silent clock_silent_business_days (10)
 *                  business days after its last contact attempt: re-notify it
 *                  on the next channel (another contact attempt), and after
 *                  clock_silent_rounds (2) re-notifications mark its statuses
 *                  "no_response" and alert the coordinator
 *   date_approach  clock_date_reminders ("7,3,1") business days before the
 *                  publication date: remind every party (vendors, intake, the
 *                  coordinator)
 *   date_reached   the publication date reached: the case becomes ready to
 *                  publish (kk_case_date_reach); nothing becomes public here
 *   finder_question a finder's question unanswered clock_question_business_days
 *                  (3) business days: alert staff
 *   lift           day 0 + clock_lift_days (365) days: the finder may ask to
 *                  lift non-disclosure (told on its status page and by mail);
 *                  staff alerted; a lift request unanswered for
 *                  clock_question_business_days: alert staff
 *   unreachable    day 0 + clock_unreachable_months (6) months with a vendor
 *                  still unreachable / no response: alert the coordinator
 *                  (the committee's business, SPEC 4)
 * Every reminder lands in the outbox (staff alerts to the staff's addresses)
 * and on the dashboard (kk_clocks_view).
 */
#ifndef KEIKAI_SCHEDULE_H
#define KEIKAI_SCHEDULE_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/store.h"

/* Runs every clock at kk_now(). *out (may be NULL) gets
 * {"at": unix seconds, "fired": {"ack": N, "vendor_silent": N, …}, "total": N}. */
enum kk_result kk_tick(struct kk_store *s, json_t **out, struct kk_error *err);

/* The dashboard (clocks.read): for every clock what it is waiting for,
 * {"at", "clocks": [{"clock", "label", "setting": "…", "waiting": [{"case" or
 * "report", "title", "vendor", "due_at", "overdue": bool, "what"}],
 * "fired": [{"id", "summary", "fired_at", "case", "report"}]}]} -- pending
 * items soonest first, reminders fired and not yet done newest first. */
enum kk_result kk_clocks_view(struct kk_store *s, const struct kk_user *viewer, json_t **out,
			      struct kk_error *err);

#endif
