/*
 * page_search.c: GET /search, the search of published advisories as a page
 * (issue 12 item 6, SPEC 6; docs/api/search.md): a form of words and
 * filters that GETs itself, and the matches, newest first (or words in the
 * title first), a page at a time, each linking to its advisory, in Japanese
 * or English (?lang=), without script. The core (advisory_search.h) checks
 * every parameter: refused ones are listed at the top with their labels,
 * each linking to its field, and shown again beside it, with status 400.
 * The page is the same for every anonymous reader and caches may keep it
 * (page_advisory.h). Also the helpers of search_front.h.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "keikai/advisory_search.h"
#include "keikai/i18n.h"
#include "page.h"
#include "page_advisory.h"
#include "search_front.h"

/* The parameters of a search, with the form control and the label each is
 * named by when it is refused. */
static const struct {
	const char *name, *anchor, *label;
} params[] = {
	{ "q", "q", N_("Words") },
	{ "vendor", "vendor", N_("Vendor") },
	{ "product", "product", N_("Product") },
	{ "cpe", "cpe", N_("CPE name") },
	{ "severity", "severity", N_("Severity") },
	{ "cwe", "cwe", N_("CWE") },
	{ "from", "from", N_("First published on or after") },
	{ "to", "to", N_("First published on or before") },
	{ "sort", "sort", N_("Order") },
	{ "page", "page-field", N_("Page") },
	{ "limit", "page-field", N_("Results per page") },
};
#define N_PARAMS (sizeof(params) / sizeof(params[0]))

void search_query_of(struct kk_req *r, struct kk_advisory_query *q)
{
	q->q = kk_req_query(r, "q");
	q->vendor = kk_req_query(r, "vendor");
	q->product = kk_req_query(r, "product");
	q->cpe = kk_req_query(r, "cpe");
	q->severity = kk_req_query(r, "severity");
	q->cwe = kk_req_query(r, "cwe");
	q->from = kk_req_query(r, "from");
	q->to = kk_req_query(r, "to");
	q->sort = kk_req_query(r, "sort");
	q->page = kk_req_query(r, "page");
	q->limit = kk_req_query(r, "limit");
}

const char *search_query_string(struct kk_req *r, int64_t page)
{
	struct kk_buf b;
	char *s;
	const char *out;

	kk_buf_init(&b, 64 * 1024);
	kk_buf_adds(&b, "");
	for (size_t i = 0; i < N_PARAMS; i++) {
		const char *v = kk_req_query(r, params[i].name);

		if (!strcmp(params[i].name, "page") || !v || !*v)
			continue;
		kk_buf_addf(&b, "%s%s=", b.len ? "&" : "", params[i].name);
		kk_buf_add_urlenc(&b, v);
	}
	if (page)
		kk_buf_addf(&b, "%spage=%lld", b.len ? "&" : "", (long long)page);
	if (!(s = kk_buf_detach(&b)))
		return NULL;
	out = kk_req_strdup(r, s);
	free(s);
	return out;
}

/* The refused parameters of err, in the form's order, for the summary. */
static int problems_of(struct kk_req *r, const struct kk_error *err, struct search_view *v)
{
	struct search_problem *p = kk_req_alloc(r, N_PARAMS * sizeof(*p));
	size_t n = 0;

	if (!p)
		return -1;
	for (size_t i = 0; i < N_PARAMS; i++) {
		const char *message = json_string_value(json_object_get(err->fields, params[i].name));

		if (!message)
			continue;
		p[n].anchor = params[i].anchor;
		p[n].label = _(params[i].label);
		p[n++].message = message;
	}
	v->problems = p;
	v->n_problems = n;
	return 0;
}

/* The path of this page with the query (qs, "" for none) in language lang
 * (NULL: without lang=), from base. */
static const char *address(struct kk_req *r, const char *base, const char *qs, const char *lang)
{
	return kk_req_printf(r, "%s/search%s%s%s%s", base, *qs || lang ? "?" : "", qs, *qs && lang ? "&" : "",
			     lang ? kk_req_printf(r, "lang=%s", lang) : "");
}

/* The feeds of the product the search is filtered by (?product=, ?cpe=:
 * page_feed.c takes the same) into v; nothing without either. 0, or -1
 * without memory. */
static int product_feeds(struct kk_req *r, const struct kk_advisory_query *q, struct search_view *v)
{
	struct kk_buf b;
	const char *query;

	if (kk_str_empty(q->product) && kk_str_empty(q->cpe))
		return 0;
	kk_buf_init(&b, 8192);
	if (!kk_str_empty(q->product)) {
		kk_buf_adds(&b, "?product=");
		kk_buf_add_urlenc(&b, q->product);
	}
	if (!kk_str_empty(q->cpe)) {
		kk_buf_adds(&b, b.len ? "&cpe=" : "?cpe=");
		kk_buf_add_urlenc(&b, q->cpe);
	}
	kk_buf_adds(&b, r->lang == KK_LANG_EN ? "&lang=en" : "");
	query = kk_buf_result(&b) ? NULL : kk_req_strdup(r, b.data);
	kk_buf_release(&b);
	v->rss = query ? kk_req_printf(r, "/feed/jvnrss.rdf%s", query) : NULL;
	v->atom = query ? kk_req_printf(r, "/feed/atom.xml%s", query) : NULL;
	return v->rss && v->atom ? 0 : -1;
}

/* GET /search */
void page_search(struct kk_req *r)
{
	struct search_view v = { 0 };
	struct layout_links links = { 0 };
	struct layout_view lv = { 0 };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_advisory_query q;
	const char *base = page_public_base(r), *code = kk_lang_code(r->lang), *qs, *self;
	json_t *form = json_object(), *out = NULL;
	int64_t total = 0, last = 0;
	unsigned status = 200;
	enum kk_result res = KK_OK;

	search_query_of(r, &q);
	for (size_t i = 0; form && i < N_PARAMS; i++) {
		const char *val = kk_req_query(r, params[i].name);

		if (val && *val) {
			v.searched = 1;
			if (json_object_set_new(form, params[i].name, json_string(val)))
				res = KK_ENOMEM;
		}
	}
	v.form = form;
	v.lang_query = kk_req_printf(r, "lang=%s", code);
	if (v.searched && form && !res) {
		res = kk_advisory_search(r->store, &q, &out, &total, &err);
		if (res == KK_EINVAL && err.fields) {
			/* every refused parameter named beside its field; nothing searched */
			status = 400;
			v.errors = err.fields;
			res = problems_of(r, &err, &v) ? KK_ENOMEM : KK_OK;
		} else if (res != KK_OK && res != KK_ENOMEM) {
			page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
			goto out;
		}
	}
	if (out) {
		const json_t *paging = json_object_get(out, "paging");

		v.list = json_object_get(out, "advisories");
		v.total = total;
		if (product_feeds(r, &q, &v))
			res = KK_ENOMEM;
		v.more = json_is_true(json_object_get(out, "more"));
		v.page = json_integer_value(json_object_get(paging, "page"));
		v.pages = json_integer_value(json_object_get(paging, "pages"));
		if (v.page > 1)
			v.prev = kk_req_printf(r, "/search?%s&%s", search_query_string(r, v.page - 1 < v.pages ? v.page - 1 : v.pages),
					       v.lang_query);
		if (v.page < v.pages)
			v.next = kk_req_printf(r, "/search?%s&%s", search_query_string(r, v.page + 1), v.lang_query);
		/* Last-Modified: the latest change among those shown */
		for (size_t i = 0; i < json_array_size(v.list); i++) {
			int64_t u = json_integer_value(json_object_get(json_array_get(v.list, i), "updated_at"));

			if (u > last)
				last = u;
		}
	}
	qs = search_query_string(r, q.page && *q.page ? v.page ? v.page : 1 : 0);
	if (!form || res || !base || !qs || !v.lang_query || (v.page > 1 && !v.prev) || (v.page < v.pages && !v.next)) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	self = address(r, "", qs, NULL);
	/* a public page: its canonical address in each language (issue 12) */
	links.canonical = address(r, base, qs, code);
	links.alt_ja = address(r, base, qs, "ja");
	links.alt_en = address(r, base, qs, "en");
	links.alt_default = address(r, base, qs, NULL);
	lv.title = _("Search advisories");
	lv.self = self;
	lv.links = &links;
	kk_buf_reset(&r->reply);
	res = tmpl_layout_head(&r->reply, r, &lv);
	if (res == KK_OK)
		res = tmpl_search(&r->reply, r, &v);
	page_end(r, status, res);
	page_public_reply(r, last, !page_public_lang_given(r));
out:
	json_decref(out);
	json_decref(form);
	kk_error_release(&err);
}
