/*
 * page_vendor_case.c: a vendor registers a vulnerability it found in its own
 * product, with the fix (issue 10, SPEC 2.14, G IV.6): the form
 * (/cases/register) posts the JSON members of docs/api/vendor-cases.md; the
 * core (keikai/vendor_found.h) checks them and makes the case, and the
 * vendor lands on it. A refused form is shown again with what was typed and
 * each fault next to its field.
 */
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/i18n.h"
#include "keikai/vendor_found.h"
#include "page.h"
#include "page_case.h"

static void render(struct kk_req *r, unsigned status, const struct kk_error *failure)
{
	struct vendor_case_new_view v = { 0 };
	enum kk_result res;

	if (failure) {
		v.form = r->form;
		v.errors = failure->fields;
		v.error = kk_error_has_fields(failure) ? _("The vulnerability could not be registered. Please correct it.")
						       : failure->msg;
	}
	res = page_begin(r, _("Register a vulnerability you found in your product"), NULL);
	if (res == KK_OK)
		res = tmpl_vendor_case_new(&r->reply, r, &v);
	page_end(r, status, res);
}

/* GET /cases/register */
void page_vendor_case_new(struct kk_req *r)
{
	render(r, 200, NULL);
}

/* POST /cases/register */
void page_vendor_case_register(struct kk_req *r)
{
	static const struct case_field fields[] = {
		{ "title", CF_TEXT | CF_KEEP_EMPTY }, { "summary", CF_TEXT | CF_KEEP_EMPTY },
		{ "detail", CF_TEXT | CF_KEEP_EMPTY }, { "product_id", CF_INT },
		{ "product_name", CF_TEXT },           { "cwe", CF_TEXT },
		{ "cvss3", CF_TEXT },                  { "fixed_versions", CF_LIST },
		{ "urls", CF_WORDS },                  { "workaround_ja", CF_TEXT },
		{ "workaround_en", CF_TEXT },          { "date", CF_TEXT },
		{ "reason", CF_TEXT },                 { NULL, 0 },
	};
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = page_case_form_body(r, fields), *out = NULL;
	enum kk_result res = body ? kk_case_register_own(r->store, &r->user, body, &out, &err) : kk_error_nomem(&err);

	if (res == KK_OK)
		kk_reply_redirect(r, kk_req_printf(r, "/cases/%s",
						   page_urlenc(r, json_string_value(json_object_get(out, "id")))));
	else if (res == KK_EINVAL || res == KK_ECONFLICT)
		render(r, kk_status_for(res), &err);
	else
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}
