/*
 * routes.c: the one table of every URL keikai serves, with the action each
 * performs and the checks the front makes before the handler runs (see http.h).
 * Who may perform an action is the policy's (authz.h): the front lets a request
 * through when some row lets the role do it at all, and the core decides for
 * each object (a vendor seeing only its own cases). test_http.c fails on a
 * route without an action.
 *
 * Each route also says the largest body it takes (0: HTTP_BODY_DEFAULT; only a
 * report with its evidence needs more) and the query parameters and form fields
 * it takes: anything else is refused with 400 naming it.
 */
#include <stddef.h>

#include "handlers.h"
#include "keikai/advisory.h"
#include "keikai/advisory_search.h"
#include "keikai/report.h"
#include "keikai/sbom_map.h"

/* The fields of the report form (templates/report_form.html, docs/api/reports.md). */
#define REPORT_FIELDS                                                                             \
	"finder.* consent.* product.* website.* details.* other_reports.* wants_final_result " \
	"encrypted_contact attachments"

/* The completion of a report that came by mail (issue 11): the report form's
 * fields, and the kind of report it is completed as (?kind=product|website). */
#define COMPLETE_FIELDS "kind " REPORT_FIELDS

/* The fields of the advisory form (templates/advisory_case.html; issue 12):
 * the texts of both languages and the machine-readable members. Its body
 * takes the API's cap (KK_ADVISORY_MAX_BODY): every Markdown text at its cap
 * percent-encoded (three bytes a byte) and every list full is 3.5 MiB. */
#define ADVISORY_FORM_FIELDS "texts.ja.* texts.en.* cvss3 cvss4 references cves cwes cpes kind"

/* The fields of the vendor registration form (templates/vendor_register.html). */
#define VENDOR_REQUEST_FIELDS "name_ja name_en country website contact_email department lang note"
/* The fields of the forms of a vendor's record (templates/vendor_record.html). */
#define VENDOR_PROFILE_FIELDS                                                                           \
	"name_ja name_en aliases country website registration_type listed_publicly accepts_direct_reports " \
	"intake_email policy_url pgp_key preferred_lang"
#define VENDOR_CONTACT_FIELDS "channel value department is_primary is_valid"
#define VENDOR_PRODUCT_FIELDS "name_ja name_en cpe product_type versions end_of_support"

const struct kk_route kk_routes[] = {
	/* JSON API (docs/api/reports.md) */
	{ "POST", "/api/v1/reports", api_report_submit, KK_ACT_REPORT_SUBMIT, ROUTE_API | ROUTE_JSON | ROUTE_LIMITED,
	  KK_REPORT_MAX_BODY, NULL },
	{ "GET", "/api/v1/reports", api_report_list, KK_ACT_QUEUE_READ, ROUTE_API, 0, "status limit page" },
	{ "GET", "/api/v1/reports/{}", api_report_get, KK_ACT_REPORT_READ, ROUTE_API, 0, NULL },
	{ "GET", "/api/v1/reports/{}/attachments/{}", api_report_attachment, KK_ACT_EVIDENCE_READ, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/reports/{}/decision", api_report_decide, KK_ACT_REPORT_DECIDE, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/reports/{}/impact", api_report_assess, KK_ACT_REPORT_ASSESS, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	/* SPEC 2.5: the vendors of a report (docs/api/vendors.md) */
	{ "GET", "/api/v1/reports/{}/vendor-candidates", api_report_vendor_candidates, KK_ACT_REPORT_VENDORS_READ,
	  ROUTE_API, 0, NULL },
	{ "GET", "/api/v1/reports/{}/vendors", api_report_vendors, KK_ACT_REPORT_VENDORS_READ, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/reports/{}/vendors", api_report_vendors_confirm, KK_ACT_REPORT_VENDORS_CONFIRM,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	/* ROUTE_JSON so the CSRF token of cookie callers is checked (the body may be empty) */
	{ "DELETE", "/api/v1/reports/{}/vendors/{}", api_report_vendor_remove, KK_ACT_REPORT_VENDORS_CONFIRM,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/reports/{}/sbom", api_report_sbom, KK_ACT_REPORT_VENDORS_READ,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, KK_SBOM_UPLOAD_MAX, NULL },
	{ "GET", "/api/v1/cvss", api_cvss, KK_ACT_PUBLIC_READ, ROUTE_API, 0, "vector" },
	{ "GET", "/api/v1/cwe/{}", api_cwe_get, KK_ACT_PUBLIC_READ, ROUTE_API, 0, NULL },
	/* vendor registration requests and the public vendor list (docs/api/vendors.md;
	 * G IV.4.1-4.2); /api/v1/vendors/public before any /api/v1/vendors/{} */
	{ "POST", "/api/v1/vendor-requests", api_vendor_request_submit, KK_ACT_VENDOR_REQUEST,
	  ROUTE_API | ROUTE_JSON | ROUTE_LIMITED, 0, NULL },
	{ "GET", "/api/v1/vendor-requests", api_vendor_request_list, KK_ACT_VENDOR_REQUEST_DECIDE, ROUTE_API, 0, "status" },
	{ "GET", "/api/v1/vendor-requests/{}", api_vendor_request_get, KK_ACT_VENDOR_REQUEST_DECIDE, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/vendor-requests/{}/decision", api_vendor_request_decide, KK_ACT_VENDOR_REQUEST_DECIDE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/vendors/public", api_vendors_public, KK_ACT_PUBLIC_READ, ROUTE_API, 0, NULL },
	/* the vendor registry: vendors, contacts, products (docs/api/vendors.md; SPEC 2.5,
	 * G IV.4.2); the core lets a vendor user at its own vendor only */
	{ "GET", "/api/v1/vendors", api_vendor_list, KK_ACT_VENDOR_READ, ROUTE_API, 0, "q limit page" },
	{ "POST", "/api/v1/vendors", api_vendor_add, KK_ACT_VENDOR_ADD, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/vendors/{}", api_vendor_get, KK_ACT_VENDOR_READ, ROUTE_API, 0, NULL },
	{ "PATCH", "/api/v1/vendors/{}", api_vendor_update, KK_ACT_VENDOR_WRITE, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/vendors/{}/contacts", api_vendor_contacts, KK_ACT_VENDOR_READ, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/vendors/{}/contacts", api_vendor_contact_add, KK_ACT_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "PATCH", "/api/v1/vendors/{}/contacts/{}", api_vendor_contact_update, KK_ACT_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	/* ROUTE_JSON so the CSRF token of cookie callers is checked (the body may be empty) */
	{ "DELETE", "/api/v1/vendors/{}/contacts/{}", api_vendor_contact_remove, KK_ACT_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/vendors/{}/products", api_vendor_products, KK_ACT_VENDOR_READ, ROUTE_API, 0, "limit page" },
	{ "POST", "/api/v1/vendors/{}/products", api_vendor_product_add, KK_ACT_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/vendors/{}/products/{}", api_vendor_product_get, KK_ACT_VENDOR_READ, ROUTE_API, 0, NULL },
	{ "PATCH", "/api/v1/vendors/{}/products/{}", api_vendor_product_update, KK_ACT_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	/* composition: SBOMs, components, distributors, who embeds (SPEC 2.5, 5) */
	{ "POST", "/api/v1/vendors/{}/sbom", api_vendor_sbom_upload, KK_ACT_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, KK_SBOM_UPLOAD_MAX, "product" },
	{ "GET", "/api/v1/vendors/{}/products/{}/components", api_product_components, KK_ACT_VENDOR_READ, ROUTE_API, 0,
	  NULL },
	{ "POST", "/api/v1/vendors/{}/products/{}/components", api_product_component_add, KK_ACT_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "DELETE", "/api/v1/vendors/{}/products/{}/components/{}", api_product_component_delete, KK_ACT_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/vendors/{}/products/{}/distributors", api_product_distributors, KK_ACT_VENDOR_READ, ROUTE_API,
	  0, NULL },
	{ "POST", "/api/v1/vendors/{}/products/{}/distributors", api_product_distributor_add, KK_ACT_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	/* SPEC 2.5: searching the registry by name or CPE (docs/api/vendors.md "Search") */
	{ "GET", "/api/v1/products", api_registry_search, KK_ACT_REGISTRY_SEARCH, ROUTE_API, 0, "q cpe limit" },
	{ "GET", "/api/v1/components/embedded-in", api_components_embedded_in, KK_ACT_REGISTRY_SEARCH, ROUTE_API, 0,
	  "purl cpe product name version" },
	/* cases (docs/api/cases.md; issue 9, SPEC 2.4-2.7): the core decides who
	 * sees which case (a vendor only those it was notified of; others 404) */
	{ "GET", "/api/v1/cases", api_case_list, KK_ACT_CASE_READ, ROUTE_API, 0, "filter" },
	{ "POST", "/api/v1/cases", api_case_open, KK_ACT_CASE_OPEN, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/cases/{}", api_case_get, KK_ACT_CASE_READ, ROUTE_API, 0, NULL },
	{ "PATCH", "/api/v1/cases/{}", api_case_update, KK_ACT_CASE_WRITE, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	/* ROUTE_JSON so the CSRF token of cookie callers is checked (the body may be empty) */
	{ "POST", "/api/v1/cases/{}/close", api_case_close, KK_ACT_CASE_WRITE, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0,
	  NULL },
	{ "POST", "/api/v1/cases/{}/reopen", api_case_reopen, KK_ACT_CASE_WRITE, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0,
	  NULL },
	{ "POST", "/api/v1/cases/{}/vulnerabilities", api_case_vuln_add, KK_ACT_CASE_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "PATCH", "/api/v1/cases/{}/vulnerabilities/{}", api_case_vuln_update, KK_ACT_CASE_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/cases/{}/vendors", api_case_vendor_add, KK_ACT_CASE_WRITE, ROUTE_API | ROUTE_JSON | ROUTE_CSRF,
	  0, NULL },
	{ "DELETE", "/api/v1/cases/{}/vendors/{}", api_case_vendor_remove, KK_ACT_CASE_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/cases/{}/audit", api_case_audit, KK_ACT_CASE_AUDIT_READ, ROUTE_API, 0, NULL },
	/* SPEC 2.6, 2.7, R §5.1.2: notification, answers, statuses, countermeasures
	 * (docs/api/cases.md "Notification, answers and statuses") */
	{ "POST", "/api/v1/cases/{}/notify", api_case_notify, KK_ACT_CASE_NOTIFY, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0,
	  NULL },
	{ "POST", "/api/v1/cases/{}/answer", api_case_answer, KK_ACT_CASE_ANSWER, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0,
	  NULL },
	{ "POST", "/api/v1/cases/{}/status", api_case_status, KK_ACT_CASE_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/cases/{}/countermeasures", api_case_countermeasure, KK_ACT_CASE_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/cases/{}/statement", api_case_statement, KK_ACT_CASE_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	/* the publication date (docs/api/dates.md; issue 10, SPEC 2.8, 2.9) */
	{ "GET", "/api/v1/cases/{}/date", api_case_date, KK_ACT_CASE_READ, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/cases/{}/date", api_case_date_set, KK_ACT_CASE_DATE_SET, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0,
	  NULL },
	{ "POST", "/api/v1/cases/{}/date/answer", api_case_date_answer, KK_ACT_CASE_DATE_ANSWER,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/cases/{}/date/call-off", api_case_date_call_off, KK_ACT_CASE_DATE_SET,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/cases/{}/date/resume", api_case_date_resume, KK_ACT_CASE_DATE_SET,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	/* advisories (docs/api/advisories.md; issue 12, SPEC 6, 2.11): the draft
	 * through its case (staff and its notified vendors; others 404), the
	 * published ones for everyone */
	{ "GET", "/api/v1/cases/{}/advisory", api_case_advisory, KK_ACT_ADVISORY_READ, ROUTE_API, 0, NULL },
	{ "PUT", "/api/v1/cases/{}/advisory", api_case_advisory_save, KK_ACT_ADVISORY_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, KK_ADVISORY_MAX_BODY, NULL },
	{ "POST", "/api/v1/cases/{}/advisory/approve", api_case_advisory_approve, KK_ACT_ADVISORY_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/cases/{}/advisory/withdraw", api_case_advisory_withdraw, KK_ACT_ADVISORY_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/cases/{}/advisory/revise", api_case_advisory_revise, KK_ACT_ADVISORY_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, KK_ADVISORY_MAX_BODY, NULL },
	{ "POST", "/api/v1/cases/{}/advisory/comments", api_case_advisory_comment, KK_ACT_ADVISORY_COMMENT,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/advisories", api_advisory_list, KK_ACT_PUBLIC_READ, ROUTE_API, 0, "page limit" },
	/* issue 12 item 6: the search (docs/api/search.md); before /api/v1/advisories/{} */
	{ "GET", "/api/v1/advisories/search", api_advisory_search, KK_ACT_PUBLIC_READ, ROUTE_API, 0,
	  KK_ADVISORY_SEARCH_PARAMS },
	{ "GET", "/api/v1/advisories/{}", api_advisory_get, KK_ACT_PUBLIC_READ, ROUTE_API, 0, NULL },
	/* priority provision and pre-notification (docs/api/provisions.md; issue 10,
	 * SPEC 2.10, G IV.4.8-4.9): a recipient never reads a case (404) */
	{ "GET", "/api/v1/cases/{}/provisions", api_case_provisions, KK_ACT_PROVISION_READ, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/cases/{}/provisions", api_case_provision_give, KK_ACT_PROVISION_GIVE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/cases/{}/prenotify", api_case_prenotify_list, KK_ACT_CASE_READ, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/cases/{}/prenotify", api_case_prenotify_ask, KK_ACT_CASE_PRENOTIFY_ASK,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/cases/{}/prenotify/{}", api_case_prenotify_decide, KK_ACT_CASE_PRENOTIFY_DECIDE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/recipients", api_recipient_list, KK_ACT_RECIPIENT_MANAGE, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/recipients", api_recipient_add, KK_ACT_RECIPIENT_MANAGE, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0,
	  NULL },
	{ "GET", "/api/v1/provisions", api_provision_list, KK_ACT_PROVISION_READ, ROUTE_API, 0, NULL },
	{ "GET", "/api/v1/provisions/{}", api_provision_get, KK_ACT_PROVISION_READ, ROUTE_API, 0, NULL },
	{ "GET", "/api/v1/cases/{}/suggestions", api_case_suggestions, KK_ACT_CASE_READ, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/cases/{}/suggestions", api_case_suggest, KK_ACT_CASE_VENDOR_WRITE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/cases/{}/attachments/{}", api_case_attachment, KK_ACT_CASE_DETAIL_READ, ROUTE_API, 0, NULL },
	/* SPEC 2.13: a case's threads and messages (docs/api/cases.md "Threads and
	 * messages"); the core lets each reader at the threads it may read only */
	{ "GET", "/api/v1/cases/{}/threads", api_case_threads, KK_ACT_CASE_READ, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/cases/{}/messages", api_case_message_post, KK_ACT_CASE_MESSAGE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, KK_REPORT_MAX_BODY, NULL },
	{ "GET", "/api/v1/cases/{}/messages/{}/attachments/{}", api_case_message_attachment, KK_ACT_CASE_MESSAGE,
	  ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/cases/{}/direct-contact", api_case_direct_contact, KK_ACT_CASE_MESSAGE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	/* SPEC 2.13: the finder's status and thread, by the status page's secret
	 * (docs/api/cases.md "The finder's status page") */
	{ "GET", "/api/v1/status/{}", api_status_get, KK_ACT_REPORT_STATUS, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/status/{}/messages", api_status_message_post, KK_ACT_FINDER_MESSAGE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF | ROUTE_LIMITED, 0, NULL },
	/* SPEC 2.12: lifting the non-disclosure request (docs/api/lift.md) */
	{ "POST", "/api/v1/status/{}/lift", api_status_lift, KK_ACT_FINDER_LIFT,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF | ROUTE_LIMITED, 0, NULL },
	{ "GET", "/api/v1/cases/{}/lift", api_case_lift_list, KK_ACT_CASE_LIFT_ANSWER, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/cases/{}/lift/{}", api_case_lift_answer, KK_ACT_CASE_LIFT_ANSWER,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	/* SPEC 2.14: a vendor registers a vulnerability it found itself (docs/api/vendor-cases.md) */
	{ "POST", "/api/v1/vendor-cases", api_vendor_case_register, KK_ACT_CASE_REGISTER_OWN,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },

	/* SPEC 8: the scheduler's dashboard, staff only (docs/api/clocks.md; issue 10) */
	{ "GET", "/api/v1/clocks", api_clocks, KK_ACT_CLOCKS_READ, ROUTE_API, 0, NULL },
	/* ROUTE_JSON so the CSRF token of cookie callers is checked (the body may be empty) */
	{ "POST", "/api/v1/reminders/{}/done", api_reminder_done, KK_ACT_CLOCKS_READ, ROUTE_API | ROUTE_JSON | ROUTE_CSRF,
	  0, NULL },
	/* issue 11: mail in: the review queue, and a report by mail completed (docs/api/inbound.md) */
	{ "GET", "/api/v1/inbound", api_inbound_list, KK_ACT_INBOUND_REVIEW, ROUTE_API, 0, NULL },
	{ "GET", "/api/v1/inbound/{}", api_inbound_get, KK_ACT_INBOUND_REVIEW, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/inbound/{}/dismiss", api_inbound_dismiss, KK_ACT_INBOUND_REVIEW,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/reports/{}/complete", api_report_complete, KK_ACT_REPORT_DECIDE,
	  ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },

	/* finders and the public */
	{ "GET", "/", page_home, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "GET", "/report", page_report_choose, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "GET", "/report/{}", page_report_form, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "POST", "/report/{}", page_report_submit, KK_ACT_REPORT_SUBMIT, ROUTE_FORM | ROUTE_CSRF | ROUTE_LIMITED,
	  KK_REPORT_MAX_BODY, REPORT_FIELDS },
	{ "GET", "/r/{}", page_report_status, KK_ACT_REPORT_STATUS, 0, 0, NULL },
	/* SPEC 2.13: the finder writes to staff, or asks for progress, from the status page */
	{ "POST", "/r/{}/messages", page_report_message, KK_ACT_FINDER_MESSAGE, ROUTE_FORM | ROUTE_CSRF | ROUTE_LIMITED,
	  0, "body question thread" },
	{ "GET", "/r/{}/messages/{}/attachments/{}", page_report_message_attachment, KK_ACT_REPORT_STATUS, 0, 0, NULL },
	/* SPEC 2.12: the finder asks to lift non-disclosure from the status page */
	{ "POST", "/r/{}/lift", page_report_lift, KK_ACT_FINDER_LIFT, ROUTE_FORM | ROUTE_CSRF | ROUTE_LIMITED, 0, "reason" },
	{ "GET", "/static/{}", page_static, KK_ACT_PUBLIC_READ, 0, 0, "v" },
	/* issue 11: the organisation's OpenPGP key, linked from the report form */
	{ "GET", "/pgp-key.asc", page_pgp_key, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	/* issue 12, SPEC 6: the public portal of advisories and its feeds, kept by
	 * caches (ROUTE_PUBLIC); /advisories/{} is the public ID without "#" */
	{ "GET", "/advisories", page_advisories_redirect, KK_ACT_PUBLIC_READ, ROUTE_PUBLIC, 0, NULL },
	{ "GET", "/advisories/", page_advisories_index, KK_ACT_PUBLIC_READ, ROUTE_PUBLIC, 0, "page" },
	{ "GET", "/advisories/{}", page_advisory_public, KK_ACT_PUBLIC_READ, ROUTE_PUBLIC, 0, NULL },
	{ "GET", "/advisories/vendors/{}", page_advisory_vendor, KK_ACT_PUBLIC_READ, ROUTE_PUBLIC, 0, "page" },
	{ "GET", "/feed/jvnrss.rdf", page_feed_jvnrss, KK_ACT_PUBLIC_READ, ROUTE_PUBLIC, 0, "vendor product cpe" },
	{ "GET", "/feed/atom.xml", page_feed_atom, KK_ACT_PUBLIC_READ, ROUTE_PUBLIC, 0, "vendor product cpe" },
	/* issue 12 item 6: the search of published advisories, a public page */
	{ "GET", "/search", page_search, KK_ACT_PUBLIC_READ, ROUTE_PUBLIC, 0, KK_ADVISORY_SEARCH_PARAMS },
	/* G IV.4.1-4.2: the public vendor list and registration requests; before
	 * any /vendors/{} route */
	{ "GET", "/vendors/public", page_vendors_public, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "GET", "/vendors/register", page_vendor_register, KK_ACT_VENDOR_REQUEST, 0, 0, NULL },
	{ "POST", "/vendors/register", page_vendor_register_submit, KK_ACT_VENDOR_REQUEST,
	  ROUTE_FORM | ROUTE_CSRF | ROUTE_LIMITED, 0, VENDOR_REQUEST_FIELDS },
	{ "GET", "/vendors/register/thanks", page_vendor_register_thanks, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "GET", "/vendors/requests", page_vendor_requests, KK_ACT_VENDOR_REQUEST_DECIDE, 0, 0, "status" },
	{ "POST", "/vendors/requests/{}/decision", page_vendor_request_decide, KK_ACT_VENDOR_REQUEST_DECIDE,
	  ROUTE_FORM | ROUTE_CSRF, 0, "decision reason" },
	/* a vendor's record and its forms (SPEC 2.5); the core lets a vendor user
	 * at its own vendor only (others: 404) */
	{ "GET", "/vendor", page_vendor_own, KK_ACT_VENDOR_READ, 0, 0, NULL },
	/* SPEC 2.5: the coordinator's registry search */
	{ "GET", "/vendors", page_registry_search, KK_ACT_REGISTRY_SEARCH, 0, 0, "q cpe" },
	{ "GET", "/vendors/new", page_vendor_new, KK_ACT_VENDOR_ADD, 0, 0, NULL },
	{ "POST", "/vendors/new", page_vendor_create, KK_ACT_VENDOR_ADD, ROUTE_FORM | ROUTE_CSRF, 0,
	  "name_ja name_en country website preferred_lang contact_value contact_department" },
	{ "GET", "/vendors/{}", page_vendor_show, KK_ACT_VENDOR_READ, 0, 0, "saved" },
	{ "POST", "/vendors/{}/profile", page_vendor_profile, KK_ACT_VENDOR_WRITE, ROUTE_FORM | ROUTE_CSRF, 0,
	  VENDOR_PROFILE_FIELDS },
	{ "POST", "/vendors/{}/contacts", page_vendor_contact_add, KK_ACT_VENDOR_WRITE, ROUTE_FORM | ROUTE_CSRF, 0,
	  VENDOR_CONTACT_FIELDS },
	{ "POST", "/vendors/{}/contacts/{}", page_vendor_contact_change, KK_ACT_VENDOR_WRITE, ROUTE_FORM | ROUTE_CSRF, 0,
	  VENDOR_CONTACT_FIELDS },
	{ "POST", "/vendors/{}/products", page_vendor_product_add, KK_ACT_VENDOR_WRITE, ROUTE_FORM | ROUTE_CSRF, 0,
	  VENDOR_PRODUCT_FIELDS },
	{ "POST", "/vendors/{}/products/{}", page_vendor_product_change, KK_ACT_VENDOR_WRITE, ROUTE_FORM | ROUTE_CSRF, 0,
	  VENDOR_PRODUCT_FIELDS },
	/* a product's page: composition, SBOMs, distributors, who embeds it (SPEC 2.5, 5) */
	{ "GET", "/vendors/{}/products/{}", page_product_show, KK_ACT_VENDOR_READ, 0, 0, "saved" },
	{ "POST", "/vendors/{}/products/{}/components", page_product_component_add, KK_ACT_VENDOR_WRITE,
	  ROUTE_FORM | ROUTE_CSRF, 0, "component_product_id name version cpe purl" },
	{ "POST", "/vendors/{}/products/{}/components/{}/delete", page_product_component_remove, KK_ACT_VENDOR_WRITE,
	  ROUTE_FORM | ROUTE_CSRF, 0, NULL },
	{ "POST", "/vendors/{}/products/{}/sbom", page_product_sbom_upload, KK_ACT_VENDOR_WRITE, ROUTE_FORM | ROUTE_CSRF,
	  KK_SBOM_UPLOAD_MAX, "sbom" },
	{ "POST", "/vendors/{}/products/{}/distributors", page_product_distributor_add, KK_ACT_VENDOR_WRITE,
	  ROUTE_FORM | ROUTE_CSRF, 0, "vendor_id" },

	/* cases as pages (SPEC 2.4-2.7, 2.13; issue 9): the dashboard, a case for
	 * staff or for a vendor on it, and their forms; the core decides who sees
	 * which case (others: 404). /cases/new before /cases/{} */
	{ "GET", "/cases", page_cases, KK_ACT_CASE_READ, 0, 0, "filter" },
	{ "GET", "/cases/new", page_case_new, KK_ACT_CASE_OPEN, 0, 0, "report" },
	/* SPEC 2.14: a vendor's own finding; before /cases/{} */
	{ "GET", "/cases/register", page_vendor_case_new, KK_ACT_CASE_REGISTER_OWN, 0, 0, NULL },
	{ "POST", "/cases/register", page_vendor_case_register, KK_ACT_CASE_REGISTER_OWN, ROUTE_FORM | ROUTE_CSRF, 0,
	  "title summary detail product_id product_name cwe cvss3 fixed_versions urls workaround_ja workaround_en date reason" },
	{ "POST", "/cases", page_case_open, KK_ACT_CASE_OPEN, ROUTE_FORM | ROUTE_CSRF, 0, "reports title summary detail" },
	{ "GET", "/cases/{}", page_case_show, KK_ACT_CASE_READ, 0, 0, "saved" },
	{ "GET", "/cases/{}/audit", page_case_audit, KK_ACT_CASE_AUDIT_READ, 0, 0, NULL },
	/* the publication date (issue 10, SPEC 2.8, 2.9) */
	{ "GET", "/cases/{}/date", page_case_date, KK_ACT_CASE_READ, 0, 0, "saved" },
	{ "POST", "/cases/{}/date", page_case_date_set, KK_ACT_CASE_DATE_SET, ROUTE_FORM | ROUTE_CSRF, 0,
	  "date reason factors.fix_time factors.international factors.leak_risk" },
	{ "POST", "/cases/{}/date/answer", page_case_date_answer, KK_ACT_CASE_DATE_ANSWER, ROUTE_FORM | ROUTE_CSRF, 0,
	  "answer date reason" },
	{ "POST", "/cases/{}/date/call-off", page_case_date_call_off, KK_ACT_CASE_DATE_SET, ROUTE_FORM | ROUTE_CSRF, 0,
	  "reason note" },
	{ "POST", "/cases/{}/date/resume", page_case_date_resume, KK_ACT_CASE_DATE_SET, ROUTE_FORM | ROUTE_CSRF, 0, NULL },

	/* SPEC 2.12: staff answer the finders' requests to lift non-disclosure */
	{ "GET", "/cases/{}/lift", page_case_lift, KK_ACT_CASE_LIFT_ANSWER, 0, 0, "saved" },
	{ "POST", "/cases/{}/lift/{}", page_case_lift_answer, KK_ACT_CASE_LIFT_ANSWER, ROUTE_FORM | ROUTE_CSRF, 0,
	  "decision explanation" },
	{ "GET", "/cases/{}/attachments/{}", page_case_attachment, KK_ACT_CASE_DETAIL_READ, 0, 0, NULL },
	{ "GET", "/cases/{}/messages/{}/attachments/{}", page_case_message_attachment, KK_ACT_CASE_MESSAGE, 0, 0, NULL },
	{ "POST", "/cases/{}/update", page_case_update, KK_ACT_CASE_WRITE, ROUTE_FORM | ROUTE_CSRF, 0,
	  "title summary detail vendors_see_names" },
	{ "POST", "/cases/{}/vulnerabilities", page_case_vuln_add, KK_ACT_CASE_WRITE, ROUTE_FORM | ROUTE_CSRF, 0,
	  "title description cwe cvss3 cvss4 cve" },
	{ "POST", "/cases/{}/vendors", page_case_vendor_add, KK_ACT_CASE_WRITE, ROUTE_FORM | ROUTE_CSRF, 0, "vendor_id" },
	{ "POST", "/cases/{}/notify", page_case_notify, KK_ACT_CASE_NOTIFY, ROUTE_FORM | ROUTE_CSRF, 0, "notify.*" },
	{ "POST", "/cases/{}/close", page_case_close, KK_ACT_CASE_WRITE, ROUTE_FORM | ROUTE_CSRF, 0, "reason" },
	{ "POST", "/cases/{}/answer", page_case_answer, KK_ACT_CASE_ANSWER, ROUTE_FORM | ROUTE_CSRF, 0, "answer reason" },
	{ "POST", "/cases/{}/status", page_case_status, KK_ACT_CASE_VENDOR_WRITE, ROUTE_FORM | ROUTE_CSRF, 0,
	  "vulnerability status note fixed_versions vendor_id" },
	{ "POST", "/cases/{}/countermeasures", page_case_countermeasure, KK_ACT_CASE_VENDOR_WRITE,
	  ROUTE_FORM | ROUTE_CSRF, 0, "vulnerability product_name fixed_versions urls workaround_ja workaround_en vendor_id" },
	{ "POST", "/cases/{}/statement", page_case_statement, KK_ACT_CASE_VENDOR_WRITE, ROUTE_FORM | ROUTE_CSRF, 0,
	  "ja en vendor_id" },
	{ "POST", "/cases/{}/suggestions", page_case_suggest, KK_ACT_CASE_VENDOR_WRITE, ROUTE_FORM | ROUTE_CSRF, 0,
	  "vendor_id name note" },
	{ "POST", "/cases/{}/messages", page_case_message, KK_ACT_CASE_MESSAGE, ROUTE_FORM | ROUTE_CSRF, 0,
	  "reply_to thread vendor_id finder body kind" },

	/* SPEC 8: the dashboard of the clocks (issue 10) */
	{ "GET", "/dashboard", page_dashboard, KK_ACT_CLOCKS_READ, 0, 0, "done" },
	{ "POST", "/dashboard/reminders/{}/done", page_dashboard_done, KK_ACT_CLOCKS_READ, ROUTE_FORM | ROUTE_CSRF, 0,
	  NULL },
	/* issue 11: the review queue of mail in */
	{ "GET", "/inbound", page_inbound, KK_ACT_INBOUND_REVIEW, 0, 0, "dismissed" },
	{ "GET", "/inbound/{}", page_inbound_one, KK_ACT_INBOUND_REVIEW, 0, 0, NULL },
	{ "POST", "/inbound/{}/dismiss", page_inbound_dismiss, KK_ACT_INBOUND_REVIEW, ROUTE_FORM | ROUTE_CSRF, 0, NULL },

	/* priority provision and pre-notification as pages (docs/api/provisions.md
	 * "Pages"; issue 10, SPEC 2.10, G IV.4.8-4.9) */
	{ "GET", "/recipients", page_recipients, KK_ACT_RECIPIENT_MANAGE, 0, 0, "saved" },
	{ "POST", "/recipients", page_recipient_add, KK_ACT_RECIPIENT_MANAGE, ROUTE_FORM | ROUTE_CSRF, 0,
	  "name_ja name_en kind conditions_accepted accepted_by note" },
	{ "GET", "/provisions", page_provisions, KK_ACT_PROVISION_READ, 0, 0, NULL },
	{ "GET", "/provisions/{}", page_provision_show, KK_ACT_PROVISION_READ, 0, 0, NULL },
	{ "GET", "/cases/{}/provisions", page_case_provisions, KK_ACT_PROVISION_READ, 0, 0, "saved" },
	{ "POST", "/cases/{}/provisions", page_case_provision_give, KK_ACT_PROVISION_GIVE, ROUTE_FORM | ROUTE_CSRF, 0,
	  "recipient_id title body consulted_intake consulted_vendor note" },
	{ "POST", "/cases/{}/prenotify/{}", page_case_prenotify_decide, KK_ACT_CASE_PRENOTIFY_DECIDE,
	  ROUTE_FORM | ROUTE_CSRF, 0, "decision note" },
	{ "GET", "/cases/{}/prenotify", page_case_prenotify, KK_ACT_CASE_READ, 0, 0, "saved" },
	{ "POST", "/cases/{}/prenotify", page_case_prenotify_ask, KK_ACT_CASE_PRENOTIFY_ASK, ROUTE_FORM | ROUTE_CSRF, 0,
	  "customers nda reason" },

	/* a case's advisory as a page (issue 12, SPEC 6): the coordinator writes and
	 * approves it, staff read it, the case's notified vendors preview it and
	 * comment (others: 404); the form takes the whole content, percent-encoded */
	{ "GET", "/cases/{}/advisory", page_case_advisory, KK_ACT_ADVISORY_READ, 0, 0, "saved" },
	{ "POST", "/cases/{}/advisory", page_case_advisory_save, KK_ACT_ADVISORY_WRITE, ROUTE_FORM | ROUTE_CSRF,
	  KK_ADVISORY_MAX_BODY, ADVISORY_FORM_FIELDS " note" },
	{ "POST", "/cases/{}/advisory/revise", page_case_advisory_revise, KK_ACT_ADVISORY_WRITE, ROUTE_FORM | ROUTE_CSRF,
	  KK_ADVISORY_MAX_BODY, ADVISORY_FORM_FIELDS " note_ja note_en" },
	{ "POST", "/cases/{}/advisory/approve", page_case_advisory_approve, KK_ACT_ADVISORY_WRITE, ROUTE_FORM | ROUTE_CSRF,
	  0, "note" },
	{ "POST", "/cases/{}/advisory/withdraw", page_case_advisory_withdraw, KK_ACT_ADVISORY_WRITE,
	  ROUTE_FORM | ROUTE_CSRF, 0, "note" },
	{ "POST", "/cases/{}/advisory/comments", page_case_advisory_comment, KK_ACT_ADVISORY_COMMENT,
	  ROUTE_FORM | ROUTE_CSRF, 0, "body" },

	/* accounts */
	{ "GET", "/login", page_login, KK_ACT_SIGN_IN, 0, 0, "next" },
	{ "POST", "/login", page_login_submit, KK_ACT_SIGN_IN, ROUTE_FORM | ROUTE_CSRF, 0, "email password next" },
	{ "POST", "/logout", page_logout, KK_ACT_SIGN_OUT, ROUTE_FORM | ROUTE_CSRF, 0, NULL },

	/* receiving organisation (SPEC 2.2) */
	{ "GET", "/intake", page_intake_queue, KK_ACT_QUEUE_READ, 0, 0, "status limit page" },
	{ "GET", "/intake/reports/{}", page_intake_report, KK_ACT_REPORT_READ, 0, 0, NULL },
	{ "GET", "/intake/reports/{}/attachments/{}", page_intake_attachment, KK_ACT_EVIDENCE_READ, 0, 0, NULL },
	{ "POST", "/intake/reports/{}/decision", page_intake_decide, KK_ACT_REPORT_DECIDE, ROUTE_FORM | ROUTE_CSRF, 0,
	  "decision reason note" },
	/* issue 11: a report that came by mail, completed on the finder's form before triage */
	{ "GET", "/intake/reports/{}/complete", page_intake_complete_form, KK_ACT_REPORT_DECIDE, 0, 0, "kind" },
	{ "POST", "/intake/reports/{}/complete", page_intake_complete, KK_ACT_REPORT_DECIDE, ROUTE_FORM | ROUTE_CSRF,
	  KK_REPORT_MAX_BODY, COMPLETE_FIELDS },
	{ "POST", "/intake/reports/{}/impact", page_intake_assess, KK_ACT_REPORT_ASSESS, ROUTE_FORM | ROUTE_CSRF, 0,
	  "vector m.* scope.*" },
	{ "POST", "/intake/reports/{}/vendors", page_report_vendors_confirm, KK_ACT_REPORT_VENDORS_CONFIRM,
	  ROUTE_FORM | ROUTE_CSRF, 0, "vendor.* basis.*" },
	{ "POST", "/intake/reports/{}/vendors/{}/remove", page_report_vendor_remove, KK_ACT_REPORT_VENDORS_CONFIRM,
	  ROUTE_FORM | ROUTE_CSRF, 0, NULL },

	{ NULL, NULL, NULL, KK_ACT_NONE, 0, 0, NULL },
};
