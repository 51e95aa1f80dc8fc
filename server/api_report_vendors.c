/*
 * api_report_vendors.c: identifying the vendors of a report over the JSON API
 * (docs/api/vendors.md; issue 8, capability 5; SPEC 2.5, G IV.4.2): the
 * ranked candidates, the confirmed set, and the mapping of the affected
 * system's SBOM. The core (vendor_candidates.h) decides who may see which
 * report and refuses a report that is not an accepted product report (409).
 */
#include <jansson.h>

#include "keikai/i18n.h"
#include "keikai/vendor_candidates.h"
#include "handlers.h"
#include "http_internal.h"

/* GET /api/v1/reports/{tracking_id}/vendor-candidates */
void api_report_vendor_candidates(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_vendor_candidates(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* GET /api/v1/reports/{tracking_id}/vendors: the confirmed vendors. */
void api_report_vendors(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_report_vendors_get(r->store, &r->user, r->params[0], &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/reports/{tracking_id}/vendors {"vendors": [{"vendor_id", "basis"}]} */
void api_report_vendors_confirm(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;
	enum kk_result res;

	if (body) {
		res = kk_report_vendors_confirm(r->store, &r->user, r->params[0], body, &out, &err);
		kk_reply_result(r, res, &err, 200, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* POST /api/v1/reports/{tracking_id}/sbom: the body is the affected system's
 * SBOM; the answer maps its components (nothing is stored). */
void api_report_sbom(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, 0), *out = NULL;
	enum kk_result res;

	if (body) {
		res = kk_report_sbom_map(r->store, &r->user, r->params[0], body, &out, &err);
		kk_reply_result(r, res, &err, 200, out);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* DELETE /api/v1/reports/{tracking_id}/vendors/{vendor_id}: a confirmed vendor
 * taken off the report's list (SPEC 2.5); 200 with the vendors left. */
void api_report_vendor_remove(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t vendor = kk_req_param_id(r, 1, 1);
	json_t *out = NULL;
	enum kk_result res;

	if (!vendor)
		return;
	res = kk_report_vendors_remove(r->store, &r->user, r->params[0], vendor, &out, &err);
	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}
