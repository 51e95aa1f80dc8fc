/*
 * candidate_views.h: the view of the vendors of a report on the intake report
 * page (report_vendors.html; SPEC 2.5): the ranked candidates with their
 * basis, the coordinator's confirmation form, and the confirmed vendors.
 * Filled by server/page_candidates.c; included by views.h.
 */
#ifndef KEIKAI_TEMPLATES_CANDIDATE_VIEWS_H
#define KEIKAI_TEMPLATES_CANDIDATE_VIEWS_H

#include <stddef.h>

/* One candidate vendor. */
struct candidate_row {
	const char *field;    /* the checkbox's name, "vendor.ID" */
	const char *basis_field; /* the hidden basis field's name, "basis.ID" */
	const char *name;     /* the vendor's name in the reader's language */
	const char *products; /* its products found, joined by ", " */
	const char *basis;    /* the rules that found it, in words */
	int score;
	int confirmed;        /* already among the confirmed vendors */
};

/* One confirmed vendor. */
struct confirmed_row {
	long long vendor_id;
	const char *name;
	const char *basis;
	struct page_when when;
};

struct report_vendors_view {
	const char *id_enc;         /* the tracking id URL-encoded */
	const char *notice;         /* why there are no candidates (not accepted ...), or NULL */
	const struct candidate_row *candidates; /* best first */
	size_t n_candidates;
	const struct confirmed_row *confirmed;
	size_t n_confirmed;
	int may_confirm;            /* the viewer may confirm (report.vendors.confirm) */
	const char *error;          /* a failed confirmation's message, or NULL */
};

#endif
