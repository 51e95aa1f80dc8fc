/*
 * components.h: the repository of products' composition (composition.h,
 * sbom_map.h, vendor_candidates.h): tables product_components,
 * product_distributors, vendor_sboms and report_vendors (migration 9), and the
 * reads of products and vendors those need. Internal to the core.
 *
 * Every function works inside the caller's transaction and returns KK_OK or
 * the error of the statement that failed with err filled; KK_ENOTFOUND (err
 * untouched) where it says so. err may be NULL.
 */
#ifndef KEIKAI_STORE_COMPONENTS_H
#define KEIKAI_STORE_COMPONENTS_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* A product_components row to insert. */
struct kk_component_row {
	int64_t product_id, component_product_id; /* 0: NULL */
	const char *name, *version, *cpe23, *purl, *match_key;
	const char *source; /* "manual" or "sbom" */
	int64_t sbom_id;    /* 0: NULL */
	int64_t created_at;
};

/* The vendor of product pid: KK_ENOTFOUND when there is no such product. */
enum kk_result kk_components_product_vendor(struct kk_tx *tx, int64_t pid, int64_t *vendor_id,
					    struct kk_error *err);
/* KK_OK when vendor vid exists, else KK_ENOTFOUND. */
enum kk_result kk_components_vendor_exists(struct kk_tx *tx, int64_t vid, struct kk_error *err);

enum kk_result kk_components_insert(struct kk_tx *tx, const struct kk_component_row *c, int64_t *id,
				    struct kk_error *err);
/* Deletes component cid of product pid; KK_ENOTFOUND when there is none. */
enum kk_result kk_components_delete(struct kk_tx *tx, int64_t pid, int64_t cid, struct kk_error *err);
/* Deletes the product's components that came from an SBOM. */
enum kk_result kk_components_delete_sbom(struct kk_tx *tx, int64_t pid, struct kk_error *err);
/* Appends the product's components to the array arr (composition.h's JSON,
 * with "component_product" filled from the registered product it names). */
enum kk_result kk_components_list(struct kk_tx *tx, int64_t pid, json_t *arr, struct kk_error *err);

/* A component row as the "who embeds" walk reads it. Strings valid during the callback. */
struct kk_component_hit {
	int64_t id, product_id, component_product_id;
	const char *name, *version, *cpe23, *purl, *match_key;
};
typedef enum kk_result kk_component_fn(void *arg, const struct kk_component_hit *h, struct kk_error *err);

/* Calls fn for each component whose match key is key. */
enum kk_result kk_components_by_key(struct kk_tx *tx, const char *key, kk_component_fn *fn, void *arg,
				    struct kk_error *err);
/* ... that has a CPE name (key NULL: every one; else the match key key). */
enum kk_result kk_components_with_cpe(struct kk_tx *tx, kk_component_fn *fn, void *arg, struct kk_error *err);
/* ... that is the registered product pid (component_product_id). */
enum kk_result kk_components_of_product(struct kk_tx *tx, int64_t pid, kk_component_fn *fn, void *arg,
					struct kk_error *err);

/* A product with its vendor's names, as composition reads it. */
struct kk_product_brief {
	int64_t id, vendor_id;
	const char *name_ja, *name_en, *cpe23;
	const char *vendor_name_ja, *vendor_name_en;
};
typedef enum kk_result kk_product_fn(void *arg, const struct kk_product_brief *p, struct kk_error *err);
/* Calls fn for product pid (KK_ENOTFOUND when none), or for every product
 * with a CPE name (pid 0, cpe_only 1), or for every product (pid 0). */
enum kk_result kk_components_products(struct kk_tx *tx, int64_t pid, int cpe_only, kk_product_fn *fn, void *arg,
				      struct kk_error *err);
/* The product (with its vendor) as JSON {"product_id", "product_name_ja",
 * "product_name_en", "cpe", "vendor_id", "vendor_name_ja", "vendor_name_en"}
 * into *out (a new reference); KK_ENOTFOUND when none. */
enum kk_result kk_components_product_json(struct kk_tx *tx, int64_t pid, json_t **out, struct kk_error *err);

/* Distributors. KK_ECONFLICT when the pair is there already. */
enum kk_result kk_distributors_insert(struct kk_tx *tx, int64_t pid, int64_t vid, int64_t now,
				      struct kk_error *err);
/* Appends {"vendor_id", "vendor_name_ja", "vendor_name_en", "created_at"} objects to arr. */
enum kk_result kk_distributors_list(struct kk_tx *tx, int64_t pid, json_t *arr, struct kk_error *err);

/* An uploaded SBOM's record; *id receives its row id. */
struct kk_sbom_row {
	int64_t vendor_id, product_id;
	const char *format, *spec_version, *document_name;
	int64_t components, uploaded_by, uploaded_at;
};
enum kk_result kk_sboms_insert(struct kk_tx *tx, const struct kk_sbom_row *r, int64_t *id, struct kk_error *err);
/* Appends the product's uploaded SBOMs, newest first, to arr: {"id", "format",
 * "spec_version", "document_name", "components", "uploaded_at", "uploaded_by"
 * (the uploader's e-mail or null), "uploader_role", "uploader_org",
 * "uploader_org_id" (0 when none)}. */
enum kk_result kk_sboms_list(struct kk_tx *tx, int64_t pid, json_t *arr, struct kk_error *err);

/* report_vendors: inserts or (same report and vendor) replaces the basis. */
enum kk_result kk_report_vendors_put(struct kk_tx *tx, int64_t report_id, int64_t vendor_id, const char *basis,
				     int64_t by, int64_t at, struct kk_error *err);
/* Appends {"vendor_id", "vendor_name_ja", "vendor_name_en", "basis" (parsed),
 * "confirmed_by", "confirmed_at"} objects to arr, in vendor id order. */
/* Takes vendor_id off the report's confirmed vendors: KK_ENOTFOUND when it
 * was not there. */
enum kk_result kk_report_vendors_delete(struct kk_tx *tx, int64_t report_id, int64_t vendor_id, struct kk_error *err);
enum kk_result kk_report_vendors_list(struct kk_tx *tx, int64_t report_id, json_t *arr, struct kk_error *err);

#endif
