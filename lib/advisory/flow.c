/*
 * flow.c: the workflow of an advisory as a table the flow engine runs
 * (flow.h; issue 12, SPEC 6, G IV.4.9; docs/internals/advisory-workflow.md).
 * The coordinator approves the draft and may withdraw the approval; keikai
 * itself (the scheduler, role system) publishes an approved advisory when the
 * case's date has been reached -- the guard -- and never a second before;
 * after publication the coordinator revises the texts, each revision a new
 * public revision with its note in the history. Saving the draft is not an
 * event: it changes no state (advisory.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/advisory_search.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "internal.h"

static const struct kk_flow_state states[] = {
	{ "draft", N_("Draft") },
	{ "approved", N_("Approved") },
	{ "published", N_("Published") },
};

/* SPEC 2.8, 2.9, issue 12 item 4: the case's one date has come (the
 * scheduler made it "ready": never a called-off one), its minute is not in
 * the future, and the case is still handled. */
static int date_reached(const struct kk_flow_step *s)
{
	const struct adv_object *o = s->object;

	return o && o->c && o->c->date_state && !strcmp(o->c->date_state, "ready") && o->c->publication_at &&
	       o->c->publication_at <= kk_now() && o->c->state && !strcmp(o->c->state, "open");
}

static const struct kk_flow_guard reached = {
	"date reached", date_reached, N_("The case's publication date has not been reached.")
};

static enum kk_result approve(struct kk_flow_step *s, struct kk_error *err)
{
	const struct adv_object *o = s->object;
	const struct adv_input *in = s->input;
	struct kk_advisory *a = o->a;
	char from[sizeof(a->state)];

	snprintf(from, sizeof(from), "%s", a->state);
	a->approved_at = kk_now();
	a->approved_by = s->actor->id;
	snprintf(a->state, sizeof(a->state), "%s", s->t->to);
	if (!(s->detail = json_pack("{s:I, s:s?}", "revision", (json_int_t)a->revision, "note", in ? in->note : NULL)))
		return kk_error_nomem(err);
	return kk_advisories_update(s->tx, a, from, err);
}

static enum kk_result withdraw(struct kk_flow_step *s, struct kk_error *err)
{
	const struct adv_object *o = s->object;
	const struct adv_input *in = s->input;
	struct kk_advisory *a = o->a;
	char from[sizeof(a->state)];

	snprintf(from, sizeof(from), "%s", a->state);
	a->approved_at = 0;
	a->approved_by = 0;
	snprintf(a->state, sizeof(a->state), "%s", s->t->to);
	if (!(s->detail = json_pack("{s:I, s:s?}", "revision", (json_int_t)a->revision, "note", in ? in->note : NULL)))
		return kk_error_nomem(err);
	return kk_advisories_update(s->tx, a, from, err);
}

/* SPEC 6 (1), issue 12 item 2: the public ID, drawn now and kept for ever;
 * published_at; the first public revision; the history entry "published";
 * the case's advisory_id (the finder's stage "published"). */
static enum kk_result publish(struct kk_flow_step *s, struct kk_error *err)
{
	const struct adv_object *o = s->object;
	struct kk_advisory *a = o->a;
	char kind[8], id[KK_ADVISORY_ID_MAX], from[sizeof(a->state)];
	json_t *content = adv_content_load(a->content, err);
	int64_t now = kk_now();
	int added = 0;
	enum kk_result res = content ? adv_id_kind(s->tx, a->case_id, content, kind, err) : kk_error_result(err, KK_EDB);

	json_decref(content);
	if (!res)
		res = adv_id_draw(s->tx, a->case_id, kind, id, err);
	if (res)
		return res;
	snprintf(from, sizeof(from), "%s", a->state);
	free(a->public_id);
	if (!(a->public_id = kk_strdup(id)))
		return kk_error_nomem(err);
	snprintf(a->kind, sizeof(a->kind), "%s", kind);
	snprintf(a->state, sizeof(a->state), "%s", s->t->to);
	a->published_at = a->updated_at = now;
	a->public_revision = 1;
	if (!(s->detail = json_pack("{s:s, s:s, s:I}", "id", id, "kind", kind, "revision", (json_int_t)a->revision)))
		return kk_error_nomem(err);
	res = kk_advisories_update(s->tx, a, from, err);
	if (!res)
		res = kk_advisory_revisions_mark(s->tx, a->id, a->revision, 1, err);
	if (!res)
		res = kk_advisory_history_add(s->tx, a->id, "published", 0, 1, NULL, NULL, now, &added, err);
	if (!res)
		res = kk_advisory_case_published(s->tx, a->case_id, id, err);
	/* issue 12 item 6: searchable from the moment it is public */
	if (!res)
		res = kk_advisory_search_index(s->tx, a->id, err);
	return res;
}

/* G IV.4.9: the coordinator revises the texts after publication: a new
 * revision kept, a new public revision with what changed in the history. */
static enum kk_result revise(struct kk_flow_step *s, struct kk_error *err)
{
	const struct adv_object *o = s->object;
	const struct adv_input *in = s->input;
	struct kk_advisory *a = o->a;
	char *text = adv_content_dump(in->content), *old = a->content, from[sizeof(a->state)];
	int64_t now = kk_now();
	int added = 0;
	enum kk_result res;

	if (!text)
		return kk_error_nomem(err);
	snprintf(from, sizeof(from), "%s", a->state);
	a->content = text;
	free(old);
	a->revision++;
	a->public_revision++;
	a->saved_at = a->updated_at = now;
	a->saved_by = s->actor->id;
	adv_content_scores(in->content, &a->cvss3_tenths, &a->cvss4_tenths);
	if (!(s->detail = json_pack("{s:I, s:I, s:s?, s:s?}", "revision", (json_int_t)a->revision, "public_revision",
				    (json_int_t)a->public_revision, "note_ja", in->note_ja, "note_en", in->note_en)))
		return kk_error_nomem(err);
	res = kk_advisories_update(s->tx, a, from, err);
	if (!res)
		res = kk_advisory_revisions_insert(s->tx, a->id, a->revision, a->content,
						   in->note_ja ? in->note_ja : in->note_en, a->public_revision,
						   s->actor->id, now, err);
	if (!res)
		res = kk_advisory_history_add(s->tx, a->id, "revised", 0, a->public_revision, in->note_ja, in->note_en,
					      now, &added, err);
	/* issue 12 item 6: the search finds the revised text */
	if (!res)
		res = kk_advisory_search_index(s->tx, a->id, err);
	return res;
}

#define COORDINATOR KK_ROLE_BIT(KK_ROLE_COORDINATOR)
#define SYSTEM KK_ROLE_BIT(KK_ROLE_SYSTEM)

static const struct kk_flow_effect tell = { "tell the finders, every vendor and intake", adv_tell_published };

static const struct kk_flow_transition transitions[] = {
	/* SPEC 6: the coordinator approves the texts for publication */
	{ "draft", "approve", COORDINATOR, NULL, approve, "approved", { NULL } },
	/* … and may take the approval back to change them */
	{ "approved", "withdraw", COORDINATOR, NULL, withdraw, "draft", { NULL } },
	/* issue 12 item 4, SPEC 2.8: keikai publishes on the agreed minute, not a second before */
	{ "approved", "publish", SYSTEM, &reached, publish, "published", { &tell, NULL } },
	/* G IV.4.9: revised after publication, every revision kept */
	{ "published", "revise", COORDINATOR, NULL, revise, "published", { NULL } },
};

const struct kk_flow kk_advisory_flow = {
	"advisory",
	"advisory",
	"docs/internals/advisory-workflow.md",
	states,
	sizeof(states) / sizeof(states[0]),
	transitions,
	sizeof(transitions) / sizeof(transitions[0]),
};

enum kk_result adv_fire(struct kk_tx *tx, const struct kk_user *actor, struct kk_advisory *a,
			const struct kk_case *c, const struct adv_input *in, const char *event, struct kk_error *err)
{
	struct adv_object o = { a, c };
	struct kk_flow_step step = { .tx = tx, .actor = actor, .object_id = a->id, .object = &o, .input = in };
	char from[sizeof(a->state)];

	/* the action changes a->state: the engine's "from" is a copy */
	snprintf(from, sizeof(from), "%s", a->state);
	return kk_flow_fire(&kk_advisory_flow, &step, from, event, err);
}
