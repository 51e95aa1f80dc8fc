/*
 * test_advisory_search_ways.c: every way a search of advisories runs finds
 * exactly the same (issue 12 item 6, SPEC 6; lib/store/advisory_search_run.c,
 * docs/internals/search.md "Running a search"), on the engine under test.
 *
 * 2,400 published advisories, put straight into the store's tables as a
 * copy or an import leaves them, then indexed by the real rebuild
 * (kk_advisory_search_reindex) and searched through kk_advisory_search. Their
 * texts and filters are made so that each way of running a word with
 * filters is taken on SQLite, and what each finds can be counted by hand:
 *   - a word with a filter of few values (severity, CWE) that many entries
 *     hold besides the word's pairs: the trigram index with the filters'
 *     codes drives;
 *   - the same with fewer such entries: they are listed, each checked;
 *   - a word with a filter of many values (the vendor): the index of words
 *     drives, each match checked;
 * and among them entries that hold both pairs of 改ざん but not the word (a
 * pair is not the word), and one whose text holds a filter's code itself
 * (no text may pass for a filter).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/advisory_search.h"
#include "keikai/clock.h"
#include "unit.h"

#define N 2400
/* 2027-01-04 00:00 UTC; advisory i is published i hours later */
#define T0 1799020800

/* CVSS v3.1 vectors: 7.5 (high), 5.4 (medium) */
#define V_HIGH "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
#define V_MEDIUM "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"
/* The code of severity=high in SQLite's trigram index (kk_search_facet_code) */
#define HIGH_CODE "\xee\x84\x80\xee\x88\x80\xee\x8c\x83"

/* Advisory i (1..N): what its text says, its severity (its CVSS v3 vector,
 * and the score kept beside it) and CWE. */
static int has_word(int i)
{
	return i % 8 == 0 || i % 8 == 2 || i % 8 == 6 || (i % 2 == 1 && i % 3 == 0);
}
static int has_pairs_only(int i)
{
	return i % 8 == 4;
}
static const char *severity_of(int i)
{
	return i % 4 == 0 ? "high" : i % 4 == 1 ? "medium" : NULL;
}
static int cwe79(int i)
{
	return i % 2 == 0;
}
/* the one whose title holds the code of severity=high (it is medium) */
#define CODE_IN_TEXT 9

static char *content_of(int i)
{
	const char *ja = has_word(i) ? "データが改ざんされる" : has_pairs_only(i) ? "改ざの後のざん" : "影響なし";
	const char *sev = severity_of(i);
	char *out = NULL, title[64];
	json_t *c;

	snprintf(title, sizeof(title), "製品の脆弱性%s", i == CODE_IN_TEXT ? HIGH_CODE : "");
	c = json_pack("{s:{s:{s:s, s:s}, s:{s:s, s:s}}}", "texts", "ja", "title", title, "overview", ja, "en", "title",
		      "A flaw", "overview", "See the Japanese text.");

	cr_assert_not_null(c);
	if (sev)
		json_object_set_new(c, "cvss3", json_string(strcmp(sev, "high") == 0 ? V_HIGH : V_MEDIUM));
	if (cwe79(i))
		json_object_set_new(c, "cwes", json_pack("[i]", 79));
	out = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(c);
	return out;
}

/* The advisories, their cases and the one vendor notified of each, as rows. */
static enum kk_result put_all(struct kk_tx *tx, struct kk_error *err)
{
	struct kk_stmt *st;
	int64_t vid = 0;
	enum kk_result res;

	st = kk_stmt_prepare(tx,
			     "INSERT INTO vendors(name_ja, name_en, created_at, updated_at) VALUES('エース', 'Ace', ?, ?)"
			     " RETURNING id",
			     err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, T0);
	kk_stmt_bind_int(st, 2, T0);
	if ((res = kk_stmt_first(st, err)) == KK_OK)
		vid = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	for (int i = 1; !res && i <= N; i++) {
		int64_t at = T0 + (int64_t)i * 3600, cid = 0;
		char ref[32], pid[32], *content = content_of(i);

		snprintf(ref, sizeof(ref), "VU#%07d", i);
		snprintf(pid, sizeof(pid), "JVNVU#%08d", 10000000 + i);
		st = kk_stmt_prepare(tx,
				     "INSERT INTO cases(ref, title, state, summary, detail, created_at, updated_at,"
				     " advisory_id, date_state, publication_at)"
				     " VALUES(?, 'A flaw', 'open', '', '', ?, ?, ?, 'ready', ?) RETURNING id",
				     err);
		if (st) {
			kk_stmt_bind_text(st, 1, ref);
			kk_stmt_bind_int(st, 2, at - 60 * 86400);
			kk_stmt_bind_int(st, 3, at);
			kk_stmt_bind_text(st, 4, pid);
			kk_stmt_bind_int(st, 5, at);
			if ((res = kk_stmt_first(st, err)) == KK_OK)
				cid = kk_stmt_int(st, 0);
			kk_stmt_free(st);
		} else {
			res = kk_error_result(err, KK_EDB);
		}
		if (!res && (st = kk_stmt_prepare(tx,
						  "INSERT INTO case_vendors(case_id, vendor_id, added_at, notified_at)"
						  " VALUES(?, ?, ?, ?)",
						  err))) {
			kk_stmt_bind_int(st, 1, cid);
			kk_stmt_bind_int(st, 2, vid);
			kk_stmt_bind_int(st, 3, at - 50 * 86400);
			kk_stmt_bind_int(st, 4, at - 45 * 86400);
			res = kk_stmt_once(st, err);
		}
		if (!res && (st = kk_stmt_prepare(tx,
						  "INSERT INTO advisories(case_id, state, content, revision,"
						  " public_revision, public_id, kind, cvss3_tenths, created_at,"
						  " saved_at, published_at, updated_at)"
						  " VALUES(?, 'published', ?, 1, 1, ?, 'vu', ?, ?, ?, ?, ?)",
						  err))) {
			kk_stmt_bind_int(st, 1, cid);
			kk_stmt_bind_text(st, 2, content);
			kk_stmt_bind_text(st, 3, pid);
			if (severity_of(i))
				kk_stmt_bind_int(st, 4, strcmp(severity_of(i), "high") == 0 ? 75 : 54);
			else
				kk_stmt_bind_null(st, 4);
			kk_stmt_bind_int(st, 5, at - 60 * 86400);
			kk_stmt_bind_int(st, 6, at - 86400);
			kk_stmt_bind_int(st, 7, at);
			kk_stmt_bind_int(st, 8, at);
			res = kk_stmt_once(st, err);
		}
		free(content);
	}
	return res;
}

static struct kk_store *s;

static void setup(void)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t count = 0;
	struct kk_tx tx;

	s = unit_store(NULL);
	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, put_all(&tx, &err), &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_advisory_search_reindex(s, &count, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(count, N);
	kk_error_release(&err);
}

static void teardown(void)
{
	kk_store_close(s);
}

/* What q finds: total, whether there were more, and the public ID of the
 * first (the newest) match into first. */
static int64_t search(struct kk_advisory_query q, int *more, char *first)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	int64_t total = -1;
	const char *id;

	cr_assert_eq(kk_advisory_search(s, &q, &out, &total, &err), KK_OK, "%s", err.msg);
	*more = json_is_true(json_object_get(out, "more"));
	id = json_string_value(json_object_get(json_array_get(json_object_get(out, "advisories"), 0), "id"));
	snprintf(first, 32, "%s", id ? id : "");
	json_decref(out);
	kk_error_release(&err);
	return total;
}

/* The count and newest of the advisories i (from..to) that want(i) holds. */
static int64_t by_hand(int (*want)(int), int from, int to, char *first)
{
	int64_t n = 0;

	first[0] = '\0';
	for (int i = to; i >= from; i--) {
		if (!want(i))
			continue;
		if (!n)
			snprintf(first, 32, "JVNVU#%08d", 10000000 + i);
		n++;
	}
	return n;
}

static void expect(struct kk_advisory_query q, int (*want)(int), int from, int to)
{
	char got_first[32], want_first[32];
	int more = -1;
	int64_t want_n = by_hand(want, from, to, want_first);
	int64_t got = search(q, &more, got_first);

	cr_assert_eq(got, want_n < KK_ADVISORY_SEARCH_MATCH_MAX ? want_n : KK_ADVISORY_SEARCH_MATCH_MAX,
		     "q=%s severity=%s cwe=%s vendor=%s: %lld found, %lld hold it", q.q, q.severity, q.cwe, q.vendor,
		     (long long)got, (long long)want_n);
	cr_assert_eq(more, want_n > KK_ADVISORY_SEARCH_MATCH_MAX);
	cr_assert_str_eq(got_first, want_first, "q=%s severity=%s cwe=%s", q.q, q.severity, q.cwe);
}

static int word_high(int i)
{
	return has_word(i) && severity_of(i) && strcmp(severity_of(i), "high") == 0;
}
static int word_medium(int i)
{
	return has_word(i) && severity_of(i) && strcmp(severity_of(i), "medium") == 0;
}
static int word_cwe(int i)
{
	return has_word(i) && cwe79(i);
}
static int word_high_cwe(int i)
{
	return word_high(i) && cwe79(i);
}
static int medium_only(int i)
{
	return severity_of(i) && strcmp(severity_of(i), "medium") == 0;
}

#define Q(...) ((struct kk_advisory_query){ __VA_ARGS__ })

/* 600 entries are high and hold both pairs of the word, only half of them
 * the word: the trigram index and the code of "high" answer it; the medium
 * ones holding its pairs are fewer than a probe's worth: listed, each
 * checked; CWE-79's 1,200 entries, and both filters at once, the trigram
 * index again. */
Test(advisory_search_ways, a_word_and_filters_of_few_values, .init = setup, .fini = teardown, .timeout = 300)
{
	expect(Q(.q = "改ざん", .severity = "high"), word_high, 1, N);
	expect(Q(.q = "改ざん", .severity = "medium"), word_medium, 1, N);
	expect(Q(.q = "改ざん", .cwe = "79"), word_cwe, 1, N);
	expect(Q(.q = "改ザン", .cwe = "CWE-79", .severity = "high"), word_high_cwe, 1, N);
	/* a day range (in Japan): advisory i is published at 2027-01-04 00:00
	 * UTC + i hours, 2027-01-14 00:00 JST is i = 231, 2027-02-14 00:00 JST
	 * i = 975 */
	expect(Q(.q = "改ざん", .severity = "high", .from = "2027-01-14", .to = "2027-02-13"), word_high, 231, 974);
}

/* The vendor (a filter of many values, without a code) and the word: the
 * index of words drives, each match checked; more than a search looks at. */
Test(advisory_search_ways, a_word_and_a_filter_of_many_values, .init = setup, .fini = teardown, .timeout = 300)
{
	expect(Q(.q = "改ざん", .vendor = "Ace"), has_word, 1, N);
	expect(Q(.q = "改ざん"), has_word, 1, N);
}

/* No text passes for a filter: the title of one medium advisory holds the
 * very code of "high" (kept out of the index's text, as U+FFFD), yet a
 * query that types it as the title has it finds that advisory alone. */
Test(advisory_search_ways, no_text_passes_for_a_filter, .init = setup, .fini = teardown, .timeout = 300)
{
	char first[32];
	int more;

	expect(Q(.q = "改ざん", .severity = "high"), word_high, 1, N);
	expect(Q(.severity = "medium"), medium_only, 1, N);
	cr_assert_eq(search(Q(.q = "脆弱性" HIGH_CODE), &more, first), 1);
	cr_assert_str_eq(first, "JVNVU#10000009");
}
