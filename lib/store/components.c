/*
 * components.c: the repository of products' composition (components.h): the
 * statements on product_components, product_distributors, vendor_sboms and
 * report_vendors, and the reads of products that composition needs, in the
 * SQL both engines share. (SBOM mapping and vendor candidates read the
 * registry through its search index: registry_index.c.)
 * What is valid is lib/vendor/'s to decide; this file only maps it to rows.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "components.h"


static json_t *text_or_null(const struct kk_stmt *st, int i)
{
	const char *t = kk_stmt_text(st, i);

	return kk_stmt_is_null(st, i) || !t ? json_null() : json_string(t);
}

static json_t *id_or_null(const struct kk_stmt *st, int i)
{
	return kk_stmt_is_null(st, i) ? json_null() : json_integer(kk_stmt_int(st, i));
}

/* Appends obj (stolen) to arr; KK_ENOMEM when obj is NULL or cannot be added. */
static enum kk_result append(json_t *arr, json_t *obj, struct kk_error *err)
{
	if (!obj || json_array_append_new(arr, obj) != 0)
		return kk_error_nomem(err);
	return KK_OK;
}

/* Runs sql (one parameter: id) and appends row(st) for each row to arr. */
static enum kk_result rows_json(struct kk_tx *tx, const char *sql, int64_t id,
				json_t *(*row)(const struct kk_stmt *st), json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, sql, err);
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW)
		res = append(arr, row(st), err);
	if (!res && step == KK_STEP_ERROR)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

/* Runs st (bound), an INSERT ... RETURNING id: the new row's id into *id
 * (when not NULL); what is a name for the row in the error when the database
 * returned none. Frees st. */
static enum kk_result insert_returning(struct kk_stmt *st, int64_t *id, const char *what, struct kk_error *err)
{
	enum kk_result res = kk_stmt_first(st, err);

	if (res == KK_ENOTFOUND) /* RETURNING always gives the row */
		res = kk_error_set(err, KK_EDB, "%s", what);
	if (res == KK_OK && id)
		*id = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	return res;
}

/* Runs a query of one int column for one id; *out the value, KK_ENOTFOUND when no row. */
static enum kk_result one_int(struct kk_tx *tx, const char *sql, int64_t id, int64_t *out, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, sql, err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK && out)
		*out = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_components_product_vendor(struct kk_tx *tx, int64_t pid, int64_t *vendor_id,
					    struct kk_error *err)
{
	return one_int(tx, "SELECT vendor_id FROM products WHERE id = ?", pid, vendor_id, err);
}

enum kk_result kk_components_vendor_exists(struct kk_tx *tx, int64_t vid, struct kk_error *err)
{
	return one_int(tx, "SELECT id FROM vendors WHERE id = ?", vid, NULL, err);
}

enum kk_result kk_components_insert(struct kk_tx *tx, const struct kk_component_row *c, int64_t *id,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO product_components(product_id, component_product_id, name,"
					     " version, cpe23, purl, match_key, source, sbom_id, created_at)"
					     " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, c->product_id);
	kk_stmt_bind_opt_int(st, 2, c->component_product_id);
	kk_stmt_bind_text(st, 3, c->name);
	kk_stmt_bind_text(st, 4, c->version);
	kk_stmt_bind_text(st, 5, c->cpe23);
	kk_stmt_bind_text(st, 6, c->purl);
	kk_stmt_bind_text(st, 7, c->match_key);
	kk_stmt_bind_text(st, 8, c->source);
	kk_stmt_bind_opt_int(st, 9, c->sbom_id);
	kk_stmt_bind_int(st, 10, c->created_at);
	return insert_returning(st, id, _("The database returned no row for the new component."), err);
}

enum kk_result kk_components_delete(struct kk_tx *tx, int64_t pid, int64_t cid, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "DELETE FROM product_components WHERE id = ? AND product_id = ?", err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, cid);
	kk_stmt_bind_int(st, 2, pid);
	res = kk_stmt_exec(st, err);
	if (res == KK_OK && kk_stmt_changes(st) == 0)
		res = KK_ENOTFOUND;
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_components_delete_sbom(struct kk_tx *tx, int64_t pid, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "DELETE FROM product_components WHERE product_id = ? AND source = 'sbom'",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, pid);
	return kk_stmt_once(st, err);
}

/* The registered product a component row names (columns 10-14), or null. */
static json_t *component_product_json(const struct kk_stmt *st)
{
	if (kk_stmt_is_null(st, 1) || kk_stmt_is_null(st, 12))
		return json_null();
	return json_pack("{s:o, s:o, s:I, s:o, s:o}", "product_name_ja", text_or_null(st, 10), "product_name_en",
			 text_or_null(st, 11), "vendor_id", (json_int_t)kk_stmt_int(st, 12), "vendor_name_ja",
			 text_or_null(st, 13), "vendor_name_en", text_or_null(st, 14));
}

static json_t *component_json(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o}", "id", (json_int_t)kk_stmt_int(st, 0),
			 "component_product_id", id_or_null(st, 1), "name", text_or_null(st, 2), "version",
			 text_or_null(st, 3), "cpe", text_or_null(st, 4), "purl", text_or_null(st, 5), "match_key",
			 text_or_null(st, 6), "source", kk_stmt_text(st, 7), "sbom_id", id_or_null(st, 8),
			 "created_at", kk_json_time(kk_stmt_int(st, 9)), "component_product",
			 component_product_json(st));
}

enum kk_result kk_components_list(struct kk_tx *tx, int64_t pid, json_t *arr, struct kk_error *err)
{
	return rows_json(tx,
			 "SELECT c.id, c.component_product_id, c.name, c.version, c.cpe23, c.purl, c.match_key,"
			 " c.source, c.sbom_id, c.created_at, p.name_ja, p.name_en, p.vendor_id, v.name_ja, v.name_en"
			 " FROM product_components c LEFT JOIN products p ON p.id = c.component_product_id"
			 " LEFT JOIN vendors v ON v.id = p.vendor_id WHERE c.product_id = ? ORDER BY c.id",
			 pid, component_json, arr, err);
}

#define HIT_COLUMNS                                                                                        \
	"SELECT id, product_id, component_product_id, name, version, cpe23, purl, match_key FROM product_components"

/* Runs st (bound) and calls fn for each row. Frees st. */
static enum kk_result each_hit(struct kk_stmt *st, kk_component_fn *fn, void *arg, struct kk_error *err)
{
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		struct kk_component_hit h = {
			kk_stmt_int(st, 0),	       kk_stmt_int(st, 1),
			kk_stmt_int(st, 2),	       kk_stmt_is_null(st, 3) ? NULL : kk_stmt_text(st, 3),
			kk_stmt_is_null(st, 4) ? NULL : kk_stmt_text(st, 4),
			kk_stmt_is_null(st, 5) ? NULL : kk_stmt_text(st, 5),
			kk_stmt_is_null(st, 6) ? NULL : kk_stmt_text(st, 6),
			kk_stmt_is_null(st, 7) ? NULL : kk_stmt_text(st, 7),
		};
		res = fn(arg, &h, err);
	}
	if (!res && step == KK_STEP_ERROR)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_components_by_key(struct kk_tx *tx, const char *key, kk_component_fn *fn, void *arg,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, HIT_COLUMNS " WHERE match_key = ? ORDER BY id", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, key);
	return each_hit(st, fn, arg, err);
}

enum kk_result kk_components_with_cpe(struct kk_tx *tx, kk_component_fn *fn, void *arg, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, HIT_COLUMNS " WHERE cpe23 IS NOT NULL ORDER BY id", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	return each_hit(st, fn, arg, err);
}

enum kk_result kk_components_of_product(struct kk_tx *tx, int64_t pid, kk_component_fn *fn, void *arg,
					struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, HIT_COLUMNS " WHERE component_product_id = ? ORDER BY id", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, pid);
	return each_hit(st, fn, arg, err);
}

static const char *opt_text(const struct kk_stmt *st, int i)
{
	return kk_stmt_is_null(st, i) ? NULL : kk_stmt_text(st, i);
}

enum kk_result kk_components_products(struct kk_tx *tx, int64_t pid, int cpe_only, kk_product_fn *fn, void *arg,
				      struct kk_error *err)
{
#define PRODUCTS_SQL                                                                                       \
	"SELECT p.id, p.vendor_id, p.name_ja, p.name_en, p.cpe23, v.name_ja, v.name_en"                    \
	" FROM products p JOIN vendors v ON v.id = p.vendor_id"
	struct kk_stmt *st;
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;
	int rows = 0;

	if (pid)
		st = kk_stmt_prepare(tx, PRODUCTS_SQL " WHERE p.id = ?", err);
	else if (cpe_only)
		st = kk_stmt_prepare(tx, PRODUCTS_SQL " WHERE p.cpe23 IS NOT NULL ORDER BY p.id", err);
	else
		st = kk_stmt_prepare(tx, PRODUCTS_SQL " ORDER BY p.id", err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	if (pid)
		kk_stmt_bind_int(st, 1, pid);
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		struct kk_product_brief p = {
			kk_stmt_int(st, 0), kk_stmt_int(st, 1), opt_text(st, 2), opt_text(st, 3),
			opt_text(st, 4),    opt_text(st, 5),    opt_text(st, 6),
		};
		rows++;
		res = fn(arg, &p, err);
	}
	if (!res && step == KK_STEP_ERROR)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	if (!res && pid && !rows)
		res = KK_ENOTFOUND;
	return res;
}

static enum kk_result product_json(void *arg, const struct kk_product_brief *p, struct kk_error *err)
{
	json_t **out = arg;

	*out = json_pack("{s:I, s:o, s:o, s:o, s:I, s:o, s:o}", "product_id", (json_int_t)p->id, "product_name_ja",
			 kk_json_str_or_null(p->name_ja), "product_name_en", kk_json_str_or_null(p->name_en), "cpe",
			 kk_json_str_or_null(p->cpe23), "vendor_id", (json_int_t)p->vendor_id, "vendor_name_ja",
			 kk_json_str_or_null(p->vendor_name_ja), "vendor_name_en", kk_json_str_or_null(p->vendor_name_en));
	return *out ? KK_OK : kk_error_nomem(err);
}

enum kk_result kk_components_product_json(struct kk_tx *tx, int64_t pid, json_t **out, struct kk_error *err)
{
	*out = NULL;
	return kk_components_products(tx, pid, 0, product_json, out, err);
}

enum kk_result kk_distributors_insert(struct kk_tx *tx, int64_t pid, int64_t vid, int64_t now,
				      struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "INSERT INTO product_distributors(product_id, vendor_id, created_at)"
						 " VALUES(?, ?, ?)", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, pid);
	kk_stmt_bind_int(st, 2, vid);
	kk_stmt_bind_int(st, 3, now);
	return kk_stmt_once(st, err);
}

static json_t *distributor_json(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o}", "vendor_id", (json_int_t)kk_stmt_int(st, 0), "vendor_name_ja",
			 text_or_null(st, 1), "vendor_name_en", text_or_null(st, 2), "created_at",
			 kk_json_time(kk_stmt_int(st, 3)));
}

enum kk_result kk_distributors_list(struct kk_tx *tx, int64_t pid, json_t *arr, struct kk_error *err)
{
	return rows_json(tx,
			 "SELECT d.vendor_id, v.name_ja, v.name_en, d.created_at FROM product_distributors d"
			 " JOIN vendors v ON v.id = d.vendor_id WHERE d.product_id = ? ORDER BY d.vendor_id",
			 pid, distributor_json, arr, err);
}

enum kk_result kk_sboms_insert(struct kk_tx *tx, const struct kk_sbom_row *r, int64_t *id, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO vendor_sboms(vendor_id, product_id, format, spec_version,"
					     " document_name, components, uploaded_by, uploaded_at)"
					     " VALUES(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, r->vendor_id);
	kk_stmt_bind_int(st, 2, r->product_id);
	kk_stmt_bind_text(st, 3, r->format);
	kk_stmt_bind_text(st, 4, r->spec_version);
	kk_stmt_bind_text(st, 5, r->document_name);
	kk_stmt_bind_int(st, 6, r->components);
	kk_stmt_bind_opt_int(st, 7, r->uploaded_by);
	kk_stmt_bind_int(st, 8, r->uploaded_at);
	return insert_returning(st, id, _("The database returned no row for the new SBOM."), err);
}

static json_t *sbom_json(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:I}", "id", (json_int_t)kk_stmt_int(st, 0),
			 "format", text_or_null(st, 1), "spec_version", text_or_null(st, 2), "document_name",
			 text_or_null(st, 3), "components", (json_int_t)kk_stmt_int(st, 4), "uploaded_at",
			 kk_json_time(kk_stmt_int(st, 5)), "uploaded_by", text_or_null(st, 6), "uploader_role",
			 text_or_null(st, 7), "uploader_org", text_or_null(st, 8), "uploader_org_id",
			 (json_int_t)kk_stmt_int(st, 9));
}

enum kk_result kk_sboms_list(struct kk_tx *tx, int64_t pid, json_t *arr, struct kk_error *err)
{
	return rows_json(tx,
			 "SELECT s.id, s.format, s.spec_version, s.document_name, s.components, s.uploaded_at,"
			 " u.email, u.role, o.name, u.org_id FROM vendor_sboms s LEFT JOIN users u ON u.id = s.uploaded_by"
			 " LEFT JOIN orgs o ON o.id = u.org_id WHERE s.product_id = ? ORDER BY s.id DESC",
			 pid, sbom_json, arr, err);
}

enum kk_result kk_report_vendors_put(struct kk_tx *tx, int64_t report_id, int64_t vendor_id, const char *basis,
				     int64_t by, int64_t at, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO report_vendors(report_id, vendor_id, basis, confirmed_by,"
					     " confirmed_at) VALUES(?, ?, ?, ?, ?) ON CONFLICT(report_id, vendor_id)"
					     " DO UPDATE SET basis = excluded.basis, confirmed_by = excluded.confirmed_by,"
					     " confirmed_at = excluded.confirmed_at",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, report_id);
	kk_stmt_bind_int(st, 2, vendor_id);
	kk_stmt_bind_text(st, 3, basis);
	kk_stmt_bind_opt_int(st, 4, by);
	kk_stmt_bind_int(st, 5, at);
	return kk_stmt_once(st, err);
}

enum kk_result kk_report_vendors_delete(struct kk_tx *tx, int64_t report_id, int64_t vendor_id, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "DELETE FROM report_vendors WHERE report_id = ? AND vendor_id = ?", err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, report_id);
	kk_stmt_bind_int(st, 2, vendor_id);
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) == 0)
		res = KK_ENOTFOUND;
	kk_stmt_free(st);
	return res;
}

static json_t *report_vendor_json(const struct kk_stmt *st)
{
	json_t *basis = json_loads(kk_stmt_text(st, 3), JSON_DECODE_ANY, NULL);

	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "vendor_id", (json_int_t)kk_stmt_int(st, 0),
			 "vendor_name_ja", text_or_null(st, 1), "vendor_name_en", text_or_null(st, 2), "basis",
			 basis ? basis : json_null(), "confirmed_by", id_or_null(st, 4), "confirmed_at",
			 kk_json_time(kk_stmt_int(st, 5)));
}

enum kk_result kk_report_vendors_list(struct kk_tx *tx, int64_t report_id, json_t *arr, struct kk_error *err)
{
	return rows_json(tx,
			 "SELECT r.vendor_id, v.name_ja, v.name_en, r.basis, r.confirmed_by, r.confirmed_at"
			 " FROM report_vendors r JOIN vendors v ON v.id = r.vendor_id WHERE r.report_id = ?"
			 " ORDER BY r.vendor_id",
			 report_id, report_vendor_json, arr, err);
}
