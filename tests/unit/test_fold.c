/*
 * test_fold.c: unit tests of lib/formats/fold.c, the search keys of vendor and
 * product names and their similarity (issue 8, capabilities 4 and 5; SPEC 2.5).
 *
 * Most cases are data files in tests/data/fold (found through KK_TEST_DATA, by
 * default "tests/data"): fold.txt and company.txt hold names and their keys side
 * by side, invalid.txt the names refused and why, similarity.txt scores and
 * rankings. What cannot be written on a line (NULL, an over-long name, failing
 * allocations) is tested here.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/fold.h"

/* One data file, read a line at a time. */
struct datafile {
	FILE *f;
	char path[PATH_MAX];
	int lineno;
	char line[8192];
	char *field[6];
	int nfields;
};

static const char *data_dir(void)
{
	const char *d = getenv("KK_TEST_DATA");

	return d && *d ? d : "tests/data";
}

static void df_open(struct datafile *d, const char *name)
{
	snprintf(d->path, sizeof(d->path), "%s/fold/%s", data_dir(), name);
	d->f = fopen(d->path, "r");
	d->lineno = 0;
	cr_assert_not_null(d->f, "cannot open %s (set KK_TEST_DATA)", d->path);
}

/* Writes code point c as UTF-8 at out; returns the byte count. */
static size_t put_utf8(char *out, unsigned long c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Reads the escapes of a field in place: \xHH, \uXXXX, \UXXXXXXXX, \t, \n, \r,
 * \\, and a field that is just "" for the empty string. */
static void unescape(char *s)
{
	char *w = s;
	const char *r = s;

	if (strcmp(s, "\"\"") == 0) {
		s[0] = '\0';
		return;
	}
	while (*r) {
		if (r[0] != '\\' || !r[1]) {
			*w++ = *r++;
			continue;
		}
		switch (r[1]) {
		case 'x': {
			char hex[3] = { r[2], r[3], 0 };

			*w++ = (char)strtoul(hex, NULL, 16);
			r += 4;
			break;
		}
		case 'u':
		case 'U': {
			int digits = r[1] == 'u' ? 4 : 8;
			char hex[9];

			memcpy(hex, r + 2, (size_t)digits);
			hex[digits] = '\0';
			w += put_utf8(w, strtoul(hex, NULL, 16));
			r += 2 + digits;
			break;
		}
		case 't': *w++ = '\t'; r += 2; break;
		case 'n': *w++ = '\n'; r += 2; break;
		case 'r': *w++ = '\r'; r += 2; break;
		default: *w++ = r[1]; r += 2; break;
		}
	}
	*w = '\0';
}

/* The next line that is neither blank nor a comment, split at tabs, its fields
 * unescaped. 0 at the end of the file. */
static int df_next(struct datafile *d)
{
	while (fgets(d->line, sizeof(d->line), d->f)) {
		char *p = d->line;
		int i;

		d->lineno++;
		d->line[strcspn(d->line, "\r\n")] = '\0';
		if (d->line[0] == '\0' || d->line[0] == '#')
			continue;
		d->nfields = 0;
		while (d->nfields < 6) {
			d->field[d->nfields++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		for (i = 0; i < d->nfields; i++)
			unescape(d->field[i]);
		return 1;
	}
	fclose(d->f);
	d->f = NULL;
	return 0;
}

typedef enum kk_result (*fold_fn)(const char *, char **, struct kk_error *);

/* Each line of file: INPUT <TAB> KEY; the key of KEY is KEY itself. */
static void check_keys(const char *file, fold_fn fn)
{
	struct datafile d;
	int cases = 0;

	df_open(&d, file);
	while (df_next(&d)) {
		struct kk_error err = KK_ERROR_INIT;
		char *key = NULL, *again = NULL;

		cr_assert_eq(d.nfields, 2, "%s:%d: expected INPUT <TAB> KEY", d.path, d.lineno);
		cr_assert_eq(fn(d.field[0], &key, &err), KK_OK, "%s:%d: %s", d.path, d.lineno, err.msg);
		cr_expect_str_eq(key, d.field[1], "%s:%d: '%s' gave '%s'", d.path, d.lineno,
				 d.field[0], key);
		cr_assert_eq(fn(key, &again, &err), KK_OK, "%s:%d: %s", d.path, d.lineno, err.msg);
		cr_expect_str_eq(again, key, "%s:%d: the key of the key '%s' is '%s'", d.path,
				 d.lineno, key, again);
		free(key);
		free(again);
		kk_error_release(&err);
		cases++;
	}
	cr_assert_gt(cases, 10, "%s holds too few cases", d.path);
}

/* Issue 8 capability 4: NFKC-style folding, case, widths, kana, spaces. */
Test(fold, data_keys)
{
	check_keys("fold.txt", kk_fold);
}

/* Issue 8 capability 5: legal forms and punctuation dropped for ranking. */
Test(fold, data_company_keys)
{
	check_keys("company.txt", kk_fold_company);
}

/* kk_fold_company_key(kk_fold(s)) is kk_fold_company(s) for every name of the
 * company keys' data file; a NULL key is refused. */
Test(fold, company_key_of_search_key)
{
	struct datafile d;
	int cases = 0;
	struct kk_error err = KK_ERROR_INIT;
	char *key = (char *)"untouched";

	df_open(&d, "company.txt");
	while (df_next(&d)) {
		char *search = NULL, *ranking = NULL;

		cr_assert_eq(kk_fold(d.field[0], &search, &err), KK_OK, "%s:%d: %s", d.path, d.lineno, err.msg);
		cr_assert_eq(kk_fold_company_key(search, &ranking, &err), KK_OK, "%s:%d: %s", d.path, d.lineno,
			     err.msg);
		cr_expect_str_eq(ranking, d.field[1], "%s:%d: the key '%s' gave '%s'", d.path, d.lineno, search,
				 ranking);
		free(search);
		free(ranking);
		cases++;
	}
	cr_assert_gt(cases, 10, "%s holds too few cases", d.path);
	cr_expect_eq(kk_fold_company_key(NULL, &key, &err), KK_EINVAL);
	cr_expect_null(key);
	cr_expect_str_eq(err.msg, "no name given to fold");
	kk_error_release(&err);
}

static enum kk_result result_named(const char *name)
{
	if (strcmp(name, "EINVAL") == 0)
		return KK_EINVAL;
	if (strcmp(name, "ETOOBIG") == 0)
		return KK_ETOOBIG;
	cr_assert_fail("unknown result '%s' in a data file", name);
	return KK_OK;
}

static void check_refused(const char *input, enum kk_result want, const char *msg, fold_fn fn,
			  const char *where)
{
	struct kk_error err = KK_ERROR_INIT;
	char *key = (char *)"untouched";

	cr_expect_eq(fn(input, &key, &err), want, "%s: wrong result", where);
	cr_expect_eq(err.code, want, "%s", where);
	cr_expect_null(key, "%s: a key came out of a refused name", where);
	if (msg)
		cr_expect_str_eq(err.msg, msg, "%s", where);
	kk_error_release(&err);
}

/* Invalid UTF-8 is an error with the byte offset, never a crash or a guess. */
Test(fold, data_invalid)
{
	struct datafile d;
	char where[PATH_MAX + 32];
	int cases = 0;

	df_open(&d, "invalid.txt");
	while (df_next(&d)) {
		cr_assert_eq(d.nfields, 3, "%s:%d: expected INPUT <TAB> RESULT <TAB> MESSAGE",
			     d.path, d.lineno);
		snprintf(where, sizeof(where), "%s:%d", d.path, d.lineno);
		check_refused(d.field[0], result_named(d.field[1]), d.field[2], kk_fold, where);
		check_refused(d.field[0], result_named(d.field[1]), d.field[2], kk_fold_company, where);
		cases++;
	}
	cr_assert_gt(cases, 5);
}

Test(fold, null_and_length)
{
	char *big = kk_malloc(KK_FOLD_MAX + 2), *key = NULL;
	struct kk_error err = KK_ERROR_INIT;

	check_refused(NULL, KK_EINVAL, "no name given to fold", kk_fold, "NULL");
	check_refused(NULL, KK_EINVAL, "no name given to fold", kk_fold_company, "NULL");

	cr_assert_not_null(big);
	memset(big, 'A', KK_FOLD_MAX);
	big[KK_FOLD_MAX] = '\0';
	cr_assert_eq(kk_fold(big, &key, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(strlen(key), KK_FOLD_MAX);
	cr_expect_eq(key[0], 'a');
	free(key);
	big[KK_FOLD_MAX] = 'A';
	big[KK_FOLD_MAX + 1] = '\0';
	check_refused(big, KK_ETOOBIG, "name is longer than 4096 bytes", kk_fold, "long");
	check_refused(big, KK_ETOOBIG, "name is longer than 4096 bytes", kk_fold_company, "long");
	free(big);
	kk_error_release(&err);
}

/* A name that expands past the stack buffer: 4096 bytes of ㌔ (3 bytes each,
 * "キロ" after NFKC, 6 bytes) make libunistring allocate for itself. */
Test(fold, expanding_name)
{
	char in[KK_FOLD_MAX + 1], *key = NULL;
	struct kk_error err = KK_ERROR_INIT;
	size_t i, n = 0;

	for (i = 0; i + 3 <= KK_FOLD_MAX; i += 3)
		n += put_utf8(in + n, 0x3314);
	in[n] = '\0';
	cr_assert_eq(kk_fold(in, &key, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(strlen(key), n * 2);
	cr_expect_eq(strncmp(key, "キロキロ", strlen("キロキロ")), 0);
	free(key);
}

/* Issue 8 capability 4: a partial search on keys finds the name whatever its form. */
Test(fold, partial_search_on_keys)
{
	static const char *const pairs[][2] = {
		{ "ＡＢＣ", "ABC Systems" },
		{ "ｻﾝﾌﾟﾙ", "株式会社サンプルシステムズ" },
		{ "さんぷる", "サンプル" },
		{ "ｼｽﾃﾑｽﾞ", "サンプル　システムズ" },
		{ "trend micro", "ＴＲＥＮＤ　ＭＩＣＲＯ" },
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct kk_error err = KK_ERROR_INIT;
		char *q = NULL, *name = NULL;

		cr_assert_eq(kk_fold(pairs[i][0], &q, &err), KK_OK);
		cr_assert_eq(kk_fold(pairs[i][1], &name, &err), KK_OK);
		cr_expect_not_null(strstr(name, q), "'%s' (%s) not found in '%s' (%s)", pairs[i][0], q,
				   pairs[i][1], name);
		free(q);
		free(name);
	}
}

/* Every allocation failing in turn: a clean KK_ENOMEM and no key, never a crash
 * or a partial key (docs/internals/errors.md). */
static void sweep(fold_fn fn, const char *name, const char *want)
{
	long n;

	for (n = 1;; n++) {
		struct kk_error err = KK_ERROR_INIT;
		char *key = NULL;
		enum kk_result rc;
		int injected;

		kk_alloc_fail_at(n);
		rc = fn(name, &key, &err);
		injected = kk_alloc_injected();
		kk_alloc_fail_at(0);
		if (!injected) {
			cr_assert_eq(rc, KK_OK, "%s", err.msg);
			cr_expect_str_eq(key, want);
			free(key);
			break;
		}
		cr_expect_eq(rc, KK_ENOMEM, "allocation %ld: result %d", n, rc);
		cr_expect_eq(err.code, KK_ENOMEM);
		cr_expect_str_eq(err.msg, "out of memory while folding a name");
		cr_expect_null(key, "allocation %ld: a key came out", n);
		kk_error_release(&err);
		cr_assert_lt(n, 100, "the sweep does not end");
	}
	cr_expect_gt(n, 1, "no allocation was made");
}

Test(fold, allocation_failures)
{
	sweep(kk_fold, "ｻﾝﾌﾟﾙ株式会社　ＡＢＣ", "サンプル株式会社 abc");
	sweep(kk_fold_company, "ｻﾝﾌﾟﾙ株式会社　ＡＢＣ Co., Ltd.", "サンプル abc");
	sweep(kk_fold_company_key, "サンプル株式会社 abc co., ltd.", "サンプル abc");
}

/* ---- kk_name_similarity ---- */

static int score_of(const char *a, const char *b, const char *where)
{
	struct kk_error err = KK_ERROR_INIT;
	char *ka = NULL, *kb = NULL;
	int s, t;

	cr_assert_eq(kk_fold_company(a, &ka, &err), KK_OK, "%s: %s", where, err.msg);
	cr_assert_eq(kk_fold_company(b, &kb, &err), KK_OK, "%s: %s", where, err.msg);
	s = kk_name_similarity(ka, kb);
	t = kk_name_similarity(kb, ka);
	cr_expect_eq(s, t, "%s: not symmetric: %d and %d", where, s, t);
	cr_expect(s >= 0 && s <= 1000, "%s: %d out of range", where, s);
	free(ka);
	free(kb);
	return s;
}

/* Issue 8 capability 5: name similarity, Japanese included. */
Test(similarity, data)
{
	struct datafile d;
	char where[PATH_MAX + 32];
	int cases = 0;

	df_open(&d, "similarity.txt");
	while (df_next(&d)) {
		snprintf(where, sizeof(where), "%s:%d", d.path, d.lineno);
		cr_assert_eq(d.nfields, 4, "%s: expected four fields", where);
		if (strcmp(d.field[0], "score") == 0) {
			int s = score_of(d.field[1], d.field[2], where);
			char *dash = strchr(d.field[3], '-');
			int lo = atoi(d.field[3]), hi = dash ? atoi(dash + 1) : lo;

			cr_expect(s >= lo && s <= hi, "%s: '%s' and '%s' score %d, not %s", where,
				  d.field[1], d.field[2], s, d.field[3]);
		} else if (strcmp(d.field[0], "order") == 0) {
			int s1 = score_of(d.field[1], d.field[2], where);
			int s2 = score_of(d.field[1], d.field[3], where);

			cr_expect_gt(s1, s2, "%s: '%s' scores %d against '%s' and %d against '%s'",
				     where, d.field[1], s1, d.field[2], s2, d.field[3]);
		} else {
			cr_assert_fail("%s: unknown kind '%s'", where, d.field[0]);
		}
		cases++;
	}
	cr_assert_gt(cases, 20);
}

Test(similarity, null_and_bad_bytes)
{
	cr_expect_eq(kk_name_similarity(NULL, "abc"), 0);
	cr_expect_eq(kk_name_similarity("abc", NULL), 0);
	cr_expect_eq(kk_name_similarity(NULL, NULL), 0);
	/* not keys, but no crash: an invalid sequence counts as U+FFFD */
	cr_expect_eq(kk_name_similarity("\xff\xfe", "\xff\xfe"), 1000);
	cr_expect_eq(kk_name_similarity("ab\xff", "ab\xfe"), 990);
	cr_expect_eq(kk_name_similarity("\xe3\x82", "abc"), 0);
}

/* Only the first KK_SIMILARITY_MAX_CHARS code points after spaces count. */
Test(similarity, long_keys)
{
	char a[KK_SIMILARITY_MAX_CHARS + 50], b[KK_SIMILARITY_MAX_CHARS + 50];

	memset(a, 'a', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	b[sizeof(b) - 2] = 'b';
	cr_expect_eq(kk_name_similarity(a, a), 1000);
	cr_expect_eq(kk_name_similarity(a, b), 990);
	b[KK_SIMILARITY_MAX_CHARS - 1] = 'b';
	cr_expect_lt(kk_name_similarity(a, b), 990);
}

/* ---- the MyJVN dictionary ---- */

static const char *shared_dir(void)
{
	const char *d = getenv("KK_SHARED_DATA");

	return d && *d ? d : "../shared/data";
}

/* name folds with fn to a stable key, non-empty when check_empty and the name
 * has a letter (anything but spaces). Returns 1 when all holds. */
static int real_name_ok(fold_fn fn, const char *name, long line, int check_empty)
{
	struct kk_error err = KK_ERROR_INIT;
	char *key = NULL, *again = NULL;
	int ok = 1;

	if (fn(name, &key, &err) != KK_OK) {
		cr_log_error("line %ld: '%s' refused: %s", line, name, err.msg);
		kk_error_release(&err);
		return 0;
	}
	if (fn(key, &again, &err) != KK_OK || strcmp(again, key) != 0) {
		cr_log_error("line %ld: '%s' -> '%s' -> '%s'", line, name, key, again ? again : "(refused)");
		ok = 0;
	}
	if (check_empty && !key[0] && name[strspn(name, " \t")]) {
		cr_log_error("line %ld: '%s' has an empty key", line, name);
		ok = 0;
	}
	free(key);
	free(again);
	kk_error_release(&err);
	return ok;
}

/* kk_fold_company_key of name's search key is its ranking key. */
static int company_key_ok(const char *name, long line)
{
	struct kk_error err = KK_ERROR_INIT;
	char *key = NULL, *direct = NULL, *via = NULL;
	int ok = kk_fold(name, &key, &err) == KK_OK && kk_fold_company(name, &direct, &err) == KK_OK &&
		 kk_fold_company_key(key, &via, &err) == KK_OK && strcmp(direct, via) == 0;

	if (!ok)
		cr_log_error("line %ld: '%s': kk_fold_company '%s', of the key '%s'", line, name,
			     direct ? direct : "(refused)", via ? via : "(refused)");
	free(key);
	free(direct);
	free(via);
	kk_error_release(&err);
	return ok;
}

/* Issue 8 capability 3 and 4: every name of the real dictionary folds. */
Test(fold, myjvn_dictionary, .timeout = 240)
{
	static const char *const fields[] = { "vname", "pname" };
	char path[PATH_MAX], cmd[PATH_MAX + 32], line[16384];
	FILE *f;
	long n = 0, names = 0, bad = 0;

	snprintf(path, sizeof(path), "%s/jvn/myjvn-products.jsonl.gz", shared_dir());
	f = fopen(path, "r");
	if (!f)
		cr_skip_test("MyJVN dictionary not found at %s (set KK_SHARED_DATA)", path);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", path);
	f = popen(cmd, "r");
	cr_assert_not_null(f, "cannot run %s", cmd);
	while (fgets(line, sizeof(line), f)) {
		json_t *j = json_loads(line, 0, NULL);
		size_t i;

		n++;
		cr_assert_not_null(j, "%s: line %ld is not JSON", path, n);
		for (i = 0; i < 2; i++) {
			const char *name = json_string_value(json_object_get(j, fields[i]));

			if (!name)
				continue;
			names++;
			bad += !real_name_ok(kk_fold, name, n, 1);
			bad += !real_name_ok(kk_fold_company, name, n, 1);
			bad += !company_key_ok(name, n);
		}
		json_decref(j);
	}
	cr_assert_eq(pclose(f), 0, "%s did not end well", cmd);
	cr_expect_eq(bad, 0, "%ld of %ld names failed (see the log)", bad, names);
	cr_expect_gt(n, 70000, "%s has only %ld lines", path, n);
}

/* ---- any input ---- */

/* Seeded random names, built from pieces that exercise the rules (full-width,
 * half-width kana, marks, spaces, legal forms, invisible characters) and stray
 * bytes: each one folds or is refused as invalid UTF-8, never anything else; a
 * key is stable and scores 1000 against itself. Deterministic. */
Test(fold, random_names)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "　", ".", ",", "-", "株式会社", "(株)", "㈱", "ｶ", "ﾞ", "ﾟ", "゛",
		"か", "カ", "ー", "Ｅ", "ß", "İ", "\u200b", "\ufe0f", "\U000e0100", "\t", "co",
		"ltd", "k", "ﷺ", "㌔", "\xff", "\xe3\x82", "\xc0\xaf", "\xed\xa0\x80", "inc",
	};
	unsigned long x = 20240501;
	int i, valid = 0;

	for (i = 0; i < 20000; i++) {
		char name[256];
		size_t n = 0;
		int k, len;
		struct kk_error err = KK_ERROR_INIT;
		char *key = NULL, *again = NULL, *company = NULL;
		enum kk_result rc;

		x = x * 6364136223846793005UL + 1442695040888963407UL;
		len = (int)(x >> 60);
		for (k = 0; k < len; k++) {
			const char *p;

			x = x * 6364136223846793005UL + 1442695040888963407UL;
			p = pieces[(x >> 33) % (sizeof(pieces) / sizeof(pieces[0]))];
			memcpy(name + n, p, strlen(p));
			n += strlen(p);
		}
		name[n] = '\0';

		rc = kk_fold(name, &key, &err);
		cr_assert(rc == KK_OK || rc == KK_EINVAL, "case %d: result %d", i, rc);
		cr_assert_eq(kk_fold_company(name, &company, &err), rc, "case %d", i);
		if (rc == KK_OK) {
			valid++;
			cr_assert_eq(kk_fold(key, &again, &err), KK_OK);
			cr_assert_str_eq(again, key, "case %d: '%s' -> '%s' -> '%s'", i, name, key, again);
			free(again);
			cr_assert_eq(kk_fold_company(company, &again, &err), KK_OK);
			cr_assert_str_eq(again, company, "case %d: '%s' -> '%s' -> '%s'", i, name, company, again);
			cr_assert_eq(kk_name_similarity(company, company), company[0] ? 1000 : 0);
			cr_assert_eq(kk_name_similarity(key, company), kk_name_similarity(company, key));
			free(again);
		} else {
			cr_assert_null(key);
			cr_assert_null(company);
		}
		free(key);
		free(company);
		kk_error_release(&err);
	}
	cr_expect_gt(valid, 1000, "too few valid names: %d", valid);
}
