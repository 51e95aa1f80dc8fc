/*
 * routes.c: the one table of every URL keikai serves, with the roles allowed and
 * the checks the front makes before the handler runs (see http.h). Roles narrower
 * than a route's set (a vendor seeing only its own cases) are the core's to decide.
 */
#include <stddef.h>

#include "handlers.h"

#define STAFF ROLES_STAFF
#define SIGNED_IN ROLES_SIGNED_IN

const struct kk_route kk_routes[] = {
	/* JSON API (docs/api/reports.md) */
	{ "POST", "/api/v1/reports", api_report_submit, ROLES_ANY, ROUTE_API | ROUTE_JSON },
	{ "GET", "/api/v1/reports", api_report_list, STAFF, ROUTE_API },
	{ "GET", "/api/v1/reports/{}", api_report_get, SIGNED_IN, ROUTE_API },
	{ "GET", "/api/v1/reports/{}/attachments/{}", api_report_attachment, SIGNED_IN, ROUTE_API },
	{ "POST", "/api/v1/reports/{}/decision", api_report_decide, SIGNED_IN, ROUTE_API | ROUTE_JSON | ROUTE_CSRF },
	{ "POST", "/api/v1/reports/{}/impact", api_report_assess, SIGNED_IN, ROUTE_API | ROUTE_JSON | ROUTE_CSRF },
	{ "GET", "/api/v1/cvss", api_cvss, ROLES_ANY, ROUTE_API },
	{ "GET", "/api/v1/cwe/{}", api_cwe_get, ROLES_ANY, ROUTE_API },

	/* finders and the public */
	{ "GET", "/", page_home, ROLES_ANY, 0 },
	{ "GET", "/report", page_report_choose, ROLES_ANY, 0 },
	{ "GET", "/report/{}", page_report_form, ROLES_ANY, 0 },
	{ "POST", "/report/{}", page_report_submit, ROLES_ANY, ROUTE_FORM | ROUTE_CSRF },
	{ "GET", "/r/{}", page_report_status, ROLES_ANY, 0 },
	{ "GET", "/static/{}", page_static, ROLES_ANY, 0 },

	/* accounts */
	{ "GET", "/login", page_login, ROLES_ANY, 0 },
	{ "POST", "/login", page_login_submit, ROLES_ANY, ROUTE_FORM | ROUTE_CSRF },
	{ "POST", "/logout", page_logout, SIGNED_IN, ROUTE_FORM | ROUTE_CSRF },

	/* receiving organisation (SPEC 2.2) */
	{ "GET", "/intake", page_intake_queue, STAFF, 0 },
	{ "GET", "/intake/reports/{}", page_intake_report, STAFF, 0 },
	{ "GET", "/intake/reports/{}/attachments/{}", page_intake_attachment, STAFF, 0 },
	{ "POST", "/intake/reports/{}/decision", page_intake_decide, STAFF, ROUTE_FORM | ROUTE_CSRF },
	{ "POST", "/intake/reports/{}/impact", page_intake_assess, STAFF, ROUTE_FORM | ROUTE_CSRF },

	{ NULL, NULL, NULL, 0, 0 },
};
