/*
 * api_reports.c: the JSON API of docs/api/reports.md: finders submit reports, the
 * receiving organisation lists, reads and decides them (SPEC 2.1–2.2, 3.1).
 *
 * The front (http.c) has already checked the route's role, the Content-Type, the
 * body's size cap and UTF-8, and the CSRF token of cookie callers. These handlers
 * parse the JSON, call the core and turn its result into a status with
 * kk_status_for; who may see which part of a report is the core's to decide.
 */
#include <jansson.h>
#include <string.h>

#include "keikai/report.h"
#include "handlers.h"
#include "http_internal.h"

json_t *api_load_body(struct kk_req *r, size_t extra)
{
	json_error_t jerr;
	json_t *body = json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_REJECT_DUPLICATES | extra, &jerr);

	if (!body)
		kk_reply_errorf(r, 400, _("The body is not valid JSON: %s"), jerr.text);
	return body;
}

/* POST /api/v1/reports: anonymous. 201 once the report is on disk (SPEC 2.1). */
void api_report_submit(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report rep;
	char secret[KK_TOKEN_MAX] = "";
	json_t *body, *answer;
	enum kk_result res;

	memset(&rep, 0, sizeof(rep));
	/* "\u0000" is let through so that the validator names the field it is in */
	body = api_load_body(r, JSON_ALLOW_NUL);
	if (!body)
		goto out;
	res = kk_report_from_json(body, &rep, &err);
	if (res == KK_OK)
		res = kk_report_submit(r->store, &rep, secret, &err);
	if (res != KK_OK) {
		kk_reply_error(r, kk_status_for(res), &err);
		goto out;
	}
	answer = json_object();
	if (answer) {
		json_object_set_new(answer, "tracking_id", json_string(rep.tracking_id));
		json_object_set_new(answer, "status_url", json_sprintf("/r/%s", secret));
		json_object_set_new(answer, "status", json_string(kk_report_status_name(rep.status)));
		json_object_set_new(answer, "received_at", kk_json_time(rep.received_at));
	}
	kk_reply_json(r, 201, answer);
out:
	json_decref(body);
	kk_report_release(&rep);
	kk_error_release(&err);
}

/* GET /api/v1/reports[?status=received|accepted|rejected]: the intake queue. An
 * empty status means every status. */
void api_report_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	const char *want = kk_req_query(r, "status");
	int status = -1;
	json_t *list = NULL, *answer;
	enum kk_result res;

	if (!kk_str_empty(want)) {
		static const enum kk_report_status all[] = { KK_REPORT_RECEIVED, KK_REPORT_ACCEPTED, KK_REPORT_REJECTED };

		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			if (strcmp(want, kk_report_status_name(all[i])) == 0)
				status = (int)all[i];
		if (status < 0) {
			kk_error_field(&err, "status", "%s", _("Must be one of received, accepted or rejected."));
			kk_reply_error(r, 400, &err);
			goto out;
		}
	}
	res = kk_report_list(r->store, &r->user, status, &list, &err);
	if (res != KK_OK) {
		kk_reply_error(r, kk_status_for(res), &err);
		goto out;
	}
	answer = json_object();
	if (answer)
		json_object_set(answer, "reports", list);
	kk_reply_json(r, 200, answer);
out:
	json_decref(list);
	kk_error_release(&err);
}

/* GET /api/v1/reports/{tracking_id}: one report, as the viewer may see it (SPEC 1). */
void api_report_get(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report rep;
	enum kk_result res;

	res = kk_report_get(r->store, &r->user, r->params[0], 0, &rep, &err);
	if (res == KK_OK)
		kk_reply_json(r, 200, kk_report_to_json(&rep, &r->user));
	else
		kk_reply_error(r, kk_status_for(res), &err);
	kk_report_release(&rep);
	kk_error_release(&err);
}

/* GET /api/v1/reports/{tracking_id}/attachments/{index}: the evidence file as a
 * download, with the content type it was stored with (and nosniff, from http.c). */
void api_report_attachment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report rep;
	const struct kk_attachment *a;
	enum kk_result res;
	size_t index;

	memset(&rep, 0, sizeof(rep));
	if (!kk_report_may_download(&r->user)) {
		kk_reply_errorf(r, 403, "%s", _("Your role may not download evidence files."));
		goto out;
	}
	if (http_parse_index(r->params[1], &index) != 0) {
		kk_reply_errorf(r, 404, "%s", _("There is no such attachment."));
		goto out;
	}
	res = kk_report_get(r->store, &r->user, r->params[0], 1, &rep, &err);
	if (res != KK_OK) {
		kk_reply_error(r, kk_status_for(res), &err);
		goto out;
	}
	if (index >= rep.n_attachments || !rep.attachments[index].data) {
		kk_reply_errorf(r, 404, "%s", _("There is no such attachment."));
		goto out;
	}
	a = &rep.attachments[index];
	kk_reply_bytes(r, 200, a->content_type, a->data, a->size, a->filename);
out:
	kk_report_release(&rep);
	kk_error_release(&err);
}

/* POST /api/v1/reports/{tracking_id}/decision: accept or reject (SPEC 2.2). */
void api_report_decide(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_decision d;
	struct kk_report rep;
	json_t *body;
	enum kk_result res;

	memset(&rep, 0, sizeof(rep));
	body = api_load_body(r, 0);
	if (!body)
		goto out;
	/* d.note points into body, which lives until the decision is made */
	res = kk_decision_from_json(body, &d, &err);
	if (res == KK_OK)
		res = kk_report_decide(r->store, &r->user, r->params[0], &d, &rep, &err);
	if (res == KK_OK)
		kk_reply_json(r, 200, kk_report_to_json(&rep, &r->user));
	else
		kk_reply_error(r, kk_status_for(res), &err);
out:
	json_decref(body);
	kk_report_release(&rep);
	kk_error_release(&err);
}
