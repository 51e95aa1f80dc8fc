/*
 * page_case.c: one case as a page (SPEC 2.4-2.7, 2.13; issue 9 item 7): for
 * staff the whole case with the coordinator's forms and vulnerabilities x
 * vendors as one grid of statuses (templates/case_staff.html); for a vendor
 * user the vendor's stage of it (templates/case_vendor.html): the summary and
 * the answer form, and after asking for the detail, the detail with its
 * statuses, countermeasures, statement and suggestions. The threads of the
 * case the reader may see follow either (templates/case_threads.html).
 *
 * Everything shown is the JSON the core's functions of keikai/case.h return
 * for this reader; a case the reader may not see is the 404 page of a case
 * that does not exist. Also here: what the case pages share (page_case.h).
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/vendor.h"
#include "page.h"
#include "page_case.h"

/* ---- forms to the core's JSON ---- */

/* The items of text separated by any of seps, trimmed, as a JSON array
 * (blank items are dropped). NULL without memory. */
static json_t *split_list(const char *text, const char *seps)
{
	json_t *list = json_array();

	while (list && text && *text) {
		size_t n = strcspn(text, seps), b = 0, e = n;

		while (b < e && (text[b] == ' ' || text[b] == '\t'))
			b++;
		while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t'))
			e--;
		if (e > b && json_array_append_new(list, json_stringn(text + b, e - b)) != 0) {
			json_decref(list);
			return NULL;
		}
		text += n;
		if (*text)
			text++;
	}
	return list;
}

/* A form's integer field: 0 or a positive decimal id; anything else is sent
 * as typed, so the core names the field in its refusal. */
static json_t *int_value(const char *s)
{
	int64_t v = 0;

	if (!strcmp(s, "0") || kk_parse_id(s, &v) == 0)
		return json_integer(v);
	return json_string(s);
}

json_t *page_case_form_body(struct kk_req *r, const struct case_field *fields)
{
	json_t *body = json_object();

	for (size_t i = 0; body && fields[i].name; i++) {
		const char *s = kk_req_field(r, fields[i].name);
		unsigned kind = fields[i].kind & 0xff;
		json_t *v = NULL;

		if (!s || (kk_str_empty(s) && kind != CF_BOOL && !(fields[i].kind & CF_KEEP_EMPTY)))
			continue;
		switch (kind) {
		case CF_TEXT: v = json_string(s); break;
		case CF_INT: v = int_value(s); break;
		case CF_BOOL: v = json_boolean(!strcmp(s, "1") || !strcmp(s, "on")); break;
		case CF_LIST: v = split_list(s, ",\r\n"); break;
		default: v = split_list(s, ", \t\r\n"); break;
		}
		if (!v || json_object_set_new(body, fields[i].name, v) != 0) {
			json_decref(body);
			body = NULL;
		}
	}
	return body;
}

/* ---- times for display ---- */

static int is_time_key(const char *k)
{
	size_t n = strlen(k);

	return !strcmp(k, "day0") || !strcmp(k, "at") || !strcmp(k, "date") || (n > 3 && !strcmp(k + n - 3, "_at"));
}

int page_case_times(json_t *j)
{
	if (json_is_array(j)) {
		for (size_t i = 0; i < json_array_size(j); i++)
			if (page_case_times(json_array_get(j, i)) != 0)
				return -1;
		return 0;
	}
	if (!json_is_object(j))
		return 0;
	/* the members to add are gathered first: an object must not change while walked */
	json_t *add = json_object();
	const char *k;
	json_t *m;
	int rc = add ? 0 : -1;

	json_object_foreach (j, k, m) {
		struct page_when w;
		int64_t t = 0;

		if (rc == 0 && json_is_object(m))
			rc = page_case_times(m);
		else if (rc == 0 && json_is_array(m))
			rc = page_case_times(m);
		if (rc != 0 || !is_time_key(k))
			continue;
		if (json_is_integer(m))
			t = json_integer_value(m);
		else if (!json_is_string(m) || kk_time_parse(json_string_value(m), &t) != 0)
			continue;
		page_when(t, &w);
		if (!w.iso[0])
			continue;
		char key[128];

		snprintf(key, sizeof(key), "%s_iso", k);
		if (json_object_set_new(add, key, json_string(w.iso)) != 0)
			rc = -1;
		snprintf(key, sizeof(key), "%s_text", k);
		if (rc == 0 && json_object_set_new(add, key, json_string(w.text)) != 0)
			rc = -1;
	}
	if (rc == 0 && json_object_update(j, add) != 0)
		rc = -1;
	json_decref(add);
	return rc;
}

const char *page_case_ref_enc(struct kk_req *r)
{
	return page_urlenc(r, r->params[0]);
}

/* ---- the page ---- */

/* The statuses a reader of role may choose: every state of the vendor status
 * table that some move of the role leads to (the table names a move as the
 * state it leads to; case.h). -1 without memory. */
static int status_choices(struct kk_req *r, struct case_page_view *v)
{
	const struct kk_flow *f = &kk_vendor_status_flow;
	struct case_status_choice *out = kk_req_alloc(r, (f->n_states ? f->n_states : 1) * sizeof(*out));
	size_t n = 0;

	if (!out)
		return -1;
	for (size_t i = 0; i < f->n_states; i++) {
		int any = 0;

		for (size_t k = 0; k < f->n_transitions && !any; k++)
			any = !strcmp(f->transitions[k].event, f->states[i].name) &&
			      (f->transitions[k].roles & KK_ROLE_BIT(r->user.role));
		if (any) {
			out[n].name = f->states[i].name;
			out[n++].label = _(f->states[i].label);
		}
	}
	v->choices = out;
	v->n_choices = n;
	return 0;
}

/* Adds "channel_label" and "stage_label" to each contact attempt of each
 * vendor of case c, in the reader's language. -1 without memory. */
static int label_attempts(json_t *c)
{
	const json_t *vendors = json_object_get(c, "vendors");

	for (size_t i = 0; i < json_array_size(vendors); i++) {
		json_t *tries = json_object_get(json_array_get(vendors, i), "contact_attempts");

		for (size_t k = 0; k < json_array_size(tries); k++) {
			json_t *t = json_array_get(tries, k);
			const char *stage = json_string_value(json_object_get(t, "stage"));
			enum kk_contact_channel ch;

			if (kk_contact_channel_parse(json_string_value(json_object_get(t, "channel")), &ch) == 0 &&
			    json_object_set_new(t, "channel_label", json_string(kk_contact_channel_label(ch))) != 0)
				return -1;
			/* SPEC 2.6: the summary notice, or a reminder of it */
			stage = !stage			      ? NULL
				: !strcmp(stage, "summary")  ? _("Summary notice")
				: !strcmp(stage, "reminder") ? _("Reminder")
							     : stage;
			if (stage && json_object_set_new(t, "stage_label", json_string(stage)) != 0)
				return -1;
		}
	}
	return 0;
}

/* The list member `key` of what a core call returned, or NULL when the reader
 * may not see any (KK_EDENIED); *failed set to the call's result otherwise. */
static const json_t *optional_list(enum kk_result res, const json_t *out, const char *key, enum kk_result *failed)
{
	if (res == KK_OK)
		return json_object_get(out, key);
	if (res != KK_EDENIED)
		*failed = res;
	return NULL;
}

/* The translated note of what was saved (?saved=), or NULL. */
static const char *saved_text(const char *what)
{
	static const struct {
		const char *key, *text;
	} notes[] = {
		{ "update", N_("The case has been saved.") },
		{ "vuln", N_("The vulnerability has been added.") },
		{ "vendor", N_("The vendor has been added to the case.") },
		{ "notify", N_("The summary notice has been queued for the vendors ticked.") },
		{ "status", N_("The status has been recorded.") },
		{ "cm", N_("The countermeasure has been saved.") },
		{ "statement", N_("The statement has been saved.") },
		{ "suggest", N_("Your suggestion has been sent to the coordinator.") },
		{ "message", N_("The message has been sent.") },
		{ "answer", N_("Your answer has been sent to the coordinator.") },
		{ "close", N_("The case has been closed.") },
	};

	for (size_t i = 0; what && i < sizeof(notes) / sizeof(notes[0]); i++)
		if (!strcmp(what, notes[i].key))
			return _(notes[i].text);
	return NULL;
}

void page_case_render(struct kk_req *r, unsigned status, const char *saved, const char *failed,
		    const struct kk_error *failure)
{
	const char *ref = r->params[0];
	struct kk_error err = KK_ERROR_INIT;
	struct case_page_view v = { 0 };
	json_t *c = NULL, *threads = NULL, *sugg = NULL;
	enum kk_result res = kk_case_get(r->store, &r->user, ref, &c, &err), other = KK_OK;
	int staff = r->user.role != KK_ROLE_VENDOR;

	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	kk_error_clear(&err);
	res = kk_case_threads(r->store, &r->user, ref, &threads, &err);
	v.threads = optional_list(res, threads, "threads", &other);
	if (other == KK_OK) {
		kk_error_clear(&err);
		res = kk_case_suggestions(r->store, &r->user, ref, &sugg, &err);
		v.suggestions = optional_list(res, sugg, "suggestions", &other);
	}
	if (other != KK_OK) {
		page_error(r, kk_status_for(other), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	v.ref_enc = page_case_ref_enc(r);
	if (!v.ref_enc || page_case_times(c) != 0 || label_attempts(c) != 0 || page_case_times(threads) != 0 || status_choices(r, &v) != 0) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	v.c = c;
	if (!staff) {
		/* a vendor's own entry is the only one it is given (case.h) */
		const json_t *vendors = json_object_get(c, "vendors");

		for (size_t i = 0; i < json_array_size(vendors) && !v.own; i++)
			if (json_integer_value(json_object_get(json_array_get(vendors, i), "vendor_id")) == r->user.vendor_id)
				v.own = json_array_get(vendors, i);
	}
	v.saved = failed ? NULL : saved_text(saved);
	if (failed && failure) {
		v.failed = failed;
		v.form = r->form;
		v.errors = failure->fields;
		v.error = kk_error_has_fields(failure)
				  ? _("The change was not saved. Please correct the items marked below.")
				  : failure->msg;
	}
	res = page_begin(r, kk_req_printf(r, "%s %s", ref, json_string_value(json_object_get(c, "title"))),
			 kk_req_printf(r, "/cases/%s", v.ref_enc));
	if (res == KK_OK)
		res = staff ? tmpl_case_staff(&r->reply, r, &v) : tmpl_case_vendor(&r->reply, r, &v);
	page_end(r, status, res);
out:
	json_decref(c);
	json_decref(threads);
	json_decref(sugg);
	kk_error_release(&err);
}

/* GET /cases/{ref} */
void page_case_show(struct kk_req *r)
{
	page_case_render(r, 200, kk_req_query(r, "saved"), NULL, NULL);
}

void page_case_after_post(struct kk_req *r, enum kk_result res, const struct kk_error *err, const char *saved,
		     const char *failed, const char *anchor)
{
	const char *enc = page_case_ref_enc(r);

	if (!enc)
		page_error(r, 500, _("Out of memory."));
	else if (res == KK_OK)
		kk_reply_redirect(r, kk_req_printf(r, "/cases/%s?saved=%s#%s", enc, saved, anchor));
	else if (res == KK_EINVAL || res == KK_ECONFLICT || res == KK_EEXISTS || kk_error_has_fields(err))
		page_case_render(r, kk_status_for(res), NULL, failed, err);
	else
		page_error(r, kk_status_for(res), err->msg[0] ? err->msg : NULL);
}
