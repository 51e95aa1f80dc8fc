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
#include "keikai/report.h"

/* The fields of the report form (templates/report_form.html, docs/api/reports.md). */
#define REPORT_FIELDS                                                                             \
	"finder.* consent.* product.* website.* details.* other_reports.* wants_final_result " \
	"encrypted_contact attachments"

const struct kk_route kk_routes[] = {
	/* JSON API (docs/api/reports.md) */
	{ "POST", "/api/v1/reports", api_report_submit, KK_ACT_REPORT_SUBMIT, ROUTE_API | ROUTE_JSON | ROUTE_LIMITED,
	  KK_REPORT_MAX_BODY, NULL },
	{ "GET", "/api/v1/reports", api_report_list, KK_ACT_QUEUE_READ, ROUTE_API, 0, "status limit page" },
	{ "GET", "/api/v1/reports/{}", api_report_get, KK_ACT_REPORT_READ, ROUTE_API, 0, NULL },
	{ "GET", "/api/v1/reports/{}/attachments/{}", api_report_attachment, KK_ACT_EVIDENCE_READ, ROUTE_API, 0, NULL },
	{ "POST", "/api/v1/reports/{}/decision", api_report_decide, KK_ACT_REPORT_DECIDE, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "POST", "/api/v1/reports/{}/impact", api_report_assess, KK_ACT_REPORT_ASSESS, ROUTE_API | ROUTE_JSON | ROUTE_CSRF, 0, NULL },
	{ "GET", "/api/v1/cvss", api_cvss, KK_ACT_PUBLIC_READ, ROUTE_API, 0, "vector" },
	{ "GET", "/api/v1/cwe/{}", api_cwe_get, KK_ACT_PUBLIC_READ, ROUTE_API, 0, NULL },

	/* finders and the public */
	{ "GET", "/", page_home, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "GET", "/report", page_report_choose, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "GET", "/report/{}", page_report_form, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "POST", "/report/{}", page_report_submit, KK_ACT_REPORT_SUBMIT, ROUTE_FORM | ROUTE_CSRF | ROUTE_LIMITED,
	  KK_REPORT_MAX_BODY, REPORT_FIELDS },
	{ "GET", "/r/{}", page_report_status, KK_ACT_REPORT_STATUS, 0, 0, NULL },
	{ "GET", "/static/{}", page_static, KK_ACT_PUBLIC_READ, 0, 0, "v" },

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
	{ "POST", "/intake/reports/{}/impact", page_intake_assess, KK_ACT_REPORT_ASSESS, ROUTE_FORM | ROUTE_CSRF, 0,
	  "vector m.* scope.*" },

	{ NULL, NULL, NULL, KK_ACT_NONE, 0, 0, NULL },
};
