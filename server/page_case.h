/*
 * page_case.h: what the case pages share (page_cases.c, page_case.c,
 * page_case_forms.c; SPEC 2.4-2.7, 2.13): the JSON of keikai/case.h made ready
 * for the templates, a form turned into the core's JSON body, and the case page
 * shown again after a form.
 */
#ifndef KEIKAI_SERVER_PAGE_CASE_H
#define KEIKAI_SERVER_PAGE_CASE_H

#include <jansson.h>

#include "http.h"

/* How a form field becomes a member of the core's JSON body. */
enum case_field_kind {
	CF_TEXT, /* a string; an empty one is left out unless CF_KEEP_EMPTY */
	CF_INT,  /* an integer; what is not one goes as typed, for the core to refuse */
	CF_BOOL, /* "1" / "on" true, anything else false */
	CF_LIST, /* an array of the non-blank items separated by commas or line breaks */
	CF_WORDS /* the same, separated by white space or commas too */
};
#define CF_KEEP_EMPTY 0x100 /* or'ed with CF_TEXT: "" is sent (it clears, or is refused) */

struct case_field {
	const char *name;
	unsigned kind; /* enum case_field_kind, | CF_KEEP_EMPTY */
};

/* The fields[] (ending with a NULL name) of the request's form as a new JSON
 * object; a field that was not sent is left out. NULL without memory. */
json_t *page_case_form_body(struct kk_req *r, const struct case_field *fields);

/* Adds, for every member NAME of j (recursively) that holds a time (unix
 * seconds: "day0", "at", "..._at"), NAME_iso and NAME_text for display
 * (page_when). 0, or -1 without memory. */
int page_case_times(json_t *j);

/* Shows case r->params[0] to its reader with status: the staff's page or the
 * vendor's. saved: what was just saved (translated) or NULL; failed: the id of
 * the form refused with err (see case_views.h), shown open with what was typed
 * (r->form) and each fault, or NULL. */
void page_case_render(struct kk_req *r, unsigned status, const char *saved, const char *failed,
		    const struct kk_error *err);

/* The end of a form posted to case r->params[0] that the core answered with
 * res: back to the case page (?saved=saved#anchor) when done; the page with the
 * form failed open when the core refused the input or the change does not apply
 * now; an error page otherwise. */
void page_case_after_post(struct kk_req *r, enum kk_result res, const struct kk_error *err, const char *saved,
		     const char *failed, const char *anchor);

/* The case's ref as one URL path segment ("VU%23123456"), in the request's pool. */
const char *page_case_ref_enc(struct kk_req *r);

#endif
