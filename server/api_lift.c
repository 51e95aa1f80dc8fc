/*
 * api_lift.c: the JSON API of lifting the non-disclosure request
 * (docs/api/lift.md; issue 10, SPEC 2.12): the finder asks by its status
 * page's secret, staff list a case's requests and answer them. The core
 * (keikai/lift.h) decides who may and when; here the body is parsed and the
 * answer written.
 */
#include <jansson.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/lift.h"

/* POST /api/v1/status/{secret}/lift {"reason"}: 201 with the request. */
void api_status_lift(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body = api_load_body(r, 0);
	enum kk_result res;

	if (!body)
		return;
	res = kk_lift_ask(r->store, r->params[0], body, &out, &err);
	kk_reply_header(r, "X-Robots-Tag", "noindex");
	kk_reply_result(r, res, &err, 201, out);
	json_decref(body);
	kk_error_release(&err);
}

/* GET /api/v1/cases/{ref}/lift: {"open", "requests", "may_answer"}. */
void api_case_lift_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_lift_list(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/lift/{id} {"decision", "explanation"}: 200 with the request. */
void api_case_lift_answer(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body;
	int64_t id = 0;
	enum kk_result res;

	if (kk_parse_id(r->params[1], &id) != 0) {
		kk_reply_errorf(r, 404, _("There is no lift request %s in this case."), r->params[1]);
		return;
	}
	if (!(body = api_load_body(r, 0)))
		return;
	res = kk_lift_answer(r->store, &r->user, r->params[0], id, body, &out, &err);
	kk_reply_result(r, res, &err, 200, out);
	json_decref(body);
	kk_error_release(&err);
}
