/*
 * outbox_delivery.c: the outbox's delivery columns (deliver.h; issue 11,
 * item 1): which messages are due, claiming one, and recording what a try
 * came to. Every change is guarded by the state (and the claim) it was read
 * in, and the state it writes is the delivery table's answer
 * (kk_deliver_next), so two senders never both take a message and a sender
 * whose claim expired never records over the one that took over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/deliver.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/util.h"
#include "outbox_internal.h"

/* due: queued and its time has come (?: now), or claimed before the lease
 * began (?: now - the lease) by a sender that never recorded */
#define DUE_WHERE                                                                                              \
	"((status = 'queued' AND (next_at IS NULL OR next_at <= ?)) OR (status = 'sending' AND claimed_at < ?))"

enum kk_result kk_outbox_due_count(struct kk_store *s, int64_t now, int64_t *n, struct kk_error *err)
{
	struct kk_tx tx;
	struct kk_stmt *st;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);

	*n = 0;
	if (res)
		return res;
	st = kk_stmt_prepare(&tx, "SELECT count(*) FROM outbox WHERE " DUE_WHERE, err);
	if (!st)
		return kk_tx_end(&tx, kk_error_result(err, KK_EDB), err);
	kk_stmt_bind_int(st, 1, now);
	kk_stmt_bind_int(st, 2, now - KK_DELIVER_LEASE_SECONDS);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		*n = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND)
		res = KK_OK;
	kk_stmt_free(st);
	return kk_tx_end(&tx, res, err);
}

void kk_outbox_claim_release(struct kk_outbox_claim *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < sizeof(c->buf) / sizeof(c->buf[0]); i++)
		free(c->buf[i]);
	memset(c, 0, sizeof(*c));
}

/* Takes message id if it is still in state status with claim seen (0: none):
 * KK_ENOTFOUND when another sender took it first. */
static enum kk_result take(struct kk_tx *tx, int64_t id, const char *status, int64_t seen, int64_t now,
			   struct kk_outbox_claim *out, struct kk_error *err)
{
	const char *to = kk_deliver_next(status, "claim");
	char token[KK_MAIL_TOKEN_LEN + 1];
	struct kk_stmt *st;
	enum kk_result res;
	int lost = 0;

	if (!to)
		return kk_error_set(err, KK_ECONFLICT, _("Message %lld cannot be sent from the state %s."), (long long)id,
				    status);
	/* a message queued before issue 11 has no reply token yet */
	kk_outbox_token_new(token);
	st = kk_stmt_prepare(tx,
			     "UPDATE outbox SET status = ?, claimed_at = ?, tries = tries + 1,"
			     " reply_token = COALESCE(reply_token, ?)"
			     " WHERE id = ? AND status = ? AND COALESCE(claimed_at, 0) = ?"
			     " RETURNING tries, report_id, case_id, created_at, kind, recipient, subject, body,"
			     " safe_body, lang, reply_token",
			     err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, to);
	kk_stmt_bind_int(st, 2, now);
	kk_stmt_bind_text(st, 3, token);
	kk_stmt_bind_int(st, 4, id);
	kk_stmt_bind_text(st, 5, status);
	kk_stmt_bind_int(st, 6, seen);
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		out->msg.id = id;
		out->claimed_at = now;
		out->tries = kk_stmt_int(st, 0);
		out->msg.report_id = kk_stmt_int(st, 1);
		out->msg.case_id = kk_stmt_int(st, 2);
		out->msg.created_at = kk_stmt_int(st, 3);
		for (int i = 0; i < 7; i++)
			kk_stmt_dup_into(st, 4 + i, &out->buf[i], &lost);
		out->msg.kind = out->buf[0];
		out->msg.recipient = out->buf[1];
		out->msg.subject = out->buf[2];
		out->msg.body = out->buf[3];
		out->msg.safe_body = out->buf[4]; /* NULL: compose writes the kind's notice */
		out->msg.lang = out->buf[5];
		out->msg.reply_token = out->buf[6];
		if (lost)
			res = kk_error_nomem(err);
	}
	kk_stmt_free(st);
	if (res)
		kk_outbox_claim_release(out);
	return res;
}

enum kk_result kk_outbox_claim_next(struct kk_tx *tx, int64_t after, int64_t now, struct kk_outbox_claim *out,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT id, status, COALESCE(claimed_at, 0) FROM outbox WHERE id > ? AND "
					     DUE_WHERE " ORDER BY id LIMIT 1",
					     err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	/* a row another sender takes between the read and the update is skipped:
	 * the next one is read, never the same twice */
	for (;;) {
		int64_t id, seen;
		char status[16];

		kk_stmt_reset(st);
		kk_stmt_bind_int(st, 1, after);
		kk_stmt_bind_int(st, 2, now);
		kk_stmt_bind_int(st, 3, now - KK_DELIVER_LEASE_SECONDS);
		if ((res = kk_stmt_first(st, err)))
			break;
		id = kk_stmt_int(st, 0);
		snprintf(status, sizeof(status), "%s", kk_stmt_text(st, 1));
		seen = kk_stmt_int(st, 2);
		res = take(tx, id, status, seen, now, out, err);
		if (res != KK_ENOTFOUND)
			break;
		after = id;
	}
	kk_stmt_free(st);
	return res;
}

/* Runs st (an UPDATE guarded by the claim c holds) and says whether it
 * changed the row. */
static enum kk_result guarded(struct kk_stmt *st, int *recorded, struct kk_error *err)
{
	enum kk_result res = kk_stmt_exec(st, err);

	*recorded = res == KK_OK && kk_stmt_changes(st) == 1;
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_outbox_record_sent(struct kk_tx *tx, const struct kk_outbox_claim *c, int64_t now,
				     const char *message_id, int encrypted, int *recorded, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE outbox SET status = ?, sent_at = ?, message_id = ?, encrypted = ?,"
					     " last_error = NULL, claimed_at = NULL, next_at = NULL"
					     " WHERE id = ? AND status = 'sending' AND claimed_at = ?",
					     err);

	*recorded = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, kk_deliver_next("sending", "sent"));
	kk_stmt_bind_int(st, 2, now);
	kk_stmt_bind_text(st, 3, message_id);
	kk_stmt_bind_int(st, 4, encrypted != 0);
	kk_stmt_bind_int(st, 5, c->msg.id);
	kk_stmt_bind_int(st, 6, c->claimed_at);
	return guarded(st, recorded, err);
}

enum kk_result kk_outbox_record_retry(struct kk_tx *tx, const struct kk_outbox_claim *c, int64_t next_at,
				      const char *error, int *recorded, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE outbox SET status = ?, next_at = ?, last_error = ?, claimed_at = NULL"
					     " WHERE id = ? AND status = 'sending' AND claimed_at = ?",
					     err);

	*recorded = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, kk_deliver_next("sending", "transient"));
	kk_stmt_bind_int(st, 2, next_at);
	kk_stmt_bind_text(st, 3, error);
	kk_stmt_bind_int(st, 4, c->msg.id);
	kk_stmt_bind_int(st, 5, c->claimed_at);
	return guarded(st, recorded, err);
}

enum kk_result kk_outbox_record_failed(struct kk_tx *tx, const struct kk_outbox_claim *c, const char *error,
				       int *recorded, struct kk_error *err)
{
	/* the guard first: only the sender holding the claim marks anything */
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT 1 FROM outbox WHERE id = ? AND status = 'sending' AND claimed_at = ?",
					     err);
	enum kk_result res;

	*recorded = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, c->msg.id);
	kk_stmt_bind_int(st, 2, c->claimed_at);
	res = kk_stmt_first(st, err);
	kk_stmt_free(st);
	if (res == KK_ENOTFOUND)
		return KK_OK;
	if (res)
		return res;
	if ((res = kk_outbox_mark_failed(tx, c->msg.id, error, err)) == KK_OK)
		*recorded = 1;
	return res;
}
