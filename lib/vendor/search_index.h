/*
 * search_index.h: the registry's search index in memory (vendor_search.h;
 * SPEC 2.5), internal to lib/vendor/. search_index.c builds it from the store,
 * search_query.c answers name and CPE queries on it; search.c keeps one per store,
 * validates queries and turns matches into results.
 *
 * An index is immutable once built, so any number of threads search it at once;
 * it is refcounted so that results may point into it after a newer index has
 * replaced it.
 *
 * Entries: every vendor (entries 0 .. nvendors-1) and every product (the
 * entries after them), each with its names, its CPE name parsed once, and for a
 * product the entry of its vendor, and the ranking keys (kk_fold_company) of
 * its names; and the components on record that are registered products
 * (links), for mapping SBOMs and ranking candidate vendors (registry_view.h).
 * Names: the kk_fold key of every name of an
 * entry (a vendor's Japanese and English names and aliases, a product's two
 * names), the names of one entry next to each other, vendors' names first; a
 * name search is a byte search of the folded query in these keys, narrowed
 * by an index of the bytes, byte pairs and (hashed) byte triples each key
 * holds, and for queries of one or two bytes by the names in key order.
 */
#ifndef KEIKAI_VENDOR_SEARCH_INDEX_H
#define KEIKAI_VENDOR_SEARCH_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/cpe.h"
#include "keikai/error.h"
#include "keikai/store.h"

struct si_entry {
	int64_t id;               /* vendors.id or products.id */
	uint32_t vendor;          /* a product's vendor entry; a vendor's own */
	int is_product, listed_publicly, has_cpe;
	int64_t last_contact_at;  /* the vendor's; 0: never */
	const char *name_ja, *name_en, *cpe23; /* as stored; NULL when none */
	uint32_t first_name;      /* its first name in names[]; names of entry i end at entry i+1's */
};

/* An entry's ranking keys (kk_fold_company) of name_ja and name_en, and of its
 * CPE name's product value (a vendor's: vendor value) read as a name ('_' as a
 * space); NULL for none, or a name that folds to nothing or not at all. Kept
 * apart from si_entry, which searches walk. */
struct si_rank {
	const char *key_ja, *key_en, *cpe_name_key;
};

/* A component on record that is a registered product: the key it is found by
 * (product_components.match_key) and the product's entry. */
struct si_link {
	const char *match_key;
	uint32_t entry;
};

struct si_name {
	uint32_t off, len; /* the key at keys + off, len bytes, NUL-terminated */
	uint32_t chars;    /* code points of the key without its spaces */
	uint32_t entry;
};

/* Entries whose CPE attribute (vendor or product) holds one literal value,
 * grouped by that value in lower case; the others are always candidates. */
struct si_attr_map {
	uint32_t nslots;   /* a power of two */
	uint32_t *slot;    /* group + 1, or 0 for an empty slot */
	const char **value; /* per group: the value (lower case, WFN form) */
	uint32_t ngroups;
	uint32_t *start;   /* per group: its entries are members[start[g] .. start[g+1]) */
	uint32_t *members;
	uint32_t *other;   /* entries with a CPE name whose value is not one literal */
	uint32_t nother;
};

struct si_index {
	int64_t version; /* the registry's version it was built at */
	int refs;        /* references (search.c), changed atomically */
	struct si_entry *entries;
	uint32_t nvendors, nentries;
	struct kk_cpe *cpes; /* per entry; all ANY where has_cpe is 0 */
	struct si_name *names;
	uint32_t *sorted; /* name ids in the order of their keys (strcmp) */
	uint32_t nnames, nvendor_names; /* names [0, nvendor_names) are vendors' */
	char *keys;
	size_t keys_len;
	/* bytes and byte pairs: names holding pair p are post2[start2[p] .. start2[p+1]) */
	uint32_t *start1, *post1;
	uint32_t *start2, *post2;
	/* byte triples, hashed to SI_TRI_BITS bits, likewise */
	uint32_t *start3, *post3;
	uint32_t *tri_value; /* per bucket: its one triple + 1, or UINT32_MAX when shared */
	struct si_attr_map by_vendor, by_product;
	struct si_rank *ranks; /* per entry */
	struct si_link *links; /* in the order of the component rows */
	uint32_t nlinks;
	struct si_arena *arena; /* the strings */
	double build_seconds;
};

#define SI_TRI_BITS 18

/* Shared by search_index.c and search_query.c. */
static inline uint32_t si_pair_of(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

/* The bucket of the triple at p, SI_TRI_BITS bits. */
static inline uint32_t si_triple_of(const unsigned char *p)
{
	uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];

	return (v * 2654435761u) >> (32 - SI_TRI_BITS);
}

/* A value that is one literal string: no wild card at either end. */
static inline int si_literal(const struct kk_cpe_value *v)
{
	return v->kind == KK_CPE_STRING && v->lead == 0 && v->trail == 0;
}

/* Makes room for one more element in *arr (of *cap, elem bytes each). 0 or -1. */
int si_grow(void **arr, size_t *cap, size_t n, size_t elem);

/* The group of value v in m (case-insensitive), or -1. */
int64_t si_map_find(const struct si_attr_map *m, const struct kk_cpe_value *v);

/* Builds the index of the registry of s, reading every row once in one read
 * transaction (version first, so an index is never newer than its version
 * says). *out is freed with si_index_free. */
enum kk_result si_index_build(struct kk_store *s, struct si_index **out, struct kk_error *err);
/* The same inside the caller's transaction tx, as tx sees the registry. */
enum kk_result si_index_build_tx(struct kk_tx *tx, struct si_index **out, struct kk_error *err);
void si_index_free(struct si_index *ix); /* accepts NULL */

/* How a name matched, best first. */
enum si_class { SI_EXACT, SI_PREFIX, SI_WORD, SI_INSIDE, SI_NCLASS };

/* One entry found: rank orders matches (smaller is better), name is the name
 * that matched best (a names[] index), or for a CPE match the entry's first. */
struct si_match {
	uint64_t rank;
	uint32_t entry, name;
	int cls; /* enum si_class, or for CPE the relation (0 equal, 1 superset, 2 subset) */
};

/* The matches of one search: the best `limit` kept in order, all counted. */
struct si_found {
	struct si_match *best;
	size_t n, limit, total;
};

/* Keeps the best `limit` of the matches given to si_found_add. 0 or KK_ENOMEM. */
int si_found_init(struct si_found *f, size_t limit);
void si_found_release(struct si_found *f);
/* Sorts the matches kept, best first. */
void si_found_sort(struct si_found *f);

/* A filter every match must pass (the CPE name of a query that has a name
 * and a CPE both), or NULL. */
struct si_filter {
	const struct kk_cpe *cpe;
};

/* Every entry (vendors only when vendors_only) with a name whose key holds
 * key (a kk_fold key, not empty), into f. */
enum kk_result si_search_name(const struct si_index *ix, const char *key, int vendors_only,
			      const struct si_filter *filter, struct si_found *f);

/* Every entry (vendors only when vendors_only) whose CPE name the pattern
 * matches by NISTIR 7696: EQUAL, SUPERSET (the pattern covers the name) or
 * SUBSET (the name covers the pattern, as a product of any version covers a
 * name of one version), into f. */
enum kk_result si_search_cpe(const struct si_index *ix, const struct kk_cpe *pattern, int vendors_only,
			     const struct si_filter *filter, struct si_found *f);

/* 1 when the CPE pattern matches entry e's CPE name as si_search_cpe counts it;
 * *rel gets 0 (equal), 1 (superset) or 2 (subset). */
int si_cpe_matches(const struct si_index *ix, uint32_t e, const struct kk_cpe *pattern, int *rel);

#endif
