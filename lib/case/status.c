/*
 * status.c: a vendor's status per vulnerability (SPEC 2.7, G IV.5): the one
 * way any status changes is firing the table of status_flow.c on a row of
 * vendor_statuses, here, so every change is checked against the table and
 * audited with who made it and why. kk_case_status_set takes any event of the
 * table: the stages of the vendor as a whole (notified, summary_read and the
 * answers to the summary) do what notify.c and answer.c do, for the vendor
 * the body names; the rest move one vulnerability's status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/advisory.h"
#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "vendor_status.h"

/* R §5.1.2: where a vendor stands before it answered the summary. */
static const char *const answer_from[] = { "notified", "summary_read", "no_response", NULL };

static int in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

int case_status_is_answer(const char *event, const char *from)
{
	return strcmp(event, "detail_requested") == 0 ||
	       (strcmp(event, "not_affected") == 0 && in_list(answer_from, from));
}

/* Fires event on st (a copy of its state is the audit's "from"). */
static enum kk_result fire_one(struct kk_tx *tx, const struct kk_user *actor, const struct kk_case_vendor *cv,
			       struct kk_vendor_status *st, const char *event, const char *note, struct kk_error *err)
{
	struct case_status_input in = { cv->vendor_id, note };
	char from[sizeof(st->status)];

	enum kk_result res;

	snprintf(from, sizeof(from), "%s", st->status);
	res = case_fire(tx, actor, &kk_vendor_status_flow, st->id, st, &in, from, event, err);
	/* G IV.4.9, issue 12: a published advisory shows the vendor's new status at
	 * once; the notice and keikai's or the coordinator's judgement of silence
	 * are no report of the vendor's */
	if (!res && strcmp(event, "notified") && strcmp(event, "summary_read") && strcmp(event, "no_response") &&
	    strcmp(event, "unreachable"))
		res = kk_advisory_vendor_updated(tx, cv->case_id, cv->vendor_id, "vendor_status", err);
	return res;
}

/* Whether the table lets actor fire event from state (nothing is set). */
static int table_allows(const struct kk_user *actor, const char *state, const char *event)
{
	struct kk_flow_step step = { .actor = actor };
	const struct kk_flow_transition *t;

	return kk_flow_check(&kk_vendor_status_flow, &step, state, event, &t, NULL) == KK_OK;
}

enum kk_result case_status_fire_from(struct kk_tx *tx, const struct kk_user *actor, const struct kk_case_vendor *cv,
				     const char *event, const char *const *from, const char *note, size_t *moved,
				     struct kk_error *err)
{
	struct kk_vendor_status *sts = NULL;
	size_t n = 0, done = 0;
	enum kk_result res = kk_vendor_statuses_list(tx, cv->id, &sts, &n, err);

	for (size_t i = 0; !res && i < n; i++) {
		if ((from && !in_list(from, sts[i].status)) || !table_allows(actor, sts[i].status, event))
			continue;
		res = fire_one(tx, actor, cv, &sts[i], event, note, err);
		done++;
	}
	kk_vendor_statuses_free(sts, n);
	if (moved)
		*moved = done;
	return res;
}

enum kk_result case_status_refusal(struct kk_tx *tx, const struct kk_user *actor, const struct kk_case_vendor *cv,
				   const char *event, struct kk_error *err)
{
	struct kk_vendor_status *sts = NULL;
	size_t n = 0;
	enum kk_result res = kk_vendor_statuses_list(tx, cv->id, &sts, &n, err);

	if (!res) {
		struct kk_flow_step step = { .actor = actor };
		const struct kk_flow_transition *t;

		/* the table's answer for the first status says why */
		res = n ? kk_flow_check(&kk_vendor_status_flow, &step, sts[0].status, event, &t, err)
			: kk_error_set(err, KK_ECONFLICT, "%s", _("The case has no vulnerability yet."));
		if (!res)
			res = kk_error_set(err, KK_ECONFLICT, "%s",
					   _("No status of this vendor can change this way now."));
	}
	kk_vendor_statuses_free(sts, n);
	return res;
}

enum kk_result case_status_fire(struct kk_tx *tx, const struct kk_user *actor, const struct kk_case_vendor *cv,
				int number, const char *event, const char *note, size_t *moved, struct kk_error *err)
{
	struct kk_vendor_status *sts = NULL;
	size_t n = 0, done = 0;
	enum kk_result res = kk_vendor_statuses_list(tx, cv->id, &sts, &n, err);
	size_t i = 0;

	if (!res && number > 0) {
		while (i < n && sts[i].number != number)
			i++;
		if (i == n)
			res = kk_error_field(err, "vulnerability", _("There is no vulnerability %d in this case."),
					     number);
		else if (!(res = fire_one(tx, actor, cv, &sts[i], event, note, err)))
			done = 1;
	} else if (!res) {
		res = case_status_fire_from(tx, actor, cv, event, NULL, note, &done, err);
		if (!res && done == 0)
			res = case_status_refusal(tx, actor, cv, event, err);
	}
	kk_vendor_statuses_free(sts, n);
	if (moved)
		*moved = done;
	return res;
}

enum kk_result case_whose(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx,
			  const json_t *body, struct kk_case_vendor *cv, struct kk_error *err)
{
	const json_t *v = json_object_get(body, "vendor_id");
	int64_t id;
	enum kk_result res;

	memset(cv, 0, sizeof(*cv));
	if (actor->role == KK_ROLE_VENDOR) {
		/* a vendor never acts for another (SPEC 1) */
		if (v && !json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) != actor->vendor_id))
			return kk_error_set(err, KK_EDENIED, "%s", _("A vendor speaks only for itself."));
		id = actor->vendor_id;
	} else {
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return kk_error_field(err, "vendor_id", "%s",
					      _("Say whose this is: the id of a vendor of the case."));
		id = json_integer_value(v);
	}
	res = kk_case_vendors_load(tx, cx->c.id, id, cv, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_field(err, "vendor_id", _("The vendor %lld is not on this case."), (long long)id);
	return res;
}

enum kk_result case_body_list(const json_t *body, const char *key, size_t max, size_t len, int urls, char **out,
			      struct kk_error *err)
{
	const json_t *list = json_object_get(body, key), *v;
	size_t i;
	int bad = 0;

	*out = NULL;
	if (!list || json_is_null(list))
		return KK_OK;
	if (!json_is_array(list) || json_array_size(list) > max)
		return kk_error_field(err, key, _("Must be a list of at most %zu texts."), max);
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		char path[64];

		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		if (!s || kk_str_empty(s) || kk_has_control(s, 0) || kk_utf8_len(s) > len) {
			kk_error_field(err, path, _("Must be one line of 1 to %zu characters."), len);
			bad = 1;
		} else if (urls &&
			   ((strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) || strchr(s, ' '))) {
			kk_error_field(err, path, "%s", _("Must be an http:// or https:// address."));
			bad = 1;
		}
	}
	if (bad)
		return KK_EINVAL;
	*out = kk_json_dumps(list, JSON_COMPACT);
	return *out ? KK_OK : kk_error_nomem(err);
}

enum kk_result case_view_after(struct kk_tx *tx, const struct kk_user *actor, const char *ref, json_t **out,
			       struct kk_error *err)
{
	struct case_ctx cx;
	enum kk_result res;

	if (!out)
		return KK_OK;
	res = case_load(tx, actor, ref, KK_ACT_CASE_READ, &cx, err);
	if (res)
		return res;
	/* R §5.1.2: every vendor read of the detail is logged, this one too */
	if (actor->role == KK_ROLE_VENDOR && case_may(actor, KK_ACT_CASE_DETAIL_READ, &cx))
		res = kk_audit_record(tx, actor, "case", cx.c.id, "detail.view", NULL, NULL, NULL, err);
	if (!res)
		res = case_view_json(tx, actor, &cx, out, err);
	case_ctx_release(&cx);
	return res;
}

/* The access an event needs beyond the table (authz.h): notifying, reading,
 * answering the summary (a vendor; the coordinator records it as a change), or
 * changing the vendor's standing. */
static enum kk_action event_action(const struct kk_user *actor, const char *event, const char *from)
{
	if (strcmp(event, "notified") == 0)
		return KK_ACT_CASE_NOTIFY;
	if (strcmp(event, "summary_read") == 0)
		return KK_ACT_CASE_READ;
	if (actor->role == KK_ROLE_VENDOR && case_status_is_answer(event, from))
		return KK_ACT_CASE_ANSWER;
	return KK_ACT_CASE_VENDOR_WRITE;
}

/* A status change as the body gives it. */
struct change {
	int number;
	const char *event, *note;
	char *fixed_versions; /* compact JSON, or NULL */
};

static enum kk_result parse_change(const json_t *body, struct change *c, struct kk_error *err)
{
	static const char *const members[] = { "vulnerability", "status", "note", "fixed_versions", "vendor_id", NULL };
	const char *status = json_string_value(json_object_get(body, "status"));

	memset(c, 0, sizeof(*c));
	if (!case_only_members(body, members, err) && !json_is_object(body))
		return KK_EINVAL;
	c->number = case_vuln_number(body, err);
	/* the table's events: every state but the first */
	if (!status || kk_flow_state_index(&kk_vendor_status_flow, status) < 1) {
		char names[512];
		const char *all = kk_flow_state_names(&kk_vendor_status_flow, names, sizeof(names));

		kk_error_field(err, "status", _("Must be one of: %s."), all + strlen("not_notified, "));
	} else {
		c->event = status;
	}
	c->note = case_text(body, "note", 0, KK_CASE_TEXT_MAX, 1, err);
	case_body_list(body, "fixed_versions", 50, 100, 0, &c->fixed_versions, err);
	return kk_error_has_fields(err) ? KK_EINVAL : KK_OK;
}

/* The change of the vendor as a whole that event from `from` is, in tx. */
static enum kk_result apply(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx,
			    struct kk_case_vendor *cv, const struct change *c, const char *from, struct kk_error *err)
{
	enum kk_result res;

	if (strcmp(c->event, "notified") == 0) {
		/* SPEC 2.6: the first notice (a reminder is kk_case_notify's) */
		char *address = NULL, *base_url = NULL;
		int64_t now = kk_now(), day0 = 0;

		res = case_notice_address(tx, cv->vendor_id, "vendor_id", &address, err);
		if (!res)
			res = kk_setting_read(tx, "base_url", "", &base_url, err);
		if (!res)
			res = case_notice_send(tx, actor, cx, cv, address, base_url, now, 1, err);
		if (!res)
			res = case_notice_done(tx, cx, now, &day0, err);
		free(address);
		free(base_url);
		return res;
	}
	if (strcmp(c->event, "summary_read") == 0)
		return case_vendor_mark_read(tx, actor, cv, err);
	if (case_status_is_answer(c->event, from)) {
		if (strcmp(c->event, "not_affected") == 0 && kk_str_empty(c->note))
			return kk_error_field(err, "note", "%s",
					      _("Say why the vendor is not affected: the reason of its answer."));
		return case_vendor_answer(tx, actor, cx, cv,
					  strcmp(c->event, "detail_requested") == 0 ? "send_detail" : "not_applicable",
					  c->note, 0, err);
	}
	return case_status_fire(tx, actor, cv, c->number, c->event, c->note, NULL, err);
}

/* SPEC 2.7: the fixed versions a change carries, kept as the countermeasure
 * of the vulnerability that names no product. */
static enum kk_result keep_fixed(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx,
				 const struct kk_case_vendor *cv, const struct kk_vendor_status *st,
				 const struct change *c, struct kk_error *err)
{
	struct kk_countermeasure cm = { 0 };
	json_t *detail;
	enum kk_result res;

	cm.case_vendor_id = cv->id;
	cm.vuln_id = st->vuln_id;
	cm.number = st->number;
	cm.fixed_versions = c->fixed_versions;
	cm.updated_at = kk_now();
	cm.updated_by = actor->id;
	res = kk_countermeasures_set_fixed(tx, &cm, err);
	if (res)
		return res;
	detail = json_pack("{s:I, s:i, s:s}", "vendor_id", (json_int_t)cv->vendor_id, "vulnerability", st->number,
			   "fixed_versions", c->fixed_versions);
	res = detail ? kk_audit_record(tx, actor, "case", cx->c.id, "countermeasure.put", NULL, NULL, detail, err)
		     : kk_error_nomem(err);
	json_decref(detail);
	/* G IV.4.9, issue 12: the fixed versions are a countermeasure the advisory shows */
	if (!res)
		res = kk_advisory_vendor_updated(tx, cx->c.id, cv->vendor_id, "vendor_countermeasure", err);
	return res;
}

enum kk_result kk_case_status_set(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				  json_t **out, struct kk_error *err)
{
	struct kk_vendor_status *sts = NULL, *st = NULL;
	struct kk_case_vendor cv;
	struct case_ctx cx;
	struct change c;
	struct kk_tx tx;
	size_t n = 0;
	enum kk_result res;

	if (out)
		*out = NULL;
	memset(&cx, 0, sizeof(cx));
	memset(&cv, 0, sizeof(cv));
	res = parse_change(body, &c, err);
	if (res)
		goto done;
	/* a role the table never lets fire the event learns nothing about the case */
	if (!kk_flow_role_may_fire(&kk_vendor_status_flow, c.event, actor->role)) {
		res = kk_error_set(err, KK_EDENIED, _("Your role may not do \"%s\"."), c.event);
		goto done;
	}
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_READ, &tx, &cx, err);
	if (res)
		goto done;
	res = case_whose(&tx, actor, &cx, body, &cv, err);
	if (!res)
		res = kk_vendor_statuses_list(&tx, cv.id, &sts, &n, err);
	for (size_t i = 0; !res && i < n && !st; i++)
		if (sts[i].number == c.number)
			st = &sts[i];
	if (!res && !st)
		res = kk_error_field(err, "vulnerability", _("There is no vulnerability %d in this case."), c.number);
	/* the table first (the vendor sees its own status anyway), then the policy */
	if (!res) {
		struct kk_flow_step step = { .actor = actor, .object = st };
		const struct kk_flow_transition *t;

		res = kk_flow_check(&kk_vendor_status_flow, &step, st->status, c.event, &t, err);
	}
	if (!res && !case_may(actor, event_action(actor, c.event, st->status), &cx))
		res = kk_error_set(err, KK_EDENIED, _("You may not do this on case %s (%s)."), ref,
				   kk_action_name(event_action(actor, c.event, st->status)));
	if (!res)
		res = apply(&tx, actor, &cx, &cv, &c, st->status, err);
	if (!res && c.fixed_versions)
		res = keep_fixed(&tx, actor, &cx, &cv, st, &c, err);
	if (!res)
		res = case_view_after(&tx, actor, ref, out, err);
	res = case_end(&tx, res, out, err);
done:
	free(c.fixed_versions);
	kk_vendor_statuses_free(sts, n);
	kk_case_vendor_release(&cv);
	case_ctx_release(&cx);
	return res;
}
