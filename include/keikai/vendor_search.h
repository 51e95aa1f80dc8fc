/*
 * vendor_search.h: finding vendors and products in the registry (issue 8,
 * capability 4; SPEC 2.5): by vendor or product name in Japanese or English,
 * partial, insensitive to case and to full-width/half-width forms (kk_fold:
 * "ＡＢＣ" finds "ABC", "ｻﾝﾌﾟﾙ" finds "サンプル"), and by CPE (a CPE 2.3 name
 * or pattern, matched by NISTIR 7696 with the CPE module, cpe.h).
 *
 * The search runs on an index held in memory with the store (kk_store_cache),
 * built from the store on first use and rebuilt when the registry's version
 * (migration 9, kk_vendors_registry_touch) has moved, so a change is found by
 * the next search. The index is shared by the threads of one process.
 *
 * A name matches when the folded query occurs in a folded name: a vendor's
 * Japanese or English name, an alias, or the vendor part of its CPE name
 * ("sample_denki" read as "sample denki"); a product's Japanese or English name.
 * A CPE name or pattern matches a product's or vendor's CPE name that it is
 * EQUAL to, a SUPERSET of or a SUBSET of (NISTIR 7696); a CPE 2.3 formatted
 * string with fewer than eleven attributes has the rest ANY. Ranking and
 * scores: kk_registry_hit.score; docs/api/vendors.md "Search";
 * docs/internals/vendor-search.md.
 */
#ifndef KEIKAI_VENDOR_SEARCH_H
#define KEIKAI_VENDOR_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/store.h"

/* The most results one search returns, and the default. */
#define KK_REGISTRY_LIMIT_MAX 200
#define KK_REGISTRY_LIMIT_DEFAULT 50
/* The longest query, in bytes. */
#define KK_REGISTRY_QUERY_MAX 512

struct kk_registry_query {
	const char *text;  /* a name (part of one), or when it starts with "cpe:" a CPE name or
			    * pattern as for cpe; may be NULL with cpe */
	const char *cpe;   /* a CPE name or pattern (2.3, a 2.2 URI, or WFN), or NULL: results must match it */
	int vendors_only;  /* 1: match vendors only, one hit per vendor (product_id 0) */
	size_t limit;      /* 0: KK_REGISTRY_LIMIT_DEFAULT; at most KK_REGISTRY_LIMIT_MAX */
};

/* One match: a product of a vendor, or a vendor (product_id 0). Strings are
 * owned by the results and NULL when the registry has none. */
struct kk_registry_hit {
	int64_t vendor_id, product_id;
	const char *vendor_name_ja, *vendor_name_en;
	const char *product_name_ja, *product_name_en;
	const char *cpe23;       /* the product's CPE 2.3 name, or the vendor's for a vendor hit */
	int listed_publicly;     /* the vendor consented to the public list (G IV.4.1) */
	int64_t last_contact_at; /* 0: never contacted */
	/* 0-1000: how well it matches. A name: 1000 when the folded query is the
	 * whole folded name; 700-996 when a name starts with it, 400-696 when a
	 * word of it does, 100-396 when it is elsewhere inside, higher in each band
	 * the larger the share of the name it is (kk_name_similarity). A CPE name:
	 * 1000 equal, 950 the query's pattern covers the name, 900 the name covers
	 * the query (a product of any version, a query of one version). */
	int score;
};

struct kk_registry_results {
	struct kk_registry_hit *hits; /* best first: score, then name */
	size_t n;
	size_t total; /* matches found, of which the first n are in hits */
	void *owner;  /* what the strings live in */
};

/*
 * Searches the registry of s for viewer (who must be allowed registry.search:
 * KK_ENOTFOUND otherwise, as for a missing object). A query that is empty,
 * too long, not UTF-8, or a CPE name kk_cpe_parse refuses is KK_EINVAL with
 * err naming the fault (field "q" or "cpe"). *out is released with
 * kk_registry_results_release.
 */
enum kk_result kk_registry_search(struct kk_store *s, const struct kk_user *viewer,
				  const struct kk_registry_query *q, struct kk_registry_results *out,
				  struct kk_error *err);
void kk_registry_results_release(struct kk_registry_results *r); /* accepts NULL */

/* One hit as JSON (docs/api/vendors.md): {"vendor_id", "vendor_name",
 * "vendor_name_ja", "vendor_name_en", "product_id", "product_name",
 * "product_name_ja", "product_name_en", "cpe", "listed_publicly",
 * "last_contact_at", "score"}; vendor_name and product_name are the name in
 * lang ("ja" or "en") when the registry has it, else the other. A new
 * reference, NULL when out of memory. */
json_t *kk_registry_hit_json(const struct kk_registry_hit *h, const char *lang);

/* Drops the index kept with s, so the next search builds a new one (tests and
 * benchmarks; a store frees its index when closed). Accepts NULL. */
void kk_registry_index_drop(struct kk_store *s);

/* What the index of s holds, built first when it is not current (benchmarks,
 * `keikai vendor search --stats`). */
struct kk_registry_index_stats {
	int64_t version;        /* the registry's version it was built at */
	size_t vendors, products, names; /* names: folded keys searched */
	double build_seconds;   /* how long its build took */
};
enum kk_result kk_registry_index_stats(struct kk_store *s, struct kk_registry_index_stats *st,
				       struct kk_error *err);

#endif
