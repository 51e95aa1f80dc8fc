/*
 * case_vendor_parts.c: what a vendor of a case adds beside its standing
 * (case_vendors.h): countermeasures, suggestions of other vendors, and the
 * contact attempts made to it, in the SQL both engines share (store.h).
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "case_vendors.h"
#include "rows.h"

void kk_countermeasure_release(struct kk_countermeasure *c)
{
	if (!c)
		return;
	free(c->product_name);
	free(c->fixed_versions);
	free(c->urls);
	free(c->workaround_ja);
	free(c->workaround_en);
	memset(c, 0, sizeof(*c));
}

enum kk_result kk_countermeasures_put(struct kk_tx *tx, struct kk_countermeasure *c, struct kk_error *err)
{
	/* the same vulnerability and product: the new one replaces the old (SPEC 2.7: kept current) */
	struct kk_stmt *del = kk_stmt_prepare(tx,
					      "DELETE FROM countermeasures WHERE case_vendor_id = ?1 AND vulnerability_id = ?2"
					      " AND COALESCE(product_id, 0) = ?3 AND COALESCE(product_name, '') = ?4",
					      err);
	struct kk_stmt *ins;
	enum kk_result res;

	if (!del)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(del, 1, c->case_vendor_id);
	kk_stmt_bind_int(del, 2, c->vuln_id);
	kk_stmt_bind_int(del, 3, c->product_id);
	kk_stmt_bind_text(del, 4, c->product_name ? c->product_name : "");
	res = kk_stmt_once(del, err);
	if (res)
		return res;
	ins = kk_stmt_prepare(tx,
			      "INSERT INTO countermeasures(case_vendor_id, vulnerability_id, product_id, product_name,"
			      " fixed_versions, urls, workaround_ja, workaround_en, updated_at, updated_by)"
			      " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			      err);
	if (!ins)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(ins, 1, c->case_vendor_id);
	kk_stmt_bind_int(ins, 2, c->vuln_id);
	kk_stmt_bind_opt_int(ins, 3, c->product_id);
	kk_stmt_bind_text(ins, 4, c->product_name);
	kk_stmt_bind_text(ins, 5, c->fixed_versions);
	kk_stmt_bind_text(ins, 6, c->urls);
	kk_stmt_bind_text(ins, 7, c->workaround_ja);
	kk_stmt_bind_text(ins, 8, c->workaround_en);
	kk_stmt_bind_int(ins, 9, c->updated_at);
	kk_stmt_bind_opt_int(ins, 10, c->updated_by);
	res = kk_stmt_first(ins, err);
	if (res == KK_OK)
		c->id = kk_stmt_int(ins, 0);
	else if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "countermeasure");
	kk_stmt_free(ins);
	return res;
}

/* The JSON array a column holds (fixed versions, URLs): [] for NULL or text
 * that is not one, NULL when out of memory. */
static json_t *list_column(const struct kk_stmt *st, int i)
{
	json_t *v = kk_stmt_is_null(st, i) ? NULL : json_loads(kk_stmt_text(st, i), 0, NULL);

	if (json_is_array(v))
		return v;
	json_decref(v);
	return json_array();
}

static json_t *countermeasure_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "vulnerability", (json_int_t)kk_stmt_int(st, 0),
			 "product_id", kk_col_int_or_null(st, 1), "product_name", kk_col_text_or_null(st, 2), "fixed_versions",
			 list_column(st, 3), "urls", list_column(st, 4), "workaround_ja", kk_col_text_or_null(st, 5),
			 "workaround_en", kk_col_text_or_null(st, 6), "updated_at", (json_int_t)kk_stmt_int(st, 7));
}

#define CM_SELECT                                                                                     \
	"SELECT vu.idx, c.product_id, COALESCE(c.product_name, p.name_en, p.name_ja), c.fixed_versions,"  \
	" c.urls, c.workaround_ja, c.workaround_en, c.updated_at, cv.vendor_id FROM countermeasures c"      \
	" JOIN vulnerabilities vu ON vu.id = c.vulnerability_id JOIN case_vendors cv ON cv.id = c.case_vendor_id" \
	" LEFT JOIN products p ON p.id = c.product_id"

enum kk_result kk_countermeasures_json(struct kk_tx *tx, int64_t case_vendor_id, json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, CM_SELECT " WHERE c.case_vendor_id = ? ORDER BY vu.idx, c.id", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_vendor_id);
	return kk_rows_json(st, countermeasure_row, arr, err);
}

enum kk_result kk_countermeasures_json_of_case(struct kk_tx *tx, int64_t case_id, json_t *by_vendor,
					       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, CM_SELECT " WHERE cv.case_id = ? ORDER BY cv.id, vu.idx, c.id", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_json_grouped(st, countermeasure_row, 8, by_vendor, err);
}

/* ---- suggestions ---- */

enum kk_result kk_vendor_suggestions_insert(struct kk_tx *tx, struct kk_vendor_suggestion *s, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO vendor_suggestions(case_id, by_vendor_id, vendor_id, name, note,"
					     " created_by, created_at) VALUES(?, ?, ?, ?, ?, ?, ?) RETURNING id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, s->case_id);
	kk_stmt_bind_int(st, 2, s->by_vendor_id);
	kk_stmt_bind_opt_int(st, 3, s->vendor_id);
	kk_stmt_bind_text(st, 4, s->name);
	kk_stmt_bind_text(st, 5, s->note);
	kk_stmt_bind_opt_int(st, 6, s->created_by);
	kk_stmt_bind_int(st, 7, s->created_at);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		s->id = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "suggestion");
	kk_stmt_free(st);
	return res;
}

static json_t *suggestion_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:b}", "id", (json_int_t)kk_stmt_int(st, 0),
			 "by_vendor_id", (json_int_t)kk_stmt_int(st, 1), "by_name", kk_col_text_or_null(st, 2), "vendor_id",
			 kk_col_int_or_null(st, 3), "name", kk_col_text_or_null(st, 4), "note", kk_col_text_or_null(st, 5), "created_at",
			 (json_int_t)kk_stmt_int(st, 6), "on_case", kk_stmt_int(st, 7) != 0);
}

enum kk_result kk_vendor_suggestions_json(struct kk_tx *tx, int64_t case_id, int64_t by_vendor_id, json_t *arr,
					  struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT s.id, s.by_vendor_id, COALESCE(b.name_en, b.name_ja),"
		" s.vendor_id, COALESCE(s.name, v.name_en, v.name_ja), s.note, s.created_at,"
		" EXISTS (SELECT 1 FROM case_vendors cv WHERE cv.case_id = s.case_id AND cv.vendor_id = s.vendor_id)"
		" FROM vendor_suggestions s JOIN vendors b ON b.id = s.by_vendor_id"
		" LEFT JOIN vendors v ON v.id = s.vendor_id"
		" WHERE s.case_id = ?1 AND (?2 = 0 OR s.by_vendor_id = ?2) ORDER BY s.id",
		err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, by_vendor_id);
	return kk_rows_json(st, suggestion_row, arr, err);
}

/* ---- contact attempts ---- */

enum kk_result kk_contact_attempts_insert(struct kk_tx *tx, struct kk_contact_attempt *a, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO contact_attempts(case_id, vendor_id, channel, address, stage, at,"
					     " by_user, outbox_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, a->case_id);
	kk_stmt_bind_int(st, 2, a->vendor_id);
	kk_stmt_bind_text(st, 3, a->channel);
	kk_stmt_bind_text(st, 4, a->address);
	kk_stmt_bind_text(st, 5, a->stage);
	kk_stmt_bind_int(st, 6, a->at);
	kk_stmt_bind_opt_int(st, 7, a->by_user);
	kk_stmt_bind_opt_int(st, 8, a->outbox_id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		a->id = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "contact attempt");
	kk_stmt_free(st);
	return res;
}

static json_t *attempt_row(const struct kk_stmt *st)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:o}", "channel", kk_stmt_text(st, 0), "address", kk_stmt_text(st, 1),
			 "stage", kk_stmt_text(st, 2), "at", (json_int_t)kk_stmt_int(st, 3), "by", kk_col_text_or_null(st, 4));
}

#define ATTEMPT_SELECT                                                                       \
	"SELECT a.channel, a.address, a.stage, a.at, u.name, a.vendor_id FROM contact_attempts a" \
	" LEFT JOIN users u ON u.id = a.by_user"

enum kk_result kk_contact_attempts_json(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, json_t *arr,
					struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, ATTEMPT_SELECT " WHERE a.case_id = ? AND a.vendor_id = ?"
							       " ORDER BY a.at, a.id", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, vendor_id);
	return kk_rows_json(st, attempt_row, arr, err);
}

enum kk_result kk_contact_attempts_json_of_case(struct kk_tx *tx, int64_t case_id, json_t *by_vendor,
						struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, ATTEMPT_SELECT " WHERE a.case_id = ? ORDER BY a.vendor_id, a.at, a.id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_json_grouped(st, attempt_row, 5, by_vendor, err);
}
