/*
 * handlers.h: every route handler of the HTTP front, grouped by file.
 * The routes table (routes.c) says which URL, role and checks lead to each.
 */
#ifndef KEIKAI_SERVER_HANDLERS_H
#define KEIKAI_SERVER_HANDLERS_H

#include "http.h"

/* api_reports.c: the JSON API of docs/api/reports.md */
kk_handler api_report_submit, api_report_list, api_report_get, api_report_attachment, api_report_decide;
/* Parses the request body as a JSON value (jansson flags besides
 * JSON_REJECT_DUPLICATES in extra). NULL after a 400 reply. */
json_t *api_load_body(struct kk_req *r, size_t extra);

/* api_impact.c: impact assessment and the CVSS calculator (SPEC 2.3, 7) */
kk_handler api_report_assess, api_cvss;

/* api_cwe.c: the CWE catalogue (issue 3) */
kk_handler api_cwe_get;

/* page_report.c: the finder's side: report forms and the status page */
kk_handler page_home, page_report_choose, page_report_form, page_report_submit, page_report_status;

/* page_auth.c: sign in and out */
kk_handler page_login, page_login_submit, page_logout;

/* page_intake.c: the receiving organisation's queue and triage */
kk_handler page_intake_queue, page_intake_report, page_intake_decide, page_intake_attachment;
kk_handler page_intake_assess;

/* page_static.c: embedded static assets */
kk_handler page_static;

#endif
