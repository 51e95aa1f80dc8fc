/*
 * report_case.c: the case a report is in (kk_case_of_report; case.h), for the
 * intake report page: "Open a case" for an accepted product report in no case
 * yet, a link to its case otherwise (SPEC 2.4). The report is checked as
 * kk_report_get checks it, the case as every module reaches one (case_load),
 * so neither an unreadable report nor an unreadable case shows through.
 */
#include <stdio.h>
#include <string.h>

#include "keikai/authz.h"
#include "keikai/i18n.h"
#include "internal.h"
#include "store/reports.h"

enum kk_result kk_case_of_report(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id, char *ref,
				 struct kk_error *err)
{
	struct kk_report r = { 0 };
	struct case_ctx cx;
	struct kk_case c = { 0 };
	struct kk_tx tx;
	int64_t case_id = 0;
	enum kk_result res;

	ref[0] = '\0';
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_reports_load(&tx, KK_REPORT_BY_TRACKING_ID, tracking_id ? tracking_id : "", 0, &r, err);
	if (res == KK_ENOTFOUND || (!res && !kk_may(viewer, KK_ACT_REPORT_READ, &(struct kk_object){ .report = &r })))
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such report."));
	if (!res)
		res = kk_case_reports_case_of(&tx, r.id, &case_id, NULL, err);
	if (!res && case_id)
		res = kk_cases_load(&tx, NULL, case_id, &c, err);
	if (!res && case_id) {
		res = case_load(&tx, viewer, c.ref, KK_ACT_CASE_READ, &cx, err);
		if (!res) {
			snprintf(ref, KK_CASE_REF_MAX, "%s", c.ref);
			case_ctx_release(&cx);
		} else if (res == KK_ENOTFOUND) {
			/* a case the viewer may not read is as good as none (SPEC 1) */
			kk_error_clear(err);
			res = KK_OK;
		}
	}
	res = kk_tx_end(&tx, res, err);
	kk_case_release(&c);
	kk_report_release(&r);
	return res;
}
