/*
 * registry_index.c: the reads the registry's search index is built from
 * (registry_index.h), in the SQL both engines share. Rows are streamed to the
 * caller; nothing is kept here.
 */
#include "registry_index.h"

/* Text of column i, NULL for SQL NULL. */
static const char *text_or_null(const struct kk_stmt *st, int i)
{
	return kk_stmt_is_null(st, i) ? NULL : kk_stmt_text(st, i);
}

/* A read in progress: rows_open, then rows_next until it returns 0 (setting
 * res to the caller's result for each row), then rows_close, which returns
 * the read's result. */
struct rows {
	struct kk_stmt *st;
	enum kk_step step;
	enum kk_result res;
	struct kk_error *err;
};

/* Prepares sql in tx; a failure (err filled) is the read's result. */
static void rows_open(struct rows *r, struct kk_tx *tx, const char *sql, struct kk_error *err)
{
	*r = (struct rows){ kk_stmt_prepare(tx, sql, err), KK_STEP_DONE, KK_OK, err };
	if (!r->st)
		r->res = kk_error_result(err, KK_EDB);
}

/* 1 when a row is there and no earlier row's result stopped the read. */
static int rows_next(struct rows *r)
{
	return r->res == KK_OK && (r->step = kk_stmt_step(r->st, r->err)) == KK_STEP_ROW;
}

/* KK_OK after the last row, the result that stopped the read, or the step's error. */
static enum kk_result rows_close(struct rows *r)
{
	if (r->res == KK_OK && r->step != KK_STEP_DONE)
		r->res = kk_stmt_result(r->st);
	kk_stmt_free(r->st); /* accepts NULL */
	return r->res;
}

enum kk_result kk_registry_read_vendors(struct kk_tx *tx,
					enum kk_result (*fn)(void *arg, const struct kk_registry_vendor_row *row),
					void *arg, struct kk_error *err)
{
	struct rows r;

	rows_open(&r, tx, "SELECT id, name_ja, name_en, cpe23, listed_publicly, last_contact_at FROM vendors ORDER BY id",
		  err);
	while (rows_next(&r))
		r.res = fn(arg, &(struct kk_registry_vendor_row){
					.id = kk_stmt_int(r.st, 0),
					.name_ja = text_or_null(r.st, 1),
					.name_en = text_or_null(r.st, 2),
					.cpe23 = text_or_null(r.st, 3),
					.listed_publicly = kk_stmt_int(r.st, 4) != 0,
					.last_contact_at = kk_stmt_int(r.st, 5),
				});
	return rows_close(&r);
}

enum kk_result kk_registry_read_aliases(struct kk_tx *tx,
					enum kk_result (*fn)(void *arg, const struct kk_registry_alias_row *row),
					void *arg, struct kk_error *err)
{
	struct rows r;

	rows_open(&r, tx, "SELECT vendor_id, alias FROM vendor_aliases ORDER BY vendor_id, id", err);
	while (rows_next(&r))
		r.res = fn(arg, &(struct kk_registry_alias_row){ .vendor_id = kk_stmt_int(r.st, 0),
								 .alias = kk_stmt_text(r.st, 1) });
	return rows_close(&r);
}

enum kk_result kk_registry_read_products(struct kk_tx *tx,
					 enum kk_result (*fn)(void *arg, const struct kk_registry_product_row *row),
					 void *arg, struct kk_error *err)
{
	struct rows r;

	rows_open(&r, tx, "SELECT id, vendor_id, name_ja, name_en, cpe23 FROM products ORDER BY id", err);
	while (rows_next(&r))
		r.res = fn(arg, &(struct kk_registry_product_row){
					.id = kk_stmt_int(r.st, 0),
					.vendor_id = kk_stmt_int(r.st, 1),
					.name_ja = text_or_null(r.st, 2),
					.name_en = text_or_null(r.st, 3),
					.cpe23 = text_or_null(r.st, 4),
				});
	return rows_close(&r);
}

enum kk_result kk_registry_read_links(struct kk_tx *tx,
				      enum kk_result (*fn)(void *arg, const struct kk_registry_link_row *row),
				      void *arg, struct kk_error *err)
{
	struct rows r;

	rows_open(&r, tx,
		  "SELECT match_key, component_product_id FROM product_components"
		  " WHERE component_product_id IS NOT NULL AND match_key IS NOT NULL ORDER BY id",
		  err);
	while (rows_next(&r))
		r.res = fn(arg, &(struct kk_registry_link_row){ .match_key = kk_stmt_text(r.st, 0),
								.product_id = kk_stmt_int(r.st, 1) });
	return rows_close(&r);
}
