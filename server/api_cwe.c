/*
 * api_cwe.c: the CWE catalogue over the API (issue 3): one entry by id, with its
 * name in the requester's language. Public reference data: no login needed.
 */
#include <jansson.h>

#include "handlers.h"
#include "keikai/cwe.h"

/* GET /api/v1/cwe/{id}: "CWE-79" or "79". */
void api_cwe_get(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe c = { 0 };
	enum kk_result res;
	int id;

	res = kk_cwe_parse_id(r->params[0], &id, &err);
	if (res == KK_OK)
		res = kk_cwe_get(r->store, id, &c, &err);
	if (res == KK_OK)
		kk_reply_json(r, 200, kk_cwe_to_json(&c));
	else
		kk_reply_error(r, res == KK_EINVAL ? 400 : kk_status_for(res), &err);
	kk_cwe_release(&c);
	kk_error_release(&err);
}
