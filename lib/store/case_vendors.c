/*
 * case_vendors.c: the repository of the vendors of cases (case_vendors.h):
 * the statements on tables case_vendors and vendor_statuses in the SQL both
 * engines share (store.h). Countermeasures, suggestions and contact attempts
 * are in case_vendor_parts.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "case_vendors.h"
#include "rows.h"

#define CV_COLUMNS                                                                                          \
	"cv.id, cv.case_id, cv.vendor_id, cv.added_by, cv.added_at, cv.notified_at, cv.summary_read_at,"      \
	" cv.detail_requested_at, cv.answer, cv.answer_reason, cv.answered_at, cv.answered_by,"              \
	" cv.finder_contact, cv.statement_ja, cv.statement_en, cv.statement_at, v.name_ja, v.name_en," \
	" v.preferred_lang"
#define CV_FROM " FROM case_vendors cv JOIN vendors v ON v.id = cv.vendor_id"

void kk_case_vendor_release(struct kk_case_vendor *v)
{
	if (!v)
		return;
	free(v->answer);
	free(v->answer_reason);
	free(v->statement_ja);
	free(v->statement_en);
	free(v->name_ja);
	free(v->name_en);
	free(v->preferred_lang);
	memset(v, 0, sizeof(*v));
}

static enum kk_result read_cv(const struct kk_stmt *st, struct kk_case_vendor *out, struct kk_error *err)
{
	int lost = 0;

	memset(out, 0, sizeof(*out));
	out->id = kk_stmt_int(st, 0);
	out->case_id = kk_stmt_int(st, 1);
	out->vendor_id = kk_stmt_int(st, 2);
	out->added_by = kk_stmt_int(st, 3);
	out->added_at = kk_stmt_int(st, 4);
	out->notified_at = kk_stmt_int(st, 5);
	out->summary_read_at = kk_stmt_int(st, 6);
	out->detail_requested_at = kk_stmt_int(st, 7);
	kk_stmt_dup_into(st, 8, &out->answer, &lost);
	kk_stmt_dup_into(st, 9, &out->answer_reason, &lost);
	out->answered_at = kk_stmt_int(st, 10);
	out->answered_by = kk_stmt_int(st, 11);
	out->finder_contact = kk_stmt_int(st, 12) != 0;
	kk_stmt_dup_into(st, 13, &out->statement_ja, &lost);
	kk_stmt_dup_into(st, 14, &out->statement_en, &lost);
	out->statement_at = kk_stmt_int(st, 15);
	kk_stmt_dup_into(st, 16, &out->name_ja, &lost);
	kk_stmt_dup_into(st, 17, &out->name_en, &lost);
	kk_stmt_dup_into(st, 18, &out->preferred_lang, &lost);
	if (lost) {
		kk_case_vendor_release(out);
		return kk_error_nomem(err);
	}
	return KK_OK;
}

enum kk_result kk_case_vendors_insert(struct kk_tx *tx, struct kk_case_vendor *v, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO case_vendors(case_id, vendor_id, added_by, added_at)"
					     " VALUES(?, ?, ?, ?) RETURNING id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, v->case_id);
	kk_stmt_bind_int(st, 2, v->vendor_id);
	kk_stmt_bind_opt_int(st, 3, v->added_by);
	kk_stmt_bind_int(st, 4, v->added_at);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		v->id = kk_stmt_int(st, 0);
	else if (res == KK_ECONFLICT)
		res = kk_error_set(err, KK_ECONFLICT, _("Vendor %lld is on this case already."), (long long)v->vendor_id);
	else if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "case vendor");
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_case_vendors_from_report(struct kk_tx *tx, int64_t case_id, int64_t report_id, int64_t by,
					   int64_t at, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO case_vendors(case_id, vendor_id, added_by, added_at)"
					     " SELECT ?1, vendor_id, ?2, ?3 FROM report_vendors WHERE report_id = ?4"
					     " ON CONFLICT (case_id, vendor_id) DO NOTHING",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_opt_int(st, 2, by);
	kk_stmt_bind_int(st, 3, at);
	kk_stmt_bind_int(st, 4, report_id);
	return kk_stmt_once(st, err);
}

enum kk_result kk_case_vendors_delete(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "DELETE FROM case_vendors WHERE case_id = ? AND vendor_id = ? AND notified_at IS NULL", err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, vendor_id);
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) != 1)
		res = kk_error_set(err, KK_ECONFLICT, "%s",
				   _("A vendor that was notified stays on the case: its contact is on record."));
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_case_vendors_load(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, struct kk_case_vendor *out,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT " CV_COLUMNS CV_FROM " WHERE cv.case_id = ? AND cv.vendor_id = ?",
					     err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, vendor_id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		res = read_cv(st, out, err);
	kk_stmt_free(st);
	return res;
}

void kk_case_vendors_free(struct kk_case_vendor *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		kk_case_vendor_release(&v[i]);
	free(v);
}

static enum kk_result read_cv_elem(const struct kk_stmt *st, void *elem, struct kk_error *err)
{
	return read_cv(st, elem, err);
}

static void release_cv_elem(void *elem)
{
	kk_case_vendor_release(elem);
}

enum kk_result kk_case_vendors_list(struct kk_tx *tx, int64_t case_id, struct kk_case_vendor **out, size_t *n,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT " CV_COLUMNS CV_FROM " WHERE cv.case_id = ? ORDER BY cv.id", err);

	*out = NULL;
	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_collect(st, sizeof(**out), read_cv_elem, release_cv_elem, (void **)out, n, err);
}

enum kk_result kk_case_vendors_save(struct kk_tx *tx, const struct kk_case_vendor *v, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE case_vendors SET notified_at = ?, summary_read_at = ?,"
					     " detail_requested_at = ?, answer = ?, answer_reason = ?, answered_at = ?,"
					     " answered_by = ?, finder_contact = ?, statement_ja = ?, statement_en = ?,"
					     " statement_at = ? WHERE id = ?",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_opt_int(st, 1, v->notified_at);
	kk_stmt_bind_opt_int(st, 2, v->summary_read_at);
	kk_stmt_bind_opt_int(st, 3, v->detail_requested_at);
	kk_stmt_bind_text(st, 4, v->answer);
	kk_stmt_bind_text(st, 5, v->answer_reason);
	kk_stmt_bind_opt_int(st, 6, v->answered_at);
	kk_stmt_bind_opt_int(st, 7, v->answered_by);
	kk_stmt_bind_int(st, 8, v->finder_contact);
	kk_stmt_bind_text(st, 9, v->statement_ja);
	kk_stmt_bind_text(st, 10, v->statement_en);
	kk_stmt_bind_opt_int(st, 11, v->statement_at);
	kk_stmt_bind_int(st, 12, v->id);
	return kk_stmt_once(st, err);
}

enum kk_result kk_case_vendors_count_notified(struct kk_tx *tx, int64_t case_id, int64_t except_vendor_id, int64_t *n,
					      struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT COUNT(*) FROM case_vendors WHERE case_id = ? AND vendor_id <> ?"
					     " AND notified_at IS NOT NULL",
					     err);

	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, except_vendor_id);
	return kk_rows_count(st, n, err);
}

/* ---- statuses per vulnerability ---- */

#define ST_COLUMNS                                                                                      \
	"s.id, s.case_vendor_id, s.vulnerability_id, vu.idx, s.status, s.note, s.updated_at, s.updated_by"
#define ST_FROM " FROM vendor_statuses s JOIN vulnerabilities vu ON vu.id = s.vulnerability_id"

void kk_vendor_status_release(struct kk_vendor_status *s)
{
	if (!s)
		return;
	free(s->note);
	memset(s, 0, sizeof(*s));
}

static enum kk_result read_status(const struct kk_stmt *st, struct kk_vendor_status *out, struct kk_error *err)
{
	int lost = 0;

	memset(out, 0, sizeof(*out));
	out->id = kk_stmt_int(st, 0);
	out->case_vendor_id = kk_stmt_int(st, 1);
	out->vuln_id = kk_stmt_int(st, 2);
	out->number = (int)kk_stmt_int(st, 3);
	snprintf(out->status, sizeof(out->status), "%s", kk_stmt_text(st, 4));
	kk_stmt_dup_into(st, 5, &out->note, &lost);
	out->updated_at = kk_stmt_int(st, 6);
	out->updated_by = kk_stmt_int(st, 7);
	return lost ? kk_error_nomem(err) : KK_OK;
}

enum kk_result kk_vendor_statuses_insert(struct kk_tx *tx, struct kk_vendor_status *st, struct kk_error *err)
{
	struct kk_stmt *q = kk_stmt_prepare(tx,
					    "INSERT INTO vendor_statuses(case_vendor_id, vulnerability_id, status, note,"
					    " updated_at, updated_by) VALUES(?, ?, ?, ?, ?, ?)"
					    " ON CONFLICT (case_vendor_id, vulnerability_id) DO NOTHING RETURNING id",
					    err);
	enum kk_result res;

	if (!q)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(q, 1, st->case_vendor_id);
	kk_stmt_bind_int(q, 2, st->vuln_id);
	kk_stmt_bind_text(q, 3, st->status);
	kk_stmt_bind_text(q, 4, st->note);
	kk_stmt_bind_int(q, 5, st->updated_at);
	kk_stmt_bind_opt_int(q, 6, st->updated_by);
	res = kk_stmt_first(q, err);
	if (res == KK_OK)
		st->id = kk_stmt_int(q, 0);
	else if (res == KK_ENOTFOUND) /* there was one: it stays */
		res = KK_OK;
	kk_stmt_free(q);
	return res;
}

enum kk_result kk_vendor_statuses_fill(struct kk_tx *tx, int64_t case_id, const char *status, int64_t at, int64_t by,
				       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO vendor_statuses(case_vendor_id, vulnerability_id, status,"
					     " updated_at, updated_by)"
					     " SELECT cv.id, vu.id, ?2, ?3, ?4 FROM case_vendors cv"
					     " JOIN vulnerabilities vu ON vu.case_id = cv.case_id WHERE cv.case_id = ?1"
					     " ON CONFLICT (case_vendor_id, vulnerability_id) DO NOTHING",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_text(st, 2, status);
	kk_stmt_bind_int(st, 3, at);
	kk_stmt_bind_opt_int(st, 4, by);
	return kk_stmt_once(st, err);
}

enum kk_result kk_vendor_statuses_save(struct kk_tx *tx, const struct kk_vendor_status *st, const char *from,
				       struct kk_error *err)
{
	struct kk_stmt *q = kk_stmt_prepare(tx,
					    "UPDATE vendor_statuses SET status = ?, note = ?, updated_at = ?, updated_by = ?"
					    " WHERE id = ? AND status = ?",
					    err);
	enum kk_result res;

	if (!q)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(q, 1, st->status);
	kk_stmt_bind_text(q, 2, st->note);
	kk_stmt_bind_int(q, 3, st->updated_at);
	kk_stmt_bind_opt_int(q, 4, st->updated_by);
	kk_stmt_bind_int(q, 5, st->id);
	kk_stmt_bind_text(q, 6, from);
	res = kk_stmt_exec(q, err);
	if (!res && kk_stmt_changes(q) != 1)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("The status changed meanwhile; load the case again."));
	kk_stmt_free(q);
	return res;
}

void kk_vendor_statuses_free(struct kk_vendor_status *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		kk_vendor_status_release(&s[i]);
	free(s);
}

static enum kk_result read_status_elem(const struct kk_stmt *st, void *elem, struct kk_error *err)
{
	return read_status(st, elem, err);
}

static void release_status_elem(void *elem)
{
	kk_vendor_status_release(elem);
}

enum kk_result kk_vendor_statuses_list(struct kk_tx *tx, int64_t case_vendor_id, struct kk_vendor_status **out,
				       size_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT " ST_COLUMNS ST_FROM " WHERE s.case_vendor_id = ? ORDER BY vu.idx",
					     err);

	*out = NULL;
	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_vendor_id);
	return kk_rows_collect(st, sizeof(**out), read_status_elem, release_status_elem, (void **)out, n, err);
}

enum kk_result kk_vendor_statuses_each_of_case(struct kk_tx *tx, int64_t case_id, kk_vendor_status_fn *fn, void *arg,
					       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT " ST_COLUMNS ", cv.vendor_id" ST_FROM
					     " JOIN case_vendors cv ON cv.id = s.case_vendor_id"
					     " WHERE cv.case_id = ? ORDER BY cv.id, vu.idx",
					     err);
	struct kk_vendor_status row;
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		res = read_status(st, &row, err);
		if (!res)
			res = fn(kk_stmt_int(st, 8), &row, arg, err);
		kk_vendor_status_release(&row);
	}
	if (!res && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}
