/*
 * outbox.c: the outbox's repository (outbox.h). A message is written in the same
 * transaction as the change it reports, with the reply token its answers will
 * carry (mail.h); delivery (lib/mail/deliver.c, through outbox_delivery.c)
 * reads the queue and records what it sent; a permanent failure marks the
 * message, its contact attempt and the vendor's contact failed (issue 11).
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/mail.h"
#include "keikai/outbox.h"
#include "keikai/util.h"
#include "outbox_internal.h"

/* issue 11, mail.h: a reply token is KK_MAIL_TOKEN_LEN characters of the
 * RFC 4648 base32 alphabet in lower case, so it survives any mail system's
 * case folding of the local part; 100 bits leave nothing to guess. */
void kk_outbox_token_new(char out[KK_MAIL_TOKEN_LEN + 1])
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
	size_t i;

	for (i = 0; i < KK_MAIL_TOKEN_LEN; i++)
		out[i] = alphabet[randombytes_uniform(32)];
	out[KK_MAIL_TOKEN_LEN] = '\0';
}

/* Queues one message about report_id and/or case_id (0: none); *id (may be
 * NULL) gets the message's id. */
static enum kk_result queue(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
			    const char *body, const char *lang, int64_t report_id, int64_t case_id, int64_t *id,
			    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO outbox(created_at, kind, recipient, subject, body, lang, report_id,"
					     " case_id, reply_token) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
					     err);
	char token[KK_MAIL_TOKEN_LEN + 1];
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, kk_now());
	kk_stmt_bind_text(st, 2, kind);
	kk_stmt_bind_text(st, 3, recipient);
	kk_stmt_bind_text(st, 4, subject);
	kk_stmt_bind_text(st, 5, body);
	kk_stmt_bind_text(st, 6, lang);
	kk_stmt_bind_opt_int(st, 7, report_id);
	kk_stmt_bind_opt_int(st, 8, case_id);
	kk_outbox_token_new(token);
	kk_stmt_bind_text(st, 9, token);
	res = kk_stmt_first(st, err);
	if (res == KK_OK && id)
		*id = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "message");
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_outbox_queue(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
			       const char *body, const char *lang, int64_t report_id, struct kk_error *err)
{
	return queue(tx, kind, recipient, subject, body, lang, report_id, 0, NULL, err);
}

enum kk_result kk_outbox_queue_case(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
				    const char *body, const char *lang, int64_t case_id, int64_t *id,
				    struct kk_error *err)
{
	return queue(tx, kind, recipient, subject, body, lang, 0, case_id, id, err);
}

enum kk_result kk_outbox_queue_text(struct kk_tx *tx, const char *kind, const char *recipient, const char *text,
				    const char *lang, int64_t report_id, int64_t case_id, int64_t *id,
				    struct kk_error *err)
{
	const char *nl = strstr(text, "\n\n");
	char *subject;
	enum kk_result res;

	if (!nl || nl == text || memchr(text, '\n', (size_t)(nl - text)))
		return kk_error_set(err, KK_ETOOBIG, _("The %s message has no subject line."), kind);
	if (!(subject = kk_strndup(text, (size_t)(nl - text))))
		return kk_error_nomem(err);
	res = queue(tx, kind, recipient, subject, nl + 2, lang, report_id, case_id, id, err);
	free(subject);
	return res;
}

/* issue 11 (compose): the message as a template wrote it, and safe_body,
 * what a recipient without a usable key gets in its place (SPEC 1). Set in
 * the same transaction, right after the row is made. */
enum kk_result kk_outbox_queue_safe(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
				    const char *body, const char *safe_body, const char *lang, int64_t report_id,
				    struct kk_error *err)
{
	struct kk_stmt *st;
	int64_t id = 0;
	enum kk_result res = queue(tx, kind, recipient, subject, body, lang, report_id, 0, &id, err);

	if (res || !safe_body)
		return res;
	if (!(st = kk_stmt_prepare(tx, "UPDATE outbox SET safe_body = ? WHERE id = ?", err)))
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, safe_body);
	kk_stmt_bind_int(st, 2, id);
	res = kk_stmt_exec(st, err);
	kk_stmt_free(st);
	return res;
}

/* A time column as the API writes times, or null. */
static json_t *time_or_null(const struct kk_stmt *st, int i)
{
	char at[KK_TIME_LEN];

	return kk_stmt_is_null(st, i) ? json_null() : json_string(kk_time_format(kk_stmt_int(st, i), at));
}

static json_t *text_or_null(const struct kk_stmt *st, int i)
{
	return kk_stmt_is_null(st, i) ? json_null() : json_string(kk_stmt_text(st, i));
}

/* The delivery columns of a listed row (columns 10-16), NULL when out of
 * memory. */
static json_t *delivery_json(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "tries", (json_int_t)kk_stmt_int(st, 10), "next_at",
			 time_or_null(st, 11), "last_error", text_or_null(st, 12), "sent_at", time_or_null(st, 13),
			 "message_id", text_or_null(st, 14), "reply_token", text_or_null(st, 15), "encrypted",
			 kk_stmt_is_null(st, 16) ? json_null() : json_boolean(kk_stmt_int(st, 16) != 0));
}

enum kk_result kk_outbox_list(struct kk_store *s, json_t **out, struct kk_error *err)
{
	struct kk_tx tx;
	struct kk_stmt *st;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);
	enum kk_step step;
	json_t *list;

	*out = NULL;
	if (res)
		return res;
	st = kk_stmt_prepare(&tx, "SELECT o.id, o.created_at, o.kind, o.recipient, o.subject, o.body, o.lang,"
				  " r.tracking_id, o.status, c.ref, o.tries, o.next_at, o.last_error, o.sent_at,"
				  " o.message_id, o.reply_token, o.encrypted FROM outbox o"
				  " LEFT JOIN reports r ON r.id = o.report_id"
				  " LEFT JOIN cases c ON c.id = o.case_id ORDER BY o.id", err);
	if (!st)
		return kk_tx_end(&tx, kk_error_result(err, KK_EDB), err);
	if (!(list = json_array())) {
		kk_stmt_free(st);
		return kk_tx_end(&tx, kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory.")), err);
	}
	while ((step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		char at[KK_TIME_LEN];
		const char *report = kk_stmt_text(st, 7), *case_ref = kk_stmt_text(st, 9);
		json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o}", "id",
					(json_int_t)kk_stmt_int(st, 0), "created_at",
					kk_time_format(kk_stmt_int(st, 1), at), "kind", kk_stmt_text(st, 2),
					"recipient", kk_stmt_text(st, 3), "subject", kk_stmt_text(st, 4), "body",
					kk_stmt_text(st, 5), "lang", kk_stmt_text(st, 6), "report",
					report ? json_string(report) : json_null(), "status", kk_stmt_text(st, 8),
					"case", case_ref ? json_string(case_ref) : json_null());

		/* issue 11: where delivery stands */
		if (row && json_object_update_new(row, delivery_json(st)) != 0) {
			json_decref(row);
			row = NULL;
		}
		/* a message that cannot be listed fails the list rather than go missing */
		if (!row || json_array_append_new(list, row) != 0)
			break;
	}
	if (step == KK_STEP_ROW)
		res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	else
		res = step == KK_STEP_DONE ? KK_OK : kk_stmt_result(st);
	kk_stmt_free(st);
	if (res)
		json_decref(list);
	else
		*out = list;
	return kk_tx_end(&tx, res, err);
}


/* issue 11; SPEC 2.6, 8: the unreachable-vendor clock counts on a contact
 * marked failed. The vendor's e-mail contact at the message's address is
 * also no longer valid: keikai stops writing to an address a relay refused
 * for good, and staff see it (the vendor's contacts, is_valid). */
enum kk_result kk_outbox_mark_failed(struct kk_tx *tx, int64_t outbox_id, const char *reason, struct kk_error *err)
{
	int64_t now = kk_now();
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE outbox SET status = 'failed', last_error = ?, claimed_at = NULL,"
					     " next_at = NULL WHERE id = ? RETURNING recipient",
					     err);
	char *recipient = NULL;
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, reason);
	kk_stmt_bind_int(st, 2, outbox_id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK && !(recipient = kk_stmt_dup(st, 0)))
		res = kk_error_nomem(err);
	else if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, _("There is no message %lld in the outbox."), (long long)outbox_id);
	kk_stmt_free(st);
	if (res)
		return res;

	/* the attempt that sent it; only the first failure is kept (a bounce
	 * after a 5xx says nothing new) */
	st = kk_stmt_prepare(tx,
			     "UPDATE contact_attempts SET failed_at = ?, failure = ? WHERE outbox_id = ?"
			     " AND failed_at IS NULL",
			     err);
	if (!st) {
		free(recipient);
		return kk_error_result(err, KK_EDB);
	}
	kk_stmt_bind_int(st, 1, now);
	kk_stmt_bind_text(st, 2, reason);
	kk_stmt_bind_int(st, 3, outbox_id);
	if ((res = kk_stmt_once(st, err))) {
		free(recipient);
		return res;
	}

	/* the contact at that address of every vendor an attempt with this
	 * message went to, or of the case's vendors (a later notice, a message
	 * in the thread: no attempt names them) */
	st = kk_stmt_prepare(tx,
			     "UPDATE vendor_contacts SET failed_at = ?1, failure = ?2, is_valid = 0, updated_at = ?3"
			     " WHERE channel = 'email' AND lower(value) = lower(?4) AND vendor_id IN"
			     " (SELECT vendor_id FROM contact_attempts WHERE outbox_id = ?5"
			     " UNION SELECT cv.vendor_id FROM case_vendors cv JOIN outbox o ON o.case_id = cv.case_id"
			     " WHERE o.id = ?5)",
			     err);
	if (!st) {
		free(recipient);
		return kk_error_result(err, KK_EDB);
	}
	kk_stmt_bind_int(st, 1, now);
	kk_stmt_bind_text(st, 2, reason);
	kk_stmt_bind_int(st, 3, now);
	kk_stmt_bind_text(st, 4, recipient);
	kk_stmt_bind_int(st, 5, outbox_id);
	free(recipient);
	return kk_stmt_once(st, err);
}

enum kk_result kk_outbox_find_token(struct kk_tx *tx, const char *token, struct kk_outbox_ref *out,
				    struct kk_error *err)
{
	struct kk_stmt *st;
	enum kk_result res;
	int lost = 0;

	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) != KK_MAIL_TOKEN_LEN)
		return KK_ENOTFOUND;
	st = kk_stmt_prepare(tx,
			     "SELECT id, case_id, report_id, kind, recipient, lang FROM outbox WHERE reply_token = ?",
			     err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	/* tokens are written in lower case; a mail system may have folded it */
	{
		char lower[KK_MAIL_TOKEN_LEN + 1];
		size_t i;

		for (i = 0; i < KK_MAIL_TOKEN_LEN; i++)
			lower[i] = (char)((token[i] >= 'A' && token[i] <= 'Z') ? token[i] - 'A' + 'a' : token[i]);
		lower[KK_MAIL_TOKEN_LEN] = '\0';
		kk_stmt_bind_text(st, 1, lower);
	}
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		out->id = kk_stmt_int(st, 0);
		out->case_id = kk_stmt_int(st, 1);
		out->report_id = kk_stmt_int(st, 2);
		kk_stmt_dup_into(st, 3, &out->kind, &lost);
		kk_stmt_dup_into(st, 4, &out->recipient, &lost);
		kk_stmt_dup_into(st, 5, &out->lang, &lost);
		if (lost) {
			kk_outbox_ref_release(out);
			res = kk_error_nomem(err);
		}
	}
	kk_stmt_free(st);
	return res;
}

void kk_outbox_ref_release(struct kk_outbox_ref *r)
{
	if (!r)
		return;
	free(r->kind);
	free(r->recipient);
	free(r->lang);
	memset(r, 0, sizeof(*r));
}
