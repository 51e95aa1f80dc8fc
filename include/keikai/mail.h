/*
 * mail.h: messages out (issue 11, items 1-3; SPEC 1, 2.1, 2.6). An outbox row
 * becomes a whole RFC 5322 message (kk_mail_compose, lib/mail/compose.c):
 * from the organisation's address, with the case or tracking number in the
 * subject, a Message-ID and a reply address that carry the row's reply token
 * (so an answer finds its thread: mail-in), UTF-8 MIME, and either PGP/MIME
 * encrypted to the recipient's key and signed with the organisation's, or,
 * when the recipient has no usable key, no content at all: only that
 * something is waiting, and where. Delivery (lib/mail/deliver.c) claims due
 * rows, composes, sends over SMTP (smtp.h) and records the outcome.
 *
 * The contract with mail-in (mailin.h): a reply token is 20 characters of
 * [a-z2-7]; the reply address is the local part of smtp.from, "+", the token,
 * "@", its domain; the Message-ID is "<kk.TOKEN@DOMAIN>"; the envelope sender
 * is the reply address, so bounces come back to it as well.
 */
#ifndef KEIKAI_MAIL_H
#define KEIKAI_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/pgp.h"
#include "keikai/store.h"

#define KK_MAIL_TOKEN_LEN 20

/* One outbox row as delivery reads it (strings owned by the reader). */
struct kk_outbox_msg {
	int64_t id, report_id, case_id, created_at;
	const char *kind, *recipient, *subject, *body, *safe_body, *lang;
	const char *reply_token; /* KK_MAIL_TOKEN_LEN characters */
};

/* What goes over SMTP. */
struct kk_mail_out {
	char *from;       /* the envelope sender: the reply address */
	char *rcpt;       /* the envelope recipient */
	char *data;       /* the message, CRLF line ends, NUL-terminated */
	size_t n;         /* its length */
	char *message_id; /* "<kk.TOKEN@DOMAIN>" */
	int encrypted;    /* 1: PGP/MIME to the recipient's key; 0: no content */
};

/* Composes message m inside tx (a write transaction: an unusable key on
 * record is reported to staff in it). pgp is the organisation's context. */
enum kk_result kk_mail_compose(struct kk_tx *tx, struct kk_pgp *pgp, const struct kk_outbox_msg *m,
			       struct kk_mail_out *out, struct kk_error *err);
void kk_mail_out_release(struct kk_mail_out *o);

/* Message outbox_id of store s as it would go now (lib/mail/preview.c, for
 * `keikai outbox preview`): composed with the organisation's OpenPGP context
 * in a write transaction that is then rolled back, so a preview changes
 * nothing (not even the staff alert of an unusable key). KK_ENOTFOUND when
 * there is no such message. */
enum kk_result kk_mail_preview(struct kk_store *s, int64_t outbox_id, struct kk_mail_out *out, struct kk_error *err);

#endif
