/*
 * case_flow.c: the workflow of a case itself as a table the flow engine runs
 * (flow.h; SPEC 2.4, G IV.4): a case is open while it is handled, and closed
 * with a reason when handling ends (the finder is told through the status
 * page, SPEC 2.13); a closed case may be reopened. Whether vendors were
 * contacted is day 0 and their statuses (the flow "vendor_status",
 * status_flow.c), not a case state; the publication date and publication
 * (issues 10, 12) add their states here.
 */
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "internal.h"

static const struct kk_flow_state states[] = {
	{ "open", N_("Open") },
	{ "closed", N_("Closed") },
};

/* The action of every row: stores the state the row leads to, guarded by the
 * state it was read in, with the reason given (if any) in the audit record. */
static enum kk_result set_state(struct kk_flow_step *s, struct kk_error *err)
{
	struct kk_case *c = s->object;
	const char *reason = s->input;

	if (reason && !(s->detail = json_pack("{s:s}", "reason", reason)))
		return kk_error_nomem(err);
	return kk_cases_set_state(s->tx, c->id, c->state, s->t->to, kk_now(), err);
}

#define COORDINATOR KK_ROLE_BIT(KK_ROLE_COORDINATOR)

static const struct kk_flow_transition transitions[] = {
	/* G IV.4.4, SPEC 2.9: handling ends (called off, or done), with a reason */
	{ "open", "close", COORDINATOR, NULL, set_state, "closed", { NULL } },
	/* handling resumes (a vendor comes back, new information) */
	{ "closed", "reopen", COORDINATOR, NULL, set_state, "open", { NULL } },
};

const struct kk_flow kk_case_flow = {
	"case",
	"case",
	"docs/internals/case-workflow.md",
	states,
	sizeof(states) / sizeof(states[0]),
	transitions,
	sizeof(transitions) / sizeof(transitions[0]),
};
