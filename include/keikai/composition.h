/*
 * composition.h: what a registered product embeds, who ships it, and who
 * embeds a given component (issue 8, capability 2; SPEC 2.5: for OSS, the
 * makers of products that embed it and the distributors; SPEC 5 last
 * sentence: each product's software composition on record).
 *
 * A product's components (table product_components, migration 9) are other
 * registered products (component_product_id) or components named by a package
 * URL or a CPE name, with a name and version, entered by hand ("manual") or
 * from an uploaded SBOM ("sbom", sbom_map.h). Each has a match key, the folded
 * key it is found by (kk_component_key). Distributors are other vendors that
 * ship a product (OEM). Every write counts a change of the registry
 * (vendors.h's registry version) and is audited, in its transaction.
 *
 * Access (authz.h): reading a product's composition is vendor.read and
 * changing it vendor.write on the product's vendor; "who embeds" is
 * registry.search. Denied looks like missing: KK_ENOTFOUND.
 */
#ifndef KEIKAI_COMPOSITION_H
#define KEIKAI_COMPOSITION_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/store.h"

/* The longest name and version of a component, in bytes. */
#define KK_COMPONENT_TEXT_MAX 1024
/* The deepest chain of products "who embeds" follows. */
#define KK_EMBED_DEPTH_MAX 32
/* The most products "who embeds" returns. */
#define KK_EMBED_RESULTS_MAX 1000

/*
 * The match key of a component (SPEC 2.5): for a package URL
 * "pkg:TYPE/NAMESPACE/NAME" lower-cased, without version, qualifiers and
 * subpath; else for a CPE name "cpe:VENDOR:PRODUCT" from its 2.3 form
 * (lower-cased); else "name:" and kk_fold of the name. The first of purl, cpe
 * and name that is not NULL decides. *out is a string the caller frees;
 * KK_EINVAL (err's message says why; no field recorded) when that one is
 * malformed, KK_ENOMEM.
 */
enum kk_result kk_component_key(const char *purl, const char *cpe, const char *name, char **out,
				struct kk_error *err);

/* A component to add by hand. Strings are borrowed. */
struct kk_component_input {
	int64_t component_product_id; /* 0: none */
	const char *name, *version;
	const char *cpe;  /* any spelling kk_cpe_parse reads; stored as CPE 2.3 */
	const char *purl; /* checked with kk_purl_parse */
};

/* Validates {"component_product_id", "name", "version", "cpe", "purl"} (at
 * least one of component_product_id, name, cpe, purl) into *out, which points
 * into body. KK_EINVAL with a field error per wrong member. */
enum kk_result kk_component_from_json(const json_t *body, struct kk_component_input *out, struct kk_error *err);

/* Adds a manual component to product product_id of vendor vendor_id for
 * actor (vendor.write). KK_ENOTFOUND when the product is not the vendor's, or
 * the actor may not change it, or component_product_id names no product;
 * KK_EINVAL when the component is the product itself. *id (may be NULL)
 * receives the new row's id. */
enum kk_result kk_component_add(struct kk_store *s, const struct kk_user *actor, int64_t vendor_id,
				int64_t product_id, const struct kk_component_input *in, int64_t *id,
				struct kk_error *err);

/* Removes component component_id of the product (manual or from an SBOM). */
enum kk_result kk_component_delete(struct kk_store *s, const struct kk_user *actor, int64_t vendor_id,
				   int64_t product_id, int64_t component_id, struct kk_error *err);

/* The product's components as a JSON array the caller owns (docs/api/vendors.md):
 * [{"id", "component_product_id", "name", "version", "cpe", "purl",
 * "match_key", "source", "sbom_id", "created_at", "component_product"}], oldest
 * first; component_product is null, or for a registered product
 * {"product_name_ja", "product_name_en", "vendor_id", "vendor_name_ja",
 * "vendor_name_en"}. */
enum kk_result kk_components_get(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
				 int64_t product_id, json_t **out, struct kk_error *err);

/* The product's uploaded SBOMs, newest first (vendor.read): [{"id", "format",
 * "spec_version", "document_name", "components", "uploaded_at",
 * "uploaded_by"}]. uploaded_by is the uploader's e-mail (null for the command
 * line); for a viewer who may not search the registry, an uploader of another
 * organisation is "role (organisation)" (SPEC 1). */
enum kk_result kk_sboms_get(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
			    int64_t product_id, json_t **out, struct kk_error *err);

/* Records vendor distributor_id as a distributor of the product (KK_EEXISTS
 * when it is already; KK_EINVAL, field "vendor_id", when it names no vendor
 * or the product's own). */
enum kk_result kk_distributor_add(struct kk_store *s, const struct kk_user *actor, int64_t vendor_id,
				  int64_t product_id, int64_t distributor_id, struct kk_error *err);

/* The product's distributors: [{"vendor_id", "vendor_name_ja", "vendor_name_en", "created_at"}]. */
enum kk_result kk_distributors_get(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
				   int64_t product_id, json_t **out, struct kk_error *err);

/* What "who embeds" looks for: exactly one of purl, cpe, product_id and name. */
struct kk_embed_query {
	const char *purl;   /* a package URL; its version (or version) narrows to components of that version */
	const char *cpe;    /* a CPE name or pattern (NISTIR 7696: components and products it matches) */
	int64_t product_id; /* a registered product */
	const char *name;   /* a component's name (components named only by name: kk_fold of it) */
	const char *version; /* NULL: any; else only components recorded with this version (or none) */
};

/*
 * SPEC 2.5, SPEC 5: every registered product that embeds what q names,
 * directly or through a chain of registered products (cycle-safe, at most
 * KK_EMBED_DEPTH_MAX deep), each once at its shortest depth, with its vendor
 * and the product's distributors, for viewer (registry.search; KK_ENOTFOUND
 * otherwise). *out is a JSON array the caller owns (docs/api/vendors.md):
 * [{"product_id", "product_name_ja", "product_name_en", "cpe", "vendor_id",
 * "vendor_name_ja", "vendor_name_en", "depth", "via", "component",
 * "distributors": [{"vendor_id", "vendor_name_ja", "vendor_name_en"}]}]
 * ordered by depth then product id. "via" is the product id the chain passes
 * through next (0 at depth 1); "component" the component row that matched at
 * depth 1 ({"id", "name", "version", "purl", "cpe"}) or null.
 * KK_EINVAL (fields "purl", "cpe", "product", "name", "version") for a bad query.
 */
enum kk_result kk_embedded_in(struct kk_store *s, const struct kk_user *viewer, const struct kk_embed_query *q,
			      json_t **out, struct kk_error *err);

/* kk_embedded_in inside the caller's transaction, without the access check
 * (for the core's own callers: vendor candidates). */
enum kk_result kk_embedded_in_tx(struct kk_tx *tx, const struct kk_embed_query *q, json_t **out,
				 struct kk_error *err);

#endif
