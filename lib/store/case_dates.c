/*
 * case_dates.c: the repository of a case's publication date (case_dates.h):
 * the statements on the date columns of cases, date_changes and date_answers,
 * in the SQL both engines share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "case_dates.h"
#include "rows.h"

enum kk_result kk_case_dates_write(struct kk_tx *tx, int64_t case_id, const struct kk_case_date_write *w,
				   struct kk_error *err)
{
	/* each member is written only where the transition gives it (?N = 0:
	 * keep); resume clears what the date had become */
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"UPDATE cases SET date_state = ?1, updated_at = ?2,"
		" proposed_at = CASE WHEN ?3 <> 0 THEN ?3 ELSE proposed_at END,"
		" publication_at = CASE WHEN ?4 <> 0 THEN ?4 WHEN ?9 <> 0 THEN NULL ELSE publication_at END,"
		" date_factors = CASE WHEN ?4 <> 0 THEN CAST(?5 AS TEXT) ELSE date_factors END,"
		" ready_at = CASE WHEN ?6 <> 0 THEN ?6 WHEN ?4 <> 0 OR ?9 <> 0 THEN NULL ELSE ready_at END,"
		" called_off_reason = CASE WHEN CAST(?7 AS TEXT) IS NOT NULL THEN CAST(?7 AS TEXT)"
		"  WHEN ?9 <> 0 THEN NULL ELSE called_off_reason END,"
		" called_off_note = CASE WHEN CAST(?7 AS TEXT) IS NOT NULL THEN CAST(?8 AS TEXT)"
		"  WHEN ?9 <> 0 THEN NULL ELSE called_off_note END"
		" WHERE id = ?10 AND date_state = ?11",
		err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, w->to);
	kk_stmt_bind_int(st, 2, w->at);
	kk_stmt_bind_int(st, 3, w->proposed_at);
	kk_stmt_bind_int(st, 4, w->publication_at);
	kk_stmt_bind_text(st, 5, w->factors);
	kk_stmt_bind_int(st, 6, w->ready_at);
	kk_stmt_bind_text(st, 7, w->called_off_reason);
	kk_stmt_bind_text(st, 8, w->called_off_note);
	kk_stmt_bind_int(st, 9, w->clear);
	kk_stmt_bind_int(st, 10, case_id);
	kk_stmt_bind_text(st, 11, w->from);
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) != 1)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("The case changed meanwhile; load it again."));
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_case_dates_change(struct kk_tx *tx, int64_t case_id, int64_t old_at, int64_t new_at,
				    const char *reason, const char *factors, int64_t by, int64_t at,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO date_changes(case_id, old_at, new_at, reason, factors, by_user, at)"
					     " VALUES(?, ?, ?, ?, ?, ?, ?)",
					     err);

	if (st) {
		kk_stmt_bind_int(st, 1, case_id);
		kk_stmt_bind_opt_int(st, 2, old_at);
		kk_stmt_bind_int(st, 3, new_at);
		kk_stmt_bind_text(st, 4, reason);
		kk_stmt_bind_text(st, 5, factors);
		kk_stmt_bind_opt_int(st, 6, by);
		kk_stmt_bind_int(st, 7, at);
	}
	return kk_stmt_once(st, err);
}

enum kk_result kk_case_dates_answer(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, int64_t for_at,
				    const char *answer, int64_t wanted_at, const char *reason, int64_t by, int64_t at,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO date_answers(case_id, vendor_id, for_at, answer, wanted_at, reason,"
					     " by_user, at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
					     err);

	if (st) {
		kk_stmt_bind_int(st, 1, case_id);
		kk_stmt_bind_int(st, 2, vendor_id);
		kk_stmt_bind_int(st, 3, for_at);
		kk_stmt_bind_text(st, 4, answer);
		kk_stmt_bind_opt_int(st, 5, wanted_at);
		kk_stmt_bind_text(st, 6, reason);
		kk_stmt_bind_opt_int(st, 7, by);
		kk_stmt_bind_int(st, 8, at);
	}
	return kk_stmt_once(st, err);
}

enum kk_result kk_case_dates_fields_json(struct kk_tx *tx, int64_t case_id, json_t *obj, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "SELECT date_factors, called_off_reason, called_off_note, updated_at FROM cases WHERE id = ?", err);
	json_t *factors = NULL, *off = NULL;
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	res = kk_stmt_first(st, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("The case is gone."));
	if (!res && !kk_stmt_is_null(st, 0))
		factors = json_loads(kk_stmt_text(st, 0), 0, NULL); /* written by date.c: valid JSON */
	if (!res && !kk_stmt_is_null(st, 1) &&
	    !(off = json_pack("{s:o, s:o, s:I}", "reason", kk_col_text_or_null(st, 1), "note",
			      kk_col_text_or_null(st, 2), "at", (json_int_t)kk_stmt_int(st, 3))))
		res = kk_error_nomem(err);
	if (!res && (json_object_set_new(obj, "factors", factors ? factors : json_null()) ||
		     json_object_set_new(obj, "called_off", off ? off : json_null())))
		res = kk_error_nomem(err);
	else if (res) {
		json_decref(factors);
		json_decref(off);
	}
	kk_stmt_free(st);
	return res;
}

static json_t *history_row(const struct kk_stmt *st)
{
	return json_pack("{s:o, s:I, s:s, s:I, s:o}", "old_at", kk_col_int_or_null(st, 0), "new_at",
			 (json_int_t)kk_stmt_int(st, 1), "reason", kk_stmt_text(st, 2), "at",
			 (json_int_t)kk_stmt_int(st, 3), "by", kk_col_text_or_null(st, 4));
}

enum kk_result kk_case_dates_history_json(struct kk_tx *tx, int64_t case_id, json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT d.old_at, d.new_at, d.reason, d.at, u.name FROM date_changes d"
					     " LEFT JOIN users u ON u.id = d.by_user WHERE d.case_id = ? ORDER BY d.id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_json(st, history_row, arr, err);
}

static json_t *answer_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:I}", "vendor_id", (json_int_t)kk_stmt_int(st, 0), "answer",
			 kk_stmt_text(st, 1), "wanted_at", kk_col_int_or_null(st, 2), "reason",
			 kk_col_text_or_null(st, 3), "at", (json_int_t)kk_stmt_int(st, 4));
}

enum kk_result kk_case_dates_answers_json(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, int64_t for_at,
					  json_t *by_vendor, struct kk_error *err)
{
	/* each vendor's latest answer to this date: the one with no later one */
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT a.vendor_id, a.answer, a.wanted_at, a.reason, a.at FROM date_answers a"
		" WHERE a.case_id = ?1 AND a.for_at = ?2 AND (?3 = 0 OR a.vendor_id = ?3)"
		" AND NOT EXISTS (SELECT 1 FROM date_answers b WHERE b.case_id = a.case_id"
		" AND b.vendor_id = a.vendor_id AND b.for_at = a.for_at AND b.id > a.id)",
		err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, for_at);
	kk_stmt_bind_int(st, 3, vendor_id);
	return kk_rows_json_grouped(st, answer_row, 0, by_vendor, err);
}

enum kk_result kk_case_dates_parties(struct kk_tx *tx, int64_t case_id, kk_row_fn *fn, void *arg,
				     struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT 'intake', u.email, NULL, 0, NULL FROM users u WHERE u.role = 'intake'"
		" UNION ALL SELECT 'coordinator', u.email, NULL, 0, NULL FROM cases c"
		"  JOIN users u ON u.id = c.coordinator_id WHERE c.id = ?1"
		" UNION ALL SELECT 'finder', r.finder_email, r.lang, r.id, r.tracking_id FROM case_reports cr"
		"  JOIN reports r ON r.id = cr.report_id WHERE cr.case_id = ?1 AND r.finder_email <> ''",
		err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_each(st, fn, arg, err);
}

static json_t *told_row(const struct kk_stmt *st)
{
	int finder = strcmp(kk_stmt_text(st, 0), "date_finder") == 0;

	return json_pack("{s:o, s:b, s:I, s:s}", "recipient", finder ? json_null() : kk_col_text_or_null(st, 1),
			 "finder", finder, "at", (json_int_t)kk_stmt_int(st, 2), "status", kk_stmt_text(st, 3));
}

enum kk_result kk_case_dates_told_json(struct kk_tx *tx, int64_t case_id, int64_t since, json_t *arr,
				       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT kind, recipient, created_at, status FROM outbox WHERE case_id = ?"
					     " AND kind IN ('date_notice', 'date_finder') AND created_at >= ? ORDER BY id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, since);
	return kk_rows_json(st, told_row, arr, err);
}
