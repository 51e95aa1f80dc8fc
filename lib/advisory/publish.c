/*
 * publish.c: publication on the agreed minute (advisory.h kk_advisory_publish;
 * issue 12 item 4, SPEC 2.8, 6, G IV.4.9). The scheduler's clock "publish"
 * (lib/schedule/publish.c) calls it as keikai itself for every approved
 * advisory whose case's date has been reached; the flow's guard checks the
 * date again (never a second before, never a called-off date), and the
 * transition does the rest in the caller's transaction: the public ID, the
 * time, the history, the audit record and the notices (flow.c, notices.c).
 */
#include <string.h>

#include "keikai/i18n.h"
#include "internal.h"

enum kk_result kk_advisory_publish(struct kk_tx *tx, const struct kk_user *actor, int64_t advisory_id,
				   struct kk_error *err)
{
	struct kk_advisory a;
	struct kk_case c;
	enum kk_result res = kk_advisories_load(tx, 0, advisory_id, NULL, &a, err);

	memset(&c, 0, sizeof(c));
	if (res == KK_ENOTFOUND)
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such advisory."));
	if (!res)
		res = kk_cases_load(tx, NULL, a.case_id, &c, err);
	if (!res)
		res = adv_fire(tx, actor, &a, &c, NULL, "publish", err);
	kk_case_release(&c);
	kk_advisory_release(&a);
	return res;
}
