/*
 * test_cwe.c: unit tests of lib/formats/cwe.c and lib/formats/cwe_import.c (the CWE catalogue).
 *
 * The samples in tests/data/cwe (KK_TEST_DATA) are written for these tests in
 * the shape of MITRE's XML and JPCERT/CC's Japanese JSON; the bad-*.{xml,json}
 * files there each carry one fault, at the line the test expects. The real
 * catalogue is checked when present and skipped with a message when not: MITRE's
 * XML from the npm package cwe-sdk (node_modules under KK_SOURCE_ROOT, or
 * KK_CWE_XML), and JPCERT/CC's names and a CWE 4.x listing under
 * ../shared/data/cwe (KK_SHARED_DATA).
 *
 * Every store is a fresh one from unit.h, so the tests run on the engine under
 * test (KK_TEST_ENGINE: SQLite, or PostgreSQL in the cluster KEIKAI_TEST_PG);
 * they read the tables through the store interface (store.h) in SQL both
 * engines share.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "unit.h"

#define XSS_NAME "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"

static void data_path(char *out, const char *name)
{
	snprintf(out, PATH_MAX, "%s/cwe/%s", unit_data_dir(), name);
}

/* A fresh store on the engine under test with the sample catalogue and, when ja
 * is set, its Japanese names. */
static struct kk_store *sample_store(int ja)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_counts counts;
	char xml[PATH_MAX], json[PATH_MAX];

	data_path(xml, "sample.xml");
	data_path(json, "sample-ja.json");
	cr_assert_eq(kk_cwe_import(s, xml, ja ? json : NULL, &counts, &err), KK_OK, "%s", err.msg);
	return s;
}

/* Appends the rows of sql to b, a line each, columns separated by '|' and SQL
 * NULL written '-'. */
static void add_rows(struct kk_buf *b, struct kk_tx *tx, const char *sql)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_stmt *st = kk_stmt_prepare(tx, sql, &err);
	enum kk_step step;
	int rows = 0;

	cr_assert_not_null(st, "%s: %s", sql, err.msg);
	while ((step = kk_stmt_step(st, &err)) == KK_STEP_ROW) {
		for (int i = 0; i < kk_stmt_columns(st); i++) {
			const char *t = kk_stmt_text(st, i);

			cr_assert_eq(kk_buf_addf(b, "%s%s", i ? "|" : rows ? "\n" : "", t ? t : "-"), KK_OK);
		}
		rows++;
	}
	cr_assert_eq(step, KK_STEP_DONE, "%s: %s", sql, err.msg);
	kk_stmt_free(st);
}

/* Every row of both tables as text, to show that a failed import changed nothing:
 * the entries by id, a line each, then the releases by source. Returns a string
 * the caller frees. */
static char *snapshot(struct kk_store *s)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b;
	struct kk_tx tx;
	char *text;

	kk_buf_init(&b, 64 * 1024 * 1024);
	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
	add_rows(&b, &tx, "SELECT id, kind, name_en, name_ja, abstraction, status, description FROM cwe ORDER BY id");
	cr_assert_eq(kk_buf_adds(&b, "\n"), KK_OK);
	add_rows(&b, &tx, "SELECT source, version, released, imported_at FROM cwe_catalog ORDER BY source");
	kk_tx_end(&tx, KK_OK, NULL);
	text = kk_buf_detach(&b);
	cr_assert_not_null(text);
	return text;
}

static int count_rows(struct kk_store *s)
{
	return (int)unit_count(s, "SELECT count(*) FROM cwe", NULL);
}

/* Ids. */

Test(cwe_id, reads_the_written_forms)
{
	const struct {
		const char *in;
		int id;
	} cases[] = {
		{ "CWE-79", 79 }, { "cwe-79", 79 }, { "Cwe-89", 89 }, { "79", 79 },
		{ "CWE-1003", 1003 }, { "1", 1 }, { "9999999", 9999999 },
	};
	char buf[KK_CWE_ID_LEN];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kk_error err = KK_ERROR_INIT;
		int id = -1;

		cr_expect_eq(kk_cwe_parse_id(cases[i].in, &id, &err), KK_OK, "%s: %s", cases[i].in, err.msg);
		cr_expect_eq(id, cases[i].id, "%s", cases[i].in);
	}
	cr_expect_str_eq(kk_cwe_format_id(79, buf), "CWE-79");
	cr_expect_str_eq(kk_cwe_format_id(9999999, buf), "CWE-9999999");
}

Test(cwe_id, refuses_with_exact_messages)
{
	const struct {
		const char *in, *msg;
	} cases[] = {
		{ NULL, "A CWE id is required, e.g. CWE-79." },
		{ "", "A CWE id is required, e.g. CWE-79." },
		{ "CWE-", "CWE id \"CWE-\": a number must follow \"CWE-\"." },
		{ "cwe-", "CWE id \"cwe-\": a number must follow \"CWE-\"." },
		{ "CWE-79x", "CWE id \"CWE-79x\": unexpected 'x' at position 7; write CWE-79 or 79." },
		{ "CWE 79", "CWE id \"CWE 79\": unexpected 'C' at position 1; write CWE-79 or 79." },
		{ " 79", "CWE id \" 79\": unexpected character at position 1; write CWE-79 or 79." },
		{ "79\n", "CWE id \"79?\": unexpected character at position 3; write CWE-79 or 79." },
		/* the input is shown as whole, valid text: not UTF-8 or control is '?', at
		 * most 40 bytes, cut between characters (issue 7) */
		{ "\xff", "CWE id \"?\": unexpected character at position 1; write CWE-79 or 79." },
		{ "CWE-7\xe8\x84", "CWE id \"CWE-7??\": unexpected character at position 6; write CWE-79 or 79." },
		{ "脆脆脆脆脆脆脆脆脆脆脆脆脆脆脆脆脆脆脆脆",
		  "CWE id \"脆脆脆脆脆脆脆脆脆脆脆脆脆\": unexpected character at position 1; write CWE-79 or 79." },
		{ "-79", "CWE id \"-79\": unexpected '-' at position 1; write CWE-79 or 79." },
		{ "CWE--79", "CWE id \"CWE--79\": unexpected '-' at position 5; write CWE-79 or 79." },
		{ "CWE-079", "CWE id \"CWE-079\": no leading zeros, please." },
		{ "0", "CWE id \"0\": there is no CWE-0." },
		{ "CWE-000", "CWE id \"CWE-000\": there is no CWE-0." },
		{ "12345678", "CWE id \"12345678\": more than 7 digits." },
		{ "NVD-CWE-Other", "NVD-CWE-Other is a placeholder of NVD's, not a CWE id." },
		{ "NVD-CWE-noinfo", "NVD-CWE-noinfo is a placeholder of NVD's, not a CWE id." },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kk_error err = KK_ERROR_INIT;
		int id = -1;

		kk_i18n_use(KK_LANG_EN);
		cr_expect_eq(kk_cwe_parse_id(cases[i].in, &id, &err), KK_EINVAL, "%s", cases[i].in);
		cr_expect_str_eq(err.msg, cases[i].msg);
		cr_expect_eq(id, -1, "no id on failure");
	}
}

Test(cwe_kind, names_round_trip)
{
	enum kk_cwe_kind k;

	for (int i = KK_CWE_WEAKNESS; i <= KK_CWE_VIEW; i++) {
		cr_assert_eq(kk_cwe_kind_parse(kk_cwe_kind_name((enum kk_cwe_kind)i), &k), 0);
		cr_assert_eq((int)k, i);
	}
	cr_assert_eq(kk_cwe_kind_parse("Weakness", &k), -1);
	cr_assert_eq(kk_cwe_kind_parse(NULL, &k), -1);
}

/* The sample catalogue. */

Test(cwe_import, reads_every_kind_of_entry)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_counts counts;
	struct kk_cwe c;
	char xml[PATH_MAX];

	data_path(xml, "sample.xml");
	cr_assert_eq(kk_cwe_import_xml(s, xml, &counts, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(counts.weaknesses, 9);
	cr_expect_eq(counts.categories, 2);
	cr_expect_eq(counts.views, 2);
	cr_expect_eq(count_rows(s), 13, "the external reference is not an entry");

	cr_assert_eq(kk_cwe_get(s, 79, &c, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(c.id, 79);
	cr_expect_eq(c.kind, KK_CWE_WEAKNESS);
	cr_expect_str_eq(c.name_en, XSS_NAME);
	cr_expect_null(c.name_ja);
	cr_expect_str_eq(c.abstraction, "Base");
	cr_expect_str_eq(c.status, "Stable");
	cr_expect_str_eq(c.description, "The product places input a user controls into a web page served to other "
					 "users without neutralizing it.",
			 "white space collapsed");
	kk_cwe_release(&c);

	cr_assert_eq(kk_cwe_get(s, 89, &c, &err), KK_OK);
	cr_expect_str_eq(c.description, "The product builds an SQL command from input & does not neutralize "
					 "elements that change its meaning.");
	kk_cwe_release(&c);
	cr_assert_eq(kk_cwe_get(s, 367, &c, &err), KK_OK);
	cr_expect_str_eq(c.description, "The product checks a resource's state and uses it later; the state can "
					 "change in between.",
			 "CDATA is text");
	kk_cwe_release(&c);
	cr_assert_eq(kk_cwe_get(s, 20, &c, &err), KK_OK);
	cr_expect_eq(strstr(c.description, "Ignored"), NULL, "only the Description is kept");
	kk_cwe_release(&c);

	cr_assert_eq(kk_cwe_get(s, 1, &c, &err), KK_OK, "an empty element is an entry too");
	cr_expect_eq(c.kind, KK_CWE_CATEGORY);
	cr_expect_str_eq(c.name_en, "DEPRECATED: Location");
	cr_expect_str_eq(c.status, "Deprecated");
	cr_expect_null(c.abstraction);
	cr_expect_null(c.description);
	kk_cwe_release(&c);
	cr_assert_eq(kk_cwe_get(s, 2, &c, &err), KK_OK);
	cr_expect_str_eq(c.description, "Weaknesses that come from the environment a product runs in.",
			 "a category's Summary");
	kk_cwe_release(&c);
	cr_assert_eq(kk_cwe_get(s, 1003, &c, &err), KK_OK);
	cr_expect_eq(c.kind, KK_CWE_VIEW);
	cr_expect_str_eq(c.description, "The weaknesses used to map published vulnerabilities.", "a view's Objective");
	kk_cwe_release(&c);
	kk_store_close(s);
}

Test(cwe_import, records_the_release)
{
	struct kk_store *s = sample_store(1);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_catalog cat;

	cr_assert_eq(kk_cwe_catalog_get(s, &cat, &err), KK_OK, "%s", err.msg);
	cr_expect_str_eq(cat.version, "4.15");
	cr_expect_str_eq(cat.released, "2024-07-16");
	cr_expect_str_eq(cat.ja_version, "4.9");
	cr_expect_gt(cat.imported_at, 0);
	cr_expect_gt(cat.ja_imported_at, 0);
	cr_expect_eq(cat.weaknesses, 9);
	cr_expect_eq(cat.categories, 2);
	cr_expect_eq(cat.views, 2);
	cr_expect_eq(cat.named_ja, 7);
	kk_cwe_catalog_release(&cat);
	kk_cwe_catalog_release(NULL);
	kk_store_close(s);
}

Test(cwe_import, empty_database_has_an_empty_catalogue)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_catalog cat;
	struct kk_cwe c;

	cr_assert_eq(kk_cwe_catalog_get(s, &cat, &err), KK_OK);
	cr_expect_null(cat.version);
	cr_expect_eq(cat.weaknesses + cat.categories + cat.views, 0);
	kk_cwe_catalog_release(&cat);
	cr_expect_eq(kk_cwe_get(s, 79, &c, &err), KK_ENOTFOUND);
	cr_expect_str_eq(err.msg, "CWE-79 is not in the CWE catalogue.");
	kk_store_close(s);
}

/* JPCERT/CC's titles carry search patterns; names keep the first choice. */
Test(cwe_import, japanese_names)
{
	const struct {
		int id;
		const char *name;
	} cases[] = {
		{ 20, "入力値の検証不備" },                /* the first title */
		{ 1004, "HttpOnly 属性のない機微な Cookie" }, /* nested under "children" */
		{ 79, "クロスサイトスクリプティング" },
		{ 346, "送信元の検証をしていない" },       /* "a | b" */
		{ 401, "使用後のメモリの解放漏れ" },       /* " (a|b）…", mixed brackets */
		{ 863, "不適切な認可処理" },               /* "（a｜b）…(c|d)" */
		{ 367, "チェックと使用の時間差 (TOCTOU) による競合状態" }, /* no choice: kept */
	};
	struct kk_store *s = sample_store(0);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_counts counts;
	struct kk_cwe c;
	char json[PATH_MAX];

	data_path(json, "sample-ja.json");
	cr_assert_eq(kk_cwe_import_ja(s, json, &counts, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(counts.named_ja, 7);
	cr_expect_eq(counts.unknown_ja, 1, "CWE-99999 is not in the catalogue");
	cr_expect_eq(counts.weaknesses + counts.categories + counts.views, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(kk_cwe_get(s, cases[i].id, &c, &err), KK_OK);
		cr_expect_str_eq(c.name_ja ? c.name_ja : "(null)", cases[i].name, "CWE-%d", cases[i].id);
		kk_cwe_release(&c);
	}
	cr_assert_eq(kk_cwe_get(s, 71, &c, &err), KK_OK);
	cr_expect_null(c.name_ja, "only empty titles: no name");
	kk_cwe_release(&c);
	cr_assert_eq(kk_cwe_get(s, 99999, &c, &err), KK_ENOTFOUND, "unknown ids are not added");
	kk_store_close(s);
}

Test(cwe_import, japanese_names_need_the_catalogue)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	char json[PATH_MAX];

	data_path(json, "sample-ja.json");
	cr_assert_eq(kk_cwe_import_ja(s, json, NULL, &err), KK_ECONFLICT);
	cr_expect_str_eq(err.msg, "The CWE catalogue is empty; import MITRE's CWE XML first.");
	kk_store_close(s);
}

Test(cwe_import, importing_again_keeps_japanese_names)
{
	struct kk_store *s = sample_store(1);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_counts counts;
	char xml[PATH_MAX], *before, *after;

	before = snapshot(s);
	data_path(xml, "sample.xml");
	cr_assert_eq(kk_cwe_import_xml(s, xml, &counts, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(counts.weaknesses, 9);
	after = snapshot(s);
	/* equal but for the import time of the MITRE release, on the last lines */
	cr_expect_eq(strncmp(before, after, (size_t)(strstr(before, "\nja|") - before)), 0, "%s\n---\n%s", before,
		     after);
	cr_expect(strstr(after, "クロスサイトスクリプティング") != NULL);
	free(before);
	free(after);
	kk_store_close(s);
}

Test(cwe_import, file_that_is_not_there)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(kk_cwe_import_xml(s, "/nonexistent/cwec.xml", NULL, &err), KK_EIO);
	cr_expect_str_eq(err.msg, "Cannot open /nonexistent/cwec.xml: No such file or directory");
	cr_assert_eq(kk_cwe_import(s, NULL, NULL, NULL, &err), KK_EINVAL);
	kk_store_close(s);
}

/* A bad file gives an error naming the file and line, and changes nothing. */
struct bad_case {
	const char *file;
	enum kk_result code;
	const char *where; /* what follows the file name: ":12: " or ": "; NULL: msg alone */
	const char *msg;   /* the start of the message after it */
};

static void expect_refused(struct kk_store *s, const struct bad_case *b, int xml)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_counts counts;
	char path[PATH_MAX], want[PATH_MAX + 200], *before, *after;

	if (b->file[0] == '/')
		snprintf(path, sizeof(path), "%s", b->file);
	else
		data_path(path, b->file);
	before = snapshot(s);
	cr_expect_eq(xml ? kk_cwe_import_xml(s, path, &counts, &err) : kk_cwe_import_ja(s, path, &counts, &err),
		     b->code, "%s: %s", b->file, err.msg);
	if (b->where)
		snprintf(want, sizeof(want), "%s%s%s", path, b->where, b->msg);
	else
		snprintf(want, sizeof(want), "%s", b->msg);
	cr_expect_eq(strncmp(err.msg, want, strlen(want)), 0, "%s:\n got  %s\n want %s...", b->file, err.msg, want);
	cr_expect_eq(counts.weaknesses + counts.named_ja, 0, "%s: no counts after a failure", b->file);
	after = snapshot(s);
	cr_expect_str_eq(after, before, "%s changed the catalogue", b->file);
	free(before);
	free(after);
	kk_error_release(&err);
}

Test(cwe_import, malformed_xml_changes_nothing)
{
	char dir[PATH_MAX], truncated[PATH_MAX], sample[PATH_MAX], cut_where[32];
	struct kk_store *s = sample_store(1);
	FILE *in, *out;
	char buf[2600];
	size_t n;
	const struct bad_case cases[] = {
		{ "bad-tag.xml", KK_EINVAL, ":12: ",
		  "malformed XML: Opening and ending tag mismatch: Weakness line 10 and Weaknes" },
		{ "bad-id.xml", KK_EINVAL, ":9: ", "Weakness ID \"79x\" is not a CWE number." },
		{ "bad-name.xml", KK_EINVAL, ":9: ", "Category 3 has no Name." },
		{ "bad-duplicate.xml", KK_EINVAL, ":7: ", "ID 5000 appears a second time." },
		{ "bad-root.xml", KK_EINVAL, ":3: ",
		  "not a CWE catalogue: the root element is Attack_Pattern_Catalog, not Weakness_Catalog." },
		{ "bad-doctype.xml", KK_EINVAL, ": ",
		  "a document type declaration (<!DOCTYPE ...>) is not accepted in a CWE catalogue." },
		{ "empty.xml", KK_EINVAL, " ", "holds no CWE weakness, category or view." },
		{ "sample-ja.json", KK_EINVAL, ":1: ", "not an XML document: Document is empty" },
		{ truncated, KK_EINVAL, cut_where, "malformed XML: " },
	};
	int lines = 1;

	/* the sample cut in the middle of its entries */
	data_path(sample, "sample.xml");
	unit_tmpdir(dir);
	snprintf(truncated, sizeof(truncated), "%s/cut.xml", dir);
	in = fopen(sample, "rb");
	out = fopen(truncated, "wb");
	cr_assert(in && out);
	n = fread(buf, 1, sizeof(buf), in);
	cr_assert_eq(n, sizeof(buf), "the sample is longer than the cut");
	for (size_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	snprintf(cut_where, sizeof(cut_where), ":%d: ", lines); /* the error is at the end */
	fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_refused(s, &cases[i], 1);
	unlink(truncated);
	rmdir(dir);
	kk_store_close(s);
}

Test(cwe_import, malformed_json_changes_nothing)
{
	struct kk_store *s = sample_store(1);
	const struct bad_case cases[] = {
		{ "bad-syntax.json", KK_EINVAL, ":6:84: ", "malformed JSON: string or '}' expected near '}'" },
		{ "bad-structure.json", KK_EINVAL, ": ",
		  "weaknesses[1].children[0]: \"title\".\"ja\" must be a list of strings." },
		{ "bad-id.json", KK_EINVAL, ": ",
		  "weaknesses[1]: id: CWE id \"CWE-79x\": unexpected 'x' at position 7; write CWE-79 or 79." },
		{ "not-1003.json", KK_EINVAL, ": ", "no list of weaknesses" },
		{ "sample.xml", KK_EINVAL, ":1:1: ", "malformed JSON:" },
		{ "/nonexistent.json", KK_EIO, NULL, "Cannot open /nonexistent.json: No such file or directory" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_refused(s, &cases[i], 0);
	kk_store_close(s);
}

/* kk_cwe_import runs both files in one transaction: a bad JSON undoes the XML. */
Test(cwe_import, both_files_or_neither)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_counts counts;
	char xml[PATH_MAX], json[PATH_MAX];

	data_path(xml, "sample.xml");
	data_path(json, "bad-syntax.json");
	cr_assert_eq(kk_cwe_import(s, xml, json, &counts, &err), KK_EINVAL);
	cr_expect_eq(count_rows(s), 0);
	cr_expect_eq(counts.weaknesses, 0);
	kk_store_close(s);
}

/* Names in the reader's language. */

Test(cwe_name, follows_the_thread_language)
{
	struct kk_store *s = sample_store(1);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe c;
	char *name;

	cr_assert_eq(kk_cwe_get(s, 79, &c, &err), KK_OK);
	kk_i18n_use(KK_LANG_JA);
	cr_expect_str_eq(kk_cwe_name(&c), "クロスサイトスクリプティング");
	kk_i18n_use(KK_LANG_EN);
	cr_expect_str_eq(kk_cwe_name(&c), c.name_en);
	kk_cwe_release(&c);
	kk_cwe_release(NULL);

	kk_i18n_use(KK_LANG_JA);
	cr_assert_eq(kk_cwe_name_lookup(s, 863, &name, &err), KK_OK);
	cr_expect_str_eq(name, "不適切な認可処理");
	free(name);
	cr_assert_eq(kk_cwe_name_lookup(s, 89, &name, &err), KK_OK);
	cr_expect_str_eq(name, "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
			 "English when there is no Japanese name");
	free(name);
	cr_expect_eq(kk_cwe_name_lookup(s, 4242, &name, &err), KK_ENOTFOUND);
	cr_expect_null(name);
	kk_i18n_use(KK_LANG_EN);
	cr_assert_eq(kk_cwe_name_lookup(s, 863, &name, &err), KK_OK);
	cr_expect_str_eq(name, "Incorrect Authorization");
	free(name);
	kk_store_close(s);
}

/* The picker's search. */

static void expect_search(struct kk_store *s, const char *query, size_t limit, const int *ids, size_t n_ids)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe *items;
	size_t n;

	cr_assert_eq(kk_cwe_search(s, query, limit, &items, &n, &err), KK_OK, "%s: %s", query, err.msg);
	cr_expect_eq(n, n_ids, "%s: %zu entries, want %zu", query, n, n_ids);
	for (size_t i = 0; i < n && i < n_ids; i++)
		cr_expect_eq(items[i].id, ids[i], "%s: entry %zu is CWE-%d, want CWE-%d", query, i, items[i].id,
			     ids[i]);
	kk_cwe_list_free(items, n);
}

Test(cwe_search, by_id_and_name)
{
	struct kk_store *s = sample_store(1);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe *items = NULL;
	size_t n = 7;

	expect_search(s, "CWE-79", 10, (const int[]){ 79 }, 1);
	expect_search(s, "neutralization", 10, (const int[]){ 79, 89 }, 2);
	expect_search(s, "NEUTRALIZATION", 1, (const int[]){ 79 }, 1);
	expect_search(s, "認可", 10, (const int[]){ 863 }, 1);
	/* weaknesses first, deprecated ones last among them, then categories */
	expect_search(s, "DEPRECATED", 10, (const int[]){ 71, 1 }, 2);
	expect_search(s, "o", 100, (const int[]){ 20, 79, 89, 346, 367, 401, 863, 1004, 71, 2, 1, 1000, 1003 }, 13);
	expect_search(s, "no such words", 10, NULL, 0);

	cr_expect_eq(kk_cwe_search(s, "", 10, &items, &n, &err), KK_EINVAL);
	cr_expect_eq(n, 0);
	cr_expect_null(items);
	cr_expect_eq(kk_cwe_search(s, "xss", 0, &items, &n, &err), KK_EINVAL);
	cr_expect_eq(kk_cwe_search(s, "xss", 101, &items, &n, &err), KK_EINVAL);
	kk_store_close(s);
}

/* The same entries on both engines: LIKE's wildcards in a query are plain
 * characters, and letters match in any case in either name. */
Test(cwe_search, same_on_every_engine)
{
	struct kk_store *s = sample_store(1);

	expect_search(s, "_", 100, (const int[]){ 71 }, 1);
	expect_search(s, "ds_STORE", 10, (const int[]){ 71 }, 1);
	expect_search(s, "%", 100, NULL, 0);
	expect_search(s, "%Validation", 100, NULL, 0);
	expect_search(s, "\\", 100, NULL, 0);
	expect_search(s, "'sql injection'", 10, (const int[]){ 89 }, 1);
	expect_search(s, "httponly 属性", 10, (const int[]){ 1004 }, 1);
	expect_search(s, "(toctou) による", 10, (const int[]){ 367 }, 1);
	expect_search(s, "1004", 10, (const int[]){ 1004 }, 1);
	expect_search(s, "CWE-2", 10, (const int[]){ 2 }, 1);
	kk_store_close(s);
}

/* The real catalogue. */

static int open_real_xml(char *path)
{
	const char *env = getenv("KK_CWE_XML"), *root = getenv("KK_SOURCE_ROOT");
	FILE *f;

	if (env && *env)
		snprintf(path, PATH_MAX, "%s", env);
	else
		snprintf(path, PATH_MAX, "%s/node_modules/cwe-sdk/raw/cwe-archive.xml", root && *root ? root : ".");
	f = fopen(path, "rb");
	if (f)
		fclose(f);
	return f != NULL;
}

static void shared_path(char *path, const char *name)
{
	const char *dir = getenv("KK_SHARED_DATA");

	snprintf(path, PATH_MAX, "%s/cwe/%s", dir && *dir ? dir : "../shared/data", name);
}

static struct kk_store *real_store(struct kk_cwe_catalog *cat)
{
	struct kk_store *s;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_counts counts;
	char xml[PATH_MAX];

	if (!open_real_xml(xml))
		cr_skip_test("MITRE's CWE XML not found at %s (npm install puts it there, or set KK_CWE_XML)", xml);
	s = unit_store(NULL);
	cr_assert_eq(kk_cwe_import_xml(s, xml, &counts, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_cwe_catalog_get(s, cat, &err), KK_OK);
	cr_log_info("%s: CWE %s (%s): %zu weaknesses, %zu categories, %zu views", xml, cat->version, cat->released,
		    counts.weaknesses, counts.categories, counts.views);
	cr_expect_gt(counts.weaknesses, 900);
	cr_expect_gt(counts.categories, 300);
	cr_expect_gt(counts.views, 40);
	cr_expect_eq(cat->weaknesses, counts.weaknesses);
	return s;
}

Test(cwe_real, mitre_catalogue, .timeout = 120)
{
	struct kk_cwe_catalog cat;
	struct kk_store *s = real_store(&cat);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe c;

	cr_assert_eq(kk_cwe_get(s, 79, &c, &err), KK_OK);
	cr_expect_str_eq(c.name_en, XSS_NAME);
	cr_expect_str_eq(c.abstraction, "Base");
	cr_expect_str_eq(c.status, "Stable");
	cr_expect(c.description && strstr(c.description, "web page"));
	kk_cwe_release(&c);
	cr_assert_eq(kk_cwe_get(s, 1003, &c, &err), KK_OK);
	cr_expect_eq(c.kind, KK_CWE_VIEW);
	kk_cwe_release(&c);
	cr_expect_not_null(cat.version, "the release's Version is recorded");
	kk_cwe_catalog_release(&cat);
	kk_store_close(s);
}

Test(cwe_real, japanese_names_of_cwe_1003, .timeout = 120)
{
	struct kk_cwe_catalog cat;
	struct kk_store *s;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_counts counts;
	struct kk_cwe c;
	char json[PATH_MAX];
	json_t *root, *list, *e;
	size_t i, titled = 0, patterns_left = 0;

	shared_path(json, "cwe-1003-ja.json");
	root = json_load_file(json, 0, NULL);
	if (!root)
		cr_skip_test("JPCERT/CC's names not found at %s (set KK_SHARED_DATA)", json);
	s = real_store(&cat);
	cr_assert_eq(kk_cwe_import_ja(s, json, &counts, &err), KK_OK, "%s", err.msg);
	cr_log_info("%s: %zu Japanese names, %zu ids not in CWE %s", json, counts.named_ja, counts.unknown_ja,
		    cat.version);
	cr_expect_eq(counts.unknown_ja, 0, "MITRE never retires an id, so CWE-1003 is all in the catalogue");

	list = json_object_get(json_object_get(root, "cwe-1003"), "weaknesses");
	json_array_foreach(list, i, e) {
		int id = (int)json_integer_value(json_object_get(e, "id"));

		titled++;
		cr_assert_eq(kk_cwe_get(s, id, &c, &err), KK_OK, "CWE-%d", id);
		cr_expect(!kk_str_empty(c.name_ja), "CWE-%d has a Japanese name", id);
		if (c.name_ja && (strchr(c.name_ja, '|') || strstr(c.name_ja, "｜")))
			patterns_left++;
		kk_cwe_release(&c);
	}
	cr_expect_eq(counts.named_ja, titled);
	cr_expect_eq(patterns_left, 0, "every choice pattern resolved");

	cr_assert_eq(kk_cwe_get(s, 79, &c, &err), KK_OK);
	cr_expect_str_eq(c.name_ja, "クロスサイトスクリプティング");
	kk_i18n_use(KK_LANG_JA);
	cr_expect_str_eq(kk_cwe_name(&c), "クロスサイトスクリプティング");
	kk_i18n_use(KK_LANG_EN);
	kk_cwe_release(&c);
	json_decref(root);
	kk_cwe_catalog_release(&cat);
	kk_store_close(s);
}

/* The highest id below the comprehensive view CWE-2000. */
static int highest_id(struct kk_store *s)
{
	return (int)unit_count(s, "SELECT max(id) FROM cwe WHERE id < 2000", NULL);
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* s with white space trimmed and collapsed, as the import stores text, in a
 * string the caller frees (NULL for NULL). */
static char *flat(const char *s)
{
	char *out = s ? malloc(strlen(s) + 1) : NULL, *w = out;
	int space = 1;

	if (!out)
		return NULL;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			if (!space)
				*w++ = ' ';
			space = 1;
		} else {
			*w++ = *s;
			space = 0;
		}
	}
	if (w > out && w[-1] == ' ')
		w--;
	*w = '\0';
	return out;
}

/*
 * Every entry of the shared CWE 4.x listing is in the imported XML with the same
 * kind and name (the listing keeps MITRE's stray spaces, as in "Uncaught
 * Exception in Servlet "; the import trims them); entries it lacks must be newer
 * than the XML's release (MITRE numbers new entries upwards), and are listed.
 * Abstraction, status and description differences are counted and shown.
 */
Test(cwe_real, agrees_with_the_shared_listing, .timeout = 120)
{
	struct kk_cwe_catalog cat;
	struct kk_store *s;
	struct kk_error err = KK_ERROR_INIT;
	char path[PATH_MAX], line[65536], missing[1024] = "";
	long rows = 0, weaknesses = 0, absent = 0, absent_weak = 0, renamed = 0, spaced = 0, other = 0,
	     described = 0;
	int top, newer = 1;
	FILE *f;

	shared_path(path, "cwe-catalog.jsonl");
	f = fopen(path, "r");
	if (!f)
		cr_skip_test("the CWE listing is not at %s (set KK_SHARED_DATA)", path);
	s = real_store(&cat);
	top = highest_id(s);
	while (fgets(line, sizeof(line), f)) {
		json_t *row = json_loads(line, 0, NULL);
		const char *kind, *name;
		char *name_flat, *description;
		struct kk_cwe c;
		int id;

		cr_assert_not_null(row, "%s:%ld: not JSON", path, rows + 1);
		rows++;
		id = (int)json_integer_value(json_object_get(row, "id"));
		kind = json_string_value(json_object_get(row, "kind"));
		name = json_string_value(json_object_get(row, "name"));
		name_flat = flat(name);
		description = flat(json_string_value(json_object_get(row, "description")));
		if (kind && strcmp(kind, "weakness") == 0)
			weaknesses++;
		if (kk_cwe_get(s, id, &c, &err) == KK_ENOTFOUND) {
			absent++;
			absent_weak += kind && strcmp(kind, "weakness") == 0;
			if (id <= top)
				newer = 0;
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " CWE-%d (%s)", id,
				 kind ? kind : "?");
			free(name_flat);
			free(description);
			json_decref(row);
			continue;
		}
		spaced += !same(name, name_flat);
		if (!same(kind, kk_cwe_kind_name(c.kind)) || !same(name_flat, c.name_en)) {
			if (renamed++ < 10)
				cr_log_error("CWE-%d: %s \"%s\" in the listing, %s \"%s\" in CWE %s", id, kind, name,
					     kk_cwe_kind_name(c.kind), c.name_en, cat.version);
		}
		if (!same(json_string_value(json_object_get(row, "abstraction")), c.abstraction) ||
		    !same(json_string_value(json_object_get(row, "status")), c.status))
			other++;
		described += description && !same(description, c.description);
		free(name_flat);
		free(description);
		kk_cwe_release(&c);
		json_decref(row);
	}
	fclose(f);
	cr_log_info("%s: %ld entries (%ld weaknesses); CWE %s lacks %ld (%ld weaknesses):%s", path, rows, weaknesses,
		    cat.version, absent, absent_weak, missing[0] ? missing : " none");
	cr_log_info("kind or name differs: %ld (%ld names differ in white space alone); abstraction or status: "
		    "%ld; description: %ld",
		    renamed, spaced, other, described);
	cr_expect_gt(weaknesses, 900);
	cr_expect_eq(renamed, 0, "every shared entry has the same kind and name");
	cr_expect_eq(other, 0, "and the same abstraction and status");
	cr_expect(newer, "the entries CWE %s lacks were all numbered after its highest, CWE-%d:%s", cat.version, top,
		  missing);
	kk_cwe_catalog_release(&cat);
	kk_store_close(s);
}
