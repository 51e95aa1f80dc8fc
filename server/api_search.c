/*
 * api_search.c: GET /api/v1/advisories/search (docs/api/search.md; issue 12
 * item 6, SPEC 6): the search of published advisories over the JSON API, for
 * everyone. The core (advisory_search.h) checks every parameter and answers;
 * this adds the addresses of the pages before and after.
 */
#include <jansson.h>

#include "handlers.h"
#include "keikai/advisory_search.h"
#include "keikai/i18n.h"
#include "search_front.h"

/* The address of page n of this search, or JSON null when n is 0. */
static json_t *page_url(struct kk_req *r, int64_t n)
{
	const char *qs = n ? search_query_string(r, n) : NULL;

	return qs ? json_sprintf("/api/v1/advisories/search?%s", qs) : json_null();
}

/* GET /api/v1/advisories/search?q=&vendor=&product=&cpe=&severity=&cwe=&from=&to=&sort=&page=&limit= */
void api_advisory_search(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_advisory_query q;
	json_t *out = NULL, *paging;
	int64_t total = 0;
	enum kk_result res;

	search_query_of(r, &q);
	res = kk_advisory_search(r->store, &q, &out, &total, &err);
	if (res == KK_OK) {
		int64_t page, pages;

		paging = json_object_get(out, "paging");
		page = json_integer_value(json_object_get(paging, "page"));
		pages = json_integer_value(json_object_get(paging, "pages"));
		if (json_object_set_new(paging, "next", page_url(r, page < pages ? page + 1 : 0)) ||
		    json_object_set_new(paging, "prev", page_url(r, page > 1 ? (page - 1 < pages ? page - 1 : pages) : 0)))
			res = kk_error_nomem(&err);
	}
	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}
