/*
 * search_internal.h: what the advisory search's files share
 * (keikai/advisory_search.h is the public side; issue 12 item 6,
 * docs/internals/search.md): the entry of one advisory (search_doc.c), a
 * query taken apart (search_query.c), and the one rule both use for short
 * words, so that what is stored and what is asked are cut alike.
 */
#ifndef KEIKAI_ADVISORY_SEARCH_INTERNAL_H
#define KEIKAI_ADVISORY_SEARCH_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/advisory_search.h"
#include "keikai/util.h"
#include "store/advisories.h"
#include "store/advisory_search.h"

/* ---- folding (search_doc.c) ---- */

/* Appends kk_fold's key of s, of any length (kk_fold takes KK_FOLD_MAX
 * bytes: longer text is folded a piece at a time, cut where no character
 * can join the one before it), to out. */
enum kk_result search_fold_append(const char *s, struct kk_buf *out, struct kk_error *err);

/* ---- Latin words ---- */

/* Between the words of two fields in an entry's words: a word of its own that
 * no query has (a query's words are letters and digits), so that the words
 * of a term are never found across two fields. */
#define SEARCH_FIELD_END "|"

/* Whether c is a Latin letter or digit (ASCII): what a Latin word is made
 * of, in the text and in a query alike. */
int search_latin_char(char c);

/* The Latin words of folded text into words: " w w | w w … " (the text's
 * lines are its fields; nothing when there is none). An entry's words
 * column, and a query word's needle in it (search_query.c), alike. */
enum kk_result search_words(const char *text, struct kk_buf *words, struct kk_error *err);

/* Replaces each private-use character of the Basic Multilingual Plane
 * (U+E000 to U+F8FF) in UTF-8 text s by U+FFFD, in place (the same length):
 * the trigram index's codes of facets are made of them
 * (store/advisory_search.h kk_search_facet_code), so that no text, and no
 * query's word, holds one. */
void search_private_out(char *s);

/* ---- short words ---- */

/* The column of short words holds each as " WORD" SEARCH_SHORT_END, and a
 * short word is looked up as "認証" SEARCH_SHORT_END (one of two characters)
 * or " 鍵" SEARCH_SHORT_END (one of one): those occur only where that whole
 * word was stored (short words have at most two characters). SQLite's index
 * of words takes the word between the markers as one token. */
#define SEARCH_SHORT_END KK_SEARCH_SHORT_END
/* A short word's needle, at most (with its NUL). */
#define SEARCH_SHORT_MAX 32

/*
 * The needle of the short word of a folded term of one or two characters
 * into out (SEARCH_SHORT_MAX bytes): the term without the characters that
 * are neither letters nor digits; "" when none is left. The term has a
 * letter or digit outside ASCII (認証, 鍵, 第2): a Latin one is its words
 * (search_query.c). plain (SEARCH_SHORT_MAX bytes, may be NULL) gets the
 * word itself.
 */
void search_short_word(const char *term, char *out, char *plain);

/* The short words of two characters of a folded term, as the short column
 * holds them (" WORD" SEARCH_SHORT_END each), into out: every entry whose
 * text holds the term holds each of them, so an index of words narrows a
 * term of the trigrams by them (store/advisory_search.h pairs). */
enum kk_result search_pairs(const char *term, struct kk_buf *out, struct kk_error *err);

/* ---- an advisory's entry (search_doc.c) ---- */

struct search_doc {
	struct kk_buf title, body, shorts, words;
	json_t *facets; /* [[kind, value]] */
	struct kk_search_facet *facet_list;
	struct kk_search_entry entry; /* points into the above */
};
/* The entry of published advisory a (search_doc_release it, whatever the
 * result). */
enum kk_result search_doc_build(struct kk_tx *tx, const struct kk_advisory *a, struct search_doc *d,
				struct kk_error *err);
void search_doc_release(struct search_doc *d);

/* ---- a query (search_query.c) ---- */

#define SEARCH_FACETS_MAX (KK_ADVISORY_QUERY_TERMS_MAX + 5)

struct search_request {
	struct kk_search_term terms[KK_ADVISORY_QUERY_TERMS_MAX];
	size_t n_terms;
	const char *titles[KK_ADVISORY_QUERY_TERMS_MAX]; /* what ranks a title first */
	size_t n_titles;
	struct kk_search_facet facets[SEARCH_FACETS_MAX];
	size_t n_facets;
	int64_t k_min, k_max; /* 0: unbounded */
	int relevance;
	int64_t page;
	int limit;
	json_t *owned; /* the strings above live in it */
};
/* Checks every member of q into r, with a field error for each faulty one
 * (KK_EINVAL). search_request_release r whatever the result. */
enum kk_result search_request_parse(const struct kk_advisory_query *q, struct search_request *r,
				    struct kk_error *err);
void search_request_release(struct search_request *r);

#endif
