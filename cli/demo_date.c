/*
 * demo_date.c: the demo case's publication date (issue 10; SPEC 2.8, G
 * IV.4.3): the date keikai proposed at day 0 (day 0 + 45 days on a business
 * day), a vendor asking for two more weeks to roll its fix out, the
 * coordinator setting the one date from that answer with its factors, and
 * the vendors concerned agreeing -- a case with an agreed date and its
 * history, through the same core calls (include/keikai/case.h) the server
 * makes. docs/cli/demo.md is the manual.
 */
#include <stdio.h>

#include "demo_case.h"
#include "keikai/calendar.h"
#include "keikai/case.h"

int demo_case_date(struct kk_store *s, const struct kk_user *coord, const struct kk_user *sd,
		   const struct kk_user *toa, const char *ref, struct kk_error *err)
{
	struct kk_calendar *cal = NULL;
	json_t *d = NULL;
	char day[16];
	int rc = 1;

	if (kk_case_date_get(s, coord, ref, &d, err) || kk_calendar_default(&cal, err))
		goto out;
	/* two weeks after the proposed date, on a business day */
	kk_day_format(kk_calendar_next_business(
			      cal, kk_day_of_time(json_integer_value(json_object_get(d, "proposed_at"))) + 14),
		      day);
	if (demo_change(s, kk_case_date_answer, sd, ref,
			json_pack("{s:s, s:s, s:s}", "answer", "other", "date", day, "reason",
				  "修正版ファームウェアの配布に、あと2週間必要です。"),
			err) ||
	    demo_change(s, kk_case_date_set, coord, ref,
			json_pack("{s:s, s:s, s:{s:s, s:s}}", "date", day, "reason",
				  "サンプル電機の修正版配布に合わせました。他の製品開発者からの異論はありません。",
				  "factors", "fix_time", "修正版の配布に2週間", "leak_risk",
				  "低い（公開情報なし）"),
			err) ||
	    demo_change(s, kk_case_date_answer, sd, ref, json_pack("{s:s}", "answer", "agree"), err) ||
	    demo_change(s, kk_case_date_answer, toa, ref, json_pack("{s:s}", "answer", "agree"), err))
		goto out;
	rc = 0;
out:
	kk_calendar_free(cal);
	json_decref(d);
	return rc;
}
