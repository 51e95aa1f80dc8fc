/*
 * public_list.c: the public vendor list (G IV.4.1; vendor_request.h): the
 * vendors that consented to be listed, each with its direct-report contact
 * where it accepts reports directly. Anyone may read it; the query is
 * store/vendor_requests.c's.
 */
#include "keikai/vendor_request.h"
#include "store/vendor_requests.h"

enum kk_result kk_vendor_public_list(struct kk_store *s, json_t **out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_tx_end(&tx, kk_vendor_requests_public_list(&tx, out, err), err);
	if (res) { /* the commit of the read failed */
		json_decref(*out);
		*out = NULL;
	}
	return res;
}
