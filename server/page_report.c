/*
 * page_report.c: the finder's side of the site: the home page, the choice of
 * report, the report forms for software products and web sites (SPEC 2.1, 3.1)
 * and the status page a finder follows a report on (SPEC 2.13): the stage of
 * the case it joined and the finder's thread with the staff (case.h).
 *
 * The form's field names are the JSON paths of docs/api/reports.md. A submitted
 * form is turned into exactly the JSON body the API takes and validated by the
 * same core call, so a finder sees the same messages whichever way they report;
 * each message is shown next to the field the core names. Nothing here decides
 * what is valid.
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/case.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "keikai/settings.h"
#include "page.h"

enum field_type {
	FIELD_TEXT, /* text, or radios with string values; omitted when empty */
	FIELD_BOOL, /* radios "true" / "false"; anything else goes to the core as a string */
};

#define FOR_PRODUCT (1u << KK_REPORT_PRODUCT)
#define FOR_WEBSITE (1u << KK_REPORT_WEBSITE)
#define FOR_BOTH (FOR_PRODUCT | FOR_WEBSITE)

/* The form's fields in the order of the page, with the label the error summary
 * uses (the same msgid as the form's label). */
static const struct report_field {
	const char *path;
	enum field_type type;
	unsigned kinds;
	const char *label;
} report_fields[] = {
	/* SPEC 2.1 ア イ: who the finder is and how to reach them */
	{ "finder.name", FIELD_TEXT, FOR_BOTH, N_("Name") },
	{ "finder.email", FIELD_TEXT, FOR_BOTH, N_("E-mail address for contact") },
	{ "finder.organization", FIELD_TEXT, FOR_BOTH, N_("Organisation") },
	{ "finder.phone", FIELD_TEXT, FOR_BOTH, N_("Telephone number") },
	{ "finder.pgp_key", FIELD_TEXT, FOR_BOTH, N_("PGP public key") },
	/* SPEC 2.1 ウ エ オ ク, 3.1: what may be done with the finder's identity */
	{ "consent.share_identity", FIELD_BOOL, FOR_PRODUCT, N_("Passing your name and contact details to the vendor") },
	{ "consent.share_identity", FIELD_BOOL, FOR_WEBSITE,
	  N_("Passing your name and contact details to the site operator") },
	{ "consent.direct_contact", FIELD_BOOL, FOR_PRODUCT, N_("Direct contact from the vendor") },
	{ "consent.direct_contact", FIELD_BOOL, FOR_WEBSITE, N_("Direct contact from the site operator") },
	{ "consent.credit", FIELD_BOOL, FOR_BOTH, N_("Publishing your name as the finder") },
	{ "consent.credit_name", FIELD_TEXT, FOR_BOTH, N_("Name to publish") },
	/* SPEC 2.1 カ, 3.1: the subject */
	{ "product.vendor", FIELD_TEXT, FOR_PRODUCT, N_("Vendor") },
	{ "product.name", FIELD_TEXT, FOR_PRODUCT, N_("Product name") },
	{ "product.version", FIELD_TEXT, FOR_PRODUCT, N_("Version") },
	{ "website.url", FIELD_TEXT, FOR_WEBSITE, N_("URL of the web site") },
	/* SPEC 2.1 キ: the vulnerability */
	{ "details.summary", FIELD_TEXT, FOR_BOTH, N_("Summary") },
	{ "details.environment", FIELD_TEXT, FOR_BOTH, N_("Environment in which you confirmed it") },
	{ "details.steps", FIELD_TEXT, FOR_BOTH, N_("Steps to reproduce") },
	{ "details.result", FIELD_TEXT, FOR_BOTH, N_("Result") },
	{ "details.impact", FIELD_TEXT, FOR_BOTH, N_("Possible threats") },
	{ "details.workaround", FIELD_TEXT, FOR_BOTH, N_("Workaround") },
	{ "details.encrypted", FIELD_TEXT, FOR_BOTH, N_("Encrypted details") }, /* issue 11 */
	{ "details.cvss_vector", FIELD_TEXT, FOR_BOTH, N_("CVSS vector") },
	/* SPEC 2.1 ケ, G IV.2.3: reports made to others, who coordinates */
	{ "other_reports.reported_elsewhere", FIELD_BOOL, FOR_BOTH, N_("Reported to other organisations") },
	{ "other_reports.to_whom", FIELD_TEXT, FOR_BOTH, N_("Reported to") },
	{ "other_reports.vendor_told_directly", FIELD_BOOL, FOR_PRODUCT, N_("Reported to the vendor directly") },
	{ "other_reports.vendor_told_directly", FIELD_BOOL, FOR_WEBSITE, N_("Reported to the site operator directly") },
	{ "other_reports.coordinated_by", FIELD_TEXT, FOR_BOTH, N_("Who coordinates from now on") },
	/* P 1: further contact */
	{ "wants_final_result", FIELD_BOOL, FOR_BOTH, N_("Report of the final fix") },
	{ "encrypted_contact", FIELD_BOOL, FOR_BOTH, N_("Encrypted contact") },
};

#define N_FIELDS (sizeof(report_fields) / sizeof(report_fields[0]))

/* The file input; its errors are "attachments" and "attachments[N].x". */
#define ATTACHMENTS "attachments"

static int kind_from_param(const char *s, enum kk_report_kind *out)
{
	if (s && strcmp(s, "product") == 0)
		*out = KK_REPORT_PRODUCT;
	else if (s && strcmp(s, "website") == 0)
		*out = KK_REPORT_WEBSITE;
	else
		return -1;
	return 0;
}

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

static void render_form(struct kk_req *r, unsigned status, struct report_form_view *v)
{
	const char *title = v->kind == KK_REPORT_PRODUCT ? _("Report a software product vulnerability")
							 : _("Report a web-site vulnerability");
	enum kk_result res = page_begin(r, title, v->action);
	char *fpr = kk_setting_get(r->store, "pgp_fingerprint", "");

	/* issue 11: the form links the organisation's OpenPGP key when it has one */
	if (!fpr)
		res = KK_ENOMEM;
	else if (fpr[0])
		v->pgp_fingerprint = kk_req_strdup(r, fpr);
	free(fpr);
	if (res == KK_OK)
		res = tmpl_report_form(&r->reply, r, v);
	page_end(r, status, res);
}

void page_report_form(struct kk_req *r)
{
	struct report_form_view v = { 0 };

	if (kind_from_param(r->params[0], &v.kind) != 0) {
		page_error(r, 404, _("There is no such report form."));
		return;
	}
	v.action = v.kind == KK_REPORT_PRODUCT ? "/report/product" : "/report/website";
	render_form(r, 200, &v);
}

/* Sets obj.a.b = val (val stolen), creating the objects on the way. */
static int set_path(json_t *obj, const char *path, json_t *val)
{
	const char *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		char key[64];
		size_t n = (size_t)(dot - path);
		json_t *child;

		if (n >= sizeof(key))
			goto fail;
		memcpy(key, path, n);
		key[n] = '\0';
		child = json_object_get(obj, key);
		if (!child) {
			child = json_object();
			if (!child || json_object_set_new(obj, key, child) != 0)
				goto fail;
		}
		obj = child;
		path = dot + 1;
	}
	return json_object_set_new(obj, path, val);
fail:
	json_decref(val);
	return -1;
}

/* The media type of an upload without parameters, or application/octet-stream. */
static const char *upload_type(struct kk_req *r, const char *ct)
{
	size_t n;

	if (kk_str_empty(ct))
		return "application/octet-stream";
	n = strcspn(ct, ";");
	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return ct[n] ? kk_req_printf(r, "%.*s", (int)n, ct) : ct;
}

/* The uploaded evidence as the API's "attachments" array (SPEC 2.1 キ). */
static json_t *attachments_json(struct kk_req *r)
{
	json_t *list = json_array();

	for (size_t i = 0; list && i < r->n_uploads; i++) {
		const struct kk_upload *u = &r->uploads[i];
		size_t len = sodium_base64_ENCODED_LEN(u->data.len, sodium_base64_VARIANT_ORIGINAL);
		const char *type;
		char *b64;
		json_t *item, *name;

		if (!u->field || strcmp(u->field, ATTACHMENTS) != 0 || kk_str_empty(u->filename))
			continue;
		b64 = kk_malloc(len);
		type = upload_type(r, u->content_type);
		if (!b64 || !type)
			goto fail;
		sodium_bin2base64(b64, len, (const unsigned char *)(u->data.data ? u->data.data : ""), u->data.len,
				  sodium_base64_VARIANT_ORIGINAL);
		name = json_string(u->filename);
		item = json_pack("{s:o, s:s, s:s}", "filename", name ? name : json_string(""), "content_type", type,
				 "data_base64", b64);
		free(b64);
		if (!item || json_array_append_new(list, item) != 0)
			goto fail;
	}
	return list;
fail:
	json_decref(list);
	return NULL;
}

/* The API's JSON body from the submitted form; NULL when out of memory. */
static json_t *form_to_json(struct kk_req *r, enum kk_report_kind kind)
{
	json_t *body = json_pack("{s:s}", "kind", kk_report_kind_name(kind));
	json_t *files;

	for (size_t i = 0; body && i < N_FIELDS; i++) {
		const struct report_field *f = &report_fields[i];
		json_t *given, *val;
		const char *s;

		if (!(f->kinds & (1u << kind)))
			continue;
		given = json_object_get(r->form, f->path);
		s = json_string_value(given);
		if (!s)
			continue; /* absent: the core says whether it is missing */
		if (f->type == FIELD_BOOL && strcmp(s, "true") == 0)
			val = json_true();
		else if (f->type == FIELD_BOOL && strcmp(s, "false") == 0)
			val = json_false();
		else if (f->type == FIELD_TEXT && *s == '\0')
			continue;
		else
			val = json_incref(given);
		if (set_path(body, f->path, val) != 0)
			goto fail;
	}
	if (!body)
		return NULL;
	files = attachments_json(r);
	if (!files)
		goto fail;
	if (json_array_size(files) == 0)
		json_decref(files);
	else if (json_object_set_new(body, ATTACHMENTS, files) != 0)
		goto fail;
	return body;
fail:
	json_decref(body);
	return NULL;
}

/* Sorts the core's field errors into the order of the form (v->problems) and
 * those no control of the form shows (v->unplaced); a report without field errors
 * gets the core's message as its one problem. */
static int collect_problems(struct kk_req *r, const struct kk_error *err, struct report_form_view *v)
{
	size_t n = json_object_size(err->fields), k = 0, u = 0;
	struct form_problem *p = kk_req_alloc(r, (n + 1) * sizeof(*p));
	struct form_problem *other = kk_req_alloc(r, (n + 1) * sizeof(*other));
	const char *path;
	json_t *msg;

	if (!p || !other)
		return -1;
	for (size_t i = 0; i < N_FIELDS; i++) {
		const struct report_field *f = &report_fields[i];
		const char *m;

		if (!(f->kinds & (1u << v->kind)))
			continue;
		m = json_string_value(json_object_get(err->fields, f->path));
		if (m && k < n)
			p[k++] = (struct form_problem){ f->path, f->path, _(f->label), m };
	}
	json_object_foreach(err->fields, path, msg) {
		const char *m = json_string_value(msg);
		int placed = 0;
		size_t len = strlen(ATTACHMENTS);

		if (!m)
			continue;
		if (strncmp(path, ATTACHMENTS, len) == 0 && (path[len] == '\0' || path[len] == '[')) {
			if (k < n)
				p[k++] = (struct form_problem){ path, ATTACHMENTS, _("Evidence files"), m };
			continue;
		}
		for (size_t i = 0; i < N_FIELDS && !placed; i++)
			placed = (report_fields[i].kinds & (1u << v->kind)) && strcmp(report_fields[i].path, path) == 0;
		if (placed || k >= n)
			continue;
		other[u] = (struct form_problem){ path, NULL, NULL, m };
		p[k++] = (struct form_problem){ path, NULL, NULL, kk_req_printf(r, "%s: %s", path, m) };
		u++;
	}
	if (k == 0) /* a fault of the report as a whole */
		p[k++] = (struct form_problem){ "", NULL, NULL, err->msg[0] ? err->msg : _("The report has errors.") };
	v->problems = p;
	v->n_problems = k;
	v->unplaced = other;
	v->n_unplaced = u;
	return 0;
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

	if (kind_from_param(r->params[0], &v.kind) != 0) {
		page_error(r, 404, _("There is no such report form."));
		return;
	}
	v.action = v.kind == KK_REPORT_PRODUCT ? "/report/product" : "/report/website";
	body = form_to_json(r, v.kind);
	if (!body) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	res = kk_report_from_body(r->store, body, &report, &err);
	if (res == KK_EINVAL) {
		v.form = r->form;
		v.errors = err.fields;
		v.error_title = _("The report could not be sent. Please correct these items:");
		if (collect_problems(r, &err, &v) != 0) {
			page_error(r, 500, _("Out of memory."));
			goto out;
		}
		render_form(r, 400, &v);
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
