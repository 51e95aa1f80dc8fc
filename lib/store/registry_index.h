/*
 * registry_index.h: the rows the registry's search index is built from
 * (vendor_search.h; SPEC 2.5), read in one pass each from tables vendors,
 * vendor_aliases, products and product_components. Internal to the core:
 * lib/vendor/search_index.c calls it and holds no SQL.
 *
 * Each reader runs one statement inside the caller's read transaction and calls
 * fn for every row, in the order of the row ids (aliases: of their vendors);
 * the strings of a row are valid only during the call (NULL for SQL NULL). A
 * non-zero return of fn stops the read with that result. Returns KK_OK, fn's
 * result, or the statement's error (KK_EDB, KK_EUNAVAILABLE, KK_ENOMEM) with
 * err filled.
 */
#ifndef KEIKAI_STORE_REGISTRY_INDEX_H
#define KEIKAI_STORE_REGISTRY_INDEX_H

#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

struct kk_registry_vendor_row {
	int64_t id;
	const char *name_ja, *name_en, *cpe23;
	int listed_publicly;
	int64_t last_contact_at; /* 0: never */
};

struct kk_registry_alias_row {
	int64_t vendor_id;
	const char *alias;
};

struct kk_registry_product_row {
	int64_t id, vendor_id;
	const char *name_ja, *name_en, *cpe23;
};

/* A component on record that is a registered product (product_components
 * with component_product_id and match_key), in the order of the rows. */
struct kk_registry_link_row {
	const char *match_key;
	int64_t product_id;
};

enum kk_result kk_registry_read_vendors(struct kk_tx *tx,
					enum kk_result (*fn)(void *arg, const struct kk_registry_vendor_row *row),
					void *arg, struct kk_error *err);
enum kk_result kk_registry_read_aliases(struct kk_tx *tx,
					enum kk_result (*fn)(void *arg, const struct kk_registry_alias_row *row),
					void *arg, struct kk_error *err);
enum kk_result kk_registry_read_products(struct kk_tx *tx,
					 enum kk_result (*fn)(void *arg, const struct kk_registry_product_row *row),
					 void *arg, struct kk_error *err);
enum kk_result kk_registry_read_links(struct kk_tx *tx,
				      enum kk_result (*fn)(void *arg, const struct kk_registry_link_row *row),
				      void *arg, struct kk_error *err);

#endif
