/*
 * finder_views.h: what the pages of lifting non-disclosure and of
 * vendor-found cases (server/page_lift.c, page_vendor_case.c; issue 10, SPEC
 * 2.12, 2.14) hand to their templates (templates/lift_answer.html,
 * vendor_case_new.html); included by views.h. The views hold the core's JSON
 * (keikai/lift.h), to which the handler has added NAME_iso and NAME_text for
 * every time member (page_case_times).
 */
#ifndef KEIKAI_FINDER_VIEWS_H
#define KEIKAI_FINDER_VIEWS_H

#include <jansson.h>
#include <stdint.h>

/* lift_answer.html: GET /cases/{ref}/lift, staff's list of a case's lift
 * requests with the answer form of each open one (SPEC 2.12) */
struct lift_page_view {
	const char *ref, *ref_enc;
	const json_t *lift;          /* kk_lift_list's object */
	int64_t failed;              /* the request whose answer was refused (0: none) */
	const json_t *form, *errors; /* what was typed, each field's fault */
	const char *error;           /* the fault of the answer as a whole, or NULL */
	const char *saved;           /* "answered" after an answer, or NULL */
};

/* vendor_case_new.html: GET /cases/register, a vendor registers a
 * vulnerability it found in its own product (SPEC 2.14) */
struct vendor_case_new_view {
	const json_t *form, *errors; /* a refused registration: what was typed, each field's fault */
	const char *error;
};

#endif
