/*
 * api_provisions.c: priority provision and pre-notification over the JSON API
 * (docs/api/provisions.md; issue 10, SPEC 2.10, G IV.3(1)12, IV.4.8, IV.4.9):
 * the recipients, the provisions (a recipient reads only its own), and a
 * vendor's requests to pre-notify its customers with the coordinator's
 * decisions. The core (provision.h) decides who may do what; what the caller
 * may not read is 404 like what does not exist (SPEC 1).
 */
#include <jansson.h>

#include "keikai/provision.h"
#include "handlers.h"
#include "http_internal.h"

/* GET /api/v1/recipients (recipient.manage) */
void api_recipient_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_recipient_list(r->store, &r->user, &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/recipients {"name_ja", "name_en", "kind", "conditions_accepted",
 * "accepted_by", "accepted_at", "note"} -> 201: G IV.4.8 */
void api_recipient_add(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;

	if (body) {
		enum kk_result res = kk_recipient_add(r->store, &r->user, body, &out, &err);

		kk_reply_result(r, res, &err, 201, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* GET /api/v1/provisions: staff every one, a recipient its own (SPEC 2.10) */
void api_provision_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_provision_list(r->store, &r->user, NULL, &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* GET /api/v1/provisions/{id}: 404 for one the caller may not read (SPEC 1) */
void api_provision_get(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	int64_t id = kk_req_param_id(r, 0, 1);

	if (id) {
		enum kk_result res = kk_provision_get(r->store, &r->user, id, &out, &err);

		kk_reply_result(r, res, &err, 200, out);
	}
	kk_error_release(&err);
}

/* GET /api/v1/cases/{ref}/provisions */
void api_case_provisions(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_provision_list(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/provisions {"recipient_id", "title", "body",
 * "consulted_intake", "consulted_vendor", "note"} -> 201: SPEC 2.10 */
void api_case_provision_give(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;

	if (body) {
		enum kk_result res = kk_provision_give(r->store, &r->user, r->params[0], body, &out, &err);

		kk_reply_result(r, res, &err, 201, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* GET /api/v1/cases/{ref}/prenotify: staff every request, a vendor its own */
void api_case_prenotify_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_prenotify_list(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/prenotify {"customers", "nda": true, "reason"} -> 201: G IV.4.9 */
void api_case_prenotify_ask(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;

	if (body) {
		enum kk_result res = kk_prenotify_ask(r->store, &r->user, r->params[0], body, &out, &err);

		kk_reply_result(r, res, &err, 201, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/prenotify/{id} {"decision": "consent" | "refuse", "note"}: G IV.4.9 */
void api_case_prenotify_decide(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = NULL, *out = NULL;
	int64_t id = kk_req_param_id(r, 1, 1);

	if (id && (body = api_load_body(r, 0))) {
		enum kk_result res = kk_prenotify_decide(r->store, &r->user, r->params[0], id, body, &out, &err);

		kk_reply_result(r, res, &err, 200, out);
	}
	json_decref(body);
	kk_error_release(&err);
}
