/*
 * outbox.c: messages queued for people outside keikai (outbox.h). A message is
 * written in the same transaction as the change it reports; delivery (a later
 * module) reads the queue and marks what it sent.
 */
#include <stdlib.h>

#include "keikai/clock.h"
#include "keikai/outbox.h"
#include "keikai/util.h"

enum kk_result kk_outbox_queue(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
			       const char *body, const char *lang, int64_t report_id, struct kk_error *err)
{
	sqlite3_stmt *st = kk_tx_prepare(tx, "INSERT INTO outbox(created_at, kind, recipient, subject, body, lang,"
					     " report_id) VALUES(?, ?, ?, ?, ?, ?, ?)", err);
	enum kk_result res = KK_OK;

	if (!st)
		return KK_EDB;
	sqlite3_bind_int64(st, 1, kk_now());
	kk_bind_text(st, 2, kind);
	kk_bind_text(st, 3, recipient);
	kk_bind_text(st, 4, subject);
	kk_bind_text(st, 5, body);
	kk_bind_text(st, 6, lang);
	if (report_id)
		sqlite3_bind_int64(st, 7, report_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		res = kk_db_error(tx->db, err);
	sqlite3_finalize(st);
	return res;
}

enum kk_result kk_outbox_list(struct kk_store *s, json_t **out, struct kk_error *err)
{
	struct kk_tx tx;
	sqlite3_stmt *st;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);

	*out = NULL;
	if (res)
		return res;
	st = kk_tx_prepare(&tx, "SELECT o.id, o.created_at, o.kind, o.recipient, o.subject, o.body, o.lang,"
				" r.tracking_id, o.status FROM outbox o LEFT JOIN reports r ON r.id = o.report_id"
				" ORDER BY o.id", err);
	if (!st)
		return kk_tx_end(&tx, KK_EDB, err);
	*out = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		char at[KK_TIME_LEN];
		const char *report = (const char *)sqlite3_column_text(st, 7);

		json_array_append_new(
			*out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "id",
					(json_int_t)sqlite3_column_int64(st, 0), "created_at",
					kk_time_format(sqlite3_column_int64(st, 1), at), "kind",
					(const char *)sqlite3_column_text(st, 2), "recipient",
					(const char *)sqlite3_column_text(st, 3), "subject",
					(const char *)sqlite3_column_text(st, 4), "body",
					(const char *)sqlite3_column_text(st, 5), "lang",
					(const char *)sqlite3_column_text(st, 6), "report",
					report ? json_string(report) : json_null(), "status",
					(const char *)sqlite3_column_text(st, 8)));
	}
	sqlite3_finalize(st);
	return kk_tx_end(&tx, KK_OK, err);
}
