/*
 * page_case_forms.c: the forms of the case page (SPEC 2.4-2.7, 2.13, R §5.1.2,
 * G IV.5): the coordinator's (title, summary and detail, who sees whom, a
 * vulnerability, a vendor, the summary notice to the vendors ticked, a status
 * on a vendor's behalf, closing) and the vendor's (its answer to the summary,
 * its status per vulnerability, countermeasures, statement, a suggestion of
 * another vendor), and a message in a thread. Each form posts the JSON members
 * of docs/api/cases.md as fields; the core (keikai/case.h) checks who may,
 * validates and records with its audit in one transaction. A refused form is
 * shown again, open, with what was typed and each fault next to its field in
 * the reader's language; a done one redirects back to the case (?saved=).
 */
#include <string.h>

#include "handlers.h"
#include "keikai/case.h"
#include "keikai/i18n.h"
#include "page.h"
#include "page_case.h"

typedef enum kk_result case_core_fn(struct kk_store *s, const struct kk_user *actor, const char *ref,
				    const json_t *body, json_t **out, struct kk_error *err);

/* Posts fields of the form to fn for case r->params[0], then page_case_after_post. */
static void post(struct kk_req *r, const struct case_field *fields, case_core_fn *fn, const char *saved,
		 const char *failed, const char *anchor)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = page_case_form_body(r, fields), *out = NULL;
	enum kk_result res = body ? fn(r->store, &r->user, r->params[0], body, &out, &err) : kk_error_nomem(&err);

	page_case_after_post(r, res, &err, saved, failed ? failed : "", anchor);
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}

/* ---- the coordinator's forms ---- */

/* POST /cases/{ref}/update: title, summary, detail; or who sees whom */
void page_case_update(struct kk_req *r)
{
	static const struct case_field fields[] = { { "title", CF_TEXT | CF_KEEP_EMPTY },
						    { "summary", CF_TEXT | CF_KEEP_EMPTY },
						    { "detail", CF_TEXT | CF_KEEP_EMPTY },
						    { "vendors_see_names", CF_BOOL },
						    { NULL, 0 } };

	post(r, fields, kk_case_update, "update", "update", "sec-text");
}

/* POST /cases/{ref}/vulnerabilities */
void page_case_vuln_add(struct kk_req *r)
{
	static const struct case_field fields[] = { { "title", CF_TEXT | CF_KEEP_EMPTY },
						    { "description", CF_TEXT },
						    { "cwe", CF_TEXT },
						    { "cvss3", CF_TEXT },
						    { "cvss4", CF_TEXT },
						    { "cve", CF_TEXT },
						    { NULL, 0 } };

	post(r, fields, kk_case_vuln_add, "vuln", "vuln-new", "sec-vulns");
}

/* POST /cases/{ref}/vendors */
void page_case_vendor_add(struct kk_req *r)
{
	static const struct case_field fields[] = { { "vendor_id", CF_INT }, { NULL, 0 } };

	post(r, fields, kk_case_vendor_add, "vendor", "vendor-add", "sec-vendors");
}

/* POST /cases/{ref}/notify: SPEC 2.6, every vendor ticked (notify.ID) in one action */
void page_case_notify(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *ids = json_array(), *body = NULL, *out = NULL;
	const char *key;
	json_t *value;
	enum kk_result res = KK_OK;

	json_object_foreach (r->form, key, value) {
		int64_t id = 0;

		if (strncmp(key, "notify.", 7) != 0 || kk_parse_id(key + 7, &id) != 0)
			continue;
		if (ids && json_array_append_new(ids, json_integer(id)) != 0) {
			json_decref(ids);
			ids = NULL;
		}
	}
	body = ids ? json_pack("{s:O}", "vendor_ids", ids) : NULL;
	if (!body)
		res = kk_error_nomem(&err);
	else if (!json_array_size(ids))
		res = kk_error_field(&err, "vendor_ids", "%s", _("Tick the vendors to notify."));
	if (res == KK_OK)
		res = kk_case_notify(r->store, &r->user, r->params[0], body, &out, &err);
	page_case_after_post(r, res, &err, "notify", "notify", "sec-vendors");
	json_decref(out);
	json_decref(body);
	json_decref(ids);
	kk_error_release(&err);
}

static enum kk_result close_case(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				 json_t **out, struct kk_error *err)
{
	return kk_case_event(s, actor, ref, "close", body, out, err);
}

/* POST /cases/{ref}/close */
void page_case_close(struct kk_req *r)
{
	static const struct case_field fields[] = { { "reason", CF_TEXT | CF_KEEP_EMPTY }, { NULL, 0 } };

	post(r, fields, close_case, "close", "close", "case-facts");
}

/* ---- statuses, countermeasures, statements, suggestions (a vendor, or the coordinator for one) ---- */

/* POST /cases/{ref}/status: SPEC 2.7, one vulnerability's status */
void page_case_status(struct kk_req *r)
{
	static const struct case_field fields[] = { { "vulnerability", CF_INT },
						    { "status", CF_TEXT | CF_KEEP_EMPTY },
						    { "note", CF_TEXT },
						    { "fixed_versions", CF_LIST },
						    { "vendor_id", CF_INT },
						    { NULL, 0 } };
	const char *n = kk_req_field(r, "vulnerability");
	/* a vendor has a form per vulnerability, the coordinator one for all */
	const char *failed = r->user.role == KK_ROLE_VENDOR ? kk_req_printf(r, "status-%s", n ? n : "") : "status";
	const char *anchor = r->user.role == KK_ROLE_VENDOR ? kk_req_printf(r, "vuln-%s", n ? n : "") : "sec-vendors";

	post(r, fields, kk_case_status_set, "status", failed, anchor ? anchor : "sec-vulns");
}

/* POST /cases/{ref}/countermeasures */
void page_case_countermeasure(struct kk_req *r)
{
	static const struct case_field fields[] = { { "vulnerability", CF_INT },
						    { "product_name", CF_TEXT },
						    { "fixed_versions", CF_LIST },
						    { "urls", CF_WORDS },
						    { "workaround_ja", CF_TEXT },
						    { "workaround_en", CF_TEXT },
						    { "vendor_id", CF_INT },
						    { NULL, 0 } };

	post(r, fields, kk_case_countermeasure_put, "cm", "cm", "sec-countermeasures");
}

/* POST /cases/{ref}/statement: SPEC 2.11, printed with the advisory */
void page_case_statement(struct kk_req *r)
{
	static const struct case_field fields[] = { { "ja", CF_TEXT | CF_KEEP_EMPTY },
						    { "en", CF_TEXT | CF_KEEP_EMPTY },
						    { "vendor_id", CF_INT },
						    { NULL, 0 } };

	post(r, fields, kk_case_statement_put, "statement", "statement", "sec-statement");
}

/* POST /cases/{ref}/suggestions */
void page_case_suggest(struct kk_req *r)
{
	static const struct case_field fields[] = { { "vendor_id", CF_INT },
						    { "name", CF_TEXT },
						    { "note", CF_TEXT },
						    { NULL, 0 } };

	post(r, fields, kk_case_suggest, "suggest", "suggest", "sec-suggest");
}

/* POST /cases/{ref}/answer: R §5.1.2, "send the detail" or "not applicable" */
void page_case_answer(struct kk_req *r)
{
	static const struct case_field with_reason[] = { { "answer", CF_TEXT | CF_KEEP_EMPTY },
							 { "reason", CF_TEXT },
							 { NULL, 0 } };
	static const struct case_field answer_only[] = { { "answer", CF_TEXT | CF_KEEP_EMPTY }, { NULL, 0 } };
	const char *answer = kk_req_field(r, "answer");

	/* the one form has both buttons: a reason typed before "send the detail" is not that answer's */
	post(r, answer && !strcmp(answer, "send_detail") ? answer_only : with_reason, kk_case_answer, "answer",
	     "answer", "sec-summary");
}

/* ---- SPEC 2.13: a message in a thread ---- */

/* POST /cases/{ref}/messages */
void page_case_message(struct kk_req *r)
{
	static const struct case_field fields[] = { { "thread", CF_TEXT | CF_KEEP_EMPTY },
						    { "vendor_id", CF_INT },
						    { "finder", CF_TEXT },
						    { "body", CF_TEXT | CF_KEEP_EMPTY },
						    { "kind", CF_TEXT },
						    { NULL, 0 } };
	const char *thread = kk_req_field(r, "reply_to");
	int64_t id = 0;
	const char *failed = thread && kk_parse_id(thread, &id) == 0 ? kk_req_printf(r, "message-%lld", (long long)id)
			     : thread && !strcmp(thread, "finder")	 ? "message-finder"
									 : "message-new";

	post(r, fields, kk_case_message_post, "message", failed, "messages");
}
