/*
 * lift_flow.c: the workflow of one request to lift the non-disclosure
 * request, as a table the flow engine runs (flow.h; issue 10, SPEC 2.12,
 * G IV.2.4, IV.3(1)11; docs/internals/lift-workflow.md). The finder's request
 * starts "requested" (lift.c inserts it); staff answer it, once: "lifted", or
 * "not_yet" explaining the vendor's justified delay. Asking again is a new
 * request.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/lift.h"
#include "keikai/outbox.h"
#include "keikai/util.h"
#include "lift.h"
#include "mail_templates.h"
#include "store/lift_requests.h"

static const struct kk_flow_state states[] = {
	{ "requested", N_("Requested") },
	{ "answered", N_("Answered") },
};

/* Stores the answer the event brings (struct lift_answer_input, lift.h),
 * guarded by the state the request was read in. */
static enum kk_result write_answer(struct kk_flow_step *s, struct kk_error *err)
{
	const struct lift_answer_input *in = s->input;
	struct kk_lift_request *l = s->object;

	free(l->decision);
	free(l->explanation);
	l->decision = kk_strdup(in->decision);
	l->explanation = kk_strdup(in->explanation);
	if (!l->decision || !l->explanation)
		return kk_error_nomem(err);
	l->answered_by = s->actor->id;
	l->answered_at = in->at;
	s->detail = json_pack("{s:I, s:I, s:s}", "case_id", (json_int_t)l->case_id, "report_id",
			      (json_int_t)l->report_id, "decision", in->decision);
	if (!s->detail)
		return kk_error_nomem(err);
	return kk_lift_requests_answer(s->tx, l, s->t->from, s->t->to, err);
}

#define NOTICE_MAX 16384

/* SPEC 2.12: the finder is told by mail that staff answered, in its report's
 * language, when keikai still has its address; the decision only (the
 * explanation is on its status page: mail is not encrypted, SPEC 1). */
static enum kk_result tell_finder(struct kk_flow_step *s, struct kk_error *err)
{
	const struct kk_lift_request *l = s->object;
	char lang_code[3], tid[24], *email = NULL;
	enum kk_lang lang = KK_LANG_JA;
	struct kk_buf b;
	enum kk_result res = kk_lift_requests_finder(s->tx, l->report_id, &email, lang_code, tid, err);

	if (res || !email)
		return res;
	if (kk_lang_parse(lang_code, &lang) != 0)
		lang = KK_LANG_JA;
	kk_buf_init(&b, NOTICE_MAX);
	res = tmpl_lift_answered(&b, lang, tid, strcmp(l->decision, "lifted") == 0);
	if (res == KK_ENOMEM)
		res = kk_error_nomem(err);
	else if (res)
		res = kk_error_set(err, KK_ETOOBIG, "%s", _("The message to the finder could not be written."));
	else
		res = kk_outbox_queue_text(s->tx, "lift_answer", email, b.data, kk_lang_code(lang), l->report_id, l->case_id,
					   NULL, err);
	kk_buf_release(&b);
	free(email);
	return res;
}

static const struct kk_flow_effect tell = { "tell the finder", tell_finder };

static const struct kk_flow_transition transitions[] = {
	/* SPEC 2.12, G IV.3(1)11: staff must answer, explaining any justified delay */
	{ "requested", "answer", KK_ROLE_BIT(KK_ROLE_INTAKE) | KK_ROLE_BIT(KK_ROLE_COORDINATOR), NULL, write_answer,
	  "answered", { &tell, NULL } },
};

const struct kk_flow kk_lift_flow = {
	"lift",
	"lift_request",
	"docs/internals/lift-workflow.md",
	states,
	sizeof(states) / sizeof(states[0]),
	transitions,
	sizeof(transitions) / sizeof(transitions[0]),
};
