/*
 * content.c: what an advisory holds and how it is checked (advisory.h
 * kk_advisory_check; issue 12, SPEC 6, SPEC 1). The content is one JSON
 * object in a canonical form: the 8 text members of the publication manual
 * in Japanese and English (the title plain text, the rest Markdown checked by
 * markdown.h), the CVSS v3.1 and v4.0 vectors (scored by cvss.h when shown,
 * never typed), related links, CVE IDs, CWE numbers and CPE names, and the
 * kind the coordinator chose for the public ID. The acknowledgements and the
 * history are not in it: they are derived (view.c). Nothing else is: an
 * unknown member anywhere is a field error, so attack methods, PoC or
 * verification steps have no place to go (SPEC 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keikai/cpe.h"
#include "keikai/cvss.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/markdown.h"
#include "keikai/util.h"
#include "internal.h"
#include "store/cwe_entries.h"

/* SPEC 6: (1) title, (2) overview, (3) affected, (4) description, (5)
 * impact, (6) countermeasures, (7) workarounds, (11) contact. */
const char *const kk_advisory_text_members[] = { "title",	    "overview",	   "affected",	  "description",
						 "impact",	    "countermeasures", "workarounds", "contact",
						 NULL };
static const char *const langs[] = { "ja", "en", NULL };
static const char *const kinds[] = { "jvn", "vu", "ta", NULL };

#define CPE_FS_MAX 1024

static int in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

json_t *adv_content_empty(void)
{
	json_t *c = json_pack("{s:n, s:{}, s:n, s:n, s:[], s:[], s:[], s:[]}", "kind", "texts", "cvss3", "cvss4",
			      "references", "cves", "cwes", "cpes");
	json_t *texts = json_object_get(c, "texts");

	for (size_t l = 0; c && langs[l]; l++) {
		json_t *t = json_object();

		for (size_t i = 0; t && kk_advisory_text_members[i]; i++)
			if (json_object_set_new(t, kk_advisory_text_members[i], json_string("")) != 0) {
				json_decref(t);
				t = NULL;
			}
		if (!t || json_object_set_new(texts, langs[l], t) != 0) {
			json_decref(c);
			return NULL;
		}
	}
	return c;
}

/* One text member at path: the title one line of at most
 * KK_ADVISORY_TITLE_MAX characters, the others Markdown (markdown.h). Into
 * the canonical texts object `into` under name. */
static void text_member(const json_t *v, const char *name, const char *path, json_t *into, struct kk_error *err)
{
	const char *s;

	if (!v || json_is_null(v))
		return; /* stays "" */
	if (!json_is_string(v)) {
		kk_error_field(err, path, "%s", _("Must be text or null."));
		return;
	}
	s = json_string_value(v);
	if (!strcmp(name, "title")) {
		if (kk_has_control(s, 0) || kk_has_bidi_control(s)) {
			kk_error_field(err, path, "%s", _("Must be one line without control characters."));
			return;
		}
		if (kk_utf8_len(s) > KK_ADVISORY_TITLE_MAX) {
			kk_error_field(err, path, _("At most %d characters."), KK_ADVISORY_TITLE_MAX);
			return;
		}
	} else if (*s && kk_markdown_check(s, path, err) != KK_OK) {
		return; /* the field error names the fault */
	}
	if (json_object_set_new(into, name, json_string(s)) != 0)
		kk_error_nomem(err);
}

/* "texts": {"ja": {…}, "en": {…}}: every member known, each checked. */
static void texts_member(const json_t *v, json_t *texts, struct kk_error *err)
{
	const char *lang, *key;
	json_t *t, *m;

	if (!v || json_is_null(v))
		return;
	if (!json_is_object(v)) {
		kk_error_field(err, "texts", "%s", _("Must be an object with \"ja\" and \"en\"."));
		return;
	}
	json_object_foreach((json_t *)v, lang, t) {
		char path[96];

		snprintf(path, sizeof(path), "texts.%s", lang);
		if (!in_list(langs, lang)) {
			kk_error_field(err, path, "%s", _("An advisory is written in Japanese (ja) and English (en)."));
			continue;
		}
		if (json_is_null(t))
			continue;
		if (!json_is_object(t)) {
			kk_error_field(err, path, "%s", _("Must be an object of the advisory's texts."));
			continue;
		}
		json_object_foreach(t, key, m) {
			snprintf(path, sizeof(path), "texts.%s.%.64s", lang, key);
			/* SPEC 1: attack methods, PoC and verification steps are never published */
			if (!in_list(kk_advisory_text_members, key))
				kk_error_field(err, path, "%s",
					       _("An advisory has no such text. Attack methods, proof-of-concept code and "
						 "verification steps are never published."));
			else
				text_member(m, key, path, json_object_get(texts, lang), err);
		}
	}
}

static const char *translate(const char *msgid)
{
	return _(msgid);
}

/* A CVSS vector of the version family wanted (3: v3.0 or v3.1; 4: v4.0),
 * kept in canonical form; the score is computed when shown (cvss.h). */
static void cvss_member(const json_t *v, const char *path, int family, json_t *content, struct kk_error *err)
{
	char canonical[KK_CVSS_VECTOR_MAX], msg[256];
	struct kk_cvss_error cerr;
	struct kk_cvss c;

	if (!v || json_is_null(v))
		return;
	if (!json_is_string(v)) {
		kk_error_field(err, path, "%s", _("Must be a CVSS vector or null."));
		return;
	}
	if (kk_cvss_parse_str(json_string_value(v), &c, &cerr) != 0) {
		kk_cvss_format_error(&cerr, translate, msg, sizeof(msg));
		kk_error_field(err, path, "%s", msg);
		return;
	}
	if (family == 3 && c.version != KK_CVSS_V3_1 && c.version != KK_CVSS_V3_0) {
		kk_error_field(err, path, "%s", _("Must be a CVSS v3.1 vector (CVSS:3.1/…)."));
		return;
	}
	if (family == 4 && c.version != KK_CVSS_V4_0) {
		kk_error_field(err, path, "%s", _("Must be a CVSS v4.0 vector (CVSS:4.0/…)."));
		return;
	}
	kk_cvss_canonical(&c, canonical, sizeof(canonical));
	if (json_object_set_new(content, path, json_string(canonical)) != 0)
		kk_error_nomem(err);
}

/* An array member of at most max items: NULL (and a field error) when v is
 * neither absent, null nor such an array. */
static const json_t *array_member(const json_t *v, const char *path, size_t max, struct kk_error *err)
{
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		kk_error_field(err, path, "%s", _("Must be a list."));
		return NULL;
	}
	if (json_array_size(v) > max) {
		kk_error_field(err, path, _("At most %zu items."), max);
		return NULL;
	}
	return v;
}

/* SPEC 6 (8): related links, {"title", "url"}, http:// or https:// only. */
static void references_member(const json_t *v, json_t *out, struct kk_error *err)
{
	const json_t *arr = array_member(v, "references", KK_ADVISORY_REFS_MAX, err);
	json_t *item;
	size_t i;

	json_array_foreach(arr, i, item) {
		const json_t *title = json_object_get(item, "title"), *url = json_object_get(item, "url");
		const char *key, *u;
		char path[64];
		json_t *m;
		int bad = 0;

		if (!json_is_object(item)) {
			snprintf(path, sizeof(path), "references[%zu]", i);
			kk_error_field(err, path, "%s", _("Must be an object {\"title\", \"url\"}."));
			continue;
		}
		json_object_foreach(item, key, m) {
			if (strcmp(key, "title") && strcmp(key, "url")) {
				snprintf(path, sizeof(path), "references[%zu].%.32s", i, key);
				kk_error_field(err, path, "%s", _("A link has a title and a url only."));
				bad = 1;
			}
		}
		snprintf(path, sizeof(path), "references[%zu].title", i);
		if (!json_is_string(title) || kk_str_empty(json_string_value(title))) {
			kk_error_field(err, path, "%s", _("Required: the link's title."));
			bad = 1;
		} else if (kk_has_control(json_string_value(title), 0) || kk_has_bidi_control(json_string_value(title)) ||
			   kk_utf8_len(json_string_value(title)) > KK_ADVISORY_REF_TITLE_MAX) {
			kk_error_field(err, path, _("One line of at most %d characters."), KK_ADVISORY_REF_TITLE_MAX);
			bad = 1;
		}
		snprintf(path, sizeof(path), "references[%zu].url", i);
		u = json_string_value(url);
		if (!u || strlen(u) > KK_ADVISORY_URL_MAX ||
		    (strncasecmp(u, "http://", 7) != 0 && strncasecmp(u, "https://", 8) != 0) || !kk_markdown_link_ok(u)) {
			kk_error_field(err, path, "%s", _("Must be an http:// or https:// address."));
			bad = 1;
		}
		if (!bad && json_array_append_new(out, json_pack("{s:s, s:s}", "title", json_string_value(title), "url",
								 u)) != 0)
			kk_error_nomem(err);
	}
}

/* Whether arr holds a string equal to s (or, s NULL, the integer n). */
static int has_item(const json_t *arr, const char *s, json_int_t n)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (s ? json_is_string(v) && !strcmp(json_string_value(v), s) : json_integer_value(v) == n)
			return 1;
	return 0;
}

static void cves_member(const json_t *v, json_t *out, struct kk_error *err)
{
	const json_t *arr = array_member(v, "cves", KK_ADVISORY_CVES_MAX, err);
	json_t *item;
	size_t i;

	json_array_foreach(arr, i, item) {
		char path[32];

		snprintf(path, sizeof(path), "cves[%zu]", i);
		if (!json_is_string(item) || !kk_cve_id_valid(json_string_value(item)))
			kk_error_field(err, path, "%s", _("Must be a CVE ID such as CVE-2026-12345."));
		else if (has_item(out, json_string_value(item), 0))
			kk_error_field(err, path, "%s", _("Given twice."));
		else if (json_array_append(out, item) != 0)
			kk_error_nomem(err);
	}
}

/* CWE numbers (79 or "CWE-79"), in the catalogue when one is loaded. */
static void cwes_member(struct kk_tx *tx, const json_t *v, json_t *out, struct kk_error *err)
{
	const json_t *arr = array_member(v, "cwes", KK_ADVISORY_CWES_MAX, err);
	int filled = 0;
	json_t *item;
	size_t i;

	if (arr && json_array_size(arr) && tx && kk_cwe_entries_filled(tx, &filled, err) != KK_OK)
		return;
	json_array_foreach(arr, i, item) {
		struct kk_error perr = KK_ERROR_INIT;
		char path[32];
		int id = 0;

		snprintf(path, sizeof(path), "cwes[%zu]", i);
		if (json_is_integer(item) && json_integer_value(item) >= 1 && json_integer_value(item) <= KK_CWE_ID_MAX) {
			id = (int)json_integer_value(item);
		} else if (!json_is_string(item) || kk_cwe_parse_id(json_string_value(item), &id, &perr) != KK_OK) {
			kk_error_field(err, path, "%s", perr.code ? perr.msg : _("Must be a CWE number such as 79 or \"CWE-79\"."));
			kk_error_release(&perr);
			continue;
		}
		kk_error_release(&perr);
		if (has_item(out, NULL, id)) {
			kk_error_field(err, path, "%s", _("Given twice."));
			continue;
		}
		/* the catalogue, when one is loaded, knows every id there is (cwe.h) */
		if (filled) {
			struct kk_cwe c;
			enum kk_result res = kk_cwe_entries_get(tx, id, &c, err);

			if (res == KK_ENOTFOUND) {
				kk_error_field(err, path, _("The CWE catalogue has no CWE-%d."), id);
				continue;
			}
			if (res)
				return;
			kk_cwe_release(&c);
		}
		if (json_array_append_new(out, json_integer(id)) != 0)
			kk_error_nomem(err);
	}
}

/* CPE names (cpe.h), kept as 2.3 formatted strings. */
static void cpes_member(const json_t *v, json_t *out, struct kk_error *err)
{
	const json_t *arr = array_member(v, "cpes", KK_ADVISORY_CPES_MAX, err);
	json_t *item;
	size_t i;

	json_array_foreach(arr, i, item) {
		char path[32], fs[CPE_FS_MAX];
		struct kk_cpe_error cerr;
		struct kk_cpe cpe;
		enum kk_result res;

		snprintf(path, sizeof(path), "cpes[%zu]", i);
		if (!json_is_string(item)) {
			kk_error_field(err, path, "%s", _("Must be a CPE name."));
			continue;
		}
		res = kk_cpe_parse(json_string_value(item), &cpe, &cerr);
		if (res == KK_ENOMEM) {
			kk_error_nomem(err);
			return;
		}
		if (res != KK_OK) {
			kk_error_field(err, path, _("Not a CPE name: %s: %s (column %zu)."), kk_cpe_attr_name(cerr.attribute),
				       _(kk_cpe_strerror(cerr.code)), cerr.offset + 1);
			continue;
		}
		if (kk_cpe_to_fs(&cpe, fs, sizeof(fs)) >= sizeof(fs))
			kk_error_field(err, path, _("At most %d bytes as a CPE 2.3 name."), CPE_FS_MAX - 1);
		else if (has_item(out, fs, 0))
			kk_error_field(err, path, "%s", _("Given twice."));
		else if (json_array_append_new(out, json_string(fs)) != 0)
			kk_error_nomem(err);
		kk_cpe_release(&cpe);
	}
}

static void kind_member(const json_t *v, json_t *content, struct kk_error *err)
{
	if (!v || json_is_null(v))
		return;
	if (!json_is_string(v) || !in_list(kinds, json_string_value(v)))
		kk_error_field(err, "kind", "%s",
			       _("Must be \"jvn\" (one domestic vendor), \"vu\" (several vendors or one abroad), \"ta\" "
				 "(a technical alert) or null (chosen from the vendors at publication)."));
	else if (json_object_set_new(content, "kind", json_string(json_string_value(v))) != 0)
		kk_error_nomem(err);
}

static const char *const members[] = { "texts", "cvss3", "cvss4", "references", "cves",
				       "cwes",	"cpes",	 "kind",  NULL };

enum kk_result kk_advisory_check(struct kk_tx *tx, const json_t *body, json_t **content, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	enum kk_result res;
	json_t *c = NULL;
	const char *key;
	json_t *v;

	*content = NULL;
	if (!err)
		err = &mine;
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	if (!(c = adv_content_empty())) {
		kk_error_nomem(err);
		kk_error_release(&mine);
		return KK_ENOMEM;
	}
	json_object_foreach((json_t *)body, key, v) {
		if (!in_list(members, key)) {
			char path[80];

			snprintf(path, sizeof(path), "%.64s", key);
			kk_error_field(err, path, "%s",
				       _("An advisory has no such member. Attack methods, proof-of-concept code and "
					 "verification steps are never published."));
		}
	}
	texts_member(json_object_get(body, "texts"), json_object_get(c, "texts"), err);
	cvss_member(json_object_get(body, "cvss3"), "cvss3", 3, c, err);
	cvss_member(json_object_get(body, "cvss4"), "cvss4", 4, c, err);
	references_member(json_object_get(body, "references"), json_object_get(c, "references"), err);
	cves_member(json_object_get(body, "cves"), json_object_get(c, "cves"), err);
	cwes_member(tx, json_object_get(body, "cwes"), json_object_get(c, "cwes"), err);
	cpes_member(json_object_get(body, "cpes"), json_object_get(c, "cpes"), err);
	kind_member(json_object_get(body, "kind"), c, err);
	res = kk_error_has_fields(err) ? KK_EINVAL : kk_error_result(err, KK_OK);
	kk_error_release(&mine);
	if (res) {
		json_decref(c);
		return res;
	}
	*content = c;
	return KK_OK;
}

enum kk_result adv_content_complete(const json_t *content, struct kk_error *err)
{
	for (size_t l = 0; langs[l]; l++) {
		const json_t *t = json_object_get(json_object_get(content, "texts"), langs[l]);

		for (size_t i = 0; kk_advisory_text_members[i]; i++) {
			const char *name = kk_advisory_text_members[i];
			char path[64];

			/* SPEC 6 (7): there may be no workaround */
			if (!strcmp(name, "workarounds") || !kk_str_empty(json_string_value(json_object_get(t, name))))
				continue;
			snprintf(path, sizeof(path), "texts.%s.%s", langs[l], name);
			kk_error_field(err, path, "%s", _("Required before the advisory is approved."));
		}
	}
	return kk_error_has_fields(err) ? KK_EINVAL : KK_OK;
}

/* The score in tenths of a vector kk_advisory_check kept (-1 for none). */
static int score_of(const char *vector)
{
	struct kk_cvss c;

	if (!vector || kk_cvss_parse_str(vector, &c, NULL) != 0)
		return -1;
	return c.version == KK_CVSS_V4_0 ? c.score : c.base;
}

void adv_content_scores(const json_t *content, int *cvss3, int *cvss4)
{
	*cvss3 = score_of(json_string_value(json_object_get(content, "cvss3")));
	*cvss4 = score_of(json_string_value(json_object_get(content, "cvss4")));
}

json_t *adv_cvss_json(const char *vector)
{
	struct kk_cvss c;
	enum kk_cvss_severity sev;
	int tenths;

	if (!vector || kk_cvss_parse_str(vector, &c, NULL) != 0)
		return json_null();
	/* SPEC 6 (5): the base score (v4.0: its CVSS-B… score), computed, never typed */
	tenths = c.version == KK_CVSS_V4_0 ? c.score : c.base;
	sev = kk_cvss_rate(c.version, tenths);
	return json_pack("{s:s, s:s, s:f, s:s, s:s}", "vector", vector, "version", kk_cvss_version_name(c.version),
			 "score", tenths / 10.0, "severity", kk_cvss_severity_name(sev), "severity_label",
			 _(kk_cvss_severity_name(sev)));
}

char *adv_content_dump(const json_t *content)
{
	return kk_json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS);
}

json_t *adv_content_load(const char *text, struct kk_error *err)
{
	json_t *c = text ? json_loads(text, 0, NULL) : NULL;

	if (!c)
		kk_error_set(err, KK_EDB, "%s", _("An advisory's stored content cannot be read."));
	return c;
}
