/*
 * page_lift.c: the pages of lifting the non-disclosure request (issue 10,
 * SPEC 2.12, G IV.3(1)11): the finder's request from its status page
 * (POST /r/{secret}/lift; the status page itself shows the offer and the
 * answer, report_status.html), and staff's page of a case's requests with
 * the answer form (/cases/{ref}/lift). The forms post the JSON members of
 * docs/api/lift.md; the core (keikai/lift.h) decides who may and when.
 */
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/i18n.h"
#include "keikai/lift.h"
#include "page.h"
#include "page_case.h"

/* POST /r/{secret}/lift {reason}: back to the status page when recorded. */
void page_report_lift(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	const char *reason = kk_req_field(r, "reason");
	json_t *body = kk_str_empty(reason) ? json_object() : json_pack("{s:s}", "reason", reason), *out = NULL;
	enum kk_result res = body ? kk_lift_ask(r->store, r->params[0], body, &out, &err) : kk_error_nomem(&err);

	if (res == KK_OK) {
		kk_reply_redirect(r, kk_req_printf(r, "/r/%s#lift", r->params[0]));
	} else {
		const char *field = json_string_value(json_object_get(err.fields, "reason"));

		page_error(r, kk_status_for(res), field ? field : err.msg[0] ? err.msg : NULL);
	}
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}

/* The page of case r->params[0]'s lift requests with status; after a refused
 * answer to request failed, that form open with what was typed and its faults. */
static void render(struct kk_req *r, unsigned status, int64_t failed, const struct kk_error *failure)
{
	struct kk_error err = KK_ERROR_INIT;
	struct lift_page_view v = { 0 };
	json_t *lift = NULL;
	enum kk_result res = kk_lift_list(r->store, &r->user, r->params[0], &lift, &err);

	if (res) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	v.ref = r->params[0];
	v.ref_enc = page_case_ref_enc(r);
	if (!v.ref_enc || page_case_times(lift) != 0) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.lift = lift;
	v.failed = failed;
	if (failure) {
		v.form = r->form;
		v.errors = failure->fields;
		v.error = kk_error_has_fields(failure) ? _("The answer could not be recorded. Please correct it.")
						       : failure->msg;
	}
	v.saved = kk_req_query(r, "saved");
	res = page_begin(r, _("Requests to lift non-disclosure"), NULL);
	if (res == KK_OK)
		res = tmpl_lift_answer(&r->reply, r, &v);
	page_end(r, status, res);
out:
	json_decref(lift);
	kk_error_release(&err);
}

/* GET /cases/{ref}/lift */
void page_case_lift(struct kk_req *r)
{
	render(r, 200, 0, NULL);
}

/* POST /cases/{ref}/lift/{id} {decision, explanation} */
void page_case_lift_answer(struct kk_req *r)
{
	static const struct case_field fields[] = { { "decision", CF_TEXT | CF_KEEP_EMPTY },
						    { "explanation", CF_TEXT | CF_KEEP_EMPTY },
						    { NULL, 0 } };
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = NULL, *out = NULL;
	int64_t id = 0;
	enum kk_result res;

	if (kk_parse_id(r->params[1], &id) != 0) {
		page_error(r, 404, NULL);
		return;
	}
	body = page_case_form_body(r, fields);
	res = body ? kk_lift_answer(r->store, &r->user, r->params[0], id, body, &out, &err) : kk_error_nomem(&err);
	if (res == KK_OK)
		kk_reply_redirect(r, kk_req_printf(r, "/cases/%s/lift?saved=answered#lift-%lld", page_case_ref_enc(r),
						   (long long)id));
	else if (res == KK_EINVAL || res == KK_ECONFLICT)
		render(r, kk_status_for(res), id, &err);
	else
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}
