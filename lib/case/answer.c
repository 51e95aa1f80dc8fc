/*
 * answer.c: the vendor's side of the two-stage notification (R §5.1.2, SPEC
 * 2.6): a notified vendor reads the summary (its first read is recorded) and
 * answers it: "send the detail", which opens the detail to it, or "not
 * applicable" with the reason. The answer moves every status that was waiting
 * for it through the table (status_flow.c), and is audited on the case.
 */
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "vendor_status.h"

#define REASON_MAX 10000 /* bytes of the reason of an answer */

/* R §5.1.2: where a vendor stands before it answered the summary (and a
 * vendor marked "no response" that answers after all). */
static const char *const waiting[] = { "notified", "summary_read", "no_response", NULL };

enum kk_result case_vendor_mark_read(struct kk_tx *tx, const struct kk_user *actor, struct kk_case_vendor *cv,
				     struct kk_error *err)
{
	static const char *const from[] = { "notified", NULL };
	enum kk_result res = KK_OK;

	if (!cv->summary_read_at) {
		cv->summary_read_at = kk_now();
		res = kk_case_vendors_save(tx, cv, err);
	}
	return res ? res : case_status_fire_from(tx, actor, cv, "summary_read", from, NULL, NULL, err);
}

enum kk_result case_vendor_summary_read(struct kk_tx *tx, const struct kk_user *actor, struct case_ctx *cx,
					struct kk_error *err)
{
	return cx->own.id ? case_vendor_mark_read(tx, actor, &cx->own, err) : KK_OK;
}

enum kk_result case_vendor_answer(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx,
				  struct kk_case_vendor *cv, const char *answer, const char *reason, int strict,
				  struct kk_error *err)
{
	int detail = strcmp(answer, "send_detail") == 0;
	const char *event = detail ? "detail_requested" : "not_affected";
	int64_t now = kk_now();
	size_t moved = 0;
	json_t *audit;
	enum kk_result res;

	if (strict && cv->answer)
		return kk_error_set(err, KK_ECONFLICT, _("The summary was answered already (%s)."),
				    strcmp(cv->answer, "send_detail") == 0 ? _("send the detail")
									   : _("not applicable"));
	res = case_status_fire_from(tx, actor, cv, event, waiting, reason, &moved, err);
	if (!res && moved == 0) {
		/* nothing waits for an answer: say why */
		res = case_status_refusal(tx, actor, cv, event, err);
	}
	if (res)
		return res;
	if (!cv->answer) {
		cv->answer = kk_strdup(answer);
		cv->answer_reason = reason ? kk_strdup(reason) : NULL;
		if (!cv->answer || (reason && !cv->answer_reason))
			return kk_error_nomem(err);
		cv->answered_at = now;
		cv->answered_by = actor->id;
	}
	/* R §5.1.2: only after the request does the vendor see the detail */
	if (detail && !cv->detail_requested_at)
		cv->detail_requested_at = now;
	res = kk_case_vendors_save(tx, cv, err);
	if (res)
		return res;
	audit = json_pack("{s:I, s:s, s:s?}", "vendor_id", (json_int_t)cv->vendor_id, "answer", answer, "reason",
			  reason);
	res = audit ? kk_audit_record(tx, actor, "case", cx->c.id, "answer", NULL, NULL, audit, err)
		    : kk_error_nomem(err);
	json_decref(audit);
	return res;
}

enum kk_result kk_case_answer(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
			      json_t **out, struct kk_error *err)
{
	static const char *const members[] = { "answer", "reason", NULL };
	const char *answer = json_string_value(json_object_get(body, "answer")), *reason;
	struct case_ctx cx;
	struct kk_tx tx;
	enum kk_result res;
	int na;

	if (out)
		*out = NULL;
	memset(&cx, 0, sizeof(cx));
	if (actor->role != KK_ROLE_VENDOR)
		return kk_error_set(
			err, KK_EDENIED, "%s",
			_("Only a vendor answers the summary; a coordinator records an answer as a status."));
	if (!case_only_members(body, members, err) && !json_is_object(body))
		return KK_EINVAL;
	na = answer && strcmp(answer, "not_applicable") == 0;
	if (!answer || (!na && strcmp(answer, "send_detail") != 0))
		kk_error_field(err, "answer", "%s", _("Must be send_detail or not_applicable."));
	/* R §5.1.2: "not applicable" says why */
	reason = case_text(body, "reason", na, REASON_MAX, 1, err);
	if (kk_error_has_fields(err))
		return KK_EINVAL;
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = case_load(&tx, actor, ref, KK_ACT_CASE_ANSWER, &cx, err);
	if (!res)
		res = case_vendor_answer(&tx, actor, &cx, &cx.own, answer, reason, 1, err);
	if (!res)
		res = case_view_after(&tx, actor, ref, out, err);
	res = case_end(&tx, res, out, err);
	case_ctx_release(&cx);
	return res;
}
