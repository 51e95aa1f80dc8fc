/*
 * search_doc.c: what the search index holds of one published advisory
 * (search_internal.h; issue 12 item 6, SPEC 6; docs/internals/search.md).
 *
 * The entry has three texts, every one folded by kk_fold (case, full-width
 * and half-width forms, hiragana as katakana, spacing), so that a query
 * folded alike matches however either was typed:
 *   body    one field per line: in each language the title, overview,
 *           affected products, description, impact, countermeasures and
 *           workarounds (the Markdown as written); the notified vendors'
 *           names (SPEC 2.11); the product names (the vendors'
 *           countermeasures, the product of each CPE name); CVE IDs; CWE IDs
 *           with their names; CPE names; the public ID and its address form.
 *           Nothing else of the case is public, so nothing else is here
 *           (SPEC 1). A term of three characters or more is looked up in it.
 *   shorts  the short words of body, each as " WORD" SEARCH_SHORT_END
 *           (search_internal.h): every character that is a letter, digit or
 *           mark and not Latin (kanji, kana, hangul …) and every pair of
 *           neighbouring letters or digits with such a character in it. A
 *           term of one or two such characters is looked up here as one
 *           word; the trigrams of body cannot see it.
 *   words   the Latin words of body (runs of ASCII letters and digits), in
 *           order, one space between two and SEARCH_FIELD_END between two
 *           fields: " cross site scripting | apache http server ". A term
 *           of Latin letters, digits and signs is looked up here as its
 *           words, whole and in that order.
 *   title   the two titles, for ranking by relevance.
 * and its facets, the values the filters and exact words compare: vendor_id,
 * vendor (a folded name), product (a folded name), cpe_vendor and
 * cpe_product (a CPE name's vendor, and "vendor:product", lower case, WFN
 * form), cwe (the number), cve (upper case) and severity (of CVSS v3 and of
 * v4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

#include "keikai/cpe.h"
#include "keikai/cvss.h"
#include "keikai/cwe.h"
#include "keikai/fold.h"
#include "keikai/i18n.h"
#include "internal.h"
#include "search_internal.h"
#include "store/cwe_entries.h"

/* The bytes kk_fold is given at once, below KK_FOLD_MAX. */
#define FOLD_PIECE 4000
/* What an entry's texts may grow to: the texts' caps, folding's growth. */
#define DOC_TEXT_MAX (64u << 20)

/* ---- folding text of any length ---- */

/* Whether a piece may end before the character at s: nothing that follows
 * a cut may join the character before it (a combining mark, a voicing mark
 * of kana, a hangul vowel or final consonant would). */
static int cut_before(const char *s)
{
	ucs4_t c;

	if ((unsigned char)*s < 0x80)
		return 1;
	if (((unsigned char)*s & 0xc0) == 0x80)
		return 0; /* inside a character */
	u8_mbtouc_unsafe(&c, (const uint8_t *)s, 4);
	if (uc_combining_class(c) != 0 || (c >= 0x3099 && c <= 0x309c) || c == 0xff9e || c == 0xff9f)
		return 0;
	return !((c >= 0x1160 && c <= 0x11ff) || (c >= 0xd7b0 && c <= 0xd7ff));
}

/* The length of the next piece of s (longer than FOLD_PIECE bytes): up to a
 * white space when there is one in its second half, else before a character
 * that joins nothing. *space is set when it ends at a white space. */
static size_t piece_len(const char *s, int *space)
{
	size_t i;

	*space = 0;
	for (i = FOLD_PIECE; i > FOLD_PIECE / 2; i--)
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
			*space = 1;
			return i;
		}
	for (i = FOLD_PIECE; i > FOLD_PIECE / 2; i--)
		if (cut_before(s + i))
			return i;
	for (i = FOLD_PIECE; i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80; i--)
		;
	return i ? i : FOLD_PIECE;
}

void search_private_out(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p; p++)
		if ((p[0] == 0xee && p[1] && p[2]) || (p[0] == 0xef && p[1] >= 0x80 && p[1] <= 0xa3 && p[2])) {
			memcpy(p, "\xef\xbf\xbd", 3); /* U+E000 to U+F8FF: U+FFFD */
			p += 2;
		}
}

enum kk_result search_fold_append(const char *s, struct kk_buf *out, struct kk_error *err)
{
	size_t len = strlen(s), pos = 0;
	int space = 0, wrote = 0;

	while (pos < len) {
		int next_space = 0;
		size_t n = len - pos > FOLD_PIECE ? piece_len(s + pos, &next_space) : len - pos;
		char *piece = kk_strndup(s + pos, n), *key = NULL;
		enum kk_result res = piece ? kk_fold(piece, &key, err) : kk_error_nomem(err);

		free(piece);
		if (res)
			return res;
		search_private_out(key);
		if (*key) {
			if (wrote && space)
				kk_buf_add(out, " ", 1);
			kk_buf_adds(out, key);
			wrote = 1;
		}
		free(key);
		space = next_space;
		pos += n;
	}
	return kk_buf_result(out) ? kk_error_set(err, kk_buf_result(out), "%s", _("Out of memory.")) : KK_OK;
}

/* ---- short words ---- */

/* A letter, digit or mark (what a word is made of), and whether it is Latin. */
static int word_char(ucs4_t c)
{
	if (c < 0x80)
		return search_latin_char((char)c);
	return uc_is_general_category_withtable(c, UC_CATEGORY_MASK_L | UC_CATEGORY_MASK_N | UC_CATEGORY_MASK_M);
}

void search_short_word(const char *term, char *out, char *plain)
{
	char word[SEARCH_SHORT_MAX - 4];
	size_t k = 0, chars = 0;

	for (const uint8_t *p = (const uint8_t *)term; *p;) {
		ucs4_t c;
		int n = u8_mbtouc_unsafe(&c, p, strlen((const char *)p));

		if (n <= 0)
			break;
		if (word_char(c) && k + (size_t)n < sizeof(word)) {
			memcpy(word + k, p, (size_t)n);
			k += (size_t)n;
			chars++;
		}
		p += n;
	}
	word[k] = '\0';
	if (plain)
		snprintf(plain, SEARCH_SHORT_MAX, "%s", word);
	if (k)
		snprintf(out, SEARCH_SHORT_MAX, "%s%s" SEARCH_SHORT_END, chars == 1 ? " " : "", word);
	else
		out[0] = '\0';
}

/* Adds the short word of n bytes at s (once) to words. */
static int add_short(json_t *words, const char *s, size_t n)
{
	char key[SEARCH_SHORT_MAX];

	if (n >= sizeof(key))
		return 0;
	memcpy(key, s, n);
	key[n] = '\0';
	return json_object_set_new(words, key, json_true()) != 0;
}

/* The short words of folded text (see the top of this file) into shorts;
 * pairs: the pairs only. */
static enum kk_result shorts_of(const char *text, int pairs, struct kk_buf *shorts, struct kk_error *err)
{
	json_t *words = json_object();
	const char *prev = NULL, *key;
	int prev_word = 0, prev_latin = 0, bad = !words;
	json_t *v;

	for (const char *p = text; !bad && *p;) {
		ucs4_t c = 0;
		int n = u8_mbtouc_unsafe(&c, (const uint8_t *)p, strlen(p));
		int word = n > 0 && word_char(c), latin = word && c < 0x80;

		if (n <= 0)
			break;
		if (word && !latin && !pairs)
			bad |= add_short(words, p, (size_t)n);
		if (word && prev_word && (!latin || !prev_latin))
			bad |= add_short(words, prev, (size_t)(p - prev) + (size_t)n);
		prev = p;
		prev_word = word;
		prev_latin = latin;
		p += n;
	}
	json_object_foreach(words, key, v) {
		kk_buf_addf(shorts, " %s" SEARCH_SHORT_END, key);
	}
	json_decref(words);
	if (bad || kk_buf_result(shorts))
		return kk_error_nomem(err);
	return KK_OK;
}

enum kk_result search_pairs(const char *term, struct kk_buf *out, struct kk_error *err)
{
	return shorts_of(term, 1, out, err);
}

/* ---- Latin words ---- */

int search_latin_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

enum kk_result search_words(const char *text, struct kk_buf *words, struct kk_error *err)
{
	int line_has = 0;

	for (const char *p = text; *p;) {
		const char *start = p;

		if (*p == '\n') {
			if (line_has)
				kk_buf_adds(words, " " SEARCH_FIELD_END);
			line_has = 0;
			p++;
			continue;
		}
		while (search_latin_char(*p))
			p++;
		if (p == start) {
			p++;
			continue;
		}
		kk_buf_adds(words, " ");
		kk_buf_add(words, start, (size_t)(p - start));
		line_has = 1;
	}
	if (words->len)
		kk_buf_adds(words, " ");
	return kk_buf_result(words) ? kk_error_nomem(err) : KK_OK;
}

/* ---- the entry ---- */

/* Adds one field to body (its own line), folded; nothing for empty text. */
static enum kk_result add_field(struct search_doc *d, const char *text, struct kk_error *err)
{
	size_t mark = d->body.len;
	enum kk_result res;

	if (!text || !*text)
		return KK_OK;
	if (d->body.len)
		kk_buf_add(&d->body, "\n", 1);
	res = search_fold_append(text, &d->body, err);
	if (!res && d->body.data && d->body.len == mark + (mark ? 1 : 0)) {
		d->body.len = mark; /* folded to nothing */
		d->body.data[mark] = '\0';
	}
	return res;
}

/* Adds the facet (kind, value) to d. */
static enum kk_result add_facet(struct search_doc *d, const char *kind, const char *value, struct kk_error *err)
{
	if (!value || !*value)
		return KK_OK;
	return json_array_append_new(d->facets, json_pack("[s, s]", kind, value)) ? kk_error_nomem(err) : KK_OK;
}

/* A name as a field of body and, folded, a facet of kind. */
static enum kk_result add_name(struct search_doc *d, const char *kind, const char *name, struct kk_error *err)
{
	struct kk_buf key;
	enum kk_result res;

	if (!name || !*name)
		return KK_OK;
	if ((res = add_field(d, name, err)))
		return res;
	kk_buf_init(&key, DOC_TEXT_MAX);
	res = search_fold_append(name, &key, err);
	if (!res && key.len)
		res = add_facet(d, kind, key.data, err);
	kk_buf_release(&key);
	return res;
}

/* s in lower case (ASCII) into out (n bytes). */
static const char *lower(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	out[i] = '\0';
	return out;
}

/* A CPE attribute's value when it is a name without wild cards, else NULL. */
static const char *cpe_literal(const struct kk_cpe_value *v)
{
	return v->kind == KK_CPE_STRING && !v->lead && !v->trail ? v->str : NULL;
}

/* The CPE names: text, the vendor's and product's facets, the product's
 * name read as words ("internet_explorer" -> "internet explorer"). */
static enum kk_result add_cpes(struct search_doc *d, const json_t *cpes, struct kk_error *err)
{
	const json_t *v;
	size_t i;
	enum kk_result res = KK_OK;

	json_array_foreach(cpes, i, v) {
		const char *name = json_string_value(v), *vendor, *product;
		char vkey[KK_ADVISORY_FILTER_MAX], pkey[KK_ADVISORY_FILTER_MAX], both[2 * KK_ADVISORY_FILTER_MAX + 2];
		struct kk_cpe cpe;

		if (res)
			break;
		if (!name || (res = add_field(d, name, err)))
			continue;
		kk_cpe_init(&cpe);
		if (kk_cpe_parse(name, &cpe, NULL) != KK_OK)
			continue; /* kk_advisory_check kept only names that parse */
		vendor = cpe_literal(&cpe.attr[KK_CPE_VENDOR]);
		product = cpe_literal(&cpe.attr[KK_CPE_PRODUCT]);
		if (vendor && strlen(vendor) < sizeof(vkey)) {
			res = add_facet(d, "cpe_vendor", lower(vendor, vkey, sizeof(vkey)), err);
			if (!res && product && strlen(product) < sizeof(pkey)) {
				char words[KK_ADVISORY_FILTER_MAX];
				size_t k = 0;

				snprintf(both, sizeof(both), "%s:%s", vkey, lower(product, pkey, sizeof(pkey)));
				res = add_facet(d, "cpe_product", both, err);
				for (const char *p = product; *p && k + 1 < sizeof(words); p++)
					if (*p != '\\')
						words[k++] = *p == '_' ? ' ' : *p;
				words[k] = '\0';
				if (!res)
					res = add_name(d, "product", words, err);
			}
		}
		kk_cpe_release(&cpe);
	}
	return res;
}

/* CWE IDs with their names (from the catalogue, when it has them). */
static enum kk_result add_cwes(struct kk_tx *tx, struct search_doc *d, const json_t *cwes, struct kk_error *err)
{
	const json_t *v;
	size_t i;
	enum kk_result res = KK_OK;

	json_array_foreach(cwes, i, v) {
		int id = (int)json_integer_value(v);
		char written[KK_CWE_ID_LEN], number[16];
		struct kk_cwe c;
		enum kk_result got = KK_OK;

		if (res)
			break;
		snprintf(number, sizeof(number), "%d", id);
		res = add_facet(d, "cwe", number, err);
		if (!res)
			res = add_field(d, kk_cwe_format_id(id, written), err);
		if (res || (got = kk_cwe_entries_get(tx, id, &c, err)) == KK_ENOTFOUND)
			continue;
		if (got) {
			res = got;
			continue;
		}
		res = add_field(d, c.name_ja, err);
		if (!res)
			res = add_field(d, c.name_en, err);
		kk_cwe_release(&c);
	}
	return res;
}

/* The vendors' and products' names of the advisory's case. */
static enum kk_result add_case_names(struct kk_tx *tx, struct search_doc *d, int64_t case_id, struct kk_error *err)
{
	json_t *vendors = json_array(), *products = json_array(), *v;
	enum kk_result res = vendors && products ? kk_search_case_names(tx, case_id, vendors, products, err)
						 : kk_error_nomem(err);
	size_t i;

	json_array_foreach(vendors, i, v) {
		char id[24];

		if (res)
			break;
		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(v, "id")));
		res = add_facet(d, "vendor_id", id, err);
		if (!res)
			res = add_name(d, "vendor", json_string_value(json_object_get(v, "name_ja")), err);
		if (!res)
			res = add_name(d, "vendor", json_string_value(json_object_get(v, "name_en")), err);
	}
	json_array_foreach(products, i, v) {
		for (const char *const *m = (const char *const[]){ "name", "name_ja", "name_en", NULL }; !res && *m; m++)
			res = add_name(d, "product", json_string_value(json_object_get(v, *m)), err);
	}
	json_decref(vendors);
	json_decref(products);
	return res;
}

/* The rating of a score (tenths, -1 none) as a facet value. */
static enum kk_result add_severity(struct search_doc *d, enum kk_cvss_version v, int tenths, struct kk_error *err)
{
	char name[16];

	if (tenths < 0)
		return KK_OK;
	return add_facet(d, "severity", lower(kk_cvss_severity_name(kk_cvss_rate(v, tenths)), name, sizeof(name)), err);
}

/* The texts of both languages, the titles into d->title too. */
static enum kk_result add_texts(struct search_doc *d, const json_t *texts, struct kk_error *err)
{
	enum kk_result res = KK_OK;

	for (int l = 0; !res && l < 2; l++) {
		const json_t *t = json_object_get(texts, l ? "en" : "ja");
		const char *title = json_string_value(json_object_get(t, "title"));

		if (title && *title) {
			if (d->title.len)
				kk_buf_add(&d->title, "\n", 1);
			res = search_fold_append(title, &d->title, err);
		}
		/* the items of the publication manual the issue names: not the contact */
		for (size_t i = 0; !res && kk_advisory_text_members[i]; i++)
			if (strcmp(kk_advisory_text_members[i], "contact") != 0)
				res = add_field(d, json_string_value(json_object_get(t, kk_advisory_text_members[i])), err);
	}
	return res;
}

/* The facets as the repository takes them, pointing into d->facets. */
static enum kk_result facet_list(struct search_doc *d, struct kk_error *err)
{
	size_t n = json_array_size(d->facets), i;
	const json_t *f;

	if (!n)
		return KK_OK;
	if (!(d->facet_list = kk_calloc(n, sizeof(*d->facet_list))))
		return kk_error_nomem(err);
	json_array_foreach(d->facets, i, f) {
		d->facet_list[i].kind = json_string_value(json_array_get(f, 0));
		d->facet_list[i].value = json_string_value(json_array_get(f, 1));
	}
	d->entry.facets = d->facet_list;
	d->entry.n_facets = n;
	return KK_OK;
}

enum kk_result search_doc_build(struct kk_tx *tx, const struct kk_advisory *a, struct search_doc *d,
				struct kk_error *err)
{
	json_t *content;
	const json_t *v;
	char slug[KK_ADVISORY_ID_MAX];
	size_t i;
	enum kk_result res;

	memset(d, 0, sizeof(*d));
	kk_buf_init(&d->title, DOC_TEXT_MAX);
	kk_buf_init(&d->body, DOC_TEXT_MAX);
	kk_buf_init(&d->shorts, DOC_TEXT_MAX);
	kk_buf_init(&d->words, DOC_TEXT_MAX);
	if (!(d->facets = json_array()))
		return kk_error_nomem(err);
	if (!(content = adv_content_load(a->content, err)))
		return kk_error_result(err, KK_EDB);
	res = add_texts(d, json_object_get(content, "texts"), err);
	if (!res)
		res = add_case_names(tx, d, a->case_id, err);
	json_array_foreach(json_object_get(content, "cves"), i, v) {
		char upper[64];

		if (res)
			break;
		snprintf(upper, sizeof(upper), "%s", json_string_value(v) ? json_string_value(v) : "");
		for (char *p = upper; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		res = add_facet(d, "cve", upper, err);
		if (!res)
			res = add_field(d, upper, err);
	}
	if (!res)
		res = add_cwes(tx, d, json_object_get(content, "cwes"), err);
	if (!res)
		res = add_cpes(d, json_object_get(content, "cpes"), err);
	/* the public ID, as written and as in its address */
	if (!res)
		res = add_field(d, a->public_id, err);
	if (!res)
		res = add_field(d, kk_advisory_id_slug(a->public_id, slug, sizeof(slug)), err);
	if (!res)
		res = add_severity(d, KK_CVSS_V3_1, a->cvss3_tenths, err);
	if (!res)
		res = add_severity(d, KK_CVSS_V4_0, a->cvss4_tenths, err);
	json_decref(content);
	if (!res)
		res = shorts_of(d->body.data ? d->body.data : "", 0, &d->shorts, err);
	if (!res)
		res = search_words(d->body.data ? d->body.data : "", &d->words, err);
	if (!res)
		res = facet_list(d, err);
	if (!res && (kk_buf_result(&d->title) || kk_buf_result(&d->body)))
		res = kk_error_nomem(err);
	if (res)
		return res;
	d->entry.advisory_id = a->id;
	d->entry.k = KK_SEARCH_K(a->published_at, a->id);
	d->entry.title = d->title.data ? d->title.data : "";
	d->entry.body = d->body.data ? d->body.data : "";
	d->entry.shorts = d->shorts.data ? d->shorts.data : "";
	d->entry.words = d->words.data ? d->words.data : "";
	return KK_OK;
}

void search_doc_release(struct search_doc *d)
{
	if (!d)
		return;
	kk_buf_release(&d->title);
	kk_buf_release(&d->body);
	kk_buf_release(&d->shorts);
	kk_buf_release(&d->words);
	json_decref(d->facets);
	free(d->facet_list);
	memset(d, 0, sizeof(*d));
}
