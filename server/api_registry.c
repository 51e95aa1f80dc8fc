/*
 * api_registry.c: searching the vendor registry over the API (issue 8,
 * capability 4; SPEC 2.5): GET /api/v1/products?q=&cpe=&limit= answers
 * {"results": [hit...], "total": N} with the hits of vendor_search.h, names
 * in the request's language first. docs/api/vendors.md ("Search").
 */
#include <jansson.h>

#include "handlers.h"
#include "keikai/vendor_search.h"

/* Reads ?limit= into *limit (0 when absent): 1..KK_REGISTRY_LIMIT_MAX. */
int api_registry_limit(struct kk_req *r, size_t *limit, struct kk_error *err)
{
	const char *s = kk_req_query(r, "limit");
	int64_t v;

	*limit = 0;
	if (!s)
		return 1;
	if (kk_parse_id(s, &v) != 0 || v > KK_REGISTRY_LIMIT_MAX) {
		kk_error_field(err, "limit", _("Give a whole number from 1 to %d."), KK_REGISTRY_LIMIT_MAX);
		return 0;
	}
	*limit = (size_t)v;
	return 1;
}

/* GET /api/v1/products: SPEC 2.5, the coordinator finds a vendor by a name
 * or a CPE name. */
void api_registry_search(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_registry_results res = { 0 };
	struct kk_registry_query q = { .text = kk_req_query(r, "q"), .cpe = kk_req_query(r, "cpe") };
	const char *lang = kk_lang_code(r->lang);
	enum kk_result rc = KK_OK;
	json_t *list, *body;

	if (!api_registry_limit(r, &q.limit, &err))
		rc = KK_EINVAL;
	if (rc == KK_OK)
		rc = kk_registry_search(r->store, &r->user, &q, &res, &err);
	if (rc != KK_OK) {
		kk_reply_error(r, rc == KK_EINVAL ? 400 : kk_status_for(rc), &err);
		goto out;
	}
	list = json_array();
	for (size_t i = 0; list && i < res.n; i++)
		if (json_array_append_new(list, kk_registry_hit_json(&res.hits[i], lang)) != 0) {
			json_decref(list);
			list = NULL;
		}
	body = list ? json_pack("{s:o, s:I}", "results", list, "total", (json_int_t)res.total) : NULL;
	if (!body) {
		kk_reply_errorf(r, 500, "%s", _("Out of memory."));
		goto out;
	}
	kk_reply_json(r, 200, body);
out:
	kk_registry_results_release(&res);
	kk_error_release(&err);
}
