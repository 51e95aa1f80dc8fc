/*
 * registry_views.h: the view of the registry search page
 * (templates/registry_search.html, server/page_registry.c; SPEC 2.5).
 * Included by views.h.
 */
#ifndef KEIKAI_REGISTRY_VIEWS_H
#define KEIKAI_REGISTRY_VIEWS_H

#include <stddef.h>
#include <stdint.h>

/* One match: names in the reader's language first, the other beside them. */
struct registry_row {
	const char *vendor_href;  /* /vendors/ID */
	const char *vendor_name, *vendor_other_name;
	const char *product_name, *product_other_name; /* NULL for a vendor's own match */
	const char *cpe;
	int listed_publicly;
	const char *last_contact_iso, *last_contact_text; /* NULL: never contacted */
	int score;
};

struct registry_search_view {
	const char *q, *cpe;       /* as typed, shown again in the form */
	int searched;              /* a query was given */
	const char *error;         /* the summary of a refused query, or NULL */
	const json_t *errors;      /* field -> message, or NULL */
	const struct registry_row *rows;
	size_t n_rows, total;
};

#endif
