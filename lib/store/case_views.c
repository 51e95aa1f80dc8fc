/*
 * case_views.c: the queries of the case views (case_views.h), in the SQL that
 * SQLite and PostgreSQL share (store.h). What a viewer may see is
 * lib/case/'s business; these only read.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "case_views.h"
#include "rows.h"

enum kk_result kk_case_views_counts(struct kk_tx *tx, int64_t case_id, struct kk_case_counts *out,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT (SELECT COUNT(*) FROM vulnerabilities WHERE case_id = ?),"
		" (SELECT COUNT(*) FROM case_vendors WHERE case_id = ?),"
		" (SELECT COUNT(*) FROM case_vendors WHERE case_id = ? AND notified_at IS NOT NULL AND answer IS NULL)",
		err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	for (int i = 1; i <= 3; i++)
		kk_stmt_bind_int(st, i, case_id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		out->vulns = kk_stmt_int(st, 0);
		out->vendors = kk_stmt_int(st, 1);
		out->waiting_on = kk_stmt_int(st, 2);
	} else if (res == KK_ENOTFOUND) {
		res = kk_error_set(err, KK_EDB, "%s", _("The database returned no row for the counts of a case."));
	}
	kk_stmt_free(st);
	return res;
}

/* A row of kk_case_views_report_attachments' query as case.h's object. */
static json_t *report_attachment_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:I, s:b}", "id", (json_int_t)kk_stmt_int(st, 0),
			 "tracking_id", kk_stmt_text(st, 1), "finder", kk_stmt_text(st, 2), "index",
			 (json_int_t)kk_stmt_int(st, 3), "filename", kk_stmt_text(st, 4), "content_type",
			 kk_stmt_text(st, 5), "size", (json_int_t)kk_stmt_int(st, 6), "passed_on", kk_stmt_int(st, 7) > 0);
}

enum kk_result kk_case_views_report_attachments(struct kk_tx *tx, int64_t case_id, json_t *arr,
						struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT a.id, r.tracking_id, cr.finder_label, a.idx, a.filename, a.content_type, a.size,"
		" (SELECT COUNT(*) FROM case_attachments ca WHERE ca.case_id = cr.case_id AND ca.attachment_id = a.id)"
		" FROM case_reports cr JOIN reports r ON r.id = cr.report_id JOIN attachments a ON a.report_id = r.id"
		" WHERE cr.case_id = ? ORDER BY cr.finder_label, a.idx",
		err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_json(st, report_attachment_row, arr, err);
}

/* A row of kk_case_views_audit's query as case.h's audit entry. */
static json_t *audit_row(const struct kk_stmt *st)
{
	const char *detail = kk_stmt_text(st, 8);
	json_t *d = detail ? json_loads(detail, 0, NULL) : json_null();

	/* json_pack takes the "o" values even when it fails */
	return json_pack("{s:I, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o}", "at", (json_int_t)kk_stmt_int(st, 0),
			 "actor", kk_col_text_or_null(st, 1), "role", kk_col_text_or_null(st, 2), "object_type",
			 kk_col_text_or_null(st, 3), "object_id", (json_int_t)kk_stmt_int(st, 4), "action",
			 kk_col_text_or_null(st, 5), "from", kk_col_text_or_null(st, 6), "to",
			 kk_col_text_or_null(st, 7), "detail", d);
}

enum kk_result kk_case_views_audit(struct kk_tx *tx, int64_t case_id, json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT at, actor, role, object_type, object_id, action, from_state, to_state, detail FROM audit"
		" WHERE (object_type = 'case' AND object_id = ?)"
		" OR (object_type = 'vendor_status' AND object_id IN (SELECT s.id FROM vendor_statuses s"
		" JOIN case_vendors v ON v.id = s.case_vendor_id WHERE v.case_id = ?))"
		/* issue 10: the answers to the finder's lift requests and to the
		 * vendors' pre-notification requests, which have flows of their own */
		" OR (object_type = 'lift_request' AND object_id IN (SELECT id FROM lift_requests WHERE case_id = ?))"
		" OR (object_type = 'prenotify_request' AND object_id IN"
		"  (SELECT id FROM prenotify_requests WHERE case_id = ?))"
		/* issue 12: the case's advisory: saves, comments, its flow */
		" OR (object_type = 'advisory' AND object_id IN (SELECT id FROM advisories WHERE case_id = ?))"
		" ORDER BY id",
		err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	for (int i = 1; i <= 5; i++)
		kk_stmt_bind_int(st, i, case_id);
	/* a row that cannot be made fails the whole: a trail with a gap would
	 * read as a history that did not happen */
	return kk_rows_json(st, audit_row, arr, err);
}
