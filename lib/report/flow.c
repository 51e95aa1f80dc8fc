/*
 * flow.c: the triage workflow of a report as a table the flow engine runs
 * (flow.h; SPEC 2.2: accept or reject, with a reason, by the receiving
 * organisation). Later stages of handling belong to cases, not reports.
 *
 * The states here are the only list of report states: their names and labels,
 * the queue's filters, the schema's CHECK (tested) and docs/internals/
 * report-workflow.md (tested) all come from or are checked against this table.
 * Their order is enum kk_report_status's.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "internal.h"
#include "keikai/mailin.h"
#include "store/reports.h"
#include "store/reports_mail.h"

static const struct kk_flow_state states[] = {
	[KK_REPORT_RECEIVED] = { "received", N_("Received") },
	[KK_REPORT_ACCEPTED] = { "accepted", N_("Accepted") },
	[KK_REPORT_REJECTED] = { "rejected", N_("Rejected") },
	/* issue 11: a report that came by mail, which staff complete before triage */
	[KK_REPORT_MAIL] = { "mail", N_("Received by mail") },
};

/* The action of both decisions: records it on the report, with the state it
 * leads to, guarded by the state it was read in (two servers cannot both decide). */
static enum kk_result record_decision(struct kk_flow_step *s, struct kk_error *err)
{
	struct kk_report *r = s->object;
	const struct kk_decision *d = s->input;
	enum kk_report_status from = r->status;
	int accept = strcmp(s->t->event, "accept") == 0;
	int64_t now = kk_now();

	kk_report_status_parse(s->t->to, &r->status);
	r->decided_at = now;
	r->accepted_at = accept ? now : 0;
	r->reject_reason = accept ? KK_REJECT_NONE : d->reason;
	free(r->decision_note);
	r->decision_note = kk_strdup(d->note);
	if (d->note && !r->decision_note)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	s->detail = json_pack("{s:s?, s:s?}", "reason", accept ? NULL : kk_reject_reason_name(d->reason), "note",
			      d->note);
	if (!s->detail)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	return kk_reports_save_decision(s->tx, r, from, err);
}

/* SPEC 2.2: the finder is told the decision, the reason and the note, in the
 * finder's language. */
static enum kk_result tell_finder(struct kk_flow_step *s, struct kk_error *err)
{
	struct kk_finder_mail mail = { "", NULL };
	const struct kk_report *r = s->object;
	enum kk_result res = kk_report_mail_decision(r, kk_report_finder_lang(r), kk_report_finder_zone(r), &mail, err);

	if (!res)
		res = kk_report_queue_to_finder(s->tx, s->object, "decision", &mail, err);
	return res;
}

static const struct kk_flow_effect mail_finder = { "mail the finder", tell_finder };

/* Issue 11: staff complete a report that came by mail with the fields a web
 * form would have given (s->input: struct kk_report_completion, validated by
 * the shared validator); the report keeps its number, its arrival and its
 * finder's address when the completion gives none, and goes to triage. */
static enum kk_result complete_report(struct kk_flow_step *s, struct kk_error *err)
{
	struct kk_report *r = s->object;
	const struct kk_report_completion *c = s->input;
	struct kk_report n = *c->fields;
	enum kk_report_status from = r->status;
	enum kk_result res;

	memset(c->fields, 0, sizeof(*c->fields)); /* n owns what the completion held */
	n.id = r->id;
	memcpy(n.tracking_id, r->tracking_id, sizeof(n.tracking_id));
	memcpy(n.lang, r->lang, sizeof(n.lang));
	n.received_at = r->received_at;
	if (kk_str_empty(n.finder.email)) {
		free(n.finder.email);
		n.finder.email = r->finder.email;
		r->finder.email = NULL;
	}
	kk_report_status_parse(s->t->to, &n.status);
	kk_report_release(r);
	*r = n;
	res = kk_reports_mail_complete(s->tx, r, from, err);
	if (!res)
		res = kk_reports_insert_attachments(s->tx, r, err);
	if (!res && !(s->detail = json_pack("{s:s}", "kind", kk_report_kind_name(r->kind))))
		res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	return res;
}

#define INTAKE KK_ROLE_BIT(KK_ROLE_INTAKE)

static const struct kk_flow_transition transitions[] = {
	/* SPEC 2.2: acceptance (受理); the day it happens is the acceptance date */
	{ "received", "accept", INTAKE, NULL, record_decision, "accepted", { &mail_finder } },
	/* SPEC 2.2: rejection with a reason the finder is told */
	{ "received", "reject", INTAKE, NULL, record_decision, "rejected", { &mail_finder } },
	/* issue 11: a report that came by mail is completed by intake before triage */
	{ "mail", "complete", INTAKE, NULL, complete_report, "received", { NULL } },
};

const struct kk_flow kk_report_triage = {
	"triage",
	"report",
	"docs/internals/report-workflow.md",
	states,
	sizeof(states) / sizeof(states[0]),
	transitions,
	sizeof(transitions) / sizeof(transitions[0]),
};

const char *kk_report_status_name(enum kk_report_status st)
{
	return (size_t)st < kk_report_triage.n_states ? states[st].name : "";
}

const char *kk_report_status_label(enum kk_report_status st)
{
	return (size_t)st < kk_report_triage.n_states ? _(states[st].label) : "";
}

int kk_report_status_parse(const char *s, enum kk_report_status *out)
{
	int i = kk_flow_state_index(&kk_report_triage, s);

	if (i < 0)
		return -1;
	*out = (enum kk_report_status)i;
	return 0;
}
