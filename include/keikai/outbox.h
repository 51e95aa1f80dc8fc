/*
 * outbox.h: messages to people outside the system (finders, vendors), queued in the
 * same transaction as the change that causes them, so none is lost or sent for a
 * change that did not happen. Delivery is a separate step.
 */
#ifndef KEIKAI_OUTBOX_H
#define KEIKAI_OUTBOX_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/store.h"

/* Queues a message inside tx. report_id may be 0. */
enum kk_result kk_outbox_queue(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
			       const char *body, const char *lang, int64_t report_id, struct kk_error *err);

/* Queues a message about case case_id inside tx (issue 9: a vendor's summary
 * notice, SPEC 2.6); *id (may be NULL) receives the message's id, which the
 * contact attempt names. */
enum kk_result kk_outbox_queue_case(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
				    const char *body, const char *lang, int64_t case_id, int64_t *id,
				    struct kk_error *err);

/* Queues text as a template writes a message (templates/mail/: the subject on
 * the first line, a blank line, then the body) inside tx, about report_id
 * and/or case_id (0: none); *id (may be NULL) receives its id. KK_ETOOBIG
 * when the text has no subject line. For every notice of issue 10 on (the
 * publication date, the clocks' reminders, provisions, lift answers). */
enum kk_result kk_outbox_queue_text(struct kk_tx *tx, const char *kind, const char *recipient, const char *text,
				    const char *lang, int64_t report_id, int64_t case_id, int64_t *id,
				    struct kk_error *err);

/* Issue 11: kk_outbox_queue with safe_body, what goes instead of the body to
 * a recipient without a usable OpenPGP key (mail.h; NULL: the kind's
 * content-free notice). The finder's acknowledgement: the tracking number
 * and the status link only. */
enum kk_result kk_outbox_queue_safe(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
				    const char *body, const char *safe_body, const char *lang, int64_t report_id,
				    struct kk_error *err);

/* Every queued message, oldest first, as a JSON array the caller owns:
 * [{"id", "created_at", "kind", "recipient", "subject", "body", "lang", "report", "status", "case",
 *   "tries", "next_at", "last_error", "sent_at", "message_id", "reply_token", "encrypted"}]
 * where report is the tracking id or null, case the case's ref or null;
 * status is queued, sending, sent or failed (deliver.h), and the delivery
 * members are null until delivery sets them (issue 11). */
enum kk_result kk_outbox_list(struct kk_store *s, json_t **out, struct kk_error *err);

/* Issue 11: message outbox_id failed for good (a 5xx answer, or a bounce):
 * its status "failed" with reason, the contact attempt that sent it failed,
 * and the vendor's e-mail contact at its address failed (SPEC 2.6, 8: the
 * unreachable-vendor clock counts on it). Inside tx. KK_ENOTFOUND when there
 * is no such message. */
enum kk_result kk_outbox_mark_failed(struct kk_tx *tx, int64_t outbox_id, const char *reason, struct kk_error *err);

/* Issue 11: the message a reply token (mail.h) was sent with. */
struct kk_outbox_ref {
	int64_t id, case_id, report_id; /* case_id, report_id: 0 when none */
	char *kind, *recipient, *lang;  /* the caller frees them: kk_outbox_ref_release */
};
/* KK_ENOTFOUND when no message has token. */
enum kk_result kk_outbox_find_token(struct kk_tx *tx, const char *token, struct kk_outbox_ref *out,
				    struct kk_error *err);
void kk_outbox_ref_release(struct kk_outbox_ref *r);

#endif
