/*
 * page_report.c: the finder's side of the site: the home page, the choice of
 * report, the report forms for software products and web sites (SPEC 2.1, 3.1)
 * and the status page a finder follows a report on (SPEC 2.13): the stage of
 * the case it joined and the finder's thread with the staff (case.h).
 *
 * The form's field names are the JSON paths of docs/api/reports.md. A submitted
 * form is turned into exactly the JSON body the API takes and validated by the
 * same core call, so a finder sees the same messages whichever way they report;
 * each message is shown next to the field the core names (report_form.c, which
 * intake's completion of a report by mail shares). Nothing here decides what
 * is valid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/case.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "page.h"
#include "report_form.h"

/* ---- home and choice ------------------------------------------------------ */

void page_home(struct kk_req *r)
{
	enum kk_result res = page_begin(r, _("Report a vulnerability"), NULL);

	if (res == KK_OK)
		res = tmpl_home(&r->reply, r);
	page_end(r, 200, res);
}

void page_report_choose(struct kk_req *r)
{
	enum kk_result res = page_begin(r, _("What did you find a vulnerability in?"), NULL);

	if (res == KK_OK)
		res = tmpl_report_choose(&r->reply, r);
	page_end(r, 200, res);
}

/* ---- the form ---------------------------------------------------------------- */

void page_report_form(struct kk_req *r)
{
	struct report_form_view v = { 0 };

	if (report_form_kind(r->params[0], &v.kind) != 0) {
		page_error(r, 404, _("There is no such report form."));
		return;
	}
	v.action = v.kind == KK_REPORT_PRODUCT ? "/report/product" : "/report/website";
	report_form_render(r, 200, &v);
}

/* SPEC 2.1, 3.1: a report arrives through the form. */
void page_report_submit(struct kk_req *r)
{
	struct kk_submit_opts opts = { kk_req_source(r), kk_req_report_limit(r), NULL, 0 };
	struct report_form_view v = { 0 };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report report = { 0 };
	char secret[KK_TOKEN_MAX];
	enum kk_result res;
	json_t *body = NULL;

	if (report_form_kind(r->params[0], &v.kind) != 0) {
		page_error(r, 404, _("There is no such report form."));
		return;
	}
	v.action = v.kind == KK_REPORT_PRODUCT ? "/report/product" : "/report/website";
	body = report_form_to_json(r, v.kind, 0);
	if (!body) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	res = kk_report_from_body(r->store, body, &report, &err);
	if (res == KK_EINVAL) {
		v.form = r->form;
		v.errors = err.fields;
		v.error_title = _("The report could not be sent. Please correct these items:");
		if (report_form_problems(r, &err, &v) != 0) {
			page_error(r, 500, _("Out of memory."));
			goto out;
		}
		report_form_render(r, 400, &v);
		goto out;
	}
	if (res == KK_OK)
		res = kk_report_submit_with(r->store, &report, &opts, secret, &err);
	if (res == KK_ETHROTTLED) /* issue 7: too many reports from this address */
		kk_reply_header(r, "Retry-After", kk_req_printf(r, "%lld", (long long)opts.retry_after));
	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	kk_reply_redirect(r, kk_req_printf(r, "/r/%s", secret));
out:
	json_decref(body);
	kk_report_release(&report);
	kk_error_release(&err);
}

/* ---- the finder's status page ----------------------------------------------- */

/* Each message of the finder's threads gets "created_at_iso" and
 * "created_at_text", the time in the reader's zone. -1 when out of memory. */
static int status_times(json_t *fv)
{
	json_t *direct = json_object_get(fv, "direct");

	for (int d = -1; d < (int)json_array_size(direct); d++) {
		json_t *msgs = d < 0 ? json_object_get(fv, "thread")
				     : json_object_get(json_array_get(direct, (size_t)d), "messages");

		for (size_t i = 0; i < json_array_size(msgs); i++) {
			json_t *m = json_array_get(msgs, i);
			struct page_when w;

			page_when(json_integer_value(json_object_get(m, "created_at")), &w);
			if (json_object_set_new(m, "created_at_iso", json_string(w.iso)) ||
			    json_object_set_new(m, "created_at_text", json_string(w.text)))
				return -1;
		}
	}
	return 0;
}

/* SPEC 2.13, G IV.2.7: progress for the finder, by the secret address only:
 * the report's state, the stage of its case and the finder's threads, with
 * the message form (as typed, with its faults, after a failed post). */
static void render_status(struct kk_req *r, unsigned status, const json_t *form, const json_t *errors,
			  const char *error, const char *form_id)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report report = { 0 };
	struct report_status_view v = { 0 };
	json_t *fv = NULL;
	enum kk_result res;

	res = kk_report_by_secret(r->store, r->params[0], &report, &err);
	if (res == KK_ENOTFOUND) {
		if (r->wants_json)
			kk_reply_errorf(r, 404, "%s", _("No report has this address."));
		else
			page_error(r, 404, _("No report has this address."));
		goto out;
	}
	if (res == KK_OK && !r->wants_json)
		res = kk_case_finder_view(r->store, r->params[0], &fv, &err);
	if (res == KK_OK && fv && status_times(fv) != 0)
		res = kk_error_nomem(&err);
	if (res != KK_OK) {
		if (r->wants_json)
			kk_reply_error(r, kk_status_for(res), &err);
		else
			page_error(r, kk_status_for(res), err.msg);
		goto out;
	}
	kk_reply_header(r, "X-Robots-Tag", "noindex");
	if (r->wants_json) {
		kk_reply_json(r, 200, kk_report_status_json(&report));
		goto out;
	}
	v.tracking_id = report.tracking_id;
	page_report_state(&report, &v.state);
	v.note = report.decision_note;
	v.finder = fv;
	v.secret = r->params[0];
	v.form = form;
	v.errors = errors;
	v.error = error;
	v.form_id = form_id;
	res = page_begin(r, _("Your report"), NULL);
	if (res == KK_OK)
		res = tmpl_report_status(&r->reply, r, &v);
	page_end(r, status, res);
out:
	json_decref(fv);
	kk_report_release(&report);
	kk_error_release(&err);
}

void page_report_status(struct kk_req *r)
{
	render_status(r, 200, NULL, NULL, NULL, NULL);
}

/* SPEC 2.13, G IV.2.7: the finder writes to the staff (or, where both
 * consented, to a vendor) from the status page, or asks for progress. The
 * form becomes the API's body ({"body", "question", "thread"}). */
void page_report_message(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	const char *text = kk_req_field(r, "body"), *question = kk_req_field(r, "question");
	const char *thread = kk_req_field(r, "thread");
	const char *form_id = "form-message";
	json_t *body = json_pack("{s:s, s:b}", "body", text ? text : "", "question",
				 question && strcmp(question, "yes") == 0);
	json_t *out = NULL;
	int64_t tid = 0;
	enum kk_result res;

	if (!body) {
		page_error(r, 500, _("Out of memory."));
		return;
	}
	if (!kk_str_empty(thread)) {
		/* a thread that is no number names none of the finder's threads: the core says so */
		if (kk_parse_id(thread, &tid) != 0)
			tid = INT64_MAX;
		form_id = kk_req_printf(r, "form-thread-%lld", (long long)tid);
		if (json_object_set_new(body, "thread", json_integer(tid))) {
			json_decref(body);
			page_error(r, 500, _("Out of memory."));
			return;
		}
	}
	res = kk_case_finder_post(r->store, r->params[0], body, &out, &err);
	if (res == KK_OK)
		kk_reply_redirect(r, kk_req_printf(r, "/r/%s#message-%lld", r->params[0],
						   (long long)json_integer_value(json_object_get(out, "id"))));
	else if (res == KK_EINVAL)
		render_status(r, 400, r->form, err.fields,
			      kk_error_has_fields(&err) ? _("The message could not be sent. Please correct it.") : err.msg,
			      form_id);
	else if (res == KK_ECONFLICT)
		render_status(r, 409, r->form, NULL, err.msg, form_id);
	else
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}

/* A file of a message in one of the finder's threads. */
void page_report_message_attachment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	char *filename = NULL, *type = NULL;
	void *data = NULL;
	size_t size = 0, idx;
	int64_t id = 0;
	enum kk_result res = KK_ENOTFOUND;

	if (kk_parse_id(r->params[1], &id) == 0 && http_parse_index(r->params[2], &idx) == 0)
		res = kk_case_finder_attachment_get(r->store, r->params[0], id, (int)idx, &data, &size, &filename, &type,
						    &err);
	if (res == KK_OK) {
		kk_reply_header(r, "X-Robots-Tag", "noindex");
		kk_reply_bytes(r, 200, type, data, size, filename);
	} else {
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such attachment.") : err.msg);
	}
	free(data);
	free(filename);
	free(type);
	kk_error_release(&err);
}
