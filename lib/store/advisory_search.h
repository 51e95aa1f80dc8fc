/*
 * advisory_search.h: the repository of the advisory search index (tables
 * advisory_search, advisory_search_facets and advisory_text of migration 14;
 * keikai/advisory_search.h, docs/internals/search.md). Internal to the core:
 * lib/advisory/search*.c decide what an entry holds and what a query asks,
 * this file holds the SQL. Every function works inside the caller's
 * transaction.
 *
 * The one place that knows the two engines' text indexes apart: both keep
 * the text in advisory_text (k, body, short, words); SQLite indexes it with
 * two FTS5 tables (external content, written here alongside): advisory_fts,
 * the trigrams of body, and advisory_words, the words of short and words;
 * PostgreSQL with pg_trgm's GIN indexes on the table itself. A text term is
 * "this string occurs in that column": on SQLite an FTS5 phrase (MATCH) of
 * trigrams (body) or of words (the short word; the Latin words), on
 * PostgreSQL a LIKE pattern. Both find exactly the rows whose column holds
 * the string.
 */
#ifndef KEIKAI_STORE_ADVISORY_SEARCH_H
#define KEIKAI_STORE_ADVISORY_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"
#include "keikai/util.h"

/* k of an entry: published_at * 2^24 + (advisory id mod 2^24). Newest first
 * is k descending; the day range [from, to) is k in [from << 24, to << 24). */
#define KK_SEARCH_K_SHIFT 24
#define KK_SEARCH_K(published_at, id) \
	(((int64_t)(published_at) << KK_SEARCH_K_SHIFT) | ((int64_t)(id) & ((1 << KK_SEARCH_K_SHIFT) - 1)))

/* What ends each short word in the short column (" WORD" KK_SEARCH_SHORT_END;
 * lib/advisory/search_internal.h). */
#define KK_SEARCH_SHORT_END "\x01"

/* The columns of advisory_text a term looks in. */
enum kk_search_col {
	KK_SEARCH_BODY,  /* the folded text */
	KK_SEARCH_SHORT, /* the short words, each between markers */
	KK_SEARCH_WORDS, /* the Latin words, " w w | w " */
};

/* A value a filter or an exact word matches (advisory_search_facets). */
struct kk_search_facet {
	const char *kind, *value;
};

/* One advisory's entry, every string folded (search_doc.c). */
struct kk_search_entry {
	int64_t advisory_id, k;
	const char *title; /* the titles, for ranking */
	const char *body, *shorts, *words;
	const struct kk_search_facet *facets;
	size_t n_facets; /* the same (kind, value) may come twice: kept once */
};

/* SQLite: appends to b the word that stands for facet (kind, value) in the
 * index of words (advisory_words' facets column), so that a search ANDs a
 * filter with its words in one MATCH: U+E000 (a private-use character, which
 * no short word has and unicode61 takes as part of a word) and the hex of
 * "kind=value". */
void kk_search_facet_token(struct kk_buf *b, const char *kind, const char *value);

/* SQLite: appends to b (when not NULL) the code of facet (kind, value) in
 * the trigram index (advisory_fts' codes column) and returns 1, or returns
 * 0 when the facet has none. Facets of few values have one (severity; cwe
 * up to 65535), so that a body term and such a filter are found together,
 * exactly, by one MATCH of that index: three private-use characters (U+E100
 * + the kind, U+E200 + the value's high byte, U+E300 + its low byte), one
 * trigram that no text holds (search_doc.c takes private-use characters
 * out of the text) and no other pair of kind and value makes. */
int kk_search_facet_code(struct kk_buf *b, const char *kind, const char *value);

/* Replaces advisory_id's entry (if any) by e. deferred: the text index is
 * left for kk_search_text_rebuild, for a rebuild of many entries at once
 * (SQLite's FTS5 index then takes them in one pass instead of one small
 * segment per statement). */
enum kk_result kk_search_entry_put(struct kk_tx *tx, const struct kk_search_entry *e, int deferred,
				   struct kk_error *err);
/* Removes advisory_id's entry, if there is one. */
enum kk_result kk_search_entry_drop(struct kk_tx *tx, int64_t advisory_id, struct kk_error *err);
/* Removes every entry. */
enum kk_result kk_search_clear(struct kk_tx *tx, struct kk_error *err);
/* Builds the text index of every entry again (after deferred puts). */
enum kk_result kk_search_text_rebuild(struct kk_tx *tx, struct kk_error *err);

/* PostgreSQL (advisory_search_grams.c): counts again, per trigram, the
 * entries holding it; and an upper bound of the entries whose column col
 * holds text, from those counts (-1: text has no trigram), or (text NULL)
 * how many entries they were made of (-1: none were made). */
enum kk_result kk_search_grams_rebuild(struct kk_tx *tx, struct kk_error *err);
enum kk_result kk_search_grams_estimate(struct kk_tx *tx, enum kk_search_col col, const char *text, int64_t *est,
					struct kk_error *err);

/* How many advisories are published, and how many entries there are. */
enum kk_result kk_search_counts(struct kk_tx *tx, int64_t *published, int64_t *entries, struct kk_error *err);
/* The ids of the published advisories without an entry (missing 1), or of
 * the entries whose advisory is not published (missing 0), into *ids
 * (kk_malloc'd, the caller frees; NULL when none). */
enum kk_result kk_search_mismatched(struct kk_tx *tx, int missing, int64_t **ids, size_t *n, struct kk_error *err);

/* What an entry is made of besides the advisory's row: the notified vendors
 * of case case_id [{"id", "name_ja", "name_en"}] and the product names of
 * their countermeasures [{"name", "name_ja", "name_en"}] (the name the
 * vendor typed, the registry's names of the product), appended to the
 * arrays. */
enum kk_result kk_search_case_names(struct kk_tx *tx, int64_t case_id, json_t *vendors, json_t *products,
				    struct kk_error *err);

/* A search (search.c): every term's string in its column, every facet,
 * k in [k_min, k_max) (0: unbounded), newest first, at most max rows. */
struct kk_search_term {
	enum kk_search_col col;
	const char *text;
	/* a body term's short words of two characters (" WORD"
	 * KK_SEARCH_SHORT_END each; may be NULL): what every entry holding it
	 * has, for SQLite's index of words to narrow by */
	const char *pairs;
};
struct kk_search_plan {
	const struct kk_search_term *terms;
	size_t n_terms;
	const struct kk_search_facet *facets;
	size_t n_facets;
	const char *const *title_texts; /* ranking: how many of these the titles hold */
	size_t n_title_texts;
	int64_t k_min, k_max;
	size_t max;
};
/* A match: its k and how many of the plan's title_texts its titles hold. */
struct kk_search_hit {
	int64_t k;
	int in_title;
};
/* Runs plan: *hits (kk_malloc'd, the caller frees; NULL when none) newest
 * first, only published advisories. */
enum kk_result kk_search_run(struct kk_tx *tx, const struct kk_search_plan *plan, struct kk_search_hit **hits,
			     size_t *n, struct kk_error *err);

/* The advisories of entries ks[0..n) (n at most KK_SEARCH_ROWS_MAX), rows
 * as kk_advisories_public_page gives them plus "k", but for "content":
 * "summary", the JSON text of [the Japanese title, the English title, the
 * CVSS v3 vector, the v4 vector] of the content (each null when absent),
 * appended to arr in the order of ks (a k without a published advisory is
 * left out). */
#define KK_SEARCH_ROWS_MAX 100
enum kk_result kk_search_rows(struct kk_tx *tx, const int64_t *ks, size_t n, json_t *arr, struct kk_error *err);

#endif
