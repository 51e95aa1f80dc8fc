/*
 * page_provisions.c: the pages of priority provision and pre-notification
 * (issue 10; SPEC 1, 2.10, G IV.4.8, IV.4.9; docs/api/provisions.md "Pages"):
 * the recipients with their form, a recipient's inbox and staff's list of
 * provisions, one provision, a case's provisions and pre-notification
 * requests with the coordinator's forms, and a vendor's own requests with
 * the form to ask. The core (provision.h) decides who sees what; a refused
 * form is shown again with each fault next to its field.
 */
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/i18n.h"
#include "keikai/provision.h"
#include "page.h"
#include "page_case.h"

/* Renders with page_begin/page_end: title, then the template call. */
#define RENDER(r, status, title, call)                          \
	do {                                                    \
		enum kk_result res_ = page_begin(r, title, NULL); \
		if (res_ == KK_OK)                              \
			res_ = (call);                          \
		page_end(r, status, res_);                      \
	} while (0)

/* member `key` of a core answer, with its times made readable; NULL without memory */
static json_t *member_times(json_t *out, const char *key)
{
	json_t *m = json_object_get(out, key);

	return m && page_case_times(m) == 0 ? m : NULL;
}

/* The error page for a core call that failed with res (err). */
static void fail(struct kk_req *r, enum kk_result res, const struct kk_error *err)
{
	page_error(r, kk_status_for(res), err->msg[0] ? err->msg : NULL);
}

/* ---- recipients (G IV.4.8) ---- */

static const struct case_field recipient_fields[] = {
	{ "name_ja", CF_TEXT }, { "name_en", CF_TEXT }, { "kind", CF_TEXT }, { "conditions_accepted", CF_BOOL },
	{ "accepted_by", CF_TEXT }, { "note", CF_TEXT }, { NULL, 0 },
};

static void render_recipients(struct kk_req *r, unsigned status, const struct kk_error *failed)
{
	struct kk_error err = KK_ERROR_INIT;
	struct recipients_view v = { 0 };
	json_t *out = NULL;
	enum kk_result res = kk_recipient_list(r->store, &r->user, &out, &err);

	if (res) {
		fail(r, res, &err);
		goto out;
	}
	if (!(v.recipients = member_times(out, "recipients"))) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.cond_ja = kk_recipient_conditions_ja;
	v.cond_en = kk_recipient_conditions_en;
	v.n_cond = KK_RECIPIENT_CONDITIONS;
	v.saved = kk_req_query(r, "saved") != NULL;
	if (failed) {
		v.f.form = r->form;
		v.f.errors = failed->fields;
		v.f.error = failed->msg;
	}
	RENDER(r, status, _("Recipients of priority provision"), tmpl_recipients(&r->reply, r, &v));
out:
	json_decref(out);
	kk_error_release(&err);
}

void page_recipients(struct kk_req *r)
{
	render_recipients(r, 200, NULL);
}

void page_recipient_add(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = page_case_form_body(r, recipient_fields), *out = NULL;
	enum kk_result res = body ? kk_recipient_add(r->store, &r->user, body, &out, &err) : KK_ENOMEM;

	if (res == KK_OK)
		kk_reply_redirect(r, "/recipients?saved=1");
	else if (res == KK_EINVAL)
		render_recipients(r, 400, &err);
	else
		fail(r, res, &err);
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}

/* ---- provisions (SPEC 2.10) ---- */

void page_provisions(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct provisions_view v = { 0 };
	json_t *out = NULL;
	enum kk_result res = kk_provision_list(r->store, &r->user, NULL, &out, &err);

	if (res) {
		fail(r, res, &err);
	} else if (!(v.provisions = member_times(out, "provisions"))) {
		page_error(r, 500, _("Out of memory."));
	} else {
		v.staff = kk_may(&r->user, KK_ACT_PROVISION_READ, NULL);
		RENDER(r, 200, v.staff ? _("Priority provisions") : _("Information provided to you"),
		       tmpl_provisions(&r->reply, r, &v));
	}
	json_decref(out);
	kk_error_release(&err);
}

void page_provision_show(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct provision_view v = { 0 };
	json_t *out = NULL;
	int64_t id = 0;
	enum kk_result res;

	/* SPEC 1: a provision that is not the reader's is a missing one */
	if (kk_parse_id(r->params[0], &id) != 0)
		id = 0;
	res = kk_provision_get(r->store, &r->user, id, &out, &err);
	if (res) {
		fail(r, res, &err);
	} else if (page_case_times(out) != 0) {
		page_error(r, 500, _("Out of memory."));
	} else {
		v.p = out;
		v.staff = kk_may(&r->user, KK_ACT_PROVISION_READ, NULL);
		RENDER(r, 200, json_string_value(json_object_get(out, "title")), tmpl_provision(&r->reply, r, &v));
	}
	json_decref(out);
	kk_error_release(&err);
}

/* ---- a case's page (staff) ---- */

static const struct case_field give_fields[] = {
	{ "recipient_id", CF_INT }, { "title", CF_TEXT }, { "body", CF_TEXT }, { "consulted_intake", CF_BOOL },
	{ "consulted_vendor", CF_BOOL }, { "note", CF_TEXT }, { NULL, 0 },
};
static const struct case_field decide_fields[] = { { "decision", CF_TEXT }, { "note", CF_TEXT }, { NULL, 0 } };

/* The page with the give form refused (give) or the decision on request
 * failed_request refused, with err; both NULL / 0 for none. */
static void render_case(struct kk_req *r, unsigned status, const struct kk_error *give, int64_t failed_request,
			const struct kk_error *decide)
{
	struct kk_error err = KK_ERROR_INIT;
	struct case_provisions_view v = { 0 };
	json_t *prov = NULL, *req = NULL, *rec = NULL;
	const char *saved = kk_req_query(r, "saved");
	enum kk_result res = kk_provision_list(r->store, &r->user, r->params[0], &prov, &err);

	if (!res)
		res = kk_prenotify_list(r->store, &r->user, r->params[0], &req, &err);
	v.may_give = kk_may(&r->user, KK_ACT_PROVISION_GIVE, NULL);
	if (!res && v.may_give)
		res = kk_recipient_list(r->store, &r->user, &rec, &err);
	if (res) {
		fail(r, res, &err);
		goto out;
	}
	v.ref = r->params[0];
	v.ref_enc = page_case_ref_enc(r);
	v.provisions = member_times(prov, "provisions");
	v.requests = member_times(req, "requests");
	v.recipients = rec ? json_object_get(rec, "recipients") : NULL;
	if (!v.ref_enc || !v.provisions || !v.requests) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.may_decide = kk_may(&r->user, KK_ACT_CASE_PRENOTIFY_DECIDE, NULL);
	v.saved = saved && (!strcmp(saved, "given") || !strcmp(saved, "decided")) ? saved : NULL;
	if (give) {
		v.f.form = r->form;
		v.f.errors = give->fields;
		v.f.error = give->msg;
	}
	if (decide) {
		v.failed_request = failed_request;
		v.d.form = r->form;
		v.d.errors = decide->fields;
		v.d.error = decide->msg;
	}
	RENDER(r, status, _("Priority provision and pre-notification"), tmpl_case_provisions(&r->reply, r, &v));
out:
	json_decref(prov);
	json_decref(req);
	json_decref(rec);
	kk_error_release(&err);
}

void page_case_provisions(struct kk_req *r)
{
	render_case(r, 200, NULL, 0, NULL);
}

void page_case_provision_give(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = page_case_form_body(r, give_fields), *out = NULL;
	enum kk_result res = body ? kk_provision_give(r->store, &r->user, r->params[0], body, &out, &err) : KK_ENOMEM;
	const char *ref_enc = page_case_ref_enc(r);

	if (res == KK_OK && ref_enc)
		kk_reply_redirect(r, kk_req_printf(r, "/cases/%s/provisions?saved=given", ref_enc));
	else if (res == KK_EINVAL || res == KK_ECONFLICT)
		render_case(r, kk_status_for(res), &err, 0, NULL);
	else
		fail(r, res ? res : KK_ENOMEM, &err);
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}

void page_case_prenotify_decide(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = page_case_form_body(r, decide_fields), *out = NULL;
	int64_t id = 0;
	const char *ref_enc = page_case_ref_enc(r);
	enum kk_result res;

	if (kk_parse_id(r->params[1], &id) != 0)
		id = 0;
	res = body ? kk_prenotify_decide(r->store, &r->user, r->params[0], id, body, &out, &err) : KK_ENOMEM;
	if (res == KK_OK && ref_enc)
		kk_reply_redirect(r, kk_req_printf(r, "/cases/%s/provisions?saved=decided#prenotify-%lld", ref_enc,
						   (long long)id));
	else if (res == KK_EINVAL || res == KK_ECONFLICT)
		render_case(r, kk_status_for(res), NULL, id, &err);
	else
		fail(r, res ? res : KK_ENOMEM, &err);
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}

/* ---- a vendor's page (G IV.4.9) ---- */

static const struct case_field ask_fields[] = {
	{ "customers", CF_TEXT }, { "nda", CF_BOOL }, { "reason", CF_TEXT }, { NULL, 0 },
};

static void render_prenotify(struct kk_req *r, unsigned status, const struct kk_error *failed)
{
	struct kk_error err = KK_ERROR_INIT;
	struct prenotify_view v = { 0 };
	json_t *req = NULL;
	enum kk_result res = kk_prenotify_list(r->store, &r->user, r->params[0], &req, &err);

	if (res) {
		fail(r, res, &err);
		goto out;
	}
	v.ref = r->params[0];
	v.ref_enc = page_case_ref_enc(r);
	if (!v.ref_enc || !(v.requests = member_times(req, "requests"))) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.may_ask = json_is_true(json_object_get(req, "may_ask"));
	v.saved = kk_req_query(r, "saved") != NULL;
	if (failed) {
		v.f.form = r->form;
		v.f.errors = failed->fields;
		v.f.error = failed->msg;
	}
	RENDER(r, status, _("Notifying your customers before publication"), tmpl_prenotify(&r->reply, r, &v));
out:
	json_decref(req);
	kk_error_release(&err);
}

void page_case_prenotify(struct kk_req *r)
{
	render_prenotify(r, 200, NULL);
}

void page_case_prenotify_ask(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = page_case_form_body(r, ask_fields), *out = NULL;
	enum kk_result res = body ? kk_prenotify_ask(r->store, &r->user, r->params[0], body, &out, &err) : KK_ENOMEM;
	const char *ref_enc = page_case_ref_enc(r);

	if (res == KK_OK && ref_enc)
		kk_reply_redirect(r, kk_req_printf(r, "/cases/%s/prenotify?saved=1", ref_enc));
	else if (res == KK_EINVAL)
		render_prenotify(r, 400, &err);
	else
		fail(r, res ? res : KK_ENOMEM, &err);
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}
