/*
 * page_cases.c: the case pages around the case itself (SPEC 2.4, issue 9 item
 * 7): the dashboard (/cases: a coordinator's cases with whom they wait on,
 * days since day 0 and unanswered messages, unanswered first; a vendor user's
 * own cases with its stage), opening a case from an accepted report
 * (/cases/new, prefilled from the report), the audit trail of a case, and the
 * downloads of a case's attachments (every one audited by the core).
 *
 * Everything shown comes from the core's functions (keikai/case.h, and the
 * report for the prefilled form); a case the reader may not see is the 404 of
 * one that does not exist.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/report_view.h"
#include "page.h"
#include "page_case.h"

/* ---- the dashboard ---- */

/* The label of a vendor status name (case.h kk_vendor_status_flow), or NULL. */
static const char *status_label(const char *name)
{
	for (size_t i = 0; name && i < kk_vendor_status_flow.n_states; i++)
		if (!strcmp(kk_vendor_status_flow.states[i].name, name))
			return _(kk_vendor_status_flow.states[i].label);
	return NULL;
}

/* The rows of the dashboard: the cases with unanswered messages first (in the
 * core's order within each part), each with "days" since day 0 (null before
 * it) and its stage's label. A new array, or NULL without memory. */
static json_t *dashboard_rows(const json_t *cases)
{
	json_t *rows = json_array();
	int64_t now = kk_now();

	for (int part = 0; rows && part < 2; part++)
		for (size_t i = 0; rows && i < json_array_size(cases); i++) {
			json_t *c = json_array_get(cases, i), *day0 = json_object_get(c, "day0");
			const char *label = status_label(json_string_value(json_object_get(c, "stage")));
			int waiting = json_integer_value(json_object_get(c, "unanswered")) > 0;

			if (waiting != !part)
				continue;
			if (json_object_set_new(c, "days",
						json_integer_value(day0) > 0
							? json_integer((now - json_integer_value(day0)) / 86400)
							: json_null()) != 0 ||
			    (label && json_object_set_new(c, "stage_label", json_string(label)) != 0) ||
			    json_array_append(rows, c) != 0) {
				json_decref(rows);
				rows = NULL;
			}
		}
	return rows;
}

/* GET /cases?filter= */
void page_cases(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct case_list_view v = { 0 };
	const char *filter = kk_req_query(r, "filter");
	json_t *list = NULL, *rows = NULL;
	enum kk_result res;

	/* a coordinator starts at its own cases; "all" is every case */
	if (kk_str_empty(filter))
		filter = r->user.role == KK_ROLE_COORDINATOR ? "mine" : NULL;
	else if (!strcmp(filter, "all"))
		filter = NULL;
	res = kk_case_list(r->store, &r->user, filter, &list, &err);
	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	rows = dashboard_rows(json_object_get(list, "cases"));
	if (!rows || page_case_times(rows) != 0) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.cases = rows;
	v.filter = filter;
	v.staff = r->user.role != KK_ROLE_VENDOR;
	v.may_open = kk_may(&r->user, KK_ACT_CASE_OPEN, NULL);
	res = page_begin(r, _("Cases"), NULL);
	if (res == KK_OK)
		res = tmpl_case_list(&r->reply, r, &v);
	page_end(r, 200, res);
out:
	json_decref(rows);
	json_decref(list);
	kk_error_release(&err);
}

/* ---- opening a case (SPEC 2.4) ---- */

static void render_new(struct kk_req *r, unsigned status, const struct case_new_view *v)
{
	enum kk_result res = page_begin(r, _("Open a case"), "/cases/new");

	if (res == KK_OK)
		res = tmpl_case_new(&r->reply, r, v);
	page_end(r, status, res);
}

/* Adds "label: text" and a blank line to b when text is not empty. */
static void add_part(struct kk_buf *b, const char *label, const char *text)
{
	if (!kk_str_empty(text))
		kk_buf_addf(b, "%s%s:\n%s\n", b->len ? "\n" : "", label, text);
}

/* The form prefilled from report tracking_id as the viewer may see it: its
 * title, its summary, and what the finder wrote as the detail. */
static json_t *prefill(struct kk_req *r, const char *tracking_id, struct kk_error *err, enum kk_result *res)
{
	struct kk_report report = { 0 };
	struct kk_report_view rv;
	struct kk_buf detail;
	char *title = NULL;
	json_t *form = NULL;

	kk_buf_init(&detail, KK_CASE_TEXT_MAX);
	*res = kk_report_get(r->store, &r->user, tracking_id, 0, &report, err);
	if (*res != KK_OK)
		goto out;
	kk_report_view_make(&report, &r->user, &rv);
	title = kk_report_title(&report);
	add_part(&detail, _("Environment in which you confirmed it"), rv.environment);
	add_part(&detail, _("Steps to reproduce"), rv.steps);
	add_part(&detail, _("Result"), rv.result);
	add_part(&detail, _("Possible threats"), rv.impact);
	add_part(&detail, _("Workaround"), rv.workaround);
	form = title && kk_buf_result(&detail) == KK_OK
		       ? json_pack("{s:s, s:s, s:s?, s:s}", "reports", report.tracking_id, "title", title, "summary",
				   rv.summary, "detail", detail.data ? detail.data : "")
		       : NULL;
	if (!form)
		*res = kk_error_nomem(err);
out:
	free(title);
	kk_buf_release(&detail);
	kk_report_release(&report);
	return form;
}

/* GET /cases/new?report=IPA%23… */
void page_case_new(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct case_new_view v = { 0 };
	const char *report = kk_req_query(r, "report");
	enum kk_result res = KK_OK;
	json_t *form = NULL;

	if (!kk_str_empty(report)) {
		form = prefill(r, report, &err, &res);
		if (res != KK_OK) {
			page_error(r, kk_status_for(res),
				   res == KK_ENOTFOUND ? _("There is no such report.") : err.msg[0] ? err.msg : NULL);
			goto out;
		}
	}
	v.form = form;
	render_new(r, 200, &v);
out:
	json_decref(form);
	kk_error_release(&err);
}

/* POST /cases */
void page_case_open(struct kk_req *r)
{
	static const struct case_field fields[] = { { "reports", CF_WORDS },
						    { "title", CF_TEXT | CF_KEEP_EMPTY },
						    { "summary", CF_TEXT | CF_KEEP_EMPTY },
						    { "detail", CF_TEXT | CF_KEEP_EMPTY },
						    { NULL, 0 } };
	struct kk_error err = KK_ERROR_INIT;
	struct case_new_view v = { 0 };
	json_t *body = page_case_form_body(r, fields), *out = NULL;
	enum kk_result res = body ? kk_case_open(r->store, &r->user, body, &out, &err) : kk_error_nomem(&err);
	const char *ref = json_string_value(json_object_get(out, "id"));
	const char *enc = res == KK_OK && ref ? page_urlenc(r, ref) : NULL;

	if (res == KK_OK && enc) {
		kk_reply_redirect(r, kk_req_printf(r, "/cases/%s", enc));
	} else if (res == KK_OK) {
		page_error(r, 500, _("Out of memory."));
	} else if (res == KK_EINVAL || res == KK_ECONFLICT || kk_error_has_fields(&err)) {
		v.form = r->form;
		v.errors = err.fields;
		v.error = kk_error_has_fields(&err) ? _("The case was not opened. Please correct the items marked below.")
						    : err.msg;
		render_new(r, kk_status_for(res), &v);
	} else {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
	}
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}

/* ---- the audit trail ---- */

/* A member as display text: a string as is, anything else as compact JSON
 * (NULL for null or absent). In the request's pool; *oom set without memory. */
static const char *member_text(struct kk_req *r, const json_t *o, const char *k, int *oom)
{
	const json_t *m = json_object_get(o, k);
	char *dump;
	const char *s;

	if (!m || json_is_null(m))
		return NULL;
	if (json_is_string(m))
		return json_string_value(m);
	dump = kk_json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	s = dump ? kk_req_strdup(r, dump) : NULL;
	free(dump);
	if (!s)
		*oom = 1;
	return s;
}

/* GET /cases/{ref}/audit */
void page_case_audit(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct case_audit_view v = { 0 };
	struct case_audit_row *rows = NULL;
	json_t *out = NULL, *trail;
	enum kk_result res = kk_case_audit(r->store, &r->user, r->params[0], &out, &err);
	int oom = 0;

	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	trail = json_object_get(out, "audit");
	v.n_rows = json_array_size(trail);
	rows = v.n_rows ? kk_req_alloc(r, v.n_rows * sizeof(*rows)) : NULL;
	oom = v.n_rows && !rows;
	for (size_t i = 0; !oom && i < v.n_rows; i++) {
		const json_t *a = json_array_get(trail, i), *at = json_object_get(a, "at");

		memset(&rows[i], 0, sizeof(rows[i]));
		if (json_is_integer(at))
			page_when(json_integer_value(at), &rows[i].at);
		else
			page_when_iso(json_string_value(at), &rows[i].at);
		rows[i].actor = member_text(r, a, "actor", &oom);
		rows[i].role = member_text(r, a, "role", &oom);
		rows[i].action = member_text(r, a, "action", &oom);
		rows[i].from = member_text(r, a, "from", &oom);
		rows[i].to = member_text(r, a, "to", &oom);
		rows[i].detail = member_text(r, a, "detail", &oom);
		const char *type = json_string_value(json_object_get(a, "object_type"));

		rows[i].object = kk_req_printf(r, "%s %lld", type ? type : "",
					       (long long)json_integer_value(json_object_get(a, "object_id")));
		oom |= !rows[i].object;
	}
	v.ref = r->params[0];
	v.ref_enc = page_case_ref_enc(r);
	if (oom || !v.ref_enc) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.rows = rows;
	res = page_begin(r, kk_req_printf(r, "%s %s", _("Audit trail of the case"), r->params[0]), NULL);
	if (res == KK_OK)
		res = tmpl_case_audit(&r->reply, r, &v);
	page_end(r, 200, res);
out:
	json_decref(out);
	kk_error_release(&err);
}

/* ---- downloads ---- */

/* Sends what a core download returned (res), and frees it. */
static void send_file(struct kk_req *r, enum kk_result res, const struct kk_error *err, void *data, size_t size,
		      char *filename, char *content_type)
{
	if (res == KK_OK)
		kk_reply_bytes(r, 200, content_type ? content_type : "application/octet-stream", data, size, filename);
	else
		page_error(r, kk_status_for(res), err->msg[0] ? err->msg : NULL);
	free(data);
	free(filename);
	free(content_type);
}

/* GET /cases/{ref}/attachments/{id}: R §5.1.2, after the vendor asked for the detail */
void page_case_attachment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = kk_req_param_id(r, 1, 0);
	void *data = NULL;
	size_t size = 0;
	char *filename = NULL, *content_type = NULL;
	enum kk_result res = id ? kk_case_attachment_get(r->store, &r->user, r->params[0], id, &data, &size, &filename,
							 &content_type, &err)
				: kk_error_set(&err, KK_ENOTFOUND, "%s", _("There is no such attachment."));

	send_file(r, res, &err, data, size, filename, content_type);
	kk_error_release(&err);
}

/* GET /cases/{ref}/messages/{id}/attachments/{idx} (SPEC 2.13) */
void page_case_message_attachment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = kk_req_param_id(r, 1, 0), idx = 0;
	void *data = NULL;
	size_t size = 0;
	char *filename = NULL, *content_type = NULL;
	int idx_ok = r->params[2] && (!strcmp(r->params[2], "0") || kk_parse_id(r->params[2], &idx) == 0) &&
		     idx < 1000;
	enum kk_result res = id && idx_ok ? kk_case_message_attachment_get(r->store, &r->user, r->params[0], id,
									   (int)idx, &data, &size, &filename,
									   &content_type, &err)
					  : kk_error_set(&err, KK_ENOTFOUND, "%s", _("There is no such attachment."));

	send_file(r, res, &err, data, size, filename, content_type);
	kk_error_release(&err);
}
