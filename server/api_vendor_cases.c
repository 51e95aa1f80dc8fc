/*
 * api_vendor_cases.c: a vendor registers a vulnerability it found in its own
 * product, with the fix (docs/api/vendor-cases.md; issue 10, SPEC 2.14,
 * G IV.6). The core (keikai/vendor_found.h) checks the body and makes the case.
 */
#include <jansson.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/vendor_found.h"

/* POST /api/v1/vendor-cases {…}: 201 with the case as the vendor sees it. */
void api_vendor_case_register(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body = api_load_body(r, 0);
	enum kk_result res;

	if (!body)
		return;
	res = kk_case_register_own(r->store, &r->user, body, &out, &err);
	kk_reply_result(r, res, &err, 201, out);
	json_decref(body);
	kk_error_release(&err);
}
