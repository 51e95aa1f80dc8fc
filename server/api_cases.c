/*
 * api_cases.c: cases over the JSON API (docs/api/cases.md; issue 9, SPEC
 * 2.4-2.7): opening, listing, reading and changing a case, closing and
 * reopening it, its vulnerabilities, the vendors on it, and its audit trail.
 * The core (case.h) decides who sees what: a case the caller may not read is
 * 404 like one that does not exist (SPEC 1).
 */
#include <jansson.h>
#include <limits.h>

#include "keikai/case.h"
#include "keikai/util.h"
#include "handlers.h"
#include "http_internal.h"

/* GET /api/v1/cases[?filter=mine|STATE]: the caller's cases, newest first. */
void api_case_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_case_list(r->store, &r->user, kk_req_query(r, "filter"), &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/cases {"reports": [...], "title", "summary", "detail"} -> 201 */
void api_case_open(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;
	enum kk_result res;

	if (body) {
		res = kk_case_open(r->store, &r->user, body, &out, &err);
		kk_reply_result(r, res, &err, 201, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* GET /api/v1/cases/{ref}: the case as the caller may see it. */
void api_case_get(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_case_get(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* PATCH /api/v1/cases/{ref} {"title", "summary", "detail", "coordinator_id",
 * "vendors_see_names", "attachments", "reports"} */
void api_case_update(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;
	enum kk_result res;

	if (body) {
		res = kk_case_update(r->store, &r->user, r->params[0], body, &out, &err);
		kk_reply_result(r, res, &err, 200, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* The case flow's events: an empty body is no body. */
static void case_event(struct kk_req *r, const char *event)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = r->body.len ? api_load_body(r, 0) : json_null(), *out = NULL;
	enum kk_result res;

	if (body) {
		res = kk_case_event(r->store, &r->user, r->params[0], event, body, &out, &err);
		kk_reply_result(r, res, &err, 200, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/close {"reason"} (G IV.4.4) */
void api_case_close(struct kk_req *r)
{
	case_event(r, "close");
}

/* POST /api/v1/cases/{ref}/reopen */
void api_case_reopen(struct kk_req *r)
{
	case_event(r, "reopen");
}

/* POST /api/v1/cases/{ref}/vulnerabilities -> 201 with the new vulnerability */
void api_case_vuln_add(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;
	enum kk_result res;

	if (body) {
		res = kk_case_vuln_add(r->store, &r->user, r->params[0], body, &out, &err);
		kk_reply_result(r, res, &err, 201, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* PATCH /api/v1/cases/{ref}/vulnerabilities/{number} */
void api_case_vuln_update(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t number = kk_req_param_id(r, 1, 1);
	json_t *body, *out = NULL;
	enum kk_result res;

	if (!number)
		return;
	body = api_load_body(r, 0);
	if (body) {
		/* the core answers for the case first: a number beyond any is simply missing */
		res = kk_case_vuln_update(r->store, &r->user, r->params[0], number > INT_MAX ? INT_MAX : (int)number, body,
					  &out, &err);
		kk_reply_result(r, res, &err, 200, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/vendors {"vendor_id": 17} -> 201 with its entry */
void api_case_vendor_add(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;
	enum kk_result res;

	if (body) {
		res = kk_case_vendor_add(r->store, &r->user, r->params[0], body, &out, &err);
		kk_reply_result(r, res, &err, 201, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* DELETE /api/v1/cases/{ref}/vendors/{vendor_id}: a vendor not yet notified. */
void api_case_vendor_remove(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t vendor = kk_req_param_id(r, 1, 1);
	enum kk_result res;

	if (!vendor)
		return;
	res = kk_case_vendor_remove(r->store, &r->user, r->params[0], vendor, &err);
	kk_reply_result(r, res, &err, 200,
			res ? NULL : json_pack("{s:s, s:I, s:b}", "id", r->params[0], "vendor_id", (json_int_t)vendor,
					       "removed", 1));
	kk_error_release(&err);
}

/* GET /api/v1/cases/{ref}/audit: the case's trail (staff). */
void api_case_audit(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_case_audit(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}
