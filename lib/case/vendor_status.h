/*
 * vendor_status.h: what the modules of a vendor's standing in a case share
 * (notify.c, answer.c, status.c, countermeasures.c, suggest.c; SPEC 2.6, 2.7):
 * firing the status table (status_flow.c) on a vendor's statuses, sending the
 * summary notice, and reading the members of a request body. Internal to
 * lib/case/.
 */
#ifndef KEIKAI_CASE_VENDOR_STATUS_H
#define KEIKAI_CASE_VENDOR_STATUS_H

#include <jansson.h>
#include <stdint.h>

#include "internal.h"

/* What comes with a status event (the flow step's input): whose status, and
 * the note that says why (may be NULL). */
struct case_status_input {
	int64_t vendor_id;
	const char *note;
};

/* Whether `event` from state `from` is the vendor's answer to the summary
 * (R §5.1.2): "detail_requested", or "not_affected" before the vendor asked
 * for the detail. */
int case_status_is_answer(const char *event, const char *from);

/*
 * Fires `event` of kk_vendor_status_flow on the statuses of case vendor cv as
 * actor. number > 0: that vulnerability's status only (KK_EINVAL, field
 * "vulnerability", when the case has no such vulnerability). number 0: every
 * status whose state has a row for event (a stage of the vendor as a whole:
 * notified, summary_read, the answers), KK_ECONFLICT with the table's message
 * when none has. *moved (may be NULL) counts the statuses moved.
 */
enum kk_result case_status_fire(struct kk_tx *tx, const struct kk_user *actor, const struct kk_case_vendor *cv,
				int number, const char *event, const char *note, size_t *moved, struct kk_error *err);

/* Fires `event` on every status of cv whose state is one of from (NULL: any)
 * and has a row for event; the others stay. None moving is no error; *moved
 * (may be NULL) counts them. */
enum kk_result case_status_fire_from(struct kk_tx *tx, const struct kk_user *actor, const struct kk_case_vendor *cv,
				     const char *event, const char *const *from, const char *note, size_t *moved,
				     struct kk_error *err);

/* Why event cannot move any status of cv now: the table's refusal for its
 * first status (KK_ECONFLICT or KK_EDENIED), else KK_ECONFLICT. Never KK_OK. */
enum kk_result case_status_refusal(struct kk_tx *tx, const struct kk_user *actor, const struct kk_case_vendor *cv,
				   const char *event, struct kk_error *err);

/* R §5.1.2: the vendor's first read of the summary: summary_read_at (once)
 * and its statuses notified -> summary_read. */
enum kk_result case_vendor_mark_read(struct kk_tx *tx, const struct kk_user *actor, struct kk_case_vendor *cv,
				     struct kk_error *err);

/*
 * Records the vendor's answer on cv (R §5.1.2) unless it has one: "send_detail"
 * sets detail_requested_at (the detail opens to it), "not_applicable" keeps the
 * reason; then fires the answer's event (detail_requested or not_affected) on
 * every status that may take it, and audits "answer" on the case. With
 * strict, an earlier answer is KK_ECONFLICT (kk_case_answer); else the answer
 * stays and only the statuses move (the coordinator recording, a vendor back
 * from "no response").
 */
enum kk_result case_vendor_answer(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx,
				  struct kk_case_vendor *cv, const char *answer, const char *reason, int strict,
				  struct kk_error *err);

/*
 * Sends the summary notice to cv in tx (SPEC 2.6): queued to the outbox for
 * address in the vendor's preferred language, a contact attempt recorded
 * (stage "summary" the first time, "reminder" after), vendors.last_contact_at
 * and, the first time (or with fire_notified: a status change to "notified"),
 * notified_at set and every status in not_notified or unreachable moved to
 * notified; else it is a reminder and the statuses stay. now is the time of
 * the whole notification.
 */
enum kk_result case_notice_send(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx,
				struct kk_case_vendor *cv, const char *address, const char *base_url, int64_t now,
				int fire_notified, struct kk_error *err);

/* After the notices of one call: fixes day 0 at now unless it is set (SPEC 2.6:
 * the first contact attempt), *day0 the case's day 0, and counts the change
 * of vendors.last_contact_at for the registry's index; day 0 brings the
 * proposed publication date (case_date_propose, SPEC 2.8). */
enum kk_result case_notice_done(struct kk_tx *tx, const struct case_ctx *cx, int64_t now, int64_t *day0,
				struct kk_error *err);

/* The vendor's primary valid e-mail address into *address (the caller frees):
 * field error on `field` when it has none (nothing can be sent). */
enum kk_result case_notice_address(struct kk_tx *tx, int64_t vendor_id, const char *field, char **address,
				   struct kk_error *err);

/*
 * Whose standing a change is about: the actor's own vendor for a vendor user
 * (a body "vendor_id" naming another vendor is KK_EDENIED: a vendor never acts
 * for another), the body's "vendor_id" for staff (required). Loads that
 * vendor's row of the case into *cv (released by the caller): KK_EINVAL on
 * field vendor_id when it is not on the case.
 */
enum kk_result case_whose(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx,
			  const json_t *body, struct kk_case_vendor *cv, struct kk_error *err);

/* A list of at most max strings of at most len characters each, as compact
 * JSON (*out, the caller frees; NULL when absent). */
enum kk_result case_body_list(const json_t *body, const char *key, size_t max, size_t len, int urls, char **out,
			      struct kk_error *err);

/* When out is not NULL: the case as actor sees it after a change made in tx
 * (kk_case_get's object; a vendor's view that holds the detail is audited
 * "detail.view" as every read of it is, R §5.1.2). */
enum kk_result case_view_after(struct kk_tx *tx, const struct kk_user *actor, const char *ref, json_t **out,
			       struct kk_error *err);

#endif
