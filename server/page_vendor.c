/*
 * page_vendor.c: a vendor's record as pages (SPEC 2.5, G IV.4.2): the record
 * (profile, aliases, contacts with their primary and valid marks, products
 * with CPE name, type, versions and end of support, and the audit history),
 * with the forms of those who may change it (vendor.write): the profile, a
 * contact added, changed or marked no longer valid, a product added or
 * changed; a vendor user's own vendor (/vendor); and a coordinator's
 * registration of a vendor on the spot (/vendors/new).
 *
 * The core (vendor.h) decides who sees and changes what: a vendor user opening
 * another vendor gets the 404 of a missing one. Forms post the JSON members of
 * docs/api/vendors.md as fields; a refused form is shown again, open, with
 * what was typed and each fault next to its field, in the reader's language;
 * a saved one redirects back to the record (?saved=).
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/authz.h"
#include "keikai/i18n.h"
#include "keikai/vendor.h"
#include "page.h"

/* ---- forms to the core's JSON ---- */

/* The text fields names[] of the form into a new object (an absent field is
 * left out; "" clears a member), then the checkboxes bools[] as true/false
 * (an unchecked box is not sent). NULL without memory. */
static json_t *form_json(struct kk_req *r, const char *const *names, const char *const *bools)
{
	json_t *body = json_object();

	for (size_t i = 0; body && names && names[i]; i++) {
		const char *v = kk_req_field(r, names[i]);

		if (v && json_object_set_new(body, names[i], json_string(v)) != 0)
			goto fail;
	}
	for (size_t i = 0; body && bools && bools[i]; i++) {
		const char *v = kk_req_field(r, bools[i]);

		if (json_object_set_new(body, bools[i], json_boolean(v && (!strcmp(v, "1") || !strcmp(v, "on")))) != 0)
			goto fail;
	}
	return body;
fail:
	json_decref(body);
	return NULL;
}

/* The aliases field, one a line, as a JSON array of the non-blank lines. */
static json_t *aliases_json(const char *text)
{
	json_t *list = json_array();

	while (list && text && *text) {
		size_t n = strcspn(text, "\r\n"), b = 0, e = n;

		while (b < e && (text[b] == ' ' || text[b] == '\t'))
			b++;
		while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t'))
			e--;
		if (e > b && json_array_append_new(list, json_stringn(text + b, e - b)) != 0) {
			json_decref(list);
			return NULL;
		}
		text += n;
		while (*text == '\r' || *text == '\n')
			text++;
	}
	return list;
}

/* The id in path segment i, or 0 when it is not one (then the page is a 404). */
static int64_t param_id(struct kk_req *r, int i)
{
	return kk_req_param_id(r, i, 0);
}

/* ---- the record ---- */

/* The history rows of the vendor's audit trail, newest first. */
static int fill_history(struct kk_req *r, const json_t *trail, struct vendor_record_view *v)
{
	size_t n = json_array_size(trail);
	struct vendor_history_row *rows = n ? kk_req_alloc(r, n * sizeof(*rows)) : NULL;

	if (n && !rows)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const json_t *h = json_array_get(trail, n - 1 - i);
		const json_t *detail = json_object_get(h, "detail");
		char *text = NULL;

		memset(&rows[i], 0, sizeof(rows[i]));
		page_when_iso(json_string_value(json_object_get(h, "at")), &rows[i].at);
		rows[i].actor = json_string_value(json_object_get(h, "actor"));
		rows[i].action = json_string_value(json_object_get(h, "action"));
		if (detail && !json_is_null(detail)) {
			text = kk_json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
			rows[i].detail = text ? kk_req_strdup(r, text) : NULL;
			free(text);
			if (!rows[i].detail)
				return -1;
		}
	}
	v->history = rows;
	v->n_history = n;
	return 0;
}

/* Shows vendor id; failed (NULL: none) is the form refused with err. */
static void render_record(struct kk_req *r, unsigned status, int64_t id, const char *failed, const json_t *form,
			  const struct kk_error *failure)
{
	struct kk_error err = KK_ERROR_INIT;
	struct vendor_record_view v = { 0 };
	struct kk_vendor vendor = { 0 };
	struct kk_product_list products = { 0 };
	struct kk_vendor_page all = { 1, KK_VENDOR_PAGE_MAX };
	const char *lang = kk_lang_code(r->lang), *saved = kk_req_query(r, "saved");
	json_t *vj = NULL, *pj = json_array(), *trail = NULL;
	struct kk_buf aliases;
	enum kk_result res;

	kk_buf_init(&aliases, 64 * 1024);
	res = id ? kk_vendor_get(r->store, &r->user, id, &vendor, &err)
		 : kk_error_set(&err, KK_ENOTFOUND, "%s", _("There is no such vendor."));
	if (!res)
		res = kk_product_list(r->store, &r->user, id, &all, &products, &err);
	if (!res)
		res = kk_vendor_history(r->store, &r->user, id, &trail, &err);
	if (res) {
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such vendor.") : err.msg);
		goto out;
	}
	vj = kk_vendor_to_json(&vendor, lang);
	for (size_t i = 0; pj && i < products.n; i++)
		if (json_array_append_new(pj, kk_product_to_json(&products.items[i], lang)) != 0) {
			json_decref(pj);
			pj = NULL;
		}
	for (size_t i = 0; i < vendor.n_aliases; i++)
		kk_buf_addf(&aliases, "%s%s", i ? "\n" : "", vendor.aliases[i]);
	v.aliases = kk_req_strdup(r, aliases.data ? aliases.data : "");
	if (!vj || !pj || !v.aliases || kk_buf_result(&aliases) || fill_history(r, trail, &v) != 0) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.vendor = vj;
	v.products = pj;
	v.may_write = kk_may(&r->user, KK_ACT_VENDOR_WRITE, &(struct kk_object){ .vendor_id = id });
	if (!failed && saved)
		v.saved = !strcmp(saved, "profile")   ? _("The profile has been saved.")
			  : !strcmp(saved, "contact") ? _("The contact has been saved.")
			  : !strcmp(saved, "product") ? _("The product has been saved.")
						      : NULL;
	if (failed) {
		v.failed = failed;
		v.form = form;
		v.errors = failure->fields;
		v.error = kk_error_has_fields(failure) ? _("The change was not saved. Please correct the items marked below.")
						       : failure->msg;
	}
	res = page_begin(r, json_string_value(json_object_get(vj, "name")), NULL);
	if (res == KK_OK)
		res = tmpl_vendor_record(&r->reply, r, &v);
	page_end(r, status, res);
out:
	kk_buf_release(&aliases);
	json_decref(vj);
	json_decref(pj);
	json_decref(trail);
	kk_product_list_release(&products);
	kk_vendor_release(&vendor);
	kk_error_release(&err);
}

/* GET /vendors/{id} */
void page_vendor_show(struct kk_req *r)
{
	render_record(r, 200, param_id(r, 0), NULL, NULL, NULL);
}

/* GET /vendor: a vendor user's own vendor; nothing for a user without one. */
void page_vendor_own(struct kk_req *r)
{
	if (r->user.role == KK_ROLE_VENDOR && r->user.vendor_id > 0)
		kk_reply_redirect(r, kk_req_printf(r, "/vendors/%lld", (long long)r->user.vendor_id));
	else
		page_error(r, 404, _("Your account belongs to no vendor."));
}

/* The end of a change posted by a form: back to the record when saved, the
 * record with the form open and its faults when refused, an error page else. */
static void after_change(struct kk_req *r, int64_t id, enum kk_result res, const char *saved, const char *failed,
			 const struct kk_error *err)
{
	if (res == KK_OK)
		kk_reply_redirect(r, kk_req_printf(r, "/vendors/%lld?saved=%s#%s", (long long)id, saved,
						   !strcmp(saved, "profile") ? "sec-profile"
						   : !strcmp(saved, "contact") ? "sec-contacts"
									       : "sec-products"));
	else if (res == KK_EINVAL || res == KK_ECONFLICT || res == KK_EEXISTS)
		render_record(r, kk_status_for(res), id, failed, r->form, err);
	else
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such vendor.") : err->msg);
}

static const char *const profile_texts[] = { "name_ja", "name_en", "country", "website", "registration_type",
					     "intake_email", "policy_url", "pgp_key", "preferred_lang", NULL };
static const char *const profile_bools[] = { "listed_publicly", "accepts_direct_reports", NULL };
static const char *const contact_texts[] = { "channel", "value", "department", NULL };
static const char *const contact_bools[] = { "is_primary", "is_valid", NULL };
static const char *const product_texts[] = { "name_ja", "name_en", "cpe", "product_type", "versions", NULL };
static const char *const product_bools[] = { "end_of_support", NULL };

/* POST /vendors/{id}/profile */
void page_vendor_profile(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = param_id(r, 0);
	json_t *patch = form_json(r, profile_texts, profile_bools);
	json_t *aliases = aliases_json(kk_req_field(r, "aliases"));
	enum kk_result res;

	if (!patch || !aliases || json_object_set(patch, "aliases", aliases) != 0)
		res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	else
		res = id ? kk_vendor_update(r->store, &r->user, id, patch, &err) : KK_ENOTFOUND;
	after_change(r, id, res, "profile", "profile", &err);
	json_decref(aliases);
	json_decref(patch);
	kk_error_release(&err);
}

/* A contact or a product of a vendor (what: "contact", "product"): the
 * fields of its form and the core's calls that add and change one. */
struct item_kind {
	const char *what;
	const char *const *texts, *const *bools;
	enum kk_result (*add)(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id, const json_t *body,
			      int64_t *id_out, struct kk_error *err);
	enum kk_result (*change)(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id, int64_t item_id,
				 const json_t *patch, struct kk_error *err);
};

static const struct item_kind contact_kind = { "contact", contact_texts, contact_bools, kk_vendor_contact_add,
					       kk_vendor_contact_update };
static const struct item_kind product_kind = { "product", product_texts, product_bools, kk_product_add,
					       kk_product_update };

/* POST /vendors/{id}/contacts, /vendors/{id}/products: a new one */
static void item_add(struct kk_req *r, const struct item_kind *k)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = param_id(r, 0);
	json_t *body = form_json(r, k->texts, k->bools);
	const char *failed = kk_req_printf(r, "%s-new", k->what);
	enum kk_result res = !body || !failed ? kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."))
			     : id		 ? k->add(r->store, &r->user, id, body, NULL, &err)
						 : KK_ENOTFOUND;

	after_change(r, id, res, k->what, failed, &err);
	json_decref(body);
	kk_error_release(&err);
}

/* POST /vendors/{id}/contacts/{contact}, /vendors/{id}/products/{product}: a
 * change (of a contact, also to mark it no longer valid; every change is
 * audited by the core) */
static void item_change(struct kk_req *r, const struct item_kind *k)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = param_id(r, 0), item = param_id(r, 1);
	json_t *patch = form_json(r, k->texts, k->bools);
	const char *failed = kk_req_printf(r, "%s-%lld", k->what, (long long)item);
	enum kk_result res = !patch || !failed ? kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."))
			     : id && item      ? k->change(r->store, &r->user, id, item, patch, &err)
						: KK_ENOTFOUND;

	after_change(r, id, res, k->what, failed, &err);
	json_decref(patch);
	kk_error_release(&err);
}

void page_vendor_contact_add(struct kk_req *r)
{
	item_add(r, &contact_kind);
}

void page_vendor_contact_change(struct kk_req *r)
{
	item_change(r, &contact_kind);
}

void page_vendor_product_add(struct kk_req *r)
{
	item_add(r, &product_kind);
}

void page_vendor_product_change(struct kk_req *r)
{
	item_change(r, &product_kind);
}

/* ---- G IV.4.2: a coordinator registers a vendor on the spot ---- */

static void render_new(struct kk_req *r, unsigned status, const struct vendor_new_view *v)
{
	enum kk_result res = page_begin(r, _("Register a vendor"), NULL);

	if (res == KK_OK)
		res = tmpl_vendor_new(&r->reply, r, v);
	page_end(r, status, res);
}

/* GET /vendors/new */
void page_vendor_new(struct kk_req *r)
{
	struct vendor_new_view v = { 0 };

	render_new(r, 200, &v);
}

/* The core's field paths of the one contact the form gives, as the form's
 * field names. A new object, or NULL without memory. */
static json_t *form_errors(const json_t *fields)
{
	json_t *out = json_object();
	const char *path;
	json_t *msg;

	json_object_foreach ((json_t *)fields, path, msg) {
		const char *name = !strcmp(path, "contacts[0].value")	     ? "contact_value"
				   : !strcmp(path, "contacts[0].department") ? "contact_department"
									     : path;

		if (out && !json_object_get(out, name) && json_object_set(out, name, msg) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

/* POST /vendors/new */
void page_vendor_create(struct kk_req *r)
{
	static const char *const texts[] = { "name_ja", "name_en", "country", "website", "preferred_lang", NULL };
	struct kk_error err = KK_ERROR_INIT;
	struct vendor_new_view v = { 0 };
	json_t *body = form_json(r, texts, NULL), *errors = NULL;
	const char *email = kk_req_field(r, "contact_value"), *dept = kk_req_field(r, "contact_department");
	int64_t id = 0;
	enum kk_result res = KK_OK;

	/* the contact e-mail, when given, is the vendor's primary contact */
	if (body && !kk_str_empty(email)) {
		json_t *c = json_pack("[{s:s, s:s, s:s?, s:b, s:b}]", "channel", "email", "value", email, "department",
				      kk_str_empty(dept) ? NULL : dept, "is_primary", 1, "is_valid", 1);

		if (!c || json_object_set_new(body, "contacts", c) != 0)
			res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	}
	if (!body)
		res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	if (!res)
		res = kk_vendor_add(r->store, &r->user, body, &id, &err);
	if (res == KK_OK) {
		kk_reply_redirect(r, kk_req_printf(r, "/vendors/%lld", (long long)id));
	} else if (res == KK_EINVAL) {
		errors = form_errors(err.fields);
		v.form = r->form;
		v.errors = errors;
		v.error = _("The vendor was not registered. Please correct the items marked below.");
		render_new(r, 400, &v);
	} else {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
	}
	json_decref(errors);
	json_decref(body);
	kk_error_release(&err);
}
