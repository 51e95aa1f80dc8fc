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
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/idempotency.h"
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

/* Answers a request whose Idempotency-Key was seen before (issue 7): the first
 * answer again, or 422 when the key came with another body. 0 when the key is
 * new (nothing answered). */
static int idem_replay(struct kk_req *r, const struct kk_idem *k)
{
	struct kk_error err = KK_ERROR_INIT;
	unsigned status = 0;
	char *answer = NULL;
	enum kk_result res = kk_idem_find(r->store, k, &status, &answer, &err);

	if (res == KK_OK) {
		kk_reply_bytes(r, status, "application/json", answer, strlen(answer), NULL);
		kk_reply_header(r, "Idempotent-Replayed", "true");
		sodium_memzero(answer, strlen(answer)); /* it holds the status secret */
	} else if (res == KK_ECONFLICT) {
		kk_reply_error(r, 422, &err);
	} else if (res != KK_ENOTFOUND) {
		kk_reply_error(r, kk_status_for(res), &err);
	}
	free(answer);
	kk_error_release(&err);
	return res != KK_ENOTFOUND;
}

/* POST /api/v1/reports: anonymous. 201 once the report is on disk (SPEC 2.1);
 * at most kk_req_report_limit reports an hour from one source address (429),
 * and once per Idempotency-Key (issue 7). */
void api_report_submit(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_submit_opts opts = { kk_req_source(r), kk_req_report_limit(r), NULL, 0 };
	const char *key = kk_req_header(r, "Idempotency-Key");
	struct kk_report rep;
	struct kk_idem idem;
	char secret[KK_TOKEN_MAX] = "";
	json_t *body = NULL;
	enum kk_result res;

	memset(&rep, 0, sizeof(rep));
	memset(&idem, 0, sizeof(idem));
	if (key) {
		if (!kk_idem_key_valid(key)) {
			kk_reply_errorf(r, 400, "%s",
					_("The Idempotency-Key header must be 1 to 255 printable ASCII characters."));
			goto out;
		}
		kk_idem_init(&idem, key, r->body.data, r->body.len, 201);
		opts.idem = &idem;
		if (idem_replay(r, &idem))
			goto out;
	}
	/* "\u0000" is let through so that the validator names the field it is in */
	body = api_load_body(r, JSON_ALLOW_NUL);
	if (!body)
		goto out;
	res = kk_report_from_body(r->store, body, &rep, &err);
	if (res == KK_OK)
		res = kk_report_submit_with(r->store, &rep, &opts, secret, &err);
	/* another request with the key was stored first: its answer is this one's */
	if (res == KK_ECONFLICT && opts.idem && idem_replay(r, &idem))
		goto out;
	if (res == KK_ETHROTTLED)
		kk_reply_header(r, "Retry-After", kk_req_printf(r, "%lld", (long long)opts.retry_after));
	if (res != KK_OK) {
		kk_reply_error(r, kk_status_for(res), &err);
		goto out;
	}
	kk_reply_json(r, 201, kk_report_receipt_json(&rep, secret));
out:
	sodium_memzero(secret, sizeof(secret));
	kk_idem_release(&idem);
	json_decref(body);
	kk_report_release(&rep);
	kk_error_release(&err);
}

/* The "paging" member of the queue's answer (docs/api/reports.md): where this page
 * is in the queue, and the addresses of the pages before and after it (null at
 * either end; "prev" of a page past the end is the last page). */
static json_t *paging_json(struct kk_req *r, const struct kk_queue_page *which, int64_t total)
{
	int64_t pages = total > 0 ? (total + which->limit - 1) / which->limit : 1;
	int64_t prev = which->page - 1 < pages ? which->page - 1 : pages;
	const char *base = which->status < 0
				   ? kk_req_printf(r, "/api/v1/reports?limit=%d&page=", which->limit)
				   : kk_req_printf(r, "/api/v1/reports?status=%s&limit=%d&page=",
						   kk_report_status_name((enum kk_report_status)which->status), which->limit);

	if (!base)
		return NULL;
	return json_pack("{s:I, s:i, s:I, s:I, s:o, s:o}", "page", (json_int_t)which->page, "limit", which->limit,
			 "total", (json_int_t)total, "pages", (json_int_t)pages, "next",
			 which->page < pages ? json_sprintf("%s%lld", base, (long long)which->page + 1) : json_null(),
			 "prev", prev >= 1 ? json_sprintf("%s%lld", base, (long long)prev) : json_null());
}

/* GET /api/v1/reports[?status=STATE]: the intake queue, STATE one of the triage
 * flow's (lib/report/flow.c). An empty status means every status. */
void api_report_list(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	const char *want = kk_req_query(r, "status");
	int status = -1;
	struct kk_queue_page which = { -1, KK_QUEUE_LIMIT_DEFAULT, 1 };
	json_t *list = NULL, *answer;
	int64_t total = 0;
	enum kk_result res;

	if (!kk_str_empty(want)) {
		enum kk_report_status st;
		char names[256];

		if (kk_report_status_parse(want, &st) != 0) {
			kk_error_field(&err, "status", _("Must be one of: %s."),
				       kk_flow_state_names(&kk_report_triage, names, sizeof(names)));
			kk_reply_error(r, 400, &err);
			goto out;
		}
		status = (int)st;
	}
	/* SPEC 2.3: one page of the queue, in the order of impact */
	which.status = status;
	res = kk_queue_page_parse(kk_req_query(r, "limit"), kk_req_query(r, "page"), &which, &err);
	if (res == KK_OK)
		res = kk_report_list(r->store, &r->user, &which, &list, &total, &err);
	if (res != KK_OK) {
		kk_reply_error(r, kk_status_for(res), &err);
		goto out;
	}
	answer = json_pack("{s:O, s:o}", "reports", list, "paging", paging_json(r, &which, total));
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
 * download (http.c serves every attachment so, with nosniff and the sandbox). The
 * core decides who may have it; a denied one is a missing one (SPEC 1). */
void api_report_attachment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report rep = { 0 };
	const struct kk_attachment *a = NULL;
	enum kk_result res = KK_ENOTFOUND;
	size_t index;

	if (http_parse_index(r->params[1], &index) == 0)
		res = kk_report_attachment_get(r->store, &r->user, r->params[0], index, &rep, &a, &err);
	if (res == KK_OK)
		kk_reply_bytes(r, 200, a->content_type, a->data, a->size, a->filename);
	else if (res == KK_ENOTFOUND)
		kk_reply_errorf(r, 404, "%s", _("There is no such attachment."));
	else
		kk_reply_error(r, kk_status_for(res), &err);
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
