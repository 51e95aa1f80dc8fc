/*
 * page_advisory_public.c: the public portal of advisories (issue 12, SPEC 6,
 * "Public addresses" of the issue): GET /advisories/ (the published
 * advisories, newest first, a page at a time), GET /advisories/{ID} (one
 * advisory, its public ID without "#": the 11 items and every vendor's status
 * in the page's language) and GET /advisories/vendors/{vendor_id} (the
 * published advisories that list one vendor). For everyone, without script, in
 * Japanese and English (?lang=ja|en; without it the reader's language), each
 * page linking its other language, its canonical address and the feeds.
 *
 * Only what kk_advisory_public_list, kk_advisory_search (for a vendor's
 * advisories: its vendor filter) and kk_advisory_public_get return is shown;
 * an advisory that is not published, whatever its state, and a vendor without
 * a published advisory answer exactly the 404 page of an address that does
 * not exist (SPEC 1: a denied read looks like a missing one; the front's own
 * 404, http_dispatch.c). The replies are kept by caches
 * (page_advisory_cache.c).
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "keikai/advisory.h"
#include "keikai/advisory_search.h"
#include "keikai/i18n.h"
#include "page.h"
#include "page_advisory.h"

/* Advisories on one page of the index. */
#define INDEX_PAGE_SIZE 20

/* The page of an address that does not exist, exactly as the front makes it. */
static void not_found(struct kk_req *r)
{
	page_error(r, 404, _("There is no such page."));
}

/* Starts a public page: the layout with its <link>s (layout_head.html). */
static enum kk_result begin(struct kk_req *r, const char *title, const char *self, const struct layout_links *links)
{
	struct layout_view v = { .title = title, .self = self, .links = links };

	kk_buf_reset(&r->reply);
	return tmpl_layout_head(&r->reply, r, &v);
}

/* The feeds' addresses in lang, from base ("" for paths); vendor: one
 * vendor's feeds (its id), or NULL. */
static void feeds(struct kk_req *r, const char *base, enum kk_lang lang, const char *vendor, const char **rss,
		  const char **atom)
{
	const char *q = kk_req_printf(r, "%s%s%s%s", vendor || lang == KK_LANG_EN ? "?" : "",
				      vendor ? kk_req_printf(r, "vendor=%s", vendor) : "",
				      vendor && lang == KK_LANG_EN ? "&" : "", lang == KK_LANG_EN ? "lang=en" : "");

	*rss = q ? kk_req_printf(r, "%s/feed/jvnrss.rdf%s", base, q) : NULL;
	*atom = q ? kk_req_printf(r, "%s/feed/atom.xml%s", base, q) : NULL;
}

/* The title of the content's texts in lang, else in the other language. */
static const char *text_title(const json_t *content, enum kk_lang lang)
{
	const json_t *texts = json_object_get(content, "texts");
	const char *mine = json_string_value(json_object_get(json_object_get(texts, kk_lang_code(lang)), "title"));
	const char *other =
		json_string_value(json_object_get(json_object_get(texts, lang == KK_LANG_JA ? "en" : "ja"), "title"));

	return mine && *mine ? mine : other;
}

/* GET /advisories: the index's address has its slash. */
void page_advisories_redirect(struct kk_req *r)
{
	kk_reply_redirect(r, page_public_lang_given(r) ? kk_req_printf(r, "/advisories/?lang=%s", kk_lang_code(r->lang))
						       : "/advisories/");
}

/* The page number of ?page= into *page (1 without it): 0, or -1 after a 400
 * naming the parameter. */
static int page_number(struct kk_req *r, int64_t *page)
{
	const char *p = kk_req_query(r, "page");

	*page = 1;
	if (p && kk_parse_id(p, page) != 0) {
		const char *why = kk_req_printf(r, _("Must be a whole number from 1 to %d."), KK_ADVISORY_PAGE_MAX);

		page_error(r, 400, kk_req_printf(r, "%s: %s", _("Page"), why ? why : ""));
		return -1;
	}
	return 0;
}

/* A refusal of the core for the list's parameters: 400 naming the page. */
static void list_error(struct kk_req *r, enum kk_result res, const struct kk_error *err)
{
	const char *field = json_string_value(json_object_get(err->fields, "page"));

	page_error(r, kk_status_for(res), field ? kk_req_printf(r, "%s: %s", _("Page"), field)
					       : err->msg[0] ? err->msg : NULL);
}

/*
 * Renders one page of a list of advisories (v: list, total, page, pages,
 * title, vendor set by the caller) at path ("/advisories/" or
 * "/advisories/vendors/12"), with the feeds of vendor (its id, or NULL).
 * last: the latest time the list changed (Last-Modified).
 */
static void list_page(struct kk_req *r, struct advisory_index_view *v, const char *path, const char *vendor,
		      int64_t last)
{
	struct layout_links links = { 0 };
	const char *base = page_public_base(r), *code = kk_lang_code(r->lang);
	const char *pq = v->page > 1 ? kk_req_printf(r, "page=%lld", (long long)v->page) : NULL;
	const char *amp = pq ? "&" : "";
	enum kk_result res;

	v->lang_query = kk_req_printf(r, "lang=%s", code);
	v->prev = v->page > 1 ? kk_req_printf(r, "%s?page=%lld&lang=%s", path, (long long)(v->page - 1), code) : NULL;
	v->next = v->page < v->pages ? kk_req_printf(r, "%s?page=%lld&lang=%s", path, (long long)(v->page + 1), code)
				     : NULL;
	feeds(r, "", r->lang, vendor, &v->rss, &v->atom);
	if (!base || !v->lang_query || !v->rss || !v->atom) {
		page_error(r, 500, _("Out of memory."));
		return;
	}
	/* issue 12: the canonical address of each language, and the feeds */
	links.canonical = kk_req_printf(r, "%s%s?%s%slang=%s", base, path, pq ? pq : "", amp, code);
	links.alt_ja = kk_req_printf(r, "%s%s?%s%slang=ja", base, path, pq ? pq : "", amp);
	links.alt_en = kk_req_printf(r, "%s%s?%s%slang=en", base, path, pq ? pq : "", amp);
	links.alt_default = kk_req_printf(r, "%s%s%s%s", base, path, pq ? "?" : "", pq ? pq : "");
	feeds(r, base, r->lang, vendor, &links.rss, &links.atom);
	res = begin(r, v->title, pq ? kk_req_printf(r, "%s?%s", path, pq) : path, &links);
	if (res == KK_OK)
		res = tmpl_advisory_index(&r->reply, r, v);
	page_end(r, 200, res);
	page_public_reply(r, last, !page_public_lang_given(r));
}

/* The latest update of the advisories of list (Last-Modified). */
static int64_t latest(const json_t *list)
{
	int64_t last = 0;

	for (size_t i = 0; i < json_array_size(list); i++) {
		int64_t u = json_integer_value(json_object_get(json_array_get(list, i), "updated_at"));

		if (u > last)
			last = u;
	}
	return last;
}

/* GET /advisories/?page=N */
void page_advisories_index(struct kk_req *r)
{
	struct advisory_index_view v = { 0 };
	struct kk_error err = KK_ERROR_INIT;
	json_t *list = NULL, *first = NULL;
	int64_t page, total = 0, newest = 0, last;
	enum kk_result res;

	if (page_number(r, &page) != 0)
		goto out;
	res = kk_advisory_public_list(r->store, INDEX_PAGE_SIZE, page, &list, &total, &err);
	if (res != KK_OK) {
		list_error(r, res, &err);
		goto out;
	}
	v.title = _("Vulnerability advisories");
	v.list = json_object_get(list, "advisories");
	v.total = total;
	v.page = page;
	v.pages = total ? (total + INDEX_PAGE_SIZE - 1) / INDEX_PAGE_SIZE : 1;
	if (page > v.pages) {
		not_found(r);
		goto out;
	}
	/* Last-Modified: the latest change shown, or the newest publication that moved this page */
	last = latest(v.list);
	if (page > 1 && kk_advisory_public_list(r->store, 1, 1, &first, &newest, &err) == KK_OK) {
		int64_t u = json_integer_value(
			json_object_get(json_array_get(json_object_get(first, "advisories"), 0), "published_at"));

		if (u > last)
			last = u;
	}
	list_page(r, &v, "/advisories/", NULL, last);
out:
	json_decref(list);
	json_decref(first);
	kk_error_release(&err);
}

/* GET /advisories/vendors/{vendor_id}?page=N: the published advisories that
 * list the vendor (kk_advisory_search's vendor filter), newest first */
void page_advisory_vendor(struct kk_req *r)
{
	struct advisory_index_view v = { 0 };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_advisory_query q = { 0 };
	json_t *out = NULL, *adv = NULL;
	int64_t vendor_id = 0, page, total = 0, last;
	enum kk_result res;

	/* SPEC 1: an id that is not one, or a vendor without a published advisory, is a missing page */
	if (kk_parse_id(r->params[0], &vendor_id) != 0) {
		not_found(r);
		goto out;
	}
	if (page_number(r, &page) != 0)
		goto out;
	q.vendor = kk_req_printf(r, "%lld", (long long)vendor_id);
	q.page = kk_req_printf(r, "%lld", (long long)page);
	q.limit = kk_req_printf(r, "%d", INDEX_PAGE_SIZE);
	res = q.vendor && q.page && q.limit ? kk_advisory_search(r->store, &q, &out, &total, &err) : kk_error_nomem(&err);
	if (res != KK_OK) {
		list_error(r, res, &err);
		goto out;
	}
	v.list = json_object_get(out, "advisories");
	v.total = total;
	v.page = page;
	v.pages = json_integer_value(json_object_get(json_object_get(out, "paging"), "pages"));
	if (!total || !json_array_size(v.list)) {
		not_found(r);
		goto out;
	}
	/* the vendor's name as its newest advisory lists it, in the page's language */
	res = kk_advisory_public_get(r->store, json_string_value(json_object_get(json_array_get(v.list, 0), "id")), &adv,
				     &err);
	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	v.vendor = adv_vendor_name(adv, vendor_id, r->lang);
	if (!v.vendor)
		v.vendor = kk_req_printf(r, "#%lld", (long long)vendor_id);
	v.title = kk_req_printf(r, _("Vulnerability advisories: %s"), v.vendor ? v.vendor : "");
	if (v.pages < 1)
		v.pages = 1;
	last = latest(v.list);
	list_page(r, &v, kk_req_printf(r, "/advisories/vendors/%lld", (long long)vendor_id),
		  kk_req_printf(r, "%lld", (long long)vendor_id), last);
out:
	json_decref(out);
	json_decref(adv);
	kk_error_release(&err);
}

/* GET /advisories/{ID}: ID is the public ID without "#" (JVNVU12345678) */
void page_advisory_public(struct kk_req *r)
{
	struct advisory_public_view v = { 0 };
	struct layout_links links = { 0 };
	struct kk_error err = KK_ERROR_INIT;
	const char *base = page_public_base(r), *code = kk_lang_code(r->lang), *slug, *slug_enc, *title;
	json_t *adv = NULL;
	enum kk_result res = kk_advisory_public_get(r->store, r->params[0], &adv, &err);

	if (res == KK_ENOTFOUND) {
		/* SPEC 1, issue 12 item 4: not published, or never was: one answer */
		not_found(r);
		goto out;
	}
	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	slug = json_string_value(json_object_get(adv, "slug"));
	slug_enc = page_urlenc(r, slug);
	v.body.rendered = adv;
	v.body.content = json_object_get(adv, "content");
	v.body.lang = r->lang;
	v.body.id = json_string_value(json_object_get(adv, "id"));
	v.body.published_at = json_integer_value(json_object_get(adv, "published_at"));
	v.body.updated_at = json_integer_value(json_object_get(adv, "updated_at"));
	v.body.level = 1;
	v.body.link_vendors = 1;
	v.body.anchor = "advisory";
	v.other_href = kk_req_printf(r, "/advisories/%s?lang=%s", slug_enc ? slug_enc : "",
				     r->lang == KK_LANG_JA ? "en" : "ja");
	v.index_href = kk_req_printf(r, "/advisories/?lang=%s", code);
	title = text_title(v.body.content, r->lang);
	if (!base || !slug_enc || !v.other_href || !v.index_href) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	/* issue 12: the canonical address of each language, and the feeds */
	links.canonical = kk_req_printf(r, "%s/advisories/%s?lang=%s", base, slug_enc, code);
	links.alt_ja = kk_req_printf(r, "%s/advisories/%s?lang=ja", base, slug_enc);
	links.alt_en = kk_req_printf(r, "%s/advisories/%s?lang=en", base, slug_enc);
	links.alt_default = kk_req_printf(r, "%s/advisories/%s", base, slug_enc);
	feeds(r, base, r->lang, NULL, &links.rss, &links.atom);
	res = begin(r, kk_req_printf(r, "%s: %s", v.body.id, title ? title : ""),
		    kk_req_printf(r, "/advisories/%s", slug_enc), &links);
	if (res == KK_OK)
		res = tmpl_advisory_public(&r->reply, r, &v);
	page_end(r, 200, res);
	page_public_reply(r, v.body.updated_at ? v.body.updated_at : v.body.published_at, !page_public_lang_given(r));
out:
	json_decref(adv);
	kk_error_release(&err);
}
