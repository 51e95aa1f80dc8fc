/*
 * vendor_candidates.h: identifying the vendors of an accepted product report
 * (製品開発者の特定; issue 8, capability 5; SPEC 2.5, G IV.4.2): ranked
 * candidate vendors and products, the coordinator's confirmed set with its
 * basis, and the mapping of the affected system's SBOM.
 *
 * Candidates come from these rules, each with a score from 0 to 1000:
 *   "vendor-name"   the report's vendor text is like a vendor's name
 *                   (kk_name_similarity of kk_fold_company keys, Japanese and
 *                   English; the word of their CPE name counts 95%; the
 *                   registry search, vendor_search.h, as well);
 *   "product-name"  the report's product text is like a product's name;
 *   "cpe"           a CPE name in the report's product fields matches a
 *                   product's (NISTIR 7696), 1000;
 *   "embeds"        the product the report names (or its package URL or name
 *                   as a component) is embedded by a registered product,
 *                   directly or through a chain (composition.h), 700 less 50
 *                   a step beyond the first;
 *   "distributor"   the vendor distributes a product found above, 600.
 * A vendor's score is its best rule's, plus 50 for each other rule that found
 * it; best first, then by vendor id.
 */
#ifndef KEIKAI_VENDOR_CANDIDATES_H
#define KEIKAI_VENDOR_CANDIDATES_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/store.h"

/* The most candidates returned. */
#define KK_CANDIDATES_MAX 20
/* The least similarity (fold.h) a name rule takes. */
#define KK_CANDIDATE_MIN_SIMILARITY 600
/* The most vendors one confirmation names. */
#define KK_CONFIRM_VENDORS_MAX 50

/*
 * The candidate vendors of the report with tracking id tracking_id, for
 * viewer (report.vendors.read, and the report readable: KK_ENOTFOUND
 * otherwise). KK_ECONFLICT (message says why) when the report is not a
 * product report or not accepted. *out, which the caller owns:
 *   {"candidates": [{"vendor_id", "vendor_name_ja", "vendor_name_en",
 *     "score", "products": [{"product_id", "product_name_ja",
 *     "product_name_en", "cpe"}], "basis": [{"rule", "text", "matched",
 *     "score"}]}]}
 */
enum kk_result kk_vendor_candidates(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
				    json_t **out, struct kk_error *err);

/*
 * SPEC 2.5: records the vendors the coordinator confirmed for the report,
 * from body {"vendors": [{"vendor_id": N, "basis": TEXT or object}]} (1 to
 * KK_CONFIRM_VENDORS_MAX, each vendor once and registered), each with its
 * basis, by and when, and an audit record, in one transaction; a vendor
 * confirmed before gets the new basis. KK_EDENIED unless the actor may
 * confirm (report.vendors.confirm); KK_ENOTFOUND, KK_ECONFLICT as above;
 * KK_EINVAL with fields ("vendors", "vendors[I].vendor_id",
 * "vendors[I].basis"). *out (may be NULL) receives the list as
 * kk_report_vendors_get gives it.
 */
enum kk_result kk_report_vendors_confirm(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
					 const json_t *body, json_t **out, struct kk_error *err);

/* SPEC 2.5: takes the vendor vendor_id off the vendors confirmed for the
 * report (a wrong choice undone), audited ("vendors.remove"), for a user
 * allowed report.vendors.confirm (KK_EDENIED otherwise). KK_ENOTFOUND (err
 * set) when the report is missing, or the vendor not confirmed for it;
 * KK_ECONFLICT as kk_vendor_candidates. *out (may be NULL) receives the list
 * left, as kk_report_vendors_get gives it. */
enum kk_result kk_report_vendors_remove(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
					int64_t vendor_id, json_t **out, struct kk_error *err);

/* The confirmed vendors: {"vendors": [{"vendor_id", "vendor_name_ja",
 * "vendor_name_en", "basis", "confirmed_by", "confirmed_at"}]}, for viewer
 * (report.vendors.read). */
enum kk_result kk_report_vendors_get(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
				     json_t **out, struct kk_error *err);

/* SPEC 2.5: the SBOM of the affected system doc, each component mapped to
 * the registered products and vendors (sbom_map.h's mapping JSON); stores
 * nothing. For viewer as kk_vendor_candidates (any report kind or status). */
enum kk_result kk_report_sbom_map(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
				  const json_t *doc, json_t **out, struct kk_error *err);

#endif
