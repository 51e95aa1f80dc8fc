/*
 * api_vendor_requests.c: the JSON API of vendor registration requests and of
 * the public vendor list (docs/api/vendors.md, "Registration requests" and
 * "Public vendor list"; G IV.4.1, IV.4.2, SPEC 2.5). Anyone may ask to be
 * registered (anonymous, limited per source address like reports);
 * coordinators list, read and decide the requests. The core
 * (vendor_request.h) validates and decides who may see what.
 */
#include <jansson.h>
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/vendor_request.h"

/* POST /api/v1/vendor-requests: G IV.4.2, a vendor asks to be registered. */
void api_vendor_request_submit(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_submit_opts opts = { kk_req_source(r), kk_req_report_limit(r), NULL, 0 };
	struct kk_vendor_request vr;
	json_t *body = api_load_body(r, 0);
	enum kk_result res;

	memset(&vr, 0, sizeof(vr));
	if (!body)
		goto out;
	res = kk_vendor_request_from_json(body, &vr, &err);
	if (res == KK_OK)
		res = kk_vendor_request_submit(r->store, &vr, &opts, &err);
	if (res == KK_ETHROTTLED)
		kk_reply_header(r, "Retry-After", kk_req_printf(r, "%lld", (long long)opts.retry_after));
	kk_reply_result(r, res, &err, 201,
			json_pack("{s:I, s:s, s:o}", "id", (json_int_t)vr.id, "status",
				  kk_vendor_request_status_name(vr.status), "created_at", kk_json_time(vr.created_at)));
out:
	json_decref(body);
	kk_vendor_request_release(&vr);
	kk_error_release(&err);
}

/* Parses the optional ?status= of a list; 0 after a 400 reply. */
int api_vendor_request_status_query(struct kk_req *r, int *status)
{
	const char *want = kk_req_query(r, "status");
	enum kk_vendor_request_status st;
	struct kk_error err = KK_ERROR_INIT;
	char names[128];

	*status = -1;
	if (kk_str_empty(want))
		return 1;
	if (kk_vendor_request_status_parse(want, &st) == 0) {
		*status = (int)st;
		return 1;
	}
	kk_error_field(&err, "status", _("Must be one of: %s."),
		       kk_flow_state_names(&kk_vendor_request_flow, names, sizeof(names)));
	kk_reply_error(r, 400, &err);
	kk_error_release(&err);
	return 0;
}

/* GET /api/v1/vendor-requests[?status=STATE]: newest first. */
void api_vendor_request_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *list = NULL;
	int status;
	enum kk_result res;

	if (!api_vendor_request_status_query(r, &status))
		return;
	res = kk_vendor_request_list(r->store, &r->user, status, 500, &list, &err);
	kk_reply_result(r, res, &err, 200, json_pack("{s:o}", "requests", list));
	kk_error_release(&err);
}

/* GET /api/v1/vendor-requests/{id} */
void api_vendor_request_get(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_request vr;
	int64_t id = 0;
	enum kk_result res;

	memset(&vr, 0, sizeof(vr));
	res = kk_parse_id(r->params[0], &id) == 0 ? kk_vendor_request_get(r->store, &r->user, id, &vr, &err)
						  : kk_error_set(&err, KK_ENOTFOUND, "%s", _("There is no such vendor request."));
	kk_reply_result(r, res, &err, 200, kk_vendor_request_to_json(&vr));
	kk_vendor_request_release(&vr);
	kk_error_release(&err);
}

/* POST /api/v1/vendor-requests/{id}/decision {"decision", "reason"} */
void api_vendor_request_decide(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_request_decision d;
	struct kk_vendor_request vr;
	json_t *body = NULL;
	int64_t id = 0;
	enum kk_result res;

	memset(&vr, 0, sizeof(vr));
	if (kk_parse_id(r->params[0], &id) != 0) {
		kk_reply_errorf(r, 404, "%s", _("There is no such vendor request."));
		goto out;
	}
	body = api_load_body(r, 0);
	if (!body)
		goto out;
	/* d.reason points into body, which lives until the decision is made */
	res = kk_vendor_request_decision_from_json(body, &d, &err);
	if (res == KK_OK)
		res = kk_vendor_request_decide(r->store, &r->user, id, &d, &vr, &err);
	kk_reply_result(r, res, &err, 200, kk_vendor_request_to_json(&vr));
out:
	json_decref(body);
	kk_vendor_request_release(&vr);
	kk_error_release(&err);
}

/* GET /api/v1/vendors/public: G IV.4.1, the vendors that consented to be listed. */
void api_vendors_public(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *list = NULL;
	enum kk_result res = kk_vendor_public_list(r->store, &list, &err);

	kk_reply_result(r, res, &err, 200, json_pack("{s:o}", "vendors", list));
	kk_error_release(&err);
}
