/*
 * report_form.h: the report form (templates/report_form.html) as two pages use
 * it: the finder's form (page_report.c; SPEC 2.1, 3.1) and intake completing
 * a report that came by mail (page_intake.c; issue 11). One table of the form's
 * fields, in report_form.c, serves both, so that the form, the JSON body it
 * becomes (docs/api/reports.md) and where each of the core's field errors is
 * shown cannot drift apart between the two.
 *
 * The form's field names are the JSON paths of the API's body. Nothing here
 * decides what is valid: the core does, and says which field is wrong.
 */
#ifndef KEIKAI_SERVER_REPORT_FORM_H
#define KEIKAI_SERVER_REPORT_FORM_H

#include <jansson.h>

#include "page.h" /* first among ours: templates.h, views.h (struct report_form_view) */
#include "http.h"
#include "keikai/error.h"
#include "keikai/report.h"

/* The file input; its errors are "attachments" and "attachments[N].x". */
#define REPORT_FORM_ATTACHMENTS "attachments"

/* 0 and *out set when s is "product" or "website"; -1 otherwise (s may be NULL). */
int report_form_kind(const char *s, enum kk_report_kind *out);

/*
 * The API's JSON body of a report of kind from the posted form r->form and the
 * uploaded files (as "attachments", base64): booleans from "true"/"false",
 * empty texts left out so that the core says what is missing. With completing,
 * the fields only a finder fills (the encrypted details, which only
 * kk_report_from_body opens) are left out. A new reference; NULL when out of
 * memory.
 */
json_t *report_form_to_json(struct kk_req *r, enum kk_report_kind kind, int completing);

/*
 * Sorts the core's field errors (err->fields) into the order of v's form
 * (v->problems, each with the control it belongs to) and those no control of
 * the form shows (v->unplaced); a report without field errors gets err's
 * message as its one problem. Everything in the request's pool. -1 when out of
 * memory.
 */
int report_form_problems(struct kk_req *r, const struct kk_error *err, struct report_form_view *v);

/*
 * The form's values (field name -> string) from report, the JSON of a stored
 * report as its viewer may see it (kk_report_to_json), for a form of kind:
 * every text the report holds that is not empty. The yes/no answers are left
 * for staff to choose (see report_form.c). A new reference; NULL when out of
 * memory.
 */
json_t *report_form_values(const json_t *report, enum kk_report_kind kind);

/* Renders the form of v with status: the finder's page, or intake's when
 * v->completing. The reply is set either way. */
void report_form_render(struct kk_req *r, unsigned status, struct report_form_view *v);

#endif
