/*
 * mailin.h: mail in (issue 11, item 4; SPEC 2.1, 2.6, 2.13). keikai mail-in
 * hands kk_mail_in one RFC 5322 message as an MTA delivered it; in one
 * transaction the message is kept as evidence (evidence.h, sealed), recorded
 * in inbound_mail, and becomes exactly one of:
 *
 *   - a bounce: a delivery status notification (RFC 3464) about a message
 *     keikai sent (found by the reply token, mail.h) marks that message, its
 *     contact attempt and the vendor's contact failed;
 *   - a reply: a message carrying a reply token, from a contact of the
 *     thread's party, becomes a message in that thread (decrypted first when
 *     it came encrypted to the organisation's key);
 *   - a report: a message to the organisation without a token becomes a
 *     report in the state "mail" (Received by mail), which intake completes
 *     (kk_report_complete) before triage;
 *   - review: anything else (junk, a stranger, an auto-reply, a token nobody
 *     has, what cannot be decrypted) waits in the staff review queue.
 *
 * Nothing is dropped: a message that can be stored at all is stored.
 * docs/internals/mail-in.md has the routing as a table.
 */
#ifndef KEIKAI_MAILIN_H
#define KEIKAI_MAILIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/report.h"
#include "keikai/store.h"

enum kk_mail_in_kind {
	KK_MAIL_IN_REVIEW = 0,
	KK_MAIL_IN_REPLY,
	KK_MAIL_IN_BOUNCE,
	KK_MAIL_IN_REPORT,
};

/* What one message became. */
struct kk_mail_in_result {
	enum kk_mail_in_kind kind;
	int64_t inbound_id;      /* its inbound_mail row */
	int64_t thread_id;       /* a reply: the thread; 0 otherwise */
	int64_t message_id;      /* a reply: the case message */
	int64_t outbox_id;       /* a bounce or a reply: the message it answers */
	int failed;              /* a bounce: 1 when it marked the message failed (0: delayed, recorded) */
	char tracking_id[24];    /* a report: its tracking number */
	int encrypted;           /* it came encrypted to the organisation's key */
	char reason[256];        /* review: why, in the caller's language */
};

/* The name of kind: "review", "reply", "bounce", "report" (inbound_mail.kind). */
const char *kk_mail_in_kind_name(enum kk_mail_in_kind kind);

/*
 * Takes the n bytes of one message. KK_OK with *out saying what it became
 * (review included); KK_ETOOBIG past KK_MIME_MAX_BYTES (nothing stored: the
 * MTA should bounce it); KK_EUNAVAILABLE / KK_EDB / KK_EIO when the store cannot
 * take it now (nothing stored: the MTA should try again); KK_ENOTFOUND when
 * the evidence key cannot be found (a configuration error).
 */
enum kk_result kk_mail_in(struct kk_store *s, const char *data, size_t n, struct kk_mail_in_result *out,
			  struct kk_error *err);

/* ---- the review queue (intake and coordinators; SPEC 1: others get the 404 of a missing one) ---- */

/* The open entries, newest first: {"inbound": [{"id", "received_at", "kind",
 * "sender", "subject", "reason", "encrypted"}]} into *out (the caller owns it). */
enum kk_result kk_inbound_list(struct kk_store *s, const struct kk_user *viewer, json_t **out, struct kk_error *err);

/* Entry id with "state", "message_id", "outbox_id", "thread_id", "report_id",
 * "decided_at" and "text": the message as it came, as text (NULL when its
 * evidence cannot be read), into *out. KK_ENOTFOUND when none (or hidden). */
enum kk_result kk_inbound_get(struct kk_store *s, const struct kk_user *viewer, int64_t id, json_t **out,
			      struct kk_error *err);

/* Dismisses open entry id, audited. KK_ENOTFOUND when there is no open entry. */
enum kk_result kk_inbound_dismiss_entry(struct kk_store *s, const struct kk_user *actor, int64_t id,
					struct kk_error *err);

/* ---- completing a report that came by mail (lib/report/complete.c) ---- */

/* The input of the triage flow's "complete" event: the validated fields
 * (kk_report_from_json), which the flow takes over. */
struct kk_report_completion {
	struct kk_report *fields;
};

/* Issue 11: intake completes report tracking_id, in the state "mail", with
 * body (the fields of a submission, docs/api/reports.md, checked by the same
 * validator: field errors in err), run by the triage flow and audited: it is
 * "received" then. *out (may be NULL) gets the report. */
enum kk_result kk_report_complete(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
				  const json_t *body, struct kk_report *out, struct kk_error *err);

#endif
