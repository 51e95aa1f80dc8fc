/*
 * advisory_search_run.c: running a search of the advisory index
 * (advisory_search.h kk_search_run; issue 12 item 6; docs/internals/search.md
 * "Running a search"). A plan's terms, facets and day range become one
 * statement that reads the index only and gives the newest matches first, at
 * most plan->max of them, the database stopping there.
 *
 * What drives the statement is chosen per search, by what each part would
 * cost (every part's matches are counted or bounded first, cheaply):
 *   words  SQLite, when the plan has a short or Latin word or a facet and
 *          each trigram term has pairs (words_drive): the index of words
 *          (advisory_words), one MATCH of every word, some pairs of every
 *          trigram term (add_pairs) and every facet's word, newest first. With
 *          a trigram term, that MATCH's matches are counted first, up to
 *          PROBE: when there are no more, they are the list that drives,
 *          each checked for the trigram terms with instr; else the trigram
 *          index drives when it answers the whole plan exactly (codes_drive:
 *          trigram terms only, every facet coded), else the index of words,
 *          each match checked with instr;
 *   text   the text index in k order. SQLite: the trigrams (advisory_fts, a
 *          quoted phrase per term: a phrase of three characters or more is
 *          a substring, exactly) and the codes of the facets of few values
 *          (kk_search_facet_code) in one MATCH. PostgreSQL: pg_trgm's GIN
 *          indexes (LIKE, its recheck exact). Facets not in the MATCH are
 *          probes of their index per match;
 *   facet  the narrowest facet's index in k order, each row's text checked
 *          on advisory_text (the same substring, exactly), the other facets
 *          probed;
 *   k      advisory_search in k order (nothing but a day range).
 * Besides SQLite's index of words, the text drives unless a facet holds
 * fewer than FACET_PROBE entries and fewer than the text's estimate: an
 * upper bound, the entries holding the rarest trigram of each term, on
 * SQLite from FTS5's vocabulary (fts5vocab), on PostgreSQL from the counts
 * of the last rebuild (advisory_search_grams.c; without any, a facet of at
 * most FACET_SMALL entries drives). On PostgreSQL the plan is then set for
 * the statement (pg_plan).
 *
 * The SQL is put together from fixed pieces and placeholders only; the
 * user's words are bound, never written into it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

#include "keikai/alloc.h"
#include "keikai/util.h"
#include "advisory_search.h"

#define SQL_MAX 8192
/* The most values one statement binds: the parts of a plan, twice over. */
#define BINDS_MAX 64
/* Facets are counted up to this many entries (an index range, no more). */
#define FACET_PROBE 5000
/* On PostgreSQL, without an estimate of the text, a facet this small drives. */
#define FACET_SMALL 2000
/* SQLite: the matches of the index of words counted before a trigram term
 * is checked in each (fewer: they drive, listed; checking each costs a
 * read of its text) */
#define PROBE 500
/* SQLite: a trigram term's pairs looked at, and those of kanji used, at most */
#define PAIRS_ALL 256
#define PAIRS_MAX 3
/* A term's trigrams looked up for its estimate, at most. */
#define TRIGRAMS_MAX 12

static int on_pg(struct kk_tx *tx)
{
	return strcmp(kk_store_engine(tx->store), "postgresql") == 0;
}

/* ---- the statement, and its values in order ---- */

struct bind {
	char *text; /* owned; NULL: the integer */
	int64_t n;
};

struct sql {
	struct kk_buf b;
	struct bind v[BINDS_MAX];
	size_t n;
	int bad;
};

static void sql_release(struct sql *q)
{
	kk_buf_release(&q->b);
	for (size_t i = 0; i < q->n; i++)
		free(q->v[i].text);
}

/* Appends a piece of SQL. */
static void piece(struct sql *q, const char *fmt, const char *arg)
{
	if (kk_buf_addf(&q->b, fmt, arg ? arg : ""))
		q->bad = 1;
}

/* The next placeholder's value: text (copied), or n when text is NULL. */
static void value(struct sql *q, const char *text, int64_t n)
{
	if (q->n == BINDS_MAX) {
		q->bad = 1;
		return;
	}
	q->v[q->n].n = n;
	if (text && !(q->v[q->n].text = kk_strdup(text)))
		q->bad = 1;
	q->n++;
}

/* A pattern of text anywhere in a column: '%…%', with '%', '_' and '\'
 * escaped by '\' (ESCAPE '\'), as the next value. */
static void like_value(struct sql *q, const char *text)
{
	struct kk_buf b;
	char *s;

	kk_buf_init(&b, 8 * 1024);
	kk_buf_adds(&b, "%");
	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			kk_buf_add(&b, "\\", 1);
		kk_buf_add(&b, p, 1);
	}
	kk_buf_adds(&b, "%");
	s = kk_buf_detach(&b);
	value(q, s ? s : "", 0);
	q->bad |= !s;
	free(s);
}

static const char *column(enum kk_search_col c)
{
	return c == KK_SEARCH_SHORT ? "short" : c == KK_SEARCH_WORDS ? "words" : "body";
}

/* On SQLite, which FTS5 table answers a term: the index of words
 * (advisory_words: short and Latin words), or the trigrams of the body
 * (advisory_fts). */
static int in_words(const struct kk_search_term *t)
{
	return t->col != KK_SEARCH_BODY;
}

/* The phrase of term t as its FTS5 table takes it: the body's substring;
 * a short word without its markers; the Latin words without their outer
 * spaces. */
static void phrase_of(const struct kk_search_term *t, const char **from, size_t *n)
{
	const char *s = t->text;
	size_t len = strlen(s);

	if (t->col == KK_SEARCH_SHORT && len && s[len - 1] == KK_SEARCH_SHORT_END[0])
		len--;
	if (t->col != KK_SEARCH_BODY)
		while (len && *s == ' ')
			s++, len--;
	while (t->col == KK_SEARCH_WORDS && len && s[len - 1] == ' ')
		len--;
	*from = s;
	*n = len;
}

/* Appends the FTS5 phrase of p[0..n) to a MATCH expression: ANDed to what
 * is there, in double quotes (a '"' doubled). */
static void add_phrase(struct kk_buf *m, const char *p, size_t n)
{
	kk_buf_adds(m, m->len ? " AND \"" : "\"");
	for (size_t j = 0; j < n; j++)
		kk_buf_adds(m, p[j] == '"' ? "\"\"" : (char[]){ p[j], '\0' });
	kk_buf_adds(m, "\"");
}

/* Whether the index of words drives plan on SQLite: when it has words or
 * filters, and each of its trigram terms has short words to narrow by (the
 * pairs; the term itself then checked in each match's text). One MATCH then
 * ANDs every word, pair and filter: FTS5 merges the lists, skipping, where
 * probing each match of a common word for a rare filter would walk them all. */
static int words_drive(const struct kk_search_plan *plan)
{
	size_t words = 0;

	for (size_t i = 0; i < plan->n_terms; i++) {
		if (in_words(&plan->terms[i]))
			words++;
		else if (!plan->terms[i].pairs || !plan->terms[i].pairs[0])
			return 0;
	}
	return plan->n_terms && (words || plan->n_facets);
}

/* Whether SQLite's trigram index answers plan alone, exactly: trigram terms
 * only, and every facet one with a code (kk_search_facet_code). */
static int codes_drive(const struct kk_search_plan *plan)
{
	for (size_t i = 0; i < plan->n_terms; i++)
		if (in_words(&plan->terms[i]))
			return 0;
	for (size_t i = 0; i < plan->n_facets; i++)
		if (!kk_search_facet_code(NULL, plan->facets[i].kind, plan->facets[i].value))
			return 0;
	return plan->n_terms && plan->n_facets;
}

/* How many kanji (CJK ideographs) the UTF-8 text p[0..n) holds. */
static int kanji(const char *p, size_t n)
{
	const uint8_t *s = (const uint8_t *)p, *end = s + n;
	int k = 0, len;
	ucs4_t c;

	for (; s < end && (len = u8_mbtouc_unsafe(&c, s, (size_t)(end - s))) > 0; s += len)
		k += uc_is_property_ideographic(c);
	return k;
}

/*
 * Appends some of the pairs of a trigram term (" WORD\x01 WORD\x01 …", in
 * the term's order) to a MATCH expression of the index of words. A few
 * narrow the term's matches about as well as all of them do, and every pair
 * ANDed is one more list FTS5 merges; the term itself is checked in each
 * match's text anyway. The rarest would be best, but FTS5 counts a word's
 * entries by reading its list (58,000 long for ット), so the choice is by
 * what a pair is made of: kanji are many, each in few texts, where kana
 * and the long-vowel mark make up half of every Japanese text. With a
 * kanji in them, up to PAIRS_MAX of the pairs with the most (the first of
 * equals); else the first, the middle and the last.
 */
static void add_pairs(struct kk_buf *m, const char *pairs)
{
	struct {
		const char *p;
		size_t n;
		int kanji;
	} all[PAIRS_ALL];
	size_t count = 0, used = 0;
	int most = 0;

	for (const char *p = pairs; *p && count < PAIRS_ALL;) {
		size_t n;

		while (*p == ' ')
			p++;
		for (n = 0; p[n] && p[n] != KK_SEARCH_SHORT_END[0]; n++)
			;
		if (n) {
			all[count].p = p;
			all[count].n = n;
			all[count].kanji = kanji(p, n);
			if (all[count].kanji > most)
				most = all[count].kanji;
			count++;
		}
		p += n + (p[n] != '\0');
	}
	for (int k = most; most && k > 0 && used < PAIRS_MAX; k--)
		for (size_t i = 0; i < count && used < PAIRS_MAX; i++)
			if (all[i].kanji == k) {
				add_phrase(m, all[i].p, all[i].n);
				used++;
			}
	for (size_t i = 0; !most && i < count; i++)
		if (i == 0 || i == count / 2 || i + 1 == count)
			add_phrase(m, all[i].p, all[i].n);
}

/* SQLite's MATCH expressions, each a phrase per part, ANDed. Of the index of
 * words (words 1): the short and Latin words, some pairs of the
 * trigram terms, the facets' words; it needs no filter of its column: a
 * short word has a letter outside ASCII, a Latin word none, a facet's word
 * U+E000 (and a filter would have FTS5 read every match's positions). Of the
 * trigrams (words 0): the body terms and the codes of the facets that have
 * one. Into *out (kk_malloc'd). */
static enum kk_result match_text(const struct kk_search_plan *plan, int words, char **out, struct kk_error *err)
{
	struct kk_buf m;
	enum kk_result res = KK_OK;

	*out = NULL;
	kk_buf_init(&m, 16 * 1024);
	for (size_t i = 0; i < plan->n_terms; i++) {
		const struct kk_search_term *t = &plan->terms[i];
		const char *p;
		size_t n;

		if (in_words(t) == words) {
			phrase_of(t, &p, &n);
			add_phrase(&m, p, n);
		} else if (words) {
			add_pairs(&m, t->pairs ? t->pairs : "");
		}
	}
	for (size_t i = 0; i < plan->n_facets; i++) {
		if (!words && !kk_search_facet_code(NULL, plan->facets[i].kind, plan->facets[i].value))
			continue;
		kk_buf_adds(&m, m.len ? " AND \"" : "\"");
		if (words)
			kk_search_facet_token(&m, plan->facets[i].kind, plan->facets[i].value);
		else
			kk_search_facet_code(&m, plan->facets[i].kind, plan->facets[i].value);
		kk_buf_adds(&m, "\"");
	}
	if (!res && !(*out = kk_buf_detach(&m)))
		res = kk_error_nomem(err);
	kk_buf_release(&m);
	return res;
}

/* ---- what each part costs ---- */

/* The entries of facet f in the plan's day range, counted up to FACET_PROBE. */
static enum kk_result facet_count(struct kk_tx *tx, const struct kk_search_plan *plan,
				  const struct kk_search_facet *f, int64_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT COUNT(*) FROM (SELECT 1 FROM advisory_search_facets"
					     " WHERE kind = ? AND value = ? AND k >= ? AND k < ? LIMIT ?) x",
					     err);
	enum kk_result res;

	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, f->kind);
	kk_stmt_bind_text(st, 2, f->value);
	kk_stmt_bind_int(st, 3, plan->k_min);
	kk_stmt_bind_int(st, 4, plan->k_max ? plan->k_max : INT64_MAX);
	kk_stmt_bind_int(st, 5, FACET_PROBE);
	res = kk_stmt_first(st, err);
	if (!res)
		*n = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	return res == KK_ENOTFOUND ? KK_OK : res;
}

/* The number of UTF-8 characters that start in s[0..n). */
static size_t chars(const char *s)
{
	size_t c = 0;

	for (; *s; s++)
		c += ((unsigned char)*s & 0xc0) != 0x80;
	return c;
}

/* The byte offset of character i of s. */
static size_t char_at(const char *s, size_t i)
{
	size_t o = 0;

	for (; s[o]; o++)
		if (((unsigned char)s[o] & 0xc0) != 0x80 && i-- == 0)
			return o;
	return o;
}

/* SQLite: how many entries hold the trigram of n bytes at gram, from FTS5's
 * vocabulary (st: advisory_vocab's statement, reset here), into *docs. */
static enum kk_result vocab_docs(struct kk_stmt *st, const char *gram, size_t n, int64_t *docs, struct kk_error *err)
{
	char word[64];
	enum kk_result res;

	*docs = 0;
	if (n >= sizeof(word))
		return KK_OK;
	memcpy(word, gram, n);
	word[n] = '\0';
	kk_stmt_reset(st);
	kk_stmt_bind_text(st, 1, word);
	res = kk_stmt_first(st, err);
	if (!res)
		*docs = kk_stmt_int(st, 0);
	return res == KK_ENOTFOUND ? KK_OK : res; /* no entry holds it */
}

/* SQLite: the fewest entries that hold one trigram of body term t (spread
 * over it, its first and last among them), into *est (kept when lower). The
 * bound is the body terms' (a short or Latin term is asked only with one
 * that the index of words cannot narrow: words_drive). */
static enum kk_result vocab_estimate(struct kk_tx *tx, const struct kk_search_term *t, int64_t *est,
				     struct kk_error *err)
{
	const char *p = t->text;
	size_t grams = t->col == KK_SEARCH_BODY && chars(p) >= 3 ? chars(p) - 2 : 0;
	struct kk_stmt *st;
	enum kk_result res = KK_OK;

	if (!grams)
		return KK_OK;
	if (!(st = kk_stmt_prepare(tx, "SELECT doc FROM advisory_vocab WHERE term = ? AND col = 'body'", err)))
		return kk_error_result(err, KK_EDB);
	for (size_t g = 0; !res && g < grams && g < TRIGRAMS_MAX && *est != 0; g++) {
		size_t at = grams <= TRIGRAMS_MAX ? g : g * (grams - 1) / (TRIGRAMS_MAX - 1);
		size_t from = char_at(p, at), to = char_at(p, at + 3);
		int64_t docs;

		res = vocab_docs(st, p + from, to - from, &docs, err);
		if (!res && (*est < 0 || docs < *est))
			*est = docs;
	}
	kk_stmt_free(st);
	return res;
}

/* An upper bound of the entries that hold all the plan's terms: the fewest
 * entries holding any one trigram of any term, on SQLite from FTS5's
 * vocabulary, on PostgreSQL from the counts the last rebuild made
 * (advisory_search_grams.c); -1 when there is none to go by. */
static enum kk_result text_estimate(struct kk_tx *tx, const struct kk_search_plan *plan, int64_t *est,
				    struct kk_error *err)
{
	enum kk_result res = KK_OK;

	*est = -1;
	for (size_t t = 0; !res && t < plan->n_terms && *est != 0; t++) {
		int64_t n = -1;

		if (!on_pg(tx)) {
			res = vocab_estimate(tx, &plan->terms[t], est, err);
			continue;
		}
		res = kk_search_grams_estimate(tx, plan->terms[t].col, plan->terms[t].text, &n, err);
		if (!res && n >= 0 && (*est < 0 || n < *est))
			*est = n;
	}
	return res;
}

/* ---- the statement ---- */

enum driver { DRIVE_TEXT, DRIVE_WORDS, DRIVE_LIST, DRIVE_FACET, DRIVE_K };

/* What drives a search, and what it needs. */
struct drive {
	enum driver driver;
	size_t first; /* DRIVE_FACET: the facet */
	char *match;  /* SQLite's DRIVE_TEXT and DRIVE_WORDS: the MATCH (owned) */
	char *list;   /* DRIVE_LIST: the ks, a JSON array (owned) */
};

/* Whether driver d answers term t itself (else each row's text is checked):
 * SQLite's MATCH of the trigrams the trigram terms, of the index of words
 * (or its list) the others. */
static int answers(const struct drive *d, int pg, const struct kk_search_term *t)
{
	if (pg)
		return 0;
	return (d->driver == DRIVE_TEXT && !in_words(t)) ||
	       ((d->driver == DRIVE_WORDS || d->driver == DRIVE_LIST) && in_words(t));
}

/* Whether driver d answers facet f itself (else its index is probed). */
static int answers_facet(const struct drive *d, int pg, size_t i, const struct kk_search_facet *f)
{
	if (d->driver == DRIVE_FACET)
		return i == d->first;
	if (d->driver == DRIVE_WORDS || d->driver == DRIVE_LIST)
		return 1;
	return d->driver == DRIVE_TEXT && !pg && kk_search_facet_code(NULL, f->kind, f->value);
}

/* Writes the statement of plan driven by d into q. */
static void build(const struct kk_search_plan *plan, const struct drive *d, int pg, const char *mark, struct sql *q)
{
	static const char *const keys[] = { [DRIVE_TEXT] = "t.rowid", [DRIVE_WORDS] = "t.rowid",
					     [DRIVE_LIST] = "t.value", [DRIVE_FACET] = "f0.k", [DRIVE_K] = "s.k" };
	enum driver driver = d->driver;
	const char *key = pg && driver == DRIVE_TEXT ? "t.k" : keys[driver];
	int text_join = 0;

	for (size_t i = 0; i < plan->n_terms; i++)
		text_join |= driver != DRIVE_K && !answers(d, pg, &plan->terms[i]) && !(pg && driver == DRIVE_TEXT);
	kk_buf_init(&q->b, SQL_MAX);
	piece(q, "SELECT %s", mark);
	piece(q, "%s, 0", key);
	for (size_t i = 0; i < plan->n_title_texts; i++) {
		piece(q, " + CASE WHEN s.title LIKE ? ESCAPE '\\' THEN 1 ELSE 0 END", NULL);
		like_value(q, plan->title_texts[i]);
	}
	if (driver == DRIVE_TEXT || driver == DRIVE_WORDS)
		piece(q, " FROM %s t", pg ? "advisory_text" : driver == DRIVE_WORDS ? "advisory_words" : "advisory_fts");
	else if (driver == DRIVE_LIST)
		piece(q, " FROM json_each(?) t", NULL);
	else if (driver == DRIVE_FACET)
		piece(q, " FROM advisory_search_facets f0", NULL);
	else
		piece(q, " FROM advisory_search s", NULL);
	if (text_join)
		piece(q, " JOIN advisory_text x ON x.k = %s", key);
	if (plan->n_title_texts && driver != DRIVE_K)
		piece(q, " JOIN advisory_search s ON s.k = %s", key);
	piece(q, " WHERE 1 = 1", NULL);
	if (driver == DRIVE_LIST)
		value(q, d->list, 0);
	if (driver == DRIVE_FACET) {
		piece(q, " AND f0.kind = ? AND f0.value = ?", NULL);
		value(q, plan->facets[d->first].kind, 0);
		value(q, plan->facets[d->first].value, 0);
	}
	if ((driver == DRIVE_TEXT && !pg) || driver == DRIVE_WORDS) {
		piece(q, " AND t.%s MATCH ?", driver == DRIVE_WORDS ? "advisory_words" : "advisory_fts");
		value(q, d->match, 0);
	}
	for (size_t i = 0; driver != DRIVE_K && i < plan->n_terms; i++) {
		const struct kk_search_term *t = &plan->terms[i];

		if (answers(d, pg, t))
			continue; /* the MATCH answers it */
		/* SQLite: each row's text holds it (instr compares bytes, faster
		 * than SQLite's LIKE, which folds ASCII's case) */
		if (!pg) {
			piece(q, " AND instr(x.%s, ?) > 0", column(t->col));
			value(q, t->text, 0);
			continue;
		}
		/* PostgreSQL: the text index answers it (text), or each row's text
		 * does (facet: "|| ''" keeps the planner from the text index) */
		piece(q, driver == DRIVE_TEXT ? " AND t.%s LIKE ? ESCAPE '\\'" : " AND (x.%s || '') LIKE ? ESCAPE '\\'",
		      column(t->col));
		like_value(q, t->text);
	}
	for (size_t i = 0; driver != DRIVE_K && i < plan->n_facets; i++) {
		if (answers_facet(d, pg, i, &plan->facets[i]))
			continue; /* the driver answers it */
		piece(q, " AND EXISTS (SELECT 1 FROM advisory_search_facets f WHERE f.kind = ? AND f.value = ? AND f.k = %s)",
		      key);
		value(q, plan->facets[i].kind, 0);
		value(q, plan->facets[i].value, 0);
	}
	if (plan->k_min) {
		piece(q, " AND %s >= ?", key);
		value(q, NULL, plan->k_min);
	}
	if (plan->k_max) {
		piece(q, " AND %s < ?", key);
		value(q, NULL, plan->k_max);
	}
	/* the limit written in (a constant of the code, not the user's): a
	 * planner that keeps a generic plan then knows how few rows are wanted */
	piece(q, " ORDER BY %s DESC", key);
	if (kk_buf_addf(&q->b, " LIMIT %zu", plan->max))
		q->bad = 1;
	if (kk_buf_result(&q->b))
		q->bad = 1;
}

/* SQLite: the matches of the index of words' MATCH d->match in the plan's
 * day range, newest first, up to PROBE + 1: at most PROBE are d->list, the
 * driver (else d->list stays NULL). */
static enum kk_result probe(struct kk_tx *tx, const struct kk_search_plan *plan, struct drive *d,
			    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT rowid FROM advisory_words WHERE advisory_words MATCH ?"
					     " AND rowid >= ? AND rowid < ? ORDER BY rowid DESC LIMIT ?",
					     err);
	enum kk_step step = KK_STEP_DONE;
	struct kk_buf b;
	size_t got = 0;
	enum kk_result res = KK_OK;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, d->match);
	kk_stmt_bind_int(st, 2, plan->k_min);
	kk_stmt_bind_int(st, 3, plan->k_max ? plan->k_max : INT64_MAX);
	kk_stmt_bind_int(st, 4, PROBE + 1);
	kk_buf_init(&b, 64 * 1024);
	kk_buf_adds(&b, "[");
	while ((step = kk_stmt_step(st, err)) == KK_STEP_ROW)
		kk_buf_addf(&b, got++ ? ",%lld" : "%lld", (long long)kk_stmt_int(st, 0));
	kk_buf_adds(&b, "]");
	if (step == KK_STEP_ERROR)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	if (!res && kk_buf_result(&b))
		res = kk_error_nomem(err);
	if (!res && got <= PROBE && !(d->list = kk_buf_detach(&b)))
		res = kk_error_nomem(err);
	kk_buf_release(&b);
	return res;
}

/* SQLite, a plan that the index of words may drive (words_drive): its
 * matches listed when they are few (a trigram term to check in each);
 * else the trigram index when it answers all (codes_drive), else the index
 * of words. */
static enum kk_result choose_words(struct kk_tx *tx, const struct kk_search_plan *plan, struct drive *d,
				   struct kk_error *err)
{
	int checked = 0;
	enum kk_result res = match_text(plan, 1, &d->match, err);

	for (size_t i = 0; i < plan->n_terms; i++)
		checked |= !in_words(&plan->terms[i]);
	d->driver = DRIVE_WORDS;
	if (res || !checked)
		return res;
	if ((res = probe(tx, plan, d, err)) || d->list) {
		d->driver = DRIVE_LIST;
		return res;
	}
	if (!codes_drive(plan))
		return KK_OK;
	free(d->match);
	d->driver = DRIVE_TEXT;
	return match_text(plan, 0, &d->match, err);
}

/* What drives plan (and, for a facet, which), from the parts' costs. */
static enum kk_result choose(struct kk_tx *tx, const struct kk_search_plan *plan, struct drive *d,
			     struct kk_error *err)
{
	int64_t narrowest = -1, est = -1;
	enum kk_result res = KK_OK;

	d->first = 0;
	/* SQLite: the index of words ANDs the facets with its words itself */
	if (!on_pg(tx) && words_drive(plan))
		return choose_words(tx, plan, d, err);
	for (size_t i = 0; !res && i < plan->n_facets; i++) {
		int64_t n = 0;

		res = facet_count(tx, plan, &plan->facets[i], &n, err);
		if (!res && (narrowest < 0 || n < narrowest)) {
			narrowest = n;
			d->first = i;
		}
	}
	/* only a facet counted whole may drive (one past the cap may hold ten
	 * times as many, and checking its rows' text costs more than probing its
	 * index): the text's estimate is asked for then only */
	if (!res && plan->n_terms && plan->n_facets && narrowest < FACET_PROBE)
		res = text_estimate(tx, plan, &est, err);
	if (res)
		return res;
	if (!plan->n_terms)
		d->driver = plan->n_facets ? DRIVE_FACET : DRIVE_K;
	else if (!plan->n_facets || narrowest >= FACET_PROBE)
		d->driver = DRIVE_TEXT;
	else if (est >= 0)
		d->driver = narrowest < est ? DRIVE_FACET : DRIVE_TEXT;
	else
		d->driver = narrowest <= FACET_SMALL ? DRIVE_FACET : DRIVE_TEXT;
	return d->driver == DRIVE_TEXT && !on_pg(tx) ? match_text(plan, 0, &d->match, err) : KK_OK;
}

/*
 * PostgreSQL: the plan the driver asks for, set for this transaction only
 * (SET LOCAL; reset after the statement). Its planner estimates LIKE '%…%'
 * from a sample and may read half the table through the GIN index for a
 * common word, or walk it all in k order for a rare one. The text's index
 * (GIN, the terms' bitmaps ANDed, then a sort of the matches) pays for every
 * entry that holds all the words; walking k newest first (the primary key,
 * each row checked) stops at plan->max matches. With m entries out of n
 * holding all the words (each term's count from the last rebuild, the terms
 * taken as independent), the first costs about m rows, the second about
 * max * n / m: the index is taken when m * m < max * n, and when there are
 * no counts. Every other driver walks an index in k order.
 */
static enum kk_result pg_plan(struct kk_tx *tx, const struct kk_search_plan *plan, enum driver driver, int *gin,
			      struct kk_error *err)
{
	int64_t n = -1;
	double m = -1;
	enum kk_result res = KK_OK;

	if (driver == DRIVE_TEXT)
		res = kk_search_grams_estimate(tx, KK_SEARCH_BODY, NULL, &n, err);
	for (size_t t = 0; !res && n > 0 && t < plan->n_terms; t++) {
		int64_t e = -1;

		res = kk_search_grams_estimate(tx, plan->terms[t].col, plan->terms[t].text, &e, err);
		if (!res && e >= 0)
			m = m < 0 ? (double)e : m * (double)e / (double)n;
	}
	if (res)
		return res;
	*gin = driver == DRIVE_TEXT && (m < 0 || m * m < (double)plan->max * (double)n);
	if (*gin)
		return kk_tx_exec(tx, "SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off;", err);
	return kk_tx_exec(tx,
			  "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off;"
			  " SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off;",
			  err);
}

enum kk_result kk_search_run(struct kk_tx *tx, const struct kk_search_plan *plan, struct kk_search_hit **hits,
			     size_t *n, struct kk_error *err)
{
	struct kk_search_hit *out = NULL;
	struct sql q;
	struct kk_stmt *st = NULL;
	enum kk_step step = KK_STEP_DONE;
	struct drive d = { .driver = DRIVE_K };
	size_t got = 0;
	int gin = 0;
	enum kk_result res;

	*hits = NULL;
	*n = 0;
	memset(&q, 0, sizeof(q));
	if (plan->n_terms + plan->n_facets + plan->n_title_texts > BINDS_MAX / 3)
		return kk_error_set(err, KK_EINVAL, "%s", "too many parts in one search");
	res = choose(tx, plan, &d, err);
	if (!res && on_pg(tx))
		res = pg_plan(tx, plan, d.driver, &gin, err);
	/* PostgreSQL keeps a statement's plan with its text, whatever the settings
	 * it was made under: each way of running it has a text of its own */
	if (!res)
		build(plan, &d, on_pg(tx), !on_pg(tx) ? "" : gin ? "/* gin */ " : "/* walk */ ", &q);
	free(d.match);
	free(d.list);
	if (res) {
		sql_release(&q);
		return res;
	}
	if (q.bad || !(out = kk_calloc(plan->max ? plan->max : 1, sizeof(*out)))) {
		sql_release(&q);
		return kk_error_nomem(err);
	}
	if (!(st = kk_stmt_prepare(tx, q.b.data, err)))
		res = kk_error_result(err, KK_EDB);
	for (size_t i = 0; !res && i < q.n; i++) {
		if (q.v[i].text)
			kk_stmt_bind_text(st, (int)i + 1, q.v[i].text);
		else
			kk_stmt_bind_int(st, (int)i + 1, q.v[i].n);
	}
	while (!res && got < plan->max && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		out[got].k = kk_stmt_int(st, 0);
		out[got].in_title = (int)kk_stmt_int(st, 1);
		got++;
	}
	if (!res && step == KK_STEP_ERROR)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	sql_release(&q);
	if (!res && on_pg(tx))
		res = kk_tx_exec(tx,
				 "RESET enable_indexscan; RESET enable_seqscan; RESET enable_bitmapscan; RESET enable_sort;"
				 " RESET enable_hashjoin; RESET enable_mergejoin;",
				 err);
	if (res || !got) {
		free(out);
		return res;
	}
	*hits = out;
	*n = got;
	return KK_OK;
}
