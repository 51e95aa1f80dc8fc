/*
 * api_advisories.c: advisories over the JSON API (docs/api/advisories.md;
 * issue 12, SPEC 6, 2.11). Through a case: the draft and its preview (staff
 * and the case's notified vendors), saving it, approving, withdrawing and
 * revising it (the coordinator), vendors' comments. For everyone: the
 * published advisories, newest first, and one by its public ID. The core
 * (advisory.h) decides who sees and does what; an advisory the caller may not
 * read -- any advisory not yet published, to the public -- is 404 exactly like
 * one that does not exist (SPEC 1).
 */
#include <jansson.h>

#include "keikai/advisory.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "handlers.h"
#include "http_internal.h"

/* GET /api/v1/cases/{ref}/advisory */
void api_case_advisory(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_advisory_get(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* PUT /api/v1/cases/{ref}/advisory: the draft's content (kk_advisory_check) */
void api_case_advisory_save(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;

	if (body) {
		enum kk_result res = kk_advisory_save(r->store, &r->user, r->params[0], body, &out, &err);

		kk_reply_result(r, res, &err, 200, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* An event of the advisory's flow with the request's body ({} when empty). */
static void event(struct kk_req *r, const char *name)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = !r->body.len ? json_object() : api_load_body(r, 0), *out = NULL;

	if (body) {
		enum kk_result res = kk_advisory_event(r->store, &r->user, r->params[0], name, body, &out, &err);

		kk_reply_result(r, res, &err, 200, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* POST /api/v1/cases/{ref}/advisory/approve {"note"} */
void api_case_advisory_approve(struct kk_req *r)
{
	event(r, "approve");
}

/* POST /api/v1/cases/{ref}/advisory/withdraw {"note"} */
void api_case_advisory_withdraw(struct kk_req *r)
{
	event(r, "withdraw");
}

/* POST /api/v1/cases/{ref}/advisory/revise: the content and "note_ja", "note_en" */
void api_case_advisory_revise(struct kk_req *r)
{
	event(r, "revise");
}

/* POST /api/v1/cases/{ref}/advisory/comments {"body"} (a notified vendor) */
void api_case_advisory_comment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;

	if (body) {
		enum kk_result res = kk_advisory_comment(r->store, &r->user, r->params[0], body, &out, &err);

		kk_reply_result(r, res, &err, 201, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* A page number or limit from the query: def when absent, -1 when it is not
 * a whole number of at most seven digits. */
static long long query_number(struct kk_req *r, const char *name, long long def)
{
	const char *s = kk_req_query(r, name);
	long long v = 0;

	if (kk_str_empty(s))
		return def;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || p - s >= 7)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* GET /api/v1/advisories?page=&limit=: the published advisories, newest first */
void api_advisory_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	long long limit = query_number(r, "limit", KK_ADVISORY_LIMIT_DEFAULT), page = query_number(r, "page", 1);
	json_t *out = NULL;
	int64_t total = 0;
	enum kk_result res = kk_advisory_public_list(r->store, (int)limit, page, &out, &total, &err);

	if (res == KK_OK) {
		int64_t pages = total > 0 ? (total + limit - 1) / limit : 1, prev = page - 1 < pages ? page - 1 : pages;
		const char *base = kk_req_printf(r, "/api/v1/advisories?limit=%lld&page=", limit);
		json_t *paging = base ? json_pack("{s:I, s:I, s:I, s:I, s:o, s:o}", "page", (json_int_t)page, "limit",
						  (json_int_t)limit, "total", (json_int_t)total, "pages", (json_int_t)pages,
						  "next",
						  page < pages ? json_sprintf("%s%lld", base, page + 1) : json_null(),
						  "prev", prev >= 1 ? json_sprintf("%s%lld", base, (long long)prev)
								    : json_null())
				      : NULL;

		if (!paging || json_object_set_new(out, "paging", paging)) {
			json_decref(out);
			out = NULL;
			res = kk_error_nomem(&err);
		}
	}
	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* GET /api/v1/advisories/{JVNVU12345678}: one published advisory, whole */
void api_advisory_get(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_advisory_public_get(r->store, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}
