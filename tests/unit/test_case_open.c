/*
 * test_case_open.c: unit tests of opening a case and of reaching one
 * (lib/case/open.c, access.c; SPEC 2.4, SPEC 1, R §5.1.2): the case a
 * coordinator opens from accepted product reports, its finders' letters, its
 * first vulnerability, the confirmed vendors on it; every fault of a request
 * at once with nothing stored; and case_load's answer for every kind of
 * reader, where a case a user may not read looks exactly like a missing one.
 * On both engines (tests/unit/meson.build store_tests).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/internal.h"
#include "keikai/case.h"
#include "keikai/report.h"
#include "keikai/settings.h"
#include "keikai/vendor.h"
#include "keikai/vendor_candidates.h"
#include "unit.h"

/* Every test sets up its parties with unit_parties (unit.h). */

/* A product report, accepted unless accept is 0, of kind `kind`. */
static void report(struct unit_parties *w, const char *kind, int accept, char id[24])
{
	if (accept)
		unit_accepted_report(w->s, &w->intake, unit_report_body(kind), id, NULL);
	else
		unit_submit(w->s, unit_report_body(kind), id, NULL);
}

/* Opens a case from the reports as the coordinator; its ref goes to ref. */
static void open_case(struct unit_parties *w, const char *const *tids, size_t n, char ref[KK_CASE_REF_MAX])
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = json_pack("{s:[], s:s, s:s, s:s}", "reports", "title", "XSS in the admin page", "summary",
				 "A summary", "detail", "The detail: steps and PoC");
	struct kk_tx tx;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(json_object_get(body, "reports"), json_string(tids[i]));
	cr_assert_eq(kk_case_open(w->s, &w->coord, body, NULL, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	/* the newest case */
	cr_assert_eq(kk_tx_begin(w->s, 0, &tx, &err), KK_OK);
	{
		struct kk_stmt *st = kk_stmt_prepare(&tx, "SELECT ref FROM cases ORDER BY id DESC LIMIT 1", &err);

		cr_assert_eq(kk_stmt_first(st, &err), KK_OK);
		snprintf(ref, KK_CASE_REF_MAX, "%s", kk_stmt_text(st, 0));
		kk_stmt_free(st);
	}
	kk_tx_end(&tx, KK_OK, NULL);
}

/* SPEC 2.4: two finders' reports make one case; each is a letter; the case has
 * one vulnerability; the vendors confirmed for the reports are on it, not notified. */
Test(case_open, two_reports_one_case)
{
	struct unit_parties w;
	char a[24], b[24], ref[KK_CASE_REF_MAX];
	const char *tids[] = { a, b };
	struct kk_error err = KK_ERROR_INIT;
	json_t *confirm = json_pack("{s:[{s:I, s:s}]}", "vendors", "vendor_id", (json_int_t)0, "basis", "named");

	unit_parties(&w);
	report(&w, "product", 1, a);
	report(&w, "product", 1, b);
	json_object_set_new(json_array_get(json_object_get(confirm, "vendors"), 0), "vendor_id", json_integer(w.vid));
	cr_assert_eq(kk_report_vendors_confirm(w.s, &w.coord, a, confirm, NULL, &err), KK_OK, "%s", err.msg);
	json_decref(confirm);
	open_case(&w, tids, 2, ref);
	cr_assert(case_ref_valid(ref), "%s", ref);
	cr_assert_eq(strncmp(ref, "VU#", 3), 0, "%s", ref);
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM cases WHERE ref = ? AND state = 'open' AND day0 IS NULL", ref), 1);
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM case_reports cr JOIN reports r ON r.id = cr.report_id"
				     " WHERE r.tracking_id = ? AND cr.finder_label = 'A'", a), 1);
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM case_reports cr JOIN reports r ON r.id = cr.report_id"
				     " WHERE r.tracking_id = ? AND cr.finder_label = 'B'", b), 1);
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM vulnerabilities WHERE idx = 1 AND title = ?",
				"XSS in the admin page"), 1);
	{
		char key[24];

		snprintf(key, sizeof(key), "%lld", (long long)w.vid);
		cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM case_vendors WHERE notified_at IS NULL AND vendor_id ="
					     " CAST(? AS BIGINT)", key), 1);
	}
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM vendor_statuses WHERE status = ?", "not_notified"), 1);
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM audit WHERE object_type = 'case' AND action = ?", "open"), 1);
	unit_parties_end(&w);
}

/* SPEC 2.4: only a coordinator opens a case. */
Test(case_open, only_a_coordinator)
{
	struct unit_parties w;
	char a[24];
	const struct kk_user *who[4];

	unit_parties(&w);
	who[0] = &w.intake;
	who[1] = &w.vendor;
	who[2] = &kk_anonymous;
	who[3] = NULL;
	report(&w, "product", 1, a);
	for (size_t i = 0; who[i]; i++) {
		struct kk_error err = KK_ERROR_INIT;
		json_t *body = json_pack("{s:[s], s:s, s:s, s:s}", "reports", a, "title", "t", "summary", "s", "detail", "d");

		cr_assert_eq(kk_case_open(w.s, who[i], body, NULL, &err), KK_EDENIED, "%s", kk_role_name(who[i]->role));
		json_decref(body);
		kk_error_release(&err);
	}
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM cases WHERE ref <> ?", ""), 0);
	unit_parties_end(&w);
}

/* Bad input: every fault at once, each named, and nothing stored. */
Test(case_open, every_fault_named_nothing_stored)
{
	struct unit_parties w;
	char received[24], site[24], a[24], ref[KK_CASE_REF_MAX];
	const char *tids[] = { a };
	struct {
		const char *json, *fields[6];
	} bad[] = {
		{ "[]", { NULL } },
		{ "{\"reports\": [], \"title\": \"\", \"summary\": 3, \"colour\": 1}",
		  { "reports", "title", "summary", "detail", "colour", NULL } },
		{ "{\"reports\": [\"RECEIVED\", \"SITE\", \"NONE#1\", \"RECEIVED\"], \"title\": \"t\\u0007\", \"summary\": \"s\","
		  " \"detail\": \"d\", \"vendors_see_names\": \"yes\", \"coordinator_id\": 0}",
		  { "reports[0]", "reports[1]", "reports[2]", "reports[3]", "title", "vendors_see_names" } },
		{ "{\"reports\": [\"TAKEN\"], \"title\": \"t\", \"summary\": \"s\", \"detail\": \"d\"}", { "reports[0]", NULL } },
	};

	unit_parties(&w);
	report(&w, "product", 0, received);
	report(&w, "website", 1, site);
	report(&w, "product", 1, a);
	open_case(&w, tids, 1, ref);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kk_error err = KK_ERROR_INIT;
		char *text = strdup(bad[i].json), *p;
		json_t *body;

		/* the placeholders become the real tracking ids */
		while ((p = strstr(text, "RECEIVED")) || (p = strstr(text, "SITE")) || (p = strstr(text, "TAKEN"))) {
			const char *with = !strncmp(p, "RECEIVED", 8) ? received : !strncmp(p, "SITE", 4) ? site : a;
			size_t len = !strncmp(p, "RECEIVED", 8) ? 8 : !strncmp(p, "SITE", 4) ? 4 : 5;
			char *next = malloc(strlen(text) + strlen(with) + 1);

			snprintf(next, strlen(text) + strlen(with) + 1, "%.*s%s%s", (int)(p - text), text, with, p + len);
			free(text);
			text = next;
		}
		body = json_loads(text, 0, NULL);
		cr_assert_not_null(body, "%s", text);
		cr_assert_eq(kk_case_open(w.s, &w.coord, body, NULL, &err), KK_EINVAL, "case %zu: %s", i, err.msg);
		for (size_t f = 0; f < 6 && bad[i].fields[f]; f++)
			cr_assert_not_null(json_object_get(err.fields, bad[i].fields[f]), "case %zu lacks the field %s", i,
					   bad[i].fields[f]);
		json_decref(body);
		free(text);
		kk_error_release(&err);
	}
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM cases WHERE ref <> ?", ref), 0, "nothing half-stored");
	cr_assert_eq(unit_count(w.s, "SELECT COUNT(*) FROM vulnerabilities WHERE title <> ?", ""), 1);
	unit_parties_end(&w);
}

/* The prefix of case refs is the deployment's setting case_prefix. */
Test(case_open, prefix_from_settings)
{
	struct unit_parties w;
	char a[24], ref[KK_CASE_REF_MAX];
	const char *tids[] = { a };

	unit_parties(&w);
	cr_assert_eq(kk_setting_set(w.s, "case_prefix", "JVNVU", NULL), KK_OK);
	report(&w, "product", 1, a);
	open_case(&w, tids, 1, ref);
	cr_assert_eq(strncmp(ref, "JVNVU#", 6), 0, "%s", ref);
	cr_assert(case_ref_valid(ref));
	unit_parties_end(&w);
}

/* case_load's answer and message for a reader. */
static enum kk_result load_as(struct unit_parties *w, const struct kk_user *u, const char *ref, enum kk_action action,
			      char msg[256])
{
	struct kk_error err = KK_ERROR_INIT;
	struct case_ctx cx;
	struct kk_tx tx;
	enum kk_result res;

	cr_assert_eq(kk_tx_begin(w->s, 0, &tx, NULL), KK_OK);
	res = case_load(&tx, u, ref, action, &cx, &err);
	if (!res)
		case_ctx_release(&cx);
	kk_tx_end(&tx, KK_OK, NULL);
	snprintf(msg, 256, "%s", err.msg);
	kk_error_release(&err);
	return res;
}

static void set_vendor(struct unit_parties *w, const char *column, int64_t vid)
{
	char sql[128], key[24];
	struct kk_tx tx;
	struct kk_stmt *st;

	snprintf(sql, sizeof(sql), "UPDATE case_vendors SET %s = 100 WHERE vendor_id = CAST(? AS BIGINT)", column);
	snprintf(key, sizeof(key), "%lld", (long long)vid);
	cr_assert_eq(kk_tx_begin(w->s, 1, &tx, NULL), KK_OK);
	st = kk_stmt_prepare(&tx, sql, NULL);
	kk_stmt_bind_text(st, 1, key);
	cr_assert_eq(kk_tx_end(&tx, kk_stmt_once(st, NULL), NULL), KK_OK);
}

/* SPEC 1, R §5.1.2: a vendor reads a case only once notified, the detail only
 * once it asked; a denied read says exactly what a missing case says. */
Test(case_open, denied_looks_missing)
{
	struct unit_parties w;
	char a[24], ref[KK_CASE_REF_MAX], missing[KK_CASE_REF_MAX], msg[256], want[256];
	const char *tids[] = { a };
	json_t *confirm;

	unit_parties(&w);
	report(&w, "product", 1, a);
	confirm = json_pack("{s:[{s:I}, {s:I}]}", "vendors", "vendor_id", (json_int_t)w.vid, "vendor_id",
			    (json_int_t)w.other_vid);
	cr_assert_eq(kk_report_vendors_confirm(w.s, &w.coord, a, confirm, NULL, NULL), KK_OK);
	json_decref(confirm);
	open_case(&w, tids, 1, ref);
	snprintf(missing, sizeof(missing), "%s", ref);
	memcpy(strchr(missing, '#') + 1, strcmp(strchr(ref, '#') + 1, "000000") ? "000000" : "000001", 6);

	cr_assert_eq(load_as(&w, &w.coord, missing, KK_ACT_CASE_READ, want), KK_ENOTFOUND);
	cr_assert_eq(load_as(&w, &w.coord, ref, KK_ACT_CASE_WRITE, msg), KK_OK);
	cr_assert_eq(load_as(&w, &w.intake, ref, KK_ACT_CASE_DETAIL_READ, msg), KK_OK);
	cr_assert_eq(load_as(&w, &w.intake, ref, KK_ACT_CASE_WRITE, msg), KK_EDENIED);
	/* on the case, not notified: nothing */
	cr_assert_eq(load_as(&w, &w.vendor, ref, KK_ACT_CASE_READ, msg), KK_ENOTFOUND);
	{
		char mine[256];

		snprintf(mine, sizeof(mine), "There is no case %s.", ref);
		cr_assert_str_eq(msg, mine);
		load_as(&w, &w.vendor, missing, KK_ACT_CASE_READ, want);
		snprintf(mine, sizeof(mine), "There is no case %s.", missing);
		cr_assert_str_eq(want, mine, "the same message as a case that does not exist");
	}
	set_vendor(&w, "notified_at", w.vid);
	cr_assert_eq(load_as(&w, &w.vendor, ref, KK_ACT_CASE_READ, msg), KK_OK);
	cr_assert_eq(load_as(&w, &w.vendor, ref, KK_ACT_CASE_DETAIL_READ, msg), KK_EDENIED);
	cr_assert_eq(load_as(&w, &w.vendor, ref, KK_ACT_CASE_WRITE, msg), KK_EDENIED);
	cr_assert_eq(load_as(&w, &w.other, ref, KK_ACT_CASE_READ, msg), KK_ENOTFOUND, "the other vendor was not notified");
	set_vendor(&w, "detail_requested_at", w.vid);
	cr_assert_eq(load_as(&w, &w.vendor, ref, KK_ACT_CASE_DETAIL_READ, msg), KK_OK);
	/* malformed refs are missing cases too */
	cr_assert_eq(load_as(&w, &w.coord, "VU#12345", KK_ACT_CASE_READ, msg), KK_ENOTFOUND);
	cr_assert_eq(load_as(&w, &w.coord, "VU#1234567", KK_ACT_CASE_READ, msg), KK_ENOTFOUND);
	cr_assert_eq(load_as(&w, &w.coord, "#123456", KK_ACT_CASE_READ, msg), KK_ENOTFOUND);
	cr_assert_eq(load_as(&w, &kk_anonymous, ref, KK_ACT_CASE_READ, msg), KK_ENOTFOUND);
	unit_parties_end(&w);
}
