/*
 * api_inbound.c: mail in over the JSON API (docs/api/inbound.md; issue 11,
 * item 4): the review queue of mail that fitted nowhere (intake and
 * coordinators: inbound.review; for anyone else it does not exist), and the
 * completion of a report that came by mail (intake: report.decide), which
 * takes the fields of a submission and leads it to triage.
 */
#include <jansson.h>
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/mailin.h"
#include "keikai/report.h"

/* GET /api/v1/inbound -> 200 {"inbound": [...]} (open entries, newest first) */
void api_inbound_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_inbound_list(r->store, &r->user, &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* GET /api/v1/inbound/{id} -> 200 {..., "text"} */
void api_inbound_get(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = kk_req_param_id(r, 0, 1);
	json_t *out = NULL;
	enum kk_result res;

	if (!id)
		return;
	res = kk_inbound_get(r->store, &r->user, id, &out, &err);
	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/inbound/{id}/dismiss -> 200 {"id", "state": "dismissed"} */
void api_inbound_dismiss(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = kk_req_param_id(r, 0, 1);
	enum kk_result res;

	if (!id)
		return;
	res = kk_inbound_dismiss_entry(r->store, &r->user, id, &err);
	kk_reply_result(r, res, &err, 200,
			res ? NULL : json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "dismissed"));
	kk_error_release(&err);
}

/* POST /api/v1/reports/{id}/complete (the fields of a submission) -> 200 the report */
void api_report_complete(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report rep;
	json_t *body;
	enum kk_result res;

	memset(&rep, 0, sizeof(rep));
	body = api_load_body(r, 0);
	if (!body)
		goto out;
	res = kk_report_complete(r->store, &r->user, r->params[0], body, &rep, &err);
	if (res == KK_OK)
		kk_reply_json(r, 200, kk_report_to_json(&rep, &r->user));
	else
		kk_reply_error(r, kk_status_for(res), &err);
out:
	json_decref(body);
	kk_report_release(&rep);
	kk_error_release(&err);
}
