/*
 * report_sources.c: the repository of the per-address report limit
 * (report_sources.h), one row per source address.
 */
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "report_sources.h"

enum kk_result kk_report_sources_get(struct kk_tx *tx, const char *source, int64_t *reports,
				     int64_t *window_start, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT reports, window_start FROM report_sources WHERE source = ?",
					     err);
	enum kk_result res;

	*reports = *window_start = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, source);
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		*reports = kk_stmt_int(st, 0);
		*window_start = kk_stmt_int(st, 1);
	}
	kk_stmt_free(st);
	return res == KK_ENOTFOUND ? KK_OK : res;
}

enum kk_result kk_report_sources_take(struct kk_tx *tx, const char *source, int64_t now, int64_t expired,
				      int64_t *reports, int64_t *window_start, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"INSERT INTO report_sources(source, window_start, reports) VALUES(?1, ?2, 1)"
		" ON CONFLICT(source) DO UPDATE SET"
		" reports = CASE WHEN report_sources.window_start <= ?3 THEN 1 ELSE report_sources.reports + 1 END,"
		" window_start = CASE WHEN report_sources.window_start <= ?3 THEN ?2 ELSE report_sources.window_start END"
		" RETURNING reports, window_start",
		err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, source);
	kk_stmt_bind_int(st, 2, now);
	kk_stmt_bind_int(st, 3, expired);
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		*reports = kk_stmt_int(st, 0);
		*window_start = kk_stmt_int(st, 1);
	} else if (res == KK_ENOTFOUND) {
		res = kk_error_set(err, KK_EDB, "%s", _("A database statement returned no row."));
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_report_sources_forget(struct kk_tx *tx, int64_t expired, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "DELETE FROM report_sources WHERE window_start <= ?", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, expired);
	return kk_stmt_once(st, err);
}
