/*
 * page_intake.c: the receiving organisation's pages (SPEC 2.2, 3.2): the queue
 * of reports, one report with its evidence, the decision to accept or reject
 * it with a reason, and the completion of a report that came by mail before
 * its triage (issue 11), on the finder's form (report_form.h).
 *
 * What a viewer may see of a report (the finder's identity above all, SPEC 1)
 * is decided by the core: the report page shows the core's view for the viewer
 * (report_view.h), in which what they may not see is absent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/case.h"
#include "keikai/cvss.h"
#include "keikai/i18n.h"
#include "keikai/impact.h"
#include "keikai/mailin.h"
#include "keikai/report.h"
#include "keikai/report_view.h"
#include "page.h"
#include "page_candidates.h"
#include "report_form.h"

/* ---- impact (SPEC 2.3, 7) ------------------------------------------------------ */

/* A score in tenths as "9.8" and its translated severity, in the request's
 * pool; both NULL when not rated (-1). */
static void score_text(struct kk_req *r, int tenths, const char **score, const char **severity)
{
	*score = *severity = NULL;
	if (tenths < 0)
		return;
	*score = kk_req_printf(r, "%d.%d", tenths / 10, tenths % 10);
	*severity = _(kk_cvss_severity_name(kk_cvss_rate(KK_CVSS_V3_1, tenths)));
}

/* The CVSS v3.1 base metrics, in the order of the specification. */
static const struct calc_metric v31_metrics[] = {
	{ "AV", N_("Attack Vector"), { "N", "A", "L", "P" },
	  { N_("Network"), N_("Adjacent"), N_("Local"), N_("Physical") } },
	{ "AC", N_("Attack Complexity"), { "L", "H" }, { N_("Low"), N_("High") } },
	{ "PR", N_("Privileges Required"), { "N", "L", "H" }, { N_("None"), N_("Low"), N_("High") } },
	{ "UI", N_("User Interaction"), { "N", "R" }, { N_("None"), N_("Required") } },
	{ "S", N_("Scope"), { "U", "C" }, { N_("Unchanged"), N_("Changed") } },
	{ "C", N_("Confidentiality"), { "H", "L", "N" }, { N_("High"), N_("Low"), N_("None") } },
	{ "I", N_("Integrity"), { "H", "L", "N" }, { N_("High"), N_("Low"), N_("None") } },
	{ "A", N_("Availability"), { "H", "L", "N" }, { N_("High"), N_("Low"), N_("None") } },
};
#define N_METRICS (sizeof(v31_metrics) / sizeof(v31_metrics[0]))

/* ---- the queue --------------------------------------------------------------- */

/* The address of the queue's page `page`, keeping the filter (a status name) and
 * the page size; the defaults (every status, KK_QUEUE_LIMIT_DEFAULT, page 1) are
 * left out. In the request's pool; NULL when out of memory. */
static const char *queue_href(struct kk_req *r, const char *filter, const struct kk_queue_page *which, int64_t page)
{
	char query[96] = "";
	size_t n = 0;

	if (filter)
		n += (size_t)snprintf(query + n, sizeof(query) - n, "&status=%s", filter);
	if (which->limit != KK_QUEUE_LIMIT_DEFAULT && n < sizeof(query))
		n += (size_t)snprintf(query + n, sizeof(query) - n, "&limit=%d", which->limit);
	if (page > 1 && n < sizeof(query))
		n += (size_t)snprintf(query + n, sizeof(query) - n, "&page=%lld", (long long)page);
	return n ? kk_req_printf(r, "/intake?%s", query + 1) : "/intake";
}

/* What the queue page shows of a row of the core's queue. */
static void fill_row(struct kk_req *r, const struct kk_queue_row *q, struct queue_row *row)
{
	row->tracking_id = q->tracking_id;
	row->title = q->title;
	row->kind_label = page_kind_label(q->kind);
	row->status_name = kk_report_status_name(q->status);
	row->status_label = kk_report_status_label(q->status);
	page_when(q->received_at, &row->received);
	score_text(r, q->score_tenths, &row->score, &row->severity);
	row->scope_label = kk_scope_label(q->scope);
	row->impact_name = kk_impact_name(q->impact);
	row->impact_label = kk_impact_label(q->impact);
}

/* SPEC 2.3: one page of the queue, in the order of impact, with the total and
 * links to the pages before and after. */
void page_intake_queue(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct intake_queue_view v = { 0 };
	struct kk_queue_page which = { -1, KK_QUEUE_LIMIT_DEFAULT, 1 };
	struct kk_queue q = { 0 };
	struct queue_row *rows;
	const char *filter = kk_req_query(r, "status"), *self;
	enum kk_report_status st;
	enum kk_result res;

	if (filter && kk_report_status_parse(filter, &st) != 0)
		filter = NULL;
	which.status = filter ? (int)st : -1;
	res = kk_queue_page_parse(kk_req_query(r, "limit"), kk_req_query(r, "page"), &which, &err);
	if (res == KK_EINVAL) {
		void *it = json_object_iter(err.fields);

		page_error(r, 400, it ? kk_req_printf(r, _("The %s in the address is wrong: %s"), json_object_iter_key(it),
						      json_string_value(json_object_iter_value(it)))
				      : err.msg);
		goto out;
	}
	if (res == KK_OK)
		res = kk_report_queue(r->store, &r->user, &which, &q, &err);
	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	rows = kk_req_alloc(r, (q.n + 1) * sizeof(*rows));
	if (!rows) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	for (size_t i = 0; i < q.n; i++)
		fill_row(r, &q.rows[i], &rows[v.n_rows++]);
	v.total = q.total;
	v.rows = rows;
	v.status = filter;
	v.page = which.page;
	v.pages = v.total > 0 ? (v.total + which.limit - 1) / which.limit : 1;
	v.prev = which.page > 1 ? queue_href(r, filter, &which, which.page - 1 < v.pages ? which.page - 1 : v.pages) : NULL;
	v.next = which.page < v.pages ? queue_href(r, filter, &which, which.page + 1) : NULL;
	self = queue_href(r, filter, &which, which.page);
	if (!self || (which.page > 1 && !v.prev) || (which.page < v.pages && !v.next)) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	res = page_begin(r, _("Intake queue"), self);
	if (res == KK_OK)
		res = tmpl_intake_queue(&r->reply, r, &v);
	page_end(r, 200, res);
out:
	kk_queue_release(&q);
	kk_error_release(&err);
}

/* ---- one report ----------------------------------------------------------------- */

/* The impact part of the report page: the current score and scope as the core
 * judged them, and the calculator preset from the current vector. */
static void fill_impact(struct kk_req *r, struct intake_report_view *v, const struct kk_report_view *rv)
{
	struct kk_cvss c;

	v->metrics = v31_metrics;
	v->n_metrics = N_METRICS;
	if (rv->score_vector && kk_cvss_parse_str(rv->score_vector, &c, NULL) == 0)
		for (size_t i = 0; i < N_METRICS; i++)
			v->metric_value[i] = kk_cvss_metric(&c, v31_metrics[i].name);
	score_text(r, rv->score_tenths, &v->score, &v->severity);
	v->scope_label = kk_scope_label(rv->scope);
	v->impact_name = kk_impact_name(rv->impact_rank);
	v->impact_label = kk_impact_label(rv->impact_rank);
}

/* The report's audit trail (history is the JSON the rows point into; the caller
 * releases it). Without it the page still shows, with no history. */
static void fill_history(struct kk_req *r, struct intake_report_view *v, int64_t report_id, json_t **history)
{
	struct history_row *rows;
	const json_t *h;
	size_t i;

	if (kk_audit_list(r->store, "report", report_id, history, NULL) != KK_OK)
		return;
	rows = kk_req_alloc(r, (json_array_size(*history) + 1) * sizeof(*rows));
	if (!rows)
		return;
	json_array_foreach(*history, i, h) {
		struct history_row *row = &rows[v->n_history++];

		page_when_iso(json_string_value(json_object_get(h, "at")), &row->when);
		row->actor = json_string_value(json_object_get(h, "actor"));
		row->role = json_string_value(json_object_get(h, "role"));
		row->action = json_string_value(json_object_get(h, "action"));
		row->from = json_string_value(json_object_get(h, "from"));
		row->to = json_string_value(json_object_get(h, "to"));
	}
	v->history = rows;
}

/* Issue 11: the labels of the details that came encrypted (fields: a JSON
 * array of their names), joined; NULL when none came so. */
static const char *came_encrypted(struct kk_req *r, const char *fields)
{
	static const struct {
		const char *name, *label;
	} labels[] = {
		{ "summary", N_("Summary") },
		{ "environment", N_("Environment in which you confirmed it") },
		{ "steps", N_("Steps to reproduce") },
		{ "result", N_("Result") },
		{ "impact", N_("Possible threats") },
		{ "workaround", N_("Workaround") },
	};
	json_t *names = fields ? json_loads(fields, 0, NULL) : NULL, *name;
	const char *out = NULL;
	size_t i;

	json_array_foreach(names, i, name) {
		for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
			if (!json_is_string(name) || strcmp(json_string_value(name), labels[k].name) != 0)
				continue;
			out = out ? kk_req_printf(r, "%s%s%s", out, _(", "), _(labels[k].label)) : _(labels[k].label);
		}
	}
	json_decref(names);
	return out;
}

/* Shows report `id` with status; after a failed decision, form holds what was
 * chosen, errors the field errors and error the message. */
static void show_report(struct kk_req *r, const char *id, unsigned status, const json_t *form, const json_t *errors,
			const char *error)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report report = { 0 };
	struct kk_report_view rv;
	struct intake_report_view v = { 0 };
	enum kk_result res;
	json_t *history = NULL;
	char *title = NULL;

	res = kk_report_get(r->store, &r->user, id, 0, &report, &err);
	if (res != KK_OK) {
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such report.") : err.msg);
		goto out;
	}
	/* SPEC 1: the page shows the core's view for this viewer, nothing else */
	kk_report_view_make(&report, &r->user, &rv);
	title = kk_report_title(&report);
	v.id_enc = page_urlenc(r, report.tracking_id);
	if (!title || !v.id_enc) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.report = &rv;
	v.title = title;
	page_report_state(&report, &v.state);
	/* the triage flow offers "complete" for a report by mail, which the
	 * decision form cannot do: that report gets the notice instead (issue 11) */
	for (size_t i = 0; i < rv.n_events; i++)
		v.may_decide |= strcmp(rv.events[i], "accept") == 0 || strcmp(rv.events[i], "reject") == 0;
	v.may_complete = report.status == KK_REPORT_MAIL &&
			 kk_may(&r->user, KK_ACT_REPORT_DECIDE, &(struct kk_object){ .report = &report });
	fill_impact(r, &v, &rv);
	fill_history(r, &v, report.id, &history);
	/* SPEC 2.5: the vendors to notify (page_candidates.c) */
	v.vendors = page_candidates_view(r, &report, v.id_enc, NULL);
	/* SPEC 2.4: its case, or the link that opens one (page_cases.c) */
	if (report.kind == KK_REPORT_PRODUCT && report.status == KK_REPORT_ACCEPTED &&
	    kk_may(&r->user, KK_ACT_CASE_READ, NULL)) {
		char *ref = kk_req_alloc(r, KK_CASE_REF_MAX);

		res = ref ? kk_case_of_report(r->store, &r->user, report.tracking_id, ref, &err) : kk_error_nomem(&err);
		if (res != KK_OK) {
			page_error(r, kk_status_for(res), err.msg);
			goto out;
		}
		v.case_ref = ref;
	}
	v.came_encrypted = came_encrypted(r, report.encrypted_fields);
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
	json_decref(history);
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

/* The vector the calculator's radio buttons spell, or the one typed in "vector",
 * into *out, or NULL when neither was given (the finder's vector then counts). A
 * partial choice gives a partial vector, which the core rejects naming what is
 * missing. KK_ENOMEM when it could not be spelt whole: never a shorter vector. */
static enum kk_result form_vector(struct kk_req *r, const char **out)
{
	const char *typed = kk_req_field(r, "vector");
	enum kk_result res = KK_OK;
	struct kk_buf b;
	int chosen = 0;

	*out = NULL;
	if (!kk_str_empty(typed)) {
		*out = typed;
		return KK_OK;
	}
	kk_buf_init(&b, 256);
	kk_buf_adds(&b, "CVSS:3.1");
	for (size_t i = 0; i < N_METRICS && !res; i++) {
		const char *name = kk_req_printf(r, "m.%s", v31_metrics[i].name);
		const char *value = name ? kk_req_field(r, name) : NULL;

		if (!name) {
			res = KK_ENOMEM;
		} else if (!kk_str_empty(value)) {
			kk_buf_addf(&b, "/%s:%s", v31_metrics[i].name, value);
			chosen++;
		}
	}
	if (!res)
		res = kk_buf_result(&b);
	if (!res && chosen && !(*out = kk_req_strdup(r, b.data)))
		res = KK_ENOMEM;
	kk_buf_release(&b);
	return res;
}

/* SPEC 2.3, 7: record the CVSS v3 vector and the impact-scope factors. */
void page_intake_assess(struct kk_req *r)
{
	const char *id = r->params[0];
	const char *factors[] = { "users", "critical_infrastructure", "attack_public" };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_assessment a;
	enum kk_result res;
	const char *vector;
	json_t *body = NULL, *v = NULL;
	int whole = form_vector(r, &vector) == KK_OK;

	/* the assessment is read whole or not at all: a factor or the vector left
	 * out for want of memory would record something nobody chose */
	if (whole && vector && !(v = json_string(vector)))
		whole = 0;
	if (whole)
		body = json_pack("{s:o?, s:{}}", "cvss_vector", v, "scope");
	for (size_t i = 0; body && whole && i < 3; i++) {
		const char *name = kk_req_printf(r, "scope.%s", factors[i]);
		const char *s = name ? kk_req_field(r, name) : NULL;

		if (!name)
			whole = 0;
		else if (!kk_str_empty(s))
			whole = json_object_set_new(json_object_get(body, "scope"), factors[i], json_string(s)) == 0;
	}
	if (!body || !whole) {
		json_decref(body);
		page_error(r, 500, _("Out of memory."));
		return;
	}
	res = kk_assessment_from_json(body, &a, &err);
	if (res == KK_OK)
		res = kk_report_assess(r->store, &r->user, id, &a, NULL, &err);
	if (res == KK_OK) {
		char *enc = page_urlenc(r, id);

		kk_reply_redirect(r, enc ? kk_req_printf(r, "/intake/reports/%s#sec-impact", enc) : "/intake");
	} else if (res == KK_EINVAL || res == KK_EDENIED) {
		show_report(r, id, kk_status_for(res), r->form, err.fields,
			    res == KK_EINVAL ? _("The assessment was not recorded. Please correct the items below.")
					     : err.msg);
	} else {
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such report.") : err.msg);
	}
	json_decref(body);
	kk_error_release(&err);
}

/* SPEC 2.1 キ: the evidence, as a download, for the roles that may have it (the
 * core decides; a denied file is a missing one). */
void page_intake_attachment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report report = { 0 };
	const struct kk_attachment *a = NULL;
	enum kk_result res = KK_ENOTFOUND;
	size_t index;

	if (http_parse_index(r->params[1], &index) == 0)
		res = kk_report_attachment_get(r->store, &r->user, r->params[0], index, &report, &a, &err);
	if (res == KK_OK)
		kk_reply_bytes(r, 200, a->content_type, a->data, a->size, a->filename);
	else
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such file.") : err.msg);
	kk_report_release(&report);
	kk_error_release(&err);
}

/* ---- completing a report that came by mail (issue 11) ----------------------------- */

/* The kind of the completion form from "kind=" (a product when absent): 0, or
 * -1 with the reply made (404, as for the finder's form of no kind). */
static int complete_kind(struct kk_req *r, enum kk_report_kind *kind)
{
	const char *s = kk_req_query(r, "kind");

	if (kk_str_empty(s)) {
		*kind = KK_REPORT_PRODUCT;
		return 0;
	}
	if (report_form_kind(s, kind) == 0)
		return 0;
	page_error(r, 404, _("There is no such report form."));
	return -1;
}

/*
 * Loads report id into *report (the caller releases it) when the viewer may
 * complete it: 0. Otherwise -1 with the reply made: 404 for a report the
 * viewer may not see or complete (SPEC 1: not told apart from a missing one),
 * and the report page with a message (409) for a report that is not waiting
 * to be completed: the core would refuse it, and the finder's form with the
 * faults of a completion that cannot happen would only mislead.
 */
static int complete_load(struct kk_req *r, const char *id, struct kk_report *report)
{
	struct kk_error err = KK_ERROR_INIT;
	enum kk_result res = kk_report_get(r->store, &r->user, id, 0, report, &err);
	int ok = -1;

	if (res == KK_OK && !kk_may(&r->user, KK_ACT_REPORT_DECIDE, &(struct kk_object){ .report = report }))
		res = KK_ENOTFOUND;
	if (res != KK_OK)
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such report.") : err.msg);
	else if (report->status != KK_REPORT_MAIL)
		show_report(r, id, 409, NULL, NULL,
			    _("This report is not waiting to be completed: it did not come by mail, "
			      "or it was completed."));
	else
		ok = 0;
	kk_error_release(&err);
	return ok;
}

/* The completing form's view of report (v->kind set): its addresses, in the
 * request's pool. -1 when out of memory. */
static int complete_view(struct kk_req *r, const struct kk_report *report, struct report_form_view *v)
{
	enum kk_report_kind other = v->kind == KK_REPORT_PRODUCT ? KK_REPORT_WEBSITE : KK_REPORT_PRODUCT;
	const char *enc = page_urlenc(r, report->tracking_id);

	v->completing = 1;
	v->tracking_id = kk_req_strdup(r, report->tracking_id);
	v->report_href = enc ? kk_req_printf(r, "/intake/reports/%s", enc) : NULL;
	v->action = enc ? kk_req_printf(r, "/intake/reports/%s/complete?kind=%s", enc, kk_report_kind_name(v->kind))
			: NULL;
	v->other_kind_href =
		enc ? kk_req_printf(r, "/intake/reports/%s/complete?kind=%s", enc, kk_report_kind_name(other)) : NULL;
	return v->tracking_id && v->report_href && v->action && v->other_kind_href ? 0 : -1;
}

/* Issue 11, SPEC 2.1: the finder's form for a report that came by mail, filled
 * with what the report holds (the subject, the text, the sender; what the
 * viewer may see of it: kk_report_to_json), for staff to add the rest. */
void page_intake_complete_form(struct kk_req *r)
{
	struct report_form_view v = { 0 };
	struct kk_report report = { 0 };
	json_t *stored = NULL, *values = NULL;

	if (complete_kind(r, &v.kind) != 0 || complete_load(r, r->params[0], &report) != 0)
		goto out;
	stored = kk_report_to_json(&report, &r->user);
	values = stored ? report_form_values(stored, v.kind) : NULL;
	if (!values || complete_view(r, &report, &v) != 0) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.form = values;
	report_form_render(r, 200, &v);
out:
	json_decref(values);
	json_decref(stored);
	kk_report_release(&report);
}

/* Issue 11: the completed form becomes the API's body (as the finder's form
 * does) for kk_report_complete, which validates it as a submission: its
 * faults are shown next to the fields as the finder's form shows them. */
void page_intake_complete(struct kk_req *r)
{
	struct report_form_view v = { 0 };
	struct kk_report report = { 0 };
	struct kk_error err = KK_ERROR_INIT;
	enum kk_result res;
	json_t *body = NULL;

	if (complete_kind(r, &v.kind) != 0 || complete_load(r, r->params[0], &report) != 0)
		goto out;
	if (complete_view(r, &report, &v) != 0 || !(body = report_form_to_json(r, v.kind, 1))) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	res = kk_report_complete(r->store, &r->user, report.tracking_id, body, NULL, &err);
	switch (res) {
	case KK_OK:
		kk_reply_redirect(r, v.report_href);
		break;
	case KK_EINVAL:
		v.form = r->form;
		v.errors = err.fields;
		v.error_title = _("The report was not completed. Please correct these items:");
		if (report_form_problems(r, &err, &v) != 0)
			page_error(r, 500, _("Out of memory."));
		else
			report_form_render(r, 400, &v);
		break;
	case KK_ECONFLICT: /* completed by someone else since it was loaded */
		show_report(r, report.tracking_id, 409, NULL, NULL, err.msg[0] ? err.msg : NULL);
		break;
	default:
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such report.") : err.msg);
		break;
	}
out:
	json_decref(body);
	kk_report_release(&report);
	kk_error_release(&err);
}
