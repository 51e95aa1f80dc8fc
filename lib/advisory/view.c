/*
 * view.c: an advisory as a reader sees it (advisory.h RENDERED; issue 12,
 * SPEC 6): the one rendering the draft's preview and the public advisory
 * share, so what staff and vendors preview is what the public will read. The
 * texts are the author's Markdown rendered by markdown.h (raw HTML never
 * passes, links checked); the scores come from the vectors (cvss.h), the CWE
 * names from the catalogue, the acknowledgements from the finders' consent to
 * credit (SPEC 1, 2.1 (オ)), every vendor's status from the case (vendors.c)
 * and the history from its entries, each written in both languages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/markdown.h"
#include "keikai/util.h"
#include "internal.h"
#include "store/cwe_entries.h"

/* The HTML of one language's texts: {"title", "title_with_id", MEMBER: html}. */
static enum kk_result texts_html(const json_t *t, const char *public_id, json_t **out, struct kk_error *err)
{
	const char *title = json_string_value(json_object_get(t, "title"));
	json_t *o = json_object();
	enum kk_result res = o ? KK_OK : kk_error_nomem(err);

	*out = NULL;
	if (!res && (json_object_set_new(o, "title", json_string(title ? title : "")) ||
		     json_object_set_new(o, "title_with_id",
					 public_id ? json_sprintf("%s: %s", public_id, title ? title : "")
						   : json_string(title ? title : ""))))
		res = kk_error_nomem(err);
	for (size_t i = 1; !res && kk_advisory_text_members[i]; i++) {
		const char *name = kk_advisory_text_members[i];
		const char *md = json_string_value(json_object_get(t, name));
		struct kk_buf html;

		kk_buf_init(&html, 8 * KK_ADVISORY_TEXT_MAX);
		res = kk_markdown_html(md ? md : "", &html, err);
		if (!res && json_object_set_new(o, name, json_string(html.data ? html.data : "")))
			res = kk_error_nomem(err);
		kk_buf_release(&html);
	}
	if (res)
		json_decref(o);
	else
		*out = o;
	return res;
}

/* [{"id": "CWE-79", "number": 79, "name"}] of the content's CWE numbers, each
 * named in the reader's language when the catalogue knows it. */
static enum kk_result cwes_json(struct kk_tx *tx, const json_t *numbers, json_t *arr, struct kk_error *err)
{
	json_t *v;
	size_t i;

	json_array_foreach(numbers, i, v) {
		int id = (int)json_integer_value(v);
		char written[KK_CWE_ID_LEN];
		struct kk_cwe c;
		enum kk_result res = kk_cwe_entries_get(tx, id, &c, err);
		json_t *o;

		if (res && res != KK_ENOTFOUND)
			return res;
		o = json_pack("{s:s, s:i, s:s?}", "id", kk_cwe_format_id(id, written), "number", id, "name",
			      res ? NULL : kk_cwe_name(&c));
		if (!res)
			kk_cwe_release(&c);
		if (!o || json_array_append_new(arr, o))
			return kk_error_nomem(err);
	}
	return KK_OK;
}

/* The words of a history entry in lang. */
static json_t *entry_words(const json_t *h, enum kk_lang lang)
{
	const char *kind = json_string_value(json_object_get(h, "kind"));
	const char *vja = json_string_value(json_object_get(h, "vendor_ja"));
	const char *ven = json_string_value(json_object_get(h, "vendor_en"));
	const char *nja = json_string_value(json_object_get(h, "note_ja"));
	const char *nen = json_string_value(json_object_get(h, "note_en"));
	const char *vendor = lang == KK_LANG_EN ? (ven ? ven : vja) : (vja ? vja : ven);
	const char *note = lang == KK_LANG_EN ? (!kk_str_empty(nen) ? nen : nja) : (!kk_str_empty(nja) ? nja : nen);
	enum kk_lang was = kk_i18n_current();
	json_t *words;

	kk_i18n_use(lang);
	if (!strcmp(kind, "published"))
		words = json_string(_("Published."));
	else if (!strcmp(kind, "revised"))
		words = json_sprintf(_("Revised: %s"), note ? note : "");
	else if (!strcmp(kind, "vendor_status"))
		words = json_sprintf(_("%s updated its status."), vendor ? vendor : "");
	else if (!strcmp(kind, "vendor_countermeasure"))
		words = json_sprintf(_("%s updated its countermeasures."), vendor ? vendor : "");
	else
		words = json_sprintf(_("%s updated its statement."), vendor ? vendor : "");
	kk_i18n_use(was);
	return words;
}

/* SPEC 6 (10): first published and every update with what changed. */
static enum kk_result history_json(struct kk_tx *tx, int64_t advisory_id, json_t *arr, struct kk_error *err)
{
	json_t *rows = json_array(), *h;
	size_t i;
	enum kk_result res = rows ? kk_advisory_history_json(tx, advisory_id, rows, err) : kk_error_nomem(err);

	json_array_foreach(rows, i, h) {
		json_t *o;

		if (res)
			break;
		o = json_pack("{s:O, s:O, s:O, s:o, s:{s:o, s:o}}", "at", json_object_get(h, "at"), "kind",
			      json_object_get(h, "kind"), "revision", json_object_get(h, "revision"), "vendor",
			      json_is_null(json_object_get(h, "vendor_id"))
				      ? json_null()
				      : json_pack("{s:O, s:O, s:O}", "id", json_object_get(h, "vendor_id"), "name_ja",
						  json_object_get(h, "vendor_ja"), "name_en", json_object_get(h, "vendor_en")),
			      "text", "ja", entry_words(h, KK_LANG_JA), "en", entry_words(h, KK_LANG_EN));
		if (!o || json_array_append_new(arr, o))
			res = kk_error_nomem(err);
	}
	json_decref(rows);
	return res;
}

enum kk_result adv_rendered(struct kk_tx *tx, const struct kk_advisory *a, const struct kk_case *c,
			    const json_t *content, const struct adv_reader *reader, json_t **out,
			    struct kk_error *err)
{
	json_t *o = json_pack("{s:{}, s:o, s:o, s:O, s:O, s:[], s:O, s:[], s:[], s:[]}", "texts", "cvss3",
			      adv_cvss_json(json_string_value(json_object_get(content, "cvss3"))), "cvss4",
			      adv_cvss_json(json_string_value(json_object_get(content, "cvss4"))), "references",
			      json_object_get(content, "references"), "cves", json_object_get(content, "cves"), "cwes",
			      "cpes", json_object_get(content, "cpes"), "acknowledgements", "vendors", "history");
	const json_t *texts = json_object_get(content, "texts");
	enum kk_result res = o ? KK_OK : kk_error_nomem(err);

	*out = NULL;
	for (int l = 0; !res && l < 2; l++) {
		const char *lang = l ? "en" : "ja";
		json_t *html = NULL;

		res = texts_html(json_object_get(texts, lang), a ? a->public_id : NULL, &html, err);
		if (!res && json_object_set_new(json_object_get(o, "texts"), lang, html))
			res = kk_error_nomem(err);
	}
	if (!res)
		res = cwes_json(tx, json_object_get(content, "cwes"), json_object_get(o, "cwes"), err);
	/* SPEC 1, 2.1 (オ): only the names the finders gave for credit, and to a
	 * vendor only once they are public */
	if (!res && (reader->published || reader->staff))
		res = kk_advisory_credits_json(tx, c->id, json_object_get(o, "acknowledgements"), err);
	/* SPEC 2.11; SPEC 1 before publication: a vendor sees only its own standing */
	if (!res && (reader->published || reader->staff || reader->vendor_id))
		res = adv_vendors_json(tx, c->id, reader->published || reader->staff ? 0 : reader->vendor_id,
				       json_object_get(o, "vendors"), err);
	if (!res && a && a->id)
		res = history_json(tx, a->id, json_object_get(o, "history"), err);
	if (res)
		json_decref(o);
	else
		*out = o;
	return res;
}
