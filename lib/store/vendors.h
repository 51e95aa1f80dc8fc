/*
 * vendors.h: the repository of the vendor registry (vendor.h), tables vendors
 * and products (migration 8). Internal to the core: lib/vendor/import.c calls
 * it and holds no SQL; the fronts use vendor.h.
 *
 * Every function works inside the caller's transaction and returns KK_OK or the
 * error of the statement that failed (KK_EDB, KK_EUNAVAILABLE, KK_ENOMEM) with
 * err filled; after a failure the caller ends the transaction, since on
 * PostgreSQL nothing more can run in it. err may be NULL.
 */
#ifndef KEIKAI_STORE_VENDORS_H
#define KEIKAI_STORE_VENDORS_H

#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* A vendor or a product as the MyJVN dictionary gives it: its MyJVN id, a
 * name in Japanese, in English or both (at least one), and a CPE 2.3
 * formatted string or NULL. */
struct kk_myjvn_entry {
	int64_t myjvn_id;
	const char *name_ja, *name_en, *cpe23;
};

/* Products a writer sends in one statement. */
#define KK_VENDORS_PRODUCT_GROUP 64

/* A product queued by kk_products_upsert_myjvn, with its own copies. */
struct kk_queued_product {
	int64_t vendor_id, myjvn_id;
	char *name_ja, *name_en, *cpe23;
};

/*
 * Writes many vendors and products in one transaction with statements prepared
 * once (kk_vendors_writer_begin): one round trip per vendor, and one per
 * KK_VENDORS_PRODUCT_GROUP products, which matters on PostgreSQL. Products are
 * queued and written by kk_vendors_writer_flush, which the caller runs before
 * it commits. Release the writer with kk_vendors_writer_end before the
 * transaction ends, whatever happened.
 */
struct kk_vendors_writer {
	struct kk_tx *tx;
	struct kk_stmt *vendor, *product, *products;
	int64_t now;
	struct kk_queued_product queue[KK_VENDORS_PRODUCT_GROUP];
	size_t queued;
};

/* Prepares the writer's statements on tx; now stamps what it writes. */
enum kk_result kk_vendors_writer_begin(struct kk_vendors_writer *w, struct kk_tx *tx, int64_t now,
				       struct kk_error *err);
/* Writes the queued products. */
enum kk_result kk_vendors_writer_flush(struct kk_vendors_writer *w, struct kk_error *err);
/* Frees the writer's statements and what is still queued (unwritten). Accepts a
 * writer whose begin failed. */
void kk_vendors_writer_end(struct kk_vendors_writer *w);

/*
 * Inserts the vendor with MyJVN id v->myjvn_id or, when it is there, updates
 * its CPE name and the names v gives (a name v leaves NULL keeps its stored
 * value, so a name added by hand in the other language stays); updated_at moves
 * only when something changed. *id receives the vendor's row id.
 */
enum kk_result kk_vendors_upsert_myjvn(struct kk_vendors_writer *w, const struct kk_myjvn_entry *v, int64_t *id,
				       struct kk_error *err);

/* The same for the product p->myjvn_id of vendor row vendor_id (a product the
 * dictionary moves to another vendor moves with it), queued: it is written by
 * kk_vendors_writer_flush, or here when the queue is full or already holds
 * the same product (a statement may not upsert one row twice on PostgreSQL).
 * KK_ENOMEM when it cannot be queued. */
enum kk_result kk_products_upsert_myjvn(struct kk_vendors_writer *w, int64_t vendor_id,
					const struct kk_myjvn_entry *p, struct kk_error *err);

/* Counts one change to the registry (migration 9's registry_version): every
 * write to vendors, their names and aliases, or products calls it in its
 * transaction, so the search index (vendor_search.h) sees the change. */
enum kk_result kk_vendors_registry_touch(struct kk_tx *tx, struct kk_error *err);
/* The registry's version: 0 before its first change. */
enum kk_result kk_vendors_registry_version(struct kk_tx *tx, int64_t *version, struct kk_error *err);

/* The registry's totals: every vendor and every product, imported or not. */
enum kk_result kk_vendors_counts(struct kk_tx *tx, int64_t *vendors, int64_t *products, struct kk_error *err);

#endif
