/*
 * registry_index.c: the three reads the registry's search index is built from
 * (registry_index.h), in the SQL both engines share. Rows are streamed to the
 * caller; nothing is kept here.
 */
#include "registry_index.h"

/* Text of column i, NULL for SQL NULL. */
static const char *text_or_null(const struct kk_stmt *st, int i)
{
	return kk_stmt_is_null(st, i) ? NULL : kk_stmt_text(st, i);
}

/* The end of a read loop: KK_OK at the last row, fn's result, or the step's
 * error. */
static enum kk_result finish(struct kk_stmt *st, enum kk_step step, enum kk_result res)
{
	if (res == KK_OK && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_registry_read_vendors(struct kk_tx *tx,
					enum kk_result (*fn)(void *arg, const struct kk_registry_vendor_row *row),
					void *arg, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT id, name_ja, name_en, cpe23, listed_publicly, last_contact_at"
					     " FROM vendors ORDER BY id",
					     err);
	struct kk_registry_vendor_row row;
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	if (!st)
		return kk_error_result(err, KK_EDB);
	while (res == KK_OK && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		row.id = kk_stmt_int(st, 0);
		row.name_ja = text_or_null(st, 1);
		row.name_en = text_or_null(st, 2);
		row.cpe23 = text_or_null(st, 3);
		row.listed_publicly = kk_stmt_int(st, 4) != 0;
		row.last_contact_at = kk_stmt_int(st, 5);
		res = fn(arg, &row);
	}
	return finish(st, res == KK_OK ? step : KK_STEP_DONE, res);
}

enum kk_result kk_registry_read_aliases(struct kk_tx *tx,
					enum kk_result (*fn)(void *arg, const struct kk_registry_alias_row *row),
					void *arg, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT vendor_id, alias FROM vendor_aliases ORDER BY vendor_id, id",
					     err);
	struct kk_registry_alias_row row;
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	if (!st)
		return kk_error_result(err, KK_EDB);
	while (res == KK_OK && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		row.vendor_id = kk_stmt_int(st, 0);
		row.alias = kk_stmt_text(st, 1);
		res = fn(arg, &row);
	}
	return finish(st, res == KK_OK ? step : KK_STEP_DONE, res);
}

enum kk_result kk_registry_read_products(struct kk_tx *tx,
					 enum kk_result (*fn)(void *arg, const struct kk_registry_product_row *row),
					 void *arg, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT id, vendor_id, name_ja, name_en, cpe23 FROM products ORDER BY id",
					     err);
	struct kk_registry_product_row row;
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	if (!st)
		return kk_error_result(err, KK_EDB);
	while (res == KK_OK && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		row.id = kk_stmt_int(st, 0);
		row.vendor_id = kk_stmt_int(st, 1);
		row.name_ja = text_or_null(st, 2);
		row.name_en = text_or_null(st, 3);
		row.cpe23 = text_or_null(st, 4);
		res = fn(arg, &row);
	}
	return finish(st, res == KK_OK ? step : KK_STEP_DONE, res);
}
