/*
 * page_vendor_requests.c: the vendor registry's public pages and the
 * coordinators' list of registration requests (G IV.4.1, IV.4.2; SPEC 2.5):
 * the public vendor list, the registration form with its thank-you page, and
 * the requests with their approve and reject forms. The core
 * (vendor_request.h) validates and decides; a refused form is shown again
 * with each message next to its field, in the reader's language.
 */
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/i18n.h"
#include "keikai/vendor_request.h"
#include "page.h"

/* The form's fields as the core's JSON body: every field but csrf. NULL
 * without memory. */
static json_t *form_body(struct kk_req *r, const char *const *names, size_t n)
{
	json_t *body = json_object();

	for (size_t i = 0; body && i < n; i++) {
		const char *v = kk_req_field(r, names[i]);

		if (v && json_object_set_new(body, names[i], json_string(v)) != 0) {
			json_decref(body);
			body = NULL;
		}
	}
	return body;
}

/* The rows of a page's table, one of size bytes for each element of list,
 * which a core call that returned res (err) loaded: *rows gets them (NULL
 * for none), *n how many. -1 with the error page sent when the call failed
 * or there is no memory. */
static int table_rows(struct kk_req *r, enum kk_result res, const struct kk_error *err, const json_t *list,
		      size_t size, void **rows, size_t *n)
{
	if (res) {
		page_error(r, kk_status_for(res), err->msg[0] ? err->msg : NULL);
		return -1;
	}
	*n = json_array_size(list);
	if (*n && !(*rows = kk_req_alloc(r, *n * size))) {
		page_error(r, 500, _("Out of memory."));
		return -1;
	}
	return 0;
}

/* ---- G IV.4.1: the public vendor list ---- */

void page_vendors_public(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct vendor_public_view v = { 0 };
	struct vendor_public_row *rows;
	json_t *list = NULL, *item;
	size_t i;
	void *mem = NULL;
	enum kk_result res = kk_vendor_public_list(r->store, &list, &err);

	if (table_rows(r, res, &err, list, sizeof(*rows), &mem, &v.n_rows) != 0)
		goto out;
	rows = mem;
	json_array_foreach (list, i, item) {
		const char *ja = json_string_value(json_object_get(item, "name_ja"));
		const char *en = json_string_value(json_object_get(item, "name_en"));
		int want_ja = r->lang == KK_LANG_JA;

		/* the name in the reader's language first, the other beside it */
		rows[i].name = want_ja ? (ja ? ja : en) : (en ? en : ja);
		rows[i].other_name = ja && en ? (want_ja ? en : ja) : NULL;
		rows[i].country = json_string_value(json_object_get(item, "country"));
		rows[i].website = json_string_value(json_object_get(item, "website"));
		rows[i].direct = json_is_true(json_object_get(item, "accepts_direct_reports"));
		rows[i].intake_email = json_string_value(json_object_get(item, "intake_email"));
		rows[i].policy_url = json_string_value(json_object_get(item, "policy_url"));
	}
	v.rows = rows;
	res = page_begin(r, _("Vendor list"), NULL);
	if (res == KK_OK)
		res = tmpl_vendor_public(&r->reply, r, &v);
	page_end(r, 200, res);
out:
	json_decref(list); /* the rows point into it until the page is made */
	kk_error_release(&err);
}

/* ---- G IV.4.2: the registration form ---- */

static const char *const register_fields[] = { "name_ja", "name_en", "country", "website", "contact_email",
					       "department", "lang", "note" };

static void render_register(struct kk_req *r, unsigned status, const struct vendor_register_view *v)
{
	enum kk_result res = page_begin(r, _("Ask to be registered as a vendor"), NULL);

	if (res == KK_OK)
		res = tmpl_vendor_register(&r->reply, r, v);
	page_end(r, status, res);
}

void page_vendor_register(struct kk_req *r)
{
	struct vendor_register_view v = { 0 };

	render_register(r, 200, &v);
}

void page_vendor_register_submit(struct kk_req *r)
{
	struct kk_submit_opts opts = { kk_req_source(r), kk_req_report_limit(r), NULL, 0 };
	struct vendor_register_view v = { 0 };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_request vr = { 0 };
	json_t *body = form_body(r, register_fields, sizeof(register_fields) / sizeof(register_fields[0]));
	enum kk_result res;

	if (!body) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	res = kk_vendor_request_from_json(body, &vr, &err);
	if (res == KK_EINVAL) {
		v.form = r->form;
		v.errors = err.fields;
		v.error = _("The request could not be sent. Please correct the items marked below.");
		render_register(r, 400, &v);
		goto out;
	}
	if (res == KK_OK)
		res = kk_vendor_request_submit(r->store, &vr, &opts, &err);
	if (res == KK_ETHROTTLED)
		kk_reply_header(r, "Retry-After", kk_req_printf(r, "%lld", (long long)opts.retry_after));
	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	kk_reply_redirect(r, "/vendors/register/thanks");
out:
	json_decref(body);
	kk_vendor_request_release(&vr);
	kk_error_release(&err);
}

void page_vendor_register_thanks(struct kk_req *r)
{
	enum kk_result res = page_begin(r, _("Thank you: your request has been sent"), NULL);

	if (res == KK_OK)
		res = tmpl_vendor_register_thanks(&r->reply, r);
	page_end(r, 200, res);
}

/* ---- the coordinators' list ---- */

/* What the list shows of one request (strings in the request's pool). */
static int fill_row(struct kk_req *r, const json_t *j, struct vendor_request_row *row)
{
	enum kk_vendor_request_status st = KK_VREQ_PENDING;
	static const char *const names[] = { "name_ja", "name_en", "country", "website", "contact_email",
					     "department", "lang", "note", "reason" };
	const char **slots[] = { &row->name_ja, &row->name_en, &row->country, &row->website, &row->contact_email,
				 &row->department, &row->lang, &row->note, &row->reason };

	memset(row, 0, sizeof(*row));
	row->id = (long long)json_integer_value(json_object_get(j, "id"));
	kk_vendor_request_status_parse(json_string_value(json_object_get(j, "status")), &st);
	row->status_name = kk_vendor_request_status_name(st);
	row->status_label = kk_vendor_request_status_label(st);
	row->pending = st == KK_VREQ_PENDING;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *s = json_string_value(json_object_get(j, names[i]));

		if (s && !(*slots[i] = kk_req_strdup(r, s)))
			return -1;
	}
	row->vendor_id = (long long)json_integer_value(json_object_get(j, "vendor_id"));
	page_when_iso(json_string_value(json_object_get(j, "created_at")), &row->created);
	page_when_iso(json_string_value(json_object_get(j, "decided_at")), &row->decided);
	return 0;
}

/* The list, filtered by ?status=; the decision on request failed_id (0: none)
 * failed with err. */
static void render_requests(struct kk_req *r, unsigned status, int64_t failed_id, const struct kk_error *failed)
{
	struct kk_error err = KK_ERROR_INIT;
	struct vendor_requests_view v = { 0 };
	struct vendor_request_row *rows;
	void *mem = NULL;
	const char *want = kk_req_query(r, "status");
	enum kk_vendor_request_status st;
	json_t *list = NULL, *item;
	size_t i;
	enum kk_result res;

	if (!kk_str_empty(want) && kk_vendor_request_status_parse(want, &st) != 0) {
		page_error(r, 400, _("There is no such status."));
		return;
	}
	v.filter = kk_str_empty(want) ? NULL : want;
	res = kk_vendor_request_list(r->store, &r->user, v.filter ? (int)st : -1, 500, &list, &err);
	if (table_rows(r, res, &err, list, sizeof(*rows), &mem, &v.n_rows) != 0)
		goto out;
	rows = mem;
	json_array_foreach (list, i, item) {
		if (fill_row(r, item, &rows[i]) != 0) {
			page_error(r, 500, _("Out of memory."));
			goto out;
		}
		if (failed && rows[i].id == failed_id)
			rows[i].errors = failed->fields;
	}
	v.rows = rows;
	v.error = failed ? failed->msg : NULL;
	res = page_begin(r, _("Vendor registration requests"), NULL);
	if (res == KK_OK)
		res = tmpl_vendor_requests(&r->reply, r, &v);
	page_end(r, status, res);
out:
	json_decref(list);
	kk_error_release(&err);
}

void page_vendor_requests(struct kk_req *r)
{
	render_requests(r, 200, 0, NULL);
}

void page_vendor_request_decide(struct kk_req *r)
{
	static const char *const fields[] = { "decision", "reason" };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_request_decision d;
	json_t *body = NULL;
	int64_t id = 0;
	int approve;
	enum kk_result res;

	if (kk_parse_id(r->params[0], &id) != 0) {
		page_error(r, 404, _("There is no such vendor request."));
		return;
	}
	/* the one form has both buttons: a reason typed before "approve" is not the approval's */
	approve = kk_req_field(r, "decision") && !strcmp(kk_req_field(r, "decision"), "approve");
	body = form_body(r, fields, approve ? 1 : 2);
	if (!body) {
		page_error(r, 500, _("Out of memory."));
		return;
	}
	res = kk_vendor_request_decision_from_json(body, &d, &err);
	if (res == KK_OK)
		res = kk_vendor_request_decide(r->store, &r->user, id, &d, NULL, &err);
	if (res == KK_OK)
		kk_reply_redirect(r, kk_req_printf(r, "/vendors/requests#request-%lld", (long long)id));
	else if (res == KK_EINVAL || res == KK_ECONFLICT)
		render_requests(r, kk_status_for(res), id, &err);
	else
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
	json_decref(body);
	kk_error_release(&err);
}
