/*
 * test_vendor_found.c: unit tests of vulnerabilities a vendor found in its
 * own product (lib/case/vendor_found.c, keikai/vendor_found.h; issue 10,
 * SPEC 2.14, G IV.6) through the real core on the engine under test (SQLite,
 * or PostgreSQL with KEIKAI_TEST_PG): the case of that vendor alone, day 0
 * and the proposed date (SPEC 2.8), the vendor's wished date as its answer,
 * who may register, who sees the case, and bad input with nothing stored.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/vendor.h"
#include "keikai/vendor_found.h"
#include "unit.h"

/* 2027-01-05 10:00 JST, a Tuesday: the registration, day 0 */
#define DAY0 1799110800

static int64_t num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* A product of the parties' vendor "Example Corp". */
static int64_t own_product(struct unit_parties *p)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *b = unit_json("{\"name_en\": \"Example Router\"}");
	int64_t id = 0;

	cr_assert_eq(kk_product_add(p->s, &p->coord, p->vid, b, &id, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	kk_error_release(&err);
	return id;
}

static enum kk_result reg(struct unit_parties *p, const struct kk_user *actor, json_t *b, json_t **out,
			  struct kk_error *err)
{
	json_t *o = NULL;
	enum kk_result res;

	kk_error_release(err);
	res = kk_case_register_own(p->s, actor, b, &o, err);
	json_decref(b);
	if (out)
		*out = o;
	else
		json_decref(o);
	return res;
}

static json_t *valid(int64_t product, const char *date)
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:[s], s:[s], s:s}", "title", "Buffer overflow in Router",
			      "summary", "A summary.", "detail", "The detail.", "product_id", (json_int_t)product, "cwe",
			      "CWE-787", "cvss3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "fixed_versions", "1.0.1",
			      "urls", "https://example.jp/advisory", "workaround_ja", "WANを切る。");

	cr_assert_not_null(b);
	if (date) {
		json_object_set_new(b, "date", json_string(date));
		json_object_set_new(b, "reason", json_string("Customers need time."));
	}
	return b;
}

/* SPEC 2.14: the case of that vendor alone, notified, fixed, with the countermeasure and day 0 */
Test(vendor_found, the_case_of_that_vendor_alone)
{
	struct kk_error err = KK_ERROR_INIT;
	struct unit_parties p;
	json_t *c = NULL, *v, *d = NULL, *seen = NULL;
	int64_t product;
	char ref[KK_CASE_REF_MAX];

	kk_clock_freeze(DAY0);
	unit_parties(&p);
	product = own_product(&p);
	kk_clock_freeze(DAY0); /* day 0 to the second */
	cr_assert_eq(reg(&p, &p.vendor, valid(product, NULL), &c, &err), KK_OK, "%s", err.msg);
	kk_clock_freeze(DAY0);
	snprintf(ref, sizeof(ref), "%s", json_string_value(json_object_get(c, "id")));
	json_decref(c);
	cr_assert_eq(kk_case_get(p.s, &p.coord, ref, &c, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(num(c, "day0"), DAY0, "registration is day 0");
	cr_assert_eq(json_array_size(json_object_get(c, "vendors")), 1);
	v = json_array_get(json_object_get(c, "vendors"), 0);
	cr_assert_eq(num(v, "vendor_id"), p.vid);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(v, "statuses"), 0), "status")),
			 "fixed");
	cr_assert_eq(json_array_size(json_object_get(v, "countermeasures")), 1);
	cr_assert_eq(unit_count(p.s, "SELECT vendor_found FROM cases WHERE ref = ?", ref), 1);
	cr_assert_eq(unit_count(p.s, "SELECT COUNT(*) FROM case_reports cr JOIN cases c ON c.id = cr.case_id WHERE c.ref = ?",
				ref),
		     0);
	cr_assert_eq(unit_count(p.s, "SELECT COUNT(*) FROM audit a JOIN cases c ON c.id = a.object_id"
				     " WHERE a.object_type = 'case' AND a.action = 'register_own' AND c.ref = ?",
				ref),
		     1);
	json_decref(c);
	/* SPEC 2.8: day 0 + 45 days = 2027-02-19, a Friday, 11:00 JST */
	cr_assert_eq(kk_case_date_get(p.s, &p.coord, ref, &d, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(d, "state")), "proposed");
	cr_assert_eq(num(d, "proposed_at"), 1803002400, "%lld", (long long)num(d, "proposed_at"));
	json_decref(d);
	/* SPEC 1: the vendor sees it; another vendor does not */
	cr_assert_eq(kk_case_get(p.s, &p.vendor, ref, &seen, &err), KK_OK, "%s", err.msg);
	json_decref(seen);
	cr_assert_eq(kk_case_get(p.s, &p.other, ref, &seen, &err), KK_ENOTFOUND);
	kk_error_release(&err);
	unit_parties_end(&p);
	kk_clock_set(0);
}

/* SPEC 2.14: "a date agreed with the vendor": its wish is its answer to the proposed date */
Test(vendor_found, the_wished_date_is_its_answer)
{
	struct kk_error err = KK_ERROR_INIT;
	struct unit_parties p;
	json_t *c = NULL, *d = NULL, *a;
	char ref[KK_CASE_REF_MAX];

	kk_clock_freeze(DAY0);
	unit_parties(&p);
	cr_assert_eq(reg(&p, &p.vendor, valid(own_product(&p), "2027-03-05"), &c, &err), KK_OK, "%s", err.msg);
	snprintf(ref, sizeof(ref), "%s", json_string_value(json_object_get(c, "id")));
	json_decref(c);
	cr_assert_eq(kk_case_date_get(p.s, &p.coord, ref, &d, &err), KK_OK, "%s", err.msg);
	a = json_array_get(json_object_get(d, "answers"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(a, "answer")), "other");
	/* 2027-03-05 11:00 JST */
	cr_assert_eq(num(a, "wanted_at"), 1804212000, "%lld", (long long)num(a, "wanted_at"));
	cr_assert_str_eq(json_string_value(json_object_get(a, "reason")), "Customers need time.");
	json_decref(d);
	kk_error_release(&err);
	unit_parties_end(&p);
	kk_clock_set(0);
}

/* SPEC 2.14: only a vendor user, for its own products */
Test(vendor_found, who_may_register)
{
	struct kk_error err = KK_ERROR_INIT;
	struct unit_parties p;
	int64_t product;

	kk_clock_freeze(DAY0);
	unit_parties(&p);
	product = own_product(&p);
	cr_assert_eq(reg(&p, &p.coord, valid(product, NULL), NULL, &err), KK_EDENIED);
	cr_assert_eq(reg(&p, &p.intake, valid(product, NULL), NULL, &err), KK_EDENIED);
	cr_assert_eq(reg(&p, &kk_anonymous, valid(product, NULL), NULL, &err), KK_EDENIED);
	/* the other vendor's user may not name Example Corp's product */
	cr_assert_eq(reg(&p, &p.other, valid(product, NULL), NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "product_id"));
	cr_assert_eq(unit_count(p.s, "SELECT COUNT(*) FROM cases", NULL), 0);
	kk_error_release(&err);
	unit_parties_end(&p);
	kk_clock_set(0);
}

/* Bad input names every field at once; nothing is stored */
Test(vendor_found, bad_input)
{
	struct kk_error err = KK_ERROR_INIT;
	struct unit_parties p;
	json_t *b;
	static const char *const faulty[] = { "title", "summary", "detail", "product_id", "cwe", "cvss3",
					      "fixed_versions", "date", "reason", "extra", NULL };

	kk_clock_freeze(DAY0);
	unit_parties(&p);
	b = unit_json("{\"title\": \"\", \"summary\": 1, \"cwe\": \"CWE-x\", \"cvss3\": \"CVSS:3.1/AV:X\","
	      " \"date\": \"2027-02-30\", \"extra\": true}");
	cr_assert_eq(reg(&p, &p.vendor, b, NULL, &err), KK_EINVAL);
	for (size_t i = 0; faulty[i]; i++)
		cr_assert_not_null(json_object_get(err.fields, faulty[i]), "%s not named", faulty[i]);
	/* SPEC 2.8: a wished date on a Sunday, or in the past */
	b = valid(own_product(&p), "2027-03-07");
	cr_assert_eq(reg(&p, &p.vendor, b, NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "date"));
	b = valid(own_product(&p), "2026-12-01");
	cr_assert_eq(reg(&p, &p.vendor, b, NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "date"));
	/* G IV.6: with the fix */
	b = valid(own_product(&p), NULL);
	json_object_del(b, "fixed_versions");
	json_object_del(b, "urls");
	cr_assert_eq(reg(&p, &p.vendor, b, NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "fixed_versions"));
	cr_assert_eq(unit_count(p.s, "SELECT COUNT(*) FROM cases", NULL), 0);
	cr_assert_eq(unit_count(p.s, "SELECT COUNT(*) FROM case_vendors", NULL), 0);
	kk_error_release(&err);
	unit_parties_end(&p);
	kk_clock_set(0);
}
