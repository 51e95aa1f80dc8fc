/*
 * prenotify_flow.c: the workflow of a vendor's request to pre-notify its own
 * customers under NDA, as a table the flow engine runs (flow.h; issue 10,
 * SPEC 2.10, G IV.4.9: 「JPCERT/CC は製品開発者と調整した上で、製品開発者が製品利用者に
 * … 公表前に通知するのを認めることができます」; docs/internals/prenotify-workflow.md).
 * A vendor that asked for the detail asks (prenotify.c); only the
 * coordinator consents or refuses, once; the vendor is told either way.
 */
#include <stdio.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/provision.h"
#include "keikai/util.h"
#include "internal.h"
#include "messages_internal.h"
#include "prenotify_internal.h"
#include "store/case_messages.h"

static const struct kk_flow_state states[] = {
	{ "requested", N_("Pre-notification asked") },
	{ "consented", N_("Pre-notification consented") },
	{ "refused", N_("Pre-notification refused") },
};

/* The action of both rows: the decision, guarded by the state it was read in. */
static enum kk_result decide(struct kk_flow_step *s, struct kk_error *err)
{
	const struct prenotify_input *in = s->input;
	struct prenotify_object *o = s->object;
	enum kk_result res = kk_prenotify_decide_write(s->tx, o->r.id, o->r.state, s->t->to, s->actor->id, kk_now(),
						       in && in->note ? in->note : NULL, err);

	if (res)
		return res;
	s->detail = json_pack("{s:I, s:I, s:o}", "case_id", (json_int_t)o->case_id, "vendor_id",
			      (json_int_t)o->r.vendor_id, "note", kk_json_str_or_null(in ? in->note : NULL));
	return s->detail ? KK_OK : kk_error_nomem(err);
}

/* G IV.4.9: the vendor is told, by a message of the coordinator in its thread
 * of the case (and the notice of it); the case's trail shows the decision. */
static enum kk_result tell_vendor(struct kk_flow_step *s, struct kk_error *err)
{
	const struct prenotify_input *in = s->input;
	const struct prenotify_object *o = s->object;
	int consented = strcmp(s->t->to, "consented") == 0;
	struct kk_case_thread t;
	struct kk_case_message m = { 0 };
	char text[12000];
	json_t *detail;
	enum kk_result res;

	snprintf(text, sizeof(text), "%s%s%s",
		 consented ? _("Your request to notify your customers before publication, under a non-disclosure "
			       "agreement, is consented (G IV.4.9).")
			   : _("Your request to notify your customers before publication is refused (G IV.4.9)."),
		 in && in->note ? "\n\n" : "", in && in->note ? in->note : "");
	res = kk_case_threads_find(s->tx, "vendor", o->case_id, o->r.vendor_id, 0, 1, kk_now(), &t, err);
	if (!res) {
		m.thread_id = t.id;
		snprintf(m.author_kind, sizeof(m.author_kind), "staff");
		snprintf(m.author_role, sizeof(m.author_role), "%s", kk_role_name(s->actor->role));
		snprintf(m.kind, sizeof(m.kind), "message");
		m.author_id = s->actor->id;
		m.body = text;
		m.created_at = kk_now();
		res = kk_case_messages_insert(s->tx, &m, err);
	}
	if (!res)
		res = msg_notice_vendor(s->tx, o->r.vendor_id, o->ref, o->case_id, text, err);
	if (res)
		return res;
	detail = json_pack("{s:I, s:I, s:s}", "request", (json_int_t)o->r.id, "vendor_id", (json_int_t)o->r.vendor_id,
			   "decision", s->t->event);
	if (!detail)
		return kk_error_nomem(err);
	res = kk_audit_record(s->tx, s->actor, "case", o->case_id, "prenotify.decide", s->t->from, s->t->to, detail,
			      err);
	json_decref(detail);
	return res;
}

#define COORDINATOR KK_ROLE_BIT(KK_ROLE_COORDINATOR)

static const struct kk_flow_effect tell = { "tell the vendor in its thread", tell_vendor };

static const struct kk_flow_transition transitions[] = {
	/* G IV.4.9: the coordinator consents, having weighed the risk to users */
	{ "requested", "consent", COORDINATOR, NULL, decide, "consented", { &tell, NULL } },
	/* … or refuses, saying why */
	{ "requested", "refuse", COORDINATOR, NULL, decide, "refused", { &tell, NULL } },
};

const struct kk_flow kk_prenotify_flow = {
	"prenotify",
	"prenotify_request",
	"docs/internals/prenotify-workflow.md",
	states,
	sizeof(states) / sizeof(states[0]),
	transitions,
	sizeof(transitions) / sizeof(transitions[0]),
};
