/*
 * date_flow.c: the workflow of a case's publication date as a table the flow
 * engine runs (flow.h; issue 10, SPEC 2.8, 2.9, G IV.4.3-4.4;
 * docs/internals/date-workflow.md). keikai proposes day 0 + 45 days when day
 * 0 is fixed; the coordinator sets the one date for every vendor and moves it
 * (SPEC 2.8: 公表日一致の原則); the scheduler makes the case ready when the date
 * comes (publication itself is issue 12's); the coordinator may call
 * publication off with one of the guideline's reasons, and resume it. No
 * vendor fires anything here: a vendor answers the date (date.c), and only the
 * coordinator sets it.
 */
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "date.h"
#include "internal.h"
#include "store/case_dates.h"

static const struct kk_flow_state states[] = {
	{ "undated", N_("No date yet") },
	{ "proposed", N_("Date proposed") },
	{ "set", N_("Date set") },
	{ "ready", N_("Ready to publish") },
	{ "called_off", N_("Publication called off") },
};

/* The action of every row: writes what the event's input (struct
 * case_date_input, date.h) brings, guarded by the state it was read in. */
static enum kk_result write_date(struct kk_flow_step *s, struct kk_error *err)
{
	const struct case_date_input *in = s->input;
	const struct kk_case *c = s->object;
	struct kk_case_date_write w = { .from = c->date_state, .to = s->t->to, .at = kk_now() };
	const char *event = s->t->event;

	if (strcmp(event, "propose") == 0)
		w.proposed_at = in->at;
	else if (strcmp(event, "set") == 0) {
		w.publication_at = in->at;
		w.factors = in->factors;
	} else if (strcmp(event, "reach") == 0)
		w.ready_at = w.at;
	else if (strcmp(event, "call_off") == 0) {
		w.called_off_reason = in->reason;
		w.called_off_note = in->note ? in->note : "";
	} else if (strcmp(event, "resume") == 0)
		w.clear = 1;
	s->detail = case_date_audit_detail(c, in);
	if (!s->detail)
		return kk_error_nomem(err);
	return kk_case_dates_write(s->tx, c->id, &w, err);
}

#define COORDINATOR KK_ROLE_BIT(KK_ROLE_COORDINATOR)
#define SYSTEM KK_ROLE_BIT(KK_ROLE_SYSTEM)

static const struct kk_flow_effect tell_parties = { "tell every vendor, intake and the finders", case_date_tell };

static const struct kk_flow_transition transitions[] = {
	/* SPEC 2.8, 8: day 0 fixed: keikai proposes day 0 + 45 days on a business day */
	{ "undated", "propose", SYSTEM, NULL, write_date, "proposed", { NULL } },
	/* SPEC 2.8, G IV.4.3: the coordinator sets the one date, weighing the factors */
	{ "proposed", "set", COORDINATOR, NULL, write_date, "set", { &tell_parties, NULL } },
	/* G IV.4.4: moved, with everyone told */
	{ "set", "set", COORDINATOR, NULL, write_date, "set", { &tell_parties, NULL } },
	{ "ready", "set", COORDINATOR, NULL, write_date, "set", { &tell_parties, NULL } },
	/* SPEC 8: the date came; the case is ready to publish (issue 12 publishes) */
	{ "set", "reach", SYSTEM, NULL, write_date, "ready", { &tell_parties, NULL } },
	/* SPEC 2.9, G IV.4.4 (ア)-(オ): publication called off, with the reason */
	{ "undated", "call_off", COORDINATOR, NULL, write_date, "called_off", { &tell_parties, NULL } },
	{ "proposed", "call_off", COORDINATOR, NULL, write_date, "called_off", { &tell_parties, NULL } },
	{ "set", "call_off", COORDINATOR, NULL, write_date, "called_off", { &tell_parties, NULL } },
	{ "ready", "call_off", COORDINATOR, NULL, write_date, "called_off", { &tell_parties, NULL } },
	/* new information: publication is back on, and a date is to be set again */
	{ "called_off", "resume", COORDINATOR, NULL, write_date, "proposed", { NULL } },
};

const struct kk_flow kk_case_date_flow = {
	"date",
	"case",
	"docs/internals/date-workflow.md",
	states,
	sizeof(states) / sizeof(states[0]),
	transitions,
	sizeof(transitions) / sizeof(transitions[0]),
};
