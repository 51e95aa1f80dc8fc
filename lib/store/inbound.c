/*
 * inbound.c: the repository of the messages keikai mail-in took
 * (inbound.h; issue 11, item 4), in the SQL both engines share.
 */
#include <stdio.h>
#include <string.h>

#include "inbound.h"
#include "rows.h"

enum kk_result kk_inbound_insert(struct kk_tx *tx, struct kk_inbound *in, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"INSERT INTO inbound_mail(received_at, kind, state, sender, subject, message_id, reason, encrypted,"
		" outbox_id, thread_id, report_id, evidence_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, in->received_at);
	kk_stmt_bind_text(st, 2, in->kind);
	kk_stmt_bind_text(st, 3, in->state);
	kk_stmt_bind_text(st, 4, in->sender);
	kk_stmt_bind_text(st, 5, in->subject);
	kk_stmt_bind_text(st, 6, in->message_id);
	kk_stmt_bind_text(st, 7, in->reason);
	kk_stmt_bind_int(st, 8, in->encrypted != 0);
	kk_stmt_bind_opt_int(st, 9, in->outbox_id);
	kk_stmt_bind_opt_int(st, 10, in->thread_id);
	kk_stmt_bind_opt_int(st, 11, in->report_id);
	kk_stmt_bind_opt_int(st, 12, in->evidence_id);
	res = kk_stmt_exec(st, err);
	if (!res)
		in->id = kk_tx_last_id(tx);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_inbound_settle(struct kk_tx *tx, const struct kk_inbound *in, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE inbound_mail SET kind = ?, state = ?, reason = ?, encrypted = ?,"
					     " thread_id = COALESCE(?, thread_id), report_id = COALESCE(?, report_id),"
					     " outbox_id = COALESCE(?, outbox_id) WHERE id = ?",
					     err);

	if (st) {
		kk_stmt_bind_text(st, 1, in->kind);
		kk_stmt_bind_text(st, 2, in->state);
		kk_stmt_bind_text(st, 3, in->reason);
		kk_stmt_bind_int(st, 4, in->encrypted != 0);
		kk_stmt_bind_opt_int(st, 5, in->thread_id);
		kk_stmt_bind_opt_int(st, 6, in->report_id);
		kk_stmt_bind_opt_int(st, 7, in->outbox_id);
		kk_stmt_bind_int(st, 8, in->id);
	}
	return kk_stmt_once(st, err);
}

#define LIST_COLUMNS "id, received_at, kind, sender, subject, reason, encrypted"

static json_t *open_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:b}", "id", (json_int_t)kk_stmt_int(st, 0), "received_at",
			 (json_int_t)kk_stmt_int(st, 1), "kind", kk_stmt_text(st, 2), "sender",
			 kk_col_text_or_null(st, 3), "subject", kk_col_text_or_null(st, 4), "reason",
			 kk_col_text_or_null(st, 5), "encrypted", kk_stmt_int(st, 6) != 0);
}

enum kk_result kk_inbound_open_json(struct kk_tx *tx, json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "SELECT " LIST_COLUMNS " FROM inbound_mail WHERE state = 'open' ORDER BY received_at DESC, id DESC",
		err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	return kk_rows_json(st, open_row, arr, err);
}

enum kk_result kk_inbound_get_json(struct kk_tx *tx, int64_t id, json_t **out, int64_t *evidence_id,
				   struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT " LIST_COLUMNS ", state, message_id, outbox_id, thread_id, report_id,"
					     " decided_at, evidence_id FROM inbound_mail WHERE id = ?",
					     err);
	enum kk_result res;
	json_t *o = NULL;

	*out = NULL;
	*evidence_id = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	res = kk_stmt_first(st, err);
	if (!res) {
		o = open_row(st);
		if (!o || json_object_set_new(o, "state", json_string(kk_stmt_text(st, 7))) ||
		    json_object_set_new(o, "message_id", kk_col_text_or_null(st, 8)) ||
		    json_object_set_new(o, "outbox_id", kk_col_int_or_null(st, 9)) ||
		    json_object_set_new(o, "thread_id", kk_col_int_or_null(st, 10)) ||
		    json_object_set_new(o, "report_id", kk_col_int_or_null(st, 11)) ||
		    json_object_set_new(o, "decided_at", kk_col_int_or_null(st, 12))) {
			json_decref(o);
			o = NULL;
			res = kk_error_nomem(err);
		}
		*evidence_id = kk_stmt_int(st, 13);
	}
	kk_stmt_free(st);
	*out = o;
	return res;
}

enum kk_result kk_inbound_dismiss(struct kk_tx *tx, int64_t id, int64_t user_id, int64_t at, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE inbound_mail SET state = 'dismissed', decided_by = ?, decided_at = ?"
					     " WHERE id = ? AND state = 'open'",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_opt_int(st, 1, user_id);
	kk_stmt_bind_int(st, 2, at);
	kk_stmt_bind_int(st, 3, id);
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) != 1)
		res = KK_ENOTFOUND;
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_inbound_mark_message(struct kk_tx *tx, int64_t message_id, const char *address,
				       int64_t inbound_id, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "UPDATE case_messages SET via = 'mail', author_address = ?, inbound_id = ? WHERE id = ?", err);

	if (st) {
		kk_stmt_bind_text(st, 1, address);
		kk_stmt_bind_int(st, 2, inbound_id);
		kk_stmt_bind_int(st, 3, message_id);
	}
	return kk_stmt_once(st, err);
}

enum kk_result kk_inbound_vendor_of(struct kk_tx *tx, int64_t case_id, const char *address, int64_t *vendor_id,
				    int64_t *user_id, struct kk_error *err)
{
	/* a user first: a message from a vendor's user is that user's */
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT cv.vendor_id, u.id FROM case_vendors cv JOIN orgs o ON o.vendor_id = cv.vendor_id"
		" JOIN users u ON u.org_id = o.id WHERE cv.case_id = ?1 AND LOWER(u.email) = LOWER(?2)"
		" UNION ALL SELECT cv.vendor_id, 0 FROM case_vendors cv JOIN vendor_contacts c ON c.vendor_id = cv.vendor_id"
		" WHERE cv.case_id = ?1 AND c.channel = 'email' AND LOWER(c.value) = LOWER(?2)"
		" ORDER BY 2 DESC LIMIT 1",
		err);
	enum kk_result res;

	*vendor_id = *user_id = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_text(st, 2, address);
	res = kk_stmt_first(st, err);
	if (!res) {
		*vendor_id = kk_stmt_int(st, 0);
		*user_id = kk_stmt_int(st, 1);
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_inbound_report_finder(struct kk_tx *tx, int64_t report_id, char **email, char *status,
					struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT finder_email, status FROM reports WHERE id = ?", err);
	enum kk_result res;
	int lost = 0;

	*email = NULL;
	status[0] = '\0';
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, report_id);
	res = kk_stmt_first(st, err);
	if (!res) {
		kk_stmt_dup_into(st, 0, email, &lost);
		snprintf(status, 16, "%s", kk_stmt_text(st, 1));
	}
	kk_stmt_free(st);
	if (lost)
		res = kk_error_nomem(err);
	return res;
}
