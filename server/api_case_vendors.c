/*
 * api_case_vendors.c: the vendors' side of a case over the JSON API
 * (docs/api/cases.md "Notification, answers and statuses"; SPEC 2.6, 2.7,
 * R §5.1.2, G IV.5): notifying vendors, a vendor's answer to the summary, its
 * status per vulnerability, countermeasures, its statement, suggestions of
 * other vendors, and the attachments passed on with the detail. The core
 * (case.h) decides who may do what on which case; a case the caller may not
 * read is 404 like one that does not exist (SPEC 1).
 */
#include <jansson.h>
#include <stdlib.h>

#include "keikai/case.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "handlers.h"
#include "http_internal.h"

typedef enum kk_result case_change_fn(struct kk_store *s, const struct kk_user *actor, const char *ref,
				      const json_t *body, json_t **out, struct kk_error *err);

/* A change of the case named by the path, from the JSON body, answered with
 * status ok and what the core returns. */
static void case_change(struct kk_req *r, case_change_fn *fn, unsigned ok)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;
	enum kk_result res;

	if (body) {
		res = fn(r->store, &r->user, r->params[0], body, &out, &err);
		kk_reply_result(r, res, &err, ok, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/notify {"vendor_ids": [17, 18]}: SPEC 2.6, the summary notice. */
void api_case_notify(struct kk_req *r)
{
	case_change(r, kk_case_notify, 200);
}

/* POST /api/v1/cases/{ref}/answer {"answer": "send_detail" | "not_applicable", "reason"}: R §5.1.2 */
void api_case_answer(struct kk_req *r)
{
	case_change(r, kk_case_answer, 200);
}

/* POST /api/v1/cases/{ref}/status {"vulnerability", "status", "note", "fixed_versions", "vendor_id"}: SPEC 2.7 */
void api_case_status(struct kk_req *r)
{
	case_change(r, kk_case_status_set, 200);
}

/* POST /api/v1/cases/{ref}/countermeasures: SPEC 2.7, kept current */
void api_case_countermeasure(struct kk_req *r)
{
	case_change(r, kk_case_countermeasure_put, 200);
}

/* POST /api/v1/cases/{ref}/statement {"ja", "en", "vendor_id"}: SPEC 2.11 */
void api_case_statement(struct kk_req *r)
{
	case_change(r, kk_case_statement_put, 200);
}

/* POST /api/v1/cases/{ref}/suggestions {"vendor_id" | "name", "note"} -> 201: G IV.5.2 */
void api_case_suggest(struct kk_req *r)
{
	case_change(r, kk_case_suggest, 201);
}

/* GET /api/v1/cases/{ref}/suggestions */
void api_case_suggestions(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_case_suggestions(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* GET /api/v1/cases/{ref}/attachments/{id}: R §5.1.2, a file passed on with
 * the detail; every download is audited. */
void api_case_attachment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	char *filename = NULL, *content_type = NULL;
	void *data = NULL;
	size_t size = 0;
	int64_t id = kk_req_param_id(r, 1, 1);
	enum kk_result res;

	if (!id)
		return;
	res = kk_case_attachment_get(r->store, &r->user, r->params[0], id, &data, &size, &filename, &content_type,
				     &err);
	if (res == KK_OK)
		kk_reply_bytes(r, 200, content_type, data, size, filename);
	else
		kk_reply_error(r, kk_status_for(res), &err);
	free(data);
	free(filename);
	free(content_type);
	kk_error_release(&err);
}
