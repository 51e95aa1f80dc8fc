/*
 * prenotify.c: vendors' pre-notification requests in the database (prenotify.h).
 */
#include <stdio.h>

#include "keikai/i18n.h"
#include "keikai/vendor.h"
#include "store/prenotify.h"
#include "store/rows.h"

enum kk_result kk_prenotify_insert(struct kk_tx *tx, struct kk_prenotify *r, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO prenotify_requests(case_id, vendor_id, state, customers, nda,"
					     " reason, requested_by, requested_at) VALUES(?, ?, 'requested', ?, ?, ?, ?, ?)"
					     " RETURNING id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, r->case_id);
	kk_stmt_bind_int(st, 2, r->vendor_id);
	kk_stmt_bind_text(st, 3, r->customers);
	kk_stmt_bind_int(st, 4, r->nda);
	kk_stmt_bind_text(st, 5, r->reason);
	kk_stmt_bind_opt_int(st, 6, r->requested_by);
	kk_stmt_bind_int(st, 7, r->requested_at);
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		r->id = kk_stmt_int(st, 0);
		snprintf(r->state, sizeof(r->state), "requested");
	} else if (res == KK_ENOTFOUND) {
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "prenotify request");
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_prenotify_load(struct kk_tx *tx, int64_t case_id, int64_t id, struct kk_prenotify *out,
				 struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT id, case_id, vendor_id, state, nda, requested_by, requested_at"
					     " FROM prenotify_requests WHERE id = ? AND case_id = ?",
					     err);
	enum kk_result res;

	*out = (struct kk_prenotify){ 0 };
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	kk_stmt_bind_int(st, 2, case_id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		out->id = kk_stmt_int(st, 0);
		out->case_id = kk_stmt_int(st, 1);
		out->vendor_id = kk_stmt_int(st, 2);
		snprintf(out->state, sizeof(out->state), "%s", kk_stmt_text(st, 3));
		out->nda = (int)kk_stmt_int(st, 4);
		out->requested_by = kk_stmt_int(st, 5);
		out->requested_at = kk_stmt_int(st, 6);
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_prenotify_decide_write(struct kk_tx *tx, int64_t id, const char *from, const char *to,
					 int64_t by, int64_t at, const char *note, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE prenotify_requests SET state = ?, decided_by = ?, decided_at = ?,"
					     " decision_note = ? WHERE id = ? AND state = ?",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, to);
	kk_stmt_bind_opt_int(st, 2, by);
	kk_stmt_bind_int(st, 3, at);
	kk_stmt_bind_text(st, 4, note);
	kk_stmt_bind_int(st, 5, id);
	kk_stmt_bind_text(st, 6, from);
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) == 0)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("The request was decided meanwhile."));
	kk_stmt_free(st);
	return res;
}

static json_t *request_row(const struct kk_stmt *st)
{
	const char *ja = kk_stmt_is_null(st, 3) ? NULL : kk_stmt_text(st, 3);
	const char *en = kk_stmt_is_null(st, 4) ? NULL : kk_stmt_text(st, 4);

	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:o, s:I, s:o, s:o}", "id", (json_int_t)kk_stmt_int(st, 0),
			 "vendor_id", (json_int_t)kk_stmt_int(st, 2), "vendor",
			 kk_vendor_name_in(kk_lang_code(kk_i18n_current()), ja, en), "state", kk_stmt_text(st, 5),
			 "customers", kk_stmt_text(st, 6), "nda", (int)kk_stmt_int(st, 7), "reason",
			 kk_col_text_or_null(st, 8), "requested_at", (json_int_t)kk_stmt_int(st, 9), "decided_at",
			 kk_col_int_or_null(st, 10), "decision_note", kk_col_text_or_null(st, 11));
}

enum kk_result kk_prenotify_json(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, int64_t id, json_t *arr,
				 struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT r.id, r.case_id, r.vendor_id, v.name_ja, v.name_en, r.state, r.customers, r.nda, r.reason,"
		" r.requested_at, r.decided_at, r.decision_note FROM prenotify_requests r"
		" JOIN vendors v ON v.id = r.vendor_id WHERE r.case_id = ? AND (? = 0 OR r.vendor_id = ?)"
		" AND (? = 0 OR r.id = ?) ORDER BY r.id",
		err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, vendor_id);
	kk_stmt_bind_int(st, 3, vendor_id);
	kk_stmt_bind_int(st, 4, id);
	kk_stmt_bind_int(st, 5, id);
	return kk_rows_json(st, request_row, arr, err);
}
