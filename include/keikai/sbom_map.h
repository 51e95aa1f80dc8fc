/*
 * sbom_map.h: an SBOM's components mapped to the registered products and
 * vendors they are (issue 8, capabilities 2 and 5; SPEC 2.5, SPEC 5), and the
 * upload of a vendor's SBOM as a product's composition.
 *
 * Each component is mapped by the first rule that finds something:
 *   "purl"       its package URL's match key (composition.h) is a component
 *                row that names a registered product;
 *   "cpe"        its CPE name is matched (NISTIR 7696: EQUAL or SUPERSET) by
 *                a product's CPE name; "cpe-vendor" by a vendor's only;
 *   "name"       its name's ranking key (kk_fold_company) is a product's name
 *                in either language, or the product attribute of its CPE name
 *                ('_' read as a space); with a supplier, the products of a
 *                vendor whose name is like the supplier's are kept when any;
 *   "supplier"   no product, but the supplier's name is a vendor's.
 * A component no rule maps is listed in "unmapped".
 *
 * The mapping JSON (docs/api/vendors.md):
 *   {"format", "spec_version", "components": [{"index", "ref", "name",
 *    "version", "purl", "cpe", "supplier", "maps_to": [{"product_id" (or
 *    null), "vendor_id", "basis", "product_name_ja", "product_name_en",
 *    "vendor_name_ja", "vendor_name_en"}]}], "mapped": N, "unmapped":
 *    [{"index", "ref", "name", "version", "purl", "cpe"}]}
 */
#ifndef KEIKAI_SBOM_MAP_H
#define KEIKAI_SBOM_MAP_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/sbom.h"
#include "keikai/store.h"

/* The largest SBOM document an upload takes, in bytes. */
#define KK_SBOM_UPLOAD_MAX (8u * 1024 * 1024)

/* The most registered targets listed for one component. */
#define KK_SBOM_MAP_TARGETS_MAX 20

/* Maps sbom against the registry inside the caller's transaction; *out is
 * the mapping JSON the caller owns. */
enum kk_result kk_sbom_map_tx(struct kk_tx *tx, const struct kk_sbom *sbom, json_t **out, struct kk_error *err);

/*
 * SPEC 5: stores doc, an SBOM (sbom.h), as the composition of product
 * product_id of vendor vendor_id: a vendor_sboms row, and the product's
 * components from an earlier SBOM replaced by this one's (manual ones stay;
 * the component the document describes, the product itself, is not stored as
 * its own component). A component mapped to one registered product by purl
 * or CPE name is stored as that product (component_product_id), so "who
 * embeds" follows it. One transaction: on any failure nothing is stored.
 * actor needs vendor.write on the vendor (KK_ENOTFOUND otherwise, and when
 * the product is not the vendor's); NULL is the command line, which owns the
 * database. A bad document is KK_EINVAL with err's fields naming each wrong
 * JSON path (kk_sbom_parse), or KK_ETOOBIG. *out (may be NULL) receives the
 * mapping JSON with "sbom_id" and "stored" (components stored) added.
 */
enum kk_result kk_sbom_upload(struct kk_store *s, const struct kk_user *actor, int64_t vendor_id,
			      int64_t product_id, const json_t *doc, json_t **out, struct kk_error *err);

#endif
