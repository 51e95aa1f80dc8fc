/*
 * advisory_search.h: searching the published advisories (issue 12, item 6;
 * SPEC 6 "the public can read, search and follow advisories in both
 * languages"). docs/api/search.md is the contract of the fronts,
 * docs/internals/search.md how the index works.
 *
 * The index holds, for every published advisory and nothing else, the text of
 * both languages (title, overview, affected products, description, impact,
 * countermeasures, workarounds), the names of its notified vendors, its
 * product names (the vendors' countermeasures, the product part of its CPE
 * names), its CVE IDs, CWE (number and name), CPE names and public ID, each
 * folded by kk_fold (case, full-width and half-width forms, hiragana and
 * katakana, spacing), and the values its filters use. It is kept current in
 * the transaction that publishes, revises or updates an advisory
 * (kk_advisory_search_index, called by lib/advisory/), and rebuilt from
 * scratch by kk_advisory_search_reindex (`keikai advisory reindex`).
 *
 * A query's words must all match (AND). A word of Latin letters, digits and
 * signs ("script", "IE", "node.js") matches its words whole and in order,
 * within one field of the text (an index of words). Any other word of three
 * characters or more matches wherever it occurs, inside a word too (a
 * trigram index: SQLite's FTS5 trigram tokenizer, PostgreSQL's pg_trgm);
 * Japanese needs no spaces. A shorter one (認証, 鍵) matches wherever it
 * occurs too (an index of the text's characters and pairs of them).
 * "Double quotes" keep a phrase with spaces together; a whole CVE ID
 * (CVE-2026-12345) or CWE ID (CWE-79) matches exactly that ID.
 *
 * A search looks at the newest KK_ADVISORY_SEARCH_MATCH_MAX matches (in the
 * order asked for among them) and says when there were more: every query
 * costs a bounded amount of work, and the answer to a query that matches too
 * much is to narrow it, not to page further.
 */
#ifndef KEIKAI_ADVISORY_SEARCH_H
#define KEIKAI_ADVISORY_SEARCH_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* The longest query, in characters, and the most words in it. */
#define KK_ADVISORY_QUERY_MAX 200
#define KK_ADVISORY_QUERY_TERMS_MAX 8
/* The longest filter value (vendor, product, CPE name), in characters. */
#define KK_ADVISORY_FILTER_MAX 256
/* The matches one search looks at; the rest are counted as "more". */
#define KK_ADVISORY_SEARCH_MATCH_MAX 1000
/* Results per page: the default and the most. */
#define KK_ADVISORY_SEARCH_LIMIT_DEFAULT 20
#define KK_ADVISORY_SEARCH_LIMIT_MAX 100

/*
 * A query as the fronts take it, every member a string as given (NULL or ""
 * for absent); kk_advisory_search checks each and names the faulty ones by
 * these names (the query parameters of docs/api/search.md):
 *   q        the words
 *   vendor   a vendor's id (digits) or one of its names (ja or en), whole,
 *            as folded by kk_fold
 *   product  a product's name, whole, folded
 *   cpe      a CPE name (2.3, 2.2 URI or WFN) naming a vendor, and maybe a
 *            product: advisories with a CPE name of that vendor (and product);
 *            the other attributes are not compared
 *   severity none, low, medium, high or critical: the CVSS v3 or v4 rating
 *   cwe      79 or CWE-79
 *   from, to YYYY-MM-DD: first published on or after / on or before that
 *            day in Japan
 *   sort     "newest" (the default) or "relevance" (words in the title first,
 *            then newest)
 *   page     1 or more (default 1); limit 1 to KK_ADVISORY_SEARCH_LIMIT_MAX
 *            (default KK_ADVISORY_SEARCH_LIMIT_DEFAULT)
 */
/* The query parameters, for a front's list of what a route takes. */
#define KK_ADVISORY_SEARCH_PARAMS "q vendor product cpe severity cwe from to sort page limit"

struct kk_advisory_query {
	const char *q, *vendor, *product, *cpe, *severity, *cwe, *from, *to, *sort, *page, *limit;
};

/*
 * Searches the published advisories of s. On KK_OK *out (the caller releases
 * it) is {"advisories": [ITEM], "total", "more": bool, "paging": {"page",
 * "limit", "pages", "total"}} where ITEM has kk_advisory_public_list's shape
 * ({"id", "slug", "url", "kind", "title": {"ja", "en"}, "cvss3", "cvss4",
 * "published_at", "updated_at", "revision"}), total (and *total) how many
 * advisories matched, at most KK_ADVISORY_SEARCH_MATCH_MAX ("more" is true
 * when there were more; pages are of those). A query
 * with nothing in it lists every published advisory. A faulty member is
 * KK_EINVAL with a field error (in the thread's language) for each, nothing
 * searched.
 */
enum kk_result kk_advisory_search(struct kk_store *s, const struct kk_advisory_query *q, json_t **out,
				  int64_t *total, struct kk_error *err);

/*
 * Brings the index entry of advisory advisory_id up to date in tx, the
 * transaction that changed it: the advisory as it is now when it is
 * published, else no entry. lib/advisory/ calls it where an advisory is
 * published, revised or its vendors' part updated.
 */
enum kk_result kk_advisory_search_index(struct kk_tx *tx, int64_t advisory_id, struct kk_error *err);

/* Rebuilds the whole index from the advisories in one transaction (`keikai
 * advisory reindex`): *count how many advisories it holds now. */
enum kk_result kk_advisory_search_reindex(struct kk_store *s, int64_t *count, struct kk_error *err);

/*
 * One of the schema's fills (schema.h), run when a store opens: indexes
 * the published advisories the index lacks (advisories published before
 * migration 14, or copied by `keikai db copy`, which does not copy the index)
 * and drops entries of advisories that are not published. Costs two counts
 * when there is nothing to do. arg is unused.
 */
enum kk_result kk_advisory_search_fill(struct kk_tx *tx, void *arg, struct kk_error *err);

#endif
