/*
 * date_view.c: a case's publication date as a reader may see it
 * (kk_case_date_get, case.h; issue 10, SPEC 2.8): staff see every notified
 * vendor's answer to the current date, who is silent, the factors, what the
 * answers point to and the whole history; a vendor sees the date, its own
 * answer and when the date changed, never another vendor's answer (SPEC 1).
 */
#include <stdio.h>
#include <string.h>

#include "keikai/calendar.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "date.h"
#include "internal.h"
#include "store/case_dates.h"

#define MAX_EVENTS 8

/* Sets o[key] to v (which it takes); nonzero when that failed. */
static int put(json_t *o, const char *key, json_t *v)
{
	return !v || json_object_set_new(o, key, v) != 0;
}

/* The vendors' answers to the current date, and their summary (staff), or
 * the viewer's own answer (a vendor), into o. */
static enum kk_result answers_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
				   int staff, json_t *o, struct kk_error *err)
{
	int64_t current = case_date_current(&cx->c), latest = 0;
	struct kk_case_vendor *v = NULL;
	size_t n = 0;
	json_t *by = json_object(), *list = json_array();
	int agreed = 0, other = 0, silent = 0, bad = !by || !list;
	enum kk_result res = bad ? kk_error_nomem(err) : KK_OK;

	if (!res && current)
		res = kk_case_dates_answers_json(tx, cx->c.id, staff ? 0 : viewer->vendor_id, current, by, err);
	if (!res)
		res = kk_case_vendors_list(tx, cx->c.id, &v, &n, err);
	for (size_t i = 0; !res && !bad && i < n; i++) {
		char key[24];
		json_t *a, *e;

		/* only vendors that were told of the case are asked (SPEC 2.6) */
		if (!v[i].notified_at || (!staff && v[i].vendor_id != viewer->vendor_id))
			continue;
		snprintf(key, sizeof(key), "%lld", (long long)v[i].vendor_id);
		a = json_array_get(json_object_get(by, key), 0);
		e = json_pack("{s:I, s:s, s:O?, s:O?, s:O?, s:O?}", "vendor_id", (json_int_t)v[i].vendor_id, "name",
			      case_vendor_name(v[i].name_ja, v[i].name_en), "answer", json_object_get(a, "answer"),
			      "wanted_at", json_object_get(a, "wanted_at"), "reason", json_object_get(a, "reason"),
			      "at", json_object_get(a, "at"));
		bad |= !e || json_array_append_new(list, e) != 0;
		if (!a)
			silent++;
		else if (strcmp(json_string_value(json_object_get(a, "answer")), "agree") == 0)
			agreed++;
		else {
			int64_t w = json_integer_value(json_object_get(a, "wanted_at"));

			other++;
			latest = w > latest ? w : latest;
		}
	}
	kk_case_vendors_free(v, n);
	if (!res && !bad) {
		bad |= json_object_set(o, "answers", list) != 0;
		/* SPEC 2.8: when only some answered, the date is set from those answers */
		if (staff)
			bad |= put(o, "summary",
				   json_pack("{s:i, s:i, s:i}", "agreed", agreed, "other", other, "silent", silent)) ||
			       put(o, "suggested_at", latest > current ? json_integer(latest)
							     : current ? json_integer(current) : json_null());
	}
	json_decref(by);
	json_decref(list);
	return res ? res : bad ? kk_error_nomem(err) : KK_OK;
}

/* The history of the date; without "by" and "reason" for a vendor. For
 * staff also who was told of the latest change (G IV.4.4: everyone is). */
static enum kk_result history_json(struct kk_tx *tx, const struct case_ctx *cx, int staff, json_t *o,
				   struct kk_error *err)
{
	json_t *h = json_array(), *told = staff ? json_array() : NULL;
	enum kk_result res = h ? kk_case_dates_history_json(tx, cx->c.id, h, err) : kk_error_nomem(err);
	size_t i, n = json_array_size(h);
	json_t *e;

	json_array_foreach(h, i, e)
		if (!staff) {
			json_object_del(e, "by");
			json_object_del(e, "reason");
		}
	if (!res && staff && n)
		res = told ? kk_case_dates_told_json(tx, cx->c.id, json_integer_value(json_object_get(
									   json_array_get(h, n - 1), "at")),
						     told, err)
			   : kk_error_nomem(err);
	if (!res && put(o, "history", json_incref(h)))
		res = kk_error_nomem(err);
	if (!res && staff && put(o, "told", json_incref(told)))
		res = kk_error_nomem(err);
	json_decref(h);
	json_decref(told);
	return res;
}

/* What the viewer may do now. */
static int may_json(const struct kk_user *viewer, const struct case_ctx *cx, json_t *o)
{
	struct kk_flow_step step = { .actor = viewer, .object = (void *)&cx->c };
	const char *events[MAX_EVENTS];
	size_t n = case_may(viewer, KK_ACT_CASE_DATE_SET, cx)
			   ? kk_flow_events(&kk_case_date_flow, &step, cx->c.date_state, events, MAX_EVENTS)
			   : 0;
	json_t *ev = json_array();
	int bad = !ev, answerable = !strcmp(cx->c.date_state, "proposed") || !strcmp(cx->c.date_state, "set");

	for (size_t i = 0; !bad && i < n && i < MAX_EVENTS; i++)
		bad |= json_array_append_new(ev, json_string(events[i])) != 0;
	bad |= put(o, "events", ev);
	bad |= put(o, "may", json_pack("{s:b, s:b}", "set", case_may(viewer, KK_ACT_CASE_DATE_SET, cx), "answer",
				       answerable && case_may(viewer, KK_ACT_CASE_DATE_ANSWER, cx)));
	return bad;
}

/* A time as JSON for the viewer: unix seconds, or null for 0. */
static json_t *time_or_null(int64_t t)
{
	return t ? json_integer(t) : json_null();
}

enum kk_result case_date_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
			      json_t **out, struct kk_error *err)
{
	const struct kk_case *c = &cx->c;
	int staff = case_may(viewer, KK_ACT_CASE_VENDORS_READ, cx);
	int64_t current = case_date_current(c);
	char text[KK_TIME_TEXT_LEN];
	json_t *o;
	enum kk_result res = KK_OK;
	int bad;

	*out = NULL;
	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "title", c->title ? c->title : "", "state",
		      c->date_state, "state_label",
		      kk_flow_state_label(&kk_case_date_flow, c->date_state), "day0", time_or_null(c->day0),
		      "proposed_at", time_or_null(c->proposed_at), "publication_at", time_or_null(c->publication_at),
		      "ready_at", time_or_null(c->ready_at), "date", time_or_null(current), "date_text",
		      current ? json_string(kk_time_text(current, kk_i18n_current(), NULL, text)) : json_null());
	if (!o)
		return kk_error_nomem(err);
	res = kk_case_dates_fields_json(tx, c->id, o, err);
	if (!res) {
		json_t *off = json_object_get(o, "called_off");

		bad = off && json_is_object(off) &&
		      put(off, "label", json_string(kk_case_call_off_label(
						json_string_value(json_object_get(off, "reason")))));
		if (!staff)
			json_object_del(o, "factors");
		res = bad ? kk_error_nomem(err) : KK_OK;
	}
	if (!res)
		res = answers_json(tx, viewer, cx, staff, o, err);
	if (!res)
		res = history_json(tx, cx, staff, o, err);
	if (!res && may_json(viewer, cx, o))
		res = kk_error_nomem(err);
	if (res)
		json_decref(o);
	else
		*out = o;
	return res;
}

enum kk_result kk_case_date_get(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
				struct kk_error *err)
{
	return case_read(s, viewer, ref, KK_ACT_CASE_READ, case_date_json, out, err);
}
