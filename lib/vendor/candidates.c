/*
 * candidates.c: the candidate vendors of an accepted product report, ranked
 * by the rules of vendor_candidates.h (SPEC 2.5: from the registry; for OSS
 * also the makers of products that embed it and the distributors; G IV.4.2).
 *
 * The report is read first (its own transaction, with the report's access
 * rules), the registry search (vendor_search.h) is asked for the vendor and
 * the product text; the similarity and CPE rules run on the registry held in
 * memory with the search index (registry_view.h), and one read transaction
 * follows composition (embedded.c) from the products found. Candidates are gathered
 * per vendor, each rule that found one adding to its basis.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/authz.h"
#include "keikai/composition.h"
#include "keikai/cpe.h"
#include "keikai/fold.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "keikai/vendor_candidates.h"
#include "keikai/vendor_search.h"
#include "candidates_internal.h"
#include "registry_view.h"
#include "store/components.h"

#define NAMED_MAX 5 /* products found by name or CPE whose embedders are followed */
#define CPE_TOKENS_MAX 4

enum rule { R_VENDOR = 1, R_PRODUCT = 2, R_CPE = 4, R_EMBEDS = 8, R_DISTRIBUTOR = 16 };

static const char *rule_name(enum rule r)
{
	switch (r) {
	case R_VENDOR: return "vendor-name";
	case R_PRODUCT: return "product-name";
	case R_CPE: return "cpe";
	case R_EMBEDS: return "embeds";
	default: return "distributor";
	}
}

struct cand {
	int64_t vendor_id;
	int best, score;
	unsigned rules;
	json_t *products, *basis;
};

struct named {
	int64_t product_id;
	int score;
};

struct ranking {
	struct cand *c;
	size_t n, cap;
	struct named named[NAMED_MAX];
	size_t nnamed;
	const struct si_index *ix;
};

static struct cand *cand_of(struct ranking *rk, int64_t vendor_id)
{
	for (size_t i = 0; i < rk->n; i++)
		if (rk->c[i].vendor_id == vendor_id)
			return &rk->c[i];
	if (rk->n == rk->cap) {
		size_t cap = rk->cap ? rk->cap * 2 : 32;
		struct cand *c = kk_realloc(rk->c, cap * sizeof(*c));

		if (!c)
			return NULL;
		rk->c = c;
		rk->cap = cap;
	}
	rk->c[rk->n] = (struct cand){ vendor_id, 0, 0, 0, json_array(), json_array() };
	if (!rk->c[rk->n].products || !rk->c[rk->n].basis) {
		json_decref(rk->c[rk->n].products);
		json_decref(rk->c[rk->n].basis);
		return NULL;
	}
	return &rk->c[rk->n++];
}

static int has_product(const json_t *products, int64_t pid)
{
	json_t *p;
	size_t i;

	json_array_foreach(products, i, p)
		if (json_integer_value(json_object_get(p, "product_id")) == pid)
			return 1;
	return 0;
}

/* Counts what rule r found: vendor_id (and product pid, or 0), the report's
 * text and the registry's name it matched. */
static enum kk_result found(struct ranking *rk, int64_t vendor_id, int64_t pid, enum rule r, const char *text,
			    const char *matched, int score, struct kk_error *err)
{
	struct cand *c = cand_of(rk, vendor_id);
	json_t *b;

	if (!c)
		return kk_error_nomem(err);
	if (pid && !has_product(c->products, pid)) {
		const struct si_entry *p = si_product(rk->ix, pid);
		const struct kk_cpe *pc = p ? si_cpe_of(rk->ix, p) : NULL;
		char cpe[1024] = "";

		if (pc)
			kk_cpe_to_fs(pc, cpe, sizeof(cpe));
		if (json_array_append_new(c->products,
					  json_pack("{s:I, s:o, s:o, s:o}", "product_id", (json_int_t)pid,
						    "product_name_ja", kk_json_str_or_null(p ? p->name_ja : NULL),
						    "product_name_en", kk_json_str_or_null(p ? p->name_en : NULL), "cpe",
						    *cpe ? json_string(cpe) : json_null())) != 0)
			return kk_error_nomem(err);
	}
	if (!(c->rules & r) || score > c->best) {
		b = json_pack("{s:s, s:s?, s:s?, s:i}", "rule", rule_name(r), "text", text, "matched", matched, "score",
			      score);
		if (!b || json_array_append_new(c->basis, b) != 0)
			return kk_error_nomem(err);
	}
	c->rules |= r;
	if (score > c->best)
		c->best = score;
	return KK_OK;
}

static void remember_named(struct ranking *rk, int64_t pid, int score)
{
	size_t worst = 0;

	for (size_t i = 0; i < rk->nnamed; i++) {
		if (rk->named[i].product_id == pid) {
			if (score > rk->named[i].score)
				rk->named[i].score = score;
			return;
		}
		if (rk->named[i].score < rk->named[worst].score)
			worst = i;
	}
	if (rk->nnamed < NAMED_MAX)
		rk->named[rk->nnamed++] = (struct named){ pid, score };
	else if (score > rk->named[worst].score)
		rk->named[worst] = (struct named){ pid, score };
}

/* The best similarity of key with the entry's names; *which the name. */
static int similarity(const struct si_index *ix, const struct si_entry *e, const char *key, const char **which)
{
	const struct si_rank *r = si_rank_of(ix, e);
	int best = 0, s;

	*which = NULL;
	if (r->key_ja && (s = kk_name_similarity(r->key_ja, key)) > best)
		best = s, *which = e->name_ja;
	if (r->key_en && (s = kk_name_similarity(r->key_en, key)) > best)
		best = s, *which = e->name_en;
	/* a CPE name's word is weaker evidence than the name itself */
	if (r->cpe_name_key && (s = kk_name_similarity(r->cpe_name_key, key) * 95 / 100) > best)
		best = s, *which = e->name_en ? e->name_en : e->name_ja;
	return best;
}

/* The name rules on the registry: vendors (products 0) or products. */
static enum kk_result by_name(struct ranking *rk, const char *text, int products, struct kk_error *err)
{
	const struct si_index *ix = rk->ix;
	uint32_t from = products ? ix->nvendors : 0, to = products ? ix->nentries : ix->nvendors;
	struct kk_error e = KK_ERROR_INIT;
	char *key = NULL;
	enum kk_result res = KK_OK;

	if (kk_str_empty(text))
		return KK_OK;
	if (kk_fold_company(text, &key, &e) != KK_OK) {
		res = e.code == KK_ENOMEM ? kk_error_nomem(err) : KK_OK; /* a text that cannot be folded finds nothing */
		kk_error_release(&e);
		return res;
	}
	for (uint32_t i = from; i < to && !res && *key; i++) {
		const struct si_entry *en = &ix->entries[i];
		const char *which;
		int sc = similarity(ix, en, key, &which);

		if (sc < KK_CANDIDATE_MIN_SIMILARITY)
			continue;
		res = found(rk, si_vendor_of(ix, en)->id, products ? en->id : 0, products ? R_PRODUCT : R_VENDOR, text,
			    which, sc, err);
		if (products && sc >= 900)
			remember_named(rk, en->id, sc);
	}
	free(key);
	return res;
}

/* The registry search (vendor_search.h) on the text: its hits count for the name rules. */
static enum kk_result by_search(struct ranking *rk, struct kk_store *s, const struct kk_user *viewer,
				const char *text, int vendors_only, struct kk_error *err)
{
	struct kk_registry_query q = { text, NULL, vendors_only, KK_CANDIDATES_MAX };
	struct kk_registry_results r = { 0 };
	struct kk_error e = KK_ERROR_INIT;
	enum kk_result res;

	if (kk_str_empty(text))
		return KK_OK;
	res = kk_registry_search(s, viewer, &q, &r, &e);
	if (res == KK_EINVAL) { /* not a text the search takes: the other rules still run */
		kk_error_release(&e);
		return KK_OK;
	}
	if (res) {
		kk_error_copy(err, &e);
		kk_error_release(&e);
		return res;
	}
	for (size_t i = 0; i < r.n && !res; i++) {
		const struct kk_registry_hit *h = &r.hits[i];
		const char *matched = vendors_only ? (h->vendor_name_ja ? h->vendor_name_ja : h->vendor_name_en)
						   : (h->product_name_ja ? h->product_name_ja : h->product_name_en);

		if (h->score < KK_CANDIDATE_MIN_SIMILARITY)
			continue;
		if (si_vendor(rk->ix, h->vendor_id)) /* still there */
			res = found(rk, h->vendor_id, vendors_only ? 0 : h->product_id, vendors_only ? R_VENDOR : R_PRODUCT,
				    text, matched, h->score, err);
		if (!vendors_only && h->product_id && h->score >= 900)
			remember_named(rk, h->product_id, h->score);
	}
	kk_registry_results_release(&r);
	kk_error_release(&e);
	return res;
}

/* The CPE rule: every "cpe:" token of text. */
static enum kk_result by_cpe(struct ranking *rk, const char *text, struct kk_error *err)
{
	enum kk_result res = KK_OK;
	const char *p = text;
	int tokens = 0;

	while (p && (p = strstr(p, "cpe:")) && tokens++ < CPE_TOKENS_MAX && !res) {
		size_t len = strcspn(p, " \t\r\n,;");
		struct kk_cpe q;
		struct kk_cpe_error ce;

		kk_cpe_init(&q);
		if (kk_cpe_parse_n(p, len, &q, &ce) == KK_OK) {
			for (uint32_t i = rk->ix->nvendors; i < rk->ix->nentries && !res; i++) {
				const struct si_entry *e = &rk->ix->entries[i];
				const struct kk_cpe *ec = si_cpe_of(rk->ix, e);

				if (!ec || kk_cpe_compare(&q, ec) == KK_CPE_DISJOINT)
					continue;
				res = found(rk, si_vendor_of(rk->ix, e)->id, e->id, R_CPE, NULL, NULL, 1000, err);
				if (!res)
					remember_named(rk, e->id, 1000);
			}
		} else if (ce.code == KK_CPE_ENOMEM) {
			res = kk_error_nomem(err);
		}
		kk_cpe_release(&q);
		p += len;
	}
	return res;
}

/* The embeds and distributor rules for the answer of one "who embeds" query. */
static enum kk_result by_embedders(struct ranking *rk, const json_t *rows, const char *text, struct kk_error *err)
{
	enum kk_result res = KK_OK;
	json_t *row, *d;
	size_t i, k;

	json_array_foreach(rows, i, row) {
		int64_t depth = json_integer_value(json_object_get(row, "depth"));
		const char *name = json_string_value(json_object_get(row, "product_name_ja"));

		if (!name)
			name = json_string_value(json_object_get(row, "product_name_en"));
		res = found(rk, json_integer_value(json_object_get(row, "vendor_id")),
			    json_integer_value(json_object_get(row, "product_id")), R_EMBEDS, text, name,
			    700 - 50 * (int)(depth - 1 < 10 ? depth - 1 : 10), err);
		/* SPEC 2.5: and the vendors that distribute the embedding product */
		json_array_foreach(json_object_get(row, "distributors"), k, d) {
			if (res)
				break;
			res = found(rk, json_integer_value(json_object_get(d, "vendor_id")), 0, R_DISTRIBUTOR, text, name,
				    600, err);
		}
		if (res)
			break;
	}
	return res;
}

static enum kk_result embeds(struct ranking *rk, struct kk_tx *tx, const struct kk_embed_query *q, const char *text,
			     struct kk_error *err)
{
	struct kk_error e = KK_ERROR_INIT;
	json_t *rows = NULL;
	enum kk_result res = kk_embedded_in_tx(tx, q, &rows, &e);

	if (res == KK_EINVAL) /* the report's text is no valid query */
		res = KK_OK;
	else if (res)
		kk_error_copy(err, &e);
	else
		res = by_embedders(rk, rows, text, err);
	json_decref(rows);
	kk_error_release(&e);
	return res;
}

/* The composition rules: who embeds what the report names, and who distributes it. */
static enum kk_result by_composition(struct ranking *rk, struct kk_tx *tx, const struct kk_report *rep,
				     struct kk_error *err)
{
	const char *text = rep->product_name;
	enum kk_result res = KK_OK;
	const char *purl = text ? strstr(text, "pkg:") : NULL;

	if (purl) {
		char *one = kk_strndup(purl, strcspn(purl, " \t\r\n,;"));

		if (!one)
			return kk_error_nomem(err);
		res = embeds(rk, tx, &(struct kk_embed_query){ .purl = one }, text, err);
		free(one);
	}
	if (!res && !kk_str_empty(text))
		res = embeds(rk, tx, &(struct kk_embed_query){ .name = text }, text, err);
	for (size_t i = 0; i < rk->nnamed && !res; i++) {
		const struct si_entry *p = si_product(rk->ix, rk->named[i].product_id);
		json_t *d = json_array(), *row;
		size_t k;

		res = embeds(rk, tx, &(struct kk_embed_query){ .product_id = rk->named[i].product_id }, text, err);
		/* SPEC 2.5: the distributors of the product itself */
		if (!res && !d)
			res = kk_error_nomem(err);
		if (!res)
			res = kk_distributors_list(tx, rk->named[i].product_id, d, err);
		json_array_foreach(d, k, row) {
			if (res)
				break;
			res = found(rk, json_integer_value(json_object_get(row, "vendor_id")), 0, R_DISTRIBUTOR, text,
				    p ? (p->name_ja ? p->name_ja : p->name_en) : NULL, 600, err);
		}
		json_decref(d);
	}
	return res;
}

static int by_score(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->vendor_id < y->vendor_id ? -1 : x->vendor_id > y->vendor_id;
}

static enum kk_result result_json(struct ranking *rk, json_t **out, struct kk_error *err)
{
	json_t *list = json_array();

	for (size_t i = 0; i < rk->n; i++) {
		unsigned more = (unsigned)__builtin_popcount(rk->c[i].rules) - 1;

		rk->c[i].score = rk->c[i].best + 50 * (int)more;
	}
	if (rk->n)
		qsort(rk->c, rk->n, sizeof(*rk->c), by_score);
	for (size_t i = 0; list && i < rk->n && i < KK_CANDIDATES_MAX; i++) {
		const struct si_entry *v = si_vendor(rk->ix, rk->c[i].vendor_id);

		if (json_array_append_new(list, json_pack("{s:I, s:o, s:o, s:i, s:O, s:O}", "vendor_id",
							  (json_int_t)rk->c[i].vendor_id, "vendor_name_ja",
							  kk_json_str_or_null(v ? v->name_ja : NULL), "vendor_name_en",
							  kk_json_str_or_null(v ? v->name_en : NULL), "score", rk->c[i].score,
							  "products", rk->c[i].products, "basis", rk->c[i].basis)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	*out = list ? json_pack("{s:o}", "candidates", list) : NULL;
	return *out ? KK_OK : kk_error_nomem(err);
}

enum kk_result candidates_report(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
				 int need_accepted, struct kk_report *rep, struct kk_error *err)
{
	enum kk_result res;

	memset(rep, 0, sizeof(*rep));
	if (!kk_may(viewer, KK_ACT_REPORT_VENDORS_READ, NULL))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such report."));
	res = kk_report_get(s, viewer, tracking_id, 0, rep, err);
	if (res || !need_accepted)
		return res;
	/* SPEC 2.5: vendors are identified for accepted product reports */
	if (rep->kind != KK_REPORT_PRODUCT)
		return kk_error_set(err, KK_ECONFLICT, "%s",
				    _("Vendors are identified for product reports only; this is a web-site report."));
	if (rep->status != KK_REPORT_ACCEPTED)
		return kk_error_set(err, KK_ECONFLICT, "%s",
				    _("Vendors are identified once a report is accepted; this one is not."));
	return KK_OK;
}

enum kk_result kk_vendor_candidates(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
				    json_t **out, struct kk_error *err)
{
	struct si_index *ix = NULL;
	struct ranking rk = { .ix = NULL };
	struct kk_report rep;
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	res = candidates_report(s, viewer, tracking_id, 1, &rep, err);
	if (res)
		goto out;
	res = si_index_acquire(s, &ix, err);
	if (res)
		goto out;
	rk.ix = ix;
	res = by_name(&rk, rep.product_vendor, 0, err);
	if (!res)
		res = by_name(&rk, rep.product_name, 1, err);
	if (!res)
		res = by_cpe(&rk, rep.product_name, err);
	if (!res)
		res = by_cpe(&rk, rep.product_vendor, err);
	if (!res)
		res = by_cpe(&rk, rep.product_version, err);
	/* the registry search, in its own transactions */
	if (!res)
		res = by_search(&rk, s, viewer, rep.product_vendor, 1, err);
	if (!res)
		res = by_search(&rk, s, viewer, rep.product_name, 0, err);
	if (!res)
		res = kk_tx_begin(s, 0, &tx, err);
	if (!res) {
		res = by_composition(&rk, &tx, &rep, err);
		res = kk_tx_end(&tx, res, err);
	}
	if (!res)
		res = result_json(&rk, out, err);
out:
	for (size_t i = 0; i < rk.n; i++) {
		json_decref(rk.c[i].products);
		json_decref(rk.c[i].basis);
	}
	free(rk.c);
	si_index_release(ix);
	kk_report_release(&rep);
	return res;
}
