/*
 * lift_requests.c: the repository of the finders' requests to lift the
 * non-disclosure request (lift_requests.h; SPEC 2.12), in the SQL both
 * engines share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "lift_requests.h"
#include "rows.h"

#define COLUMNS                                                                                         \
	"id, case_id, report_id, state, reason, requested_at, decision, explanation, answered_by, answered_at"

void kk_lift_request_release(struct kk_lift_request *l)
{
	if (!l)
		return;
	free(l->reason);
	free(l->decision);
	free(l->explanation);
	memset(l, 0, sizeof(*l));
}

static enum kk_result read_row(struct kk_stmt *st, struct kk_lift_request *out, struct kk_error *err)
{
	int lost = 0;

	memset(out, 0, sizeof(*out));
	out->id = kk_stmt_int(st, 0);
	out->case_id = kk_stmt_int(st, 1);
	out->report_id = kk_stmt_int(st, 2);
	snprintf(out->state, sizeof(out->state), "%s", kk_stmt_text(st, 3));
	kk_stmt_dup_into(st, 4, &out->reason, &lost);
	out->requested_at = kk_stmt_int(st, 5);
	kk_stmt_dup_into(st, 6, &out->decision, &lost);
	kk_stmt_dup_into(st, 7, &out->explanation, &lost);
	out->answered_by = kk_stmt_int(st, 8);
	out->answered_at = kk_stmt_int(st, 9);
	if (lost) {
		kk_lift_request_release(out);
		return kk_error_nomem(err);
	}
	return KK_OK;
}

/* Runs st (prepared, bound) for one row into out, and frees it. */
static enum kk_result load_one(struct kk_stmt *st, struct kk_lift_request *out, struct kk_error *err)
{
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	res = kk_stmt_first(st, err);
	if (!res)
		res = read_row(st, out, err);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_lift_requests_insert(struct kk_tx *tx, struct kk_lift_request *l, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "INSERT INTO lift_requests(case_id, report_id, state, reason, requested_at) VALUES(?, ?, ?, ?, ?)",
		err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, l->case_id);
	kk_stmt_bind_int(st, 2, l->report_id);
	kk_stmt_bind_text(st, 3, l->state);
	kk_stmt_bind_text(st, 4, l->reason);
	kk_stmt_bind_int(st, 5, l->requested_at);
	res = kk_stmt_exec(st, err);
	if (!res)
		l->id = kk_tx_last_id(tx);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_lift_requests_load(struct kk_tx *tx, int64_t case_id, int64_t id, struct kk_lift_request *out,
				     struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT " COLUMNS " FROM lift_requests WHERE id = ? AND case_id = ?",
					     err);

	if (st) {
		kk_stmt_bind_int(st, 1, id);
		kk_stmt_bind_int(st, 2, case_id);
	}
	return load_one(st, out, err);
}

enum kk_result kk_lift_requests_latest(struct kk_tx *tx, int64_t case_id, int64_t report_id,
				       struct kk_lift_request *out, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "SELECT " COLUMNS " FROM lift_requests WHERE case_id = ? AND report_id = ? ORDER BY id DESC LIMIT 1",
		err);

	if (st) {
		kk_stmt_bind_int(st, 1, case_id);
		kk_stmt_bind_int(st, 2, report_id);
	}
	return load_one(st, out, err);
}

enum kk_result kk_lift_requests_answer(struct kk_tx *tx, const struct kk_lift_request *l, const char *from,
				       const char *to, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE lift_requests SET state = ?, decision = ?, explanation = ?,"
					     " answered_by = ?, answered_at = ? WHERE id = ? AND state = ?",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, to);
	kk_stmt_bind_text(st, 2, l->decision);
	kk_stmt_bind_text(st, 3, l->explanation);
	kk_stmt_bind_opt_int(st, 4, l->answered_by);
	kk_stmt_bind_int(st, 5, l->answered_at);
	kk_stmt_bind_int(st, 6, l->id);
	kk_stmt_bind_text(st, 7, from);
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) != 1)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("The request was answered meanwhile; load it again."));
	kk_stmt_free(st);
	return res;
}

static json_t *row_json(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:I, s:o, s:s, s:o, s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)kk_stmt_int(st, 0),
			 "report_id", (json_int_t)kk_stmt_int(st, 1), "finder", kk_col_text_or_null(st, 2), "state",
			 kk_stmt_text(st, 3), "reason", kk_col_text_or_null(st, 4), "requested_at",
			 (json_int_t)kk_stmt_int(st, 5), "decision", kk_col_text_or_null(st, 6), "explanation",
			 kk_col_text_or_null(st, 7), "answered_by", kk_col_text_or_null(st, 8), "answered_at",
			 kk_col_int_or_null(st, 9));
}

enum kk_result kk_lift_requests_json(struct kk_tx *tx, int64_t case_id, int64_t report_id, const char *state,
				     json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT l.id, l.report_id, cr.finder_label, l.state, l.reason, l.requested_at, l.decision, l.explanation,"
		" u.name, l.answered_at FROM lift_requests l"
		" LEFT JOIN case_reports cr ON cr.case_id = l.case_id AND cr.report_id = l.report_id"
		" LEFT JOIN users u ON u.id = l.answered_by"
		" WHERE l.case_id = ?1 AND (?2 = 0 OR l.report_id = ?2) AND (CAST(?3 AS TEXT) IS NULL OR l.state = ?3) ORDER BY l.id",
		err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, report_id);
	kk_stmt_bind_text(st, 3, state);
	return kk_rows_json(st, row_json, arr, err);
}

enum kk_result kk_lift_requests_finder(struct kk_tx *tx, int64_t report_id, char **email, char *lang,
				       char *tracking_id, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT finder_email, lang, tracking_id FROM reports WHERE id = ?", err);
	enum kk_result res;

	*email = NULL;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, report_id);
	res = kk_stmt_first(st, err);
	if (!res) {
		int lost = 0;

		/* SPEC 1: finder contact data is deleted when handling ends */
		if (!kk_stmt_is_null(st, 0) && *kk_stmt_text(st, 0))
			kk_stmt_dup_into(st, 0, email, &lost);
		snprintf(lang, 3, "%s", kk_stmt_is_null(st, 1) ? "ja" : kk_stmt_text(st, 1));
		snprintf(tracking_id, 24, "%s", kk_stmt_text(st, 2));
		if (lost)
			res = kk_error_nomem(err);
	}
	kk_stmt_free(st);
	return res;
}
