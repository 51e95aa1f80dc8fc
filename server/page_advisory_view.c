/*
 * page_advisory_view.c: what the advisory templates call (templates/advisory_views.h;
 * issue 12, SPEC 6): the members of an advisory's texts with their labels, the
 * Markdown rendered escaped by construction, times for a reader in Japan, links
 * that are only ever http(s) or mailto, and one advisory rendered in its own
 * language (page_advisory_body).
 */
#include <stdio.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/markdown.h"
#include "page.h"
#include "page_advisory.h"

/* SPEC 6: the texts of one language in the order of the publication manual:
 * (1) title, (2) overview, (3) affected products and how to check the version,
 * (4) description, (5) impact, (6) countermeasures, (7) workarounds, (11)
 * contact (advisory.h kk_advisory_text_members). */
const struct advisory_text_field advisory_text_fields[] = {
	{ "title", N_("Title"),
	  N_("One line naming the product and the vulnerability; the public ID is added at publication."), 0 },
	{ "overview", N_("Overview"), N_("What is affected and what may happen, in a few sentences."), 1 },
	{ "affected", N_("Affected products"),
	  N_("The products and versions affected, and how users can check their version."), 1 },
	{ "description", N_("Description of the vulnerability"),
	  N_("What the vulnerability is. Never how to attack it: attack methods, proof-of-concept code and "
	     "verification steps are not published."),
	  1 },
	{ "impact", N_("Possible impact"),
	  N_("What an attacker could do; the severity comes from the CVSS vectors below."), 1 },
	{ "countermeasures", N_("Solution"),
	  N_("Fixed versions, patches and how to apply them; filled in from the vendors' countermeasures."), 1 },
	{ "workarounds", N_("Workarounds"), N_("Ways to reduce the risk until a fix is applied; may be left empty."), 1 },
	{ "contact", N_("Contact"), N_("Where readers ask about this advisory."), 1 },
	{ NULL, NULL, NULL, 0 },
};

enum kk_result adv_markdown(struct kk_buf *o, const char *md)
{
	struct kk_error err = KK_ERROR_INIT;
	enum kk_result res;

	if (!md || !*md)
		return KK_OK;
	/* markdown.h: text escaped, raw HTML omitted, links checked */
	res = kk_markdown_html(md, o, &err);
	kk_error_release(&err);
	return res;
}

enum kk_result adv_when(struct kk_buf *o, int64_t t, enum kk_lang lang)
{
	char iso[KK_TIME_LEN], text[KK_TIME_TEXT_LEN];
	enum kk_result res;

	if (t <= 0)
		return KK_OK;
	kk_time_format(t, iso);
	/* the reader's zone: Japan's, the guideline's calendar (SPEC 8) */
	kk_time_text(t, lang, NULL, text);
	res = kk_buf_adds(o, "<time datetime=\"");
	if (res == KK_OK)
		res = kk_buf_add_html(o, iso);
	if (res == KK_OK)
		res = kk_buf_adds(o, "\">");
	if (res == KK_OK)
		res = kk_buf_add_html(o, text);
	if (res == KK_OK)
		res = kk_buf_adds(o, "</time>");
	return res;
}

enum kk_result adv_time(struct kk_buf *o, const json_t *t, enum kk_lang lang)
{
	return json_is_integer(t) ? adv_when(o, json_integer_value(t), lang) : KK_OK;
}

enum kk_result adv_link(struct kk_buf *o, const char *url, const char *text)
{
	enum kk_result res = KK_OK;

	if (!url)
		return tmpl_html(o, text);
	if (!text || !*text)
		text = url;
	/* only what a link in an advisory may be (markdown.h): never javascript: or data: */
	if (!kk_markdown_link_ok(url))
		return kk_buf_add_html(o, text);
	res = kk_buf_adds(o, "<a href=\"");
	if (res == KK_OK)
		res = kk_buf_add_html(o, url);
	if (res == KK_OK)
		res = kk_buf_adds(o, "\" rel=\"nofollow noopener\">");
	if (res == KK_OK)
		res = kk_buf_add_html(o, text);
	if (res == KK_OK)
		res = kk_buf_adds(o, "</a>");
	return res;
}

const char *adv_pick(const json_t *o, const char *k, enum kk_lang lang)
{
	char ja[64], en[64];
	const char *first, *second;

	if (k && strlen(k) > sizeof(ja) - 4)
		return NULL;
	snprintf(ja, sizeof(ja), "%s%sja", k ? k : "", k ? "_" : "");
	snprintf(en, sizeof(en), "%s%sen", k ? k : "", k ? "_" : "");
	first = json_string_value(json_object_get(o, lang == KK_LANG_EN ? en : ja));
	second = json_string_value(json_object_get(o, lang == KK_LANG_EN ? ja : en));
	return first && *first ? first : second && *second ? second : NULL;
}

const char *adv_title(const json_t *titles, enum kk_lang lang)
{
	return adv_pick(titles, NULL, lang);
}

const char *adv_vendor_name(const json_t *adv, int64_t vendor_id, enum kk_lang lang)
{
	const json_t *vendors = json_object_get(adv, "vendors");

	for (size_t i = 0; i < json_array_size(vendors); i++) {
		const json_t *v = json_array_get(vendors, i);

		if (json_integer_value(json_object_get(v, "vendor_id")) == vendor_id)
			return adv_pick(v, "name", lang) ? adv_pick(v, "name", lang) : json_string_value(json_object_get(v, "name"));
	}
	return NULL;
}

enum kk_result page_advisory_body(struct kk_buf *o, struct kk_req *r, const struct advisory_body_view *v)
{
	enum kk_lang was = kk_i18n_current();
	enum kk_result res;

	/* the labels in the advisory's language, whatever the page's */
	kk_i18n_use(v->lang);
	res = tmpl_advisory_body(o, r, v);
	kk_i18n_use(was);
	return res;
}
