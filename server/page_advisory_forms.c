/*
 * page_advisory_forms.c: the forms of a case's advisory page (issue 12, SPEC
 * 6; templates/advisory_case.html): the coordinator saves the draft (PUT
 * semantics: the whole content, every member, as PUT
 * /api/v1/cases/{ref}/advisory takes it), approves it, withdraws the
 * approval, revises the published advisory with a note of what changed; a
 * notified vendor comments on the draft. Each form becomes exactly the JSON
 * body of docs/api/advisories.md and goes to the same core call as the API,
 * so the form and the API refuse alike; a done form redirects back to the
 * page (?saved=), a refused one is shown again with what was typed and each
 * fault next to its field.
 *
 * The lists are text: related links one a line ("URL title"), CPE names one
 * a line, CVE IDs and CWE numbers separated by spaces, commas or line breaks.
 * A fault the core names by an item ("cves[2]", "references[0].title") is
 * shown at its list, with the item it is about.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "keikai/advisory.h"
#include "keikai/i18n.h"
#include "page.h"
#include "page_advisory.h"
#include "page_case.h"

/* The items of text separated by any of seps, trimmed, blank ones dropped, as
 * a JSON array of strings. NULL without memory. */
static json_t *items(const char *text, const char *seps)
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

/* SPEC 6 (8): the related links, one a line: the address, white space, the
 * title. NULL without memory. */
static json_t *references(const char *text)
{
	json_t *lines = items(text, "\r\n"), *out = json_array(), *line;
	size_t i;

	if (!lines || !out)
		goto fail;
	json_array_foreach(lines, i, line) {
		const char *s = json_string_value(line);
		size_t u = strcspn(s, " \t"), t = u + strspn(s + u, " \t");

		if (json_array_append_new(out, json_pack("{s:s%, s:s}", "url", s, u, "title", s + t)) != 0)
			goto fail;
	}
	json_decref(lines);
	return out;
fail:
	json_decref(lines);
	json_decref(out);
	return NULL;
}

/* A field's text, "" when it was not sent. */
static const char *field(struct kk_req *r, const char *name)
{
	const char *s = kk_req_field(r, name);

	return s ? s : "";
}

/* A vector or the kind, trimmed: null when blank. */
static json_t *text_or_null(struct kk_req *r, const char *name)
{
	const char *s = field(r, name);
	size_t b = strspn(s, " \t\r\n"), e = strlen(s);

	while (e > b && strchr(" \t\r\n", s[e - 1]))
		e--;
	return e > b ? json_stringn(s + b, e - b) : json_null();
}

/* The advisory's content as the form gives it (advisory.h kk_advisory_check),
 * with the notes notes (NULL-ended field names) when they are not blank. NULL
 * without memory. */
static json_t *content_body(struct kk_req *r, const char *const *notes)
{
	json_t *body = json_pack("{s:{s:{}, s:{}}, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "texts", "ja", "en", "cvss3",
				 text_or_null(r, "cvss3"), "cvss4", text_or_null(r, "cvss4"), "references",
				 references(field(r, "references")), "cves", items(field(r, "cves"), ", \t\r\n"), "cwes",
				 items(field(r, "cwes"), ", \t\r\n"), "cpes", items(field(r, "cpes"), "\r\n"), "kind",
				 text_or_null(r, "kind"));
	const json_t *texts = json_object_get(body, "texts");

	for (int l = 0; body && l < 2; l++) {
		const char *lc = l ? "en" : "ja";

		for (size_t i = 0; advisory_text_fields[i].name; i++) {
			const char *name = kk_req_printf(r, "texts.%s.%s", lc, advisory_text_fields[i].name);

			if (!name || json_object_set_new(json_object_get(texts, lc), advisory_text_fields[i].name,
							 json_string(field(r, name))) != 0) {
				json_decref(body);
				return NULL;
			}
		}
	}
	for (size_t i = 0; body && notes && notes[i]; i++) {
		const char *s = field(r, notes[i]);

		if (!kk_str_empty(s) && json_object_set_new(body, notes[i], json_string(s)) != 0) {
			json_decref(body);
			return NULL;
		}
	}
	return body;
}

/* What item i of the list member `list` of body was, as the reader typed it. */
static const char *item_text(struct kk_req *r, const json_t *body, const char *list, size_t i)
{
	const json_t *e = json_array_get(json_object_get(body, list), i);

	if (json_is_object(e))
		return kk_req_printf(r, "%s %s", json_string_value(json_object_get(e, "url")),
				     json_string_value(json_object_get(e, "title")));
	return json_string_value(e);
}

/*
 * Sorts the core's field errors (failure->fields) by the form's fields into
 * *errors (a list's items at the list: "«item»: message") and the rest into
 * *unplaced. -1 without memory.
 */
static int place_errors(struct kk_req *r, const struct kk_error *failure, const json_t *body, json_t **errors,
			json_t **unplaced)
{
	static const char *const lists[] = { "references", "cves", "cwes", "cpes", NULL };
	static const char *const plain[] = { "cvss3", "cvss4", "kind", "note", "note_ja", "note_en", "body", NULL };
	const char *path;
	json_t *msg;

	*errors = json_object();
	*unplaced = json_object();
	if (!*errors || !*unplaced)
		return -1;
	json_object_foreach(failure->fields, path, msg) {
		const char *m = json_string_value(msg), *target = NULL, *shown = m;

		if (!m)
			continue;
		for (size_t i = 0; plain[i] && !target; i++)
			if (!strcmp(path, plain[i]))
				target = plain[i];
		for (size_t i = 0; lists[i] && !target; i++) {
			size_t n = strlen(lists[i]);
			unsigned long idx;
			char *end;

			if (strncmp(path, lists[i], n) != 0 || (path[n] != '\0' && path[n] != '['))
				continue;
			target = lists[i];
			if (path[n] == '[') {
				idx = strtoul(path + n + 1, &end, 10);
				if (*end == ']' && item_text(r, body, lists[i], idx))
					/* TRANSLATORS: a list's item as typed, and what is wrong with it */
					shown = kk_req_printf(r, _("“%s”: %s"), item_text(r, body, lists[i], idx), m);
			}
		}
		/* texts.ja.title ...: the form's own field */
		for (int l = 0; l < 2 && !target && !strncmp(path, "texts.", 6); l++)
			for (size_t i = 0; advisory_text_fields[i].name && !target; i++)
				if (!strncmp(path + 6, l ? "en." : "ja.", 3) && !strcmp(path + 9, advisory_text_fields[i].name))
					target = path;
		if (!shown)
			return -1;
		if (target) {
			/* several faults of one list are shown together */
			const char *had = json_string_value(json_object_get(*errors, target));
			json_t *s = had ? json_sprintf("%s %s", had, shown) : json_string(shown);

			if (!s || json_object_set_new(*errors, target, s) != 0)
				return -1;
		} else if (json_object_set_new(*unplaced, path, json_string(m)) != 0) {
			return -1;
		}
	}
	return 0;
}

/* The end of a form of case r->params[0] that the core answered res: back to
 * the page when done, the page with the form failed when refused or not
 * possible now, an error page otherwise. */
static void after(struct kk_req *r, enum kk_result res, const struct kk_error *err, const json_t *body,
		  const char *form, const char *anchor)
{
	const char *enc = page_case_ref_enc(r);
	json_t *errors = NULL, *unplaced = NULL;

	if (!enc) {
		page_error(r, 500, _("Out of memory."));
	} else if (res == KK_OK) {
		kk_reply_redirect(r, kk_req_printf(r, "/cases/%s/advisory?saved=%s#%s", enc, form, anchor));
	} else if (res == KK_EINVAL || res == KK_ECONFLICT || kk_error_has_fields(err)) {
		if (place_errors(r, err, body, &errors, &unplaced) != 0)
			page_error(r, 500, _("Out of memory."));
		else
			page_advisory_render(r, kk_status_for(res), NULL, form, err, errors, unplaced);
	} else {
		page_error(r, kk_status_for(res), err->msg[0] ? err->msg : NULL);
	}
	json_decref(errors);
	json_decref(unplaced);
}

/* POST /cases/{ref}/advisory: save the draft (the coordinator) */
void page_case_advisory_save(struct kk_req *r)
{
	static const char *const notes[] = { "note", NULL };
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = content_body(r, notes), *out = NULL;
	enum kk_result res = body ? kk_advisory_save(r->store, &r->user, r->params[0], body, &out, &err)
				  : kk_error_nomem(&err);

	after(r, res, &err, body, "save", "sec-preview");
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}

/* POST /cases/{ref}/advisory/revise: G IV.4.9, the coordinator revises the
 * published advisory and says what changed */
void page_case_advisory_revise(struct kk_req *r)
{
	static const char *const notes[] = { "note_ja", "note_en", NULL };
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = content_body(r, notes), *out = NULL;
	enum kk_result res = body ? kk_advisory_event(r->store, &r->user, r->params[0], "revise", body, &out, &err)
				  : kk_error_nomem(&err);

	after(r, res, &err, body, "revise", "sec-preview");
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}

/* approve or withdraw, with the form's note */
static void event(struct kk_req *r, const char *name, const char *form)
{
	struct kk_error err = KK_ERROR_INIT;
	const char *note = kk_req_field(r, "note");
	json_t *body = kk_str_empty(note) ? json_object() : json_pack("{s:s}", "note", note), *out = NULL;
	enum kk_result res = body ? kk_advisory_event(r->store, &r->user, r->params[0], name, body, &out, &err)
				  : kk_error_nomem(&err);

	after(r, res, &err, body, form, "advisory-facts");
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}

/* POST /cases/{ref}/advisory/approve */
void page_case_advisory_approve(struct kk_req *r)
{
	event(r, "approve", "approve");
}

/* POST /cases/{ref}/advisory/withdraw */
void page_case_advisory_withdraw(struct kk_req *r)
{
	event(r, "withdraw", "withdraw");
}

/* POST /cases/{ref}/advisory/comments: SPEC 6, a notified vendor comments on the draft */
void page_case_advisory_comment(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = json_pack("{s:s}", "body", field(r, "body")), *out = NULL;
	enum kk_result res = body ? kk_advisory_comment(r->store, &r->user, r->params[0], body, &out, &err)
				  : kk_error_nomem(&err);

	after(r, res, &err, body, "comment", "sec-comments");
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
}
