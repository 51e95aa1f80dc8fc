/*
 * fold.h: search keys and similarity of vendor and product names (issue 8,
 * capabilities 4 and 5; SPEC 2.5 vendor identification).
 *
 * kk_fold turns a name, Japanese or English, into the key a search compares: two
 * spellings of one name that differ only in case, in full-width or half-width
 * forms, in hiragana or katakana, or in spacing get the same key, so that a
 * partial search on keys ("ＡＢＣ" in "abc systems", "ｻﾝﾌﾟﾙ" in "サンプル") finds
 * what a person means. kk_fold_company goes further for ranking: it also drops
 * legal forms (株式会社, (株), Inc., Co., Ltd. …) and punctuation, which names of
 * one organisation vary in. kk_name_similarity scores two such keys from 0 to
 * 1000 for ranking candidate vendors and products.
 *
 * docs/internals/fold.md lists every rule and the scale of the score.
 */
#ifndef KEIKAI_FOLD_H
#define KEIKAI_FOLD_H

#include <stddef.h>

#include "keikai/error.h"

/* Longest name kk_fold and kk_fold_company accept, in bytes. */
#define KK_FOLD_MAX 4096

/*
 * The search key of the UTF-8 name s: NFKC compatibility folding (full-width
 * ASCII to ASCII, half-width katakana to full-width with dakuten and handakuten
 * composed), full Unicode case folding, hiragana to katakana, dash variants to
 * "-", every run of white space and control characters to one ASCII space with
 * none at either end, and invisible characters (zero-width, bidirectional
 * controls, variation selectors, soft hyphen) dropped.
 *
 * On KK_OK *out is a string the caller frees ("" when nothing is left). On
 * failure *out is NULL and err says why: KK_EINVAL when s is NULL or not valid
 * UTF-8 (the message gives the byte offset), KK_ETOOBIG when s is longer than
 * KK_FOLD_MAX bytes, KK_ENOMEM when memory ran out.
 */
enum kk_result kk_fold(const char *s, char **out, struct kk_error *err);

/*
 * The ranking key of the organisation or product name s: kk_fold's key, then
 * Japanese legal forms (株式会社, 有限会社, 一般社団法人, (株), ㈱ …) dropped
 * wherever they stand, words separated at spaces, dots, punctuation and
 * symbols (Unicode categories P and S) and joined by one space, and English
 * legal forms (Inc., Corp., Co., Ltd., LLC, GmbH, K.K. …) dropped from the
 * end. When nothing but legal forms is left, the Latin-script ones stay, or
 * when there are none (Japanese forms and punctuation only) the search key is
 * the ranking key. Results and ownership as kk_fold.
 */
enum kk_result kk_fold_company(const char *s, char **out, struct kk_error *err);

/*
 * kk_fold_company of the name that kk_fold turned into key, from the key:
 * kk_fold_company_key(k) where kk_fold(s) gave k is kk_fold_company(s),
 * without folding s again (the registry's index holds both keys of every
 * name). KK_EINVAL when key is NULL; otherwise results as kk_fold_company.
 */
enum kk_result kk_fold_company_key(const char *key, char **out, struct kk_error *err);

/* The part of a key kk_name_similarity looks at, in code points. */
#define KK_SIMILARITY_MAX_CHARS 256

/*
 * How alike two keys (from kk_fold_company, or kk_fold) are, from 0 to 1000:
 *   1000     the keys are the same
 *    990     they are the same once spaces are removed
 *   900-988  one is the start of the other (longer share, higher score)
 *   800-888  one is inside the other
 *     0-799  799 times the Dice coefficient of their code-point bigrams
 * Spaces are removed before every comparison but the first; prefix and
 * containment need at least two code points in the shorter key. An empty key
 * scores 0 against anything. Only the first KK_SIMILARITY_MAX_CHARS code points
 * after the spaces are removed are compared. Symmetric; allocates nothing; any
 * bytes are accepted (a byte that is not valid UTF-8 counts as one character).
 */
int kk_name_similarity(const char *a, const char *b);

#endif
