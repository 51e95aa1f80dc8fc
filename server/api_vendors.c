/*
 * api_vendors.c: the JSON API of the vendor registry (docs/api/vendors.md;
 * issue 8, SPEC 2.5, G IV.4.2): vendors, their contacts and their products.
 *
 * The front (http.c) has already checked the route's role, the Content-Type,
 * the body's size cap and the CSRF token of cookie callers. These handlers
 * parse ids and the JSON, call the core (vendor.h) and turn its result into a
 * status: who may see or change which vendor is the core's to decide (a
 * vendor user only its own; another vendor is 404, as a missing one), and
 * every fault of a body comes back as 400 {"error", "fields"}.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "keikai/vendor_search.h"
#include "handlers.h"
#include "http_internal.h"

/* The {} of the path at index i as an id; 0 (after a 404) when it is none. */
static int64_t path_id(struct kk_req *r, int i)
{
	return kk_req_param_id(r, i, 1);
}

static const char *lang_of(struct kk_req *r)
{
	return kk_lang_code(r->lang);
}

/* ?limit= and ?page= into *page; 0 after a 400 reply. */
static int page_query(struct kk_req *r, struct kk_vendor_page *page)
{
	struct kk_error err = KK_ERROR_INIT;
	const char *limit = kk_req_query(r, "limit"), *which = kk_req_query(r, "page");
	int64_t n;

	page->page = 1;
	page->limit = KK_VENDOR_PAGE_DEFAULT;
	if (!kk_str_empty(limit)) {
		if (kk_parse_id(limit, &n) != 0 || n > KK_VENDOR_PAGE_MAX)
			kk_error_field(&err, "limit", _("Must be a whole number from 1 to %d."), KK_VENDOR_PAGE_MAX);
		else
			page->limit = (size_t)n;
	}
	if (!kk_str_empty(which)) {
		if (kk_parse_id(which, &n) != 0 || n > 1000000)
			kk_error_field(&err, "page", _("Must be a whole number from 1 to %d."), 1000000);
		else
			page->page = (size_t)n;
	}
	if (err.code != KK_OK) {
		kk_reply_error(r, 400, &err);
		kk_error_release(&err);
		return 0;
	}
	return 1;
}

static json_t *paging_json(const struct kk_vendor_page *page, int64_t total)
{
	int64_t pages = total > 0 ? (total + (int64_t)page->limit - 1) / (int64_t)page->limit : 1;

	return json_pack("{s:I, s:I, s:I, s:I}", "page", (json_int_t)page->page, "limit", (json_int_t)page->limit,
			 "total", (json_int_t)total, "pages", (json_int_t)pages);
}

/* GET /api/v1/vendors?q=: a search of vendors by name or CPE (vendor_search.h). */
static void search_vendors(struct kk_req *r, const char *q, const struct kk_vendor_page *page)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_registry_query query = { q, NULL, 1, page->limit };
	struct kk_registry_results found = { 0 };
	json_t *list = json_array();
	enum kk_result res = list ? kk_registry_search(r->store, &r->user, &query, &found, &err)
			     : kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));

	for (size_t i = 0; res == KK_OK && i < found.n; i++)
		if (json_array_append_new(list, kk_registry_hit_json(&found.hits[i], lang_of(r))))
			res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	kk_reply_result(r, res, &err, 200,
			json_pack("{s:O, s:o}", "vendors", list, "paging",
				  paging_json(&(struct kk_vendor_page){ 1, page->limit }, (int64_t)found.total)));
	json_decref(list);
	kk_registry_results_release(&found);
	kk_error_release(&err);
}

/* GET /api/v1/vendors[?q=&limit=&page=]: the vendors the viewer may read, by
 * name (a vendor user: its own), or with q those a search finds. */
void api_vendor_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_page page;
	struct kk_vendor_list found = { 0 };
	const char *q = kk_req_query(r, "q");
	json_t *list = NULL;
	enum kk_result res;

	if (!page_query(r, &page))
		return;
	if (q) {
		search_vendors(r, q, &page);
		return;
	}
	res = kk_vendor_list(r->store, &r->user, &page, &found, &err);
	if (res == KK_OK && !(list = json_array()))
		res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	for (size_t i = 0; res == KK_OK && i < found.n; i++)
		if (json_array_append_new(list, kk_vendor_to_json(&found.items[i], lang_of(r))))
			res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	kk_reply_result(r, res, &err, 200,
			json_pack("{s:O, s:o}", "vendors", list, "paging", paging_json(&page, found.total)));
	json_decref(list);
	kk_vendor_list_release(&found);
	kk_error_release(&err);
}

/* Replies with vendor id as the viewer may read it, with its history. */
static void reply_vendor(struct kk_req *r, unsigned status, int64_t id)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor v;
	json_t *answer = NULL, *history = NULL;
	enum kk_result res = kk_vendor_get(r->store, &r->user, id, &v, &err);

	if (res == KK_OK)
		res = kk_vendor_history(r->store, &r->user, id, &history, &err);
	if (res == KK_OK && !(answer = kk_vendor_to_json(&v, lang_of(r))))
		res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	/* set_new takes history, also when it fails */
	if (res == KK_OK && json_object_set_new(answer, "history", history))
		res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	else if (res != KK_OK)
		json_decref(history);
	if (res == KK_OK) {
		if (status == 201)
			kk_reply_header(r, "Location", kk_req_printf(r, "/api/v1/vendors/%lld", (long long)id));
		kk_reply_json(r, status, answer);
		answer = NULL;
	} else {
		kk_reply_error(r, kk_status_for(res), &err);
	}
	json_decref(answer);
	kk_vendor_release(&v);
	kk_error_release(&err);
}

/* POST /api/v1/vendors: G IV.4.2, a coordinator registers a vendor on the spot. */
void api_vendor_add(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = api_load_body(r, JSON_ALLOW_NUL);
	int64_t id = 0;
	enum kk_result res;

	if (!body)
		return;
	res = kk_vendor_add(r->store, &r->user, body, &id, &err);
	if (res == KK_OK)
		reply_vendor(r, 201, id);
	else
		kk_reply_error(r, kk_status_for(res), &err);
	json_decref(body);
	kk_error_release(&err);
}

/* GET /api/v1/vendors/{id}: the record with contacts, aliases, product count
 * and audit history. */
void api_vendor_get(struct kk_req *r)
{
	int64_t id = path_id(r, 0);

	if (id)
		reply_vendor(r, 200, id);
}

/* PATCH /api/v1/vendors/{id}: the members given change, the others stay. */
void api_vendor_update(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = path_id(r, 0);
	json_t *body;
	enum kk_result res;

	if (!id || !(body = api_load_body(r, JSON_ALLOW_NUL)))
		return;
	res = kk_vendor_update(r->store, &r->user, id, body, &err);
	if (res == KK_OK)
		reply_vendor(r, 200, id);
	else
		kk_reply_error(r, kk_status_for(res), &err);
	json_decref(body);
	kk_error_release(&err);
}

/* Replies with contact cid of vendor id (status 200 or 201). */
static void reply_contact(struct kk_req *r, unsigned status, int64_t id, int64_t cid)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor v;
	enum kk_result res = kk_vendor_get(r->store, &r->user, id, &v, &err);
	size_t i = 0;

	while (res == KK_OK && i < v.n_contacts && v.contacts[i].id != cid)
		i++;
	if (res == KK_OK && i == v.n_contacts)
		res = kk_error_set(&err, KK_ENOTFOUND, "%s", _("Not found."));
	if (res == KK_OK) {
		if (status == 201)
			kk_reply_header(r, "Location",
					kk_req_printf(r, "/api/v1/vendors/%lld/contacts/%lld", (long long)id, (long long)cid));
		kk_reply_json(r, status, kk_vendor_contact_to_json(&v.contacts[i]));
	} else {
		kk_reply_error(r, kk_status_for(res), &err);
	}
	kk_vendor_release(&v);
	kk_error_release(&err);
}

/* GET /api/v1/vendors/{id}/contacts: every contact, valid and primary first. */
void api_vendor_contacts(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor v;
	int64_t id = path_id(r, 0);
	json_t *list = NULL;
	enum kk_result res;

	if (!id)
		return;
	res = kk_vendor_get(r->store, &r->user, id, &v, &err);
	if (res == KK_OK && !(list = json_array()))
		res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	for (size_t i = 0; res == KK_OK && i < v.n_contacts; i++)
		if (json_array_append_new(list, kk_vendor_contact_to_json(&v.contacts[i])))
			res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	kk_reply_result(r, res, &err, 200, json_pack("{s:O}", "contacts", list));
	json_decref(list);
	kk_vendor_release(&v);
	kk_error_release(&err);
}

/* POST /api/v1/vendors/{id}/contacts: audited as contact.add. */
void api_vendor_contact_add(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = path_id(r, 0), cid = 0;
	json_t *body;
	enum kk_result res;

	if (!id || !(body = api_load_body(r, JSON_ALLOW_NUL)))
		return;
	res = kk_vendor_contact_add(r->store, &r->user, id, body, &cid, &err);
	if (res == KK_OK)
		reply_contact(r, 201, id, cid);
	else
		kk_reply_error(r, kk_status_for(res), &err);
	json_decref(body);
	kk_error_release(&err);
}

/* PATCH /api/v1/vendors/{id}/contacts/{cid}: change or invalidate
 * ("is_valid": false); audited as contact.update. */
void api_vendor_contact_update(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = path_id(r, 0), cid = id ? path_id(r, 1) : 0;
	json_t *body;
	enum kk_result res;

	if (!cid || !(body = api_load_body(r, JSON_ALLOW_NUL)))
		return;
	res = kk_vendor_contact_update(r->store, &r->user, id, cid, body, &err);
	if (res == KK_OK)
		reply_contact(r, 200, id, cid);
	else
		kk_reply_error(r, kk_status_for(res), &err);
	json_decref(body);
	kk_error_release(&err);
}

/* DELETE /api/v1/vendors/{id}/contacts/{cid}: audited as contact.remove
 * with what was removed. */
void api_vendor_contact_remove(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = path_id(r, 0), cid = id ? path_id(r, 1) : 0;
	enum kk_result res;

	if (!cid)
		return;
	res = kk_vendor_contact_remove(r->store, &r->user, id, cid, &err);
	kk_reply_result(r, res, &err, 200, json_pack("{s:I, s:b}", "id", (json_int_t)cid, "removed", 1));
	kk_error_release(&err);
}

/* GET /api/v1/vendors/{id}/products[?limit=&page=]: by name. */
void api_vendor_products(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_page page;
	struct kk_product_list found = { 0 };
	int64_t id = path_id(r, 0);
	json_t *list = NULL;
	enum kk_result res;

	if (!id || !page_query(r, &page))
		return;
	res = kk_product_list(r->store, &r->user, id, &page, &found, &err);
	if (res == KK_OK && !(list = json_array()))
		res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	for (size_t i = 0; res == KK_OK && i < found.n; i++)
		if (json_array_append_new(list, kk_product_to_json(&found.items[i], lang_of(r))))
			res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	kk_reply_result(r, res, &err, 200,
			json_pack("{s:O, s:o}", "products", list, "paging", paging_json(&page, found.total)));
	json_decref(list);
	kk_product_list_release(&found);
	kk_error_release(&err);
}

static void reply_product(struct kk_req *r, unsigned status, int64_t id, int64_t pid)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_product p;
	enum kk_result res = kk_product_get(r->store, &r->user, id, pid, &p, &err);

	if (res == KK_OK) {
		if (status == 201)
			kk_reply_header(r, "Location",
					kk_req_printf(r, "/api/v1/vendors/%lld/products/%lld", (long long)id, (long long)pid));
		kk_reply_json(r, status, kk_product_to_json(&p, lang_of(r)));
	} else {
		kk_reply_error(r, kk_status_for(res), &err);
	}
	kk_product_release(&p);
	kk_error_release(&err);
}

/* POST /api/v1/vendors/{id}/products */
void api_vendor_product_add(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = path_id(r, 0), pid = 0;
	json_t *body;
	enum kk_result res;

	if (!id || !(body = api_load_body(r, JSON_ALLOW_NUL)))
		return;
	res = kk_product_add(r->store, &r->user, id, body, &pid, &err);
	if (res == KK_OK)
		reply_product(r, 201, id, pid);
	else
		kk_reply_error(r, kk_status_for(res), &err);
	json_decref(body);
	kk_error_release(&err);
}

/* GET /api/v1/vendors/{id}/products/{pid} */
void api_vendor_product_get(struct kk_req *r)
{
	int64_t id = path_id(r, 0), pid = id ? path_id(r, 1) : 0;

	if (pid)
		reply_product(r, 200, id, pid);
}

/* PATCH /api/v1/vendors/{id}/products/{pid} */
void api_vendor_product_update(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = path_id(r, 0), pid = id ? path_id(r, 1) : 0;
	json_t *body;
	enum kk_result res;

	if (!pid || !(body = api_load_body(r, JSON_ALLOW_NUL)))
		return;
	res = kk_product_update(r->store, &r->user, id, pid, body, &err);
	if (res == KK_OK)
		reply_product(r, 200, id, pid);
	else
		kk_reply_error(r, kk_status_for(res), &err);
	json_decref(body);
	kk_error_release(&err);
}
