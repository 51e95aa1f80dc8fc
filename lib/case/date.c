/*
 * date.c: a case's publication date (case.h; issue 10, SPEC 2.8, 2.9): keikai
 * proposes it at day 0, the coordinator sets and moves the one date, each
 * vendor answers it, publication is called off and resumed, and the scheduler
 * makes the case ready when the date comes. Every change is one transaction
 * with its audit record (the flow "date", date_flow.c), the record of the
 * change and the notices it causes; a body with any fault changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/calendar.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "date.h"
#include "internal.h"
#include "store/case_dates.h"

#define REASON_MAX 2000 /* characters of a reason, a note, a factor */

static const char *const factor_names[] = { "fix_time", "international", "leak_risk", NULL };

int64_t case_date_current(const struct kk_case *c)
{
	return c->publication_at ? c->publication_at : c->proposed_at;
}

const char *kk_case_call_off_label(const char *r)
{
	/* G IV.4.4 (ア)-(オ) */
	static const char *const labels[] = {
		N_("(a) The vendor says it is not a vulnerability"),
		N_("(b) It has no impact"),
		N_("(c) Its impact is low (Appendix 4)"),
		N_("(d) It is already known and published"),
		N_("(e) The vendor notifies every user itself"),
	};

	if (!r || strlen(r) != 1 || !strchr(KK_CALL_OFF_REASONS, r[0]))
		return NULL;
	return _(labels[r[0] - 'a']);
}

json_t *case_date_audit_detail(const struct kk_case *c, const struct case_date_input *in)
{
	json_t *d = json_object();

	if (!d || !in)
		return d;
	if (in->at && json_object_set_new(d, "to_at", json_integer(in->at)))
		goto fail;
	if (in->old_at && json_object_set_new(d, "from_at", json_integer(in->old_at)))
		goto fail;
	if (in->reason && json_object_set_new(d, "reason", json_string(in->reason)))
		goto fail;
	if (in->note && json_object_set_new(d, "note", json_string(in->note)))
		goto fail;
	(void)c;
	return d;
fail:
	json_decref(d);
	return NULL;
}

enum kk_result case_date_propose(struct kk_tx *tx, const struct kk_user *actor, int64_t case_id, int64_t day0,
				 struct kk_error *err)
{
	struct kk_calendar *cal = NULL;
	struct kk_case c = { 0 };
	struct case_date_input in = { 0 };
	enum kk_result res = kk_cases_load(tx, NULL, case_id, &c, err);

	if (!res && strcmp(c.date_state, "undated") != 0)
		goto out; /* day 0 came before: its date stands */
	if (!res)
		res = kk_calendar_load(tx, &cal, err);
	if (!res) {
		/* SPEC 2.8: day 0 + 45 days, on a business day */
		in.at = kk_calendar_publication(cal, day0);
		res = case_fire(tx, actor, &kk_case_date_flow, c.id, &c, &in, c.date_state, "propose", err);
	}
out:
	kk_calendar_free(cal);
	kk_case_release(&c);
	return res;
}

/* Member `name` of body as a date: "date": "2027-02-18" (at the
 * organisation's publication time) or, for name "publication_at", an ISO
 * time. 0 with a field error when faulty; 0 without one when absent. */
static int64_t body_date(const json_t *body, const char *name, const struct kk_calendar *cal, struct kk_error *err)
{
	const json_t *v = json_object_get(body, name);
	int64_t at = 0;
	kk_day d;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		kk_error_field(err, name, "%s", _("Must be a date such as 2027-02-18."));
	else if (strcmp(name, "date") == 0 && kk_day_parse(json_string_value(v), &d) == 0)
		at = kk_calendar_at(cal, d);
	else if (strcmp(name, "publication_at") == 0 && kk_time_parse(json_string_value(v), &at) == 0)
		;
	else
		kk_error_field(err, name, "%s",
			       strcmp(name, "date") == 0 ? _("Must be a date such as 2027-02-18.")
							 : _("Must be a time such as 2027-02-18T02:00:00Z."));
	return at;
}

/* The date of body ("date" or "publication_at", one of them required when
 * required): a business day in the future, or 0 with a field error. */
static int64_t wanted_date(const json_t *body, const struct kk_calendar *cal, int required, struct kk_error *err)
{
	int64_t a = body_date(body, "date", cal, err), b = body_date(body, "publication_at", cal, err);
	const char *field = b ? "publication_at" : "date";
	int64_t at = a ? a : b;
	char day[KK_DATE_LEN];

	if (a && b)
		kk_error_field(err, "publication_at", "%s", _("Give either date or publication_at, not both."));
	else if (!at && required && !kk_error_has_fields(err))
		kk_error_field(err, "date", "%s", _("Required."));
	else if (at && at <= kk_now())
		kk_error_field(err, field, _("%s is not in the future."), kk_date_format(at, day));
	else if (at && !kk_calendar_business(cal, kk_day_of_time(at)))
		/* SPEC 2.8: the date is a business day */
		kk_error_field(err, field, _("%s is not a business day."), kk_date_format(at, day));
	else
		return at;
	return 0;
}

/* Member "factors" of body: {"fix_time", "international", "leak_risk"}, each
 * text, as JSON text into *out (NULL when absent; the caller frees). */
static void body_factors(const json_t *body, char **out, struct kk_error *err)
{
	const json_t *f = json_object_get(body, "factors");
	json_t *copy;
	char path[64];

	*out = NULL;
	if (!f || json_is_null(f))
		return;
	if (!json_is_object(f)) {
		kk_error_field(err, "factors", "%s", _("Must be an object."));
		return;
	}
	if (!case_only_members(f, factor_names, err))
		return; /* fields.c names the unknown members */
	if (!(copy = json_object()))
		return (void)kk_error_nomem(err);
	for (int i = 0; factor_names[i]; i++) {
		const char *t;

		snprintf(path, sizeof(path), "factors.%s", factor_names[i]);
		if (!json_object_get(f, factor_names[i]))
			continue;
		t = case_text(f, factor_names[i], 0, REASON_MAX, 1, err);
		if (t && json_object_set_new(copy, factor_names[i], json_string(t)))
			kk_error_nomem(err);
	}
	if (!kk_error_has_fields(err) && json_object_size(copy))
		*out = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
}

/* Begins a change of case ref's date: the transaction, the case, the calendar. */
static enum kk_result change_begin(struct kk_store *s, const struct kk_user *actor, const char *ref,
				   enum kk_action action, struct kk_tx *tx, struct case_ctx *cx,
				   struct kk_calendar **cal, struct kk_error *err)
{
	enum kk_result res = case_begin(s, 1, actor, ref, action, tx, cx, err);

	*cal = NULL;
	if (res)
		return res;
	res = kk_calendar_load(tx, cal, err);
	if (res) {
		case_end(tx, res, NULL, err);
		case_ctx_release(cx);
	}
	return res;
}

/* Ends a change: on success the date as actor now sees it into *out. */
static enum kk_result change_end(struct kk_store *s, const struct kk_user *actor, const char *ref,
				 struct kk_tx *tx, struct case_ctx *cx, struct kk_calendar *cal, enum kk_result res,
				 json_t **out, struct kk_error *err)
{
	res = case_end(tx, res, NULL, err);
	case_ctx_release(cx);
	kk_calendar_free(cal);
	if (!res && out)
		res = kk_case_date_get(s, actor, ref, out, err);
	return res;
}

enum kk_result kk_case_date_set(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				json_t **out, struct kk_error *err)
{
	static const char *const members[] = { "date", "publication_at", "reason", "factors", NULL };
	struct case_date_input in = { 0 };
	struct kk_calendar *cal;
	struct case_ctx cx;
	struct kk_tx tx;
	char *factors = NULL;
	enum kk_result res;

	if (out)
		*out = NULL;
	res = change_begin(s, actor, ref, KK_ACT_CASE_DATE_SET, &tx, &cx, &cal, err);
	if (res)
		return res;
	if (case_only_members(body, members, err)) {
		in.at = wanted_date(body, cal, 1, err);
		in.reason = case_text(body, "reason", 1, REASON_MAX, 1, err);
		body_factors(body, &factors, err);
	}
	if (kk_error_has_fields(err) || kk_error_result(err, KK_OK)) {
		res = kk_error_result(err, KK_EINVAL);
		goto out;
	}
	/* SPEC 2.8, G IV.4.4: one date for every vendor, each change recorded */
	in.old_at = case_date_current(&cx.c);
	in.factors = factors;
	res = case_fire(&tx, actor, &kk_case_date_flow, cx.c.id, &cx.c, &in, cx.c.date_state, "set", err);
	if (!res)
		res = kk_case_dates_change(&tx, cx.c.id, in.old_at, in.at, in.reason, factors, actor->id, kk_now(),
					   err);
out:
	free(factors);
	return change_end(s, actor, ref, &tx, &cx, cal, res, out, err);
}

enum kk_result kk_case_date_answer(struct kk_store *s, const struct kk_user *actor, const char *ref,
				   const json_t *body, json_t **out, struct kk_error *err)
{
	static const char *const members[] = { "answer", "date", "publication_at", "reason", NULL };
	struct kk_calendar *cal;
	struct case_ctx cx;
	struct kk_tx tx;
	const char *answer = NULL, *reason = NULL;
	int64_t wanted = 0, current;
	enum kk_result res;

	if (out)
		*out = NULL;
	res = change_begin(s, actor, ref, KK_ACT_CASE_DATE_ANSWER, &tx, &cx, &cal, err);
	if (res)
		return res;
	if (case_only_members(body, members, err)) {
		answer = case_text(body, "answer", 1, 16, 0, err);
		if (answer && strcmp(answer, "agree") != 0 && strcmp(answer, "other") != 0) {
			kk_error_field(err, "answer", "%s", _("Must be \"agree\" or \"other\"."));
			answer = NULL;
		}
		if (answer && strcmp(answer, "other") == 0) {
			/* SPEC 2.8: another date, with the reason */
			wanted = wanted_date(body, cal, 1, err);
			reason = case_text(body, "reason", 1, REASON_MAX, 1, err);
		} else if (answer && (json_object_get(body, "date") || json_object_get(body, "publication_at"))) {
			kk_error_field(err, "date", "%s", _("Only an answer of \"other\" names a date."));
		}
	}
	if (kk_error_has_fields(err) || kk_error_result(err, KK_OK)) {
		res = kk_error_result(err, KK_EINVAL);
		goto out;
	}
	current = case_date_current(&cx.c);
	if (!current || (strcmp(cx.c.date_state, "proposed") != 0 && strcmp(cx.c.date_state, "set") != 0)) {
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("There is no publication date to answer now."));
		goto out;
	}
	res = kk_case_dates_answer(&tx, cx.c.id, actor->vendor_id, current, answer, wanted, reason, actor->id,
				   kk_now(), err);
	if (!res) {
		json_t *d = json_pack("{s:s, s:I, s:o}", "answer", answer, "for_at", (json_int_t)current, "wanted_at",
				      wanted ? json_integer(wanted) : json_null());

		res = d ? kk_audit_record(&tx, actor, "case", cx.c.id, "date.answer", NULL, NULL, d, err)
			: kk_error_nomem(err);
		json_decref(d);
	}
out:
	return change_end(s, actor, ref, &tx, &cx, cal, res, out, err);
}

enum kk_result kk_case_date_event(struct kk_store *s, const struct kk_user *actor, const char *ref,
				  const char *event, const json_t *body, json_t **out, struct kk_error *err)
{
	static const char *const members[] = { "reason", "note", NULL };
	struct case_date_input in = { 0 };
	struct kk_calendar *cal;
	struct case_ctx cx;
	struct kk_tx tx;
	enum kk_result res;

	if (out)
		*out = NULL;
	res = change_begin(s, actor, ref, KK_ACT_CASE_DATE_SET, &tx, &cx, &cal, err);
	if (res)
		return res;
	if (body && !json_is_null(body) && case_only_members(body, members, err)) {
		in.note = case_text(body, "note", 0, REASON_MAX, 1, err);
		if (strcmp(event, "call_off") == 0) {
			/* SPEC 2.9: one of the reasons of G IV.4.4 */
			in.reason = case_text(body, "reason", 1, 1, 0, err);
			if (in.reason && !kk_case_call_off_label(in.reason)) {
				kk_error_field(err, "reason", "%s", _("Must be one of a, b, c, d, e (G IV.4.4 (ア)-(オ))."));
				in.reason = NULL;
			}
		} else if (json_object_get(body, "reason")) {
			kk_error_field(err, "reason", "%s", _("Only calling publication off takes a reason."));
		}
	} else if (strcmp(event, "call_off") == 0 && !kk_error_has_fields(err)) {
		kk_error_field(err, "reason", "%s", _("Required."));
	}
	if (kk_error_has_fields(err) || kk_error_result(err, KK_OK)) {
		res = kk_error_result(err, KK_EINVAL);
		goto out;
	}
	/* propose and reach are keikai's own: the table refuses them to a user */
	res = case_fire(&tx, actor, &kk_case_date_flow, cx.c.id, &cx.c, &in, cx.c.date_state, event, err);
out:
	return change_end(s, actor, ref, &tx, &cx, cal, res, out, err);
}

enum kk_result kk_case_date_reach(struct kk_tx *tx, int64_t case_id, struct kk_error *err)
{
	struct kk_case c = { 0 };
	struct case_date_input in = { 0 };
	enum kk_result res = kk_cases_load(tx, NULL, case_id, &c, err);

	if (!res && strcmp(c.date_state, "set") == 0 && c.publication_at && c.publication_at <= kk_now()) {
		in.at = c.publication_at;
		res = case_fire(tx, &kk_system_user, &kk_case_date_flow, c.id, &c, &in, c.date_state, "reach", err);
	}
	kk_case_release(&c);
	return res;
}
