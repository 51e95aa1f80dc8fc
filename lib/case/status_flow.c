/*
 * status_flow.c: a vendor's status per vulnerability as a table the flow engine
 * runs (flow.h; SPEC 2.6, 2.7, G IV.4.2, IV.5, R §5.1.2). The object is one
 * row of vendor_statuses (object type "vendor_status"), so each change is
 * audited with who made it, the note that says why and the states, and the
 * audit trail is the history. An event is named as the state it leads to.
 *
 * Who fires what (docs/internals/case-workflow.md shows this table and
 * tests/unit/test_flow.c walks it):
 *   - the coordinator notifies (notify.c) and marks a vendor that does not
 *     answer ("no response", G IV.4.2; keikai marks it too, as the system
 *     user, when the clock vendor_silent's re-notifications brought nothing,
 *     SPEC 8) or cannot be reached ("unreachable",
 *     SPEC 4.1); no_response is for a vendor that has not yet reported a
 *     verification result (affected, not affected, fixed, will not fix are
 *     results, and publication prints them, not "no response": SPEC 2.11);
 *   - the vendor reads the summary, answers it (R §5.1.2: "send the detail"
 *     or "not applicable"), then reports its verification result and what it
 *     does about it (G IV.5.2, IV.5.7);
 *   - the coordinator may record any answer or status on the vendor's behalf
 *     (it heard it by phone or mail: case.vendor.write is its too);
 *   - a vendor marked "no response" leaves it by answering.
 * Whether the actor may act on this case at all is the policy's (status.c
 * asks it per event); this table says who may move from where.
 */
#include <stdio.h>
#include <stdlib.h>

#include "keikai/alloc.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "internal.h"
#include "vendor_status.h"

static const struct kk_flow_state states[] = {
	{ "not_notified", N_("Not notified") },
	{ "notified", N_("Notified") },
	{ "summary_read", N_("Summary read") },
	{ "detail_requested", N_("Detail requested") },
	{ "investigating", N_("Investigating") },
	{ "affected", N_("Affected") },
	{ "not_affected", N_("Not affected") },
	{ "fixed", N_("Fixed") },
	{ "will_not_fix", N_("Will not fix") },
	{ "no_response", N_("No response") },
	{ "unreachable", N_("Unreachable") },
};

/* The action of every row: stores the state the row leads to, with the note
 * of this change, guarded by the state it was read in (two changes cannot
 * both apply). The audit record's detail says whose status and why. */
static enum kk_result save_status(struct kk_flow_step *s, struct kk_error *err)
{
	struct kk_vendor_status *st = s->object;
	const struct case_status_input *in = s->input;
	char from[sizeof(st->status)];

	snprintf(from, sizeof(from), "%s", st->status);
	snprintf(st->status, sizeof(st->status), "%s", s->t->to);
	free(st->note);
	st->note = NULL;
	if (in && in->note && !(st->note = kk_strdup(in->note)))
		return kk_error_nomem(err);
	st->updated_at = kk_now();
	st->updated_by = s->actor->id;
	s->detail = json_pack("{s:I, s:i, s:s?}", "vendor_id", (json_int_t)(in ? in->vendor_id : 0), "vulnerability",
			      st->number, "note", in ? in->note : NULL);
	if (!s->detail)
		return kk_error_nomem(err);
	return kk_vendor_statuses_save(s->tx, st, from, err);
}

#define C KK_ROLE_BIT(KK_ROLE_COORDINATOR)
#define V KK_ROLE_BIT(KK_ROLE_VENDOR)
#define S KK_ROLE_BIT(KK_ROLE_SYSTEM)

static const struct kk_flow_transition transitions[] = {
	/* SPEC 2.6, G IV.4.2: the summary notice goes out (notify.c; the first is day 0) */
	{ "not_notified", "notified", C, NULL, save_status, "notified", { NULL } },
	/* SPEC 4.4: a vendor that was unreachable is reached after all */
	{ "unreachable", "notified", C, NULL, save_status, "notified", { NULL } },
	/* R §5.1.2: the vendor, signed in, reads the summary (its first read of the case) */
	{ "notified", "summary_read", V, NULL, save_status, "summary_read", { NULL } },
	/* R §5.1.2: "send the detail" (the vendor, or the coordinator on its behalf) */
	{ "notified", "detail_requested", C | V, NULL, save_status, "detail_requested", { NULL } },
	{ "summary_read", "detail_requested", C | V, NULL, save_status, "detail_requested", { NULL } },
	/* a vendor marked "no response" answers after all */
	{ "no_response", "detail_requested", C | V, NULL, save_status, "detail_requested", { NULL } },
	/* R §5.1.2: "not applicable", with the reason */
	{ "notified", "not_affected", C | V, NULL, save_status, "not_affected", { NULL } },
	{ "summary_read", "not_affected", C | V, NULL, save_status, "not_affected", { NULL } },
	{ "no_response", "not_affected", C | V, NULL, save_status, "not_affected", { NULL } },
	/* G IV.5.2: the vendor verifies with the detail and reports the result */
	{ "detail_requested", "investigating", C | V, NULL, save_status, "investigating", { NULL } },
	{ "detail_requested", "affected", C | V, NULL, save_status, "affected", { NULL } },
	{ "detail_requested", "not_affected", C | V, NULL, save_status, "not_affected", { NULL } },
	{ "investigating", "affected", C | V, NULL, save_status, "affected", { NULL } },
	{ "investigating", "not_affected", C | V, NULL, save_status, "not_affected", { NULL } },
	/* G IV.5.7: countermeasures and status, kept current */
	{ "affected", "fixed", C | V, NULL, save_status, "fixed", { NULL } },
	{ "affected", "will_not_fix", C | V, NULL, save_status, "will_not_fix", { NULL } },
	{ "will_not_fix", "fixed", C | V, NULL, save_status, "fixed", { NULL } },
	/* G IV.4.2, SPEC 2.11, 8: no answer yet (the coordinator, or keikai's clock
	 * vendor_silent after its re-notifications, lib/schedule/silent.c) */
	{ "notified", "no_response", C | S, NULL, save_status, "no_response", { NULL } },
	{ "summary_read", "no_response", C | S, NULL, save_status, "no_response", { NULL } },
	{ "detail_requested", "no_response", C | S, NULL, save_status, "no_response", { NULL } },
	{ "investigating", "no_response", C | S, NULL, save_status, "no_response", { NULL } },
	/* SPEC 4.1: every channel tried, no answer: unreachable (連絡不能) */
	{ "not_notified", "unreachable", C, NULL, save_status, "unreachable", { NULL } },
	{ "notified", "unreachable", C, NULL, save_status, "unreachable", { NULL } },
	{ "no_response", "unreachable", C, NULL, save_status, "unreachable", { NULL } },
};

const struct kk_flow kk_vendor_status_flow = {
	"vendor_status",
	"vendor_status",
	"docs/internals/vendor-status-workflow.md",
	states,
	sizeof(states) / sizeof(states[0]),
	transitions,
	sizeof(transitions) / sizeof(transitions[0]),
};
