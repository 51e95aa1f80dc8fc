/*
 * page_intake.c: the receiving organisation's pages (SPEC 2.2, 3.2): the queue
 * of reports, one report with its evidence, and the decision to accept or reject
 * it with a reason.
 *
 * What a viewer may see of a report (the finder's identity above all, SPEC 1)
 * is decided by the core: the report page shows kk_report_to_json for the
 * viewer, never the stored struct's finder fields.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "page.h"

/* ---- the queue --------------------------------------------------------------- */

void page_intake_queue(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct intake_queue_view v = { 0 };
	struct queue_row *rows;
	const char *filter = kk_req_query(r, "status");
	enum kk_report_status st;
	enum kk_result res;
	json_t *list = NULL, *item;
	size_t i;

	if (filter && page_status_parse(filter, &st) != 0)
		filter = NULL;
	res = kk_report_list(r->store, &r->user, filter ? (int)st : -1, &list, &err);
	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	rows = kk_req_alloc(r, (json_array_size(list) + 1) * sizeof(*rows));
	if (!rows) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	json_array_foreach(list, i, item) {
		struct queue_row *row = &rows[v.n_rows++];
		const char *kind = json_string_value(json_object_get(item, "kind"));

		row->tracking_id = json_string_value(json_object_get(item, "tracking_id"));
		row->title = json_string_value(json_object_get(item, "title"));
		row->kind_label = page_kind_label(kind && strcmp(kind, "website") == 0 ? KK_REPORT_WEBSITE
										   : KK_REPORT_PRODUCT);
		row->status_name = json_string_value(json_object_get(item, "status"));
		row->status_label = page_status_parse(row->status_name, &st) == 0 ? kk_report_status_label(st)
										     : row->status_name;
		page_when_iso(json_string_value(json_object_get(item, "received_at")), &row->received);
	}
	v.rows = rows;
	v.status = filter;
	res = page_begin(r, _("Intake queue"), filter ? kk_req_printf(r, "/intake?status=%s", filter) : "/intake");
	if (res == KK_OK)
		res = tmpl_intake_queue(&r->reply, r, &v);
	page_end(r, 200, res);
out:
	json_decref(list);
	kk_error_release(&err);
}

/* ---- one report ----------------------------------------------------------------- */

/* Shows report `id` with status; after a failed decision, form holds what was
 * chosen, errors the field errors and error the message. */
static void show_report(struct kk_req *r, const char *id, unsigned status, const json_t *form, const json_t *errors,
			const char *error)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report report = { 0 };
	struct intake_report_view v = { 0 };
	enum kk_result res;
	json_t *json = NULL;
	char *title = NULL;

	res = kk_report_get(r->store, &r->user, id, 0, &report, &err);
	if (res != KK_OK) {
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such report.") : err.msg);
		goto out;
	}
	json = kk_report_to_json(&report, &r->user);
	title = kk_report_title(&report);
	v.id_enc = page_urlenc(r, report.tracking_id);
	if (!json || !title || !v.id_enc) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.report = &report;
	v.json = json;
	v.title = title;
	v.kind_label = page_kind_label(report.kind);
	v.status_name = kk_report_status_name(report.status);
	v.status_label = kk_report_status_label(report.status);
	page_when(report.received_at, &v.received);
	page_when(report.accepted_at, &v.accepted);
	if (report.status == KK_REPORT_REJECTED) {
		page_when(report.decided_at, &v.decided);
		v.reason_text = kk_reject_reason_text(report.reject_reason);
	}
	v.may_decide = report.status == KK_REPORT_RECEIVED && kk_report_may_decide(&r->user);
	v.may_download = kk_report_may_download(&r->user);
	v.form = form;
	v.errors = errors;
	v.error = error;
	res = page_begin(r, kk_req_printf(r, "%s %s", report.tracking_id, title),
			 kk_req_printf(r, "/intake/reports/%s", v.id_enc));
	if (res == KK_OK)
		res = tmpl_intake_report(&r->reply, r, &v);
	page_end(r, status, res);
out:
	free(title);
	json_decref(json);
	kk_report_release(&report);
	kk_error_release(&err);
}

void page_intake_report(struct kk_req *r)
{
	show_report(r, r->params[0], 200, NULL, NULL, NULL);
}

/* SPEC 2.2: accept, or reject with a reason; the core tells the finder. */
void page_intake_decide(struct kk_req *r)
{
	const char *id = r->params[0];
	const char *names[] = { "decision", "reason", "note" };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_decision d = { 0 };
	enum kk_result res;
	json_t *body = json_object();

	for (size_t i = 0; body && i < sizeof(names) / sizeof(names[0]); i++) {
		const char *s = kk_req_field(r, names[i]);

		if (!kk_str_empty(s) && json_object_set_new(body, names[i], json_string(s)) != 0) {
			json_decref(body);
			body = NULL;
		}
	}
	if (!body) {
		page_error(r, 500, _("Out of memory."));
		return;
	}
	res = kk_decision_from_json(body, &d, &err);
	if (res == KK_OK)
		res = kk_report_decide(r->store, &r->user, id, &d, NULL, &err);
	switch (res) {
	case KK_OK: {
		char *enc = page_urlenc(r, id);

		kk_reply_redirect(r, enc ? kk_req_printf(r, "/intake/reports/%s", enc) : "/intake");
		break;
	}
	case KK_EINVAL:
		show_report(r, id, 400, r->form, err.fields, _("The decision was not recorded. Please correct the items below."));
		break;
	case KK_EDENIED:
	case KK_ECONFLICT:
		show_report(r, id, kk_status_for(res), r->form, err.fields, err.msg[0] ? err.msg : NULL);
		break;
	default:
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such report.") : err.msg);
		break;
	}
	json_decref(body);
	kk_error_release(&err);
}

/* SPEC 2.1 キ: the evidence, as a download, for the roles that may have it. */
void page_intake_attachment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report report = { 0 };
	const char *index = r->params[1];
	unsigned long n;
	enum kk_result res;
	char *end;

	if (!kk_report_may_download(&r->user)) {
		page_error(r, 403, _("Your role may not download evidence."));
		return;
	}
	if (!index || *index < '0' || *index > '9') {
		page_error(r, 404, _("There is no such file."));
		return;
	}
	errno = 0;
	n = strtoul(index, &end, 10);
	if (*end || errno) {
		page_error(r, 404, _("There is no such file."));
		return;
	}
	res = kk_report_get(r->store, &r->user, r->params[0], 1, &report, &err);
	if (res != KK_OK)
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such report.") : err.msg);
	else if (n >= report.n_attachments)
		page_error(r, 404, _("There is no such file."));
	else
		kk_reply_bytes(r, 200, report.attachments[n].content_type, report.attachments[n].data,
			       report.attachments[n].size, report.attachments[n].filename);
	kk_report_release(&report);
	kk_error_release(&err);
}
