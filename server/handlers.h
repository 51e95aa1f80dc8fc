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

/* api_vendors.c: vendors, their contacts and products (docs/api/vendors.md; SPEC 2.5) */
kk_handler api_vendor_list, api_vendor_add, api_vendor_get, api_vendor_update;
kk_handler api_vendor_contacts, api_vendor_contact_add, api_vendor_contact_update, api_vendor_contact_remove;
kk_handler api_vendor_products, api_vendor_product_add, api_vendor_product_get, api_vendor_product_update;
/* api_vendor_requests.c: registration requests and the public vendor list (G IV.4.1-4.2) */
kk_handler api_vendor_request_submit, api_vendor_request_list, api_vendor_request_get, api_vendor_request_decide;
kk_handler api_vendors_public;
/* Reads the optional ?status= of a list of vendor requests into *status (-1:
 * any); 0 after a 400 reply. */
int api_vendor_request_status_query(struct kk_req *r, int *status);

/* page_vendor_requests.c: the public vendor list, the registration form, the coordinators' list */
kk_handler page_vendors_public, page_vendor_register, page_vendor_register_submit, page_vendor_register_thanks;
kk_handler page_vendor_requests, page_vendor_request_decide;
/* page_vendor.c: a vendor's record with its forms, the own vendor, a vendor added on the spot */
kk_handler page_vendor_show, page_vendor_own, page_vendor_profile, page_vendor_contact_add, page_vendor_contact_change;
kk_handler page_vendor_product_add, page_vendor_product_change, page_vendor_new, page_vendor_create;
/* a product's page: composition, SBOMs, distributors (page_product.c) */
kk_handler page_product_show, page_product_component_add, page_product_component_remove, page_product_sbom_upload,
	page_product_distributor_add;

/* page_report.c: the finder's side: report forms and the status page, with its thread (SPEC 2.13) */
kk_handler page_home, page_report_choose, page_report_form, page_report_submit, page_report_status;
kk_handler page_report_message, page_report_message_attachment;

/* api_case_messages.c: a case's threads and messages, the finder's status (docs/api/cases.md; SPEC 2.13) */
kk_handler api_case_threads, api_case_message_post, api_case_message_attachment, api_case_direct_contact;
kk_handler api_status_get, api_status_message_post;

/* api_advisories.c: advisories (docs/api/advisories.md; issue 12, SPEC 6, 2.11) */
kk_handler api_case_advisory, api_case_advisory_save, api_case_advisory_approve, api_case_advisory_withdraw,
	api_case_advisory_revise, api_case_advisory_comment, api_advisory_list, api_advisory_get;

/* the advisories' pages (issue 12, SPEC 6, 2.11): page_advisory_public.c, the
 * public portal (the index, an advisory, a vendor's advisories); page_feed.c,
 * its feeds; page_advisory_case.c and
 * page_advisory_forms.c, a case's advisory for staff and its vendors */
kk_handler page_advisories_redirect, page_advisories_index, page_advisory_public, page_advisory_vendor;
kk_handler page_feed_jvnrss, page_feed_atom;
/* the search of advisories (issue 12 item 6): page_search.c, api_search.c */
kk_handler page_search, api_advisory_search;
kk_handler page_case_advisory, page_case_advisory_save, page_case_advisory_revise, page_case_advisory_approve,
	page_case_advisory_withdraw, page_case_advisory_comment;

/* page_auth.c: sign in and out */
kk_handler page_login, page_login_submit, page_logout;

/* page_intake.c: the receiving organisation's queue and triage */
kk_handler page_intake_queue, page_intake_report, page_intake_decide, page_intake_attachment;
kk_handler page_intake_assess;
/* issue 11: intake completes a report that came by mail, on the finder's form */
kk_handler page_intake_complete_form, page_intake_complete;

/* api_composition.c: SBOM upload, components, distributors, who embeds (SPEC 2.5, 5) */
kk_handler api_vendor_sbom_upload, api_product_components, api_product_component_add, api_product_component_delete;
kk_handler api_product_distributors, api_product_distributor_add, api_components_embedded_in;

/* api_report_vendors.c: the vendors of a report: candidates, confirmation, SBOM (SPEC 2.5) */
kk_handler api_report_vendor_candidates, api_report_vendors, api_report_vendors_confirm, api_report_vendor_remove,
	api_report_sbom;

/* api_registry.c, page_registry.c: searching the vendor registry (SPEC 2.5) */
kk_handler api_registry_search, page_registry_search;
/* Reads ?limit= (1..KK_REGISTRY_LIMIT_MAX) into *limit, 0 when absent; 0 with
 * err's field "limit" set when it is not such a number. */
int api_registry_limit(struct kk_req *r, size_t *limit, struct kk_error *err);

/* page_candidates.c: confirming the vendors of a report on its intake page (SPEC 2.5) */
kk_handler page_report_vendors_confirm, page_report_vendor_remove;

/* the case pages (SPEC 2.4-2.7, 2.13): page_cases.c (dashboard, opening, audit, downloads),
 * page_case.c (the case page), page_case_forms.c (its forms) */
kk_handler page_cases, page_case_new, page_case_open, page_case_audit, page_case_attachment,
	page_case_message_attachment;
kk_handler page_case_show, page_case_update, page_case_vuln_add, page_case_vendor_add, page_case_notify,
	page_case_close, page_case_status, page_case_countermeasure, page_case_statement, page_case_suggest,
	page_case_answer, page_case_message;

/* api_cases.c: cases, their vulnerabilities and vendors, the audit trail (docs/api/cases.md; issue 9) */
kk_handler api_case_list, api_case_open, api_case_get, api_case_update, api_case_close, api_case_reopen,
	api_case_vuln_add, api_case_vuln_update, api_case_vendor_add, api_case_vendor_remove, api_case_audit;

/* api_case_vendors.c: notification, answers, statuses, countermeasures, statements,
 * suggestions, the detail's attachments (docs/api/cases.md; SPEC 2.6, 2.7) */
kk_handler api_case_notify, api_case_answer, api_case_status, api_case_countermeasure, api_case_statement,
	api_case_suggest, api_case_suggestions, api_case_attachment;

/* api_case_date.c: the publication date (docs/api/dates.md; issue 10, SPEC 2.8, 2.9) */
kk_handler api_case_date, api_case_date_set, api_case_date_answer, api_case_date_call_off, api_case_date_resume;
/* page_case_date.c: the date page of a case (issue 10) */
kk_handler page_case_date, page_case_date_set, page_case_date_answer, page_case_date_call_off, page_case_date_resume;

/* api_provisions.c: recipients, priority provisions, pre-notification (docs/api/provisions.md;
 * issue 10, SPEC 2.10) */
kk_handler api_recipient_list, api_recipient_add, api_provision_list, api_provision_get, api_case_provisions,
	api_case_provision_give, api_case_prenotify_list, api_case_prenotify_ask, api_case_prenotify_decide;
/* page_provisions.c: their pages (issue 10) */
kk_handler page_recipients, page_recipient_add, page_provisions, page_provision_show, page_case_provisions,
	page_case_provision_give, page_case_prenotify_decide, page_case_prenotify, page_case_prenotify_ask;

/* api_clocks.c, page_dashboard.c: the scheduler's dashboard (docs/api/clocks.md; issue 10, SPEC 8) */
kk_handler api_clocks, api_reminder_done, page_dashboard, page_dashboard_done;

/* api_lift.c, page_lift.c: lifting the non-disclosure request (docs/api/lift.md; SPEC 2.12) */
kk_handler api_status_lift, api_case_lift_list, api_case_lift_answer;
kk_handler page_report_lift, page_case_lift, page_case_lift_answer;
/* api_vendor_cases.c, page_vendor_case.c: vendor-found vulnerabilities (docs/api/vendor-cases.md; SPEC 2.14) */
kk_handler api_vendor_case_register, page_vendor_case_new, page_vendor_case_register;

/* api_inbound.c, page_inbound.c: mail in: the review queue, a report by mail completed
 * (docs/api/inbound.md; issue 11) */
kk_handler api_inbound_list, api_inbound_get, api_inbound_dismiss, api_report_complete, page_inbound,
	page_inbound_one, page_inbound_dismiss;

/* page_pgp.c: the organisation's OpenPGP public key, /pgp-key.asc (issue 11) */
kk_handler page_pgp_key;

/* page_static.c: embedded static assets */
kk_handler page_static;

#endif
