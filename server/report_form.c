/*
 * report_form.c: the report form's fields, and the way between the form and
 * the JSON body of docs/api/reports.md (report_form.h), for the finder's form
 * (SPEC 2.1, 3.1) and intake completing a report that came by mail (issue 11).
 *
 * A submitted form is turned into exactly the JSON body the API takes and
 * validated by the same core call, so a finder, or staff completing a report,
 * see the same messages whichever way they send it; each message is shown
 * next to the field the core names.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "report_form.h"
#include "http_internal.h"
#include "keikai/i18n.h"
#include "keikai/settings.h"
#include "keikai/util.h"

enum field_type {
	FIELD_TEXT, /* text, or radios with string values; omitted when empty */
	FIELD_BOOL, /* radios "true" / "false"; anything else goes to the core as a string */
};

#define FOR_PRODUCT (1u << KK_REPORT_PRODUCT)
#define FOR_WEBSITE (1u << KK_REPORT_WEBSITE)
#define FOR_BOTH (FOR_PRODUCT | FOR_WEBSITE)

/* The form's fields in the order of the page, with the label the error summary
 * uses (the same msgid as the form's label). finder_only: a field the
 * completing form does not have. */
static const struct report_field {
	const char *path;
	enum field_type type;
	unsigned kinds;
	const char *label;
	int finder_only;
} report_fields[] = {
	/* SPEC 2.1 ア イ: who the finder is and how to reach them */
	{ "finder.name", FIELD_TEXT, FOR_BOTH, N_("Name"), 0 },
	{ "finder.email", FIELD_TEXT, FOR_BOTH, N_("E-mail address for contact"), 0 },
	{ "finder.organization", FIELD_TEXT, FOR_BOTH, N_("Organisation"), 0 },
	{ "finder.phone", FIELD_TEXT, FOR_BOTH, N_("Telephone number"), 0 },
	{ "finder.pgp_key", FIELD_TEXT, FOR_BOTH, N_("PGP public key"), 0 },
	/* SPEC 2.1 ウ エ オ ク, 3.1: what may be done with the finder's identity */
	{ "consent.share_identity", FIELD_BOOL, FOR_PRODUCT,
	  N_("Passing your name and contact details to the vendor"), 0 },
	{ "consent.share_identity", FIELD_BOOL, FOR_WEBSITE,
	  N_("Passing your name and contact details to the site operator"), 0 },
	{ "consent.direct_contact", FIELD_BOOL, FOR_PRODUCT, N_("Direct contact from the vendor"), 0 },
	{ "consent.direct_contact", FIELD_BOOL, FOR_WEBSITE, N_("Direct contact from the site operator"), 0 },
	{ "consent.credit", FIELD_BOOL, FOR_BOTH, N_("Publishing your name as the finder"), 0 },
	{ "consent.credit_name", FIELD_TEXT, FOR_BOTH, N_("Name to publish"), 0 },
	/* SPEC 2.1 カ, 3.1: the subject */
	{ "product.vendor", FIELD_TEXT, FOR_PRODUCT, N_("Vendor"), 0 },
	{ "product.name", FIELD_TEXT, FOR_PRODUCT, N_("Product name"), 0 },
	{ "product.version", FIELD_TEXT, FOR_PRODUCT, N_("Version"), 0 },
	{ "website.url", FIELD_TEXT, FOR_WEBSITE, N_("URL of the web site"), 0 },
	/* SPEC 2.1 キ: the vulnerability */
	{ "details.summary", FIELD_TEXT, FOR_BOTH, N_("Summary"), 0 },
	{ "details.environment", FIELD_TEXT, FOR_BOTH, N_("Environment in which you confirmed it"), 0 },
	{ "details.steps", FIELD_TEXT, FOR_BOTH, N_("Steps to reproduce"), 0 },
	{ "details.result", FIELD_TEXT, FOR_BOTH, N_("Result"), 0 },
	{ "details.impact", FIELD_TEXT, FOR_BOTH, N_("Possible threats"), 0 },
	{ "details.workaround", FIELD_TEXT, FOR_BOTH, N_("Workaround"), 0 },
	/* issue 11: only kk_report_from_body opens it; a mail's encrypted text was opened by mail-in */
	{ "details.encrypted", FIELD_TEXT, FOR_BOTH, N_("Encrypted details"), 1 },
	{ "details.cvss_vector", FIELD_TEXT, FOR_BOTH, N_("CVSS vector"), 0 },
	/* SPEC 2.1 ケ, G IV.2.3: reports made to others, who coordinates */
	{ "other_reports.reported_elsewhere", FIELD_BOOL, FOR_BOTH, N_("Reported to other organisations"), 0 },
	{ "other_reports.to_whom", FIELD_TEXT, FOR_BOTH, N_("Reported to"), 0 },
	{ "other_reports.vendor_told_directly", FIELD_BOOL, FOR_PRODUCT, N_("Reported to the vendor directly"), 0 },
	{ "other_reports.vendor_told_directly", FIELD_BOOL, FOR_WEBSITE,
	  N_("Reported to the site operator directly"), 0 },
	{ "other_reports.coordinated_by", FIELD_TEXT, FOR_BOTH, N_("Who coordinates from now on"), 0 },
	/* P 1: further contact */
	{ "wants_final_result", FIELD_BOOL, FOR_BOTH, N_("Report of the final fix"), 0 },
	{ "encrypted_contact", FIELD_BOOL, FOR_BOTH, N_("Encrypted contact"), 0 },
};

#define N_FIELDS (sizeof(report_fields) / sizeof(report_fields[0]))

/* Whether field f is on the form of kind (the completing form when completing). */
static int on_form(const struct report_field *f, enum kk_report_kind kind, int completing)
{
	return (f->kinds & (1u << kind)) && !(completing && f->finder_only);
}

int report_form_kind(const char *s, enum kk_report_kind *out)
{
	if (s && strcmp(s, "product") == 0)
		*out = KK_REPORT_PRODUCT;
	else if (s && strcmp(s, "website") == 0)
		*out = KK_REPORT_WEBSITE;
	else
		return -1;
	return 0;
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

/* obj.a.b, or NULL when some part of the path is missing. */
static const json_t *get_path(const json_t *obj, const char *path)
{
	const char *dot;

	while (obj && (dot = strchr(path, '.')) != NULL) {
		char key[64];
		size_t n = (size_t)(dot - path);

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		obj = json_object_get(obj, key);
		path = dot + 1;
	}
	return obj ? json_object_get(obj, path) : NULL;
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

		if (!u->field || strcmp(u->field, REPORT_FORM_ATTACHMENTS) != 0 || kk_str_empty(u->filename))
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

json_t *report_form_to_json(struct kk_req *r, enum kk_report_kind kind, int completing)
{
	json_t *body = json_pack("{s:s}", "kind", kk_report_kind_name(kind));
	json_t *files;

	for (size_t i = 0; body && i < N_FIELDS; i++) {
		const struct report_field *f = &report_fields[i];
		json_t *given, *val;
		const char *s;

		if (!on_form(f, kind, completing))
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
	else if (json_object_set_new(body, REPORT_FORM_ATTACHMENTS, files) != 0)
		goto fail;
	return body;
fail:
	json_decref(body);
	return NULL;
}

int report_form_problems(struct kk_req *r, const struct kk_error *err, struct report_form_view *v)
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

		if (!on_form(f, v->kind, v->completing))
			continue;
		m = json_string_value(json_object_get(err->fields, f->path));
		if (m && k < n)
			p[k++] = (struct form_problem){ f->path, f->path, _(f->label), m };
	}
	json_object_foreach(err->fields, path, msg) {
		const char *m = json_string_value(msg);
		int placed = 0;
		size_t len = strlen(REPORT_FORM_ATTACHMENTS);

		if (!m)
			continue;
		if (strncmp(path, REPORT_FORM_ATTACHMENTS, len) == 0 && (path[len] == '\0' || path[len] == '[')) {
			if (k < n)
				p[k++] = (struct form_problem){ path, REPORT_FORM_ATTACHMENTS, _("Evidence files"), m };
			continue;
		}
		for (size_t i = 0; i < N_FIELDS && !placed; i++)
			placed = on_form(&report_fields[i], v->kind, v->completing) &&
				 strcmp(report_fields[i].path, path) == 0;
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

json_t *report_form_values(const json_t *report, enum kk_report_kind kind)
{
	json_t *form = json_object();

	for (size_t i = 0; form && i < N_FIELDS; i++) {
		const struct report_field *f = &report_fields[i];
		const char *s = json_string_value(get_path(report, f->path));

		/* Issue 11: only texts. A report by mail answered none of the yes/no
		 * questions (its columns hold "no" only because they need a value):
		 * pre-choosing "no" would put an answer in the finder's mouth, so
		 * staff choose each from what the mail says, and the core insists. */
		if (!on_form(f, kind, 1) || f->type != FIELD_TEXT || kk_str_empty(s))
			continue;
		if (json_object_set_new(form, f->path, json_string(s)) != 0) {
			json_decref(form);
			form = NULL;
		}
	}
	return form;
}

void report_form_render(struct kk_req *r, unsigned status, struct report_form_view *v)
{
	const char *title;
	enum kk_result res;

	if (v->completing) {
		/* issue 11: staff's page; the organisation's key is the finder's business */
		title = kk_req_printf(r, _("Complete report %s"), v->tracking_id);
		res = title ? page_begin(r, title, v->action) : KK_ENOMEM;
	} else {
		char *fpr = kk_setting_get(r->store, "pgp_fingerprint", "");

		title = v->kind == KK_REPORT_PRODUCT ? _("Report a software product vulnerability")
						     : _("Report a web-site vulnerability");
		res = page_begin(r, title, v->action);
		/* issue 11: the form links the organisation's OpenPGP key when it has one */
		if (!fpr)
			res = KK_ENOMEM;
		else if (fpr[0])
			v->pgp_fingerprint = kk_req_strdup(r, fpr);
		free(fpr);
	}
	if (res == KK_OK)
		res = tmpl_report_form(&r->reply, r, v);
	page_end(r, status, res);
}
