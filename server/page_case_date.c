/*
 * page_case_date.c: the publication date page of a case (issue 10; SPEC 2.8,
 * 2.9, G IV.4.3-4.4): GET /cases/{ref}/date shows the date as its reader may
 * see it (kk_case_date_get), with the coordinator's forms (set or move the
 * date with its reason and factors, call publication off, resume it) or the
 * vendor's (agree, or ask for another date). Each form posts the JSON members
 * of docs/api/dates.md as fields; a refused form is shown again with what was
 * typed and each fault next to its field, in the reader's language; a done one
 * redirects back to the page (?saved=).
 */
#include <string.h>

#include "handlers.h"
#include "keikai/case.h"
#include "keikai/i18n.h"
#include "page.h"
#include "page_case.h"
#include "views.h"

/* What was just saved, for the notice at the top. */
static const char *saved_text(const char *what)
{
	static const struct {
		const char *key, *text;
	} notes[] = {
		{ "set", N_("The publication date has been set; every vendor, the receiving organisation and the finders are told.") },
		{ "answer", N_("Your answer has been sent to the coordinator.") },
		{ "call-off", N_("Publication has been called off; the vendors and the receiving organisation are told.") },
		{ "resume", N_("Publication has been resumed; set a new date.") },
	};

	for (size_t i = 0; what && i < sizeof(notes) / sizeof(notes[0]); i++)
		if (!strcmp(what, notes[i].key))
			return _(notes[i].text);
	return NULL;
}

/* Shows the date page of case r->params[0]; failed and err as page_case_render. */
static void render(struct kk_req *r, unsigned status, const char *saved, const char *failed,
		   const struct kk_error *failure)
{
	struct kk_error err = KK_ERROR_INIT;
	struct case_date_view v = { 0 };
	json_t *d = NULL;
	enum kk_result res = kk_case_date_get(r->store, &r->user, r->params[0], &d, &err);

	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	v.ref = r->params[0];
	v.ref_enc = page_case_ref_enc(r);
	if (!v.ref_enc || page_case_times(d) != 0) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.d = d;
	v.title = json_string_value(json_object_get(d, "title"));
	v.staff = json_object_get(d, "summary") != NULL;
	v.saved = failed ? NULL : saved_text(saved);
	if (failed && failure) {
		v.failed = failed;
		v.form = r->form;
		v.errors = failure->fields;
		v.error = kk_error_has_fields(failure) ? _("The change was not saved. Please correct the items marked below.")
						      : failure->msg;
	}
	res = page_begin(r, kk_req_printf(r, "%s %s", _("Publication date"), v.ref),
			 kk_req_printf(r, "/cases/%s/date", v.ref_enc));
	if (res == KK_OK)
		res = tmpl_case_date(&r->reply, r, &v);
	page_end(r, status, res);
out:
	json_decref(d);
	kk_error_release(&err);
}

/* GET /cases/{ref}/date */
void page_case_date(struct kk_req *r)
{
	render(r, 200, kk_req_query(r, "saved"), NULL, NULL);
}

typedef enum kk_result date_core_fn(struct kk_store *s, const struct kk_user *actor, const char *ref,
				    const json_t *body, json_t **out, struct kk_error *err);

/* Posts the form's fields to fn (NULL: the flow's event) for case
 * r->params[0]: back to the page when done, the form again when refused. */
static void post(struct kk_req *r, const struct case_field *fields, date_core_fn *fn, const char *event,
		 const char *form)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = page_case_form_body(r, fields), *factors, *out = NULL;
	enum kk_result res = body ? KK_OK : kk_error_nomem(&err);
	const char *enc = page_case_ref_enc(r);
	static const char *const factor_names[] = { "fix_time", "international", "leak_risk", NULL };

	/* the factors' fields factors.NAME are the member factors {NAME} */
	if (!res && fn == kk_case_date_set && (factors = json_object()) != NULL) {
		for (int i = 0; factor_names[i]; i++) {
			const char *t = json_string_value(json_object_get(r->form, kk_req_printf(r, "factors.%s",
												 factor_names[i])));

			if (t && *t)
				json_object_set_new(factors, factor_names[i], json_string(t));
		}
		if (json_object_size(factors))
			json_object_set(body, "factors", factors);
		json_decref(factors);
	}
	if (!res)
		res = fn ? fn(r->store, &r->user, r->params[0], body, &out, &err)
			 : kk_case_date_event(r->store, &r->user, r->params[0], event, body, &out, &err);
	if (!enc)
		page_error(r, 500, _("Out of memory."));
	else if (res == KK_OK)
		kk_reply_redirect(r, kk_req_printf(r, "/cases/%s/date?saved=%s", enc, form));
	else if (res == KK_EINVAL || res == KK_ECONFLICT || kk_error_has_fields(&err))
		render(r, kk_status_for(res), NULL, form, &err);
	else
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}

/* POST /cases/{ref}/date: set or move the one date (the coordinator) */
void page_case_date_set(struct kk_req *r)
{
	static const struct case_field fields[] = { { "date", CF_TEXT }, { "reason", CF_TEXT }, { NULL, 0 } };

	post(r, fields, kk_case_date_set, NULL, "set");
}

/* POST /cases/{ref}/date/answer: a vendor agrees or asks for another date */
void page_case_date_answer(struct kk_req *r)
{
	static const struct case_field fields[] = { { "answer", CF_TEXT }, { "date", CF_TEXT }, { "reason", CF_TEXT },
						    { NULL, 0 } };

	post(r, fields, kk_case_date_answer, NULL, "answer");
}

/* POST /cases/{ref}/date/call-off (SPEC 2.9) */
void page_case_date_call_off(struct kk_req *r)
{
	static const struct case_field fields[] = { { "reason", CF_TEXT }, { "note", CF_TEXT }, { NULL, 0 } };

	post(r, fields, NULL, "call_off", "call-off");
}

/* POST /cases/{ref}/date/resume */
void page_case_date_resume(struct kk_req *r)
{
	static const struct case_field fields[] = { { NULL, 0 } };

	post(r, fields, NULL, "resume", "resume");
}
