/*
 * page_registry.c: the coordinator's registry search page, GET /vendors?q=&cpe=
 * (issue 8, capability 4; SPEC 2.5): a search box and the matches, each with
 * its vendor (linking to the vendor's record), product, CPE name, listing
 * consent and last contact, in the reader's language. The core
 * (vendor_search.h) searches; a refused query is shown again with its message
 * next to its field.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/vendor_search.h"
#include "page.h"

/* The name in the reader's language, and the other one when both are there. */
static void names_for(struct kk_req *r, const char *ja, const char *en, const char **first, const char **other)
{
	int want_ja = r->lang == KK_LANG_JA;

	*first = want_ja ? (ja ? ja : en) : (en ? en : ja);
	*other = ja && en && strcmp(ja, en) != 0 ? (want_ja ? en : ja) : NULL;
}

/* The row of hit h, its strings in the request's pool or in the results. 0, or
 * -1 without memory. */
static int fill_row(struct kk_req *r, const struct kk_registry_hit *h, struct registry_row *row)
{
	char iso[KK_TIME_LEN], text[KK_TIME_TEXT_LEN];

	memset(row, 0, sizeof(*row));
	if (!(row->vendor_href = kk_req_printf(r, "/vendors/%lld", (long long)h->vendor_id)))
		return -1;
	names_for(r, h->vendor_name_ja, h->vendor_name_en, &row->vendor_name, &row->vendor_other_name);
	if (h->product_id)
		names_for(r, h->product_name_ja, h->product_name_en, &row->product_name, &row->product_other_name);
	row->cpe = h->cpe23;
	row->listed_publicly = h->listed_publicly;
	row->score = h->score;
	if (h->last_contact_at) {
		/* the reader's zone is not known: Japan's, the guideline's calendar */
		row->last_contact_iso = kk_req_strdup(r, kk_time_format(h->last_contact_at, iso));
		row->last_contact_text = kk_req_strdup(r, kk_time_text(h->last_contact_at, r->lang, &kk_zone_tokyo, text));
		if (!row->last_contact_iso || !row->last_contact_text)
			return -1;
	}
	return 0;
}

/* This page with its query, for the language switch: "/vendors?q=...&cpe=...",
 * in the request's pool; NULL (the bare path) without memory. */
static const char *self_url(struct kk_req *r, const char *q, const char *cpe)
{
	struct kk_buf b;
	const char *sep = "?";
	char *url;

	kk_buf_init(&b, 4 * (KK_REGISTRY_QUERY_MAX * 2) + 64);
	kk_buf_adds(&b, "/vendors");
	if (!kk_str_empty(q)) {
		kk_buf_adds(&b, "?q=");
		kk_buf_add_urlenc(&b, q);
		sep = "&";
	}
	if (!kk_str_empty(cpe)) {
		kk_buf_adds(&b, sep);
		kk_buf_adds(&b, "cpe=");
		kk_buf_add_urlenc(&b, cpe);
	}
	url = kk_buf_detach(&b);
	if (!url)
		return NULL;
	if (!(q = kk_req_strdup(r, url)))
		q = NULL;
	free(url);
	return q;
}

void page_registry_search(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_registry_results res = { 0 };
	struct registry_search_view v = { 0 };
	struct registry_row *rows = NULL;
	struct kk_registry_query q = { .text = kk_req_query(r, "q"), .cpe = kk_req_query(r, "cpe") };
	unsigned status = 200;
	enum kk_result rc;

	v.q = q.text;
	v.cpe = q.cpe;
	v.searched = !kk_str_empty(q.text) || !kk_str_empty(q.cpe);
	if (v.searched) {
		rc = kk_registry_search(r->store, &r->user, &q, &res, &err);
		if (rc == KK_EINVAL) {
			status = 400;
			v.error = kk_req_strdup(r, err.msg);
			v.errors = err.fields;
		} else if (rc != KK_OK) {
			page_error(r, kk_status_for(rc), err.msg[0] ? err.msg : NULL);
			goto out;
		}
	}
	if (res.n && !(rows = kk_req_alloc(r, res.n * sizeof(*rows))))
		goto nomem;
	for (size_t i = 0; i < res.n; i++)
		if (fill_row(r, &res.hits[i], &rows[i]) != 0)
			goto nomem;
	v.rows = rows;
	v.n_rows = res.n;
	v.total = res.total;
	rc = page_begin(r, _("Vendor registry"), self_url(r, q.text, q.cpe));
	if (rc == KK_OK)
		rc = tmpl_registry_search(&r->reply, r, &v);
	page_end(r, status, rc); /* the rows point into res until the page is made */
	goto out;
nomem:
	page_error(r, 500, _("Out of memory."));
out:
	kk_registry_results_release(&res);
	kk_error_release(&err);
}
