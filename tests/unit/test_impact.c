/* Unit tests of impact-based triage (lib/impact.c, report assessment and queue
 * order): SPEC 2.3 and SPEC 7 (G 付録4). */
#include <criterion/criterion.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/impact.h"
#include "keikai/report.h"
#include "unit.h"

/* SPEC 7: all three factors unknown -> wide; published attacks -> wide. */
Test(impact, scope_from_the_three_factors)
{
	struct {
		enum kk_users users;
		enum kk_answer infra, attack;
		enum kk_scope want;
	} cases[] = {
		{ KK_USERS_UNKNOWN, KK_ANSWER_UNKNOWN, KK_ANSWER_UNKNOWN, KK_SCOPE_WIDE },
		{ KK_USERS_FEW, KK_ANSWER_NO, KK_ANSWER_YES, KK_SCOPE_WIDE },
		{ KK_USERS_MANY, KK_ANSWER_YES, KK_ANSWER_NO, KK_SCOPE_WIDE },
		{ KK_USERS_MANY, KK_ANSWER_UNKNOWN, KK_ANSWER_NO, KK_SCOPE_WIDE },
		{ KK_USERS_MANY, KK_ANSWER_NO, KK_ANSWER_NO, KK_SCOPE_MEDIUM },
		{ KK_USERS_FEW, KK_ANSWER_YES, KK_ANSWER_NO, KK_SCOPE_MEDIUM },
		{ KK_USERS_UNKNOWN, KK_ANSWER_UNKNOWN, KK_ANSWER_NO, KK_SCOPE_MEDIUM },
		{ KK_USERS_FEW, KK_ANSWER_UNKNOWN, KK_ANSWER_NO, KK_SCOPE_NARROW },
		{ KK_USERS_FEW, KK_ANSWER_NO, KK_ANSWER_NO, KK_SCOPE_NARROW },
		{ KK_USERS_FEW, KK_ANSWER_NO, KK_ANSWER_UNKNOWN, KK_SCOPE_NARROW },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kk_scope_factors f = { cases[i].users, cases[i].infra, cases[i].attack };

		cr_assert_eq(kk_scope_judge(&f), cases[i].want, "case %zu", i);
	}
}

/* SPEC 7: impact = CVSS v3 base score x impact scope. */
Test(impact, grid)
{
	cr_assert_eq(kk_impact_judge(98, KK_SCOPE_NARROW), KK_IMPACT_MEDIUM);
	cr_assert_eq(kk_impact_judge(70, KK_SCOPE_MEDIUM), KK_IMPACT_HIGH);
	cr_assert_eq(kk_impact_judge(69, KK_SCOPE_MEDIUM), KK_IMPACT_MEDIUM);
	cr_assert_eq(kk_impact_judge(40, KK_SCOPE_WIDE), KK_IMPACT_HIGH);
	cr_assert_eq(kk_impact_judge(39, KK_SCOPE_WIDE), KK_IMPACT_MEDIUM);
	cr_assert_eq(kk_impact_judge(39, KK_SCOPE_MEDIUM), KK_IMPACT_LOW);
	cr_assert_eq(kk_impact_judge(50, KK_SCOPE_NARROW), KK_IMPACT_LOW);
	cr_assert_eq(kk_impact_judge(0, KK_SCOPE_NARROW), KK_IMPACT_LOW);
	cr_assert_eq(kk_impact_judge(-1, KK_SCOPE_WIDE), KK_IMPACT_UNRATED);
	cr_assert_gt(KK_IMPACT_HIGH, KK_IMPACT_UNRATED, "unrated reports come right after high-impact ones");
	cr_assert_gt(KK_IMPACT_UNRATED, KK_IMPACT_MEDIUM);
}

static json_t *assessment(const char *vector, const char *users, const char *infra, const char *attack)
{
	return json_pack("{s:s?, s:{s:s?, s:s?, s:s?}}", "cvss_vector", vector, "scope", "users", users,
			 "critical_infrastructure", infra, "attack_public", attack);
}

Test(impact, assessment_input)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_assessment a;
	json_t *b;

	kk_i18n_init();
	kk_i18n_use(KK_LANG_EN);
	b = assessment("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "many", "yes", "no");
	cr_assert_eq(kk_assessment_from_json(b, &a, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(a.scope.users, KK_USERS_MANY);
	cr_assert_eq(a.scope.critical_infrastructure, KK_ANSWER_YES);
	json_decref(b);

	b = assessment("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", NULL, NULL, NULL);
	cr_assert_eq(kk_assessment_from_json(b, &a, &err), KK_EINVAL, "impact needs a v3 vector");
	cr_assert_not_null(json_object_get(err.fields, "cvss_vector"));
	json_decref(b);
	kk_error_clear(&err);

	b = assessment("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", NULL, NULL, NULL);
	cr_assert_eq(kk_assessment_from_json(b, &a, &err), KK_EINVAL);
	cr_assert_not_null(strstr(json_string_value(json_object_get(err.fields, "cvss_vector")), "AV"),
			   "the message names the metric: %s",
			   json_string_value(json_object_get(err.fields, "cvss_vector")));
	json_decref(b);
	kk_error_clear(&err);

	b = assessment(NULL, "lots", "maybe", NULL);
	cr_assert_eq(kk_assessment_from_json(b, &a, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "scope.users"));
	cr_assert_not_null(json_object_get(err.fields, "scope.critical_infrastructure"));
	json_decref(b);
	kk_error_release(&err);
}

static void assess(struct kk_store *s, const struct kk_user *who, const char *id, const char *vector,
		   const char *users, const char *infra, const char *attack)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_assessment a;
	json_t *b = assessment(vector, users, infra, attack);

	cr_assert_eq(kk_assessment_from_json(b, &a, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_report_assess(s, who, id, &a, NULL, &err), KK_OK, "%s", err.msg);
	json_decref(b);
}

/* SPEC 2.3: high-impact reports are handled first regardless of arrival. */
Test(impact, queue_puts_high_impact_first)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	struct kk_user coord = unit_user(s, "coordinator", "c@jpcert.example");
	char low[24], unrated[24], high[24], medium[24];
	struct kk_queue_page all = { -1, KK_QUEUE_LIMIT_MAX, 1 };
	json_t *list = NULL, *first;
	int64_t total;

	unit_submit(s, unit_report_body("product"), low, NULL);
	unit_submit(s, unit_report_body("product"), unrated, NULL);
	unit_submit(s, unit_report_body("product"), medium, NULL);
	unit_submit(s, unit_report_body("product"), high, NULL);
	assess(s, &intake, low, "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", "few", "no", "no");
	assess(s, &coord, medium, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N", "many", "no", "no");
	assess(s, &intake, high, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", NULL, NULL, NULL);

	cr_assert_eq(kk_report_list(s, &intake, &all, &list, &total, NULL), KK_OK);
	cr_assert_eq(json_array_size(list), 4);
	cr_assert_eq(total, 4);
	first = json_array_get(list, 0);
	cr_assert_str_eq(json_string_value(json_object_get(first, "tracking_id")), high, "newest but highest");
	cr_assert_str_eq(json_string_value(json_object_get(first, "impact")), "high");
	cr_assert_str_eq(json_string_value(json_object_get(first, "scope")), "wide");
	cr_assert_str_eq(json_string_value(json_object_get(first, "severity")), "Critical");
	cr_assert_float_eq(json_real_value(json_object_get(first, "base_score")), 9.8, 1e-9);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 1), "tracking_id")), unrated);
	cr_assert(json_is_null(json_object_get(json_array_get(list, 1), "base_score")));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 2), "tracking_id")), medium);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 3), "tracking_id")), low);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 3), "impact")), "low");
	json_decref(list);
	kk_user_release(&intake);
	kk_user_release(&coord);
	kk_store_close(s);
}

Test(impact, finder_vector_counts_until_staff_assess)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	json_t *body = unit_report_body("product"), *j;
	struct kk_report r;
	char id[24];

	unit_set(body, "details.cvss_vector", json_string("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"));
	unit_submit(s, body, id, NULL);
	cr_assert_eq(kk_report_get(s, &intake, id, 0, &r, NULL), KK_OK);
	j = kk_report_to_json(&r, &intake);
	cr_assert_float_eq(json_real_value(json_object_get(json_object_get(j, "impact"), "base_score")), 5.3, 1e-9);
	json_decref(j);
	kk_report_release(&r);
	assess(s, &intake, id, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "few", "no", "no");
	cr_assert_eq(kk_report_get(s, &intake, id, 0, &r, NULL), KK_OK);
	j = kk_report_to_json(&r, &intake);
	cr_assert_float_eq(json_real_value(json_object_get(json_object_get(j, "impact"), "base_score")), 10.0, 1e-9);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "impact"), "impact")), "medium",
			 "10.0 on a narrow scope is medium");
	cr_assert_str_eq(r.cvss_vector, "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", "the finder's vector is kept");
	json_decref(j);
	kk_report_release(&r);
	kk_user_release(&intake);
	kk_store_close(s);
}

/* SPEC 1: only intake and the coordinator assess. */
Test(impact, other_roles_may_not_assess)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user vendor = unit_user(s, "vendor", "v@corp.example");
	struct kk_assessment a = { 0 };
	char id[24];

	unit_submit(s, unit_report_body("product"), id, NULL);
	cr_assert_eq(kk_report_assess(s, &vendor, id, &a, NULL, NULL), KK_EDENIED);
	cr_assert_eq(kk_report_assess(s, &kk_anonymous, id, &a, NULL, NULL), KK_EDENIED);
	kk_user_release(&vendor);
	kk_store_close(s);
}
