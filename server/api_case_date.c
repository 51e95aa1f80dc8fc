/*
 * api_case_date.c: a case's publication date over the JSON API
 * (docs/api/dates.md; issue 10, SPEC 2.8, 2.9): read it, set or move it (the
 * coordinator), answer it (a vendor), call publication off and resume it. The
 * core (case.h) decides who sees and does what; a case the caller may not
 * read is 404 like one that does not exist (SPEC 1).
 */
#include <jansson.h>

#include "keikai/case.h"
#include "handlers.h"
#include "http_internal.h"

typedef enum kk_result date_change_fn(struct kk_store *s, const struct kk_user *actor, const char *ref,
				      const json_t *body, json_t **out, struct kk_error *err);

/* Runs a change with the request's JSON body (an empty body is {} for the
 * flow's events) and replies with the date as the caller now sees it. */
static void change(struct kk_req *r, date_change_fn *fn, const char *event)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = event && !r->body.len ? json_object() : api_load_body(r, 0), *out = NULL;
	enum kk_result res;

	if (body) {
		res = fn ? fn(r->store, &r->user, r->params[0], body, &out, &err)
			 : kk_case_date_event(r->store, &r->user, r->params[0], event, body, &out, &err);
		kk_reply_result(r, res, &err, 200, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* GET /api/v1/cases/{ref}/date */
void api_case_date(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_case_date_get(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/date {"date", "reason", "factors"} (SPEC 2.8) */
void api_case_date_set(struct kk_req *r)
{
	change(r, kk_case_date_set, NULL);
}

/* POST /api/v1/cases/{ref}/date/answer {"answer": "agree" | "other", "date", "reason"} */
void api_case_date_answer(struct kk_req *r)
{
	change(r, kk_case_date_answer, NULL);
}

/* POST /api/v1/cases/{ref}/date/call-off {"reason": "a".."e", "note"} (SPEC 2.9) */
void api_case_date_call_off(struct kk_req *r)
{
	change(r, NULL, "call_off");
}

/* POST /api/v1/cases/{ref}/date/resume {"note"} */
void api_case_date_resume(struct kk_req *r)
{
	change(r, NULL, "resume");
}
