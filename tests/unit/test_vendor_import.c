/*
 * test_vendor_import.c: unit tests of lib/vendor/import.c and lib/store/vendors.c,
 * the import of the MyJVN vendor/product dictionary into the vendor registry
 * (issue 8, capability 3; SPEC 2.5).
 *
 * tests/data/jvn/sample.jsonl is a hand-written sample in the dictionary's
 * shape whose README lists the line of each fault; update.jsonl changes one of
 * its products and adds a vendor. Larger files (batches, gzip) are written by
 * the tests into unit_tmpdir(). Every store is a fresh one from unit.h, so the
 * tests run on the engine under test (SQLite, or PostgreSQL in the cluster
 * KEIKAI_TEST_PG); they read the tables through the store interface.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "keikai/alloc.h"
#include "keikai/clock.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "unit.h"

static void data_path(char *out, const char *name)
{
	snprintf(out, PATH_MAX, "%s/jvn/%s", unit_data_dir(), name);
}

static struct kk_vendor_import_summary sum;

/* Imports the sample file name into s and checks that the call succeeded. */
static void import_ok(struct kk_store *s, const char *path)
{
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(kk_vendor_import_myjvn(s, path, NULL, NULL, &sum, &err), KK_OK, "%s", err.msg);
	kk_error_release(&err);
}

/* The text in the first column of the first row of sql, with one text parameter,
 * (or none when param is NULL) into buf ("-" for NULL, "" for no row). */
static const char *unit_text(struct kk_store *s, const char *sql, const char *param, char *buf, size_t size)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	struct kk_stmt *st;
	enum kk_step step;

	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
	st = kk_stmt_prepare(&tx, sql, &err);
	cr_assert_not_null(st, "%s: %s", sql, err.msg);
	if (param)
		kk_stmt_bind_text(st, 1, param);
	buf[0] = '\0';
	step = kk_stmt_step(st, &err);
	cr_assert_neq(step, KK_STEP_ERROR, "%s: %s", sql, err.msg);
	if (step == KK_STEP_ROW)
		snprintf(buf, size, "%s", kk_stmt_is_null(st, 0) ? "-" : kk_stmt_text(st, 0));
	kk_stmt_free(st);
	kk_tx_end(&tx, KK_OK, NULL);
	return buf;
}

/* Every row of both tables, one line each, for comparing two states. Returns a
 * string the caller frees. */
static char *snapshot(struct kk_store *s)
{
	static const char *const queries[] = {
		"SELECT id, myjvn_vid, name_ja, name_en, cpe23, created_at, updated_at FROM vendors ORDER BY id",
		"SELECT id, vendor_id, myjvn_pid, name_ja, name_en, cpe23, created_at, updated_at FROM products"
		" ORDER BY id",
	};
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b;
	struct kk_tx tx;

	kk_buf_init(&b, 1 << 20);
	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
	for (size_t q = 0; q < 2; q++) {
		struct kk_stmt *st = kk_stmt_prepare(&tx, queries[q], &err);

		cr_assert_not_null(st, "%s", err.msg);
		while (kk_stmt_step(st, &err) == KK_STEP_ROW) {
			for (int i = 0; i < kk_stmt_columns(st); i++)
				cr_assert_eq(kk_buf_addf(&b, "%s|", kk_stmt_is_null(st, i) ? "-" : kk_stmt_text(st, i)),
					     KK_OK);
			cr_assert_eq(kk_buf_add(&b, "\n", 1), KK_OK);
		}
		kk_stmt_free(st);
	}
	kk_tx_end(&tx, KK_OK, NULL);
	return kk_buf_detach(&b);
}

/* SPEC 2.5: vendors and products with their names and CPE 2.3 names; malformed
 * lines refused with their numbers, the others loaded. */
Test(vendor_import, sample_loads_and_refuses_by_line)
{
	static const struct {
		size_t line;
		const char *msg;
	} refused[] = {
		{ 7, "\"pcpe\" is not a CPE name: part: part must be a (application), o (operating system),"
		     " h (hardware), ANY or NA (column 6)." },
		{ 8, NULL }, /* jansson's wording: only the start is checked */
		{ 10, "\"pid\" is missing." },
		{ 11, "\"vid\" must be a MyJVN id, a whole number from 1." },
		{ 12, "not a JSON object." },
		{ 13, "\"vname\" is empty." },
	};
	struct kk_store *s = unit_store(NULL);
	char path[PATH_MAX], buf[256];

	data_path(path, "sample.jsonl");
	import_ok(s, path);
	cr_assert_eq(sum.lines, 14);
	cr_assert_eq(sum.loaded, 7);
	cr_assert_eq(sum.refused, 6);
	cr_assert_eq(sum.listed, 6);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		cr_assert_eq(sum.refusals[i].line, refused[i].line, "refusal %zu: line %zu", i, sum.refusals[i].line);
		if (refused[i].msg)
			cr_assert_str_eq(sum.refusals[i].msg, refused[i].msg);
		else
			cr_assert(strncmp(sum.refusals[i].msg, "malformed JSON at column ", 25) == 0, "%s",
				  sum.refusals[i].msg);
	}
	cr_assert_eq(sum.vendors, 5);
	cr_assert_eq(sum.products, 7);
	cr_assert_eq(sum.vendors_added, 5);
	cr_assert_eq(sum.products_added, 7);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM vendors", NULL), 5);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM products", NULL), 7);

	/* names in the column of their script */
	cr_assert_str_eq(unit_text(s, "SELECT name_ja FROM vendors WHERE myjvn_vid = 1", NULL, buf, sizeof(buf)),
			 "サンプル電機");
	cr_assert_str_eq(unit_text(s, "SELECT name_en FROM vendors WHERE myjvn_vid = 1", NULL, buf, sizeof(buf)), "-");
	cr_assert_str_eq(unit_text(s, "SELECT name_en FROM vendors WHERE myjvn_vid = 2", NULL, buf, sizeof(buf)),
			 "Example Software");
	cr_assert_str_eq(unit_text(s, "SELECT name_ja FROM vendors WHERE myjvn_vid = 3", NULL, buf, sizeof(buf)),
			 "ＡＢＣ工業");
	cr_assert_str_eq(unit_text(s, "SELECT name_ja FROM products WHERE myjvn_pid = 10", NULL, buf, sizeof(buf)),
			 "サンプル ルータ");
	cr_assert_str_eq(unit_text(s, "SELECT name_en FROM products WHERE myjvn_pid = 11", NULL, buf, sizeof(buf)),
			 "Sample Camera C2");

	/* SPEC 2.5: CPE 2.2 URIs stored as CPE 2.3 formatted strings */
	cr_assert_str_eq(unit_text(s, "SELECT cpe23 FROM vendors WHERE myjvn_vid = 1", NULL, buf, sizeof(buf)),
			 "cpe:2.3:*:sample_denki:*:*:*:*:*:*:*:*:*");
	cr_assert_str_eq(unit_text(s, "SELECT cpe23 FROM products WHERE myjvn_pid = 10", NULL, buf, sizeof(buf)),
			 "cpe:2.3:h:sample_denki:router_x1:*:*:*:*:*:*:*:*");
	cr_assert_str_eq(unit_text(s, "SELECT cpe23 FROM products WHERE myjvn_pid = 20", NULL, buf, sizeof(buf)),
			 "cpe:2.3:a:example:office\\~2:*:*:*:*:*:*:*:*");
	cr_assert_str_eq(unit_text(s, "SELECT cpe23 FROM products WHERE myjvn_pid = 21", NULL, buf, sizeof(buf)),
			 "cpe:2.3:o:example:exampleos:2.0:*:*:*:*:*:*:*");
	/* "" and null: no CPE name */
	cr_assert_str_eq(unit_text(s, "SELECT cpe23 FROM vendors WHERE myjvn_vid = 3", NULL, buf, sizeof(buf)), "-");
	cr_assert_str_eq(unit_text(s, "SELECT cpe23 FROM products WHERE myjvn_pid = 30", NULL, buf, sizeof(buf)), "-");
	/* ids given as JSON numbers */
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM products p JOIN vendors v ON v.id = p.vendor_id"
				   " WHERE v.myjvn_vid = 6 AND p.myjvn_pid = 60",
				NULL),
		     1);
	/* products under their vendor */
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM products p JOIN vendors v ON v.id = p.vendor_id"
				   " WHERE v.myjvn_vid = 1",
				NULL),
		     2);
	kk_store_close(s);
}

/* Issue 8: a second run updates and adds, never duplicates; the same file twice
 * changes nothing, timestamps included. */
Test(vendor_import, second_run_changes_nothing)
{
	struct kk_store *s = unit_store(NULL);
	char path[PATH_MAX];
	char *before, *after;

	data_path(path, "sample.jsonl");
	kk_clock_freeze(1767600000);
	import_ok(s, path);
	before = snapshot(s);
	kk_clock_freeze(1767603600);
	import_ok(s, path);
	kk_clock_freeze(0);
	after = snapshot(s);
	cr_assert_str_eq(after, before);
	cr_assert_eq(sum.loaded, 7);
	cr_assert_eq(sum.vendors, 5);
	cr_assert_eq(sum.products, 7);
	cr_assert_eq(sum.vendors_added, 0);
	cr_assert_eq(sum.products_added, 0);
	free(before);
	free(after);
	kk_store_close(s);
}

Test(vendor_import, update_adds_and_keeps_the_other_name)
{
	struct kk_store *s = unit_store(NULL);
	char path[PATH_MAX], buf[256];

	data_path(path, "sample.jsonl");
	kk_clock_freeze(1767600000);
	import_ok(s, path);
	data_path(path, "update.jsonl");
	kk_clock_freeze(1767603600);
	import_ok(s, path);
	kk_clock_freeze(0);
	cr_assert_eq(sum.lines, 4);
	cr_assert_eq(sum.loaded, 4);
	cr_assert_eq(sum.refused, 0);
	cr_assert_eq(sum.repaired, 2);
	cr_assert_eq(sum.vendors, 6);
	cr_assert_eq(sum.products, 10);
	cr_assert_eq(sum.vendors_added, 1);
	cr_assert_eq(sum.products_added, 3);
	/* MyJVN's URIs with punctuation unencoded, and a space after a colon */
	cr_assert_str_eq(unit_text(s, "SELECT cpe23 FROM products WHERE myjvn_pid = 111", NULL, buf, sizeof(buf)),
			 "cpe:2.3:o:newv:router_x\\(-ms\\):*:*:*:*:*:*:*:*");
	cr_assert_str_eq(unit_text(s, "SELECT cpe23 FROM products WHERE myjvn_pid = 112", NULL, buf, sizeof(buf)),
			 "cpe:2.3:o:newv:nxr-350\\/c:*:*:*:*:*:*:*:*");
	/* product 10's new name is English: it goes to name_en, name_ja stays */
	cr_assert_str_eq(unit_text(s, "SELECT name_en FROM products WHERE myjvn_pid = 10", NULL, buf, sizeof(buf)),
			 "Sample Router R2");
	cr_assert_str_eq(unit_text(s, "SELECT name_ja FROM products WHERE myjvn_pid = 10", NULL, buf, sizeof(buf)),
			 "サンプル ルータ");
	cr_assert_str_eq(unit_text(s, "SELECT cpe23 FROM products WHERE myjvn_pid = 10", NULL, buf, sizeof(buf)),
			 "cpe:2.3:h:sample_denki:router_r2:*:*:*:*:*:*:*:*");
	cr_assert_eq(unit_count(s, "SELECT updated_at FROM products WHERE myjvn_pid = 10", NULL), 1767603600);
	cr_assert_eq(unit_count(s, "SELECT updated_at FROM products WHERE myjvn_pid = 11", NULL), 1767600000);
	/* the vendor line was the same: untouched */
	cr_assert_eq(unit_count(s, "SELECT updated_at FROM vendors WHERE myjvn_vid = 1", NULL), 1767600000);
	kk_store_close(s);
}

/* Writes n generated product lines (vendor = line / 10) to path, through gzip
 * when gz is set. */
static void write_lines(const char *path, int n, int gz)
{
	gzFile f = gzopen(path, gz ? "wb" : "wbT");

	cr_assert_not_null(f);
	for (int i = 1; i <= n; i++)
		cr_assert(gzprintf(f,
				   "{\"vid\": \"%d\", \"vname\": \"Vendor %d\", \"vcpe\": \"cpe:/:v%d\", \"pid\": \"%d\","
				   " \"pname\": \"製品 %d\", \"pcpe\": \"cpe:/a:v%d:p%d\"}\n",
				   i / 10 + 1, i / 10 + 1, i / 10 + 1, i, i, i / 10 + 1, i) > 0);
	cr_assert_eq(gzclose(f), Z_OK);
}

static void count_calls(void *arg, const struct kk_vendor_import_summary *so_far)
{
	int *calls = arg;

	(*calls)++;
	cr_assert(so_far->bytes_read <= so_far->bytes_total);
}

/* gzip is read by its content; progress after each batch and at the end. */
Test(vendor_import, gzip_in_batches_with_progress)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	char dir[PATH_MAX], path[PATH_MAX + 32];
	int calls = 0;

	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/gen.jsonl.gz", dir);
	write_lines(path, 12000, 1);
	cr_assert_eq(kk_vendor_import_myjvn(s, path, count_calls, &calls, &sum, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(sum.lines, 12000);
	cr_assert_eq(sum.loaded, 12000);
	cr_assert_eq(sum.refused, 0);
	cr_assert_eq(sum.products, 12000);
	cr_assert_eq(sum.vendors, 1201);
	cr_assert_eq(calls, 3); /* after lines 5,000 and 10,000 (KK_VENDOR_IMPORT_BATCH), and at the end */
	cr_assert_eq(sum.bytes_read, sum.bytes_total);
	kk_store_close(s);
}

/* A failure of the file stops the import and keeps the whole batches before it. */
Test(vendor_import, corrupt_gzip_keeps_whole_batches)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	char dir[PATH_MAX], path[PATH_MAX + 32];
	FILE *f;
	long size;

	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/cut.jsonl.gz", dir);
	write_lines(path, 40000, 1);
	f = fopen(path, "r+b");
	cr_assert_not_null(f);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	cr_assert_eq(ftruncate(fileno(f), size / 2), 0);
	fclose(f);
	cr_assert_eq(kk_vendor_import_myjvn(s, path, NULL, NULL, &sum, &err), KK_EIO);
	cr_assert(strstr(err.msg, "cut.jsonl.gz: cannot read after line ") != NULL, "%s", err.msg);
	cr_assert_gt(sum.loaded, 0);
	cr_assert_eq(sum.loaded % KK_VENDOR_IMPORT_BATCH, 0, "%zu", sum.loaded);
	cr_assert_eq(sum.products, (int64_t)sum.loaded);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM products", NULL), (int64_t)sum.loaded);
	kk_error_release(&err);
	kk_store_close(s);
}

/* A line over the cap is refused alone; the lines after it keep their numbers. */
Test(vendor_import, long_line_refused_alone)
{
	struct kk_store *s = unit_store(NULL);
	char dir[PATH_MAX], path[PATH_MAX + 32];
	FILE *f;

	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/long.jsonl", dir);
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	fputs("{\"vid\": \"1\", \"vname\": \"A\", \"pid\": \"1\", \"pname\": \"", f);
	for (int i = 0; i < KK_VENDOR_IMPORT_LINE_MAX + 10; i++)
		fputc('x', f);
	fputs("\"}\n{\"vid\": \"1\", \"vname\": \"A\", \"pid\": \"2\", \"pname\": \"B\"}\n", f);
	fputs("{\"vid\": \"1\", \"vname\": \"A\", \"pid\": \"3\", \"pname\": \"", f); /* no newline at the end */
	for (int i = 0; i < 2000; i++)
		fputc('y', f);
	fputs("\", \"nul\": \"\\u0000\"}", f);
	fclose(f);
	import_ok(s, path);
	cr_assert_eq(sum.lines, 3);
	cr_assert_eq(sum.refused, 2);
	cr_assert_eq(sum.refusals[0].line, 1);
	cr_assert_str_eq(sum.refusals[0].msg, "the line is too long.");
	cr_assert_eq(sum.refusals[1].line, 3); /* "pname" over KK_VENDOR_NAME_MAX; \u0000 is refused too */
	cr_assert_eq(sum.loaded, 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM products WHERE myjvn_pid = 2", NULL), 1);
	kk_store_close(s);
}

/* One product, and one vendor, twice in a file, inside one statement's group:
 * the later line wins (on PostgreSQL one statement may not upsert a row twice). */
Test(vendor_import, same_product_twice_later_wins)
{
	struct kk_store *s = unit_store(NULL);
	char dir[PATH_MAX], path[PATH_MAX + 32], buf[256];
	FILE *f;

	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/twice.jsonl", dir);
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	fputs("{\"vid\": \"1\", \"vname\": \"A\", \"pid\": \"7\", \"pname\": \"First\"}\n", f);
	fputs("{\"vid\": \"1\", \"vname\": \"A\", \"pid\": \"8\", \"pname\": \"Other\"}\n", f);
	fputs("{\"vid\": \"2\", \"vname\": \"B\", \"pid\": \"7\", \"pname\": \"Second\"}\n", f);
	fputs("{\"vid\": \"1\", \"vname\": \"A2\", \"pid\": \"9\", \"pname\": \"Third\"}\n", f);
	fclose(f);
	import_ok(s, path);
	cr_assert_eq(sum.loaded, 4);
	cr_assert_eq(sum.products, 3);
	cr_assert_eq(sum.vendors, 2);
	/* the vendor too: the later line's name */
	cr_assert_str_eq(unit_text(s, "SELECT name_en FROM vendors WHERE myjvn_vid = 1", NULL, buf, sizeof(buf)), "A2");
	cr_assert_str_eq(unit_text(s, "SELECT name_en FROM products WHERE myjvn_pid = 7", NULL, buf, sizeof(buf)),
			 "Second");
	/* and it moved to the vendor of the later line */
	cr_assert_eq(unit_count(s, "SELECT v.myjvn_vid FROM products p JOIN vendors v ON v.id = p.vendor_id"
				   " WHERE p.myjvn_pid = 7",
				NULL),
		     2);
	kk_store_close(s);
}

/* Fault injection (docs/internals/errors.md): with each allocation of an import
 * failing in turn, the import ends in a clean error or, when the failure was
 * recovered from, in the whole result; what is stored is always what the
 * summary says was loaded. */
Test(vendor_import, each_failed_allocation_leaves_what_the_summary_says)
{
	struct kk_store *s = unit_store(NULL);
	char path[PATH_MAX];
	int injected = 1;

	data_path(path, "update.jsonl");
	for (long n = 1; injected; n++) {
		struct kk_error err = KK_ERROR_INIT;
		struct kk_tx tx;
		enum kk_result res;

		cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK, "%s", err.msg);
		cr_assert_eq(kk_tx_exec(&tx, "DELETE FROM products; DELETE FROM vendors", &err), KK_OK, "%s", err.msg);
		cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK, "%s", err.msg);
		kk_alloc_fail_at(n);
		res = kk_vendor_import_myjvn(s, path, NULL, NULL, &sum, &err);
		injected = kk_alloc_injected();
		kk_alloc_fail_at(0);
		if (res) {
			cr_assert(injected, "n=%ld: %s", n, err.msg);
			cr_assert_eq(res, KK_ENOMEM, "n=%ld: %s", n, err.msg);
		} else {
			/* recovered from: jansson's failures are parsed again */
			cr_assert_eq(sum.loaded, 4, "n=%ld", n);
			cr_assert_eq(sum.refused, 0, "n=%ld", n);
		}
		cr_assert_eq(unit_count(s, "SELECT count(*) FROM products", NULL), (int64_t)sum.loaded, "n=%ld", n);
		kk_error_release(&err);
	}
	kk_store_close(s);
}

/* Runs sql in a write transaction: its result. */
static enum kk_result exec_sql(struct kk_store *s, const char *sql)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	enum kk_result res;

	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK, "%s", err.msg);
	res = kk_tx_exec(&tx, sql, &err);
	res = kk_tx_end(&tx, res, &err);
	kk_error_release(&err);
	return res;
}

/* Migration 8 (SPEC 2.5): what the registry's tables refuse, on both engines. */
Test(vendor_import, tables_refuse_what_the_registry_does_not_hold)
{
	struct kk_store *s = unit_store(NULL);

	cr_assert_eq(exec_sql(s, "INSERT INTO vendors(id, name_en, registration_type, created_at, updated_at)"
				 " VALUES(1, 'A', 'individual', 1, 1)"),
		     KK_OK);
	/* registration type general or individual; a name in at least one language */
	cr_assert_eq(exec_sql(s, "INSERT INTO vendors(name_en, registration_type, created_at, updated_at)"
				 " VALUES('B', 'company', 1, 1)"),
		     KK_EDB);
	cr_assert_eq(exec_sql(s, "INSERT INTO vendors(created_at, updated_at) VALUES(1, 1)"), KK_EDB);
	/* contacts per channel: e-mail, postal, phone, FAX, web form */
	cr_assert_eq(exec_sql(s, "INSERT INTO vendor_contacts(vendor_id, channel, value, created_at, updated_at)"
				 " VALUES(1, 'fax', '+81-3-0000-0000', 1, 1)"),
		     KK_OK);
	cr_assert_eq(exec_sql(s, "INSERT INTO vendor_contacts(vendor_id, channel, value, created_at, updated_at)"
				 " VALUES(1, 'pigeon', 'x', 1, 1)"),
		     KK_EDB);
	/* an alias once per vendor; MyJVN ids once */
	cr_assert_eq(exec_sql(s, "INSERT INTO vendor_aliases(vendor_id, alias) VALUES(1, 'AA')"), KK_OK);
	cr_assert_eq(exec_sql(s, "INSERT INTO vendor_aliases(vendor_id, alias) VALUES(1, 'AA')"), KK_ECONFLICT);
	cr_assert_eq(exec_sql(s, "INSERT INTO products(vendor_id, myjvn_pid, name_en, created_at, updated_at)"
				 " VALUES(1, 5, 'P', 1, 1)"),
		     KK_OK);
	cr_assert_eq(exec_sql(s, "INSERT INTO products(vendor_id, myjvn_pid, name_en, created_at, updated_at)"
				 " VALUES(1, 5, 'Q', 1, 1)"),
		     KK_ECONFLICT);
	/* a product belongs to a registered vendor, and goes with it */
	cr_assert_eq(exec_sql(s, "INSERT INTO products(vendor_id, name_en, created_at, updated_at)"
				 " VALUES(99, 'R', 1, 1)"),
		     KK_EDB);
	cr_assert_eq(exec_sql(s, "DELETE FROM vendors WHERE id = 1"), KK_OK);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM products", NULL), 0);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM vendor_contacts", NULL), 0);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM vendor_aliases", NULL), 0);
	kk_store_close(s);
}

Test(vendor_import, missing_file)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(kk_vendor_import_myjvn(s, "/nonexistent/myjvn.jsonl", NULL, NULL, &sum, &err), KK_EIO);
	cr_assert_str_eq(err.msg, "Cannot open /nonexistent/myjvn.jsonl: No such file or directory");
	cr_assert_eq(sum.loaded, 0);
	kk_error_release(&err);
	kk_store_close(s);
}

Test(vendor_import, japanese_script)
{
	cr_assert_eq(kk_vendor_name_is_japanese("サン・マイクロシステムズ"), 1);
	cr_assert_eq(kk_vendor_name_is_japanese("日立"), 1);
	cr_assert_eq(kk_vendor_name_is_japanese("ひらがな"), 1);
	cr_assert_eq(kk_vendor_name_is_japanese("ＡＢＣ"), 1);       /* full-width forms */
	cr_assert_eq(kk_vendor_name_is_japanese("ｻﾝﾌﾟﾙ"), 1);        /* half-width katakana */
	cr_assert_eq(kk_vendor_name_is_japanese("Sun Cobalt RaQ2"), 0);
	cr_assert_eq(kk_vendor_name_is_japanese("Final β Laboratory"), 0);
	cr_assert_eq(kk_vendor_name_is_japanese("Peter\xe2\x80\x99s Login Redirect"), 0); /* ’ */
	cr_assert_eq(kk_vendor_name_is_japanese("\xff\xfe bytes"), 0);
	cr_assert_eq(kk_vendor_name_is_japanese(""), 0);
	cr_assert_eq(kk_vendor_name_is_japanese(NULL), 0);
}
