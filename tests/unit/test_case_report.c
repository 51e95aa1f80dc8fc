/*
 * test_case_report.c: unit tests of the case a report is in (lib/case/
 * report_case.c, kk_case_of_report; SPEC 2.4, SPEC 1): none before a case is
 * opened from the report, its ref after, for intake and the coordinator; no
 * such report and a report the reader may not read are the same KK_ENOTFOUND.
 * On both engines (tests/unit/meson.build store_tests).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "keikai/case.h"
#include "keikai/report.h"
#include "unit.h"

struct world {
	struct kk_store *s;
	struct kk_user intake, coord, vendor;
	char tid[24];
};

static void world(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->s = unit_store(NULL);
	w->intake = unit_user(w->s, "intake", "intake@example.jp");
	w->coord = unit_user(w->s, "coordinator", "coord@example.jp");
	w->vendor = unit_user(w->s, "vendor", "psirt@example.jp");
	unit_accepted_report(w->s, &w->intake, unit_report_body("product"), w->tid, NULL);
}

static void end(struct world *w)
{
	kk_user_release(&w->intake);
	kk_user_release(&w->coord);
	kk_user_release(&w->vendor);
	kk_store_close(w->s);
}

/* SPEC 2.4: "" before the case, its ref after, for each staff reader */
Test(case_report, none_then_its_case)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	char ref[KK_CASE_REF_MAX] = "x";
	json_t *body, *out = NULL;

	world(&w);
	cr_assert_eq(kk_case_of_report(w.s, &w.coord, w.tid, ref, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(ref, "", "an accepted report in no case");

	body = json_pack("{s:[s], s:s, s:s, s:s}", "reports", w.tid, "title", "XSS", "summary", "A summary", "detail",
			 "The detail");
	cr_assert_eq(kk_case_open(w.s, &w.coord, body, &out, &err), KK_OK, "%s", err.msg);
	for (int i = 0; i < 2; i++) {
		const struct kk_user *u = i ? &w.intake : &w.coord;

		strcpy(ref, "x");
		cr_assert_eq(kk_case_of_report(w.s, u, w.tid, ref, &err), KK_OK, "%s", err.msg);
		cr_assert_str_eq(ref, json_string_value(json_object_get(out, "id")));
	}
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
	end(&w);
}

/* SPEC 1: a report the reader may not read is the same as none at all */
Test(case_report, unreadable_is_missing)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT, missing = KK_ERROR_INIT;
	char ref[KK_CASE_REF_MAX];

	world(&w);
	cr_assert_eq(kk_case_of_report(w.s, &w.coord, "IPA#99999999", ref, &missing), KK_ENOTFOUND);
	cr_assert_eq(kk_case_of_report(w.s, &w.vendor, w.tid, ref, &err), KK_ENOTFOUND);
	cr_assert_str_eq(err.msg, missing.msg);
	cr_assert_str_eq(ref, "");
	kk_error_release(&err);
	kk_error_release(&missing);
	end(&w);
}
