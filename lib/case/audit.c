/*
 * audit.c: the audit trail of a case (kk_case_audit; case.h, issue 9
 * capability 7): the records of the case itself (opened, changed, notified,
 * closed, every vendor read of the detail) and of its vendors' statuses
 * (SPEC 2.7: each change with who made it, when and why), the publication
 * date's changes, and the answers to the finder's lift requests and to the
 * vendors' pre-notification requests (issue 10), oldest first. Only staff
 * read it (case.audit.read).
 */
#include <string.h>

#include "keikai/i18n.h"
#include "internal.h"
#include "store/case_views.h"

enum kk_result kk_case_audit(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
			     struct kk_error *err)
{
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *list = NULL;
	enum kk_result res;

	*out = NULL;
	res = case_begin(s, 0, viewer, ref, KK_ACT_CASE_AUDIT_READ, &tx, &cx, err);
	if (res)
		return res;
	list = json_array();
	res = list ? kk_case_views_audit(&tx, cx.c.id, list, err) : kk_error_nomem(err);
	res = kk_tx_end(&tx, res, err);
	if (!res && !(*out = json_pack("{s:s, s:O}", "id", cx.c.ref, "audit", list)))
		res = kk_error_nomem(err);
	json_decref(list);
	case_ctx_release(&cx);
	return res;
}
