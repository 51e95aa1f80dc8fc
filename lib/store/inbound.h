/*
 * inbound.h: the repository of the messages keikai mail-in took (issue 11,
 * item 4; table inbound_mail of migration 12): what each became (a reply in
 * a thread, a bounce, a report) or, when nothing fitted, an open entry of the
 * staff review queue. Internal to the core: lib/mail/mailin.c and the review
 * queue's functions call it and hold no SQL.
 *
 * Conventions as store/cases.h: every function works inside the caller's
 * transaction; loads give KK_ENOTFOUND (err untouched) when there is no row.
 */
#ifndef KEIKAI_STORE_INBOUND_H
#define KEIKAI_STORE_INBOUND_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

struct kk_inbound {
	int64_t id, received_at;
	const char *kind;  /* "reply", "bounce", "report", "review" */
	const char *state; /* "open" (the review queue), "done", "dismissed" */
	const char *sender, *subject, *message_id, *reason; /* may be NULL */
	int encrypted;
	int64_t outbox_id, thread_id, report_id, evidence_id; /* 0: none */
};

/* Inserts in (every member but id) and sets in->id. */
enum kk_result kk_inbound_insert(struct kk_tx *tx, struct kk_inbound *in, struct kk_error *err);

/* Records what entry id became: its kind, state and reason (may be NULL),
 * and the thread, report and outbox row it is part of (0: left as it is). */
enum kk_result kk_inbound_settle(struct kk_tx *tx, const struct kk_inbound *in, struct kk_error *err);

/* The open entries (the review queue), newest first, appended to arr as
 * {"id", "received_at", "kind", "sender", "subject", "reason", "encrypted"}. */
enum kk_result kk_inbound_open_json(struct kk_tx *tx, json_t *arr, struct kk_error *err);

/* Entry id as the object above with "state", "message_id", "outbox_id",
 * "thread_id", "report_id", "decided_at" into *out (the caller owns it), and
 * its evidence's id into *evidence_id (0: none). */
enum kk_result kk_inbound_get_json(struct kk_tx *tx, int64_t id, json_t **out, int64_t *evidence_id,
				   struct kk_error *err);

/* Dismisses open entry id (by user_id, at). KK_ENOTFOUND when no open entry
 * has that id. */
enum kk_result kk_inbound_dismiss(struct kk_tx *tx, int64_t id, int64_t user_id, int64_t at, struct kk_error *err);

/* Marks case message message_id as come by mail from address, inbound entry
 * inbound_id (case_messages.via, author_address, inbound_id). */
enum kk_result kk_inbound_mark_message(struct kk_tx *tx, int64_t message_id, const char *address,
				       int64_t inbound_id, struct kk_error *err);

/* The vendor of case case_id whose valid e-mail contact, or one of whose
 * users, has address (compared without case) into *vendor_id, and that
 * user's id into *user_id (0: a contact). KK_ENOTFOUND when none. */
enum kk_result kk_inbound_vendor_of(struct kk_tx *tx, int64_t case_id, const char *address, int64_t *vendor_id,
				    int64_t *user_id, struct kk_error *err);

/* The finder's address of report_id (*email, the caller frees; NULL when
 * none is kept) and its status name into status (16 bytes). */
enum kk_result kk_inbound_report_finder(struct kk_tx *tx, int64_t report_id, char **email, char *status,
					struct kk_error *err);

#endif
