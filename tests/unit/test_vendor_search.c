/*
 * test_vendor_search.c: unit tests of the registry search (lib/vendor/search.c,
 * search_index.c, search_query.c, lib/store/registry_index.c; issue 8, capability 4; SPEC 2.5:
 * the coordinator finds a product's vendor in the registry).
 *
 * tests/data/registry/dictionary.jsonl is a small dictionary in MyJVN's format,
 * loaded with kk_vendor_import_myjvn; queries.tsv lists queries with the first
 * hit each must give (names in Japanese and English, full-width and
 * half-width forms, CPE names and patterns, 2.2 URIs, no match, refused
 * queries). more.jsonl adds a vendor, to see the index reload. Every store is
 * a fresh one on the engine under test (SQLite, or PostgreSQL in the cluster
 * KEIKAI_TEST_PG).
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/vendor.h"
#include "keikai/vendor_search.h"
#include "unit.h"

static void data_path(char *out, const char *name)
{
	snprintf(out, PATH_MAX, "%s/registry/%s", unit_data_dir(), name);
}

static void import(struct kk_store *s, const char *name)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_import_summary sum;
	char path[PATH_MAX];

	data_path(path, name);
	cr_assert_eq(kk_vendor_import_myjvn(s, path, NULL, NULL, &sum, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(sum.refused, 0, "%s: %zu lines refused", name, sum.refused);
	kk_error_release(&err);
}

/* A store with the sample dictionary and a coordinator to search as. */
static struct kk_store *registry(struct kk_user *coordinator)
{
	struct kk_store *s = unit_store(NULL);

	import(s, "dictionary.jsonl");
	*coordinator = unit_user(s, "coordinator", "coordinator@example.jp");
	return s;
}

/* The name a hit is known by in queries.tsv: its product's, or its vendor's. */
static const char *hit_name(const struct kk_registry_hit *h)
{
	if (h->product_id)
		return h->product_name_ja ? h->product_name_ja : h->product_name_en;
	return h->vendor_name_ja ? h->vendor_name_ja : h->vendor_name_en;
}

static const char *dash_null(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : s;
}

/* SPEC 2.5: every query of queries.tsv gives its first hit, or its refusal. */
Test(vendor_search, queries_file)
{
	struct kk_user coord;
	struct kk_store *s = registry(&coord);
	char path[PATH_MAX], line[2048];
	FILE *f;
	int n = 0;

	data_path(path, "queries.tsv");
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		struct kk_error err = KK_ERROR_INIT;
		struct kk_registry_results res;
		struct kk_registry_query q = { 0 };
		char *col[4], *p = line;
		enum kk_result rc;
		int i;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		for (i = 0; i < 4; i++) {
			col[i] = p;
			p = strchr(p, '\t');
			cr_assert(i == 3 || p, "queries.tsv: too few columns in \"%s\"", line);
			if (p)
				*p++ = '\0';
		}
		q.text = dash_null(col[0]);
		q.cpe = dash_null(col[1]);
		rc = kk_registry_search(s, &coord, &q, &res, &err);
		if (strncmp(col[2], "ERROR ", 6) == 0) {
			cr_expect_eq(rc, KK_EINVAL, "%s | %s: expected a refusal, got %d", col[0], col[1], rc);
			cr_expect(err.fields && json_object_get(err.fields, col[2] + 6), "%s | %s: no error on field %s",
				  col[0], col[1], col[2] + 6);
		} else {
			cr_assert_eq(rc, KK_OK, "%s | %s: %s", col[0], col[1], err.msg);
			if (strcmp(col[2], "NONE") == 0) {
				cr_expect_eq(res.n, 0, "%s: expected nothing, got %zu hits", col[0], res.n);
				cr_expect_eq(res.total, 0);
			} else {
				cr_expect_gt(res.n, 0, "%s | %s: nothing found", col[0], col[1]);
				if (res.n) {
					cr_expect_str_eq(hit_name(&res.hits[0]), col[2], "%s | %s: first hit", col[0],
							 col[1]);
					if (strcmp(col[3], "-") != 0)
						cr_expect_eq(res.hits[0].score, atoi(col[3]), "%s: score %d", col[0],
							     res.hits[0].score);
				}
				for (size_t k = 1; k < res.n; k++)
					cr_expect_geq(res.hits[k - 1].score, res.hits[k].score, "%s: not best first",
						      col[0]);
			}
		}
		kk_registry_results_release(&res);
		kk_error_release(&err);
		n++;
	}
	fclose(f);
	cr_expect_gt(n, 30, "queries.tsv has %d queries", n);
	kk_user_release(&coord);
	kk_store_close(s);
}

/* SPEC 2.5: a vendor's hit carries what the coordinator needs to choose. */
Test(vendor_search, hit_fields_and_json)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user coord;
	struct kk_store *s = registry(&coord);
	struct kk_registry_results res;
	struct kk_registry_query q = { .text = "cpe:2.3:h:zeta:router" };
	json_t *j;

	cr_assert_eq(kk_registry_search(s, &coord, &q, &res, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(res.n, 2); /* the product, and its vendor (whose CPE name covers it) */
	cr_expect_gt(res.hits[0].product_id, 0);
	cr_expect_str_eq(res.hits[0].cpe23, "cpe:2.3:h:zeta:router:*:*:*:*:*:*:*:*");
	cr_expect_eq(res.hits[1].product_id, 0);
	cr_expect_str_eq(res.hits[1].vendor_name_en, "Zeta Co., Ltd.");
	cr_expect_eq(res.hits[0].listed_publicly, 0);
	cr_expect_eq(res.hits[0].last_contact_at, 0);
	j = kk_registry_hit_json(&res.hits[0], "ja");
	cr_assert_not_null(j);
	cr_expect_str_eq(json_string_value(json_object_get(j, "vendor_name")), "Zeta Co., Ltd.");
	cr_expect_str_eq(json_string_value(json_object_get(j, "product_name")), "Zeta Router");
	cr_expect_str_eq(json_string_value(json_object_get(j, "cpe")), "cpe:2.3:h:zeta:router:*:*:*:*:*:*:*:*");
	cr_expect(json_is_null(json_object_get(j, "last_contact_at")));
	cr_expect(json_is_false(json_object_get(j, "listed_publicly")));
	cr_expect_eq(json_integer_value(json_object_get(j, "score")), 1000);
	json_decref(j);
	j = kk_registry_hit_json(&res.hits[1], "en");
	cr_expect(json_is_null(json_object_get(j, "product_id")));
	cr_expect(json_is_null(json_object_get(j, "product_name")));
	json_decref(j);
	kk_registry_results_release(&res);
	kk_user_release(&coord);
	kk_store_close(s);
}

/* The registry's version moves with every import, and the next search sees the
 * change (SPEC 2.5: a vendor added on the spot is found at once). */
Test(vendor_search, index_reloads_after_a_change)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user coord;
	struct kk_store *s = registry(&coord);
	struct kk_registry_results res;
	struct kk_registry_query q = { .text = "newcomer" };
	struct kk_registry_index_stats st1, st2;

	cr_assert_eq(kk_registry_search(s, &coord, &q, &res, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(res.total, 0);
	kk_registry_results_release(&res);
	cr_assert_eq(kk_registry_index_stats(s, &st1, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(st1.vendors, 7);
	cr_expect_eq(st1.products, 11);
	/* results keep their strings after the index they came from is replaced */
	q.text = "zeta";
	cr_assert_eq(kk_registry_search(s, &coord, &q, &res, &err), KK_OK, "%s", err.msg);
	import(s, "more.jsonl");
	q.text = "ｎｅｗｃｏｍｅｒ";
	{
		struct kk_registry_results res2;

		cr_assert_eq(kk_registry_search(s, &coord, &q, &res2, &err), KK_OK, "%s", err.msg);
		cr_expect_eq(res2.total, 2); /* the vendor and its product */
		cr_expect_str_eq(hit_name(&res2.hits[0]), "Newcomer Labs");
		kk_registry_results_release(&res2);
	}
	cr_expect_str_eq(res.hits[0].vendor_name_en, "Zeta Co., Ltd.");
	kk_registry_results_release(&res);
	cr_assert_eq(kk_registry_index_stats(s, &st2, &err), KK_OK, "%s", err.msg);
	cr_expect_gt(st2.version, st1.version);
	cr_expect_eq(st2.vendors, 8);
	/* dropped: built again on the next search */
	kk_registry_index_drop(s);
	q.text = "cpe:2.3:h:newcomer:gateway";
	cr_assert_eq(kk_registry_search(s, &coord, &q, &res, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(res.n, 2);
	cr_expect_str_eq(hit_name(&res.hits[0]), "Newcomer Gateway");
	kk_registry_results_release(&res);
	kk_user_release(&coord);
	kk_store_close(s);
}

/* vendors_only: one hit per vendor, by the vendor's own names. */
Test(vendor_search, vendors_only)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user coord;
	struct kk_store *s = registry(&coord);
	struct kk_registry_results res;
	struct kk_registry_query q = { .text = "abc", .vendors_only = 1 };

	cr_assert_eq(kk_registry_search(s, &coord, &q, &res, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(res.n, 1);
	cr_expect_eq(res.hits[0].product_id, 0);
	cr_expect_str_eq(res.hits[0].vendor_name_en, "ABC Systems");
	kk_registry_results_release(&res);
	q.text = "router"; /* only products are called so */
	cr_assert_eq(kk_registry_search(s, &coord, &q, &res, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(res.total, 0);
	kk_registry_results_release(&res);
	q.text = NULL;
	q.cpe = "cpe:2.3:*:microsoft";
	cr_assert_eq(kk_registry_search(s, &coord, &q, &res, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(res.n, 1);
	cr_expect_eq(res.hits[0].product_id, 0);
	kk_registry_results_release(&res);
	kk_user_release(&coord);
	kk_store_close(s);
}

/* limit: the best first, all counted; queries of one or two bytes too (they
 * take another path through the index). */
Test(vendor_search, limit_and_total)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user coord;
	struct kk_store *s = registry(&coord);
	struct kk_registry_results all, two;
	static const char *const queries[] = { "o", "r", "ro", "er", "ー", "サ", "rou", "cpe:2.3:*" };

	for (size_t i = 0; i < sizeof(queries) / sizeof(*queries); i++) {
		struct kk_registry_query q = { .text = queries[i], .limit = KK_REGISTRY_LIMIT_MAX };

		cr_assert_eq(kk_registry_search(s, &coord, &q, &all, &err), KK_OK, "%s", err.msg);
		cr_expect_eq(all.n, all.total, "%s", queries[i]);
		cr_expect_gt(all.total, 0, "%s", queries[i]);
		q.limit = 2;
		cr_assert_eq(kk_registry_search(s, &coord, &q, &two, &err), KK_OK, "%s", err.msg);
		cr_expect_eq(two.total, all.total, "%s", queries[i]);
		cr_expect_eq(two.n, all.total < 2 ? all.total : 2, "%s", queries[i]);
		for (size_t k = 0; k < two.n; k++) {
			cr_expect_eq(two.hits[k].vendor_id, all.hits[k].vendor_id, "%s #%zu", queries[i], k);
			cr_expect_eq(two.hits[k].product_id, all.hits[k].product_id, "%s #%zu", queries[i], k);
			cr_expect_eq(two.hits[k].score, all.hits[k].score, "%s #%zu", queries[i], k);
		}
		kk_registry_results_release(&all);
		kk_registry_results_release(&two);
	}
	/* "o" is in every vendor's or product's name but three */
	{
		struct kk_registry_query q = { .text = "ｏ", .limit = 1 };

		cr_assert_eq(kk_registry_search(s, &coord, &q, &all, &err), KK_OK, "%s", err.msg);
		cr_expect_eq(all.n, 1);
		kk_registry_results_release(&all);
	}
	kk_user_release(&coord);
	kk_store_close(s);
}

/* Bad input is refused with the field at fault: too long, not UTF-8. */
Test(vendor_search, refused_input)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user coord;
	struct kk_store *s = registry(&coord);
	struct kk_registry_results res;
	char longq[KK_REGISTRY_QUERY_MAX + 2];
	struct kk_registry_query q = { .text = longq };

	memset(longq, 'a', sizeof(longq) - 1);
	longq[sizeof(longq) - 1] = '\0';
	cr_expect_eq(kk_registry_search(s, &coord, &q, &res, &err), KK_EINVAL);
	cr_expect_not_null(json_object_get(err.fields, "q"));
	kk_error_clear(&err);
	q.text = "abc\xff";
	cr_expect_eq(kk_registry_search(s, &coord, &q, &res, &err), KK_EINVAL);
	cr_expect_not_null(json_object_get(err.fields, "q"));
	kk_error_clear(&err);
	q.text = "abc";
	q.cpe = longq;
	cr_expect_eq(kk_registry_search(s, &coord, &q, &res, &err), KK_EINVAL);
	cr_expect_not_null(json_object_get(err.fields, "cpe"));
	kk_error_release(&err);
	kk_user_release(&coord);
	kk_store_close(s);
}

/* SPEC 2.5 with the access policy: intake, coordinators and administrators
 * search the whole registry; a vendor user or the public cannot (as missing). */
Test(vendor_search, who_may_search)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user coord;
	struct kk_store *s = registry(&coord);
	struct kk_user intake = unit_user(s, "intake", "intake@example.jp");
	struct kk_user vendor = unit_user(s, "vendor", "vendor@example.jp");
	struct kk_registry_results res;
	struct kk_registry_query q = { .text = "abc" };

	cr_expect_eq(kk_registry_search(s, &intake, &q, &res, &err), KK_OK, "%s", err.msg);
	cr_expect_gt(res.n, 0);
	kk_registry_results_release(&res);
	cr_expect_eq(kk_registry_search(s, &vendor, &q, &res, &err), KK_ENOTFOUND);
	cr_expect_eq(res.n, 0);
	kk_error_clear(&err);
	cr_expect_eq(kk_registry_search(s, &kk_anonymous, &q, &res, &err), KK_ENOTFOUND);
	kk_error_release(&err);
	kk_user_release(&intake);
	kk_user_release(&vendor);
	kk_user_release(&coord);
	kk_store_close(s);
}

/* A failed allocation anywhere in a search (the index's build included) is a
 * clean KK_ENOMEM-like error with a message, never a crash or a half-built index
 * used later; the next search without a failure finds what it should. */
Test(vendor_search, out_of_memory_at_every_allocation)
{
	struct kk_user coord;
	struct kk_store *s = registry(&coord);
	static const char *const queries[] = { "ｻﾝﾌﾟﾙ", "e", "cpe:2.3:a:microsoft:*" };

	for (size_t i = 0; i < sizeof(queries) / sizeof(*queries); i++) {
		for (long n = 1;; n++) {
			struct kk_error err = KK_ERROR_INIT;
			struct kk_registry_results res;
			struct kk_registry_query q = { .text = queries[i] };
			enum kk_result rc;
			int injected;

			kk_registry_index_drop(s);
			kk_alloc_fail_at(n);
			rc = kk_registry_search(s, &coord, &q, &res, &err);
			injected = kk_alloc_injected();
			kk_alloc_fail_at(0);
			if (!injected) {
				cr_assert_eq(rc, KK_OK, "%s: %s", queries[i], err.msg);
				cr_expect_gt(res.n, 0, "%s", queries[i]);
				kk_registry_results_release(&res);
				kk_error_release(&err);
				break;
			}
			cr_assert_neq(rc, KK_OK, "%s went on as if allocation %ld had not failed", queries[i], n);
			cr_assert_eq(err.code, rc, "%s, allocation %ld: %d but err says %d", queries[i], n, rc, err.code);
			cr_assert(err.msg[0], "%s, allocation %ld: no message", queries[i], n);
			cr_assert_eq(res.n, 0);
			kk_registry_results_release(&res);
			kk_error_release(&err);
		}
	}
	kk_user_release(&coord);
	kk_store_close(s);
}
