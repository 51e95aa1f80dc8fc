/*
 * test_vendor_candidates.c: unit tests of lib/vendor/candidates.c and
 * report_vendors.c: the ranked candidate vendors of an accepted product
 * report, the coordinator's confirmation with its basis, and the mapping of
 * the affected system's SBOM (SPEC 2.5, G IV.4.2; SPEC 5: composition on
 * record answers who embeds a component).
 *
 * The registry is tests/data/sbom/map/registry.jsonl (the MyJVN import): the
 * right vendor must come first for a Japanese name, an English name and a
 * CPE name, and a component embedded by two vendors' products must bring
 * both. Every store is a fresh one from unit.h, on the engine under test.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/composition.h"
#include "keikai/report.h"
#include "keikai/vendor.h"
#include "keikai/vendor_candidates.h"
#include "unit.h"

static struct kk_store *registry(void)
{
	return unit_registry_store("sbom/map/registry.jsonl");
}

static int64_t row_id(struct kk_store *s, const char *sql, const char *myjvn)
{
	int64_t id = unit_count(s, sql, myjvn);

	cr_assert_gt(id, 0);
	return id;
}

#define VID(s, v) row_id(s, "SELECT id FROM vendors WHERE myjvn_vid = CAST(? AS BIGINT)", v)
#define PID(s, p) row_id(s, "SELECT id FROM products WHERE myjvn_pid = CAST(? AS BIGINT)", p)

/* Submits a product report naming vendor and product, and accepts it unless
 * accept is 0; the tracking id goes to id. */
static void report(struct kk_store *s, const char *vendor, const char *product, int accept, char id[24])
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = unit_report_body("product");
	struct kk_user intake;
	struct kk_report r = { 0 };
	struct kk_decision d = { 1, KK_REJECT_NONE, NULL };

	unit_set(body, "product.vendor", json_string(vendor));
	unit_set(body, "product.name", json_string(product));
	unit_submit(s, body, id, NULL); /* takes body */
	if (!accept)
		return;
	if (kk_user_by_email(s, "intake@example.jp", &intake, &err) != KK_OK)
		intake = unit_user(s, "intake", "intake@example.jp");
	kk_error_clear(&err);
	cr_assert_eq(kk_report_decide(s, &intake, id, &d, &r, &err), KK_OK, "%s", err.msg);
	kk_report_release(&r);
	kk_user_release(&intake);
	kk_error_release(&err);
}

static struct kk_user coordinator(struct kk_store *s)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user u;

	if (kk_user_by_email(s, "coord@example.jp", &u, &err) == KK_OK)
		return u;
	kk_error_release(&err);
	return unit_user(s, "coordinator", "coord@example.jp");
}

/* The candidates' vendor ids, in order, as "1 2 3". */
static char *ranked(struct kk_store *s, const char *id)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user c = coordinator(s);
	json_t *out = NULL, *cand;
	char *text = kk_calloc(1, 1024);
	size_t i, len = 0;

	cr_assert_eq(kk_vendor_candidates(s, &c, id, &out, &err), KK_OK, "%s", err.msg);
	if (getenv("UNIT_DEBUG"))
		json_dumpf(out, stderr, JSON_INDENT(1));
	json_array_foreach(json_object_get(out, "candidates"), i, cand)
		len += (size_t)snprintf(text + len, 1024 - len, "%s%lld", i ? " " : "",
					(long long)json_integer_value(json_object_get(cand, "vendor_id")));
	json_decref(out);
	kk_user_release(&c);
	return text;
}

static void first_is(struct kk_store *s, const char *id, int64_t vendor)
{
	char *got = ranked(s, id), want[32];

	snprintf(want, sizeof(want), "%lld", (long long)vendor);
	cr_assert(strncmp(got, want, strlen(want)) == 0 && (got[strlen(want)] == ' ' || !got[strlen(want)]),
		  "expected %s first, got %s", want, got);
	free(got);
}

/* On a fresh registry, an accepted report naming vendor and product has the
 * vendor of MyJVN vid first. */
static void first_for(const char *vendor, const char *product, const char *vid)
{
	struct kk_store *s = registry();
	char id[24];

	report(s, vendor, product, 1, id);
	first_is(s, id, VID(s, vid));
	kk_store_close(s);
}

/* SPEC 2.5: a Japanese vendor name, written with its legal form and in half-width kana */
Test(candidates, japanese_name)
{
	first_for("株式会社ｻﾝﾌﾟﾙ電機", "SD-Camera ファームウェア", "6");
}

Test(candidates, english_name)
{
	first_for("Example Corp.", "Example Router", "9");
}

Test(candidates, cpe_name)
{
	first_for("unknown", "cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*", "1");
}

/* SPEC 2.5 OSS: a component embedded by two vendors' products brings both
 * makers, and the distributor of one of them. */
Test(candidates, component_embedded_by_two_vendors)
{
	struct kk_store *s = registry();
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user c = coordinator(s);
	int64_t rx = PID(s, "301"), cam = PID(s, "602");
	struct kk_component_input busybox = { .name = "BusyBox", .version = "1.36.1" };
	char id[24], *got, want[64];

	cr_assert_eq(kk_component_add(s, &c, VID(s, "3"), rx, &busybox, NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_component_add(s, &c, VID(s, "6"), cam, &busybox, NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_distributor_add(s, &c, VID(s, "6"), cam, VID(s, "4"), &err), KK_OK, "%s", err.msg);
	report(s, "BusyBox project", "busybox", 1, id);
	got = ranked(s, id);
	snprintf(want, sizeof(want), "%lld %lld %lld", (long long)VID(s, "3"), (long long)VID(s, "6"),
		 (long long)VID(s, "4"));
	cr_assert_str_eq(got, want);
	free(got);
	kk_user_release(&c);
	kk_store_close(s);
}

/* The registry held in memory with the store (the search index) is read
 * again after a change (a second import adds the vendor the report names). */
Test(candidates, registry_changes_are_seen)
{
	struct kk_store *s = registry();
	struct kk_vendor_import_summary *sum = kk_calloc(1, sizeof(*sum));
	struct kk_error err = KK_ERROR_INIT;
	char id[24], dir[PATH_MAX], path[PATH_MAX], *got;
	FILE *f;

	report(s, "Newco Systems", "Newco Gateway", 1, id);
	got = ranked(s, id);
	cr_assert_str_eq(got, "");
	free(got);
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/newco.jsonl", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"vid\": \"50\", \"vname\": \"Newco Systems\", \"pid\": \"5001\", \"pname\": \"Newco Gateway\"}\n", f);
	fclose(f);
	cr_assert_eq(kk_vendor_import_myjvn(s, path, NULL, NULL, sum, &err), KK_OK, "%s", err.msg);
	first_is(s, id, VID(s, "50"));
	free(sum);
	kk_store_close(s);
}

Test(candidates, only_accepted_product_reports)
{
	struct kk_store *s = registry();
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user c = coordinator(s), finder = { 0 };
	json_t *out = NULL;
	char id[24];

	report(s, "Example Corp", "Example Router", 0, id);
	cr_assert_eq(kk_vendor_candidates(s, &c, id, &out, &err), KK_ECONFLICT);
	kk_error_clear(&err);
	cr_assert_eq(kk_vendor_candidates(s, &c, "IPA-NOPE", &out, &err), KK_ENOTFOUND);
	kk_error_clear(&err);
	cr_assert_eq(kk_vendor_candidates(s, &finder, id, &out, &err), KK_ENOTFOUND);
	kk_error_release(&err);
	kk_user_release(&c);
	kk_store_close(s);
}

/* SPEC 2.5: the coordinator confirms a set; the choice and its basis are recorded. */
Test(candidates, confirm)
{
	struct kk_store *s = registry();
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user c = coordinator(s), intake = unit_user(s, "intake", "intake2@example.jp");
	json_t *body, *out = NULL;
	char id[24];

	report(s, "Example Corp", "Example Router", 1, id);
	body = json_pack("{s:[{s:I, s:s}]}", "vendors", "vendor_id", (json_int_t)VID(s, "9"), "basis",
			 "product-name: Example Router");
	cr_assert_eq(kk_report_vendors_confirm(s, &intake, id, body, &out, &err), KK_EDENIED);
	kk_error_clear(&err);
	cr_assert_eq(kk_report_vendors_confirm(s, &c, id, body, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(json_object_get(out, "vendors")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(out, "vendors"), 0), "basis")),
			 "product-name: Example Router");
	json_decref(out);
	json_decref(body);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM audit WHERE action = 'vendors.confirm'", NULL), 1);
	/* a vendor that is not registered, twice, and no list: nothing stored */
	body = json_pack("{s:[{s:i}, {s:i}, {s:i}]}", "vendors", "vendor_id", 99999, "vendor_id", 1, "vendor_id", 1);
	cr_assert_eq(kk_report_vendors_confirm(s, &c, id, body, NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "vendors[2].vendor_id"));
	kk_error_clear(&err);
	json_decref(body);
	body = json_pack("{s:[{s:i}]}", "vendors", "vendor_id", 99999);
	cr_assert_eq(kk_report_vendors_confirm(s, &c, id, body, NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "vendors[0].vendor_id"));
	kk_error_clear(&err);
	json_decref(body);
	body = json_pack("{s:[]}", "vendors");
	cr_assert_eq(kk_report_vendors_confirm(s, &c, id, body, NULL, &err), KK_EINVAL);
	json_decref(body);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM report_vendors", NULL), 1);
	cr_assert_eq(kk_report_vendors_get(s, &intake, id, &out, &err), KK_OK);
	cr_assert_eq(json_array_size(json_object_get(out, "vendors")), 1);
	json_decref(out);

	/* a wrong choice undone: by a coordinator only, once, audited */
	cr_assert_eq(kk_report_vendors_remove(s, &intake, id, VID(s, "9"), NULL, &err), KK_EDENIED);
	kk_error_clear(&err);
	cr_assert_eq(kk_report_vendors_remove(s, &c, id, VID(s, "9"), &out, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(json_object_get(out, "vendors")), 0);
	json_decref(out);
	cr_assert_eq(kk_report_vendors_remove(s, &c, id, VID(s, "9"), &out, &err), KK_ENOTFOUND);
	cr_assert_null(out);
	kk_error_clear(&err);
	cr_assert_eq(kk_report_vendors_remove(s, &c, "IPA#00000000", VID(s, "9"), NULL, &err), KK_ENOTFOUND);
	kk_error_clear(&err);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM report_vendors", NULL), 0);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM audit WHERE action = 'vendors.remove'", NULL), 1);
	kk_error_release(&err);
	kk_user_release(&c);
	kk_user_release(&intake);
	kk_store_close(s);
}

/* SPEC 2.5: the affected system's SBOM, mapped; nothing stored. */
Test(candidates, report_sbom)
{
	struct kk_store *s = registry();
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user c = coordinator(s);
	json_t *doc, *out = NULL;
	char id[24], path[PATH_MAX];

	report(s, "Example Networks", "RX-100", 1, id);
	snprintf(path, sizeof(path), "%s/sbom/spdx-2.3-handwritten.json", unit_data_dir());
	doc = json_load_file(path, 0, NULL);
	cr_assert_not_null(doc);
	cr_assert_eq(kk_report_sbom_map(s, &c, id, doc, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_integer_value(json_object_get(out, "mapped")), 3);
	cr_assert_eq(json_array_size(json_object_get(out, "unmapped")), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM product_components", NULL), 0);
	json_decref(out);
	json_decref(doc);
	kk_user_release(&c);
	kk_store_close(s);
}
