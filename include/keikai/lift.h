/*
 * lift.h: lifting the non-disclosure request (issue 10; SPEC 2.12, G IV.2.4,
 * IV.3(1)11; docs/api/lift.md, docs/internals/lift-workflow.md). From day 0
 * + one year (setting clock_lift_days, default 365) the finder of a report in
 * a case may ask, from its status page, for the request not to disclose the
 * vulnerability to be lifted; staff must answer: "lifted", or "not_yet" with
 * an explanation of the vendor's justified delay. The finder sees the answer
 * on its status page and may ask again after "not_yet". Every request and
 * answer is recorded and audited on the case.
 */
#ifndef KEIKAI_LIFT_H
#define KEIKAI_LIFT_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/flow.h"
#include "keikai/store.h"

/* The flow of one request (docs/internals/lift-workflow.md): requested
 * -answer-> answered (intake, coordinator). A new request is a new row. */
extern const struct kk_flow kk_lift_flow;

#define KK_LIFT_REASON_MAX 4000      /* bytes of the finder's reason */
#define KK_LIFT_EXPLANATION_MAX 8000 /* bytes of staff's explanation */
#define KK_LIFT_DEFAULT_DAYS "365"   /* SPEC 8: day 0 + 1 year */

/* SPEC 2.12: the finder asks (finder.lift) by its status page's secret, body
 * {"reason": "…"} (optional) or {}. KK_ENOTFOUND for no such secret;
 * KK_ECONFLICT when its report is in no case whose day 0 is set, before day 0
 * + clock_lift_days, or while its previous request is still unanswered or was
 * answered "lifted". *out: the request {"id", "state", "reason",
 * "requested_at", "decision", "explanation", "answered_at"}. */
enum kk_result kk_lift_ask(struct kk_store *s, const char *secret, const json_t *body, json_t **out,
			   struct kk_error *err);

/* The lift requests of case ref for staff (case.lift.answer): {"open":
 * [requests not answered yet], "requests": [every request, oldest first],
 * "may_answer": bool}; each {"id", "finder": "Finder A", "state", "reason",
 * "requested_at", "decision", "explanation", "answered_by", "answered_at"}.
 * KK_ENOTFOUND for a case the viewer may not read, KK_EDENIED when it may
 * read it but not answer. */
enum kk_result kk_lift_list(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
			    struct kk_error *err);

/* SPEC 2.12, G IV.3(1)11: staff (case.lift.answer) answer request id of case
 * ref, body {"decision": "lifted" | "not_yet", "explanation": "…"} (required;
 * for not_yet it explains the vendor's justified delay). KK_ECONFLICT when it
 * is answered already. *out: the request as in kk_lift_list. */
enum kk_result kk_lift_answer(struct kk_store *s, const struct kk_user *actor, const char *ref, int64_t id,
			      const json_t *body, json_t **out, struct kk_error *err);

#endif
