/*
 * advisory_search_grams.c: on PostgreSQL, how many index entries hold each
 * trigram (advisory_search.h kk_search_grams_*; issue 12 item 6,
 * docs/internals/search.md "Running a search"). SQLite's FTS5 keeps these
 * counts itself (fts5vocab); pg_trgm keeps none, and PostgreSQL's planner,
 * which estimates LIKE '%…%' from a sample of the column, takes a word in
 * half the entries for a rare one (reading them all through the GIN index)
 * or the other way round. So a search asks these counts which way to go.
 *
 * The counts are made when the whole index is built (a rebuild: `keikai
 * advisory reindex`, a fill that rebuilds) from advisory_text, a page of
 * rows at a time: every trigram (three consecutive characters) of each
 * entry's body and short words, and every Latin word of its words (a term
 * of Latin words is as rare as its rarest word: its trigrams, shared by
 * many words, would say far too many), each counted once per entry, kept
 * when at least GRAMS_MIN entries hold it. One that is not there is rarer
 * than that.
 * Publications and revisions between two rebuilds leave the counts as they
 * were: a word new since then looks rare, which is the right way for one,
 * and an estimate is only ever a choice of plan, never an answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/util.h"
#include "advisory_search.h"

/* A trigram is counted when at least this many entries hold it. */
#define GRAMS_MIN 50
/* Rows of advisory_text read at once; counts written at once. */
#define PAGE_ROWS 1000
#define WRITE_ROWS 200
/* A key: the column's letter, then three characters of at most 4 bytes, or
 * a Latin word of at most 22 letters (a longer one is neither counted nor
 * asked for: rare, as a word not counted is). */
#define KEY_MAX 24

struct gram {
	char key[KEY_MAX];
	uint32_t docs, last; /* entries holding it; the last entry counted (1-based) */
};

struct grams {
	struct gram *slots;
	size_t cap, used;
};

static uint64_t hash(const char *k)
{
	uint64_t h = 1469598103934665603ull;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ull;
	return h;
}

static int grow(struct grams *g)
{
	size_t cap = g->cap ? g->cap * 2 : 1u << 16;
	struct gram *slots = kk_calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < g->cap; i++) {
		size_t j;

		if (!g->slots[i].key[0])
			continue;
		for (j = hash(g->slots[i].key) & (cap - 1); slots[j].key[0]; j = (j + 1) & (cap - 1))
			;
		slots[j] = g->slots[i];
	}
	free(g->slots);
	g->slots = slots;
	g->cap = cap;
	return 0;
}

/* Counts key for entry doc (once per entry). */
static int count(struct grams *g, const char *key, uint32_t doc)
{
	size_t j;

	if ((g->used + 1) * 10 > g->cap * 7 && grow(g))
		return -1;
	for (j = hash(key) & (g->cap - 1); g->slots[j].key[0]; j = (j + 1) & (g->cap - 1))
		if (!strcmp(g->slots[j].key, key))
			break;
	if (!g->slots[j].key[0]) {
		snprintf(g->slots[j].key, KEY_MAX, "%s", key);
		g->used++;
	}
	if (g->slots[j].last != doc) {
		g->slots[j].last = doc;
		g->slots[j].docs++;
	}
	return 0;
}

/* The bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* Calls fn(key) for each trigram of text, its key prefixed by letter. */
static int each_gram(const char *text, char letter, int (*fn)(void *, const char *), void *arg)
{
	const char *a = text, *b, *c;

	if (!*a || !*(b = a + char_len(a)) || !*(c = b + char_len(b)))
		return 0;
	for (; *c; a = b, b = c, c += char_len(c)) {
		size_t n = (size_t)(c - a) + char_len(c);
		char key[KEY_MAX];

		if (n + 2 > KEY_MAX)
			continue;
		key[0] = letter;
		memcpy(key + 1, a, n);
		key[n + 1] = '\0';
		if (fn(arg, key))
			return -1;
	}
	return 0;
}

/* Calls fn(key) for each Latin word of a words column or needle (" w w | w "),
 * its key prefixed by letter. */
static int each_word(const char *text, char letter, int (*fn)(void *, const char *), void *arg)
{
	for (const char *p = text; *p;) {
		size_t n = 0;
		char key[KEY_MAX];

		while (*p == ' ')
			p++;
		while (p[n] && p[n] != ' ')
			n++;
		if (n && n + 2 <= KEY_MAX && !(n == 1 && *p == '|')) {
			key[0] = letter;
			memcpy(key + 1, p, n);
			key[n + 1] = '\0';
			if (fn(arg, key))
				return -1;
		}
		p += n;
	}
	return 0;
}

struct counting {
	struct grams *g;
	uint32_t doc;
};

static int count_fn(void *arg, const char *key)
{
	struct counting *c = arg;

	return count(c->g, key, c->doc);
}

/* *st: the statement whose SQL sql holds (sql released). */
static enum kk_result prepare_built(struct kk_tx *tx, struct kk_buf *sql, struct kk_stmt **st, struct kk_error *err)
{
	enum kk_result res = KK_OK;

	*st = NULL;
	if (kk_buf_result(sql))
		res = kk_error_nomem(err);
	else if (!(*st = kk_stmt_prepare(tx, sql->data, err)))
		res = kk_error_result(err, KK_EDB);
	kk_buf_release(sql);
	return res;
}

/* Writes the counts of at least GRAMS_MIN entries. */
static enum kk_result write_counts(struct kk_tx *tx, const struct grams *g, struct kk_error *err)
{
	size_t i = 0;
	enum kk_result res = KK_OK;

	while (!res && i < g->cap) {
		struct kk_buf sql;
		struct kk_stmt *st;
		size_t n = 0, from = i;

		kk_buf_init(&sql, 64 * 1024);
		kk_buf_adds(&sql, "INSERT INTO advisory_search_grams(gram, docs) VALUES");
		for (; i < g->cap && n < WRITE_ROWS; i++)
			if (g->slots[i].key[0] && g->slots[i].docs >= GRAMS_MIN)
				kk_buf_adds(&sql, n++ ? ", (?, ?)" : " (?, ?)");
		if (!n) {
			kk_buf_release(&sql);
			break;
		}
		if ((res = prepare_built(tx, &sql, &st, err)))
			return res;
		for (size_t j = from, k = 1; j < i; j++) {
			if (!g->slots[j].key[0] || g->slots[j].docs < GRAMS_MIN)
				continue;
			kk_stmt_bind_text(st, (int)k++, g->slots[j].key);
			kk_stmt_bind_int(st, (int)k++, g->slots[j].docs);
		}
		res = kk_stmt_once(st, err);
	}
	return res;
}

enum kk_result kk_search_grams_rebuild(struct kk_tx *tx, struct kk_error *err)
{
	struct grams g = { 0 };
	struct counting c = { &g, 0 };
	int64_t after = INT64_MIN;
	enum kk_result res = kk_tx_exec(tx, "DELETE FROM advisory_search_grams;", err);

	for (size_t rows = PAGE_ROWS; !res && rows == PAGE_ROWS;) {
		struct kk_stmt *st = kk_stmt_prepare(
			tx, "SELECT k, body, short, words FROM advisory_text WHERE k > ? ORDER BY k LIMIT 1000", err);
		enum kk_step step = KK_STEP_DONE;

		if (!st)
			res = kk_error_result(err, KK_EDB);
		else
			kk_stmt_bind_int(st, 1, after);
		for (rows = 0; !res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW; rows++) {
			after = kk_stmt_int(st, 0);
			c.doc++;
			if (each_gram(kk_stmt_text(st, 1), 'b', count_fn, &c) ||
			    each_gram(kk_stmt_text(st, 2), 's', count_fn, &c) ||
			    each_word(kk_stmt_text(st, 3), 'w', count_fn, &c))
				res = kk_error_nomem(err);
		}
		if (!res && step == KK_STEP_ERROR)
			res = kk_stmt_result(st);
		kk_stmt_free(st);
	}
	if (!res)
		res = write_counts(tx, &g, err);
	/* and how many entries were counted, under the key "n" */
	if (!res) {
		struct kk_stmt *st = kk_stmt_prepare(tx, "INSERT INTO advisory_search_grams(gram, docs) VALUES('n', ?)", err);

		if (st)
			kk_stmt_bind_int(st, 1, c.doc);
		res = kk_stmt_once(st, err);
	}
	free(g.slots);
	return res;
}

struct asking {
	char keys[12][KEY_MAX];
	size_t n;
};

static int ask_fn(void *arg, const char *key)
{
	struct asking *a = arg;

	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->keys[i], key))
			return 0;
	if (a->n < sizeof(a->keys) / sizeof(a->keys[0]))
		snprintf(a->keys[a->n++], KEY_MAX, "%s", key);
	return 0;
}

enum kk_result kk_search_grams_estimate(struct kk_tx *tx, enum kk_search_col col, const char *text, int64_t *est,
					struct kk_error *err)
{
	struct asking a = { .n = 0 };
	struct kk_buf sql;
	struct kk_stmt *st;
	enum kk_result res;

	*est = -1;
	if (!text) {
		/* the number of entries the counts were made of */
		snprintf(a.keys[0], KEY_MAX, "n");
		a.n = 1;
	} else if (col == KK_SEARCH_WORDS) {
		each_word(text, 'w', ask_fn, &a);
	} else {
		each_gram(text, col == KK_SEARCH_SHORT ? 's' : 'b', ask_fn, &a);
	}
	if (!a.n)
		return KK_OK;
	kk_buf_init(&sql, 1024);
	kk_buf_adds(&sql, "SELECT COUNT(*), MIN(docs) FROM advisory_search_grams WHERE gram IN (");
	for (size_t i = 0; i < a.n; i++)
		kk_buf_adds(&sql, i ? ", ?" : "?");
	kk_buf_adds(&sql, ")");
	if ((res = prepare_built(tx, &sql, &st, err)))
		return res;
	for (size_t i = 0; i < a.n; i++)
		kk_stmt_bind_text(st, (int)i + 1, a.keys[i]);
	res = kk_stmt_first(st, err);
	/* a trigram not counted is held by fewer than GRAMS_MIN entries (no
	 * count of entries: none was made, -1) */
	if (!res && !text)
		*est = kk_stmt_int(st, 0) ? kk_stmt_int(st, 1) : -1;
	else if (!res)
		*est = kk_stmt_int(st, 0) < (int64_t)a.n ? GRAMS_MIN - 1 : kk_stmt_int(st, 1);
	kk_stmt_free(st);
	return res == KK_ENOTFOUND ? KK_OK : res;
}
