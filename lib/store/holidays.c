/*
 * holidays.c: the repository of the administrator's holiday list
 * (holidays.h).
 */
#include "holidays.h"

enum kk_result kk_holiday_rows_replace(struct kk_tx *tx, const struct kk_holiday_row *rows, size_t n, int64_t at,
				       struct kk_error *err)
{
	struct kk_stmt *st;
	enum kk_result res = kk_stmt_once(kk_stmt_prepare(tx, "DELETE FROM holidays", err), err);

	if (res)
		return res;
	if (!(st = kk_stmt_prepare(tx, "INSERT INTO holidays(day, name, imported_at) VALUES(?, ?, ?)", err)))
		return kk_error_result(err, KK_EDB);
	for (size_t i = 0; i < n && !res; i++) {
		kk_stmt_reset(st);
		kk_stmt_bind_text(st, 1, rows[i].day);
		kk_stmt_bind_text(st, 2, rows[i].name);
		kk_stmt_bind_int(st, 3, at);
		res = kk_stmt_exec(st, err);
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_holiday_rows_each(struct kk_tx *tx, kk_holiday_row_fn *fn, void *arg, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT day, name FROM holidays ORDER BY day", err);
	enum kk_step step = KK_STEP_DONE;
	enum kk_result res = KK_OK;

	if (!st)
		return kk_error_result(err, KK_EDB);
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW)
		res = fn(arg, kk_stmt_text(st, 0), kk_stmt_text(st, 1), err);
	if (!res && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}
