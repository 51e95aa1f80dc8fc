/*
 * reminders.h: the scheduler's repository (issue 10, SPEC 8; schedule.h):
 * table reminders (migration 11), one row per clock, object and occasion,
 * inserted only when new, so a tick run twice fires each reminder once; and
 * the queries that tell each clock what it waits for (reminders_due.c), each
 * giving rows of one shape (struct kk_due). Internal to the core:
 * lib/schedule/ calls it and holds no SQL. Conventions as store/cases.h.
 */
#ifndef KEIKAI_STORE_REMINDERS_H
#define KEIKAI_STORE_REMINDERS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* A reminder: the key (clock, object_type, object_id, occasion) and what the
 * dashboard shows of it (summary: JSON text of its facts, schedule.h). */
struct kk_reminder {
	const char *clock, *object_type;
	int64_t object_id;
	const char *occasion;
	int64_t due_at, fired_at;
	int64_t case_id, report_id; /* 0: none */
	const char *summary;
};

/* Inserts r unless its key has a row: *id gets the new row's id, or 0 when
 * the key had one (nothing written; INSERT … ON CONFLICT DO NOTHING RETURNING,
 * so two schedulers racing fire it once). */
enum kk_result kk_reminders_insert_new(struct kk_tx *tx, const struct kk_reminder *r, int64_t *id,
				       struct kk_error *err);
/* Whether the key has a row (fired, done or not). */
enum kk_result kk_reminders_exists(struct kk_tx *tx, const char *clock, const char *object_type, int64_t object_id,
				   const char *occasion, int *exists, struct kk_error *err);
/* The reminders of clock fired and not done, newest first, at most max:
 * [{"id", "clock", "occasion", "due_at", "fired_at", "summary" (the JSON
 * text), "case" (ref or null), "report" (tracking id or null)}] appended to arr. */
enum kk_result kk_reminders_open_json(struct kk_tx *tx, const char *clock, size_t max, json_t *arr,
				      struct kk_error *err);
/* Marks reminder id done at `at`: KK_ENOTFOUND when there is none,
 * KK_ECONFLICT when it is done already. */
enum kk_result kk_reminders_done(struct kk_tx *tx, int64_t id, int64_t at, struct kk_error *err);

/* The e-mail addresses of every user of role ("intake", "coordinator"), by
 * id: *out (kk_malloc'd strings in a kk_malloc'd array; kk_strings_free) and *n. */
enum kk_result kk_reminders_staff(struct kk_tx *tx, const char *role, char ***out, size_t *n, struct kk_error *err);
/* The e-mail address of user id into *out (the caller frees; KK_ENOTFOUND
 * when there is no such user). */
enum kk_result kk_reminders_user_email(struct kk_tx *tx, int64_t id, char **out, struct kk_error *err);
void kk_strings_free(char **list, size_t n);

/* ---- what each clock waits for (reminders_due.c) ---- */

/* One row a clock may fire on: which columns mean what is each query's. */
struct kk_due {
	int64_t object_id, case_id, report_id, vendor_id;
	int64_t t0;      /* the moment the clock counts from */
	int64_t n;       /* a count of the query's (re-notifications so far, …) */
	int64_t user_id; /* the case's coordinator (0: none) */
	char *ref;       /* the case's ref, else the report's tracking id */
	char *tracking_id;
	char *title;     /* the case's title (staff only) */
	char *name_ja, *name_en; /* the vendor's names (kk_due_case_finders: name_ja
				  * is the finder's label, "A") */
	char *address, *lang; /* the finder's or vendor's address and language */
};
void kk_dues_free(struct kk_due *d, size_t n);

/* ack (SPEC 8): reports still 'received'; t0 received_at. */
enum kk_result kk_due_unacknowledged(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err);
/* vendor_silent (SPEC 2.6, G IV.4.2): vendors of open cases notified and
 * silent since -- no answer, no status beyond summary_read (a vendor with
 * none is silent too), not yet given up on (no reminder "no_response" of
 * clock vendor_silent); object_id case_vendors.id, t0 its last contact
 * attempt, n its attempts of stage "reminder", lang its preferred language. */
enum kk_result kk_due_silent_vendors(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err);
/* date_approach, date_reached (SPEC 2.8): open cases whose date is set; t0
 * publication_at, user_id the coordinator. */
enum kk_result kk_due_set_dates(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err);
/* finder_question (SPEC 2.13, G IV.2.7): finders' questions not answered;
 * object_id case_messages.id, t0 when asked, ref the case's or the report's. */
enum kk_result kk_due_questions(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err);
/* lift (SPEC 2.12): every finder of every open case with a day 0, one row
 * per report: object_id the case, t0 day 0, address the finder's e-mail
 * (NULL when not kept), lang the report's. */
enum kk_result kk_due_case_finders(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err);
/* lift (SPEC 2.12): lift requests not answered; object_id lift_requests.id,
 * t0 when asked. */
enum kk_result kk_due_lift_requests(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err);
/* unreachable (SPEC 4.3): vendors of open cases with a day 0 that have a
 * status no_response or unreachable; object_id case_vendors.id, t0 day 0. */
enum kk_result kk_due_unreachable(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err);

/* A vendor's contact points in the order the scheduler tries them (SPEC
 * 4.1): valid e-mail contacts first, primary first, then the other channels
 * (postal, phone, fax, web form) the same way. */
struct kk_channel {
	int64_t id;
	char channel[16]; /* "email", "postal", "phone", "fax", "web_form" */
	char *value;
	int tried; /* an e-mail address the case's contact attempts went to already */
};
enum kk_result kk_due_channels(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, struct kk_channel **out,
			       size_t *n, struct kk_error *err);
void kk_channels_free(struct kk_channel *c, size_t n);

#endif
