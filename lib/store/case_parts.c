/*
 * case_parts.c: the parts of a case beside its row (cases.h): the affected
 * products of its vulnerabilities and the report attachments passed on with
 * its detail, in the SQL both engines share (store.h).
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "cases.h"
#include "rows.h"

void kk_vuln_product_release(struct kk_vuln_product *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->cpe23);
	free(p->versions);
	memset(p, 0, sizeof(*p));
}

enum kk_result kk_vuln_products_replace(struct kk_tx *tx, int64_t vuln_id, const struct kk_vuln_product *p, size_t n,
					int64_t at, struct kk_error *err)
{
	struct kk_stmt *del = kk_stmt_prepare(tx, "DELETE FROM vulnerability_products WHERE vulnerability_id = ?", err);
	struct kk_stmt *ins;
	enum kk_result res;

	if (!del)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(del, 1, vuln_id);
	res = kk_stmt_once(del, err);
	if (res || n == 0)
		return res;
	ins = kk_stmt_prepare(tx,
			      "INSERT INTO vulnerability_products(vulnerability_id, product_id, vendor_id, name, cpe23,"
			      " versions, created_at) VALUES(?, ?, ?, ?, ?, ?, ?)",
			      err);
	if (!ins)
		return kk_error_result(err, KK_EDB);
	for (size_t i = 0; i < n && !res; i++) {
		kk_stmt_reset(ins);
		kk_stmt_bind_int(ins, 1, vuln_id);
		kk_stmt_bind_opt_int(ins, 2, p[i].product_id);
		kk_stmt_bind_opt_int(ins, 3, p[i].vendor_id);
		kk_stmt_bind_text(ins, 4, p[i].name);
		kk_stmt_bind_text(ins, 5, p[i].cpe23);
		kk_stmt_bind_text(ins, 6, p[i].versions);
		kk_stmt_bind_int(ins, 7, at);
		res = kk_stmt_exec(ins, err);
	}
	kk_stmt_free(ins);
	return res;
}

static json_t *product_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)kk_stmt_int(st, 0), "product_id",
			 kk_col_int_or_null(st, 1), "vendor_id", kk_col_int_or_null(st, 2), "name", kk_col_text_or_null(st, 3), "cpe",
			 kk_col_text_or_null(st, 4), "versions", kk_col_text_or_null(st, 5));
}

enum kk_result kk_vuln_products_json(struct kk_tx *tx, int64_t vuln_id, json_t *arr, struct kk_error *err)
{
	/* a registered product's name (English, else Japanese) where the row has none */
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT vp.id, vp.product_id, COALESCE(vp.vendor_id, p.vendor_id),"
					     " COALESCE(vp.name, p.name_en, p.name_ja), COALESCE(vp.cpe23, p.cpe23), vp.versions"
					     " FROM vulnerability_products vp LEFT JOIN products p ON p.id = vp.product_id"
					     " WHERE vp.vulnerability_id = ? ORDER BY vp.id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, vuln_id);
	return kk_rows_json(st, product_row, arr, err);
}

/* ---- attachments passed on with the detail ---- */

enum kk_result kk_case_attachments_replace(struct kk_tx *tx, int64_t case_id, const int64_t *ids, size_t n, int64_t at,
					   struct kk_error *err)
{
	struct kk_stmt *del = kk_stmt_prepare(tx, "DELETE FROM case_attachments WHERE case_id = ?", err);
	struct kk_stmt *ins;
	enum kk_result res;

	if (!del)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(del, 1, case_id);
	res = kk_stmt_once(del, err);
	if (res || n == 0)
		return res;
	/* only an attachment of one of the case's own reports is passed on */
	ins = kk_stmt_prepare(tx,
			      "INSERT INTO case_attachments(case_id, attachment_id, added_at)"
			      " SELECT ?1, a.id, ?3 FROM attachments a JOIN case_reports cr ON cr.report_id = a.report_id"
			      " WHERE cr.case_id = ?1 AND a.id = ?2",
			      err);
	if (!ins)
		return kk_error_result(err, KK_EDB);
	for (size_t i = 0; i < n && !res; i++) {
		kk_stmt_reset(ins);
		kk_stmt_bind_int(ins, 1, case_id);
		kk_stmt_bind_int(ins, 2, ids[i]);
		kk_stmt_bind_int(ins, 3, at);
		res = kk_stmt_exec(ins, err);
		if (!res && kk_stmt_changes(ins) != 1)
			res = kk_error_set(err, KK_ENOTFOUND, _("Attachment %lld is not one of this case's reports'."),
					   (long long)ids[i]);
	}
	kk_stmt_free(ins);
	return res;
}

static json_t *attachment_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)kk_stmt_int(st, 0), "filename",
			 kk_stmt_text(st, 1), "content_type", kk_stmt_text(st, 2), "size",
			 (json_int_t)kk_stmt_int(st, 3), "sha256", kk_stmt_text(st, 4));
}

enum kk_result kk_case_attachments_json(struct kk_tx *tx, int64_t case_id, json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT a.id, a.filename, a.content_type, a.size, a.sha256"
					     " FROM case_attachments ca JOIN attachments a ON a.id = ca.attachment_id"
					     " WHERE ca.case_id = ? ORDER BY a.report_id, a.idx",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_json(st, attachment_row, arr, err);
}

enum kk_result kk_case_attachments_get(struct kk_tx *tx, int64_t case_id, int64_t id, void **data, size_t *size,
				       char **filename, char **content_type, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT a.filename, a.content_type, a.data"
					     " FROM case_attachments ca JOIN attachments a ON a.id = ca.attachment_id"
					     " WHERE ca.case_id = ? AND a.id = ?",
					     err);

	*data = NULL;
	*size = 0;
	*filename = *content_type = NULL;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, id);
	return kk_rows_file(tx, st, data, size, filename, content_type, err);
}
