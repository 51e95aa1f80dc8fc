/*
 * vendors.c: the repository of the vendor registry (vendors.h): the statements
 * on tables vendors and products, in the SQL that SQLite and PostgreSQL share
 * (store.h). What an import keeps and refuses is lib/vendor/import.c's; this
 * file only maps it to rows.
 *
 * An upsert touches updated_at only when the row changes, so a second import
 * of the same dictionary leaves every timestamp as it was. In ON CONFLICT DO
 * UPDATE, "vendors.x" is the stored value and "excluded.x" the new one on both
 * engines.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/portal.h"
#include "vendors.h"

/* The names the dictionary gives replace the stored ones; a name it leaves NULL
 * keeps the stored one. "Changed" compares what the row will hold with what it
 * holds, NULL as "". */
#define NAME_SET(t)                                                                                        \
	" name_ja = COALESCE(excluded.name_ja, " t ".name_ja),"                                            \
	" name_en = COALESCE(excluded.name_en, " t ".name_en), cpe23 = excluded.cpe23,"
#define SAME(t)                                                                                            \
	" COALESCE(excluded.name_ja, " t ".name_ja, '') = COALESCE(" t ".name_ja, '')"                     \
	" AND COALESCE(excluded.name_en, " t ".name_en, '') = COALESCE(" t ".name_en, '')"                 \
	" AND COALESCE(excluded.cpe23, '') = COALESCE(" t ".cpe23, '')"

static const char vendor_sql[] =
	"INSERT INTO vendors(myjvn_vid, name_ja, name_en, cpe23, created_at, updated_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(myjvn_vid) DO UPDATE SET" NAME_SET("vendors")
	" updated_at = CASE WHEN" SAME("vendors") " THEN vendors.updated_at ELSE excluded.updated_at END"
	" RETURNING id";

#define PRODUCT_INSERT                                                                                     \
	"INSERT INTO products(vendor_id, myjvn_pid, name_ja, name_en, cpe23, created_at, updated_at) VALUES"
#define PRODUCT_ROW "(?, ?, ?, ?, ?, ?, ?)"
#define PRODUCT_ROWS_8 PRODUCT_ROW "," PRODUCT_ROW "," PRODUCT_ROW "," PRODUCT_ROW "," \
	PRODUCT_ROW "," PRODUCT_ROW "," PRODUCT_ROW "," PRODUCT_ROW
#define PRODUCT_UPSERT                                                                                     \
	" ON CONFLICT(myjvn_pid) DO UPDATE SET" NAME_SET("products") " vendor_id = excluded.vendor_id,"     \
	" updated_at = CASE WHEN" SAME("products") " AND excluded.vendor_id = products.vendor_id"          \
	"  THEN products.updated_at ELSE excluded.updated_at END"

/* One product, and KK_VENDORS_PRODUCT_GROUP (64) of them. */
static const char product_sql[] = PRODUCT_INSERT PRODUCT_ROW PRODUCT_UPSERT;
static const char products_sql[] = PRODUCT_INSERT PRODUCT_ROWS_8 "," PRODUCT_ROWS_8 "," PRODUCT_ROWS_8 ","
	PRODUCT_ROWS_8 "," PRODUCT_ROWS_8 "," PRODUCT_ROWS_8 "," PRODUCT_ROWS_8 "," PRODUCT_ROWS_8 PRODUCT_UPSERT;
_Static_assert(KK_VENDORS_PRODUCT_GROUP == 64, "products_sql holds 64 rows");

enum kk_result kk_vendors_writer_begin(struct kk_vendors_writer *w, struct kk_tx *tx, int64_t now,
				       struct kk_error *err)
{
	memset(w, 0, sizeof(*w));
	w->tx = tx;
	w->now = now;
	if ((w->vendor = kk_stmt_prepare(tx, vendor_sql, err)) && (w->product = kk_stmt_prepare(tx, product_sql, err)) &&
	    (w->products = kk_stmt_prepare(tx, products_sql, err)))
		return KK_OK;
	kk_vendors_writer_end(w);
	return kk_error_result(err, KK_EDB);
}

static void unqueue(struct kk_vendors_writer *w)
{
	for (size_t i = 0; i < w->queued; i++) {
		free(w->queue[i].name_ja);
		free(w->queue[i].name_en);
		free(w->queue[i].cpe23);
	}
	w->queued = 0;
}

void kk_vendors_writer_end(struct kk_vendors_writer *w)
{
	unqueue(w);
	kk_stmt_free(w->vendor);
	kk_stmt_free(w->product);
	kk_stmt_free(w->products);
	w->vendor = w->product = w->products = NULL;
}

/* Binds queued product q as the row that starts at parameter first of st. */
static void bind_product(struct kk_stmt *st, int first, const struct kk_queued_product *q, int64_t now)
{
	kk_stmt_bind_int(st, first, q->vendor_id);
	kk_stmt_bind_int(st, first + 1, q->myjvn_id);
	kk_stmt_bind_text(st, first + 2, q->name_ja);
	kk_stmt_bind_text(st, first + 3, q->name_en);
	kk_stmt_bind_text(st, first + 4, q->cpe23);
	kk_stmt_bind_int(st, first + 5, now);
	kk_stmt_bind_int(st, first + 6, now);
}

enum kk_result kk_vendors_writer_flush(struct kk_vendors_writer *w, struct kk_error *err)
{
	enum kk_result res = KK_OK;

	if (w->queued == KK_VENDORS_PRODUCT_GROUP) {
		kk_stmt_reset(w->products);
		for (size_t i = 0; i < w->queued; i++)
			bind_product(w->products, 1 + 7 * (int)i, &w->queue[i], w->now);
		res = kk_stmt_exec(w->products, err);
		kk_stmt_reset(w->products);
	} else {
		for (size_t i = 0; i < w->queued && !res; i++) {
			kk_stmt_reset(w->product);
			bind_product(w->product, 1, &w->queue[i], w->now);
			res = kk_stmt_exec(w->product, err);
			kk_stmt_reset(w->product);
		}
	}
	unqueue(w);
	return res;
}

enum kk_result kk_vendors_upsert_myjvn(struct kk_vendors_writer *w, const struct kk_myjvn_entry *v, int64_t *id,
				       struct kk_error *err)
{
	struct kk_stmt *st = w->vendor;
	enum kk_result res = KK_OK;

	kk_stmt_reset(st);
	kk_stmt_bind_int(st, 1, v->myjvn_id);
	kk_stmt_bind_text(st, 2, v->name_ja);
	kk_stmt_bind_text(st, 3, v->name_en);
	kk_stmt_bind_text(st, 4, v->cpe23);
	kk_stmt_bind_int(st, 5, w->now);
	switch (kk_stmt_step(st, err)) {
	case KK_STEP_ROW: *id = kk_stmt_int(st, 0); break;
	case KK_STEP_DONE: /* RETURNING always gives the row */
		res = kk_error_set(err, KK_EDB, _("The database returned no row for MyJVN vendor %lld."),
				   (long long)v->myjvn_id);
		break;
	default: res = kk_stmt_result(st); break;
	}
	kk_stmt_reset(st);
	return res;
}

/* A copy of s into *out (NULL for NULL); -1 without memory. */
static int copy(const char *s, char **out)
{
	*out = kk_strdup(s);
	return s && !*out ? -1 : 0;
}

enum kk_result kk_products_upsert_myjvn(struct kk_vendors_writer *w, int64_t vendor_id,
					const struct kk_myjvn_entry *p, struct kk_error *err)
{
	struct kk_queued_product *q;
	enum kk_result res = KK_OK;
	int lost = 0;

	for (size_t i = 0; i < w->queued && !res; i++)
		if (w->queue[i].myjvn_id == p->myjvn_id)
			res = kk_vendors_writer_flush(w, err);
	if (!res && w->queued == KK_VENDORS_PRODUCT_GROUP)
		res = kk_vendors_writer_flush(w, err);
	if (res)
		return res;
	q = &w->queue[w->queued];
	q->vendor_id = vendor_id;
	q->myjvn_id = p->myjvn_id;
	lost |= copy(p->name_ja, &q->name_ja);
	lost |= copy(p->name_en, &q->name_en);
	lost |= copy(p->cpe23, &q->cpe23);
	w->queued++; /* unqueue frees what was copied */
	if (lost)
		return kk_error_nomem(err);
	if (w->queued == KK_VENDORS_PRODUCT_GROUP)
		return kk_vendors_writer_flush(w, err);
	return KK_OK;
}

enum kk_result kk_vendors_counts(struct kk_tx *tx, int64_t *vendors, int64_t *products, struct kk_error *err)
{
	enum kk_result res = KK_OK;
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT (SELECT count(*) FROM vendors), (SELECT count(*) FROM products)",
					     err);

	*vendors = *products = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	switch (kk_stmt_step(st, err)) {
	case KK_STEP_ROW:
		*vendors = kk_stmt_int(st, 0);
		*products = kk_stmt_int(st, 1);
		break;
	case KK_STEP_DONE: break;
	default: res = kk_stmt_result(st); break;
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_vendors_registry_touch(struct kk_tx *tx, struct kk_error *err)
{
	kk_portal_mark(tx); /* vendors' names show on the public portal */
	return kk_stmt_once(kk_stmt_prepare(tx, "INSERT INTO registry_version(id, version) VALUES(1, 1)"
						" ON CONFLICT(id) DO UPDATE SET version = registry_version.version + 1",
					    err),
			    err);
}

enum kk_result kk_vendors_registry_version(struct kk_tx *tx, int64_t *version, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT version FROM registry_version WHERE id = 1", err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	res = kk_stmt_first(st, err);
	*version = res == KK_OK ? kk_stmt_int(st, 0) : 0;
	kk_stmt_free(st);
	return res == KK_ENOTFOUND ? KK_OK : res;
}
