/*
 * product_views.h: what the product page (server/page_product.c) hands to its
 * template (templates/product_record.html); included by views.h. Strings are
 * chosen (the reader's language), translated and formatted already.
 */
#ifndef KEIKAI_PRODUCT_VIEWS_H
#define KEIKAI_PRODUCT_VIEWS_H

#include <jansson.h>
#include <stddef.h>

/* A component of the product: a registered product (product, vendor, link:
 * its page when the reader may open it, else NULL) or a named one. */
struct product_component_row {
	long long id;
	const char *product, *vendor, *link; /* product NULL: not a registered product */
	const char *name, *version, *cpe, *purl;
	const char *source, *source_label; /* "manual" / "sbom" */
};

/* An uploaded SBOM (SPEC 5). */
struct product_sbom_row {
	const char *format, *spec_version, *document_name, *uploaded_by;
	long long components;
	struct page_when at;
};

/* A product of another (or the same) vendor: a distributor (product NULL) or
 * a product that embeds this one. */
struct product_link_row {
	long long vendor_id, product_id, depth;
	const char *vendor, *product, *cpe, *link;
	const char *via; /* the product the chain goes through next, or NULL */
};

/* One component of an uploaded SBOM with what it maps to. */
struct product_map_row {
	const char *name, *version, *ref;
	const struct product_link_row *targets;
	size_t n_targets;
	const char **bases; /* per target: purl, cpe, name, ... */
};

struct product_record_view {
	long long vendor_id, product_id;
	const char *vendor_name;
	const json_t *product; /* kk_product_to_json */
	const struct product_component_row *components;
	size_t n_components;
	const struct product_sbom_row *sboms;
	size_t n_sboms;
	const struct product_link_row *distributors;
	size_t n_distributors;
	const struct product_link_row *embedders; /* may_embedded only */
	size_t n_embedders;
	int may_write;      /* vendor.write: components and SBOMs */
	int may_distribute; /* vendor.write and registry.search: distributors */
	int may_embedded;   /* registry.search: "embedded in" shown */
	const char *saved;  /* what was just saved, translated, or NULL */
	/* a refused form ("component-new", "sbom", "distributor"), what was typed, its faults */
	const char *failed;
	const json_t *form, *errors;
	const char *error;
	const json_t *sbom_errors; /* an SBOM refused: JSON path -> message */
	/* an SBOM just stored: its mapping (sbom_map.h) */
	int uploaded;
	long long stored, mapped;
	const struct product_map_row *map;
	size_t n_map;
	const struct product_map_row *unmapped;
	size_t n_unmapped;
};

#endif
