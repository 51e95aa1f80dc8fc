/*
 * page_advisory_case.c: a case's advisory as a page (issue 12, SPEC 6): GET
 * /cases/{ref}/advisory shows kk_advisory_get to its reader. The coordinator
 * gets the form with both languages' texts, the vectors, links and lists, the
 * flow's buttons (approve, withdraw) and, after publication, the form again to
 * revise with a note of what changed; intake and admin read the same without
 * forms; a vendor notified of the case previews the draft, its own entry of
 * the vendor table only, and comments (SPEC 6: "vendors of the case preview
 * the draft and may comment before the date"). Anyone else gets what the core
 * answers for the case: the 404 of a case that does not exist (SPEC 1).
 *
 * The form's fields are the JSON paths of docs/api/advisories.md; the lists
 * are text, one item a line (page_advisory_forms.c turns them into the body).
 * A refused form comes back with what was typed and each fault next to its
 * field, in the reader's language, and a summary at the top, as the report
 * form does (report_form.c).
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "keikai/advisory.h"
#include "keikai/i18n.h"
#include "page.h"
#include "page_advisory.h"
#include "page_case.h"

/* What was just done (?saved=), translated, or NULL. */
static const char *saved_text(const char *what)
{
	static const struct {
		const char *key, *text;
	} notes[] = {
		{ "save", N_("The draft has been saved.") },
		{ "approve",
		  N_("The advisory is approved: keikai publishes it at the case's publication date and time.") },
		{ "withdraw", N_("The approval has been withdrawn; the advisory is a draft again.") },
		{ "revise", N_("The revision is published; the public history says what changed.") },
		{ "comment", N_("Your comment has been sent to the coordinator.") },
	};

	for (size_t i = 0; what && i < sizeof(notes) / sizeof(notes[0]); i++)
		if (!strcmp(what, notes[i].key))
			return _(notes[i].text);
	return NULL;
}

/* Appends line to the list text `name` of values ("\n" between items). */
static int add_line(json_t *values, const char *name, const char *line)
{
	const char *had = json_string_value(json_object_get(values, name));
	json_t *s = had && *had ? json_sprintf("%s\n%s", had, line) : json_string(line);

	return !s || json_object_set_new(values, name, s) != 0 ? -1 : 0;
}

/* The form's values (field name -> string) of the canonical content c. NULL
 * without memory. */
static json_t *content_values(const json_t *c)
{
	json_t *v = json_object(), *e;
	const json_t *texts = json_object_get(c, "texts");
	size_t i;
	int bad = !v;

	for (int l = 0; !bad && l < 2; l++) {
		const char *lc = l ? "en" : "ja";

		for (size_t k = 0; !bad && advisory_text_fields[k].name; k++) {
			char name[64];
			const json_t *t = json_object_get(texts, lc);
			const char *s = json_string_value(json_object_get(t, advisory_text_fields[k].name));

			snprintf(name, sizeof(name), "texts.%s.%s", lc, advisory_text_fields[k].name);
			bad = json_object_set_new(v, name, json_string(s ? s : "")) != 0;
		}
	}
	for (int k = 0; !bad && k < 3; k++) {
		const char *name = k == 0 ? "cvss3" : k == 1 ? "cvss4" : "kind";
		const char *s = json_string_value(json_object_get(c, name));

		bad = json_object_set_new(v, name, json_string(s ? s : "")) != 0;
	}
	json_array_foreach(json_object_get(c, "references"), i, e) {
		/* one link a line: the address, a space, the title */
		json_t *line = json_sprintf("%s %s", json_string_value(json_object_get(e, "url")),
					    json_string_value(json_object_get(e, "title")));

		bad |= !line || add_line(v, "references", json_string_value(line)) != 0;
		json_decref(line);
	}
	json_array_foreach(json_object_get(c, "cves"), i, e)
		bad |= add_line(v, "cves", json_string_value(e)) != 0;
	json_array_foreach(json_object_get(c, "cpes"), i, e)
		bad |= add_line(v, "cpes", json_string_value(e)) != 0;
	json_array_foreach(json_object_get(c, "cwes"), i, e) {
		const char *had = json_string_value(json_object_get(v, "cwes"));
		json_t *s = had ? json_sprintf("%s, CWE-%lld", had, (long long)json_integer_value(e))
				: json_sprintf("CWE-%lld", (long long)json_integer_value(e));

		bad |= !s || json_object_set_new(v, "cwes", s) != 0;
	}
	if (bad) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* The label of a field of the form, for the summary; NULL for one it has not. */
static const char *field_label(struct kk_req *r, const char *name)
{
	static const struct {
		const char *name, *label;
	} others[] = {
		{ "cvss3", N_("CVSS v3.1 vector") },
		{ "cvss4", N_("CVSS v4.0 vector") },
		{ "references", N_("Related links") },
		{ "cves", N_("CVE IDs") },
		{ "cwes", N_("CWE") },
		{ "cpes", N_("CPE names of the affected products") },
		{ "kind", N_("Kind of public ID") },
		{ "note", N_("Note") },
		{ "note_ja", N_("What changed, in Japanese") },
		{ "note_en", N_("What changed, in English") },
		{ "body", N_("Your comment to the coordinator") },
	};

	if (!strncmp(name, "texts.ja.", 9) || !strncmp(name, "texts.en.", 9)) {
		for (size_t i = 0; advisory_text_fields[i].name; i++)
			if (!strcmp(name + 9, advisory_text_fields[i].name))
				return kk_req_printf(r, "%s (%s)", _(advisory_text_fields[i].label),
						     name[6] == 'j' ? _("Japanese") : _("English"));
		return NULL;
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (!strcmp(name, others[i].name))
			return _(others[i].label);
	return NULL;
}

/* The summary of the faults errs (field name -> message) in the order of the
 * form, then the rest (unplaced: path -> message). -1 without memory. */
static int problems(struct kk_req *r, const json_t *errs, const json_t *unplaced, struct advisory_case_view *v)
{
	static const char *const order[] = { "cvss3", "cvss4", "references", "cves", "cwes", "cpes", "kind",
					     "note", "note_ja", "note_en", "body", NULL };
	size_t n = json_object_size(errs) + json_object_size(unplaced), k = 0;
	struct advisory_problem *p = kk_req_alloc(r, (n + 1) * sizeof(*p));
	const char *path;
	json_t *msg;

	if (!p)
		return -1;
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; advisory_text_fields[i].name; i++) {
			const char *name = kk_req_printf(r, "texts.%s.%s", l ? "en" : "ja", advisory_text_fields[i].name);
			const char *m = name ? json_string_value(json_object_get(errs, name)) : NULL;

			if (m && k < n)
				p[k++] = (struct advisory_problem){ name, field_label(r, name), m };
		}
	for (size_t i = 0; order[i]; i++) {
		const char *m = json_string_value(json_object_get(errs, order[i]));

		if (m && k < n)
			p[k++] = (struct advisory_problem){ order[i], field_label(r, order[i]), m };
	}
	json_object_foreach((json_t *)unplaced, path, msg)
		if (k < n)
			p[k++] = (struct advisory_problem){ NULL, NULL,
							    kk_req_printf(r, "%s: %s", path, json_string_value(msg)) };
	v->problems = p;
	v->n_problems = k;
	return 0;
}

void page_advisory_render(struct kk_req *r, unsigned status, const char *saved, const char *failed,
			  const struct kk_error *failure, const json_t *errors, const json_t *unplaced)
{
	struct kk_error err = KK_ERROR_INIT;
	struct advisory_case_view v = { 0 };
	json_t *a = NULL, *values = NULL;
	const char *state, *id;
	enum kk_result res = kk_advisory_get(r->store, &r->user, r->params[0], &a, &err);

	if (res != KK_OK) {
		/* SPEC 1: a case the reader may not see is a case that does not exist */
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	state = json_string_value(json_object_get(a, "state"));
	id = json_string_value(json_object_get(a, "id"));
	v.a = a;
	v.ref = r->params[0];
	v.ref_enc = page_case_ref_enc(r);
	v.staff = r->user.role != KK_ROLE_VENDOR;
	/* approved: nothing changes until the approval is withdrawn */
	v.editing = cv_true(json_object_get(a, "may"), "write") && strcmp(state, "approved") != 0;
	v.saved = failed ? NULL : saved_text(saved);
	if (id) {
		char slug[KK_ADVISORY_ID_MAX];

		v.public_href = kk_req_printf(r, "/advisories/%s", kk_advisory_id_slug(id, slug, sizeof(slug)));
	}
	if (v.ref_enc)
		v.form_action = kk_req_printf(r, !strcmp(state, "published") ? "/cases/%s/advisory/revise"
									     : "/cases/%s/advisory",
					      v.ref_enc);
	/* a refused form shows what was typed; otherwise the stored content */
	if (failed && (!strcmp(failed, "save") || !strcmp(failed, "revise")))
		values = json_incref(r->form);
	else
		values = content_values(json_object_get(a, "content"));
	v.values = values;
	if (failed && failure) {
		v.failed = failed;
		v.errors = errors;
		v.error = errors && json_object_size(errors) + json_object_size(unplaced)
				  ? _("The advisory was not saved. Please correct the items marked below.")
				  : failure->msg;
		if (!strcmp(failed, "approve") && json_object_size(errors))
			v.error = _("The advisory cannot be approved yet. Please complete the items marked below.");
		if (problems(r, errors, unplaced, &v) != 0)
			v.ref_enc = NULL;
	}
	for (int l = 0; l < 2; l++) {
		struct advisory_body_view *b = &v.preview[l];

		b->rendered = json_object_get(a, "rendered");
		b->content = json_object_get(a, "content");
		b->lang = l ? KK_LANG_EN : KK_LANG_JA;
		b->id = id;
		b->published_at = json_integer_value(json_object_get(a, "published_at"));
		b->updated_at = json_integer_value(json_object_get(a, "updated_at"));
		b->level = 3;
		b->anchor = l ? "preview-en" : "preview-ja";
	}
	if (!v.ref_enc || !v.form_action || !values || (id && !v.public_href)) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	res = page_begin(r, kk_req_printf(r, "%s %s", _("Advisory"), v.ref),
			 kk_req_printf(r, "/cases/%s/advisory", v.ref_enc));
	if (res == KK_OK)
		res = tmpl_advisory_case(&r->reply, r, &v);
	page_end(r, status, res);
out:
	json_decref(a);
	json_decref(values);
	kk_error_release(&err);
}

/* GET /cases/{ref}/advisory */
void page_case_advisory(struct kk_req *r)
{
	page_advisory_render(r, 200, kk_req_query(r, "saved"), NULL, NULL, NULL, NULL);
}
