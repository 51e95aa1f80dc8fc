/*
 * api_case_messages.c: the JSON API of a case's threads and messages and of
 * the finder's status (docs/api/cases.md, "Threads and messages" and "The
 * finder's status page"; SPEC 2.13). Staff and vendors reach a case by its
 * ref ("VU%23123456" in the path); the finder by the secret of its status
 * page, which is the only key it has. The core (case.h) decides who reads or
 * writes which thread; here the body is parsed and the answer written.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/case.h"

/* GET /api/v1/cases/{ref}/threads */
void api_case_threads(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_case_threads(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/messages {"thread", "body", "kind", "vendor_id",
 * "finder", "attachments"}: 201 with the message. */
void api_case_message_post(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body = api_load_body(r, JSON_ALLOW_NUL);
	enum kk_result res;

	if (!body)
		return;
	res = kk_case_message_post(r->store, &r->user, r->params[0], body, &out, &err);
	kk_reply_result(r, res, &err, 201, out);
	json_decref(body);
	kk_error_release(&err);
}

/* GET /api/v1/cases/{ref}/messages/{id}/attachments/{idx} */
void api_case_message_attachment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	char *filename = NULL, *type = NULL;
	void *data = NULL;
	size_t size = 0, idx;
	int64_t id = 0;
	enum kk_result res = KK_ENOTFOUND;

	if (kk_parse_id(r->params[1], &id) == 0 && http_parse_index(r->params[2], &idx) == 0)
		res = kk_case_message_attachment_get(r->store, &r->user, r->params[0], id, (int)idx, &data, &size,
						     &filename, &type, &err);
	if (res == KK_OK)
		kk_reply_bytes(r, 200, type, data, size, filename);
	else if (res == KK_ENOTFOUND && !err.msg[0])
		kk_reply_errorf(r, 404, "%s", _("There is no such attachment."));
	else
		kk_reply_error(r, kk_status_for(res), &err);
	free(data);
	free(filename);
	free(type);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/direct-contact {"consent": true} (the vendor) */
void api_case_direct_contact(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body = api_load_body(r, 0);
	enum kk_result res;

	if (!body)
		return;
	res = kk_case_direct_contact(r->store, &r->user, r->params[0], body, &out, &err);
	kk_reply_result(r, res, &err, 200, out);
	json_decref(body);
	kk_error_release(&err);
}

/* GET /api/v1/status/{secret}: where the finder's report stands, and its threads. */
void api_status_get(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_case_finder_view(r->store, r->params[0], &out, &err);

	kk_reply_header(r, "X-Robots-Tag", "noindex");
	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/status/{secret}/messages {"body", "question", "thread"}: 201. */
void api_status_message_post(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body = api_load_body(r, JSON_ALLOW_NUL);
	enum kk_result res;

	if (!body)
		return;
	res = kk_case_finder_post(r->store, r->params[0], body, &out, &err);
	kk_reply_result(r, res, &err, 201, out);
	json_decref(body);
	kk_error_release(&err);
}
