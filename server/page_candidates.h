/*
 * page_candidates.h: the vendors of a report on the intake report page
 * (page_candidates.c, templates/report_vendors.html; SPEC 2.5).
 */
#ifndef KEIKAI_SERVER_PAGE_CANDIDATES_H
#define KEIKAI_SERVER_PAGE_CANDIDATES_H

#include "page.h"

/* The vendors section of report rep's page, in the request's pool, or NULL
 * when the viewer may not identify vendors or rep is not a product report.
 * id_enc is the tracking id URL-encoded; error a failed confirmation's
 * message or NULL. */
const struct report_vendors_view *page_candidates_view(struct kk_req *r, const struct kk_report *rep,
						       const char *id_enc, const char *error);

#endif
