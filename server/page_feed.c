/*
 * page_feed.c: the portal's feeds (issue 12, capability 6; SPEC 6 "RSS
 * feeds"): GET /feed/jvnrss.rdf (RSS 1.0 in the JVNRSS 3.2 format, valid
 * against JVN's jvnrss_3.2.xsd) and GET /feed/atom.xml (Atom 1.0), the newest
 * KK_FEED_ITEMS published advisories, in Japanese, or in English with
 * ?lang=en (a feed reader sends no cookie: the address alone says the
 * language).
 *
 * Each advisory is read with kk_advisory_public_get, so a feed carries only
 * what the public page shows: the title and the overview (as plain text) in
 * the feed's language, the public address, the first publication and last
 * update, CVSS, CVE, CWE, CPE, the related links and the vendors' names; the
 * documents themselves are written by keikai/feed.h. The replies are kept by
 * caches like the pages (page_advisory_cache.c).
 *
 * ?vendor=ID gives the newest of one vendor (kk_advisory_search's vendor
 * filter, the advisories whose notified vendors include it): a vendor without
 * one is an empty feed, so a feed tells nothing of a vendor that is not public.
 * ?product=NAME and ?cpe=NAME give those of one product, as the search's
 * filters of the same names find them; a faulty one is a 400 naming it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "keikai/advisory.h"
#include "keikai/advisory_search.h"
#include "keikai/clock.h"
#include "keikai/feed.h"
#include "keikai/i18n.h"
#include "keikai/markdown.h"
#include "page.h"
#include "page_advisory.h"

/* The largest feed document: 50 advisories with their overviews. */
#define FEED_REPLY_MAX ((size_t)16 * 1024 * 1024)

typedef enum kk_result feed_writer(const struct kk_feed *f, struct kk_buf *out, struct kk_error *err);

/* The strings of the JSON array arr (its string items), in the request's pool;
 * *n how many. NULL without memory (or for an empty array, with *n 0). */
static const char **strings(struct kk_req *r, const json_t *arr, const char *member, size_t *n)
{
	const char **out = kk_req_alloc(r, (json_array_size(arr) + 1) * sizeof(*out));

	*n = 0;
	for (size_t i = 0; out && i < json_array_size(arr); i++) {
		const json_t *e = json_array_get(arr, i);
		const char *s = member ? json_string_value(json_object_get(e, member)) : json_string_value(e);

		if (s)
			out[(*n)++] = s;
	}
	return out;
}

/* Fills item from the public advisory adv (kept alive by the caller) in lang. */
static enum kk_result fill_item(struct kk_req *r, const json_t *adv, const char *base, enum kk_lang lang,
				struct kk_feed_item *it, struct kk_error *err)
{
	const char *code = kk_lang_code(lang);
	const json_t *texts = json_object_get(json_object_get(adv, "content"), "texts");
	const json_t *mine = json_object_get(texts, code);
	const json_t *other = json_object_get(texts, lang == KK_LANG_JA ? "en" : "ja");
	const json_t *cwes = json_object_get(adv, "cwes"), *vendors = json_object_get(adv, "vendors"),
		     *refs = json_object_get(adv, "references");
	const char *title = json_string_value(json_object_get(mine, "title")), *overview;
	const char **names;
	struct kk_feed_ref *links;
	char *text = NULL;
	size_t n;

	memset(it, 0, sizeof(*it));
	if (kk_str_empty(title))
		title = json_string_value(json_object_get(other, "title"));
	overview = json_string_value(json_object_get(mine, "overview"));
	if (kk_str_empty(overview))
		overview = json_string_value(json_object_get(other, "overview"));
	/* the overview as plain text (markdown.h), never the author's markup */
	if (!kk_str_empty(overview)) {
		enum kk_result res = kk_markdown_text(overview, &text, err);

		if (res != KK_OK)
			return res;
		it->summary = kk_req_strdup(r, text);
		free(text);
		if (!it->summary)
			return kk_error_nomem(err);
	}
	it->id = json_string_value(json_object_get(adv, "id"));
	it->title = title ? title : it->id;
	it->url = kk_req_printf(r, "%s/advisories/%s%s", base, json_string_value(json_object_get(adv, "slug")),
				lang == KK_LANG_EN ? "?lang=en" : "");
	it->published = json_integer_value(json_object_get(adv, "published_at"));
	it->updated = json_integer_value(json_object_get(adv, "updated_at"));
	it->cvss3_vector = json_string_value(json_object_get(json_object_get(adv, "cvss3"), "vector"));
	it->cvss3_score = -1;
	it->cvss4_vector = json_string_value(json_object_get(json_object_get(adv, "cvss4"), "vector"));
	it->cvss4_score = -1;
	it->cves = strings(r, json_object_get(adv, "cves"), NULL, &it->n_cves);
	it->cwes = strings(r, cwes, "id", &it->n_cwes);
	it->cpes = strings(r, json_object_get(adv, "cpes"), NULL, &it->n_cpes);
	/* the CWE names parallel to the ids (an entry without a name: NULL) */
	names = kk_req_alloc(r, (json_array_size(cwes) + 1) * sizeof(*names));
	for (size_t i = 0, k = 0; names && i < json_array_size(cwes); i++)
		if (json_string_value(json_object_get(json_array_get(cwes, i), "id")))
			names[k++] = json_string_value(json_object_get(json_array_get(cwes, i), "name"));
	it->cwe_names = names;
	/* SPEC 2.11: every vendor of the advisory, by its name in the feed's language */
	names = kk_req_alloc(r, (json_array_size(vendors) + 1) * sizeof(*names));
	n = 0;
	for (size_t i = 0; names && i < json_array_size(vendors); i++) {
		const char *name = adv_pick(json_array_get(vendors, i), "name", lang);

		if (!name)
			name = json_string_value(json_object_get(json_array_get(vendors, i), "name"));
		if (name)
			names[n++] = name;
	}
	it->vendors = names;
	it->n_vendors = n;
	links = kk_req_alloc(r, (json_array_size(refs) + 1) * sizeof(*links));
	for (size_t i = 0; links && i < json_array_size(refs); i++) {
		links[i].title = json_string_value(json_object_get(json_array_get(refs, i), "title"));
		links[i].url = json_string_value(json_object_get(json_array_get(refs, i), "url"));
	}
	it->refs = links;
	it->n_refs = json_array_size(refs);
	if (!it->url || !it->cves || !it->cwes || !it->cpes || !it->cwe_names || !it->vendors || !it->refs)
		return kk_error_nomem(err);
	return KK_OK;
}

/* The newest KK_FEED_ITEMS published advisories into *list ({"advisories":
 * [...]}): all of them, or those kk_advisory_search's filters vendor,
 * product and cpe find (any of them NULL: not filtered by it). */
static enum kk_result newest(struct kk_req *r, const char *vendor, const char *product, const char *cpe, json_t **list,
			     struct kk_error *err)
{
	struct kk_advisory_query q = { .vendor = vendor, .product = product, .cpe = cpe, .page = "1" };
	int64_t total = 0;

	if (!vendor && !product && !cpe)
		return kk_advisory_public_list(r->store, KK_FEED_ITEMS, 1, list, &total, err);
	q.limit = kk_req_printf(r, "%d", KK_FEED_ITEMS);
	return q.limit ? kk_advisory_search(r->store, &q, list, &total, err) : kk_error_nomem(err);
}

/* "name=value" of a filter, percent-encoded, after sep, onto b. */
static void add_param(struct kk_buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	kk_buf_adds(b, b->len ? "&" : "?");
	kk_buf_adds(b, name);
	kk_buf_adds(b, "=");
	kk_buf_add_urlenc(b, value);
}

/* The feed's title: all advisories, or what its filter names. */
static const char *feed_title(struct kk_req *r, const char *vendor, int64_t vendor_id, const char *product,
			      const char *cpe, size_t n, json_t **advs, enum kk_lang lang)
{
	const char *name = vendor && n ? adv_vendor_name(advs[0], vendor_id, lang) : NULL;

	if (vendor)
		return kk_req_printf(r, _("Vulnerability advisories: %s"), name ? name : kk_req_printf(r, "#%s", vendor));
	if (product || cpe)
		return kk_req_printf(r, _("Vulnerability advisories: %s"), product ? product : cpe);
	return _("Vulnerability advisories");
}

/* One feed: path is its own address ("/feed/jvnrss.rdf"), write its writer;
 * ?vendor=ID the advisories of one vendor, ?product=NAME and ?cpe=NAME those
 * of a product (as the search's filters: docs/api/search.md), ?lang=en in
 * English. */
static void feed(struct kk_req *r, const char *path, feed_writer *write, const char *content_type)
{
	struct kk_error err = KK_ERROR_INIT;
	const char *q = kk_req_query(r, "lang"), *vq = kk_req_query(r, "vendor"), *base = page_public_base(r);
	const char *product = kk_req_query(r, "product"), *cpe = kk_req_query(r, "cpe");
	/* issue 12: Japanese unless the address asks for English */
	enum kk_lang lang = q && !strcmp(q, "en") ? KK_LANG_EN : KK_LANG_JA;
	struct kk_feed f = { 0 };
	struct kk_feed_item *items = NULL;
	json_t *list = NULL, **advs = NULL;
	const char *vendor = NULL, *query;
	int64_t vendor_id = 0;
	size_t n = 0;
	struct kk_buf out, qb;
	enum kk_result res;

	kk_buf_init(&out, FEED_REPLY_MAX);
	kk_buf_init(&qb, 8192);
	kk_i18n_use(lang);
	r->lang = lang;
	if (vq && kk_parse_id(vq, &vendor_id) != 0) {
		page_error(r, 400, kk_req_printf(r, "vendor: %s", _("Must be a vendor's number (1 or more).")));
		goto out;
	}
	if (vq)
		vendor = kk_req_printf(r, "%lld", (long long)vendor_id);
	/* the feed's own query: its filters and language */
	add_param(&qb, "vendor", vendor);
	add_param(&qb, "product", product);
	add_param(&qb, "cpe", cpe);
	add_param(&qb, "lang", lang == KK_LANG_EN ? "en" : NULL);
	query = kk_buf_result(&qb) ? NULL : kk_req_strdup(r, qb.data ? qb.data : "");
	res = base && query && (!vq || vendor) ? newest(r, vendor, product, cpe, &list, &err) : kk_error_nomem(&err);
	if (res == KK_EINVAL) {
		/* the search's fault with a filter, named (docs/api/search.md "Faults") */
		const char *key, *msg = err.msg;
		json_t *v;

		json_object_foreach(err.fields, key, v) {
			msg = kk_req_printf(r, "%s: %s", key, json_string_value(v));
			break;
		}
		page_error(r, 400, msg);
		goto out;
	}
	n = json_array_size(json_object_get(list, "advisories"));
	if (res == KK_OK) {
		items = kk_req_alloc(r, (n + 1) * sizeof(*items));
		advs = kk_req_alloc(r, (n + 1) * sizeof(*advs));
		if (!items || !advs)
			res = kk_error_nomem(&err);
		else
			memset(advs, 0, (n + 1) * sizeof(*advs));
	}
	/* each advisory as the public reads it: published ones only, as they are now */
	for (size_t i = 0; res == KK_OK && i < n; i++) {
		const json_t *entry = json_array_get(json_object_get(list, "advisories"), i);
		const char *id = json_string_value(json_object_get(entry, "id"));

		res = kk_advisory_public_get(r->store, id, &advs[i], &err);
		if (res == KK_OK)
			res = fill_item(r, advs[i], base, lang, &items[i], &err);
	}
	if (res == KK_OK) {
		f.title = feed_title(r, vendor, vendor_id, product, cpe, n, advs, lang);
		f.description = _("Vulnerabilities in software products, published with every vendor's status once the "
				  "vendors and the coordinator have handled them.");
		f.url = kk_req_printf(r, "%s%s%s", base, path, query);
		/* the page that lists the same: the vendor's, the search's, the index */
		f.site_url = vendor		 ? kk_req_printf(r, "%s/advisories/vendors/%s%s", base, vendor,
								 lang == KK_LANG_EN ? "?lang=en" : "")
			     : product || cpe ? kk_req_printf(r, "%s/search%s", base, query)
					      : kk_req_printf(r, "%s/advisories/%s", base, lang == KK_LANG_EN ? "?lang=en" : "");
		f.lang = kk_lang_code(lang);
		/* a feed without items still says when: now */
		f.updated = n ? 0 : kk_now();
		f.items = items;
		f.n_items = n;
		res = f.title && f.url && f.site_url ? write(&f, &out, &err) : kk_error_nomem(&err);
	}
	if (res == KK_OK) {
		int64_t last = 0;

		for (size_t i = 0; i < n; i++)
			if ((items[i].updated ? items[i].updated : items[i].published) > last)
				last = items[i].updated ? items[i].updated : items[i].published;
		kk_reply_bytes(r, 200, content_type, out.data ? out.data : "", out.len, NULL);
		page_public_reply(r, last, 0);
	} else {
		/* a published advisory a feed refuses is a fault of ours: the log has it */
		if (res == KK_EINVAL)
			fprintf(stderr, "keikai: %s: %s\n", path, err.msg);
		page_error(r, res == KK_EINVAL ? 500 : kk_status_for(res),
			   res == KK_EINVAL || !err.msg[0] ? NULL : err.msg);
	}
out:
	for (size_t i = 0; advs && i < n; i++)
		json_decref(advs[i]);
	json_decref(list);
	kk_buf_release(&out);
	kk_buf_release(&qb);
	kk_error_release(&err);
}

/* GET /feed/jvnrss.rdf[?lang=en] */
void page_feed_jvnrss(struct kk_req *r)
{
	feed(r, "/feed/jvnrss.rdf", kk_feed_jvnrss, "application/rdf+xml");
}

/* GET /feed/atom.xml[?lang=en] */
void page_feed_atom(struct kk_req *r)
{
	feed(r, "/feed/atom.xml", kk_feed_atom, "application/atom+xml");
}
