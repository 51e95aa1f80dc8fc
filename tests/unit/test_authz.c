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
#include "keikai/case.h"
#include "keikai/provision.h"
#include "keikai/report.h"
#include "unit.h"

/* every role, the system's too: the policy gives it nothing (it is never a user's) */
#define N_ROLES KK_ROLE_COUNT

/*
 * What SPEC 1 allows, one line per action, one column per role in the order of
 * enum kk_role: anonymous, intake, coordinator, vendor, operator, committee,
 * admin, recipient (issue 10) and system (the scheduler: never a user's, given
 * nothing). 'Y' allowed, '-' refused, 'c' only when the finder consented to their
 * identity being passed on, 'v' only on the user's own vendor (issue 8), 'r'
 * only on what was provided to the user's own recipient (issue 10), and
 * on a case (issue 9) 'n' only when the user's vendor was notified of it, 'd'
 * only when it also asked for the detail, 's' only when the case also shares
 * the vendors' names, 'x' only when the finder and the vendor both consented
 * to talk directly.
 */
static const struct {
	enum kk_action action;
	const char *by_role;
} spec[] = {
	{ KK_ACT_PUBLIC_READ, "YYYYYYYY-" },
	{ KK_ACT_REPORT_SUBMIT, "YYYYYYYY-" },  /* SPEC 2.1: anyone may report */
	{ KK_ACT_REPORT_STATUS, "YYYYYYYY-" },  /* SPEC 2.13: the secret is the key */
	{ KK_ACT_SIGN_IN, "YYYYYYYY-" },
	{ KK_ACT_SIGN_OUT, "-YYYYYYY-" },
	{ KK_ACT_QUEUE_READ, "-YY---Y--" },     /* SPEC 2.2, 2.3 */
	{ KK_ACT_REPORT_READ, "-YY---Y--" },    /* vendors only see their cases' summaries (issue 9) */
	{ KK_ACT_FINDER_READ, "-Yc---Y--" },    /* SPEC 1, G IV.3(1)6 */
	{ KK_ACT_EVIDENCE_READ, "-Y----Y--" },  /* SPEC 2.1 キ */
	{ KK_ACT_REPORT_DECIDE, "-Y-------" },  /* SPEC 2.2 */
	{ KK_ACT_REPORT_ASSESS, "-YY------" },  /* SPEC 2.3, G 付録4 */
	/* SPEC 2.5, G IV.4.1-4.2: the vendor registry */
	{ KK_ACT_VENDOR_ADD, "--Y---Y--" },
	{ KK_ACT_VENDOR_READ, "-YYv--Y--" },
	{ KK_ACT_VENDOR_WRITE, "--Yv--Y--" },
	{ KK_ACT_REGISTRY_SEARCH, "-YY---Y--" },
	{ KK_ACT_VENDOR_REQUEST, "YYYYYYYY-" },
	{ KK_ACT_VENDOR_REQUEST_DECIDE, "--Y---Y--" },
	{ KK_ACT_REPORT_VENDORS_READ, "-YY---Y--" },
	{ KK_ACT_REPORT_VENDORS_CONFIRM, "--Y------" },
	/* SPEC 1, 2.4-2.7, 2.13, R 5.1.2: cases */
	{ KK_ACT_CASE_OPEN, "--Y------" },
	{ KK_ACT_CASE_READ, "-YYn--Y--" },        /* a vendor only cases it was notified of */
	{ KK_ACT_CASE_DETAIL_READ, "-YYd--Y--" }, /* the detail only after it asked */
	{ KK_ACT_CASE_WRITE, "--Y------" },
	{ KK_ACT_CASE_NOTIFY, "--Y------" },
	{ KK_ACT_CASE_VENDORS_READ, "-YY---Y--" }, /* no vendor sees another's status */
	{ KK_ACT_CASE_VENDOR_NAMES, "-YYs--Y--" },
	{ KK_ACT_CASE_ANSWER, "---n-----" },
	{ KK_ACT_CASE_VENDOR_WRITE, "--Yd-----" },
	{ KK_ACT_CASE_MESSAGE, "-YYn-----" },
	{ KK_ACT_CASE_FINDER_THREAD, "-Yc------" }, /* SPEC 1: identity stays with intake */
	{ KK_ACT_CASE_DIRECT_THREAD, "-YYx-----" },
	{ KK_ACT_CASE_AUDIT_READ, "-YY---Y--" },
	{ KK_ACT_FINDER_MESSAGE, "YYYYYYYY-" },   /* the status page's secret is the key */
	/* issue 10: the date, the exceptions, the clocks (SPEC 2.8-2.12, 2.14, 8) */
	{ KK_ACT_CASE_DATE_SET, "--Y------" },        /* SPEC 2.8: the coordinator sets the one date */
	{ KK_ACT_CASE_DATE_ANSWER, "---n-----" },     /* SPEC 2.8: a vendor answers, never sets */
	{ KK_ACT_CASE_PRENOTIFY_ASK, "---d-----" },   /* G IV.4.9: a vendor that has the detail */
	{ KK_ACT_CASE_PRENOTIFY_DECIDE, "--Y------" }, /* G IV.4.9: the coordinator's consent */
	{ KK_ACT_RECIPIENT_MANAGE, "--Y---Y--" },     /* G IV.4.8 */
	{ KK_ACT_PROVISION_GIVE, "--Y------" },       /* SPEC 2.10: the coordinator, after consulting */
	{ KK_ACT_PROVISION_READ, "-YY---Yr-" },       /* SPEC 1, 2.10: a recipient only its own */
	{ KK_ACT_FINDER_LIFT, "YYYYYYYY-" },          /* SPEC 2.12: the status page's secret is the key */
	{ KK_ACT_CASE_LIFT_ANSWER, "-YY------" },     /* SPEC 2.12: staff answer */
	{ KK_ACT_CASE_REGISTER_OWN, "---v-----" },    /* SPEC 2.14: its own product only */
	{ KK_ACT_CLOCKS_READ, "-YY---Y--" },          /* SPEC 8: the dashboard */
	/* issue 11: mail that fitted nowhere */
	{ KK_ACT_INBOUND_REVIEW, "-YY------" },       /* staff who take reports and talk with vendors */
	/* issue 12: advisories (SPEC 6): the draft is its case's until publication */
	{ KK_ACT_ADVISORY_READ, "-YYn--Y--" },        /* staff, and the case's notified vendors preview */
	{ KK_ACT_ADVISORY_WRITE, "--Y------" },       /* the coordinator writes and approves */
	{ KK_ACT_ADVISORY_COMMENT, "---n-----" },     /* a notified vendor comments on the draft */
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
		/* a provision (issue 10): given to recipient 5 (the user's) or 6 */
		{ { .recipient_id = 5 }, "r" },
		{ { .recipient_id = 6 }, "" },
		{ { .recipient_id = 5, .vendor_id = 7, .party = &all, .report = &consented }, "rvndsxc" },
	};
	const struct kk_object unowned = { .vendor_id = 0, .recipient_id = 0,
					   .party = &(struct kk_case_party){ .notified = 1, .detail = 1 } };

	cr_assert_eq(sizeof(spec) / sizeof(spec[0]), (size_t)KK_ACT_COUNT - 1, "an action has no expectation");
	for (int a = KK_ACT_NONE + 1; a < KK_ACT_COUNT; a++) {
		for (int role = 0; role < N_ROLES; role++) {
			struct kk_user u = { .role = (enum kk_role)role, .vendor_id = 7, .recipient_id = 5 };
			struct kk_user vendorless = { .role = (enum kk_role)role, .vendor_id = 0, .recipient_id = 0 };
			char want = expected((enum kk_action)a, (enum kk_role)role);
			const char *what = kk_action_name((enum kk_action)a), *who = kk_role_name((enum kk_role)role);

			for (size_t o = 0; o < sizeof(objs) / sizeof(objs[0]); o++)
				cr_assert_eq(kk_may(&u, (enum kk_action)a, &objs[o].obj),
					     want == 'Y' || (want != '-' && strchr(objs[o].holds, want) != NULL),
					     "%s by %s, object %zu (relations \"%s\")", what, who, o, objs[o].holds);
			/* a user of no vendor and no recipient owns no object, not even one of none */
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
	users[KK_ROLE_SYSTEM] = kk_system_user; /* never a user's: kk_role_parse refuses it */
	for (int role = 1; role <= KK_ROLE_LAST_USER; role++) {
		char email[64];

		snprintf(email, sizeof(email), "authz-%s@example.jp", kk_role_name((enum kk_role)role));
		users[role] = unit_user(s, kk_role_name((enum kk_role)role), email);
	}
	return users;
}

static void release_cast(struct kk_user *users)
{
	for (int role = 1; role <= KK_ROLE_LAST_USER; role++)
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

/* ---- priority provision through the core (issue 10; SPEC 1, 2.10) ---- */

static json_t *body_of(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	cr_assert_not_null(j, "bad test JSON: %s", text);
	return j;
}

/* Calls fn(s, user, ref, body) with the JSON text body; returns its result. */
static enum kk_result change(struct kk_store *s, const struct kk_user *u, const char *ref, const char *body,
			     enum kk_result (*fn)(struct kk_store *, const struct kk_user *, const char *, const json_t *,
						  json_t **, struct kk_error *),
			     json_t **out, struct kk_error *err)
{
	json_t *b = body_of(body), *mine = NULL;
	enum kk_result res = fn(s, u, ref, b, out ? out : &mine, err);

	json_decref(b);
	json_decref(mine);
	return res;
}

static enum kk_result add_recipient(struct kk_store *s, const struct kk_user *u, const json_t *body, json_t **out,
				    struct kk_error *err)
{
	return kk_recipient_add(s, u, body, out, err);
}

/* A recipient user of recipient rid (its organisation org). */
static struct kk_user recipient_user(struct kk_store *s, const char *org, const char *email, int64_t rid)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user u;

	cr_assert_eq(kk_user_add_recipient(s, org, email, "Recipient User", "correct horse battery staple", rid, NULL,
					   &err),
		     KK_OK, "%s", err.msg);
	cr_assert_eq(kk_user_by_email(s, email, &u, &err), KK_OK);
	cr_assert_eq(u.role, KK_ROLE_RECIPIENT);
	cr_assert_eq(u.recipient_id, rid);
	kk_error_release(&err);
	return u;
}

/* How many provisions u lists (NULL ref: its inbox), or -1 with *res set. */
static int listed(struct kk_store *s, const struct kk_user *u, const char *ref, enum kk_result *res, json_t **out)
{
	json_t *o = NULL;
	int n;

	*res = kk_provision_list(s, u, ref, &o, NULL);
	n = *res ? -1 : (int)json_array_size(json_object_get(o, "provisions"));
	if (out)
		*out = o;
	else
		json_decref(o);
	return n;
}

Test(authz, a_recipient_reads_only_its_own_provisions)
{
	struct unit_parties p;
	struct kk_error err = KK_ERROR_INIT, missing = KK_ERROR_INIT;
	struct kk_user r1, r2, stray;
	char tid[24], ref[24], text[512];
	json_t *out = NULL, *b;
	int64_t r1id, r2id, pid;
	enum kk_result res;

	unit_parties(&p);
	unit_accepted_report(p.s, &p.intake, unit_report_body("product"), tid, NULL);
	unit_case_open(p.s, &p.coord, tid, "Provided case", "A summary.", "SECRET-DETAIL", ref, sizeof(ref));
	snprintf(text, sizeof(text), "{\"vendor_id\": %lld}", (long long)p.vid);
	cr_assert_eq(change(p.s, &p.coord, ref, text, kk_case_vendor_add, NULL, &err), KK_OK, "%s", err.msg);

	/* G IV.4.8: recipients that accepted the three conditions */
	b = body_of("{\"name_ja\": \"\u91cd\u8981\u30a4\u30f3\u30d5\u30e9A\", \"kind\": \"critical_infrastructure\","
		    " \"conditions_accepted\": true, \"accepted_by\": \"CISO A\"}");
	cr_assert_eq(add_recipient(p.s, &p.coord, b, &out, &err), KK_OK, "%s", err.msg);
	r1id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	cr_assert_eq(add_recipient(p.s, &p.vendor, b, &out, &err), KK_EDENIED, "a vendor registers no recipient");
	kk_error_clear(&err);
	json_decref(b);
	b = body_of("{\"name_en\": \"Ministry B\", \"kind\": \"government\", \"conditions_accepted\": true,"
		    " \"accepted_by\": \"Director B\"}");
	cr_assert_eq(add_recipient(p.s, &p.admin, b, &out, &err), KK_OK, "%s", err.msg);
	r2id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	json_decref(b);
	r1 = recipient_user(p.s, "Infra A", "r1@infra-a.example.jp", r1id);
	r2 = recipient_user(p.s, "Ministry B", "r2@ministry-b.example.jp", r2id);
	stray = unit_user(p.s, "recipient", "stray-recipient@example.jp"); /* a recipient user of no recipient */

	/* SPEC 2.10: not before a fix exists, nor without both consultations */
	snprintf(text, sizeof(text),
		 "{\"recipient_id\": %lld, \"title\": \"T\", \"body\": \"The fix is 1.2.4.\","
		 " \"consulted_intake\": true, \"consulted_vendor\": true, \"note\": \"staff only\"}",
		 (long long)r1id);
	cr_assert_eq(change(p.s, &p.coord, ref, text, kk_provision_give, NULL, &err), KK_ECONFLICT, "no fix yet");
	kk_error_clear(&err);
	cr_assert_eq(change(p.s, &p.coord, ref,
			    "{\"recipient_id\": 1, \"title\": \"T\", \"body\": \"B\", \"consulted_vendor\": false}",
			    kk_provision_give, NULL, &err),
		     KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "consulted_intake"));
	cr_assert_not_null(json_object_get(err.fields, "consulted_vendor"));
	kk_error_clear(&err);
	snprintf(text, sizeof(text),
		 "{\"vulnerability\": 1, \"product_name\": \"Widget\", \"fixed_versions\": [\"1.2.4\"],"
		 " \"vendor_id\": %lld}",
		 (long long)p.vid);
	cr_assert_eq(change(p.s, &p.coord, ref, text, kk_case_countermeasure_put, NULL, &err), KK_OK, "%s", err.msg);
	snprintf(text, sizeof(text),
		 "{\"recipient_id\": %lld, \"title\": \"T\", \"body\": \"The fix is 1.2.4.\","
		 " \"consulted_intake\": true, \"consulted_vendor\": true, \"note\": \"staff only\"}",
		 (long long)r1id);
	/* only the coordinator gives; a recipient cannot even learn the case exists */
	cr_assert_eq(change(p.s, &p.intake, ref, text, kk_provision_give, NULL, &err), KK_EDENIED);
	kk_error_clear(&err);
	cr_assert_eq(change(p.s, &r1, ref, text, kk_provision_give, NULL, &err), KK_ENOTFOUND);
	kk_error_clear(&err);
	cr_assert_eq(change(p.s, &p.coord, ref, text, kk_provision_give, &out, &err), KK_OK, "%s", err.msg);
	pid = json_integer_value(json_object_get(out, "id"));
	json_decref(out);

	/* SPEC 1: staff read every one, with the coordinator's note */
	cr_assert_eq(listed(p.s, &p.intake, NULL, &res, NULL), 1);
	cr_assert_eq(listed(p.s, &p.admin, NULL, &res, NULL), 1);
	cr_assert_eq(listed(p.s, &p.coord, ref, &res, &out), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(out, "provisions"), 0), "note")),
			 "staff only");
	json_decref(out);
	/* its recipient reads it, without the staff's note */
	cr_assert_eq(listed(p.s, &r1, NULL, &res, &out), 1);
	b = json_array_get(json_object_get(out, "provisions"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(b, "body")), "The fix is 1.2.4.");
	cr_assert_str_eq(json_string_value(json_object_get(b, "case")), ref);
	cr_assert_null(json_object_get(b, "note"));
	json_decref(out);
	cr_assert_eq(kk_provision_get(p.s, &r1, pid, &out, &err), KK_OK, "%s", err.msg);
	json_decref(out);
	/* another recipient, a recipient of none, a vendor: nothing, and a denied read is a missing one */
	cr_assert_eq(listed(p.s, &r2, NULL, &res, NULL), 0);
	cr_assert_eq(listed(p.s, &stray, NULL, &res, NULL), 0);
	cr_assert_eq(listed(p.s, &p.vendor, NULL, &res, NULL), -1);
	cr_assert_eq(res, KK_EDENIED);
	for (const struct kk_user *u = &r2; u; u = u == &r2 ? &stray : u == &stray ? &p.vendor : NULL) {
		char got[256], num[24];
		char *at;

		kk_error_clear(&err);
		cr_assert_eq(kk_provision_get(p.s, u, pid, &out, &err), KK_ENOTFOUND, "%s", u->email);
		cr_assert_null(out);
		kk_error_clear(&missing);
		cr_assert_eq(kk_provision_get(p.s, u, pid + 1000, &out, &missing), KK_ENOTFOUND);
		/* the same message, but for the number */
		snprintf(got, sizeof(got), "%s", err.msg);
		snprintf(num, sizeof(num), "%lld", (long long)pid);
		cr_assert_not_null(at = strstr(got, num));
		snprintf(text, sizeof(text), "%.*s%lld%s", (int)(at - got), got, (long long)pid + 1000, at + strlen(num));
		cr_assert_str_eq(text, missing.msg);
	}
	/* a recipient never reads the case, nor its provisions through it: the 404 of a missing case */
	kk_error_clear(&err);
	cr_assert_eq(kk_case_get(p.s, &r1, ref, &out, &err), KK_ENOTFOUND);
	kk_error_clear(&missing);
	cr_assert_eq(listed(p.s, &r1, ref, &res, NULL), -1);
	cr_assert_eq(res, KK_ENOTFOUND);
	cr_assert_eq(kk_provision_list(p.s, &r1, ref, &out, &missing), KK_ENOTFOUND);
	cr_assert_str_eq(missing.msg, err.msg);
	/* G IV.3(1)12: the finder was told, in the thread of its report */
	cr_assert_eq(unit_count(p.s,
				"SELECT COUNT(*) FROM case_messages m JOIN case_threads t ON t.id = m.thread_id"
				" WHERE t.kind = 'finder' AND m.author_kind = 'staff' AND t.case_id ="
				" (SELECT id FROM cases WHERE ref = ?)",
				ref),
		     1);
	/* SPEC 1: the recipient's notice carries nothing of the vulnerability */
	cr_assert_eq(unit_count(p.s,
				"SELECT COUNT(*) FROM outbox WHERE kind = 'provision_notice' AND recipient = ?"
				" AND body NOT LIKE '%1.2.4%' AND body NOT LIKE '%SECRET%'",
				"r1@infra-a.example.jp"),
		     1);
	cr_assert_eq(unit_count(p.s, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", "r2@ministry-b.example.jp"), 0);
	kk_user_release(&r1);
	kk_user_release(&r2);
	kk_user_release(&stray);
	kk_error_release(&err);
	kk_error_release(&missing);
	unit_parties_end(&p);
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
