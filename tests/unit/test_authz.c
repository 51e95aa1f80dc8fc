/*
 * The access policy (authz.h, lib/authz/policy.c; SPEC 1) tried as an attacker
 * would: every action × role × relation against an expectation written out here
 * from SPEC 1, independently of the table, so a row that grants too much or too
 * little fails; then the same through the real core on a real database (reading,
 * the finder's identity, evidence, the queue, deciding, assessing), where what
 * is denied must look like what is missing; and the documentation shows the
 * table row for row.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/authz.h"
#include "keikai/report.h"
#include "unit.h"

#define N_ROLES (KK_ROLE_ADMIN + 1)

/*
 * What SPEC 1 allows, one line per action, one column per role in the order of
 * enum kk_role: anonymous, intake, coordinator, vendor, operator, committee,
 * admin. 'Y' allowed, '-' refused, 'c' only when the finder consented to their
 * identity being passed on, 'v' only on the user's own vendor (issue 8), and
 * on a case (issue 9) 'n' only when the user's vendor was notified of it, 'd'
 * only when it also asked for the detail, 's' only when the case also shares
 * the vendors' names, 'x' only when the finder and the vendor both consented
 * to talk directly.
 */
static const struct {
	enum kk_action action;
	const char *by_role;
} spec[] = {
	{ KK_ACT_PUBLIC_READ, "YYYYYYY" },
	{ KK_ACT_REPORT_SUBMIT, "YYYYYYY" },  /* SPEC 2.1: anyone may report */
	{ KK_ACT_REPORT_STATUS, "YYYYYYY" },  /* SPEC 2.13: the secret is the key */
	{ KK_ACT_SIGN_IN, "YYYYYYY" },
	{ KK_ACT_SIGN_OUT, "-YYYYYY" },
	{ KK_ACT_QUEUE_READ, "-YY---Y" },     /* SPEC 2.2, 2.3 */
	{ KK_ACT_REPORT_READ, "-YY---Y" },    /* vendors only see their cases' summaries (issue 9) */
	{ KK_ACT_FINDER_READ, "-Yc---Y" },    /* SPEC 1, G IV.3(1)6 */
	{ KK_ACT_EVIDENCE_READ, "-Y----Y" },  /* SPEC 2.1 キ */
	{ KK_ACT_REPORT_DECIDE, "-Y-----" },  /* SPEC 2.2 */
	{ KK_ACT_REPORT_ASSESS, "-YY----" },  /* SPEC 2.3, G 付録4 */
	/* SPEC 2.5, G IV.4.1-4.2: the vendor registry */
	{ KK_ACT_VENDOR_ADD, "--Y---Y" },
	{ KK_ACT_VENDOR_READ, "-YYv--Y" },
	{ KK_ACT_VENDOR_WRITE, "--Yv--Y" },
	{ KK_ACT_REGISTRY_SEARCH, "-YY---Y" },
	{ KK_ACT_VENDOR_REQUEST, "YYYYYYY" },
	{ KK_ACT_VENDOR_REQUEST_DECIDE, "--Y---Y" },
	{ KK_ACT_REPORT_VENDORS_READ, "-YY---Y" },
	{ KK_ACT_REPORT_VENDORS_CONFIRM, "--Y----" },
	/* SPEC 1, 2.4-2.7, 2.13, R 5.1.2: cases */
	{ KK_ACT_CASE_OPEN, "--Y----" },
	{ KK_ACT_CASE_READ, "-YYn--Y" },        /* a vendor only cases it was notified of */
	{ KK_ACT_CASE_DETAIL_READ, "-YYd--Y" }, /* the detail only after it asked */
	{ KK_ACT_CASE_WRITE, "--Y----" },
	{ KK_ACT_CASE_NOTIFY, "--Y----" },
	{ KK_ACT_CASE_VENDORS_READ, "-YY---Y" }, /* no vendor sees another's status */
	{ KK_ACT_CASE_VENDOR_NAMES, "-YYs--Y" },
	{ KK_ACT_CASE_ANSWER, "---n---" },
	{ KK_ACT_CASE_VENDOR_WRITE, "--Yd---" },
	{ KK_ACT_CASE_MESSAGE, "-YYn---" },
	{ KK_ACT_CASE_FINDER_THREAD, "-Yc----" }, /* SPEC 1: identity stays with intake */
	{ KK_ACT_CASE_DIRECT_THREAD, "-YYx---" },
	{ KK_ACT_CASE_AUDIT_READ, "-YY---Y" },
	{ KK_ACT_FINDER_MESSAGE, "YYYYYYY" },   /* the status page's secret is the key */
};

static char expected(enum kk_action action, enum kk_role role)
{
	for (size_t i = 0; i < sizeof(spec) / sizeof(spec[0]); i++)
		if (spec[i].action == action)
			return spec[i].by_role[role];
	cr_assert_fail("the test has no expectation for %s", kk_action_name(action));
	return '-';
}

Test(authz, every_action_role_and_relation_as_spec_1_says)
{
	struct kk_report consented = { .share_identity = 1 }, withheld = { .share_identity = 0 };
	/* where vendor 7 (the user's below) and vendor 8 stand in a case */
	const struct kk_case_party added = { .vendor_id = 7 }, notified = { .vendor_id = 7, .notified = 1 },
				   detail = { .vendor_id = 7, .notified = 1, .detail = 1 },
				   names = { .vendor_id = 7, .notified = 1, .names_shared = 1 },
				   direct = { .vendor_id = 7, .notified = 1, .direct = 1 },
				   all = { .vendor_id = 7, .notified = 1, .detail = 1, .names_shared = 1, .direct = 1 },
				   other = { .vendor_id = 8, .notified = 1, .detail = 1, .names_shared = 1, .direct = 1 },
				   unnotified = { .vendor_id = 7, .detail = 1, .names_shared = 1, .direct = 1 };
	/* each object, with the letters of the relations that hold between it and the user */
	const struct {
		struct kk_object obj;
		const char *holds;
	} objs[] = {
		{ { .report = &withheld, .vendor_id = 8 }, "" },
		{ { .report = &withheld, .vendor_id = 7 }, "v" },
		{ { .report = &consented, .vendor_id = 8 }, "c" },
		{ { .report = &consented, .vendor_id = 7 }, "cv" },
		{ { .party = &added }, "" },
		{ { .party = &notified }, "n" },
		{ { .party = &detail }, "nd" },
		{ { .party = &names }, "ns" },
		{ { .party = &direct }, "nx" },
		{ { .party = &all, .report = &consented }, "ndsxc" },
		{ { .party = &other, .report = &withheld }, "" },
		{ { .party = &unnotified }, "" },
	};
	const struct kk_object unowned = { .vendor_id = 0, .party = &(struct kk_case_party){ .notified = 1, .detail = 1 } };

	cr_assert_eq(sizeof(spec) / sizeof(spec[0]), (size_t)KK_ACT_COUNT - 1, "an action has no expectation");
	for (int a = KK_ACT_NONE + 1; a < KK_ACT_COUNT; a++) {
		for (int role = 0; role < N_ROLES; role++) {
			struct kk_user u = { .role = (enum kk_role)role, .vendor_id = 7 };
			struct kk_user vendorless = { .role = (enum kk_role)role, .vendor_id = 0 };
			char want = expected((enum kk_action)a, (enum kk_role)role);
			const char *what = kk_action_name((enum kk_action)a), *who = kk_role_name((enum kk_role)role);

			for (size_t o = 0; o < sizeof(objs) / sizeof(objs[0]); o++)
				cr_assert_eq(kk_may(&u, (enum kk_action)a, &objs[o].obj),
					     want == 'Y' || (want != '-' && strchr(objs[o].holds, want) != NULL),
					     "%s by %s, object %zu (relations \"%s\")", what, who, o, objs[o].holds);
			/* a user of no vendor owns no object, not even one of no vendor */
			cr_assert_eq(kk_may(&vendorless, (enum kk_action)a, &unowned), want == 'Y',
				     "%s by %s of no vendor", what, who);
			cr_assert_eq(kk_may_some((enum kk_role)role, (enum kk_action)a), want != '-', "%s by %s: some",
				     what, who);
			/* a relation that needs an object never holds without one */
			cr_assert_eq(kk_may(&u, (enum kk_action)a, NULL), want == 'Y', "%s by %s, no object", what, who);
		}
	}
	for (int role = 0; role < N_ROLES; role++)
		cr_assert_not(kk_may_some((enum kk_role)role, KK_ACT_NONE), "no one may do an undeclared action");
}

/* The policy's deciders are exactly the triage flow's (flow.h): one source each,
 * agreeing. */
Test(authz, deciders_are_the_triage_flows)
{
	for (int role = 0; role < N_ROLES; role++)
		cr_assert_eq(kk_may_some((enum kk_role)role, KK_ACT_REPORT_DECIDE),
			     kk_flow_role_may_fire(&kk_report_triage, "accept", (enum kk_role)role) ||
				     kk_flow_role_may_fire(&kk_report_triage, "reject", (enum kk_role)role),
			     "%s", kk_role_name((enum kk_role)role));
}

/* ---- through the core ---- */

static struct kk_user *cast(struct kk_store *s, struct kk_user *users)
{
	users[KK_ROLE_NONE] = kk_anonymous;
	for (int role = 1; role < N_ROLES; role++) {
		char email[64];

		snprintf(email, sizeof(email), "authz-%s@example.jp", kk_role_name((enum kk_role)role));
		users[role] = unit_user(s, kk_role_name((enum kk_role)role), email);
	}
	return users;
}

static void release_cast(struct kk_user *users)
{
	for (int role = 1; role < N_ROLES; role++)
		kk_user_release(&users[role]);
}

/* A report with one attachment, the finder consenting to share identity or not. */
static void submit(struct kk_store *s, int share, char *id)
{
	json_t *body = unit_report_body("product");

	unit_set(body, "consent.share_identity", json_boolean(share));
	unit_set(body, "attachments",
		 json_pack("[{s:s, s:s, s:s}]", "filename", "poc.txt", "content_type", "text/plain", "data_base64",
			   "cG9jCg=="));
	unit_submit(s, body, id, NULL);
}

Test(authz, the_core_enforces_every_read)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user users[N_ROLES];
	char ids[2][24];

	cast(s, users);
	submit(s, 0, ids[0]);
	submit(s, 1, ids[1]);
	for (int share = 0; share < 2; share++) {
		for (int role = 0; role < N_ROLES; role++) {
			const struct kk_user *u = &users[role];
			const char *who = kk_role_name((enum kk_role)role);
			char read = expected(KK_ACT_REPORT_READ, u->role), finder = expected(KK_ACT_FINDER_READ, u->role);
			char evidence = expected(KK_ACT_EVIDENCE_READ, u->role);
			const struct kk_attachment *a;
			struct kk_report r;
			json_t *list = NULL, *json;
			enum kk_result res;

			/* a report the user may not read is a missing one */
			res = kk_report_get(s, u, ids[share], 0, &r, NULL);
			cr_assert_eq(res, read == 'Y' ? KK_OK : KK_ENOTFOUND, "read by %s", who);
			if (res == KK_OK) {
				json = kk_report_to_json(&r, u);
				cr_assert_eq(json_is_object(json_object_get(json, "finder")),
					     finder == 'Y' || (finder == 'c' && share), "finder by %s, consent %d", who,
					     share);
				cr_assert_eq(json_is_true(json_object_get(json, "finder_withheld")),
					     !(finder == 'Y' || (finder == 'c' && share)));
				json_decref(json);
			}
			kk_report_release(&r);

			/* evidence the user may not have is missing too, whatever the route */
			res = kk_report_attachment_get(s, u, ids[share], 0, &r, &a, NULL);
			cr_assert_eq(res, evidence == 'Y' ? KK_OK : KK_ENOTFOUND, "evidence by %s", who);
			if (res == KK_OK)
				cr_assert_eq(a->size, 4u);
			kk_report_release(&r);
			cr_assert_eq(kk_report_get(s, u, ids[share], 1, &r, NULL), evidence == 'Y' ? KK_OK : KK_ENOTFOUND,
				     "report with evidence by %s", who);
			kk_report_release(&r);

			res = kk_report_list(s, u, &(struct kk_queue_page){ -1, KK_QUEUE_LIMIT_DEFAULT, 1 }, &list,
					     &(int64_t){ 0 }, NULL);
			cr_assert_eq(res, expected(KK_ACT_QUEUE_READ, u->role) == 'Y' ? KK_OK : KK_EDENIED, "queue by %s",
				     who);
			cr_assert_eq(list != NULL, res == KK_OK);
			json_decref(list);
		}
	}
	release_cast(users);
	kk_store_close(s);
}

Test(authz, the_core_enforces_every_change)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user users[N_ROLES];

	cast(s, users);
	for (int role = 0; role < N_ROLES; role++) {
		const struct kk_user *u = &users[role];
		const char *who = kk_role_name((enum kk_role)role);
		struct kk_decision d = { 1, KK_REJECT_NONE, NULL };
		struct kk_assessment a = { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", { 0 } };
		struct kk_report r;
		char id[24];

		submit(s, 0, id);
		cr_assert_eq(kk_report_assess(s, u, id, &a, NULL, NULL),
			     expected(KK_ACT_REPORT_ASSESS, u->role) == 'Y' ? KK_OK : KK_EDENIED, "assess by %s", who);
		cr_assert_eq(kk_report_decide(s, u, id, &d, NULL, NULL),
			     expected(KK_ACT_REPORT_DECIDE, u->role) == 'Y' ? KK_OK : KK_EDENIED, "decide by %s", who);
		cr_assert_eq(kk_report_get(s, &users[KK_ROLE_INTAKE], id, 0, &r, NULL), KK_OK);
		cr_assert_eq(r.status, expected(KK_ACT_REPORT_DECIDE, u->role) == 'Y' ? KK_REPORT_ACCEPTED
										      : KK_REPORT_RECEIVED);
		cr_assert_eq(r.assessed_at != 0, expected(KK_ACT_REPORT_ASSESS, u->role) == 'Y');
		kk_report_release(&r);
	}
	release_cast(users);
	kk_store_close(s);
}

/* ---- the documentation shows the table ---- */

Test(authz, documentation_shows_every_row_and_no_other)
{
	char *doc = unit_read_source("docs/internals/access.md"), line[512], roles[128];
	const char *table = strstr(doc, "<!-- policy -->");
	size_t n_rules = 0;

	cr_assert_not_null(table, "access.md has no <!-- policy --> table");
	for (const struct kk_policy_rule *p = kk_policy; p->action != KK_ACT_NONE; p++, n_rules++) {
		unit_roles_text(p->roles, roles, sizeof(roles));
		snprintf(line, sizeof(line), "| %s | %s | %s | %s |", kk_action_name(p->action), roles,
			 kk_relation_name(p->relation), p->why);
		cr_assert_not_null(strstr(table, line), "access.md lacks the row %s", line);
	}
	cr_assert_eq(unit_table_rows(doc, "<!-- policy -->", "| action"), (int)n_rules,
		     "access.md has rows the table does not");
	free(doc);
}
