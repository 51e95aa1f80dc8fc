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
#include "keikai/audit.h"
#include "keikai/cvss.h"
#include "keikai/i18n.h"
#include "keikai/impact.h"
#include "keikai/report.h"
#include "page.h"

/* ---- impact (SPEC 2.3, 7) ------------------------------------------------------ */

/* A score in tenths as "9.8", in the request's pool; NULL for -1. */
static const char *score_text(struct kk_req *r, const json_t *score)
{
	return json_is_number(score) ? kk_req_printf(r, "%.1f", json_number_value(score)) : NULL;
}

static const char *severity_label(const json_t *severity)
{
	return json_is_string(severity) ? _(json_string_value(severity)) : NULL;
}

static const char *scope_label(const char *name)
{
	static const enum kk_scope all[] = { KK_SCOPE_NARROW, KK_SCOPE_MEDIUM, KK_SCOPE_WIDE };

	for (size_t i = 0; name && i < 3; i++)
		if (strcmp(name, kk_scope_name(all[i])) == 0)
			return kk_scope_label(all[i]);
	return "";
}

static const char *impact_label(const char *name)
{
	static const enum kk_impact all[] = { KK_IMPACT_LOW, KK_IMPACT_MEDIUM, KK_IMPACT_UNRATED, KK_IMPACT_HIGH };

	for (size_t i = 0; name && i < 4; i++)
		if (strcmp(name, kk_impact_name(all[i])) == 0)
			return kk_impact_label(all[i]);
	return "";
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
		row->score = score_text(r, json_object_get(item, "base_score"));
		row->severity = severity_label(json_object_get(item, "severity"));
		row->scope_label = scope_label(json_string_value(json_object_get(item, "scope")));
		row->impact_name = json_string_value(json_object_get(item, "impact"));
		row->impact_label = impact_label(row->impact_name);
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

/* The impact part of the report page: the current score and scope, and the
 * calculator preset from the current vector. */
static void fill_impact(struct kk_req *r, struct intake_report_view *v, const json_t *impact)
{
	const char *vector = json_string_value(json_object_get(impact, "cvss_vector"));
	struct kk_cvss c;

	v->may_assess = kk_report_may_assess(&r->user);
	v->metrics = v31_metrics;
	v->n_metrics = N_METRICS;
	if (vector && kk_cvss_parse_str(vector, &c, NULL) == 0)
		for (size_t i = 0; i < N_METRICS; i++)
			v->metric_value[i] = kk_cvss_metric(&c, v31_metrics[i].name);
	v->score = score_text(r, json_object_get(impact, "base_score"));
	v->severity = severity_label(json_object_get(impact, "severity"));
	v->scope_label = scope_label(json_string_value(json_object_get(impact, "scope")));
	v->impact_name = json_string_value(json_object_get(impact, "impact"));
	v->impact_label = impact_label(v->impact_name);
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

/* Shows report `id` with status; after a failed decision, form holds what was
 * chosen, errors the field errors and error the message. */
static void show_report(struct kk_req *r, const char *id, unsigned status, const json_t *form, const json_t *errors,
			const char *error)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report report = { 0 };
	struct intake_report_view v = { 0 };
	enum kk_result res;
	json_t *json = NULL, *history = NULL;
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
	page_report_state(&report, &v.state);
	v.may_decide = report.status == KK_REPORT_RECEIVED && kk_report_may_decide(&r->user);
	v.may_download = kk_report_may_download(&r->user);
	fill_impact(r, &v, json_object_get(json, "impact"));
	fill_history(r, &v, report.id, &history);
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
 * or NULL when neither was given (the finder's vector then counts). A partial
 * choice gives a partial vector, which the core rejects naming what is missing. */
static const char *form_vector(struct kk_req *r)
{
	const char *typed = kk_req_field(r, "vector");
	const char *vector = NULL;
	struct kk_buf b;
	int chosen = 0;

	if (!kk_str_empty(typed))
		return typed;
	kk_buf_init(&b, 256);
	kk_buf_adds(&b, "CVSS:3.1");
	for (size_t i = 0; i < N_METRICS; i++) {
		const char *value = kk_req_field(r, kk_req_printf(r, "m.%s", v31_metrics[i].name));

		if (!kk_str_empty(value)) {
			kk_buf_addf(&b, "/%s:%s", v31_metrics[i].name, value);
			chosen++;
		}
	}
	if (chosen)
		vector = kk_req_strdup(r, b.data);
	kk_buf_release(&b);
	return vector;
}

/* SPEC 2.3, 7: record the CVSS v3 vector and the impact-scope factors. */
void page_intake_assess(struct kk_req *r)
{
	const char *id = r->params[0];
	const char *factors[] = { "users", "critical_infrastructure", "attack_public" };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_assessment a;
	enum kk_result res;
	json_t *body = json_pack("{s:o?, s:{}}", "cvss_vector", json_string(form_vector(r)), "scope");

	for (size_t i = 0; body && i < 3; i++) {
		const char *s = kk_req_field(r, kk_req_printf(r, "scope.%s", factors[i]));

		if (!kk_str_empty(s))
			json_object_set_new(json_object_get(body, "scope"), factors[i], json_string(s));
	}
	if (!body) {
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
