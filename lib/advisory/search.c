/*
 * search.c: the search of published advisories (keikai/advisory_search.h;
 * issue 12 item 6, SPEC 6; docs/internals/search.md): keeping the index
 * (an entry per published advisory, in the transaction that changes it;
 * the whole of it rebuilt; the schema's fill) and answering a query.
 *
 * A query is checked (search_query.c), then one statement finds the newest
 * KK_ADVISORY_SEARCH_MATCH_MAX + 1 matches (advisory_search.c: the text
 * index, else a filter's index, else the order of k drives it, and the
 * database stops there); the count, the order by relevance (how many of the
 * words the titles hold, then newest) and the page are worked out on those,
 * and a second statement reads the page's advisories. So a query costs at
 * most that many matches, however many advisories there are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/settings.h"
#include "internal.h"
#include "search_internal.h"

/* ---- keeping the index ---- */

/* Fills missing entries one at a time up to this many; more (a copied
 * deployment, a first start after migration 14) rebuild the whole index. */
#define FILL_ONE_BY_ONE 200

/* The entry of advisory a (any state: none unless it is published);
 * deferred as kk_search_entry_put. */
static enum kk_result index_one(struct kk_tx *tx, const struct kk_advisory *a, int deferred, struct kk_error *err)
{
	struct search_doc d;
	enum kk_result res;

	/* SPEC 1: published material only */
	if (strcmp(a->state, "published") != 0 || !a->public_id || !a->published_at)
		return kk_search_entry_drop(tx, a->id, err);
	res = search_doc_build(tx, a, &d, err);
	if (!res)
		res = kk_search_entry_put(tx, &d.entry, deferred, err);
	search_doc_release(&d);
	return res;
}

/* kk_advisory_search_index, deferred or not. */
static enum kk_result index_id(struct kk_tx *tx, int64_t advisory_id, int deferred, struct kk_error *err)
{
	struct kk_advisory a;
	enum kk_result res = kk_advisories_load(tx, 0, advisory_id, NULL, &a, err);

	if (res == KK_ENOTFOUND)
		return kk_search_entry_drop(tx, advisory_id, err);
	if (!res)
		res = index_one(tx, &a, deferred, err);
	kk_advisory_release(&a);
	return res;
}

enum kk_result kk_advisory_search_index(struct kk_tx *tx, int64_t advisory_id, struct kk_error *err)
{
	return index_id(tx, advisory_id, 0, err);
}

/* The whole index again, in tx: every published advisory, the text index
 * built once at the end. *count: the entries. */
static enum kk_result rebuild(struct kk_tx *tx, int64_t *count, struct kk_error *err)
{
	int64_t *ids = NULL, published = 0;
	size_t n = 0;
	enum kk_result res = kk_search_clear(tx, err);

	if (!res)
		res = kk_search_mismatched(tx, 1, &ids, &n, err);
	for (size_t i = 0; !res && i < n; i++)
		res = index_id(tx, ids[i], 1, err);
	if (!res)
		res = kk_search_text_rebuild(tx, err);
	if (!res && count)
		res = kk_search_counts(tx, &published, count, err);
	free(ids);
	return res;
}

enum kk_result kk_advisory_search_reindex(struct kk_store *s, int64_t *count, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 1, &tx, err);

	*count = 0;
	if (res)
		return res;
	res = rebuild(&tx, count, err);
	return kk_tx_end(&tx, res, err);
}

enum kk_result kk_advisory_search_fill(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	int64_t published = 0, entries = 0, *ids = NULL;
	size_t n = 0;
	enum kk_result res = kk_search_counts(tx, &published, &entries, err);

	(void)arg;
	if (res || published == entries)
		return res;
	if (published - entries > FILL_ONE_BY_ONE)
		return rebuild(tx, NULL, err);
	/* entries of advisories no longer published, then the published ones without one */
	for (int missing = 0; !res && missing < 2; missing++) {
		res = kk_search_mismatched(tx, missing, &ids, &n, err);
		for (size_t i = 0; !res && i < n; i++)
			res = index_id(tx, ids[i], 0, err);
		free(ids);
		ids = NULL;
	}
	return res;
}

/* ---- answering a query ---- */

/* Relevance: more of the words in the titles first, then newest (hits come
 * newest first and k is unique, so the order is total). */
static int by_relevance(const void *a, const void *b)
{
	const struct kk_search_hit *x = a, *y = b;

	if (x->in_title != y->in_title)
		return y->in_title - x->in_title;
	return x->k < y->k ? 1 : x->k > y->k ? -1 : 0;
}

/* One row of kk_search_rows as kk_advisory_public_list shows it (public.c),
 * from the row's summary of its content: [title ja, title en, cvss3, cvss4]. */
static json_t *item(const json_t *row, const char *base, struct kk_error *err)
{
	json_t *sum = adv_content_load(json_string_value(json_object_get(row, "summary")), err);
	const char *id = json_string_value(json_object_get(row, "id"));
	char slug[KK_ADVISORY_ID_MAX];
	json_t *o;

	if (!sum)
		return NULL;
	kk_advisory_id_slug(id, slug, sizeof(slug));
	o = json_pack("{s:s, s:s, s:o, s:O, s:{s:O, s:O}, s:o, s:o, s:O, s:O, s:O}", "id", id, "slug", slug, "url",
		      json_sprintf("%s/advisories/%s", base ? base : "", slug), "kind", json_object_get(row, "kind"),
		      "title", "ja", json_array_get(sum, 0), "en", json_array_get(sum, 1), "cvss3",
		      adv_cvss_json(json_string_value(json_array_get(sum, 2))), "cvss4",
		      adv_cvss_json(json_string_value(json_array_get(sum, 3))), "published_at",
		      json_object_get(row, "published_at"), "updated_at", json_object_get(row, "updated_at"), "revision",
		      json_object_get(row, "public_revision"));
	json_decref(sum);
	if (!o)
		kk_error_nomem(err);
	return o;
}

/* The page of hits[0..n) that r asks for, as items, into list. */
static enum kk_result page_items(struct kk_tx *tx, const struct search_request *r, const struct kk_search_hit *hits,
				 size_t n, json_t *list, struct kk_error *err)
{
	int64_t ks[KK_ADVISORY_SEARCH_LIMIT_MAX];
	size_t from = (size_t)(r->page - 1) * (size_t)r->limit, k = 0, i;
	json_t *rows = json_array(), *row;
	char *base = NULL;
	enum kk_result res = rows ? KK_OK : kk_error_nomem(err);

	for (i = from; i < n && k < (size_t)r->limit; i++)
		ks[k++] = hits[i].k;
	if (!res && k)
		res = kk_search_rows(tx, ks, k, rows, err);
	if (!res && k)
		res = kk_setting_read(tx, "base_url", "", &base, err);
	json_array_foreach(rows, i, row) {
		json_t *e;

		if (res)
			break;
		if (!(e = item(row, base, err)) || json_array_append_new(list, e))
			res = kk_error_result(err, KK_ENOMEM);
	}
	free(base);
	json_decref(rows);
	return res;
}

enum kk_result kk_advisory_search(struct kk_store *s, const struct kk_advisory_query *q, json_t **out,
				  int64_t *total, struct kk_error *err)
{
	struct search_request r;
	struct kk_search_plan plan;
	struct kk_search_hit *hits = NULL;
	json_t *list = NULL;
	struct kk_tx tx;
	size_t n = 0;
	int more = 0;
	enum kk_result res = search_request_parse(q, &r, err);

	*out = NULL;
	*total = 0;
	if (res) {
		search_request_release(&r);
		return res;
	}
	memset(&plan, 0, sizeof(plan));
	plan.terms = r.terms;
	plan.n_terms = r.n_terms;
	plan.facets = r.facets;
	plan.n_facets = r.n_facets;
	plan.title_texts = r.relevance ? r.titles : NULL;
	plan.n_title_texts = r.relevance ? r.n_titles : 0;
	plan.k_min = r.k_min;
	plan.k_max = r.k_max;
	/* one more than are looked at: whether there were more */
	plan.max = KK_ADVISORY_SEARCH_MATCH_MAX + 1;
	if (!(list = json_array()))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_tx_begin(s, 0, &tx, err);
	if (!res) {
		res = kk_search_run(&tx, &plan, &hits, &n, err);
		if (!res && n > KK_ADVISORY_SEARCH_MATCH_MAX) {
			more = 1;
			n = KK_ADVISORY_SEARCH_MATCH_MAX;
		}
		if (!res && r.relevance)
			qsort(hits, n, sizeof(*hits), by_relevance);
		if (!res)
			res = page_items(&tx, &r, hits, n, list, err);
		res = kk_tx_end(&tx, res, err);
	}
	if (!res && !(*out = json_pack("{s:O, s:I, s:b, s:{s:I, s:i, s:I, s:I}}", "advisories", list, "total",
				       (json_int_t)n, "more", more, "paging", "page", (json_int_t)r.page, "limit",
				       r.limit, "pages", (json_int_t)(n ? (n + (size_t)r.limit - 1) / (size_t)r.limit : 1),
				       "total", (json_int_t)n)))
		res = kk_error_nomem(err);
	if (!res)
		*total = (int64_t)n;
	free(hits);
	json_decref(list);
	search_request_release(&r);
	return res;
}
