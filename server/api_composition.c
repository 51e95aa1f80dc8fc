/*
 * api_composition.c: the JSON API of products' composition (docs/api/vendors.md;
 * issue 8; SPEC 2.5 OSS downstream, SPEC 5 last sentence): a vendor's SBOM
 * upload, a product's components and distributors, and "who embeds X".
 *
 * The front (http.c) has already checked the route's role, the Content-Type,
 * the body's size cap and the CSRF token of cookie callers. These handlers
 * parse ids, query and body, call the core (composition.h, sbom_map.h) and
 * turn its result into a status; the core decides who may see or change which
 * vendor's product (another vendor's is 404, as a missing one).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/composition.h"
#include "keikai/i18n.h"
#include "keikai/sbom_map.h"
#include "keikai/util.h"
#include "handlers.h"
#include "http_internal.h"

/* The {} of the path at index i as an id; 0 (after a 404) when it is none. */
static int64_t path_id(struct kk_req *r, int i)
{
	return kk_req_param_id(r, i, 1);
}

/* POST /api/v1/vendors/{id}/sbom?product=PID: the body is the SBOM (CycloneDX
 * 1.4-1.6 or SPDX 2.3 JSON); 201 with the mapping (SPEC 5). */
void api_vendor_sbom_upload(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t vendor = path_id(r, 0), product;
	json_t *doc = NULL, *out = NULL;
	enum kk_result res;

	if (!vendor)
		return;
	if (kk_parse_id(kk_req_query(r, "product"), &product) != 0) {
		kk_error_field(&err, "product", "%s", _("Give the product's id: ?product=ID."));
		kk_reply_error(r, 400, &err);
		goto out;
	}
	doc = api_load_body(r, 0);
	if (!doc)
		goto out;
	res = kk_sbom_upload(r->store, &r->user, vendor, product, doc, &out, &err);
	kk_reply_result(r, res, &err, 201, out);
out:
	json_decref(doc);
	kk_error_release(&err);
}

/* A product's list as the core reads it for viewer (composition.h). */
typedef enum kk_result list_fn(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
			       int64_t product_id, json_t **out, struct kk_error *err);

/* After res (the change made, or KK_OK for a read): replies status ok with
 * {key: the list get reads} (first "id": id, when not 0), or the error. */
static void reply_list(struct kk_req *r, enum kk_result res, int64_t vendor, int64_t product, list_fn *get,
		       const char *key, int64_t id, unsigned ok, struct kk_error *err)
{
	json_t *list = NULL;

	if (res == KK_OK)
		res = get(r->store, &r->user, vendor, product, &list, err);
	if (res == KK_OK)
		kk_reply_result(r, res, err, ok,
				id ? json_pack("{s:I, s:o}", "id", (json_int_t)id, key, list) : json_pack("{s:o}", key, list));
	else
		kk_reply_result(r, res, err, ok, NULL);
}

/* GET of the list of the product the path names (/vendors/{id}/products/{pid}/...). */
static void product_list(struct kk_req *r, list_fn *get, const char *key)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t vendor = path_id(r, 0), product = vendor ? path_id(r, 1) : 0;

	if (product)
		reply_list(r, KK_OK, vendor, product, get, key, 0, 200, &err);
	kk_error_release(&err);
}

/* GET /api/v1/vendors/{id}/products/{pid}/components */
void api_product_components(struct kk_req *r)
{
	product_list(r, kk_components_get, "components");
}

/* The vendor and product the path names and the request's JSON body, for a
 * POST to a product's list; NULL once the error is replied (404, 400). */
static json_t *product_body(struct kk_req *r, int64_t *vendor, int64_t *product)
{
	*vendor = path_id(r, 0);
	*product = *vendor ? path_id(r, 1) : 0;
	return *product ? api_load_body(r, 0) : NULL;
}

/* POST /api/v1/vendors/{id}/products/{pid}/components: a component by hand. */
void api_product_component_add(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_component_input in;
	int64_t vendor, product, id = 0;
	json_t *body = product_body(r, &vendor, &product);
	enum kk_result res;

	if (!body)
		return;
	res = kk_component_from_json(body, &in, &err);
	if (res == KK_OK)
		res = kk_component_add(r->store, &r->user, vendor, product, &in, &id, &err);
	reply_list(r, res, vendor, product, kk_components_get, "components", id, 201, &err);
	json_decref(body);
	kk_error_release(&err);
}

/* DELETE /api/v1/vendors/{id}/products/{pid}/components/{cid} */
void api_product_component_delete(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t vendor = path_id(r, 0), product = vendor ? path_id(r, 1) : 0, cid = product ? path_id(r, 2) : 0;
	enum kk_result res;

	if (!cid)
		return;
	res = kk_component_delete(r->store, &r->user, vendor, product, cid, &err);
	kk_reply_result(r, res, &err, 200, res ? NULL : json_object());
	kk_error_release(&err);
}

/* GET /api/v1/vendors/{id}/products/{pid}/distributors */
void api_product_distributors(struct kk_req *r)
{
	product_list(r, kk_distributors_get, "distributors");
}

/* POST /api/v1/vendors/{id}/products/{pid}/distributors {"vendor_id": N}:
 * SPEC 2.5, the vendors that ship the product (OEM). */
void api_product_distributor_add(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t vendor, product;
	json_t *body = product_body(r, &vendor, &product), *v;
	enum kk_result res;

	if (!body)
		return;
	v = json_object_get(body, "vendor_id");
	if (!json_is_object(body) || !json_is_integer(v) || json_integer_value(v) < 1 || json_object_size(body) != 1) {
		kk_error_field(&err, "vendor_id", "%s", _("Must be a vendor id (a whole number from 1)."));
		kk_reply_error(r, 400, &err);
		goto out;
	}
	res = kk_distributor_add(r->store, &r->user, vendor, product, json_integer_value(v), &err);
	reply_list(r, res, vendor, product, kk_distributors_get, "distributors", 0, 201, &err);
out:
	json_decref(body);
	kk_error_release(&err);
}

/* GET /api/v1/components/embedded-in?purl=|cpe=|product=|name=[&version=]: SPEC
 * 2.5, every registered product that embeds it, through chains of products. */
void api_components_embedded_in(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_embed_query q = { 0 };
	const char *product = kk_req_query(r, "product");
	json_t *list = NULL;
	enum kk_result res;

	q.purl = kk_str_empty(kk_req_query(r, "purl")) ? NULL : kk_req_query(r, "purl");
	q.cpe = kk_str_empty(kk_req_query(r, "cpe")) ? NULL : kk_req_query(r, "cpe");
	q.version = kk_str_empty(kk_req_query(r, "version")) ? NULL : kk_req_query(r, "version");
	q.name = kk_str_empty(kk_req_query(r, "name")) ? NULL : kk_req_query(r, "name");
	if (!kk_str_empty(product) && kk_parse_id(product, &q.product_id) != 0) {
		kk_error_field(&err, "product", "%s", _("Must be a product id (a whole number from 1)."));
		kk_reply_error(r, 400, &err);
		goto out;
	}
	res = kk_embedded_in(r->store, &r->user, &q, &list, &err);
	kk_reply_result(r, res, &err, 200, res ? NULL : json_pack("{s:o}", "products", list));
out:
	kk_error_release(&err);
}
